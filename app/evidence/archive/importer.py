"""Batch import of a day's packing videos and waybill photos into the archive.

Per file: hash (copying into originals/ while hashing, or hashing in place), read the
container metadata, read waybills from the frames, then record it and assign it to the
order its numbers match (or the inbox). The slow part runs on a small thread pool (OpenCV,
zxing-cpp and hashlib release the GIL); recording runs on the calling thread, in input order,
one transaction per file. A file that fails is reported and the batch goes on; cancelling
stops between files (and inside a long video), keeping what was recorded.
"""

from __future__ import annotations

import json
import logging
import os
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from app.evidence.archive import index
from app.evidence.archive.db import Archive, utc_now
from app.evidence.archive.inbox import NAME, ORDER, WAYBILL, match_order
from app.evidence.archive.model import (
    STORAGE_MODES,
    ArchiveError,
    ArchiveFileResult,
    ArchiveImportReport,
)
from app.evidence.archive.orders import import_orders
from app.evidence.archive.prepare import Prepared, prepare
from app.evidence.errors import Cancelled, InputError, UnreadableFile
from app.evidence.i18n import both, tr
from app.evidence.ingest.importer import collect_files
from app.evidence.models import ItemKind, MediaMetadata
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress
from app.evidence.readers.sniff import decide_kind
from app.evidence.store import vault
from app.evidence.waybill import ScanOptions, WaybillScan

log = logging.getLogger(__name__)

AUTO_COPY_LIMIT = 1024**3  # storage "auto": files from 1 GiB up stay where they are
_MAX_STORED_READS = 200


def import_into_archive(
    root: Path,
    files: Sequence[Path],
    orders_csv: Path | None = None,
    *,
    storage: str | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    scan_options: ScanOptions | None = None,
    workers: int = 2,
    copy_limit: int = AUTO_COPY_LIMIT,
) -> ArchiveImportReport:
    """Import files and folders (recursive) into the archive at `root`.

    Args:
        root: the archive folder (made by `init_archive`).
        files: files and folders to import.
        orders_csv: the shop's order export, read first so that files match its orders.
        storage: "copy", "in_place" or "auto" (large files in place); the archive's
            default when None.
        progress: stage "archive_import", files done of total, the current file's name.
        cancel: stops between files and inside a long video; recorded files stay.
        scan_options: how hard to look for waybills.
        workers: files prepared in parallel.
        copy_limit: the size from which "auto" leaves files in place.

    Raises:
        ArchiveNotFound / ArchiveError: no usable archive, or an unreadable order export.
    """
    cancel = cancel or CancelToken()
    with Archive.open(root) as archive:
        mode = storage or archive.storage
        if mode not in STORAGE_MODES:
            raise ArchiveError(f"storage must be one of {', '.join(STORAGE_MODES)}, not {mode!r}")
        orders = import_orders(archive, Path(orders_csv)) if orders_csv is not None else None
        paths, missing = collect_files([Path(f) for f in files])
        results = [
            ArchiveFileResult(m.path, "failed", error_code="not_found", message=m.message)
            for m in missing
        ]
        known = {r[0] for r in archive.conn.execute("SELECT sha256 FROM files")}
        options = scan_options or ScanOptions()
        written: list[str] = []
        progress(Progress("archive_import", 0, len(paths)))
        with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="archive") as pool:
            pending: deque[tuple[Path, Future[Prepared]]] = deque()
            queue = iter(paths)

            def submit_next() -> None:
                nxt = next(queue, None)
                if nxt is not None:
                    job = pool.submit(
                        prepare, nxt, archive.root, mode, copy_limit, options, cancel, known
                    )
                    pending.append((nxt, job))

            for _ in range(max(1, workers) * 2):
                submit_next()
            try:
                done = 0
                while pending and not cancel.cancelled:
                    source, future = pending.popleft()
                    result = _outcome(archive, source, future, cancel)
                    if result is None:
                        break
                    if result.status == "imported" and result.sha256:
                        known.add(result.sha256)
                        stored = archive.conn.execute(
                            "SELECT stored_path FROM files WHERE id = ?", (result.file_id,)
                        ).fetchone()
                        if stored and stored[0]:
                            written.append(stored[0])
                    results.append(result)
                    done += 1
                    progress(Progress("archive_import", done, len(paths), source.name))
                    submit_next()
            finally:
                _drain(pending)
                vault.flush(archive.root, written)
        return ArchiveImportReport(tuple(results), orders, cancel.cancelled)


