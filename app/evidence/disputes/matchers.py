"""Automatic checklist matchers: named functions over the timeline, dates and items.

A profile's checklist item names a matcher and its parameters in JSON; each matcher answers
"matched" (the evidence is there), "partial" (something close is there: check by hand) or
"missing". Matchers only look at visible timeline entries, so what the user hid does not count.

Matchers (name: params):
    tracking_record: {}
    tracking_event: {kinds: [EventKind values]}
    video_with_waybill: {phase?, match_tracking_number?}
    media_near_date: {kinds, anchor (case date name), before_hours?, after_hours?, phase?}
    items_of_kind: {kinds, phase?, min_count?}
    text_mentions: {words, kinds?}
    case_date: {name}
    summary_field: {field}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta, tzinfo
from typing import Any

from app.evidence.disputes.model import CaseSummary
from app.evidence.models import Item
from app.evidence.timeline.dates import DATE_NAMES, CaseDate
from app.evidence.timeline.model import PHASE_LABELS, Phase, Timeline, TimelineEntry
from app.evidence.timeline.times import end_of_day, fmt_local

# Where a waybill number read from a video's frames may be kept in an item's metadata; the
# video reader is being written, so every likely key (and one level of nesting) is tried.
WAYBILL_KEYS = (
    "waybill_numbers",
    "waybills",
    "waybill",
    "barcodes",
    "tracking_numbers",
    "tracking_number",
)
OCR_KEYS = ("ocr_text", "ocr", "text")


@dataclass(frozen=True)
class MatchContext:
    """What matchers look at."""

    timeline: Timeline
    dates: Mapping[str, CaseDate]
    zone: tzinfo
    summary: CaseSummary
    items: Mapping[int, Item]
    tracking_numbers: frozenset[str]


@dataclass(frozen=True)
class MatchResult:
    """A matcher's answer."""

    state: str
    entries: tuple[str, ...] = ()
    detail_zh: str = ""
    detail_en: str = ""


Matcher = Callable[[MatchContext, Mapping[str, Any]], MatchResult]


def _visible(ctx: MatchContext) -> tuple[TimelineEntry, ...]:
    return ctx.timeline.visible()


def _items(
    ctx: MatchContext, kinds: Iterable[str] | None = None, phase: str | None = None
) -> list[TimelineEntry]:
    wanted = set(kinds or ())
    return [
        e
        for e in _visible(ctx)
        if e.is_item
        and e.item_kind
        and (not wanted or e.item_kind.value in wanted)
        and (phase is None or e.phase.value == phase)
    ]


def _phase_zh(phase: str | None) -> str:
    if phase is None or phase not in Phase._value2member_map_:
        return ""
    return PHASE_LABELS[Phase(phase)][0]


def tracking_record(ctx: MatchContext, params: Mapping[str, Any]) -> MatchResult:
    """Any tracking record (an item of kind tracking or tracking lines)."""
    keys = [e.key for e in _items(ctx, ["tracking"])]
    keys += [e.key for e in _visible(ctx) if e.source == "tracking" and not e.is_item][:1]
    if keys:
        return MatchResult(
            "matched", tuple(keys), "已有物流记录", "a tracking record is in the case"
        )
    return MatchResult("missing", (), "还没有物流记录", "no tracking record yet")


def tracking_event(ctx: MatchContext, params: Mapping[str, Any]) -> MatchResult:
    """A tracking line of one of `kinds` (signed, pickup, refused ...)."""
    kinds = set(params.get("kinds", ()))
    hits = [e for e in _visible(ctx) if e.source == "tracking" and e.event_kind in kinds]
    if hits:
        first = hits[-1]
        when = fmt_local(first.time.local) if first.time else "无时间"
        records = {f"item:{e.item_id}" for e in hits if e.item_id is not None}
        return MatchResult(
            "matched",
            (*(e.key for e in hits), *sorted(records)),
            f"物流记录中有相应记录：{when} {first.title}",
            f"tracking line found: {when}",
        )
    if tracking_record(ctx, {}).state == "matched":
        return MatchResult(
            "partial",
            (),
            "物流记录中没有找到相应的行，请人工核对",
            "no such line in the tracking record",
        )
    return MatchResult("missing", (), "还没有物流记录", "no tracking record yet")


