"""The case timeline: items and events in time order, phases, exhibits, findings, undo.

Public API (everything takes an open `Case`; every edit is one transaction with an audit row
and one undo step):

    build_timeline(case, options) -> Timeline
    timeline_findings(timeline, options) -> tuple[TimelineFinding, ...]
    add_event / add_manual_event / set_event_text / delete_event
    record_tracking / sync_tracking_items
    set_entry_time / clear_entry_time / set_entry_phase / set_entry_hidden / set_entry_note
    reorder / move_entry / assign_exhibit_numbers / renumber_exhibits / rename_phase
    set_case_date / clear_case_date / case_dates
    undo / redo / history
"""

from app.evidence.store.undo import UndoStep, history, redo, undo
from app.evidence.timeline.build import TimelineOptions, build_timeline
from app.evidence.timeline.dates import (
    DATE_NAMES,
    CaseDate,
    case_dates,
    clear_case_date,
    set_case_date,
)
from app.evidence.timeline.edits import (
    assign_exhibit_numbers,
    clear_entry_time,
    move_entry,
    renumber_exhibits,
    reorder,
    set_entry_hidden,
    set_entry_note,
    set_entry_phase,
    set_entry_time,
)
from app.evidence.timeline.errors import EntryNotFound, TimelineError, UndoConflict
from app.evidence.timeline.events import (
    Event,
    NewEvent,
    add_event,
    add_manual_event,
    delete_event,
    events,
    set_event_text,
)
from app.evidence.timeline.findings import FindingOptions, timeline_findings
from app.evidence.timeline.model import (
    PHASE_LABELS,
    EntryTime,
    Phase,
    PhaseGroup,
    Timeline,
    TimelineEntry,
    TimelineFinding,
    date_key,
    event_key,
    item_key,
)
from app.evidence.timeline.phases import rename_phase
from app.evidence.timeline.tracking_events import record_tracking, sync_tracking_items

__all__ = [
    "DATE_NAMES",
    "PHASE_LABELS",
    "CaseDate",
    "EntryNotFound",
    "EntryTime",
    "Event",
    "FindingOptions",
    "NewEvent",
    "Phase",
    "PhaseGroup",
    "Timeline",
    "TimelineEntry",
    "TimelineError",
    "TimelineFinding",
    "TimelineOptions",
    "UndoConflict",
    "UndoStep",
    "add_event",
    "add_manual_event",
    "assign_exhibit_numbers",
    "build_timeline",
    "case_dates",
    "clear_case_date",
    "clear_entry_time",
    "date_key",
    "delete_event",
    "event_key",
    "events",
    "history",
    "item_key",
    "move_entry",
    "record_tracking",
    "redo",
    "rename_phase",
    "renumber_exhibits",
    "reorder",
    "set_case_date",
    "set_entry_hidden",
    "set_entry_note",
    "set_entry_phase",
    "set_entry_time",
    "set_event_text",
    "sync_tracking_items",
    "timeline_findings",
    "undo",
]