def _outcome(
    archive: Archive, source: Path, future: Future[Prepared], cancel: CancelToken
) -> ArchiveFileResult | None:
    try:
        prepared = future.result()
        return _record(archive, prepared)
    except Cancelled:
        return None
    except InputError as exc:
        return ArchiveFileResult(str(source), "failed", error_code=exc.code, message=str(exc))
    except OSError as exc:
        error = UnreadableFile(
            both("{name}：{error}", "{name}: {error}", name=source.name, error=exc.strerror or exc),
            str(source),
        )
        return ArchiveFileResult(str(source), "failed", error_code=error.code, message=str(error))
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the batch
        log.warning("unexpected error importing %s", source, exc_info=True)
        return ArchiveFileResult(
            str(source),
            "failed",
            error_code="unexpected",
            message=tr("{name}：{error}", "{name}: {error}", name=source.name, error=exc),
        )


def _drain(pending: deque[tuple[Path, Future[Prepared]]]) -> None:
    for _, future in pending:
        try:
            staged = future.result().staged
        except Exception:  # noqa: BLE001 - it failed or was cancelled: nothing to discard
            continue
        if staged is not None:
            vault.discard(staged)
    pending.clear()


def _record(archive: Archive, prepared: Prepared) -> ArchiveFileResult:
    source = prepared.source
    existing = archive.conn.execute(
        "SELECT id FROM files WHERE sha256 = ?", (prepared.sha256,)
    ).fetchone()
    if existing is not None:
        if prepared.staged is not None:
            vault.discard(prepared.staged)
        return ArchiveFileResult(
            str(source),
            "duplicate",
            file_id=existing[0],
            sha256=prepared.sha256,
            message=tr("{name}：已在归档中", "{name}: already in the archive", name=source.name),
        )
    stored = None
    if prepared.staged is not None:
        stored = vault.commit_copy(prepared.staged, archive.root, prepared.sniffed.ext)
        _keep_time(archive.root / stored, prepared.mtime_ns)
    scan, meta = prepared.scan, prepared.meta
    kind = decide_kind(prepared.sniffed, meta)
    with archive.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO files (sha256, size, name, kind, format, storage, stored_path, "
            "source_path, mtime_ns, capture_time, duration_ms, waybill, carrier, scan_json, "
            "read_error, imported_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                prepared.sha256,
                prepared.size,
                source.name,
                kind.value,
                prepared.sniffed.format,
                prepared.storage,
                stored,
                str(source.resolve()),
                prepared.mtime_ns,
                _capture_time(meta, prepared.mtime_ns),
                meta.duration_ms if meta and kind is ItemKind.VIDEO else None,
                scan.waybill if scan else None,
                scan.carrier if scan else None,
                _scan_json(scan),
                prepared.read_error,
                utc_now(),
            ),
        )
        file_id = int(cur.lastrowid or 0)
        numbers = [(n, WAYBILL) for n in (scan.waybills if scan else ())]
        numbers += [(n, ORDER) for n in (scan.order_numbers if scan else ())]
        numbers += [(n, NAME) for n in prepared.names.tokens]
        conn.executemany(
            "INSERT OR IGNORE INTO file_numbers (file_id, number, role) VALUES (?,?,?)",
            [(file_id, n, role) for n, role in numbers],
        )
        order_id, matched_by, note = match_order(conn, file_id)
        order_no = None
        if order_id is not None:
            conn.execute(
                "UPDATE files SET order_id = ?, matched_by = ? WHERE id = ?",
                (order_id, matched_by, file_id),
            )
            order_no = conn.execute(
                "SELECT order_no FROM orders WHERE id = ?", (order_id,)
            ).fetchone()[0]
            index.refresh_order(conn, order_id)
        index.refresh_file(conn, file_id)
    if stored is not None:
        vault.settle(archive.root, stored)  # its row is in: no longer a crash leftover
    return ArchiveFileResult(
        str(source),
        "imported",
        file_id=file_id,
        sha256=prepared.sha256,
        waybill=scan.waybill if scan else None,
        carrier=scan.carrier if scan else None,
        order_no=order_no,
        matched_by=matched_by,
        message=prepared.read_error or "",
        note=note,
        flags=scan.flag_codes() if scan else (),
    )


def _keep_time(path: Path, mtime_ns: int) -> None:
    """Give the stored copy the original's modification time (as `cp -p` would)."""
    try:
        os.utime(path, ns=(mtime_ns, mtime_ns))
    except OSError as exc:  # a file system that refuses: the time is in the index anyway
        log.debug("cannot keep the file time of %s: %s", path.name, exc)


def _capture_time(meta: MediaMetadata | None, mtime_ns: int) -> str:
    if meta is not None and meta.capture_time is not None:
        return meta.capture_time.isoformat()
    return datetime.fromtimestamp(mtime_ns / 1e9, UTC).isoformat(timespec="seconds")


def _scan_json(scan: WaybillScan | None) -> str | None:
    if scan is None:
        return None
    data = scan.to_json()
    data["reads"] = data["reads"][:_MAX_STORED_READS]
    return json.dumps(data, ensure_ascii=False)