def waybills_of(item: Item) -> frozenset[str]:
    """Waybill numbers read from an item's frames, wherever the reader put them."""
    found: set[str] = set()

    def take(value: Any) -> None:
        if isinstance(value, str) and value.strip():
            found.add(value.strip().upper())
        elif isinstance(value, Mapping):
            for key in ("text", "value", "number"):
                take(value.get(key))
        elif isinstance(value, (list, tuple)):
            for v in value:
                take(v)

    meta = item.metadata or {}
    for scope in (meta, *(v for v in meta.values() if isinstance(v, Mapping))):
        for key in WAYBILL_KEYS:
            take(scope.get(key))
    return frozenset(found)


def video_with_waybill(ctx: MatchContext, params: Mapping[str, Any]) -> MatchResult:
    """A video (in `phase`, if given) in which a waybill number was read."""
    phase = params.get("phase")
    videos = _items(ctx, ["video"], phase)
    if not videos:
        where = f"“{_phase_zh(phase)}”阶段" if phase else ""
        return MatchResult("missing", (), f"{where}还没有视频", "no video yet")
    mismatched = []
    for e in videos:
        item = ctx.items.get(e.item_id) if e.item_id is not None else None
        numbers = waybills_of(item) if item is not None else frozenset()
        if not numbers:
            continue
        if (
            params.get("match_tracking_number")
            and ctx.tracking_numbers
            and not numbers & ctx.tracking_numbers
        ):
            mismatched.append((e, numbers))
            continue
        return MatchResult(
            "matched",
            (e.key,),
            f"视频中读到面单号 {', '.join(sorted(numbers))}",
            f"waybill {', '.join(sorted(numbers))} read in the video",
        )
    if mismatched:
        e, numbers = mismatched[0]
        return MatchResult(
            "partial",
            (e.key,),
            f"视频中的面单号 {', '.join(sorted(numbers))} "
            f"与物流单号 {', '.join(sorted(ctx.tracking_numbers))} 不一致",
            "the waybill in the video differs from the tracking number",
        )
    return MatchResult(
        "partial",
        tuple(e.key for e in videos),
        "有视频，但未能自动读出面单号：请确认画面中面单号清晰后手动勾选",
        "video present, waybill not read automatically: check it and tick by hand",
    )


def media_near_date(ctx: MatchContext, params: Mapping[str, Any]) -> MatchResult:
    """Photos/videos timed within [anchor - before_hours, anchor + after_hours]."""
    anchor_name = str(params["anchor"])
    media = [e for e in _items(ctx, params.get("kinds"), params.get("phase"))]
    anchor = ctx.dates.get(anchor_name)
    label = DATE_NAMES.get(anchor_name, (anchor_name,))[0]
    if not media:
        return MatchResult("missing", (), "还没有相应的照片或视频", "no such photo or video yet")
    if anchor is None:
        return MatchResult(
            "partial",
            tuple(e.key for e in media),
            f"请填写{label}日期，才能核对拍摄时间",
            f"enter the {anchor_name} date to check the timing",
        )
    start = anchor.instant(ctx.zone) - timedelta(hours=float(params.get("before_hours", 0)))
    end_base = (
        anchor.instant(ctx.zone) if anchor.has_time else end_of_day(anchor.local.date(), ctx.zone)
    )
    end = end_base + timedelta(hours=float(params.get("after_hours", 0)))
    inside = [e for e in media if e.time and start <= e.time.utc <= end]
    if inside:
        return MatchResult(
            "matched",
            tuple(e.key for e in inside),
            f"{len(inside)} 个文件拍摄于{label}前后的要求时间内",
            f"{len(inside)} file(s) within the window",
        )
    return MatchResult(
        "partial",
        tuple(e.key for e in media),
        f"有照片或视频，但拍摄时间不在{label}前后的要求时间内（或没有可信时间）",
        "files exist but none is timed within the window",
    )


