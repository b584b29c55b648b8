"""The export's page pictures made in worker processes: decode, redact, scale, encode.

A photo or screenshot's page picture (`make_picture`: pass-through of a JPEG that already fits,
else a draft decode at page size, redaction filled, scaled and encoded without metadata) is
the export's main cost: about 0.05 s of CPU for a JPEG and 0.5 s for a 12 MP HEIC. With a case
of `POOL_MIN_PICTURES` pictures or more they are made in a pool of processes sized to the cores
(`PicturePool`), started for the export and ended with it:

- the decoders never hold the GIL against the window, and a decoder that crashes on a hostile
  file kills a worker, not the app: the jobs the broken pool held are run again one at a time
  in a fresh process of their own, so the crash is pinned on its file, which gets a one-line
  problem ("the decoder crashed on this file"), and the export goes on;
- the caller bounds what is in flight (`assets.prepare_assets` keeps a few exhibits ahead), so
  memory stays flat whatever the case size; each worker returns a file path, the picture's size
  and a screenshot's row profile, never pixels;
- redaction is applied in the worker before the picture is written, exactly as in-process.

Workers are forks of a fork server that has imported this module once
(`app/evidence/worker_pool.py`; spawned on Windows), and they end when the app ends. Smaller
cases, frozen builds (the executable would run the app again in each worker) and a machine
where no worker can start make the pictures on the caller's threads instead; the pictures are
the same either way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.evidence.errors import DamagedFile
from app.evidence.export.images import (
    load_upright,
    passthrough_jpeg,
    row_activity,
    save_clean_jpeg,
)
from app.evidence.i18n import both
from app.evidence.privacy.model import Rect
from app.evidence.worker_pool import (
    WireError,
    cores,
    error_from_wire,
    error_to_wire,
    new_pool,
    processes_allowed,
    start_worker,
    worker_ready,
)

log = logging.getLogger(__name__)

POOL_MIN_PICTURES = 16
"""A case with this many photos and screenshots makes them in the process pool. A worker takes
about 0.3 s of CPU to start and import Pillow, OpenCV and pillow-heif: about what five JPEG
pictures cost, so a handful of pictures is quicker on threads here."""

CRASHED = both(
    "解码此文件时解码器崩溃",
    "the decoder crashed on this file",
)


@dataclass(frozen=True)
class PictureJob:
    """One page picture to make.

    Attributes:
        src: the original.
        dest: the JPEG to write.
        max_width, max_height: the box the picture is scaled to fit (never enlarged).
        quality: JPEG quality of a picture made from pixels.
        text: a screenshot: full colour resolution (4:4:4) and its row profile.
        rects: redaction regions (upright full-size pixels) to fill before anything is written.
        passthrough: the original JPEG's own coded picture may be kept (no redaction of any
            kind recorded for the item).
    """

    src: Path
    dest: Path
    max_width: int
    max_height: int
    quality: int
    text: bool = False
    rects: tuple[Rect, ...] = ()
    passthrough: bool = True


@dataclass(frozen=True)
class PictureResult:
    """A page picture made (`width` x `height` at `job.dest`), or the error that stopped it.

    Attributes:
        activity: a screenshot's per-row activity (where to cut it), None for a photo.
        error: an InputError from the image reader, any other exception from a decoder, or
            None; the picture is not there when it is set.
        crashed: the worker process died on this file (the decoder crashed).
    """

    job: PictureJob
    width: int = 0
    height: int = 0
    activity: np.ndarray | None = None
    error: Exception | None = None
    crashed: bool = False


def make_picture(job: PictureJob) -> PictureResult:
    """Make one page picture here (in a worker or on the caller's thread); never raises for a
    bad file: its error is in the result."""
    try:
        kept = passthrough_jpeg(job.src, job.max_width, job.max_height) if job.passthrough else None
        if kept is not None:
            data, pixels = kept
            job.dest.write_bytes(data)
            activity = row_activity(pixels) if job.text else None
            return PictureResult(job, pixels.width, pixels.height, activity)
        picture = load_upright(job.src, job.max_width, job.max_height, job.rects)
        activity = row_activity(picture) if job.text else None
        save_clean_jpeg(picture, job.dest, quality=job.quality, text=job.text)
        return PictureResult(job, picture.width, picture.height, activity)
    except Exception as exc:  # noqa: BLE001 - hostile content in a decoder: one exhibit
        log.debug("preview failed for %s", job.src.name, exc_info=True)
        return PictureResult(job, error=exc)


# -- the process pool ---------------------------------------------------------------------------

Wire = tuple[int, int, np.ndarray | None, WireError | None]
"""What a worker sends back: (width, height, activity, (error class, message, path) | None)."""


def _pool_job(job: PictureJob) -> Wire:
    """Run one job in a worker; the result as plain data (an InputError's path is not among its
    args, and an arbitrary decoder exception may not pickle)."""
    result = make_picture(job)
    if result.error is None:
        return result.width, result.height, result.activity, None
    return 0, 0, None, error_to_wire(result.error)


def _from_wire(job: PictureJob, wire: Wire) -> PictureResult:
    width, height, activity, error = wire
    if error is None:
        return PictureResult(job, width, height, activity)
    return PictureResult(job, error=error_from_wire(error))


def _worker_start(level: int) -> None:
    """A worker's start: no log lines on the user's screen (what went wrong comes back in the
    result), large buffers back to the OS, an end with the app."""
    start_worker(level, logging.NullHandler())


class PicturePool:
    """Worker processes for one export's pictures; `run` is called from the caller's threads.

    Use as a context manager: the workers start on entry and end on exit. `run` blocks its
    thread until the job is done: the caller's thread pool bounds how many are in flight.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or cores())
        self._lock = threading.Lock()
        self._solo_lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._unusable = False
        self.crashes = 0

    def __enter__(self) -> PicturePool:
        self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the workers (waits for the jobs still running; none are queued by then)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def _new_executor(self, workers: int) -> ProcessPoolExecutor:
        level = logging.getLogger("app").getEffectiveLevel()
        return new_pool(workers, __name__, _worker_start, level)

    def _start(self) -> ProcessPoolExecutor | None:
        with self._lock:
            if self._executor is None and not self._unusable:
                self._executor = self._new_executor(self.workers)
            return self._executor

    def _discard(self, executor: ProcessPoolExecutor) -> None:
        """End a broken pool, unless another thread replaced it already."""
        with self._lock:
            if self._executor is executor:
                self._executor = None
        executor.shutdown(wait=False, cancel_futures=True)

    def run(self, job: PictureJob) -> PictureResult:
        """Make the picture in a worker; a worker that dies costs only the job that killed it."""
        executor = self._start()
        if executor is None:
            return make_picture(job)
        try:
            future: Future[Wire] = executor.submit(_pool_job, job)
        except OSError:  # no process can be made (process limit, out of memory)
            log.info("picture workers cannot start; making pictures here", exc_info=True)
            self._give_up()
            return make_picture(job)
        except (BrokenProcessPool, RuntimeError):  # broken or ended by another thread's job
            self._discard(executor)
            return self._solo(job)
        try:
            return _from_wire(job, future.result())
        except BrokenProcessPool:
            # A worker died: this job, or another one running beside it, killed it. Run it
            # again on its own to know which.
            self._discard(executor)
            return self._solo(job)

    def _give_up(self) -> None:
        with self._lock:
            self._unusable = True
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def _solo(self, job: PictureJob) -> PictureResult:
        """Run `job` alone in a process of its own: if that one dies too, the job killed it."""
        with self._solo_lock:
            if self._unusable:
                return make_picture(job)
            executor = self._new_executor(1)
            try:
                return _from_wire(job, executor.submit(_pool_job, job).result())
            except BrokenProcessPool:
                pass
            except OSError:
                log.info("picture workers cannot start; making pictures here", exc_info=True)
                self._give_up()
                return make_picture(job)
            finally:
                executor.shutdown(wait=True, cancel_futures=True)
            if not self._works():
                self._give_up()  # workers die at start, not on this file
                return make_picture(job)
        self.crashes += 1
        log.warning("the picture decoder crashed on %s", job.src.name)
        return PictureResult(job, error=DamagedFile(CRASHED, str(job.src)), crashed=True)

    def _works(self) -> bool:
        """Whether a fresh worker can run a trivial job (False: workers cannot start here)."""
        executor = self._new_executor(1)
        try:
            return bool(executor.submit(worker_ready).result(timeout=120))
        except Exception:  # noqa: BLE001 - any failure means no worker here
            log.debug("picture workers do not start", exc_info=True)
            return False
        finally:
            executor.shutdown(wait=False, cancel_futures=True)


def use_pool(kinds: Sequence[str]) -> bool:
    """Whether a case whose exhibits are of these kinds makes its pictures in the pool."""
    pictures = sum(kind in ("photo", "screenshot") for kind in kinds)
    return pictures >= POOL_MIN_PICTURES and processes_allowed()
