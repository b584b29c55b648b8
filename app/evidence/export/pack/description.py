"""The text for the platform's description field: the claim first, then the evidence.

The field is short (400 bytes for Taobao's refund message, 200 characters for WeChat Pay), so
the text is built from parts in order of importance: what the user asks for and the dispute type,
a re-encoded video (the reviewer must never take the copy for the original), the user's
statement, the order number, one item per exhibit in the pack, and the bundle hash. Trimming
drops whole parts from the end and says so with "…"; a part is never cut mid-word: when even
the first part is too long it is cut at the last sentence or clause boundary that fits.

`pack_description` keeps the exhibit numbers whatever the statement's length: when the full
text does not fit, the exhibits are listed with the fewest words ("证据1 照片；证据2 面单"), the
statement is cut at a clause to make room, and when the list itself is too long its first
items are followed by "等N项，详见PDF". Only whole items are written: a number or a character
is never cut (the size is counted in the preset's unit, UTF-8 bytes or characters).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from app.evidence.export.model import Exhibit, ExportInput, PackVideo
from app.evidence.export.pack.presets import PackPreset
from app.evidence.export.wording import kind_label
from app.evidence.timeline.clock import clock_text, zone_label

ELLIPSIS = "…"
# where a too-long first part may be cut: after a sentence or clause mark, or at a space
_CLAUSE = re.compile(r"(?<=[。！？；，、：.!?;,:])")
_WORD = re.compile(r"(?=\s)")
_CJK = re.compile(r"(?<=[\u3400-\u9fff])")  # a Chinese character is a word of its own


@dataclass(frozen=True)
class _Sections:
    lead: list[str]  # the claim and dispute, the re-encoded video note
    statement: str
    order: str
    items: list[str]  # the full list, its first part naming the zone
    tail: str  # the bundle hash


def _sections(
    inp: ExportInput,
    bundle_hash: str,
    exhibits: Sequence[Exhibit],
    videos: Mapping[int, PackVideo] | None,
) -> _Sections:
    facts = {f.zh: f.value for f in inp.facts}
    claim = _chinese(facts.get("诉求", ""))
    # without the case summary's readable name, a raw id ("missing_parts") says nothing
    dispute = _chinese(facts.get("纠纷类型", ""))
    head = "；".join(
        t for t in (f"诉求：{claim}" if claim else "", f"纠纷：{dispute}" if dispute else "") if t
    )
    lead = [head + "。"] if head else []
    # said early, so trimming never drops it: the reviewer must know a copy is not the original
    reencoded = [v.label for v in (videos or {}).values() if v.reencoded]
    if reencoded:
        lead.append(
            f"视频{'、'.join(reencoded)}已重新编码（为符合上传限制或遮盖隐私），"
            "原件及哈希由提交人保存。"
        )
    statement = facts.get("陈述", "").strip()
    if statement and statement[-1] not in "。！？.!?":
        statement += "。"
    order = f"订单号 {inp.info.order_no}。" if inp.info.order_no else ""
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
        items = [f"证据（{zone}）：{items[0]}"] + [f"；{item}" for item in items[1:]]
        items[-1] += "。"
    tail = f"证据包 {bundle_hash[:16]}，共 {len(inp.exhibits)} 项。"
    return _Sections(lead, statement, order, items, tail)


def description_parts(
    inp: ExportInput,
    bundle_hash: str,
    exhibits: Sequence[Exhibit],
    videos: Mapping[int, PackVideo] | None = None,
) -> list[str]:
    """The description's parts, most important first (each a sentence or a list item)."""
    s = _sections(inp, bundle_hash, exhibits, videos)
    middle = [t for t in (s.statement, s.order) if t]
    return s.lead + middle + s.items + [s.tail]


SHORT_NOTE = 8  # a note's first clause this short names the exhibit better than its kind
MIN_STATEMENT = 60  # less room than this (in the preset's unit): the statement is left out
_FIRST_CLAUSE = re.compile(r"[。！？；，、：,.;:!?\s]")


def pack_description(
    inp: ExportInput,
    bundle_hash: str,
    exhibits: Sequence[Exhibit],
    videos: Mapping[int, PackVideo] | None,
    preset: PackPreset,
) -> str:
    """The description for the pack, within the preset's limit, naming every exhibit shown
    (or the first ones and how many in all) in the fewest words it must."""
    parts = description_parts(inp, bundle_hash, exhibits, videos)
    if _size("".join(parts), preset) <= preset.description_limit or not exhibits:
        return fit_description(parts, preset)
    s = _sections(inp, bundle_hash, exhibits, videos)
    head = "".join(s.lead)
    short = [_short_item(e) for e in exhibits]
    listing = _listing(short, len(short))

    def fits(text: str) -> bool:
        return _size(text, preset) <= preset.description_limit

    # the full list, then the short list, with the whole statement (and the hash if it fits)
    for text in (
        head + s.statement + s.order + "".join(s.items),
        head + s.statement + s.order + listing,
    ):
        if fits(text):
            return text + s.tail if fits(text + s.tail) else text
    room = preset.description_limit - _size(head + s.order + listing, preset)
    if s.statement and room >= MIN_STATEMENT:
        return head + _cut_to(s.statement, room, preset) + s.order + listing
    # the short list itself is long: the statement gets at most half the room left, the list
    # its first items and how many there are in all
    order = s.order if fits(head + s.order + _listing(short, 1)) else ""  # the order gives way
    if not fits(head + order + _listing(short, 1)):
        return fit_description(parts, preset)  # the claim alone fills it: cut as before
    said = ""
    free = preset.description_limit - _size(head + order + _listing(short, 1), preset)
    if s.statement and free // 2 >= MIN_STATEMENT:
        said = _cut_to(s.statement, free // 2, preset)
    count = 1
    while count < len(short) and fits(head + said + order + _listing(short, count + 1)):
        count += 1
    return head + said + order + _listing(short, count)


def _short_item(e: Exhibit) -> str:
    """ "证据2 面单" (a short note's first clause) or "证据1 照片" (the kind)."""
    first = _FIRST_CLAUSE.split(e.note.strip(), maxsplit=1)[0] if e.note.strip() else ""
    if first and len(first) <= SHORT_NOTE:
        return f"{e.label} {first}"
    zh, _ = kind_label(e.kind)
    return f"{e.label} {zh}"


def _listing(short: Sequence[str], count: int) -> str:
    """ "证据：" and the first `count` short items, then "等N项，详见PDF" when some are left."""
    if count >= len(short):
        return "证据：" + "；".join(short) + "。"
    return "证据：" + "；".join(short[:count]) + f"等{len(short)}项，详见PDF。"


def _cut_to(text: str, room: int, preset: PackPreset) -> str:
    """`text` whole when it fits `room`, else cut at a clause (or a word) with "…"; "" when
    nothing sensible fits."""
    if _size(text, preset) <= room:
        return text
    cut = _cut(text, replace(preset, description_limit=room)).rstrip("；，、 ")
    return cut + ELLIPSIS if cut and _size(cut + ELLIPSIS, preset) <= room else ""


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
