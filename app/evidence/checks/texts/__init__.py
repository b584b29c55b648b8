"""Finding texts, Chinese first, and the one function that builds a `Finding` from a code.

Each code has a headline, an explanation (what was seen, what it usually means) and its known
false positives, in Chinese and English. Templates name their values in braces; `finding`
fills them from the check's parameters and from display-only values passed alongside. The
words "fake"/"forged" (and 伪造/造假) are never used: a finding says what was seen.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any

from app.evidence.checks.model import Finding, Severity


@dataclass(frozen=True)
class FindingText:
    """The six texts of one finding code."""

    title_zh: str
    title_en: str
    explanation_zh: str
    explanation_en: str
    false_positives_zh: str = ""
    false_positives_en: str = ""


WHERE = {
    "software": ("EXIF 软件字段（Software）", "EXIF Software field"),
    "processing": ("EXIF 处理软件字段（ProcessingSoftware）", "EXIF ProcessingSoftware field"),
    "creator_tool": ("XMP 创建工具字段（CreatorTool）", "XMP CreatorTool field"),
    "history": ("XMP 编辑历史（History）", "XMP edit history"),
    "toolkit": ("XMP 工具包字段（xmptk）", "XMP toolkit field"),
    "comment": ("JPEG 注释（COM）", "JPEG comment (COM)"),
    "png_text": ("PNG 文本信息", "PNG text chunk"),
    "encoder": ("封装程序字段", "writing-application tag"),
    "compressor": ("视频格式描述里的编码器名称", "compressor name in the sample description"),
    "library": ("视频码流里的编码器信息", "encoder information in the video bitstream"),
    "key": ("元数据键名", "metadata key name"),
    "value": ("元数据内容", "metadata value"),
    "handler": ("轨道处理器名称", "track handler name"),
}


class _Values(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(_show(v) for v in value) if value else "—"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return "—" if value is None else str(value)


def _fill(template: str, values: dict[str, Any], lang: str) -> str:
    shown = _Values()
    for key, value in values.items():
        shown[key] = _show(value)
    where = values.get("where")
    if isinstance(where, str) and where in WHERE:
        shown["where_text"] = WHERE[where][0 if lang == "zh" else 1]
    for key, value in values.items():
        if key.endswith(f"_{lang}"):
            shown[key[: -len(lang) - 1]] = _show(value)
    text = string.Formatter().vformat(template, (), shown)
    if lang == "en":
        return text.replace("、", ", ")
    return re.sub(r"(\d) d (\d\d:)", r"\1 天 \2", text)


def finding(
    code: str, severity: Severity, params: dict[str, Any] | None = None, **display: Any
) -> Finding:
    """Build the finding `code` with its texts filled in.

    Args:
        code: a key of the text catalog.
        severity: how much it weighs (see verdict.py).
        params: what the check saw and the thresholds it used; kept in the finding (JSON-ready).
        display: values only used to fill the texts; `name_zh` / `name_en` pairs fill `{name}`
            in the matching language.
    """
    from app.evidence.checks.texts.catalog import CATALOG

    text = CATALOG[code]
    params = dict(params or {})
    values = {**params, **display}
    return Finding(
        code=code,
        severity=severity,
        title_zh=_fill(text.title_zh, values, "zh"),
        title_en=_fill(text.title_en, values, "en"),
        explanation_zh=_fill(text.explanation_zh, values, "zh"),
        explanation_en=_fill(text.explanation_en, values, "en"),
        false_positives={
            "zh": _fill(text.false_positives_zh, values, "zh"),
            "en": _fill(text.false_positives_en, values, "en"),
        },
        params=params,
    )
