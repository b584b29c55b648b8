"""Import files and folders into a case: sniff, copy byte-exact while hashing, read, record.

Work per file is split in two: `_prepare` (copy into the vault's incoming folder while hashing,
sniff, read metadata) runs on a small thread pool because it is I/O and C code that releases
the GIL; `_record` (move into the vault, one SQLite transaction) runs on the calling thread, in
input order, so writes to the case stay serialised. A crash at any point leaves either a complete
item or leftovers that the next writable open sweeps away (see `vault.sweep`).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.evidence.errors import InputError, UnreadableFile
from app.evidence.i18n import both, tr
from app.evidence.memory import limit_heap_growth
from app.evidence.models import CaptureTime, ItemKind, MediaMetadata, TimeSource
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress
from app.evidence.readers.dispatch import read_metadata
from app.evidence.readers.sniff import HEADER_BYTES, Sniffed, decide_kind, sniff
from app.evidence.store import audit, vault
from app.evidence.store.case import Case, NewItem

log = logging.getLogger(__name__)

SKIPPED_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class FileResult:
    """What happened to one input file.

    Attributes:
        status: "imported", "duplicate" (same bytes already in the case) or "failed".
        warnings: what the reader could not read; the original is kept all the same.
    """

    path: str
    status: str
    item_id: int | None = None
    kind: str | None = None
    sha256: str | None = None
    vault_path: str | None = None
    error_code: str | None = None
    message: str = ""
    warnings: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """Every file's result, in input order, and whether the run was cancelled."""

    results: list[FileResult] = field(default_factory=list)
    cancelled: bool = False

    def count(self, status: str) -> int:
        """How many files ended with this status."""
        return sum(1 for r in self.results if r.status == status)


