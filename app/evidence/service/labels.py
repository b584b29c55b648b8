"""Pure formatting for front ends: dates, money, clocks, zone names, names of dates, claims,
submission kinds and checklist states (check_state: the exported checklist's words,
check_state_label: the window's), and the names of kinds, verdicts, severities and progress
stages (app/evidence/labels.py, the one table of each).

Nothing here touches a case; every function returns text in the current language.
"""

from __future__ import annotations

from app.evidence.disputes.checklist import check_state_label
from app.evidence.disputes.rounds import SUBMISSION_KINDS
from app.evidence.disputes.states import OPTIONAL, check_state
from app.evidence.disputes.summary import CLAIMS
from app.evidence.labels import (
    kind_text,
    severity_label,
    severity_mark,
    severity_text,
    stage_text,
    time_source_text,
    verdict_badge,
    verdict_short_text,
    verdict_text,
)
from app.evidence.locale_format import (
    format_date,
    format_datetime,
    format_day_and_time,
    format_money,
    format_offset,
    format_when,
)
from app.evidence.privacy import REASON_LABELS
from app.evidence.timeline import DATE_NAMES
from app.evidence.timeline.clock import clock_text, zone_label, zone_name_of

__all__ = [
    "CLAIMS",
    "DATE_NAMES",
    "OPTIONAL",
    "REASON_LABELS",
    "SUBMISSION_KINDS",
    "check_state",
    "check_state_label",
    "clock_text",
    "format_date",
    "format_datetime",
    "format_day_and_time",
    "format_money",
    "format_offset",
    "format_when",
    "kind_text",
    "severity_label",
    "severity_mark",
    "severity_text",
    "stage_text",
    "time_note_text",
    "time_source_text",
    "verdict_badge",
    "verdict_short_text",
    "verdict_text",
    "zone_label",
    "zone_name_of",
]


def time_note_text(note: str | None, language: str | None = None) -> str:
    """A reader's note on a capture time, in the current language (or `language`)."""
    from app.evidence.readers import time_notes  # the readers' notes and their translations

    return str(time_notes.time_note_text(note, language))  # type: ignore[attr-defined]
