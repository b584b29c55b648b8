"""The one import pipeline: record the files, make thumbnails, check them, read tracking and chats.

Every front end imports through `import_paths` (the window on its writer thread, the CLI on the
main thread, the demo), so they all do the same steps in the same order:

1. `iter_import` records each file (one transaction per file: what was recorded stays);
2. thumbnails for the new items (a thumbnail that cannot be made is reported, never fatal);
3. the integrity checks of the new items;
4. analysis of the case: tracking texts into events, chat screenshots (OCR) into messages, on the
   chat side the caller names.

Steps 2-4 run only when the import was not cancelled. A full disk while recording names every file
not imported; a full disk afterwards leaves the originals recorded and says the rest is unfinished.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.evidence.checks.case_checks import check_case_items
from app.evidence.i18n import tr
from app.evidence.ingest.analyse import analyse_case
from app.evidence.ingest.derived import build_thumbnails
from app.evidence.ingest.importer import FileResult, collect_files, iter_import
from app.evidence.models import ItemKind
from app.evidence.progress import CancelToken, ProgressCallback, no_progress
from app.evidence.store.case import Case


@dataclass(frozen=True)
class ThumbnailProblem:
    """An item imported without a thumbnail (the original is kept and exports as usual)."""

    name: str  # the file's name as the user knows it
    error: str  # the first line of what went wrong


@dataclass(frozen=True)
class ImportOutcome:
    """Everything one import did and every problem the user must see.

    Attributes:
        results: one per input file ("imported", "duplicate", "failed").
        cancelled: the import stopped early (cancel token or Ctrl+C); what was recorded stays.
        thumbnails: items imported without a thumbnail.
        problems: what the analysis reports (a chat screenshot that could not be read, ...).
        unfinished: the disk filled up after the originals were recorded: thumbnails, checks or
            analysis are not finished (`check` finishes them later).
    """

    results: list[FileResult]
    cancelled: bool = False
    thumbnails: list[ThumbnailProblem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unfinished: bool = False

    @property
    def imported_ids(self) -> list[int]:
        """The ids of the items this import added."""
        return [r.item_id for r in self.results if r.status == "imported" and r.item_id]

    def count(self, status: str) -> int:
        """How many input files ended with `status`."""
        return sum(r.status == status for r in self.results)


def import_paths(
    case: Case,
    paths: Sequence[Path],
    *,
    kind: ItemKind | None = None,
    ocr: bool = True,
    me_on_right: bool = True,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ImportOutcome:
    """Import files and folders into an open, writable case and finish everything that follows.

    Args:
        case: the case, opened for writing.
        paths: files and folders (folders are walked).
        kind: force the kind of every file (the user's choice), or None to detect it.
        ocr: read chat screenshots (off: tracking texts are still read).
        me_on_right: the user's side in chat screenshots.
        progress: called with each stage's progress ("import", "thumbnails", "check", "ocr", ...).
        cancel: stops between files and between the later steps' items.
    """
    cancel = cancel or CancelToken()
    results: list[FileResult] = []
    try:
        for result in iter_import(case, paths, kind=kind, progress=progress, cancel=cancel):
            results.append(result)
    except KeyboardInterrupt:  # Ctrl+C in a terminal: what was recorded stays
        cancel.cancel()
        return ImportOutcome(results, cancelled=True)
    except (sqlite3.OperationalError, OSError) as exc:
        if not storage_full(exc):
            raise
        # the case stays consistent (each file is one transaction); name every file not imported
        return ImportOutcome(results + _not_imported(paths, results, exc))
    if cancel.cancelled:
        return ImportOutcome(results, cancelled=True)
    outcome = ImportOutcome(results)
    try:
        _after_import(
            case, outcome, ocr=ocr, me_on_right=me_on_right, progress=progress, cancel=cancel
        )
    except (sqlite3.OperationalError, OSError) as exc:
        if not storage_full(exc):
            raise
        return ImportOutcome(
            results, thumbnails=outcome.thumbnails, problems=outcome.problems, unfinished=True
        )
    return ImportOutcome(
        results,
        cancelled=cancel.cancelled,
        thumbnails=outcome.thumbnails,
        problems=outcome.problems,
    )


def _after_import(
    case: Case,
    outcome: ImportOutcome,
    *,
    ocr: bool,
    me_on_right: bool,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> None:
    """Thumbnails and checks of the new items, then tracking and chats of the case."""
    new_ids = outcome.imported_ids
    if new_ids:
        wanted = set(new_ids)
        names = {i.sha256: i.original_name for i in case.items() if i.id in wanted}
        for thumb in build_thumbnails(case, new_ids, progress=progress):
            if thumb.error is not None:
                name = names.get(thumb.job.src.stem, thumb.job.src.name)
                outcome.thumbnails.append(
                    ThumbnailProblem(name, str(thumb.error).split("\n")[0][:160])
                )
        check_case_items(case, new_ids, progress=progress, cancel=cancel)
    if cancel.cancelled:
        return
    report = analyse_case(case, ocr=ocr, me_on_right=me_on_right, progress=progress, cancel=cancel)
    outcome.problems.extend(report.problems)


def storage_full(exc: BaseException) -> bool:
    """True for "database or disk is full" from SQLite and ENOSPC/EDQUOT from the system."""
    if isinstance(exc, sqlite3.OperationalError):
        return "full" in str(exc).lower() or getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL"
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def _not_imported(
    paths: Sequence[Path], done: list[FileResult], exc: BaseException
) -> list[FileResult]:
    """One failed result per input file the import did not get to, saying the disk is full."""
    reported = {r.path for r in done}
    files, _ = collect_files(paths)
    return [
        FileResult(
            str(path),
            "failed",
            error_code="disk_full",
            message=tr(
                "{name}：未导入，磁盘空间不足（{detail}）；腾出空间后重新运行 add",
                "{name}: not imported, the disk is full ({detail}); free some space and run "
                "add again",
                name=path.name,
                detail=str(exc).split("\n")[0][:80],
            ),
        )
        for path in files
        if str(path) not in reported
    ]
