"""The exhibit numbers already sent to the platform, read from the submissions table.

A number a reviewer has seen never changes: renumbering (`app.evidence.timeline.edits`) keeps
these, and the rounds themselves (`app.evidence.disputes.rounds`) record them.
"""

from __future__ import annotations

import json

from app.evidence.store.case import Case
from app.evidence.store.undo import has_timeline_tables


def submitted_numbers(case: Case) -> dict[str, int]:
    """Entry key -> the number it was first submitted with, oldest round first."""
    if not has_timeline_tables(case.connection):
        return {}
    numbers: dict[str, int] = {}
    rows = case.connection.execute(
        "SELECT entries_json FROM submissions ORDER BY submitted_at, id"
    ).fetchall()
    for (entries_json,) in rows:
        for key, number in json.loads(entries_json):
            if number is not None:
                numbers.setdefault(key, int(number))
    return numbers
