"""A dispute arrives: open (or make) the order's case with everything archived for it.

The case lives under cases/<order number>/ in the archive, has the seller role and the
proof-of-shipment dispute profile (发货证明; switch it to 退货未收到 or 买家退回商品不完好 with
`set_dispute`), and gets every file assigned to the order through the normal importer, so it
exports like any other case. Each video's waybill scan is attached to its item, where the
checklist's "packing video with a legible waybill" looks for it. Opening again adds what
was assigned since; nothing is imported twice.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.evidence.archive.db import CASES, STAGING, Archive
from app.evidence.archive.inbox import order, order_files
from app.evidence.archive.model import COPY, ArchivedFile
from app.evidence.errors import CaseNotFound
from app.evidence.i18n import tr
from app.evidence.ingest.importer import import_files
from app.evidence.progress import CancelToken, ProgressCallback, no_progress
from app.evidence.store import audit
from app.evidence.store.case import Case
from app.evidence.winpaths import safe_component

log = logging.getLogger(__name__)

DEFAULT_DISPUTE = "proof_of_shipment"
SCAN_KEY = "waybill_scan"
_UNSAFE = re.compile(r"[^0-9A-Za-z_.-]+")


def case_folder(root: Path, order_no: str) -> Path:
    """Where an order's case lives inside the archive."""
    return Path(root) / CASES / safe_component(_UNSAFE.sub("_", order_no.strip()), "order")


def open_order_case(
    root: Path,
    order_no: str,
    *,
    dispute: str = DEFAULT_DISPUTE,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Path:
    """Create or open the case of an order and import the order's archived files into it.

    Args:
        root: the archive folder.
        order_no: the order number.
        dispute: the dispute profile for a new case (seller profiles: proof_of_shipment,
            return_not_received, return_damaged).

    Returns:
        The case folder (open it with `Case.open` or the GUI).

    Raises:
        OrderNotFound: no such order in the archive.
        CaseInUse: the case is open elsewhere.
    """
    with Archive.open(root, writable=False) as archive:
        found = order(archive, order_no)
        files = order_files(archive, order_no)
        scans = {
            file_id: json.loads(text)
            for file_id, text in archive.conn.execute(
                "SELECT id, scan_json FROM files WHERE order_id = ? AND scan_json IS NOT NULL",
                (found.id,),
            )
        }
    folder = case_folder(root, found.order_no)
    try:
        case = Case.open(folder)
    except CaseNotFound:
        case = _new_case(folder, found.order_no, found.item, dispute)
    with case:
        todo = [f for f in files if case.find_sha256(f.sha256) is None and _usable(f)]
        if todo:
            with _named_sources(Path(root), todo) as sources:
                report = import_files(case, list(sources), progress=progress, cancel=cancel)
            by_path = {r.path: r for r in report.results}
            for source, archived in sources.items():
                result = by_path.get(str(source))
                if result is None or result.item_id is None:
                    continue
                if result.sha256 != archived.sha256:
                    log.warning("%s changed since it was archived (hash differs)", archived.path)
                if archived.id in scans:
                    _attach_scan(case, result.item_id, scans[archived.id])
    return folder


@contextmanager
def _named_sources(root: Path, files: list[ArchivedFile]) -> Iterator[dict[Path, ArchivedFile]]:
    """The files under their original names, for the case's "original file name".

    Copies stored in the archive are named by hash; each gets a hard link (same bytes, no
    copy) named as the seller's file in a staging folder, removed afterwards. Files kept in
    place are used where they are.
    """
    staging = root / STAGING / uuid.uuid4().hex
    sources: dict[Path, ArchivedFile] = {}
    try:
        for number, archived in enumerate(files):
            path = Path(archived.path)
            if archived.storage == COPY and path.name != archived.name:
                link = staging / str(number) / archived.name
                link.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(path, link)
                except OSError:  # a file system without hard links: a copy keeps the name
                    shutil.copy2(path, link)
                path = link
            sources[path] = archived
        yield sources
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _new_case(folder: Path, order_no: str, item: str, dispute: str) -> Case:
    from app.evidence.disputes import set_dispute, set_summary

    title = tr("订单 {order} 发货证明", "Order {order}: shipping proof", order=order_no)
    case = Case.create(folder, title, order_no=order_no, role="seller")
    try:
        set_dispute(case, dispute)
        if item:
            set_summary(case, item_title=item)
    except Exception:
        case.close()
        raise
    return case


def _usable(archived: ArchivedFile) -> bool:
    """A file can go into the case when its bytes are where the archive expects them."""
    path = Path(archived.path)
    try:
        size = path.stat().st_size
    except OSError:
        log.warning("%s is missing: run verify_archive to find it", archived.path)
        return False
    if size != archived.size:
        log.warning("%s changed since it was archived (size differs); not imported", archived.path)
        return False
    return True


def _attach_scan(case: Case, item_id: int, scan: dict[str, Any]) -> None:
    """Store the archive's waybill scan in the item's metadata (one transaction, audited)."""
    item = case.item(item_id)
    metadata = dict(item.metadata or {})
    metadata[SCAN_KEY] = scan
    with case.transaction() as conn:
        conn.execute(
            "UPDATE items SET metadata_json = ? WHERE id = ?",
            (json.dumps(metadata, ensure_ascii=False), item_id),
        )
        audit.append(
            conn,
            case.now(),
            "item.waybills",
            item_id,
            {"waybills": scan.get("waybills", []), "source": "archive"},
        )
