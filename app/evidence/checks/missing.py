"""What a case still lacks after files came in another way: thumbnails and check verdicts.

The archive's order cases import through the plain importer (no thumbnails, no checks), and an
import cut short leaves items unchecked. `finish_missing` makes the missing thumbnails and runs
the checks of every checkable item without a verdict, through the same pipeline an import uses;
the window runs it when a case opens and before every export, so an export never prints
"未检查" for an item that could be checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.evidence.checks.case_checks import CHECKED_KINDS, check_case_items
from app.evidence.ingest.derived import build_thumbnails
from app.evidence.progress import CancelToken, ProgressCallback, no_progress
from app.evidence.store.case import Case
from app.evidence.store.findings import verdicts


@dataclass(frozen=True)
class Finished:
    thumbnails: int  # thumbnails made
    checked: int  # items checked


def unchecked_ids(case: Case) -> list[int]:
    """Checkable items (photos, screenshots, videos) without a stored verdict."""
    known = verdicts(case)
    return [item.id for item in case.items() if item.kind in CHECKED_KINDS and item.id not in known]


def finish_missing(
    case: Case, *, progress: ProgressCallback = no_progress, cancel: CancelToken | None = None
) -> Finished:
    """Make missing thumbnails and check unchecked items (a writable case)."""
    made = build_thumbnails(case, progress=progress)
    if cancel is not None and cancel.cancelled:
        return Finished(len(made), 0)
    todo = unchecked_ids(case)
    done = check_case_items(case, todo, progress=progress, cancel=cancel) if todo else {}
    return Finished(sum(1 for r in made if not r.error), len(done))
