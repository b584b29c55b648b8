"""Plain data of the shipping-proof archive: orders, files, search hits, reports, problems.

Frozen dataclasses only (the UI and the CLI get these, never rows or dicts). The archive's
errors live here too, under `EvidenceError`, until they move into app/evidence/errors.py::

    EvidenceError
    └── ArchiveError               an archive folder cannot be used
        ├── ArchiveNotFound        no archive.sqlite at the path
        ├── ArchiveExists          init on a folder that already holds an archive
        ├── OrderNotFound          no such order in the archive
        └── FileNotInArchive       no single archived file matches the reference
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from app.evidence.errors import EvidenceError

COPY = "copy"
IN_PLACE = "in_place"
AUTO = "auto"
STORAGE_MODES = (COPY, IN_PLACE, AUTO)


class ArchiveError(EvidenceError):
    """An archive folder cannot be opened or used."""


class ArchiveNotFound(ArchiveError):
    """The folder holds no archive (no archive.sqlite)."""


class ArchiveExists(ArchiveError):
    """An archive already exists where a new one was asked for."""


class OrderNotFound(ArchiveError):
    """No order with that number in the archive."""


class FileNotInArchive(ArchiveError):
    """No single archived file matches the given id, hash prefix or path."""


@dataclass(frozen=True)
class Order:
    """One order (shipment) of the shop, as imported from the order export or typed.

    Attributes:
        waybills: the waybill numbers shipped under this order (split shipments have more).
        order_date: as in the export, normalised to "YYYY-MM-DD HH:MM:SS" when readable.
        source: "csv" (order export), "user" (typed) or "file" (made while assigning).
    """

    id: int
    order_no: str
    waybills: tuple[str, ...]
    buyer: str
    item: str
    order_date: str | None
    carrier: str | None
    note: str
    source: str


@dataclass(frozen=True)
class ArchivedFile:
    """One original known to the archive.

    Attributes:
        storage: "copy" (byte-exact copy under originals/) or "in_place" (left where the
            seller keeps it; only its hash, size and time are recorded).
        path: where the bytes are now expected (absolute).
        waybills: waybill numbers read in its frames (the consistent one first).
        order_no: the order it is assigned to, None while it waits in the inbox.
        matched_by: "waybill", "order_number", "file_name" or "user" (assigned, or put back
            into the inbox, by hand); None for an inbox file nothing matched yet.
    """

    id: int
    sha256: str
    size: int
    name: str
    kind: str
    format: str
    storage: str
    path: str
    source_path: str
    capture_time: str | None
    duration_ms: int | None
    waybill: str | None
    carrier: str | None
    waybills: tuple[str, ...]
    order_no: str | None
    matched_by: str | None
    read_error: str | None
    note: str
    imported_at: str


@dataclass(frozen=True)
class Hit:
    """One search result: an order (with its files) or a file still in the inbox.

    Attributes:
        kind: "order" or "file" (an unassigned file).
        matched: the fields the query matched ("order_no", "waybills", "buyer", ...).
        exact: the query equals the order number or one of the waybills.
    """

    kind: str
    order_no: str | None
    waybills: tuple[str, ...]
    buyer: str
    item: str
    order_date: str | None
    file_count: int
    file_id: int | None
    file_name: str | None
    matched: tuple[str, ...]
    exact: bool

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (for `archive find --json`)."""
        return jsonable(self)


@dataclass(frozen=True)
class ArchiveSummary:
    """What an archive holds, for a status line.

    Attributes:
        storage: the default storage of imports ("copy", "in_place" or "auto").
        search: "fts5-trigram" or "like" (this Python's SQLite has no FTS5 trigram: slower).
    """

    orders: int
    files: int
    inbox: int
    cases: int
    storage: str
    search: str


@dataclass(frozen=True)
class OrderImportReport:
    """What reading an order export did."""

    rows: int
    added: int
    updated: int
    skipped: int
    warnings: tuple[str, ...] = ()
    assigned_from_inbox: int = 0


@dataclass(frozen=True)
class ArchiveFileResult:
    """What happened to one input file.

    Attributes:
        status: "imported", "duplicate" (same bytes already archived) or "failed".
        order_no: the order it was assigned to (None: it went to the inbox).
        note: why it is in the inbox when that is not obvious (two orders match ...).
        flags: codes of the waybill scan's flags.
    """

    path: str
    status: str
    file_id: int | None = None
    sha256: str | None = None
    waybill: str | None = None
    carrier: str | None = None
    order_no: str | None = None
    matched_by: str | None = None
    error_code: str | None = None
    message: str = ""
    note: str = ""
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArchiveImportReport:
    """Every file's result in input order, the order export's report, cancelled or not."""

    files: tuple[ArchiveFileResult, ...]
    orders: OrderImportReport | None = None
    cancelled: bool = False
    assigned_from_inbox: int = 0

    def count(self, status: str) -> int:
        """How many files ended with this status."""
        return sum(1 for r in self.files if r.status == status)

    @property
    def inbox(self) -> tuple[ArchiveFileResult, ...]:
        """Imported files that matched no order."""
        return tuple(r for r in self.files if r.status == "imported" and r.order_no is None)


@dataclass(frozen=True)
class ArchiveProblem:
    """One archived file that is not as recorded.

    Attributes:
        code: "missing" (gone), "moved" (found elsewhere with the same hash), "changed"
            (different bytes at the recorded place) or "unreadable".
        found_path: where a moved file was found.
    """

    code: str
    file_id: int
    name: str
    recorded_path: str
    found_path: str | None = None
    zh: str = ""
    en: str = ""


@dataclass(frozen=True)
class ArchiveVerification:
    """The outcome of verify_archive; `ok` when every file is as recorded."""

    files_checked: int
    problems: tuple[ArchiveProblem, ...] = field(default_factory=tuple)
    relinked: int = 0
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        """True when no file is missing, moved or changed."""
        return not self.problems


def jsonable(value: Any) -> Any:
    """Dataclasses, tuples and dicts as JSON-ready values."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value
