"""Parse pasted courier tracking text into a `TrackingRecord`.

The pipeline, one linear pass per step (100k lines stay fast):
1. split into lines, normalise each, find a printed time at its start or end (or read
   the time/status columns of an aggregator CSV);
2. pair lines that hold only a time with the description line before or after them,
   choosing whichever layout explains more of the text;
3. classify each line (揽收 … 签收 / 拒收 / 退回), pull out place, signer and courier;
4. work out whether the paste ran newest-first, and sort into chronological order;
5. rank tracking-number candidates and the carrier (data in resources/tracking), then flag.

Lines that cannot be read become TEXT events: nothing the user pasted is dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.evidence.errors import InputError
from app.evidence.i18n import both
from app.evidence.models import CaptureTime, TimeSource
from app.evidence.tracking import flags as flagging
from app.evidence.tracking.carriers import carrier_table, rank_candidates
from app.evidence.tracking.classify import classify, describe
from app.evidence.tracking.model import (
    EventKind,
    SourceOrder,
    TrackingEvent,
    TrackingFlag,
    TrackingRecord,
)
from app.evidence.tracking.text import (
    MAX_INPUT_CHARS,
    CsvLayout,
    PrintedTime,
    decode_text,
    find_time,
    normalise_line,
    read_csv_row,
    sniff_csv_header,
    split_lines,
    split_run_on,
)

log = logging.getLogger(__name__)

_CLASSIFY_CHARS = 1000  # longer lines are junk or paragraphs; reading more only costs time
_SEPARATORS = " \t|,，;；:：-–—·•>*#"
_MIN_KEY = datetime.min
_CSV_HEADER_WITHIN = 5  # a title or a waybill line may stand above an export's header row


@dataclass(slots=True)
class _Line:
    no: int
    raw: str
    text: str  # normalised, without the printed time, trimmed of separators
    time: PrintedTime | None
    location: str | None = None  # from a CSV location column


def parse_tracking(
    text: str,
    *,
    reference_date: date | None = None,
    utc_offset_minutes: int = 480,
    order_city: str | None = None,
) -> TrackingRecord:
    """Parse courier tracking text (any carrier, either order) into a record.

    Args:
        text: the pasted text; use `parse_tracking_bytes` for file contents.
        reference_date: the day the text was copied, used to resolve 今天/昨天/前天 and
            year-less MM-DD times. Without it such lines keep `time=None` and a flag asks
            for the date.
        utc_offset_minutes: offset of printed times that carry none (China: +480).
        order_city: the order's delivery city (e.g. "杭州"), to check the signing place.

    Returns:
        The record; empty text gives a record with no events.

    Raises:
        InputError: the text is longer than the tracking-text limit.
    """
    if len(text) > MAX_INPUT_CHARS:
        raise InputError(
            both(
                "物流文本有 {size:,} 个字符，上限是 {limit:,}；请只粘贴物流记录。",
                "tracking text has {size:,} characters; the limit is {limit:,}. "
                "Paste only the tracking lines.",
                size=len(text),
                limit=MAX_INPUT_CHARS,
            )
        )
    raw_lines = split_run_on(split_lines(text))  # tracking pasted without its line breaks
    lines = _read_lines(raw_lines)
    resolver = _TimeResolver(reference_date, utc_offset_minutes)
    events = _build_events(lines, resolver)
    order, mixed = _source_order(events)
    events = _chronological(events, order)
    table = carrier_table()
    ranked = rank_candidates([(ln.no, ln.text, ln.time is None) for ln in lines], table)

    found: list[TrackingFlag] = flagging.dispute_flags(events, order_city=order_city)
    if resolver.unresolved:
        found.append(flagging.reference_date_needed(resolver.unresolved))
    if mixed:
        found.append(flagging.mixed_order(mixed))
    if ranked.number_flag_needed and ranked.candidates:
        top = ranked.candidates[0]
        found.append(flagging.number_needs_confirmation(top, ranked.tracking_number, ranked.basis))
    if lines and not any(e.kind is not EventKind.TEXT for e in events):
        found.append(flagging.no_events(tuple(ln.no for ln in lines[:20])))
    carrier = table.by_code.get(ranked.carrier_code or "")
    return TrackingRecord(
        carrier_code=carrier.info.code if carrier else None,
        carrier_name_zh=carrier.info.name_zh if carrier else None,
        carrier_name_en=carrier.info.name_en if carrier else None,
        carrier_basis=ranked.basis,
        station_brands=ranked.station_brands,
        tracking_number=ranked.tracking_number,
        candidates=ranked.candidates,
        events=tuple(events),
        flags=flagging.sort_flags(found),
        reference_date=reference_date,
        utc_offset_minutes=utc_offset_minutes,
        source_order=order,
        line_count=len(raw_lines) if text else 0,
    )


def parse_tracking_bytes(
    data: bytes,
    *,
    reference_date: date | None = None,
    utc_offset_minutes: int = 480,
    order_city: str | None = None,
) -> TrackingRecord:
    """Decode a tracking file's bytes (see `decode_text`) and parse them.

    Options are those of `parse_tracking`. Line numbers and `raw_line` refer to the
    decoded text (HTML already reduced to its lines, full-width forms folded).

    Raises:
        InputError: the data is too large, or binary (`UnsupportedFormat`).
    """
    return parse_tracking(
        decode_text(data),
        reference_date=reference_date,
        utc_offset_minutes=utc_offset_minutes,
        order_city=order_city,
    )


def _read_lines(raw_lines: list[str]) -> list[_Line]:
    """Normalise every non-blank line and find its printed time (or its CSV columns)."""
    lines: list[_Line] = []
    layout: CsvLayout | None = None
    for no, raw in enumerate(raw_lines, start=1):
        norm = normalise_line(raw).strip()
        if not norm:
            continue
        if layout is None and len(lines) < _CSV_HEADER_WITHIN:
            layout = sniff_csv_header(norm)
            if layout:
                lines.append(_Line(no, raw, norm, None))
                continue
        if layout and (row := _csv_line(no, raw, norm, layout)):
            lines.append(row)
            continue
        printed = find_time(norm)
        rest = norm
        if printed:
            rest = norm[: printed.start] + " " + norm[printed.end :]
        lines.append(_Line(no, raw, rest.strip(_SEPARATORS), printed))
    return lines


def _csv_line(no: int, raw: str, norm: str, layout: CsvLayout) -> _Line | None:
    cells = read_csv_row(norm, layout)
    if cells is None:
        return None
    time_field, description, location = cells
    printed = find_time(time_field)
    if printed is None or time_field[printed.end :].strip():
        return None
    # Offsets in a CSV row point into the time cell, not the line: keep only the values.
    return _Line(no, raw, description.strip(_SEPARATORS), printed, location)


class _TimeResolver:
    """Turns printed times into CaptureTimes, remembering lines that need a reference date."""

    def __init__(self, reference_date: date | None, offset_minutes: int) -> None:
        self.reference_date = reference_date
        self.offset_minutes = offset_minutes
        self.unresolved: list[int] = []
        self._assumed_note = f"time as printed; UTC offset assumed {_offset_text(offset_minutes)}"

    def resolve(self, printed: PrintedTime, line_no: int) -> tuple[CaptureTime | None, bool]:
        """Return (time, was_relative); time is None when no reference date can settle it."""
        relative = printed.year is None
        day = self._day(printed)
        if day is None:
            self.unresolved.append(line_no)
            return None, relative
        local = datetime(day.year, day.month, day.day, printed.hour, printed.minute, printed.second)
        if printed.offset_minutes is not None:
            offset, confidence, note = printed.offset_minutes, "high", "time and UTC offset printed"
        else:
            offset, confidence, note = self.offset_minutes, "medium", self._assumed_note
        if relative:
            confidence = "low"
            note = f"date worked out from '{printed.text}' and reference date {self.reference_date}"
        return CaptureTime(local, offset, TimeSource.TRACKING, confidence, note), relative

    def _day(self, printed: PrintedTime) -> date | None:
        if printed.year is not None and printed.month and printed.day:
            try:
                return date(printed.year, printed.month, printed.day)
            except ValueError:
                return None
        ref = self.reference_date
        if ref is None:
            return None
        if printed.relative_days is not None:
            return ref - timedelta(days=printed.relative_days)
        assert printed.month is not None and printed.day is not None
        # A year-less date is in the past of the day it was copied: 12-30 seen on 01-03
        # belongs to the previous year. Feb 29 walks back to the last leap year.
        for year in range(ref.year, ref.year - 8, -1):
            try:
                day = date(year, printed.month, printed.day)
            except ValueError:
                continue
            if day <= ref + timedelta(days=1):
                return day
        return None


def _offset_text(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _build_events(lines: list[_Line], resolver: _TimeResolver) -> list[TrackingEvent]:
    """Events in source order, with time-only lines merged into their description line."""
    partner = _pair_time_lines(lines)
    merged = set(partner.values())
    events: list[TrackingEvent] = []
    for index, line in enumerate(lines):
        if index in merged:
            continue
        time_line = lines[partner[index]] if index in partner else None
        printed = time_line.time if time_line else line.time
        events.append(_event(line, printed, time_line.no if time_line else None, resolver))
    return events


def _pair_time_lines(lines: list[_Line]) -> dict[int, int]:
    """Map description-line index -> time-only-line index for the better of two layouts.

    Some pages print the time on its own line before the text, others after it. Both
    layouts are tried; the one that pairs more recognisable descriptions wins.
    """
    time_only = [i for i, ln in enumerate(lines) if ln.time and not ln.text]
    if not time_only:
        return {}
    best: dict[int, int] = {}
    best_score = None
    for step in (1, -1):  # 1: time before its text, -1: time after it
        pairs: dict[int, int] = {}
        score = 0
        for i in time_only:
            j = i + step
            if 0 <= j < len(lines) and lines[j].time is None and j not in pairs:
                pairs[j] = i
                kind = classify(lines[j].text[:_CLASSIFY_CHARS])
                score += 2 if kind is not EventKind.OTHER else 1
            else:
                score -= 1
        if best_score is None or score > best_score:
            best, best_score = pairs, score
    return best


def _event(
    line: _Line, printed: PrintedTime | None, time_line_no: int | None, resolver: _TimeResolver
) -> TrackingEvent:
    if printed is None:
        return TrackingEvent(line.no, line.raw, EventKind.TEXT, description=line.text)
    time, relative = resolver.resolve(printed, time_line_no or line.no)
    head = line.text[:_CLASSIFY_CHARS]
    kind = classify(head) if head else EventKind.OTHER
    facts = describe(head, kind)
    return TrackingEvent(
        line_no=line.no,
        raw_line=line.raw,
        kind=kind,
        time=time,
        time_text=printed.text,
        time_was_relative=relative,
        time_line_no=time_line_no,
        description=line.text,
        location=line.location or facts.location,
        places=facts.places,
        signer=facts.signer,
        courier_name=facts.courier_name,
        courier_phone=facts.courier_phone,
    )


_KIND_RANK = {
    EventKind.PICKUP: 0,
    EventKind.TRANSIT: 1,
    EventKind.ARRIVED: 2,
    EventKind.OUT_FOR_DELIVERY: 3,
    EventKind.STATION_DROPOFF: 4,
    EventKind.SIGNED: 5,
}


def _source_order(events: list[TrackingEvent]) -> tuple[SourceOrder, tuple[int, ...]]:
    """Detect the paste's order from its times (or, failing that, its kinds).

    Returns the order and, when times run both ways, the lines where the minority
    direction occurs (for a flag).
    """
    up: list[int] = []
    down: list[int] = []
    previous: datetime | None = None
    for event in events:
        key = event.instant()
        if key is None:
            continue
        if previous is not None and key != previous:
            (up if key > previous else down).append(event.line_no)
        previous = key
    if not up and not down:
        ranks = [(_KIND_RANK[e.kind], e.line_no) for e in events if e.kind in _KIND_RANK]
        up = [n for (a, _), (b, n) in zip(ranks, ranks[1:], strict=False) if b > a]
        down = [n for (a, _), (b, n) in zip(ranks, ranks[1:], strict=False) if b < a]
        if not up and not down:
            return SourceOrder.UNKNOWN, ()
        return (SourceOrder.NEWEST_FIRST if len(down) > len(up) else SourceOrder.OLDEST_FIRST), ()
    order = SourceOrder.NEWEST_FIRST if len(down) > len(up) else SourceOrder.OLDEST_FIRST
    minority = up if order is SourceOrder.NEWEST_FIRST else down
    return order, tuple(minority)


def _chronological(events: list[TrackingEvent], order: SourceOrder) -> list[TrackingEvent]:
    """Oldest first. Untimed lines travel with the event they followed in the paste."""
    header: list[TrackingEvent] = []
    groups: list[list[TrackingEvent]] = []
    for event in events:
        if event.kind is EventKind.TEXT:
            (groups[-1] if groups else header).append(event)
        else:
            groups.append([event])
    if order is SourceOrder.NEWEST_FIRST:
        groups.reverse()
    keyed: list[tuple[datetime, int, list[TrackingEvent]]] = []
    carry = _MIN_KEY
    for index, group in enumerate(groups):
        carry = group[0].instant() or carry  # an unresolved time keeps its neighbour's place
        keyed.append((carry, index, group))
    keyed.sort(key=lambda item: (item[0], item[1]))
    return header + [event for _, _, group in keyed for event in group]
