"""Exports: the PDF evidence chain, upload packs, the ZIP; the export builds its own feeds."""

from __future__ import annotations

from typing import Any

from app.evidence.export import ExportResult
from app.evidence.export import export_case as _export_case
from app.evidence.export.api import record_export
from app.evidence.export.case_feeds import case_feeds
from app.evidence.export.pack.presets import load_preset, preset_ids
from app.evidence.export.receipts import page_preview
from app.evidence.readers.frames import iter_keyframes
from app.evidence.store.case import Case

__all__ = [
    "ExportResult",
    "export_case",
    "iter_keyframes",
    "load_preset",
    "page_preview",
    "preset_ids",
    "record_export",
]


def export_case(case: Case, **options: Any) -> ExportResult:
    """Export a case (see app.evidence.export.export_case for the options: pdf, pack, zip_path,
    preparer, progress, cancel, ...); the case's timeline, findings and facts are read here."""
    if options.get("feeds") is None:
        options["feeds"] = case_feeds(case)
    return _export_case(case, **options)
