"""The seller's shipping-proof archive (see app.evidence.archive for what each call does)."""

from __future__ import annotations

from app.evidence.archive import (
    ArchiveImportReport,
    ArchiveSummary,
    ArchiveVerification,
    FileDetail,
    OrderDetail,
    SearchResult,
    assign,
    file_detail,
    find,
    import_into_archive,
    import_orders_csv,
    inbox_details,
    init_archive,
    open_order_case,
    order_detail,
    search_results,
    summary,
    verify_archive,
)
from app.evidence.archive.db import DB_NAME
from app.evidence.archive.detail import ATTENTION, CONTINUOUS, NO_WAYBILL
from app.evidence.tracking.carriers import known_carriers

__all__ = [
    "ATTENTION",
    "CONTINUOUS",
    "DB_NAME",
    "NO_WAYBILL",
    "ArchiveImportReport",
    "ArchiveSummary",
    "ArchiveVerification",
    "FileDetail",
    "OrderDetail",
    "SearchResult",
    "assign",
    "file_detail",
    "find",
    "import_into_archive",
    "import_orders_csv",
    "inbox_details",
    "init_archive",
    "known_carriers",
    "open_order_case",
    "order_detail",
    "search_results",
    "summary",
    "verify_archive",
]
