"""The text for the platform's description field: the claim first, then the evidence.

The field is short (400 bytes for Taobao's refund message, 200 characters for WeChat Pay), so
the text is built from parts in order of importance: what the user asks for and the dispute type,
a re-encoded video (the reviewer must never take the copy for the original), the user's
statement, the order number, one item per exhibit in the pack, and the bundle hash. Trimming
drops whole parts from the end and says so with "…"; a part is never cut mid-word: when even
the first part is too long it is cut at the last sentence or clause boundary that fits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from app.evidence.export.model import Exhibit, ExportInput, PackVideo
from app.evidence.export.pack.presets import PackPreset
from app.evidence.export.wording import kind_label
from app.evidence.timeline.clock import clock_text, zone_label

ELLIPSIS = "…"
# where a too-long first part may be cut: after a sentence or clause mark, or at a space
_CLAUSE = re.compile(r"(?<=[。！？；，、：.!?;,:])")
_WORD = re.compile(r"(?=\s)")
_CJK = re.compile(r"(?<=[\u3400-\u9fff])")  # a Chinese character is a word of its own


def description_parts(
    inp: ExportInput,
    bundle_hash: str,
    exhibits: Sequence[Exhibit],
    videos: Mapping[int, PackVideo] | None = None,
) -> list[str]:
    """The description's parts, most important first (each a sentence or a list item)."""
    facts = {f.zh: f.value for f in inp.facts}
    claim = _chinese(facts.get("诉求", ""))
    # without the case summary's readable name, a raw id ("missing_parts") says nothing
    dispute = _chinese(facts.get("纠纷类型", ""))
    head = "；".join(
        t for t in (f"诉求：{claim}" if claim else "", f"纠纷：{dispute}" if dispute else "") if t
    )
    parts = [head + "。"] if head else []
    # said early, so trimming never drops it: the reviewer must know a copy is not the original
    reencoded = [v.label for v in (videos or {}).values() if v.reencoded]
    if reencoded:
        parts.append(
            f"视频{'、'.join(reencoded)}已重新编码（为符合上传限制或遮盖隐私），"
            "原件及哈希由提交人保存。"
        )
    statement = facts.get("陈述", "").strip()
    if statement:
        parts.append(statement if statement[-1] in "。！？.!?" else statement + "。")
    if inp.info.order_no:
        parts.append(f"订单号 {inp.info.order_no}。")
    items = []
    for e in exhibits:
        zh, _ = kind_label(e.kind)
        when = clock_text(e.time, inp.info.timezone, zone=False, language="zh")
        when = f" {when}" if when else ""
        note = f"：{e.note.strip().splitlines()[0]}" if e.note.strip() else ""
        items.append(f"{e.label}{zh}{when}{note}")
    if items:
        items = [item.rstrip("。；;.") for item in items]  # a note's own full stop
        # the zone is named once for the whole text; a file's other zone is a detail
        zone = zone_label(inp.info.timezone, "zh")
        parts += [f"证据（{zone}）：{items[0]}"] + [f"；{item}" for item in items[1:]]
        parts[-1] += "。"
    parts.append(f"证据包 {bundle_hash[:16]}，共 {len(inp.exhibits)} 项。")
    return parts


def fit_description(parts: Sequence[str], preset: PackPreset) -> str:
    """The parts that fit the preset's limit, whole; "…" when any was left off."""
    whole = "".join(parts)
    if _size(whole, preset) <= preset.description_limit:
        return whole
    text = ""
    for part in parts:
        if _size(text + part + ELLIPSIS, preset) > preset.description_limit:
            break
        text += part
    if not text and parts:
        text = _cut(parts[0], preset)
    return text.rstrip("；，、 ") + ELLIPSIS


def _cut(part: str, preset: PackPreset) -> str:
    """A start of `part` that fits, ending at a sentence or clause mark when that keeps at
    least half the room, else at a word (a space, or between Chinese characters)."""
    found = []
    for breaks in (_CLAUSE, _WORD, _CJK):
        best = ""
        for match in breaks.finditer(part):
            start = part[: match.start()]
            if _size(start + ELLIPSIS, preset) > preset.description_limit:
                break
            best = start
        if best.strip() and _size(best, preset) * 2 >= preset.description_limit:
            return best
        found.append(best)
    return max(found, key=len)


def _size(value: str, preset: PackPreset) -> int:
    return len(value.encode("utf-8")) if preset.description_unit == "bytes" else len(value)


def _chinese(value: str) -> str:
    """ "仅退款" of "仅退款 / Refund only": the platforms' fields are read in Chinese."""
    return value.split(" / ", 1)[0].strip()
