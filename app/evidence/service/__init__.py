"""The one door into the core: what a front end (the window, the CLI, the demo) may call.

Front ends import this package (plus app.evidence.models, app.evidence.errors and
app.evidence.i18n) and nothing else of the core; the import-linter contract in pyproject.toml
holds them to it. The modules, by what a front end does:

    cases       open_case / create_case / thumbnail_path / original_path_or_none / recover_files
    importing   import_paths(case, paths, kind=, ocr=, me_on_right=, progress=, cancel=)
                -> ImportOutcome
    edits       notes, times, events, dates, dispute and summary, checklist ticks, undo/redo,
                redactions, OCR corrections, item kinds (each one undoable edit)
    checks      check_case_items / iter_check_paths (loose files) / verdict words
    view        read_case_view(root) -> CaseView (with CaseOverview), read_ocr, list_json
    exporting   export_case(case, pdf=, pack=, zip_path=, ...) (builds its own feeds), presets
    verifying   verify_case / verify_pdf / verify_zip
    archive     the seller's shipping-proof archive
    labels      pure formatting: dates, money, clocks, names of dates, claims and states
    system      case folders by their marker file, a console that cannot show every name

Importing this package loads nothing else: each name loads its module when first used, so
`evidence-desk --help` stays fast while `from app.evidence.service import import_paths` works.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.evidence.progress import (
        CancelToken,
        Pace,
        PaceEstimator,
        Progress,
        ProgressCallback,
        no_progress,
    )
    from app.evidence.service import archive, labels
    from app.evidence.service.cases import (
        Case,
        FileResult,
        create_case,
        open_case,
        original_path_or_none,
        recover_files,
        thumbnail_path,
    )
    from app.evidence.service.checks import check_case_items, iter_check_paths
    from app.evidence.service.edits import (
        add_manual_event,
        add_redaction,
        correct_line,
        move_entry,
        redo,
        reorder,
        save_details,
        set_entry_note,
        set_entry_time,
        set_kind,
        tick_check,
        typed_when,
        undo,
    )
    from app.evidence.service.exporting import export_case
    from app.evidence.service.importing import ImportOutcome, ThumbnailProblem, import_paths
    from app.evidence.service.verifying import verify_case, verify_pdf, verify_zip
    from app.evidence.service.view import CaseOverview, CaseView, read_case_view, read_ocr

_HOME = {
    "CancelToken": "app.evidence.progress",
    "Pace": "app.evidence.progress",
    "PaceEstimator": "app.evidence.progress",
    "Progress": "app.evidence.progress",
    "ProgressCallback": "app.evidence.progress",
    "no_progress": "app.evidence.progress",
    "Case": "cases",
    "FileResult": "cases",
    "create_case": "cases",
    "open_case": "cases",
    "original_path_or_none": "cases",
    "recover_files": "cases",
    "thumbnail_path": "cases",
    "check_case_items": "checks",
    "iter_check_paths": "checks",
    "add_manual_event": "edits",
    "add_redaction": "edits",
    "correct_line": "edits",
    "move_entry": "edits",
    "redo": "edits",
    "reorder": "edits",
    "save_details": "edits",
    "set_entry_note": "edits",
    "set_entry_time": "edits",
    "set_kind": "edits",
    "tick_check": "edits",
    "typed_when": "edits",
    "undo": "edits",
    "export_case": "exporting",
    "ImportOutcome": "importing",
    "ThumbnailProblem": "importing",
    "import_paths": "importing",
    "verify_case": "verifying",
    "verify_pdf": "verifying",
    "verify_zip": "verifying",
    "CaseOverview": "view",
    "CaseView": "view",
    "read_case_view": "view",
    "read_ocr": "view",
}


def __getattr__(name: str) -> Any:
    if name in ("archive", "labels", "system"):
        return importlib.import_module(f"{__name__}.{name}")
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(home if "." in home else f"{__name__}.{home}")
    return getattr(module, name)


__all__ = [
    "CancelToken",
    "Case",
    "CaseOverview",
    "CaseView",
    "FileResult",
    "ImportOutcome",
    "Pace",
    "PaceEstimator",
    "Progress",
    "ProgressCallback",
    "ThumbnailProblem",
    "add_manual_event",
    "add_redaction",
    "archive",
    "check_case_items",
    "correct_line",
    "create_case",
    "export_case",
    "import_paths",
    "iter_check_paths",
    "labels",
    "move_entry",
    "no_progress",
    "open_case",
    "original_path_or_none",
    "read_case_view",
    "read_ocr",
    "recover_files",
    "redo",
    "reorder",
    "save_details",
    "set_entry_note",
    "set_entry_time",
    "set_kind",
    "thumbnail_path",
    "tick_check",
    "typed_when",
    "undo",
    "verify_case",
    "verify_pdf",
    "verify_zip",
]
