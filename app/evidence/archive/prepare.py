"""The worker half of an archive import: hash, stage, read metadata, read waybills.

Runs on a small thread pool (hashlib, OpenCV and zxing-cpp release the GIL). A staged copy
never outlives a failure or a cancel: it is either handed to the recorder or discarded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.evidence.archive.model import AUTO, COPY, IN_PLACE
from app.evidence.errors import InputError
from app.evidence.models import MediaMetadata
from app.evidence.progress import CancelToken
from app.evidence.readers.dispatch import read_metadata
from app.evidence.readers.sniff import Sniffed, read_head, sniff
from app.evidence.store import vault
from app.evidence.waybill import ScanOptions, WaybillScan, read_waybills
from app.evidence.waybill.names import NameNumbers, numbers_in_name


@dataclass(frozen=True)
class Prepared:
    """One file hashed (and staged), read and scanned, ready to be recorded."""

    source: Path
    sha256: str
    size: int
    storage: str
    staged: vault.StagedCopy | None
    sniffed: Sniffed
    mtime_ns: int
    meta: MediaMetadata | None
    read_error: str | None
    scan: WaybillScan | None
    names: NameNumbers


def prepare(
    source: Path,
    root: Path,
    mode: str,
    copy_limit: int,
    options: ScanOptions,
    cancel: CancelToken,
    known: set[str],
) -> Prepared:
    """Hash (copying into the archive's incoming folder, or in place), read and scan one file.

    Runs on a worker thread. A file whose hash is in `known` is not read again.

    Raises:
        InputError: the file cannot be read at all (empty, unreadable, unsupported).
        Cancelled: `cancel` was set (nothing stays staged).
    """
    cancel.raise_if_cancelled()
    head, stat = read_head(source)
    sniffed = sniff(head, source.name)
    storage = mode if mode != AUTO else (IN_PLACE if stat.st_size >= copy_limit else COPY)
    staged = None
    if storage == COPY:
        staged = vault.stage_copy(source, root)
        sha256, size, read_path = staged.sha256, staged.size, staged.temp_path
    else:
        sha256, size, read_path = vault.hash_file(source), stat.st_size, source
    names = numbers_in_name(source.name)
    if sha256 in known:  # a duplicate: no need to read it again
        return Prepared(
            source,
            sha256,
            size,
            storage,
            staged,
            sniffed,
            stat.st_mtime_ns,
            None,
            None,
            None,
            names,
        )
    try:
        meta, read_error, scan = read_file(read_path, sniffed, options, cancel)
    except BaseException:
        if staged is not None:
            vault.discard(staged)
        raise
    return Prepared(
        source,
        sha256,
        size,
        storage,
        staged,
        sniffed,
        stat.st_mtime_ns,
        meta,
        read_error,
        scan,
        names,
    )


def read_file(
    path: Path, sniffed: Sniffed, options: ScanOptions, cancel: CancelToken
) -> tuple[MediaMetadata | None, str | None, WaybillScan | None]:
    """Container metadata and the waybill scan; reading problems become the read error."""
    meta, read_error = None, None
    try:
        meta = read_metadata(path, sniffed)
    except InputError as exc:
        read_error = f"{exc.code}: {exc}"
    scan = None
    if sniffed.family in ("video", "image"):
        kind = "video" if sniffed.family == "video" else "photo"
        try:
            scan = read_waybills(path, kind=kind, metadata=meta, cancel=cancel, options=options)
        except InputError as exc:
            read_error = read_error or f"{exc.code}: {exc}"
    return meta, read_error, scan
