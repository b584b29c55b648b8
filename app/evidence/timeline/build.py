"""Build the ordered timeline of a case from its items, events, entered dates and edits.

Order: by UTC instant; entries in the same minute follow the user's manual order when one was
set (`reorder`), else the instant, then dates before events before items, then id, so equal
times always come out the same way. The undated lane keeps the manual order, then ids.

Exhibit numbers: items keep the number the user fixed (`assign_exhibit_numbers`,
`renumber_exhibits`); an item without one is shown with a provisional number continuing after
the highest fixed one, in timeline order, flagged ``exhibit_provisional``. Nothing renumbers
an exhibit except `renumber_exhibits`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import tzinfo
from typing import Any

from app.evidence.models import CaptureTime, Item, ItemKind, TimeSource
from app.evidence.store.case import Case
from app.evidence.store.item_state import item_states
from app.evidence.store.undo import has_timeline_tables
from app.evidence.timeline.dates import DATE_NAMES, manual_dates, unusable_dates
from app.evidence.timeline.events import Event, load_events
from app.evidence.timeline.model import (
    EntryTime,
    Phase,
    Timeline,
    TimelineEntry,
    date_key,
    event_key,
    item_key,
)
from app.evidence.timeline.phases import DATE_PHASES, event_phase, item_phase, phase_labels
from app.evidence.timeline.times import (
    OUT_OF_RANGE_REASON,
    case_zone,
    is_trusted,
    place,
    read_stored,
    usable_time,
)

_TYPE_RANK = {"date": 0, "event": 1, "item": 2}


@dataclass(frozen=True)
class TimelineOptions:
    """How to build a timeline.

    Attributes:
        timezone: show times in this IANA zone instead of the case's.
        media_phase: the dispute profile's phase for photos and videos (None: by role).
    """

    timezone: str | None = None
    media_phase: Phase | None = None


@dataclass(frozen=True)
class _State:
    phase: Phase | None = None
    manual: CaptureTime | None = None
    reason: str | None = None
    sort_key: int | None = None
    exhibit_no: int | None = None
    hidden: bool = False


def build_timeline(case: Case, options: TimelineOptions | None = None) -> Timeline:
    """The case's timeline: dated entries in order, the undated lane, hidden entries."""
    options = options or TimelineOptions()
    info = case.info()
    zone_name = options.timezone or info.timezone
    zone = case_zone(zone_name)
    conn = case.connection
    states = load_states(conn)
    evs = load_events(conn)
    by_item: dict[int, list[Event]] = {}
    for ev in evs:
        if ev.item_id is not None:
            by_item.setdefault(ev.item_id, []).append(ev)

    raw: list[TimelineEntry] = []
    taken_back = item_states(conn)  # removed items leave the timeline; excluded ones are marked
    for item in case.items():
        if taken_back.get(item.id) == "removed":
            continue
        entry = _item_entry(
            item, by_item.get(item.id, []), states, zone, info.role, options.media_phase
        )
        if taken_back.get(item.id) == "excluded":
            entry = replace(entry, flags=(*entry.flags, "excluded"))
        raw.append(entry)
    for ev in evs:
        if ev.item_id is not None and taken_back.get(ev.item_id) == "removed":
            continue
        if ev.source == "tracking" and ev.kind == "text":
            continue  # header and continuation lines stay in the record, not on the timeline
        raw.append(_event_entry(ev, states, zone))
    for cd in manual_dates(conn).values():
        state = states.get(cd.entry or "", _State())
        time = CaptureTime(
            cd.local,
            cd.offset_minutes,
            TimeSource.MANUAL,
            "medium" if cd.has_time else "low",
            cd.note,
        )
        entry = TimelineEntry(
            key=date_key(cd.name),
            title=DATE_NAMES[cd.name][0],
            source="manual",
            phase=state.phase or DATE_PHASES[cd.name],
            phase_is_manual=state.phase is not None,
            time=_entry_time(time, None, None, zone, date_only=not cd.has_time),
            note=cd.note,
            hidden=state.hidden,
            sort_key=state.sort_key,
        )
        raw.append(_with_flags(entry))
    for name in unusable_dates(conn):
        state = states.get(date_key(name), _State())
        raw.append(
            TimelineEntry(
                key=date_key(name),
                title=DATE_NAMES[name][0],
                source="manual",
                phase=state.phase or DATE_PHASES[name],
                phase_is_manual=state.phase is not None,
                undated_reason=OUT_OF_RANGE_REASON,
                hidden=state.hidden,
                sort_key=state.sort_key,
                flags=("time_out_of_range",),
            )
        )

    hidden = tuple(e for e in raw if e.hidden)
    dated = sorted((e for e in raw if not e.hidden and e.time), key=_dated_key)
    undated = sorted((e for e in raw if not e.hidden and e.time is None), key=_undated_key)
    dated, undated = _provisional_numbers(dated, undated, raw)
    return Timeline(zone_name, tuple(dated), tuple(undated), hidden, phase_labels(conn))


