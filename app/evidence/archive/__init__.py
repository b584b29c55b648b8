"""The seller's shipping-proof archive: many orders, their packing videos, one search index.

Public API (every function takes the archive folder; the GUI may keep an `Archive` open)::

    init_archive(root, storage="copy")                      -> Path
    summary(root)                                           -> ArchiveSummary
    import_into_archive(root, files, orders_csv=None, ...)  -> ArchiveImportReport
    import_orders_csv(root, csv_path)                       -> OrderImportReport
    find(root, query, limit=50)                             -> list[Hit]
    inbox_files(root)                                       -> list[ArchivedFile]
    assign(root, file, order_no) / unassign(root, file)     -> ArchivedFile
    get_order(root, order_no) / files_of_order(root, order_no)
    open_order_case(root, order_no, dispute="proof_of_shipment") -> Path (the case folder)
    verify_archive(root, full=False, search=(), relink=False) -> ArchiveVerification
    search_results(root, query) / order_detail(root, order_no) / inbox_details(root)
                                                            (what the archive view shows)

Modules: `db` (folder, schema, FTS5 or LIKE), `orders` (order export), `importer` (batch
import), `inbox` (matching and assignment), `index` (search), `cases` (order -> case),
`verify` (moved, missing, changed), `detail` (reads, continuity verdicts for the view),
`model` (data and errors).
"""

from __future__ import annotations

from pathlib import Path

from app.evidence.archive import inbox as _inbox
from app.evidence.archive import index as _index
from app.evidence.archive.cases import case_folder, open_order_case
from app.evidence.archive.db import CASES, Archive, fts_available
from app.evidence.archive.detail import (
    FileDetail,
    OrderDetail,
    SearchResult,
    file_detail,
    inbox_details,
    order_detail,
    search_results,
)
from app.evidence.archive.importer import import_into_archive
from app.evidence.archive.model import (
    AUTO,
    COPY,
    IN_PLACE,
    ArchivedFile,
    ArchiveError,
    ArchiveExists,
    ArchiveFileResult,
    ArchiveImportReport,
    ArchiveNotFound,
    ArchiveProblem,
    ArchiveSummary,
    ArchiveVerification,
    FileNotInArchive,
    Hit,
    Order,
    OrderImportReport,
    OrderNotFound,
)
from app.evidence.archive.orders import import_orders
from app.evidence.archive.verify import verify_archive


def init_archive(root: Path, *, storage: str = COPY) -> Path:
    """Make a new, empty archive folder; `storage` is the default for imports.

    Raises:
        ArchiveExists: the folder already holds an archive.
    """
    Archive.create(Path(root), storage=storage).close()
    return Path(root)


def summary(root: Path) -> ArchiveSummary:
    """Counts of orders, files, inbox files and cases; storage default; search mode."""
    with Archive.open(root, writable=False) as archive:
        conn = archive.conn
        orders = conn.execute("SELECT count(*) FROM orders").fetchone()[0]
        files = conn.execute("SELECT count(*) FROM files").fetchone()[0]
        inbox = conn.execute("SELECT count(*) FROM files WHERE order_id IS NULL").fetchone()[0]
        storage, search = archive.storage, archive.search_mode
    cases = sum(1 for p in (Path(root) / CASES).glob("*/case.sqlite"))
    return ArchiveSummary(orders, files, inbox, cases, storage, search)


def import_orders_csv(root: Path, csv_path: Path) -> OrderImportReport:
    """Read the shop's order export into the archive (inbox files that now match are assigned)."""
    with Archive.open(root) as archive:
        return import_orders(archive, Path(csv_path))


def find(root: Path, query: str, limit: int = 50) -> list[Hit]:
    """Orders (and inbox files) matching every word of `query`: order number, waybill (also
    a part of one), buyer nickname, item, date ("2025-06-09"), notes or file name."""
    with Archive.open(root, writable=False) as archive:
        return _index.search(archive, query, limit)


def inbox_files(root: Path) -> list[ArchivedFile]:
    """Files that match no order yet, newest first."""
    with Archive.open(root, writable=False) as archive:
        return _inbox.inbox(archive)


def assign(root: Path, file: str | int, order_no: str) -> ArchivedFile:
    """Assign a file (id, SHA-256 prefix or original path) to an order (made if unknown)."""
    with Archive.open(root) as archive:
        return _inbox.assign(archive, file, order_no)


def unassign(root: Path, file: str | int) -> ArchivedFile:
    """Put a file back into the inbox."""
    with Archive.open(root) as archive:
        return _inbox.unassign(archive, file)


def get_order(root: Path, order_no: str) -> Order:
    """One order with its waybills."""
    with Archive.open(root, writable=False) as archive:
        return _inbox.order(archive, order_no)


def files_of_order(root: Path, order_no: str) -> list[ArchivedFile]:
    """The files assigned to an order."""
    with Archive.open(root, writable=False) as archive:
        return _inbox.order_files(archive, order_no)


__all__ = [
    "AUTO",
    "COPY",
    "IN_PLACE",
    "Archive",
    "ArchiveError",
    "ArchiveExists",
    "ArchiveFileResult",
    "ArchiveImportReport",
    "ArchiveNotFound",
    "ArchiveProblem",
    "ArchiveSummary",
    "ArchiveVerification",
    "ArchivedFile",
    "FileDetail",
    "FileNotInArchive",
    "Hit",
    "Order",
    "OrderDetail",
    "OrderImportReport",
    "OrderNotFound",
    "SearchResult",
    "assign",
    "case_folder",
    "file_detail",
    "files_of_order",
    "find",
    "fts_available",
    "get_order",
    "import_into_archive",
    "import_orders_csv",
    "inbox_details",
    "inbox_files",
    "init_archive",
    "open_order_case",
    "order_detail",
    "search_results",
    "summary",
    "unassign",
    "verify_archive",
]
