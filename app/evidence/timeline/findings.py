"""Contradictions and gaps on a timeline, said in plain words.

A finding says what the times show and what it usually means, never that something is fake:
an unboxing video "before" the signing scan is most often a phone clock or time-zone issue,
or a video of a different parcel, and the reviewer will ask about it either way.

Anchors: signing = the entered 签收 date when there is one, else the signing line of the
tracking record delivered first; pickup = the entered 发货 date, else the first 揽收 line.
When one of the two times had no time zone and they are less than 14 hours apart, the
finding is lowered to "info" and says that the zone may explain it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.evidence.labels import KIND
from app.evidence.models import ItemKind
from app.evidence.timeline.model import Phase, Timeline, TimelineEntry, TimelineFinding
from app.evidence.timeline.times import fmt_local

_MEDIA = (ItemKind.PHOTO, ItemKind.VIDEO)
_ZONE_SPREAD = timedelta(hours=14)


@dataclass(frozen=True)
class FindingOptions:
    """What the dispute says about timing.

    Attributes:
        inspection_window_hours: longest expected gap between signing and unboxing (the
            video-evidence rule asks for 72 h; some categories 48 h or 24 h).
        complaint_needs_delivery: False for disputes where complaining before delivery is
            the point (item not received).
    """

    inspection_window_hours: int = 72
    complaint_needs_delivery: bool = True


def timeline_findings(
    timeline: Timeline, options: FindingOptions | None = None
) -> tuple[TimelineFinding, ...]:
    """Every contradiction and gap found on the timeline, in a stable order."""
    options = options or FindingOptions()
    found: list[TimelineFinding] = []
    signed = signing_anchor(timeline)
    pickup = pickup_anchor(timeline)
    if signed is not None:
        found += _unboxing_before_signed(timeline, signed)
        if options.complaint_needs_delivery:
            found += _complaint_before_delivery(timeline, signed)
        found += _unboxing_gap(timeline, signed, options.inspection_window_hours)
    if pickup is not None:
        found += _packing_after_pickup(timeline, pickup)
    found += _exhibits_out_of_order(timeline)
    return tuple(found)


def signing_anchor(timeline: Timeline) -> TimelineEntry | None:
    """The entry that stands for 签收 (entered date first, else the first record's signing)."""
    return _anchor(timeline, "date:signed", "signed", first=False)


def pickup_anchor(timeline: Timeline) -> TimelineEntry | None:
    """The entry that stands for 揽收 (entered date first, else the earliest pickup line)."""
    return _anchor(timeline, "date:shipped", "pickup", first=True)


def _anchor(timeline: Timeline, date_entry: str, kind: str, *, first: bool) -> TimelineEntry | None:
    manual = next((e for e in timeline.entries if e.key == date_entry), None)
    if manual is not None:
        return manual
    per_record: dict[int | None, TimelineEntry] = {}
    for e in timeline.entries:  # already in time order
        if (
            e.source == "tracking"
            and e.event_kind == kind
            and (not first or e.item_id not in per_record)
        ):
            per_record[e.item_id] = e
    if not per_record:
        return None
    return min(per_record.values(), key=lambda e: e.time.utc if e.time else datetime.max)


def _before(a: TimelineEntry, b: TimelineEntry) -> bool:
    assert a.time and b.time
    if a.time.date_only or b.time.date_only:
        return a.time.local.date() < b.time.local.date()
    return a.time.utc < b.time.utc


def _zone_doubt(a: TimelineEntry, b: TimelineEntry) -> bool:
    assert a.time and b.time
    close = abs(a.time.utc - b.time.utc) < _ZONE_SPREAD
    return close and (a.time.offset_assumed or b.time.offset_assumed)


def _when(e: TimelineEntry) -> str:
    assert e.time
    text = e.time.local.strftime("%Y-%m-%d") if e.time.date_only else fmt_local(e.time.local)
    return f"{e.exhibit_label}，{text}" if e.exhibit_label else text


def _pair(code: str, a: TimelineEntry, b: TimelineEntry, zh: str, en: str) -> TimelineFinding:
    assert a.time and b.time
    hours = round(abs((a.time.utc - b.time.utc).total_seconds()) / 3600, 1)
    severity = "warning"
    if _zone_doubt(a, b):
        severity = "info"
        zh += " 其中一个时间没有时区信息，相差可能来自时区。"
        en += " One of the times has no time zone; the zone may explain the difference."
    return TimelineFinding(code, severity, zh, en, (a.key, b.key), {"hours": hours})


def _media_in(timeline: Timeline, phase: Phase) -> list[TimelineEntry]:
    return [e for e in timeline.entries if e.is_item and e.item_kind in _MEDIA and e.phase is phase]


def _unboxing_before_signed(timeline: Timeline, signed: TimelineEntry) -> list[TimelineFinding]:
    return [
        _pair(
            "unboxing_before_signed",
            e,
            signed,
            f"开箱/验货的{_kind_zh(e)}（{_when(e)}）早于签收记录（{_when(signed)}）。"
            "常见原因是手机时间不准，或拍的是另一个包裹；审核时可能会被问到，请核对后在说明中写明。",
            "The unboxing file is dated before the signing record. Usually a wrong phone clock "
            "or a different parcel; explain it in the note.",
        )
        for e in _media_in(timeline, Phase.INSPECTION)
        if _before(e, signed)
    ]


def _complaint_before_delivery(timeline: Timeline, signed: TimelineEntry) -> list[TimelineFinding]:
    return [
        _pair(
            "complaint_before_delivery",
            e,
            signed,
            f"售后/投诉（{_when(e)}）早于签收（{_when(signed)}）：在收到货之前就反映了商品问题，"
            "审核人员会质疑问题是如何发现的；如果时间有误，请更正。",
            "The complaint is dated before delivery: the reviewer will ask how the problem was "
            "seen before the parcel arrived. Correct the time if it is wrong.",
        )
        for e in timeline.entries
        if e.phase is Phase.CLAIM and e.key != signed.key and _before(e, signed)
    ]


def _packing_after_pickup(timeline: Timeline, pickup: TimelineEntry) -> list[TimelineFinding]:
    return [
        _pair(
            "packing_after_pickup",
            e,
            pickup,
            f"打包/发货的{_kind_zh(e)}（{_when(e)}）晚于快递揽收（{_when(pickup)}）："
            "包裹交给快递后不可能再打包，常见原因是手机时间不准或拍的是另一单；请核对。",
            "The packing file is dated after the carrier's pickup scan: either the phone clock "
            "is off or it shows another parcel. Check it.",
        )
        for e in _media_in(timeline, Phase.SHIPPING)
        if _before(pickup, e)
    ]


def _unboxing_gap(
    timeline: Timeline, signed: TimelineEntry, window_hours: int
) -> list[TimelineFinding]:
    after = [e for e in _media_in(timeline, Phase.INSPECTION) if not _before(e, signed)]
    if not after or not signed.time or not after[0].time:
        return []
    first = after[0]
    gap = first.time.utc - signed.time.utc  # type: ignore[union-attr]
    if gap <= timedelta(hours=window_hours):
        return []
    hours = round(gap.total_seconds() / 3600, 1)
    return [
        TimelineFinding(
            "delivery_unboxing_gap",
            "warning",
            f"签收（{_when(signed)}）到第一份开箱/验货记录（{_when(first)}）相隔 {hours} 小时，"
            f"超过了 {window_hours} 小时的举证要求；请在说明中写明原因（例如出差、驿站代收未取）。",
            f"{hours} h passed between signing and the first unboxing record, more than the "
            f"{window_hours} h window; explain why in the note.",
            (signed.key, first.key),
            {"hours": hours, "window_hours": window_hours},
        )
    ]


def _exhibits_out_of_order(timeline: Timeline) -> list[TimelineFinding]:
    fixed = [
        e
        for e in timeline.visible()
        if e.is_item and e.exhibit_no is not None and not e.exhibit_provisional
    ]
    numbers = [e.exhibit_no or 0 for e in fixed]
    if numbers == sorted(numbers):
        return []
    return [
        TimelineFinding(
            "exhibits_out_of_order",
            "info",
            "证据编号与时间顺序不一致（顺序调整或新增了文件）。"
            "如需按时间重新编号，请使用“重新编号”；不会自动改号。",
            "Exhibit numbers no longer follow the timeline. Renumber on request; numbers never "
            "change by themselves.",
            tuple(e.key for e in fixed),
        )
    ]


def _kind_zh(e: TimelineEntry) -> str:
    return KIND[e.item_kind][0] if e.item_kind else "文件"  # the one kind table (labels.py)
