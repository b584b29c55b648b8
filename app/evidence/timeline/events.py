"""Events: tracking lines, chat messages read by OCR, and manual events the user adds.

An event may point at the item it was read from (a tracking record, a chat screenshot).
Events are never removed by an edit: `delete_event` marks them deleted, so undo and the
audit log keep the full story.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.evidence.models import CaptureTime, Item, ItemKind, TimeSource
from app.evidence.store.case import Case
from app.evidence.timeline.errors import EntryNotFound, TimelineError
from app.evidence.timeline.times import case_zone, to_recorded
from app.evidence.timeline.undo import edit, has_timeline_tables
from app.evidence.tracking.model import TrackingRecord

log = logging.getLogger(__name__)

EVENT_SOURCES = ("tracking", "ocr", "manual")
_KIND = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class NewEvent:
    """What a reader or the user hands over to record one event.

    Attributes:
        kind: tracking EventKind value, "chat_message", "call", "manual", ... (ascii slug).
        source: "tracking", "ocr" or "manual".
        time: None when the event has no time (it goes to the undated lane).
        item_id: the item it was read from, if any.
        payload: extra JSON-ready facts (signer, location, sender ...).
    """

    kind: str
    source: str
    text: str
    time: CaptureTime | None = None
    item_id: int | None = None
    raw_line: str | None = None
    line_no: int | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    """One stored event."""

    id: int
    kind: str
    source: str
    text: str
    time: CaptureTime | None
    item_id: int | None
    raw_line: str | None
    line_no: int | None
    payload: Mapping[str, Any]
    created_at: str
    deleted: bool
    note: str


def events(case: Case, *, include_deleted: bool = False) -> list[Event]:
    """Every event in creation order (deleted ones only when asked)."""
    return load_events(case.connection, include_deleted=include_deleted)


def load_events(conn: sqlite3.Connection, *, include_deleted: bool = False) -> list[Event]:
    """Events from a connection (empty for a case still on schema 2)."""
    if not has_timeline_tables(conn):
        return []
    sql = (
        "SELECT e.id, e.kind, e.source, e.text, e.time_local, e.time_offset_min, e.time_confidence, e.item_id,"
        " e.raw_line, e.line_no, e.payload_json, e.created_at, e.deleted_at, COALESCE(n.text, '')"
        " FROM events e LEFT JOIN event_notes n ON n.event_id = e.id"
        + ("" if include_deleted else " WHERE e.deleted_at IS NULL")
        + " ORDER BY e.id"
    )
    out = []
    for r in conn.execute(sql):
        time = None
        if r[4]:
            source = TimeSource(r[2]) if r[2] in TimeSource._value2member_map_ else TimeSource.MANUAL
            time = CaptureTime(datetime.fromisoformat(r[4]), r[5], source, r[6] or "medium")
        out.append(Event(r[0], r[1], r[2], r[3], time, r[7], r[8], r[9], json.loads(r[10]), r[11], r[12] is not None, r[13]))
    return out


def event(case: Case, event_id: int) -> Event:
    """One event by id (deleted ones included)."""
    for ev in events(case, include_deleted=True):
        if ev.id == event_id:
            return ev
    raise EntryNotFound(f"no event {event_id} in this case")


def add_event(case: Case, new: NewEvent) -> int:
    """Record one event; returns its id.

    Raises:
        TimelineError: unknown source or a kind that is not an ascii slug.
    """
    _check(new)
    with edit(case, "event.add", "添加事件", {"kind": new.kind, "source": new.source, "text": new.text}, new.item_id) as (
        conn,
        rec,
    ):
        event_id = _insert(conn, case.now(), new)
        rec.created("events", event_id)
    return event_id


def add_manual_event(
    case: Case, text: str, when: datetime | None = None, *, kind: str = "manual", item_id: int | None = None
) -> int:
    """Add an event the user describes ("I called the courier"); returns its id.

    Args:
        when: naive = the case's local time; aware keeps its offset; None = undated lane.
        kind: "call", "visit", "message", "refusal", "manual", ... (decides the phase).
    """
    if not text.strip():
        raise TimelineError("a manual event needs a short description")
    time = None
    if when is not None:
        local, offset = to_recorded(when, case_zone(case.info().timezone))
        time = CaptureTime(local, offset, TimeSource.MANUAL, "medium", "entered by hand")
    return add_event(case, NewEvent(kind=kind, source="manual", text=text.strip(), time=time, item_id=item_id))


def set_event_text(case: Case, event_id: int, text: str) -> None:
    """Change the text of a manual event (tracking and OCR lines keep what was read)."""
    ev = event(case, event_id)
    if ev.source != "manual":
        raise TimelineError("only manual events can be reworded; add a note to the others")
    if not text.strip():
        raise TimelineError("a manual event needs a short description")
    with edit(case, "event.text", "修改事件", {"event": event_id, "text": text.strip()}) as (conn, rec):
        rec.touch("events", event_id)
        conn.execute("UPDATE events SET text = ? WHERE id = ?", (text.strip(), event_id))


def delete_event(case: Case, event_id: int) -> None:
    """Take an event off the timeline (kept in the database, restored by undo)."""
    event(case, event_id)
    with edit(case, "event.delete", "删除事件", {"event": event_id}) as (conn, rec):
        rec.touch("events", event_id)
        conn.execute("UPDATE events SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", (case.now(), event_id))


def record_tracking(case: Case, item_id: int, record: TrackingRecord) -> int:
    """Store (or refresh) the events of a parsed tracking record read from one item.

    Lines are matched by line number, so a re-parse updates events in place and their ids,
    notes and timeline state survive; lines that vanished are marked deleted. Returns the
    number of events now recorded for the item.
    """
    case.item(item_id)
    detail = {"item": item_id, "events": len(record.events), "tracking_number": record.tracking_number}
    with edit(case, "tracking.events", "导入物流记录", detail, item_id) as (conn, rec):
        existing = {
            r[1]: r[0]
            for r in conn.execute("SELECT id, line_no FROM events WHERE item_id = ? AND source = 'tracking'", (item_id,))
        }
        seen: set[int] = set()
        for tev in record.events:
            new = NewEvent(
                kind=tev.kind.value, source="tracking", text=tev.description or tev.raw_line, time=tev.time,
                item_id=item_id, raw_line=tev.raw_line, line_no=tev.line_no, payload=_tracking_payload(record, tev),
            )
            if tev.line_no in existing:
                event_id = existing[tev.line_no]
                rec.touch("events", event_id)
                t = new.time
                conn.execute(
                    "UPDATE events SET kind = ?, text = ?, time_local = ?, time_offset_min = ?, time_confidence = ?,"
                    " raw_line = ?, payload_json = ? WHERE id = ?",
                    (new.kind, new.text, t.local.isoformat() if t else None, t.offset_minutes if t else None,
                     t.confidence if t else None, new.raw_line, json.dumps(new.payload, ensure_ascii=False), event_id),
                )
            else:
                event_id = _insert(conn, case.now(), new)
                rec.created("events", event_id)
            seen.add(tev.line_no)
        for line_no, event_id in existing.items():
            if line_no not in seen:
                rec.touch("events", event_id)
                conn.execute("UPDATE events SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", (case.now(), event_id))
    return sum(1 for e in events(case) if e.item_id == item_id)


def sync_tracking_items(case: Case, parse: Callable[[Item, bytes], TrackingRecord]) -> dict[int, int]:
    """Parse every tracking item that has no events yet, with the parser passed in.

    Args:
        parse: turns an item and its original bytes into a TrackingRecord (the tracking
            package's parser, with the reference date the caller chooses).

    Returns:
        item id -> number of events recorded, for the items parsed now.
    """
    done = {e.item_id for e in events(case, include_deleted=True) if e.source == "tracking"}
    out: dict[int, int] = {}
    for item in case.items():
        if item.kind is ItemKind.TRACKING and item.id not in done:
            record = parse(item, case.path_of(item).read_bytes())
            out[item.id] = record_tracking(case, item.id, record)
    return out


def _tracking_payload(record: TrackingRecord, tev: Any) -> dict[str, Any]:
    payload = {
        "location": tev.location, "places": list(tev.places), "signer": tev.signer.value if tev.signer else None,
        "courier_name": tev.courier_name, "courier_phone": tev.courier_phone, "time_text": tev.time_text,
        "time_was_relative": tev.time_was_relative, "time_line_no": tev.time_line_no,
        "carrier_code": record.carrier_code, "tracking_number": record.tracking_number,
    }
    return {k: v for k, v in payload.items() if v not in (None, [], False)}


def _check(new: NewEvent) -> None:
    if new.source not in EVENT_SOURCES:
        raise TimelineError(f"event source must be one of {EVENT_SOURCES}, not {new.source!r}")
    if not _KIND.match(new.kind):
        raise TimelineError(f"event kind must be a short ascii name, not {new.kind!r}")


def _insert(conn: sqlite3.Connection, at: str, new: NewEvent) -> int:
    t = new.time
    cur = conn.execute(
        "INSERT INTO events (item_id, kind, source, time_local, time_offset_min, time_confidence, text, raw_line,"
        " line_no, payload_json, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (new.item_id, new.kind, new.source, t.local.isoformat() if t else None, t.offset_minutes if t else None,
         t.confidence if t else None, new.text, new.raw_line, new.line_no,
         json.dumps(dict(new.payload), ensure_ascii=False), at),
    )
    return int(cur.lastrowid or 0)
