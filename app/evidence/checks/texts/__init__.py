"""Finding texts, Chinese first, and the one function that builds a `Finding` from a code.

Each code has a headline, an explanation (what was seen, what it usually means) and its known
false positives, in Chinese and English. Templates name their values in braces; `finding`
fills them from the check's parameters, and every value a template names is kept in those
parameters (a `name_zh` / `name_en` pair fills `{name}`), so `render(code, params)` gives the
same texts again from what a case stores: a stored finding is shown in the catalog's current
wording (texts/stored.py), and the stored text is only the fallback for a code the catalog does
not know. The words "fake"/"forged" (and 伪造/造假) are never used: a finding says what was seen.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
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
    strict = False

    def __missing__(self, key: str) -> str:
        if self.strict:  # render on read: a value the template names is not stored
            raise KeyError(key)
        return "?"


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(_show(v) for v in value) if value else "—"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return "—" if value is None else str(value)


def _fill(template: str, values: Mapping[str, Any], lang: str, strict: bool = False) -> str:
    shown = _Values()
    shown.strict = strict
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


def _texts(text: FindingText, values: Mapping[str, Any], strict: bool) -> FindingText:
    return FindingText(
        title_zh=_fill(text.title_zh, values, "zh", strict),
        title_en=_fill(text.title_en, values, "en", strict),
        explanation_zh=_fill(text.explanation_zh, values, "zh", strict),
        explanation_en=_fill(text.explanation_en, values, "en", strict),
        false_positives_zh=_fill(text.false_positives_zh, values, "zh", strict),
        false_positives_en=_fill(text.false_positives_en, values, "en", strict),
    )


def render(code: str, params: Mapping[str, Any]) -> FindingText | None:
    """The texts of finding `code` in the catalog's current wording, filled from `params`.

    None when the catalog has no such code (a code of an older version, or a finding made
    elsewhere such as stitching) or when a value one of its texts names is not in `params` (a
    finding stored before its display values were kept): the caller then shows the stored text.
    """
    from app.evidence.checks.texts.catalog import CATALOG

    text = CATALOG.get(code)
    if text is None:
        return None
    try:
        return _texts(text, params, strict=True)
    except (KeyError, IndexError, ValueError, AttributeError):  # a value missing or malformed
        return None


def finding(
    code: str, severity: Severity, params: dict[str, Any] | None = None, **display: Any
) -> Finding:
    """Build the finding `code` with its texts filled in.

    Args:
        code: a key of the text catalog.
        severity: how much it weighs (see verdict.py).
        params: what the check saw and the thresholds it used; kept in the finding (JSON-ready).
        display: further values the texts name (words of each language, a time as shown);
            `name_zh` / `name_en` pairs fill `{name}` in the matching language. They are kept
            in the finding's params too, so the texts can be rendered again from a stored case.
    """
    from app.evidence.checks.texts.catalog import CATALOG

    params = dict(params or {})
    clash = sorted(k for k in display if k in params and params[k] != display[k])
    if clash:  # one name, two values: the stored params could not give the texts back
        raise ValueError(f"finding {code}: display values {clash} differ from its params")
    params.update(display)
    text = _texts(CATALOG[code], params, strict=False)
    return Finding(
        code=code,
        severity=severity,
        title_zh=text.title_zh,
        title_en=text.title_en,
        explanation_zh=text.explanation_zh,
        explanation_en=text.explanation_en,
        false_positives={"zh": text.false_positives_zh, "en": text.false_positives_en},
        params=params,
    )
