"""Courier tracking records on the timeline: one event per line, refreshed in place.

The tracking package parses the text (`app.evidence.tracking.parser`); this module stores
the record's lines as events of the item they were read from, so each line can carry a note,
a phase, a hand-set time and its place on the timeline, and re-parsing keeps all of that.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.evidence.errors import InputError
from app.evidence.models import Item, ItemKind
from app.evidence.store.case import Case
from app.evidence.store.undo import edit
from app.evidence.timeline.events import NewEvent, events, insert_event
from app.evidence.timeline.times import case_zone
from app.evidence.tracking.model import TrackingEvent, TrackingRecord
from app.evidence.tracking.parser import parse_tracking_bytes

log = logging.getLogger(__name__)

MAX_EVENTS_PER_ITEM = 300
"""A courier record has tens of lines. Text with thousands more (a log or a chat export read as
tracking) keeps its first lines on the timeline; each stored line costs an undo snapshot, and
80,000 of them took 12 s and 0.5 GB. The original keeps every line."""


def record_tracking(case: Case, item_id: int, record: TrackingRecord) -> int:
    """Store (or refresh) the events of a parsed tracking record read from one item.

    Lines are matched by line number, so a re-parse updates events in place and their ids,
    notes and timeline state survive; lines that vanished are marked deleted. Returns the
    number of events now recorded for the item.
    """
    case.item(item_id)
    kept = record.events[:MAX_EVENTS_PER_ITEM]
    if len(kept) < len(record.events):
        log.warning(
            "item %d: only the first %d of %d tracking lines are put on the timeline",
            item_id,
            len(kept),
            len(record.events),
        )
    detail = {
        "item": item_id,
        "events": len(kept),
        "tracking_number": record.tracking_number,
    }
    with edit(case, "tracking.events", "导入物流记录", detail, item_id) as (conn, rec):
        existing = {
            r[1]: r[0]
            for r in conn.execute(
                "SELECT id, line_no FROM events WHERE item_id = ? AND source = 'tracking'",
                (item_id,),
            )
        }
        seen: set[int] = set()
        for tev in kept:
            new = NewEvent(
                kind=tev.kind.value,
                source="tracking",
                text=tev.description or tev.raw_line,
                time=tev.time,
                item_id=item_id,
                raw_line=tev.raw_line,
                line_no=tev.line_no,
                payload=_tracking_payload(record, tev),
            )
            if tev.line_no in existing:
                event_id = existing[tev.line_no]
                rec.touch("events", event_id)
                t = new.time
                conn.execute(
                    "UPDATE events SET kind = ?, text = ?, time_local = ?, time_offset_min = ?,"
                    " time_confidence = ?, raw_line = ?, payload_json = ? WHERE id = ?",
                    (
                        new.kind,
                        new.text,
                        t.local.isoformat() if t else None,
                        t.offset_minutes if t else None,
                        t.confidence if t else None,
                        new.raw_line,
                        json.dumps(new.payload, ensure_ascii=False),
                        event_id,
                    ),
                )
            else:
                event_id = insert_event(conn, case.now(), new)
                rec.created("events", event_id)
            seen.add(tev.line_no)
        for line_no, event_id in existing.items():
            if line_no not in seen:
                rec.touch("events", event_id)
                conn.execute(
                    "UPDATE events SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                    (case.now(), event_id),
                )
    return sum(1 for e in events(case) if e.item_id == item_id)


def sync_tracking_items(
    case: Case, parse: Callable[[Item, bytes], TrackingRecord] | None = None
) -> dict[int, int]:
    """Parse every tracking item that has no events yet and record its lines.

    Args:
        parse: turns an item and its original bytes into a TrackingRecord; by default the
            tracking parser, with 今天/昨天 and year-less dates resolved against the day the
            text was imported (in the case's zone), which is when it was copied.

    Returns:
        item id -> number of events recorded, for the items parsed now. An item the parser
        rejects (binary, too large) is logged and skipped.
    """
    parse = parse or _default_parser(case)
    done = {e.item_id for e in events(case, include_deleted=True) if e.source == "tracking"}
    out: dict[int, int] = {}
    for item in case.items():
        if item.kind is ItemKind.TRACKING and item.id not in done:
            try:
                record = parse(item, case.path_of(item).read_bytes())
            except (InputError, OSError) as exc:
                log.warning("tracking item %d could not be parsed: %s", item.id, exc)
                continue
            out[item.id] = record_tracking(case, item.id, record)
    return out


def _default_parser(case: Case) -> Callable[[Item, bytes], TrackingRecord]:
    zone = case_zone(case.info().timezone)

    def parse(item: Item, data: bytes) -> TrackingRecord:
        imported = datetime.fromisoformat(item.imported_at).astimezone(zone).date()
        return parse_tracking_bytes(data, reference_date=imported)

    return parse


def _tracking_payload(record: TrackingRecord, tev: TrackingEvent) -> dict[str, Any]:
    payload = {
        "location": tev.location,
        "places": list(tev.places),
        "signer": tev.signer.value if tev.signer else None,
        "courier_name": tev.courier_name,
        "courier_phone": tev.courier_phone,
        "time_text": tev.time_text,
        "time_was_relative": tev.time_was_relative,
        "time_line_no": tev.time_line_no,
        "carrier_code": record.carrier_code,
        "tracking_number": record.tracking_number,
    }
    return {k: v for k, v in payload.items() if v not in (None, [], False)}
