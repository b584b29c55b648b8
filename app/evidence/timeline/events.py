"""Events: tracking lines, chat messages read by OCR, and manual events the user adds.

Tracking records are turned into events by `tracking_events`; OCR readers call `add_event`.

An event may point at the item it was read from (a tracking record, a chat screenshot).
Events are never removed by an edit: `delete_event` marks them deleted, so undo and the
audit log keep the full story.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.evidence.models import CaptureTime, TimeSource
from app.evidence.store.case import Case
from app.evidence.store.undo import edit, has_timeline_tables
from app.evidence.timeline.errors import EntryNotFound, TimelineError
from app.evidence.timeline.times import case_zone, read_stored, to_recorded, usable_time

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
    time_out_of_range: bool = False
    """True when a time was stored but cannot be real (0001-01-01 ...): `time` is then None."""


def events(case: Case, *, include_deleted: bool = False) -> list[Event]:
    """Every event in creation order (deleted ones only when asked)."""
    return load_events(case.connection, include_deleted=include_deleted)


def load_events(conn: sqlite3.Connection, *, include_deleted: bool = False) -> list[Event]:
    """Events from a connection (empty for a case still on schema 2)."""
    if not has_timeline_tables(conn):
        return []
    sql = (
        "SELECT e.id, e.kind, e.source, e.text, e.time_local, e.time_offset_min,"
        " e.time_confidence, e.item_id, e.raw_line, e.line_no, e.payload_json, e.created_at,"
        " e.deleted_at, COALESCE(n.text, '')"
        " FROM events e LEFT JOIN event_notes n ON n.event_id = e.id"
        + ("" if include_deleted else " WHERE e.deleted_at IS NULL")
        + " ORDER BY e.id"
    )
    out = []
    for r in conn.execute(sql):
        time = None
        local = read_stored(r[4])
        if local is not None:
            source = (
                TimeSource(r[2]) if r[2] in TimeSource._value2member_map_ else TimeSource.MANUAL
            )
            time = CaptureTime(local, r[5], source, r[6] or "medium")
            if not usable_time(time):
                time = None
        out_of_range = bool(r[4]) and time is None
        out.append(
            Event(
                r[0],
                r[1],
                r[2],
                r[3],
                time,
                r[7],
                r[8],
                r[9],
                json.loads(r[10]),
                r[11],
                r[12] is not None,
                r[13],
                out_of_range,
            )
        )
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
    with edit(
        case,
        "event.add",
        "添加事件",
        {"kind": new.kind, "source": new.source, "text": new.text},
        new.item_id,
    ) as (
        conn,
        rec,
    ):
        event_id = insert_event(conn, case.now(), new)
        rec.created("events", event_id)
    return event_id


def add_manual_event(
    case: Case,
    text: str,
    when: datetime | None = None,
    *,
    kind: str = "manual",
    item_id: int | None = None,
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
    return add_event(
        case, NewEvent(kind=kind, source="manual", text=text.strip(), time=time, item_id=item_id)
    )


def set_event_text(case: Case, event_id: int, text: str) -> None:
    """Change the text of a manual event (tracking and OCR lines keep what was read)."""
    ev = event(case, event_id)
    if ev.source != "manual":
        raise TimelineError("only manual events can be reworded; add a note to the others")
    if not text.strip():
        raise TimelineError("a manual event needs a short description")
    with edit(case, "event.text", "修改事件", {"event": event_id, "text": text.strip()}) as (
        conn,
        rec,
    ):
        rec.touch("events", event_id)
        conn.execute("UPDATE events SET text = ? WHERE id = ?", (text.strip(), event_id))


def delete_event(case: Case, event_id: int) -> None:
    """Take an event off the timeline (kept in the database, restored by undo)."""
    event(case, event_id)
    with edit(case, "event.delete", "删除事件", {"event": event_id}) as (conn, rec):
        rec.touch("events", event_id)
        conn.execute(
            "UPDATE events SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
            (case.now(), event_id),
        )


def _check(new: NewEvent) -> None:
    if new.source not in EVENT_SOURCES:
        raise TimelineError(f"event source must be one of {EVENT_SOURCES}, not {new.source!r}")
    if not _KIND.match(new.kind):
        raise TimelineError(f"event kind must be a short ascii name, not {new.kind!r}")


def insert_event(conn: sqlite3.Connection, at: str, new: NewEvent) -> int:
    """INSERT one event row inside an open edit; returns its id."""
    t = new.time
    cur = conn.execute(
        "INSERT INTO events (item_id, kind, source, time_local, time_offset_min,"
        " time_confidence, text, raw_line, line_no, payload_json, created_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            new.item_id,
            new.kind,
            new.source,
            t.local.isoformat() if t else None,
            t.offset_minutes if t else None,
            t.confidence if t else None,
            new.text,
            new.raw_line,
            new.line_no,
            json.dumps(dict(new.payload), ensure_ascii=False),
            at,
        ),
    )
    return int(cur.lastrowid or 0)
