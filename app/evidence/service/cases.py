"""Open and create cases; where an item's files are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.evidence.ingest.derived import thumbnail_path
from app.evidence.ingest.importer import FileResult, recover_files
from app.evidence.store.case import Case
from app.evidence.store.vault import original_path_or_none

__all__ = [
    "Case",
    "FileResult",
    "create_case",
    "open_case",
    "original_path_or_none",
    "recover_files",
    "thumbnail_path",
]


def open_case(root: Path, *, writable: bool = True) -> Case:
    """Open a case folder (CaseInUse when another program holds it for writing)."""
    return Case.open(root, writable=writable)


def create_case(root: Path, title: str, **fields: Any) -> Case:
    """Create a case folder and return it open for writing."""
    return Case.create(root, title, **fields)
