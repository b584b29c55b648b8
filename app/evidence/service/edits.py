"""Edits of a case: each call is one transaction with an audit row and one undo step."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.evidence.disputes import case_dispute, resolve, set_dispute, set_summary, tick
from app.evidence.disputes.profiles import UnknownProfile
from app.evidence.disputes.summary import STATEMENT_LIMIT_BYTES
from app.evidence.i18n import tr
from app.evidence.ingest.corrections import correct_line
from app.evidence.models import ItemKind
from app.evidence.ocr import OcrCache
from app.evidence.privacy import (
    PrivacyError,
    Reason,
    Rect,
    Redaction,
    State,
    accept,
    accept_all,
    add_redaction,
    add_text_redaction,
    list_redactions,
    mask_value,
    reject,
    remove_redaction,
    set_reason,
    set_rect,
    suggest_redactions,
)
from app.evidence.store.case import Case
from app.evidence.timeline import (
    UndoStep,
    add_manual_event,
    build_timeline,
    clear_case_date,
    item_key,
    move_entry,
    redo,
    renumber_exhibits,
    reorder,
    set_case_date,
    set_entry_note,
    set_entry_time,
    undo,
)
from app.evidence.timeline import item_edits as item_state
from app.evidence.timeline.errors import DisputeError
from app.evidence.timeline.refs import find_item, item_ref
from app.evidence.timeline.times import case_zone
from app.evidence.timeline.typed_dates import TypedDateError, parse_typed_date

__all__ = [
    "item_ref",
    "mask_value",
    "add_text_redaction",
    "accept_all",
    "PrivacyError",
    "STATEMENT_LIMIT_BYTES",
    "DisputeError",
    "OcrCache",
    "Reason",
    "Rect",
    "Redaction",
    "State",
    "TypedDateError",
    "UndoStep",
    "UnknownProfile",
    "accept",
    "add_manual_event",
    "add_redaction",
    "build_timeline",
    "case_dispute",
    "clear_case_date",
    "correct_line",
    "find_item",
    "item_state",
    "item_key",
    "list_redactions",
    "move_entry",
    "parse_typed_date",
    "redo",
    "reject",
    "remove_redaction",
    "renumber_exhibits",
    "reorder",
    "resolve",
    "save_details",
    "set_case_date",
    "set_dispute",
    "set_entry_note",
    "set_entry_time",
    "set_kind",
    "set_reason",
    "set_rect",
    "set_summary",
    "suggest_redactions",
    "tick",
    "tick_check",
    "typed_when",
    "undo",
]


def save_details(
    case: Case, summary: dict[str, Any], dispute: str | None, dates: dict[str, Any]
) -> None:
    """Save the case details: summary fields, the dispute type (when it changed; a variant such as
    "not_as_described:color" counts) and the key dates (None clears one)."""
    set_summary(case, **summary)
    if dispute != (case.info().dispute or None):
        set_dispute(case, dispute)
    for name, value in dates.items():
        if value is None:
            clear_case_date(case, name)
        else:
            set_case_date(case, name, value)


def tick_check(case: Case, check_id: str, state: str | None) -> str | None:
    """Tick a checklist item of the case's dispute by hand ("done", "not_applicable") or take the
    tick back (None); one undoable edit. DisputeError when the case has no dispute type."""
    ref = case_dispute(case)
    if ref is None:
        raise DisputeError(tr("请先选择纠纷类型", "Choose the dispute type first"))
    tick(case, ref, check_id, state)
    return state


def set_kind(case: Case, item_id: int, kind: ItemKind) -> None:
    """Correct an item's kind."""
    case.set_kind(item_id, kind)


def typed_when(case: Case, text: str, *, with_time: bool = False) -> date | datetime | None:
    """A date or time the user typed, by the case's clock and zone (TypedDateError: one line)."""
    zone = case_zone(case.info().timezone)
    now = datetime.fromisoformat(case.now())
    return parse_typed_date(text, now=now, zone=zone, with_time=with_time)