def load_states(conn: sqlite3.Connection) -> dict[str, _State]:
    """Per-entry edits (phase, manual time, order, exhibit number, hidden)."""
    if not has_timeline_tables(conn):
        return {}
    out = {}
    for entry, phase, m_local, m_off, reason, sort_key, exhibit, hidden in conn.execute(
        "SELECT entry, phase, manual_local, manual_offset_min, manual_reason, sort_key,"
        " exhibit_no, hidden FROM timeline_entries"
    ):
        manual = None
        local = read_stored(m_local)
        if local is not None:
            manual = CaptureTime(local, m_off, TimeSource.MANUAL, "medium", reason or "")
            if not usable_time(manual):
                manual = None
        valid_phase = Phase(phase) if phase in Phase._value2member_map_ else None
        out[entry] = _State(valid_phase, manual, reason, sort_key, exhibit, bool(hidden))
    return out


def _item_entry(
    item: Item,
    evs: list[Event],
    states: Mapping[str, _State],
    zone: tzinfo,
    role: str,
    media_phase: Phase | None,
) -> TimelineEntry:
    key = item_key(item.id)
    state = states.get(key, _State())
    recorded = item.capture_time
    flags: list[str] = []
    out_of_range = recorded is not None and not usable_time(recorded)
    if out_of_range:
        recorded = None  # 0001-01-01 and the like: "no time" for this item, the rest works
        flags.append("time_out_of_range")
    own = recorded if is_trusted(recorded) else None
    hint = recorded if recorded is not None and own is None else None
    reason = ""
    latest: Event | None = None
    if own is None:
        # An item cannot be older than what it shows: a tracking record or chat screenshot
        # without a time of its own sits at its latest line.
        timed = [e for e in evs if e.time is not None]
        if timed:
            latest = max(timed, key=lambda e: place(e.time.local, e.time.offset_minutes, zone)[0])  # type: ignore[union-attr]
            own = latest.time
            flags.append("time_from_content")
        elif out_of_range:
            reason = OUT_OF_RANGE_REASON
        elif hint is not None:
            reason = (
                "只有文件修改时间：复制、下载和聊天软件都会改变它，不能当作拍摄时间；"
                "可手动设置时间并注明理由"
            )
        elif item.kind.value == "tracking":
            reason = "物流记录还没有解析出带时间的行"
        else:
            reason = "文件中没有可信的拍摄时间"
    phase = state.phase or item_phase(item.kind, item.original_name, role, media_phase)
    if state.phase is None and latest is not None and item.kind is ItemKind.TRACKING:
        # a tracking record sits at its latest line, so it belongs to that line's phase (a
        # record ending in 签收 is read under 签收, not as a second 物流 after it)
        phase = event_phase(latest.kind, latest.source)
    entry = TimelineEntry(
        key=key,
        title=item.original_name,
        source=(own.source.value if own else "none"),
        phase=phase,
        phase_is_manual=state.phase is not None,
        item_id=item.id,
        item_kind=item.kind,
        time=_entry_time(state.manual, own, state.reason, zone) if (state.manual or own) else None,
        undated_reason="" if (state.manual or own) else reason,
        hint_time=hint,
        exhibit_no=state.exhibit_no,
        note=item.note,
        hidden=state.hidden,
        sort_key=state.sort_key,
        flags=tuple(flags),
    )
    return _with_flags(entry)


