"""Rebuildable files of a case under derived/: thumbnails and the picture-data hashes.

Everything here can be deleted and made again from the originals; nothing here is evidence.
Thumbnails are made for items already recorded (`build_thumbnails`) or while an import still
records them (`ThumbnailFeed`). The hashes of each original's picture data, which the
cross-item check compares (checks.cross), are kept in derived/pixels/hashes.json
(`load_pixel_hashes`, `save_pixel_hashes`): an original never changes, so its picture is hashed
once, not again at every import.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from app.evidence.errors import UnsafeStoredPath
from app.evidence.i18n import both
from app.evidence.ingest.importer import FileResult
from app.evidence.ingest.thumbnails import (
    POOL_MIN_JOBS,
    Examine,
    ThumbnailJob,
    ThumbnailResult,
    make_thumbnails,
    warm_pool,
)
from app.evidence.jsonfile import read_json, write_json
from app.evidence.memory import limit_heap_growth
from app.evidence.models import Item, ItemKind
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress
from app.evidence.store import vault
from app.evidence.store.case import DERIVED, Case

log = logging.getLogger(__name__)

THUMBNAIL_KINDS = {ItemKind.PHOTO, ItemKind.SCREENSHOT, ItemKind.VIDEO}
_EXAMINED_KINDS = {ItemKind.PHOTO.value, ItemKind.SCREENSHOT.value}
SHA256 = re.compile(r"[0-9a-f]{64}")


def thumbnail_path(case: Case, item: Item) -> Path:
    """Where an item's thumbnail lives (it may not exist yet).

    Raises:
        UnsafeStoredPath: the item's recorded SHA-256 is not one (a crafted case.sqlite could
            name a path outside derived/ with it), or a link is on the way.
    """
    return _thumbnail_path(case, item.id, item.sha256)


def _thumbnail_path(case: Case, item_id: int, sha256: str) -> Path:
    if not SHA256.fullmatch(sha256):
        message = both(
            "第 {item} 项记录的 SHA-256 不是有效的哈希值，不生成缩略图",
            "item {item}: the recorded SHA-256 is not a hash; no thumbnail",
            item=item_id,
        )
        raise UnsafeStoredPath(message, sha256)
    return vault.derived_path(case.root, f"{DERIVED}/thumbs/{sha256[:2]}/{sha256}.jpg")


def build_thumbnails(
    case: Case,
    item_ids: Iterable[int] | None = None,
    *,
    progress: ProgressCallback = no_progress,
    workers: int | None = None,
    force: bool = False,
) -> list[ThumbnailResult]:
    """Make missing thumbnails for the given items (all items when None), in parallel.

    `workers` processes (one per core when None) make them; see thumbnails.make_thumbnails.
    """
    limit_heap_growth()  # a small batch decodes on this process's threads: keep RSS flat
    wanted = set(item_ids) if item_ids is not None else None
    jobs = []
    for item in case.items():
        if (wanted is not None and item.id not in wanted) or item.kind not in THUMBNAIL_KINDS:
            continue
        try:
            dest = thumbnail_path(case, item)
            if force or not dest.exists():
                jobs.append(ThumbnailJob(case.path_of(item), dest, item.kind.value))
        except UnsafeStoredPath as exc:
            log.warning("no thumbnail for item %d: %s", item.id, exc)
    if not jobs:
        return []
    results = make_thumbnails(
        jobs, workers=workers, progress=lambda d, t: progress(Progress("thumbnails", d, t))
    )
    _log_failures(results)
    return results


def _log_failures(results: Iterable[ThumbnailResult]) -> None:
    for result in results:
        if result.error:
            log.info("no thumbnail for %s: %s", result.job.src.name, result.error)


_PIXELS = "pixels"
_PIXELS_FILE = "hashes.json"
_PIXELS_SCHEMA = 1


def load_pixel_hashes(case: Case) -> dict[str, str | None]:
    """The kept picture-data hashes: file SHA-256 -> hash (None: not decodable); {} when the
    file is missing, unreadable, of another schema or malformed (each entry is checked)."""
    try:
        data = read_json(vault.derived_path(case.root, f"{DERIVED}/{_PIXELS}/{_PIXELS_FILE}"))
    except UnsafeStoredPath:
        return {}
    if data is None or data.get("schema") != _PIXELS_SCHEMA:
        return {}
    hashes = data.get("hashes")
    if not isinstance(hashes, dict):
        return {}
    return {
        key: value
        for key, value in hashes.items()
        if isinstance(key, str)
        and SHA256.fullmatch(key)
        and (value is None or (isinstance(value, str) and SHA256.fullmatch(value)))
    }


def save_pixel_hashes(case: Case, hashes: dict[str, str | None]) -> None:
    """Keep the picture-data hashes (written whole, atomically); a failure only costs time."""
    try:
        target = case.derived_dir(_PIXELS) / _PIXELS_FILE
        write_json(target, {"schema": _PIXELS_SCHEMA, "hashes": hashes})
    except (OSError, UnsafeStoredPath) as exc:
        log.info("picture hashes not kept: %s", exc)


FEED_MAX_BATCH = 32
"""At most this many thumbnails go to make_thumbnails at once while an import runs. A batch is
whatever has come in since the last one began (a slow import hands over two at a time, a fast
one many), so the workers stay busy; a batch ends at its slowest thumbnail."""
_FEED_MIN_BATCH = 2  # make_thumbnails runs a single job on a thread here, never in the pool
_FEED_POLL_S = 0.25  # how often `finish` looks at the cancel token while it waits


class _Stopped(Exception):
    """The feed was stopped: the batch in hand ends at its next thumbnail."""


class ThumbnailFeed:
    """Thumbnails made while an import is still recording its files.

    The import hands over each file as soon as it is recorded (`add`); a thread of the feed
    passes what has come in to `make_thumbnails`, batch after batch, while the next files are
    copied. `finish` says no more will come, waits for the rest and returns every result (in
    the order they were made). `examine` goes with each photo's and screenshot's job (see
    thumbnails.Examine): what it returns is in the result's `examined`. For an import of
    POOL_MIN_JOBS files or more (`expect`) the thumbnails are made in the process pool, which
    starts while the first files are copied and never holds this process's GIL; a smaller one
    uses the pool only when it is already up.

    Progress is told only by `finish`, on its caller's thread, as the "thumbnails" stage: it
    starts from the thumbnails made during the import and counts to the number handed over.
    `stop` (or leaving the `with` block) ends the feed early (a cancel, a full disk, Ctrl+C):
    the batch in hand ends at its next thumbnail, those made stay (each is written atomically)
    and the rest are made by the next `check` (checks.missing.finish_missing).
    """

    def __init__(
        self, case: Case, *, workers: int | None = None, examine: Examine | None = None
    ) -> None:
        self._case = case
        self._workers = workers
        self._examine = examine
        self._processes: bool | None = None
        self._cond = threading.Condition()
        self._queue: list[ThumbnailJob] = []
        self._results: list[ThumbnailResult] = []
        self._handed = 0  # jobs handed over so far
        self._made = 0  # jobs finished (made or failed), those of the batch in hand included
        self._closed = False
        self._stopped = False
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ThumbnailFeed:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def expect(self, files: int) -> None:
        """The import holds this many files: the process pool from POOL_MIN_JOBS files on,
        its workers started now, while the first files are copied."""
        with self._cond:
            self._processes = True if files >= POOL_MIN_JOBS else None
        if files >= POOL_MIN_JOBS:
            warm_pool(self._workers)

    def add(self, result: FileResult) -> bool:
        """Hand over a file the import has just recorded; False when it gets no thumbnail (it
        was not imported, its kind has none, it has one already, or its stored paths are not
        safe to use)."""
        job = self._job(result)
        if job is None:
            return False
        with self._cond:
            if self._closed or self._stopped:
                return False
            self._queue.append(job)
            self._handed += 1
            if self._thread is None:
                limit_heap_growth()  # small imports decode on this process's threads
                self._thread = threading.Thread(
                    target=self._run, name="thumbnail-feed", daemon=True
                )
                self._thread.start()
            self._cond.notify_all()
        return True

    def _job(self, result: FileResult) -> ThumbnailJob | None:
        if result.status != "imported" or not (result.item_id and result.sha256):
            return None
        if result.kind is None or result.vault_path is None:
            return None
        if ItemKind(result.kind) not in THUMBNAIL_KINDS:
            return None
        try:
            dest = _thumbnail_path(self._case, result.item_id, result.sha256)
            if dest.exists():  # the same bytes were imported, removed and imported again
                return None
            src = vault.original_path(self._case.root, result.vault_path)
        except UnsafeStoredPath as exc:
            log.warning("no thumbnail for item %d: %s", result.item_id, exc)
            return None
        examine = self._examine if result.kind in _EXAMINED_KINDS else None
        return ThumbnailJob(src, dest, result.kind, examine=examine)

    def _run(self) -> None:
        """The feed's thread: batch after batch until finished or stopped."""
        while True:
            with self._cond:
                while not self._stopped and not self._closed and len(self._queue) < _FEED_MIN_BATCH:
                    self._cond.wait()
                if self._stopped or not self._queue:
                    self._cond.notify_all()
                    return
                batch = self._queue[:FEED_MAX_BATCH]
                del self._queue[:FEED_MAX_BATCH]
                before, processes = self._made, self._processes

            def count(done: int, _total: int, before: int = before) -> None:
                with self._cond:
                    if self._stopped:
                        raise _Stopped
                    self._made = before + done
                    self._cond.notify_all()

            try:
                made = make_thumbnails(batch, self._workers, count, processes=processes)
            except _Stopped:
                return
            except BaseException as exc:  # told to `finish`'s caller; the import goes on
                with self._cond:
                    self._error, self._stopped = exc, True
                    self._cond.notify_all()
                return
            _log_failures(made)
            with self._cond:
                self._results.extend(made)
                self._made = before + len(batch)
                self._cond.notify_all()

    def finish(
        self, progress: ProgressCallback = no_progress, cancel: CancelToken | None = None
    ) -> list[ThumbnailResult]:
        """No more files: wait for every thumbnail handed over and return the results.

        Tells progress as the "thumbnails" stage (done counts those made during the import).
        When `cancel` is set the feed stops: the results are those made so far.
        """
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread, total = self._thread, self._handed
        if thread is None:
            return []
        shown = -1
        while True:
            with self._cond:
                done, running = self._made, thread.is_alive()
                if running and done == shown:
                    self._cond.wait(_FEED_POLL_S)
                    done, running = self._made, thread.is_alive()
            if done != shown:
                progress(Progress("thumbnails", done, total))
                shown = done
            if not running:
                break
            if cancel is not None and cancel.cancelled:
                self.stop()
                break
        thread.join()
        with self._cond:
            if self._error is not None:
                raise self._error
            return list(self._results)

    def stop(self) -> None:
        """End the feed now: no more batches; the one in hand ends at its next thumbnail."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