def items_of_kind(ctx: MatchContext, params: Mapping[str, Any]) -> MatchResult:
    """At least `min_count` items of `kinds` (in `phase`, if given)."""
    kinds, phase, need = params.get("kinds"), params.get("phase"), int(params.get("min_count", 1))
    hits = _items(ctx, kinds, phase)
    if len(hits) >= need:
        return MatchResult(
            "matched",
            tuple(e.key for e in hits),
            f"已有 {len(hits)} 个文件",
            f"{len(hits)} file(s)",
        )
    elsewhere = _items(ctx, kinds) if phase else []
    if hits or elsewhere:
        where = f"，其中在“{_phase_zh(phase)}”阶段的有 {len(hits)} 个" if phase else ""
        return MatchResult(
            "partial",
            tuple(e.key for e in hits or elsewhere),
            f"需要至少 {need} 个{where}",
            f"need {need}, found {len(hits)}",
        )
    return MatchResult("missing", (), "还没有相应的文件", "none yet")


def _haystack(ctx: MatchContext, entry: TimelineEntry) -> str:
    parts = [entry.title, entry.note, entry.raw_line or ""]
    item = ctx.items.get(entry.item_id) if entry.item_id is not None else None
    if entry.is_item and item is not None:
        meta = item.metadata or {}
        parts += [str(meta.get(k, "")) for k in OCR_KEYS]
        parts += [
            e.title + " " + e.note
            for e in _visible(ctx)
            if not e.is_item and e.item_id == entry.item_id
        ]
    return " ".join(parts).lower()


def text_mentions(ctx: MatchContext, params: Mapping[str, Any]) -> MatchResult:
    """An item (of `kinds`) whose name, note or read text mentions one of `words`."""
    words = [w.lower() for w in params.get("words", ())]
    candidates = _items(ctx, params.get("kinds"))
    hits = [e for e in candidates if any(w in _haystack(ctx, e) for w in words)]
    if hits:
        return MatchResult(
            "matched",
            tuple(e.key for e in hits),
            "文件名、说明或识别文字中提到了相关内容",
            "mentioned in a name, note or read text",
        )
    if candidates:
        return MatchResult(
            "partial",
            tuple(e.key for e in candidates),
            "有相应类型的文件，但无法自动确认内容：请在说明中写明或手动勾选",
            "files of that kind exist; confirm by hand or say it in a note",
        )
    return MatchResult("missing", (), "还没有相应的文件", "none yet")


def case_date(ctx: MatchContext, params: Mapping[str, Any]) -> MatchResult:
    """A case date is known (entered or from the tracking record)."""
    name = str(params["name"])
    found = ctx.dates.get(name)
    label = DATE_NAMES.get(name, (name,))[0]
    if found is None:
        return MatchResult("missing", (), f"请填写{label}日期", f"enter the {name} date")
    return MatchResult(
        "matched",
        (found.entry,) if found.entry else (),
        f"{label}：{found.local:%Y-%m-%d}",
        f"{name}: {found.local:%Y-%m-%d}",
    )


def summary_field(ctx: MatchContext, params: Mapping[str, Any]) -> MatchResult:
    """A field of the case summary is filled in."""
    value = getattr(ctx.summary, str(params["field"]), None)
    if value:
        return MatchResult("matched", (), "已填写", "filled in")
    return MatchResult("missing", (), "案件概要中尚未填写", "not filled in the case summary")


MATCHERS: dict[str, Matcher] = {
    "tracking_record": tracking_record,
    "tracking_event": tracking_event,
    "video_with_waybill": video_with_waybill,
    "media_near_date": media_near_date,
    "items_of_kind": items_of_kind,
    "text_mentions": text_mentions,
    "case_date": case_date,
    "summary_field": summary_field,
}