@dataclass(frozen=True)
class _Prepared:
    source: Path
    staged: vault.StagedCopy
    sniffed: Sniffed
    meta: MediaMetadata | None
    read_error: InputError | None
    mtime: datetime | None


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Expand folders recursively (sorted, hidden and system files skipped).

    Links inside a folder are never followed out of it: a link to a file elsewhere (say
    /etc/shadow, or a folder of someone else's) is skipped with a message; a link to a file
    inside the same folder imports that file once. A link given by name on the command line is
    followed: the user pointed at it.

    Returns:
        The files to import, and a failed result for every path that does not exist, is not a
        regular file, or is a link leading out of the folder being imported.
    """
    files: list[Path] = []
    missing: list[FileResult] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            base = path.resolve()
            for root, dirs, names in os.walk(path):
                here = Path(root)
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in list(dirs):
                    if _is_link(here / name):  # never walked through: inside, its files come
                        dirs.remove(name)  # by their own path; outside, they are not ours
                        target = _target(here / name)
                        if target is not None and not target.is_relative_to(base):
                            missing.append(_outside_link(here / name, target, base))
                for name in sorted(names):
                    if not name.startswith(".") and name.lower() not in SKIPPED_NAMES:
                        candidate = here / name
                        if _is_link(candidate):
                            target = _target(candidate)
                            if target is not None and not target.is_relative_to(base):
                                missing.append(_outside_link(candidate, target, base))
                                continue
                            candidate = target or candidate
                        if candidate.is_file():
                            files.append(candidate)
                        else:  # reading a pipe blocks forever, a device never ends
                            missing.append(_not_regular(candidate))
        elif path.is_file():
            files.append(path)
        elif path.exists() or path.is_symlink():
            missing.append(_not_regular(path))
        else:
            message = tr("{path}：文件或文件夹不存在", "{path}: no such file or folder", path=path)
            missing.append(FileResult(str(path), "failed", error_code="not_found", message=message))
    return _once(files), missing


def _is_link(path: Path) -> bool:
    try:
        return vault.is_link(os.lstat(path))
    except OSError:
        return False


def _target(link: Path) -> Path | None:
    """Where a link finally leads (None when it is broken or loops)."""
    try:
        return link.resolve(strict=True)
    except (OSError, RuntimeError):
        return None


def _outside_link(link: Path, target: Path, base: Path) -> FileResult:
    message = tr(
        "{path}：链接指向所导入文件夹（{base}）之外的 {target}，已跳过（未读取）",
        "{path}: a link to {target}, outside the folder being imported ({base}); skipped, not read",
        path=link,
        target=target,
        base=base,
    )
    return FileResult(str(link), "failed", error_code="link_outside", message=message)


def _once(files: list[Path]) -> list[Path]:
    """Each file once, though a folder and a file in it (or a link to it) were both given."""
    seen: set[Path] = set()
    unique = []
    for path in files:
        try:
            key = path.resolve()
        except OSError:
            key = path.absolute()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _not_regular(path: Path) -> FileResult:
    message = tr(
        "{path}：不是普通文件（管道、设备或失效的链接），已跳过",
        "{path}: not a regular file (a pipe, a device or a broken link); skipped",
        path=path,
    )
    return FileResult(str(path), "failed", error_code=UnreadableFile.code, message=message)


def display_name(path: Path) -> str:
    """The file name as text. A name that is not UTF-8 (a GBK name from a zip unpacked on Linux)
    is decoded as GB18030 rather than kept as undecodable bytes, which SQLite refuses."""
    raw = os.fsencode(path.name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def iter_import(
    case: Case,
    paths: Sequence[Path],
    *,
    kind: ItemKind | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    workers: int = 2,
    durable: bool = True,
) -> Iterator[FileResult]:
    """Import files and folders, yielding one result per file as it is recorded.

    Stops between files when `cancel` is set: everything recorded so far stays, nothing half done
    remains. `kind` forces the kind of every file (the user's correction). With `durable`, the
    new originals are forced to disk FLUSH_EVERY at a time while the next files are copied, and
    the import ends (or stops on a cancel) only once every one of them is on disk.
    """
    limit_heap_growth()  # decodes on worker threads: freed image buffers go back to the OS
    files, missing = collect_files(paths)
    yield from missing
    total = len(files)
    sizes = {path: _size(path) for path in files}
    total_bytes = sum(sizes.values())
    progress(Progress("import", 0, total, total_bytes=total_bytes))
    cancel = cancel or CancelToken()
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="import") as pool:
        pending: deque[tuple[Path, Future[_Prepared]]] = deque()
        queue = iter(files)

        def submit_next() -> None:
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(_prepare, nxt, case.root)))

        for _ in range(workers * 2):
            submit_next()
        written = _Flusher(case.root, durable)
        try:
            yield from _record_all(
                case, pending, submit_next, kind, cancel, _counting(progress, sizes), written
            )
        finally:
            written.finish()


def _record_all(
    case: Case,
    pending: deque[tuple[Path, Future[_Prepared]]],
    submit_next: Callable[[], None],
    kind: ItemKind | None,
    cancel: CancelToken,
    progress: Callable[[Path], None],
    written: _Flusher,
) -> Iterator[FileResult]:
    while pending:
        source, future = pending.popleft()
        if cancel.cancelled:
            _drain(pending, future)
            return
        try:
            prepared = future.result()
            result = _record(case, prepared, kind)
        except InputError as exc:
            result = FileResult(str(source), "failed", error_code=exc.code, message=str(exc))
        except OSError as exc:
            err = UnreadableFile(
                both(
                    "{name}：{error}",
                    "{name}: {error}",
                    name=source.name,
                    error=exc.strerror or exc,
                ),
                str(source),
            )
            result = FileResult(str(source), "failed", error_code=err.code, message=str(err))
        if result.status == "imported" and result.vault_path:
            written.append(result.vault_path)
        progress(source)
        yield result
        submit_next()


FLUSH_EVERY = 32
"""The new originals go to disk this many at a time while the next files are copied (the disk
writes them meanwhile instead of all at the end); the import still returns only once every one
of them, and the folders naming them, is on disk."""


class _Flusher:
    """Forces the recorded originals to disk in the background, FLUSH_EVERY at a time, on one
    thread (vault.flush runs its fsyncs a few at a time); `finish` flushes the rest and waits
    for all. Each batch's folders are flushed after its files were moved into them, so every
    name is on disk once `finish` returns, as with one flush at the end."""

    def __init__(self, case_root: Path, durable: bool) -> None:
        self._root = case_root
        self._durable = durable
        self._batch: list[str] = []
        self._done: list[Future[None]] = []
        self._pool: ThreadPoolExecutor | None = None

    def append(self, rel: str) -> None:
        """An original now recorded at `rel`."""
        if not self._durable:
            return
        self._batch.append(rel)
        if len(self._batch) >= FLUSH_EVERY:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="import-flush")
            self._done.append(self._pool.submit(vault.flush, self._root, self._batch))
            self._batch = []

    def finish(self) -> None:
        """Flush what is left and wait until every recorded original is on disk."""
        try:
            if self._batch:
                vault.flush(self._root, self._batch)
                self._batch = []
            for future in self._done:
                future.result()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # it fails when imported, with its own message


def _counting(progress: ProgressCallback, sizes: dict[Path, int]) -> Callable[[Path], None]:
    """A callback per file done that reports files and bytes done so far (for rate and time
    left: MB/s when the files are big)."""
    total, total_bytes = len(sizes), sum(sizes.values())
    done = done_bytes = 0

    def file_done(source: Path) -> None:
        nonlocal done, done_bytes
        done += 1
        done_bytes += sizes.get(source, 0)
        progress(Progress("import", done, total, source.name, done_bytes, total_bytes))

    return file_done


def import_files(case: Case, paths: Sequence[Path], **options: object) -> ImportReport:
    """Import and collect every result (see `iter_import` for the options)."""
    report = ImportReport()
    cancel = options.get("cancel")
    report.results.extend(iter_import(case, paths, **options))  # type: ignore[arg-type]
    report.cancelled = isinstance(cancel, CancelToken) and cancel.cancelled
    return report


def recover_files(
    case: Case,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ImportReport:
    """Import the originals kept aside in recovered/ back into the case, as items.

    Each file is imported like any other (its own audited item.import row; a file whose bytes
    the case already has is a duplicate), then one case.recover row records what came back from
    where. A recovered copy is deleted only once the same bytes are in originals/ under a row;
    a file that fails stays in recovered/ with its error.
    """
    waiting = vault.recovered_files(case.root)
    paths = [case.root / rel for rel in waiting]
    report = import_files(case, paths, progress=progress, cancel=cancel)
    back: dict[str, int] = {}
    for rel, result in zip(waiting, _by_path(report, case.root, waiting), strict=True):
        if result is not None and result.status in ("imported", "duplicate") and result.item_id:
            back[rel] = result.item_id
    if back:
        with case.transaction() as conn:
            audit.append(conn, case.now(), "case.recover", None, {"files": back})
        for rel in back:
            _remove_recovered(case.root, rel)
    return report


def _by_path(report: ImportReport, root: Path, waiting: list[str]) -> list[FileResult | None]:
    found = {r.path: r for r in report.results}
    return [found.get(str(root / rel)) for rel in waiting]


def _remove_recovered(case_root: Path, rel: str) -> None:
    """Delete a recovered copy whose bytes are now an item, and its folders once empty."""
    path = case_root / rel
    try:
        if os.name == "nt":  # Windows refuses to delete a read-only file
            path.chmod(0o600)
        path.unlink()
    except OSError:
        log.warning("could not remove %s after recovering it", rel, exc_info=True)
        return
    folder = path.parent
    while folder != case_root and folder.is_relative_to(case_root / vault.RECOVERED):
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent


def _drain(pending: deque[tuple[Path, Future[_Prepared]]], current: Future[_Prepared]) -> None:
    for future in [current, *(f for _, f in pending)]:
        with contextlib.suppress(Exception):  # it failed anyway; nothing was staged
            vault.discard(future.result().staged)
    pending.clear()


def _prepare(source: Path, case_root: Path) -> _Prepared:
    """Copy, sniff and read one file; the source is opened and read once.

    The head that is sniffed comes from the copy's first read (a format that is refused is
    never copied), the modification time from the same handle; the reader then reads the copy,
    which the OS still holds in memory, never the source again.
    """
    sniffed: list[Sniffed] = []
    staged = vault.stage_copy(
        source,
        case_root,
        check_head=lambda head: sniffed.append(sniff(head, source.name)),
        head_bytes=HEADER_BYTES,
    )
    info = staged.source_stat
    mtime = datetime.fromtimestamp(info.st_mtime, UTC) if info is not None else None
    meta: MediaMetadata | None = None
    read_error: InputError | None = None
    try:
        meta = read_metadata(staged.temp_path, sniffed[0])
    except InputError as exc:
        read_error = exc
    except BaseException:
        vault.discard(staged)
        raise
    return _Prepared(source, staged, sniffed[0], meta, read_error, mtime)


def _record(case: Case, prepared: _Prepared, forced: ItemKind | None) -> FileResult:
    source, staged = prepared.source, prepared.staged
    existing = case.find_sha256(staged.sha256)
    if existing is not None:
        vault.discard(staged)
        return FileResult(
            str(source),
            "duplicate",
            item_id=existing,
            sha256=staged.sha256,
            message=tr(
                "{name}：已在案件中（第 {item} 项）",
                "{name}: already in the case as item {item}",
                name=source.name,
                item=existing,
            ),
        )
    meta = prepared.meta
    kind = forced or decide_kind(prepared.sniffed, meta)
    capture = meta.capture_time if meta else None
    if capture is None and prepared.mtime is not None:
        capture = CaptureTime.from_aware(
            prepared.mtime,
            TimeSource.FILE_TIME,
            "low",
            "file modification time: copying, downloading and chat apps change it",
        )
    rel = vault.commit_copy(staged, case.root, prepared.sniffed.ext)
    error_text = (
        f"{prepared.read_error.code}: {prepared.read_error}" if prepared.read_error else None
    )
    item_id = case.add_item(
        NewItem(
            sha256=staged.sha256,
            size=staged.size,
            kind=kind,
            kind_source="user" if forced else "sniffed",
            format=prepared.sniffed.format,
            vault_path=rel,
            original_name=display_name(source),
            file_mtime=prepared.mtime.isoformat(timespec="seconds") if prepared.mtime else None,
            capture_time=capture,
            metadata=meta.to_json()
            if meta
            else {"format": prepared.sniffed.format, "mime": prepared.sniffed.mime},
            read_error=error_text,
        )
    )
    vault.settle(case.root, rel)
    warnings = (
        tuple(meta.warnings)
        if meta
        else ((str(prepared.read_error),) if prepared.read_error else ())
    )
    return FileResult(
        str(source),
        "imported",
        item_id=item_id,
        kind=kind.value,
        sha256=staged.sha256,
        vault_path=rel,
        message=error_text or "",
        warnings=warnings,
    )