def _event_entry(ev: Event, states: Mapping[str, _State], zone: tzinfo) -> TimelineEntry:
    key = event_key(ev.id)
    state = states.get(key, _State())
    has_time = state.manual is not None or ev.time is not None
    flags = ("time_out_of_range",) if ev.time_out_of_range else ()
    entry = TimelineEntry(
        key=key,
        title=ev.text or (ev.raw_line or ""),
        source=ev.source,
        phase=state.phase or event_phase(ev.kind, ev.source),
        phase_is_manual=state.phase is not None,
        item_id=ev.item_id,
        event_id=ev.id,
        event_kind=ev.kind,
        time=_entry_time(state.manual, ev.time, state.reason, zone) if has_time else None,
        undated_reason=(
            "" if has_time else OUT_OF_RANGE_REASON if ev.time_out_of_range else "这条记录没有时间"
        ),
        note=ev.note,
        hidden=state.hidden,
        sort_key=state.sort_key,
        raw_line=ev.raw_line,
        line_no=ev.line_no,
        payload=dict(ev.payload),
        flags=flags,
    )
    return _with_flags(entry)


def _entry_time(
    manual: CaptureTime | None,
    own: CaptureTime | None,
    reason: str | None,
    zone: tzinfo,
    date_only: bool = False,
) -> EntryTime:
    recorded = manual or own
    assert recorded is not None
    utc, assumed = place(recorded.local, recorded.offset_minutes, zone)
    return EntryTime(
        recorded=recorded,
        utc=utc,
        local=utc.astimezone(zone),
        offset_assumed=assumed,
        date_only=date_only,
        original=own if manual else None,
        manual_reason=reason if manual else None,
    )


def _with_flags(entry: TimelineEntry) -> TimelineEntry:
    flags = list(entry.flags)
    t = entry.time
    if t is not None:
        if t.manual_reason is not None:
            flags.append("manual_time")
        if t.offset_assumed:
            flags.append("offset_assumed")
        if t.recorded.confidence == "low":
            flags.append("low_confidence")
        if t.date_only:
            flags.append("date_only")
    return replace(entry, flags=tuple(dict.fromkeys(flags)))


def _parts(entry: TimelineEntry) -> tuple[int, int]:
    kind, _, ident = entry.key.partition(":")
    return _TYPE_RANK[kind], int(ident) if ident.isdigit() else 0


def _dated_key(entry: TimelineEntry) -> tuple[Any, ...]:
    assert entry.time is not None
    manual = entry.sort_key is not None
    return (
        entry.time.minute,
        0 if manual else 1,
        entry.sort_key or 0,
        entry.time.utc,
        *_parts(entry),
        entry.key,
    )


def _undated_key(entry: TimelineEntry) -> tuple[Any, ...]:
    manual = entry.sort_key is not None
    return (0 if manual else 1, entry.sort_key or 0, *_parts(entry), entry.key)


def _provisional_numbers(
    dated: list[TimelineEntry], undated: list[TimelineEntry], everything: list[TimelineEntry]
) -> tuple[list[TimelineEntry], list[TimelineEntry]]:
    next_no = max((e.exhibit_no or 0 for e in everything), default=0) + 1

    def number(entries: list[TimelineEntry]) -> list[TimelineEntry]:
        nonlocal next_no
        out = []
        for e in entries:
            if e.is_item and e.exhibit_no is None:
                e = replace(
                    e,
                    exhibit_no=next_no,
                    exhibit_provisional=True,
                    flags=(*e.flags, "exhibit_provisional"),
                )
                next_no += 1
            out.append(e)
        return out

    return number(dated), number(undated)
