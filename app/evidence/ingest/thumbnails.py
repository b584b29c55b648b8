"""Thumbnails for the case's derived/ folder: small upright JPEGs that carry no metadata.

Photos and screenshots go through Pillow (HEIC through pillow-heif), videos through OpenCV's
first decodable frame. A thumbnail never carries EXIF, GPS or an ICC profile: it is shown and
exported freely, and location or camera data must not leak through it. Colours are converted to
sRGB first, so dropping the profile does not shift them.

A picture's thumbnail comes from the cheapest source that is good enough (`SOURCES`): the HEIF
thumbnail item; a JPEG's EXIF thumbnail or MPF preview when it is at least the size shown and has
the picture's aspect ratio (the picture's EXIF orientation is applied to it); else a JPEG decoded
at 1/2..1/8 scale (DCT scaling), else the decoded picture. A 12 MP HEIC's full decode is ~0.3 s
of CPU (2 s on a busy machine); its 320 px thumbnail item 5-25 ms.

Batches run in a pool of processes sized to the cores (`make_thumbnails`): decoding never holds
the GIL against the window, and a decoder that crashes on a hostile file takes a worker down,
not the app (that file gets a DamagedFile, the others go on). Small batches, frozen builds and a
pool that cannot start run on threads in this process instead.

A job may carry an `examine` function: when the thumbnail was made by decoding a JPEG, that
decode (the picture as stored, before it is shrunk or turned) is handed to it in the worker, and
what it returns comes back with the result. The import's integrity check uses it for the EXIF
thumbnail comparison, so each photo is decoded once, not once here and again for the check
(issue 20).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import logging
import os
import secrets
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import (
    FIRST_COMPLETED,
    CancelledError,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, Image, ImageCms, ImageOps

from app.evidence.errors import (
    DamagedFile,
    DecompressionBomb,
    InputError,
    UnreadableFile,
    UnsupportedFormat,
)
from app.evidence.i18n import both
from app.evidence.readers.image import check_input_file, open_image
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

logger = logging.getLogger(__name__)

JPEG_QUALITY = 80
_VIDEO_FRAME_TRIES = 60  # frames to skip past before calling a video undecodable
_IMAGE_KINDS = {"photo", "screenshot"}
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}
_DRAFT_FORMATS = {"JPEG", "MPO"}  # decoded at 1/2..1/8 scale for a preview
_EXAMINED_SIDE = 320  # the thumbnail comparison decodes twice a 160-pixel thumbnail a side
_MAX_PREVIEW_BYTES = 16 * 1024 * 1024  # an MPF preview larger than this is not a preview
_SRGB = ImageCms.createProfile("sRGB")
_MAX_TRANSFORMS = 32
_TRANSFORMS: dict[tuple[bytes, str], ImageCms.ImageCmsTransform] = {}
_TRANSFORMS_LOCK = threading.Lock()
_TRANSPOSE = {
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_270],
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_90],
}

SOURCE_HEIF_THUMBNAIL = "heif-thumbnail"  # the HEIF file's thumbnail item
SOURCE_EXIF_THUMBNAIL = "exif-thumbnail"  # a JPEG's EXIF (IFD1) thumbnail
SOURCE_MPF_PREVIEW = "mpf-preview"  # a JPEG's MPF large thumbnail
SOURCE_JPEG_DRAFT = "jpeg-draft"  # the JPEG decoded at 1/2..1/8 scale
SOURCE_DECODE = "decode"  # the picture decoded in full
SOURCE_VIDEO_FRAME = "video-frame"  # a video's first decodable frame
SOURCES = (
    SOURCE_HEIF_THUMBNAIL,
    SOURCE_EXIF_THUMBNAIL,
    SOURCE_MPF_PREVIEW,
    SOURCE_JPEG_DRAFT,
    SOURCE_DECODE,
    SOURCE_VIDEO_FRAME,
)

POOL_MIN_JOBS = 16
"""A batch this large starts the process pool when it is not running; a smaller one runs on
threads here unless the pool is already up. A worker takes ~0.12 s of CPU to start and import
Pillow (2-3 s of wall time at load 20 on 2 cores), about what 8 photos' thumbnails cost."""
POOL_IDLE_SECONDS = 60.0
"""The pool's workers end after this long without a batch (each holds ~50 MB)."""


Examine = Callable[[Path, Image.Image, tuple[int, int]], object]
"""examine(src, decoded, stored_size): called in the worker with the JPEG picture the thumbnail
was made from, as decoded (RGB, stored orientation, reduced by DCT scaling) and its stored size.
It must be a module-level function (it travels to the worker by name) and return plain data."""


@dataclass(frozen=True)
class ThumbnailJob:
    """One thumbnail to make: `kind` is an ItemKind value ("photo", "screenshot", "video").

    `examine`: see `Examine`; called only when the thumbnail decoded a JPEG's picture.
    """

    src: Path
    dest: Path
    kind: str
    max_px: int = 320
    examine: Examine | None = None


@dataclass(frozen=True)
class ThumbnailResult:
    """The outcome of one job: `path` on success, otherwise `error` says why.

    `source` says what the thumbnail was made from (one of `SOURCES`) when it was made;
    `examined` what the job's `examine` returned (None when it was not called or failed).
    """

    job: ThumbnailJob
    path: Path | None = None
    error: InputError | None = None
    source: str | None = None
    examined: object = None


def make_thumbnail(src: Path, dest: Path, kind: str, max_px: int = 320) -> Path:
    """Write an upright JPEG thumbnail of `src` to `dest`, atomically.

    Args:
        src: the original photo, screenshot or video.
        dest: where the JPEG goes; its folder is created when missing.
        kind: "photo", "screenshot" or "video" (an ItemKind or its value).
        max_px: the longest side of the result, in pixels.

    Returns:
        `dest`.

    Raises:
        InputError: the matching subclass when the source cannot be read or decoded, or the
            kind has no thumbnail.
    """
    _make_thumbnail(src, dest, kind, max_px)
    return dest


_Kept = list[tuple[Image.Image, tuple[int, int]]]


def _make_thumbnail(
    src: Path, dest: Path, kind: str, max_px: int, keep: _Kept | None = None
) -> str:
    """make_thumbnail, returning the source the thumbnail was made from (one of SOURCES).

    `keep`: when given and the thumbnail decodes a JPEG's picture, that decode (as decoded) and
    the stored size are appended to it.
    """
    kind = str(getattr(kind, "value", kind))
    try:
        if kind in _IMAGE_KINDS:
            picture, source = _picture_thumbnail(src, max_px, keep)
        elif kind == "video":
            picture, source = _video_thumbnail(src, max_px), SOURCE_VIDEO_FRAME
        else:
            raise UnsupportedFormat(f"no thumbnail for items of kind '{kind}'", str(src))
        _save_atomically(picture, dest)
    except InputError:
        raise
    except OSError as exc:
        if exc.errno in _WRITE_ERRNOS:  # the disk, not the picture: say so
            raise UnreadableFile(
                f"cannot write the thumbnail: {exc.strerror or exc}", str(src)
            ) from exc
        if not src.exists() or isinstance(exc, PermissionError):
            raise UnreadableFile(f"cannot read or write: {exc}", str(src)) from exc
        raise DamagedFile(f"the picture cannot be decoded: {exc}", str(src)) from exc
    except Exception as exc:  # hostile content inside a decoder: one bad file, not a crash
        # one line at warning level; the traceback only with -v (debug), never on a user's screen
        logger.warning("thumbnail failed for %s: %s", src.name, exc)
        logger.debug("thumbnail failure for %s", src, exc_info=True)
        raise DamagedFile(f"the picture cannot be decoded: {exc}", str(src)) from exc
    return source


def make_thumbnails(
    jobs: Iterable[ThumbnailJob],
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    processes: bool | None = None,
) -> list[ThumbnailResult]:
    """Make many thumbnails in parallel; one bad file never stops the others.

    Args:
        jobs: the thumbnails to make.
        workers: processes (or threads) to use; None for one per core.
        progress: called as progress(done, total) on the calling thread after each job.
        processes: True to use the process pool, False to use threads in this process, None to
            choose (the pool for a batch of POOL_MIN_JOBS or more, or when it is already up).

    Returns:
        One result per job, in the order of `jobs`.
    """
    job_list = list(jobs)
    if not job_list:
        return []
    count = max(1, workers if workers is not None else cores())
    if processes is None:
        processes = _POOL.running() or len(job_list) >= POOL_MIN_JOBS
    report = progress if progress is not None else _no_progress
    if processes and len(job_list) > 1 and _POOL.allowed():
        return _run_in_pool(job_list, count, report)
    return _run_in_threads(job_list, count, report, [None] * len(job_list))


def _no_progress(done: int, total: int) -> None:
    """A progress callback that shows nothing."""


def _run_job(job: ThumbnailJob) -> ThumbnailResult:
    kept: _Kept | None = [] if job.examine is not None else None
    try:
        source = _make_thumbnail(job.src, job.dest, job.kind, job.max_px, kept)
    except InputError as exc:
        return ThumbnailResult(job, error=exc)
    except Exception as exc:  # make_thumbnail should not let this through; never lose the batch
        logger.warning("thumbnail job failed for %s: %s", job.src.name, exc)
        logger.debug("thumbnail job failure for %s", job.src, exc_info=True)
        return ThumbnailResult(job, error=DamagedFile(str(exc), str(job.src)))
    examined = None
    if job.examine is not None and kept:
        decoded, stored = kept[0]
        try:
            examined = job.examine(job.src, decoded, stored)
        except Exception as exc:  # the thumbnail stands; the caller does that work itself
            logger.debug("examining %s failed (done again later): %s", job.src.name, exc)
        finally:
            decoded.close()
    return ThumbnailResult(job, path=job.dest, source=source, examined=examined)


def _run_in_threads(
    job_list: list[ThumbnailJob],
    workers: int,
    progress: Callable[[int, int], None],
    results: list[ThumbnailResult | None],
) -> list[ThumbnailResult]:
    """Run the jobs whose result is still None on threads (Pillow and OpenCV release the GIL
    while decoding, so threads run in parallel, but the Python parts still take turns)."""
    todo = [index for index, result in enumerate(results) if result is None]
    done = len(job_list) - len(todo)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="thumb") as pool:
        for index, result in zip(
            todo, pool.map(_run_job, [job_list[i] for i in todo]), strict=True
        ):
            results[index] = result
            done += 1
            progress(done, len(job_list))
    return [result for result in results if result is not None]


# -- the process pool ---------------------------------------------------------------------------

Wire = tuple[str | None, str | None, WireError | None, list[tuple[str, int, str]], object]
"""What a worker sends back: (path, source, (error class, message, path) | None, log lines,
what `examine` returned)."""


def _pool_job(job: ThumbnailJob) -> Wire:
    """Run one job in a worker and return its outcome as plain data (errors do not pickle whole:
    InputError's path is not among its args)."""
    _WorkerLog.lines.clear()
    result = _run_job(job)
    lines = list(_WorkerLog.lines)
    if result.error is not None:
        return None, None, error_to_wire(result.error, DamagedFile), lines, None
    return str(result.path), result.source, None, lines, result.examined


def _from_wire(job: ThumbnailJob, wire: Wire) -> ThumbnailResult:
    path, source, error, lines, examined = wire
    for name, level, line in lines:  # the worker's log lines, told here where logging is set up
        logging.getLogger(name).log(level, "%s", line)
    if error is not None:
        rebuilt = error_from_wire(error)
        if not isinstance(rebuilt, InputError):  # a thumbnail's errors are all InputErrors
            rebuilt = DamagedFile(str(rebuilt), str(job.src))
        return ThumbnailResult(job, error=rebuilt)
    path_made = Path(path) if path else job.dest
    return ThumbnailResult(job, path=path_made, source=source, examined=examined)


class _WorkerLog(logging.Handler):
    """Keeps a worker's log lines for the job at hand; the app process logs them."""

    lines: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):  # an unformattable record is not worth a failed job
            text = record.getMessage()
            if record.exc_info:  # the traceback of a debug line (-v), as text
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            self.lines.append((record.name, record.levelno, text))


def _worker_start(level: int) -> None:
    """A worker's start: log lines go back to the app, large buffers back to the OS, an end
    with the app, and OpenCV on this worker's thread alone: the pool has a worker per core,
    and OpenCV's own threads in each (for the thumbnail comparison a job may run) would only
    contend with the other workers (a 12 MP comparison: 35 ms of CPU with them, 27 without)."""
    start_worker(level, _WorkerLog())
    os.environ["OPENCV_FOR_THREADS_NUM"] = "1"  # read when OpenCV is first imported here
    cv2 = sys.modules.get("cv2")
    if cv2 is not None:  # already imported (a spawned worker imports what the app had)
        cv2.setNumThreads(1)


def _crashed(job: ThumbnailJob) -> ThumbnailResult:
    message = both(
        "解码此文件时解码器崩溃，未生成缩略图",
        "the decoder crashed on this file; no thumbnail",
    )
    logger.warning("thumbnail decoder crashed on %s", job.src.name)
    return ThumbnailResult(job, error=DamagedFile(message, str(job.src)))


class _PoolUnavailable(Exception):
    """No worker process can be started here (fork/exec refused, workers die at start-up)."""


class _Pool:
    """The process pool, started on first use, shared by batches and ended when idle.

    Batches may run at the same time (an import and a check from two threads): the pool is
    replaced only when it broke, and ended only when no batch is running.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._timer: threading.Timer | None = None
        self._active = 0
        self._unusable = False

    def allowed(self) -> bool:
        """False in a frozen build (the executable would run the app again in each worker: it
        does not call multiprocessing.freeze_support) and once the pool failed to start."""
        return not self._unusable and processes_allowed()

    def running(self) -> bool:
        with self._lock:
            return self._executor is not None

    def enter(self) -> None:
        """A batch starts: no idle countdown while it runs."""
        with self._lock:
            self._active += 1
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def leave(self) -> None:
        """A batch ended: start the countdown that ends the workers when no batch comes."""
        with self._lock:
            self._active -= 1
            if self._active or self._executor is None:
                return
            self._timer = threading.Timer(POOL_IDLE_SECONDS, self._end_if_idle)
            self._timer.daemon = True
            self._timer.start()

    def get(self, workers: int) -> ProcessPoolExecutor:
        """The running pool, or a new one of `workers` processes (started as jobs come)."""
        with self._lock:
            if self._executor is None:
                level = logging.getLogger("app").getEffectiveLevel()
                self._executor = new_pool(workers, __name__, _worker_start, level)
            return self._executor

    def discard(self, executor: Executor) -> None:
        """End a broken pool (unless another batch already replaced it)."""
        with self._lock:
            if self._executor is executor:
                self._executor = None
        executor.shutdown(wait=False, cancel_futures=True)

    def unusable(self) -> None:
        logger.info("thumbnail process pool cannot start; threads from now on")
        self._unusable = True
        self.shutdown()

    def _end_if_idle(self) -> None:
        with self._lock:
            if self._active:
                return
        self.shutdown()

    def shutdown(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


_POOL = _Pool()


def warm_pool(workers: int | None = None) -> None:
    """Start the pool's workers now, on a thread of their own (starting the first worker waits
    for the fork server to import Pillow): call when a batch of POOL_MIN_JOBS or more is known
    to come, before its first job exists. The idle countdown runs from here as after a batch."""
    if not _POOL.allowed():
        return
    count = max(1, workers if workers is not None else cores())
    threading.Thread(target=_warm, args=(count,), name="thumbnail-pool-start", daemon=True).start()


def _warm(workers: int) -> None:
    _POOL.enter()
    try:
        executor = _POOL.get(workers)
        for _ in range(workers):
            executor.submit(worker_ready)
    except (RuntimeError, OSError, BrokenProcessPool):  # the batch finds out and falls back
        logger.debug("thumbnail pool not started ahead", exc_info=True)
    finally:
        _POOL.leave()


def shutdown_pool() -> None:
    """End the thumbnail workers now (they also end on their own when idle, and at exit)."""
    _POOL.shutdown()


def _run_in_pool(
    job_list: list[ThumbnailJob], workers: int, progress: Callable[[int, int], None]
) -> list[ThumbnailResult]:
    results: list[ThumbnailResult | None] = [None] * len(job_list)
    _POOL.enter()
    try:
        try:
            _pool_batch(job_list, list(range(len(job_list))), workers, results, progress)
        except BrokenProcessPool:
            # A worker died (a decoder crashed on a file, or workers die as they start): find
            # out which, then run what is left one job at a time to pin a crash on its file.
            if not _pool_works(workers):
                raise _PoolUnavailable("workers do not start") from None
            for index, result in enumerate(results):
                if result is None:
                    try:
                        _pool_batch(job_list, [index], workers, results, progress)
                    except BrokenProcessPool:
                        results[index] = _crashed(job_list[index])
                        progress(sum(result is not None for result in results), len(job_list))
    except _PoolUnavailable as exc:
        logger.debug("thumbnail process pool unavailable: %s", exc, exc_info=True)
        _POOL.unusable()
        return _run_in_threads(job_list, workers, progress, results)
    finally:
        _POOL.leave()
    return [result for result in results if result is not None]


def _pool_batch(
    job_list: list[ThumbnailJob],
    indices: list[int],
    workers: int,
    results: list[ThumbnailResult | None],
    progress: Callable[[int, int], None],
) -> None:
    """Run job_list[i] for i in indices in the pool, filling `results` as each one finishes.

    Raises:
        BrokenProcessPool: a worker died (the pool is discarded); the jobs that finished before
            are in `results`.
        _PoolUnavailable: no worker process can be started.
    """
    executor = _POOL.get(workers)
    pending: dict[Future[Wire], int] = {}
    try:
        for index in indices:
            try:
                pending[executor.submit(_pool_job, job_list[index])] = index
            except BrokenProcessPool:
                raise
            except RuntimeError as exc:  # shut down as broken by a batch on another thread
                raise BrokenProcessPool(str(exc)) from exc
            except OSError as exc:  # no process can be made (out of memory, process limit)
                raise _PoolUnavailable(str(exc)) from exc
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                index = pending.pop(future)
                try:
                    wire = future.result()
                except CancelledError as exc:  # the pool broke under another batch
                    raise BrokenProcessPool("the pool was ended") from exc
                results[index] = _from_wire(job_list[index], wire)
                progress(sum(result is not None for result in results), len(job_list))
    except BrokenProcessPool:
        _POOL.discard(executor)
        raise
    finally:
        for future in pending:  # cancelled (the progress callback raised), or the pool broke
            future.cancel()


def _pool_works(workers: int) -> bool:
    """Whether a fresh pool can run a trivial job (False: workers cannot start here)."""
    executor = _POOL.get(workers)
    try:
        return bool(executor.submit(worker_ready).result(timeout=120))
    except Exception:
        logger.debug("thumbnail process pool does not start", exc_info=True)
        _POOL.discard(executor)
        return False


def _picture_thumbnail(
    src: Path, max_px: int, keep: _Kept | None = None
) -> tuple[Image.Image, str]:
    """The picture's thumbnail (upright, sRGB) and the source it was made from (see SOURCES).

    `keep`: see _make_thumbnail.
    """
    with open_image(src) as im:
        icc = im.info.get("icc_profile")
        shown = _shown_size(im.size, max_px)
        source = SOURCE_DECODE
        if im.format in _DRAFT_FORMATS:
            preview = _embedded_preview(src, im, shown)
            if preview is not None:
                picture, source = preview
                with picture:
                    own_icc = picture.info.get("icc_profile")
                    if not isinstance(own_icc, bytes):  # a camera renders it as it does the photo
                        own_icc = icc if picture.mode == im.mode else None
                    profile = own_icc if isinstance(own_icc, bytes) else None
                    picture.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
                    # The preview is stored as the main image is: the main image's orientation.
                    upright = _oriented(picture, _orientation(im))
                    return _to_srgb(upright, profile), source
            # draft() before anything that decodes: JPEG then decodes at 1/2..1/8 scale (DCT
            # scaling), asked for the size shown so that a 12 MP photo decodes at 1/8.
            stored = im.size
            # kept for the check: at least what it decodes for a camera's 160-pixel EXIF
            # thumbnail on each side, or the check would decode the file again (issue 20);
            # without an EXIF thumbnail there is nothing to compare, and no finer decode
            least = _EXAMINED_SIDE if keep is not None and _has_exif_thumbnail(im) else 0
            im.draft("RGB", (max(shown[0], least), max(shown[1], least)))
            if im.size != stored:
                source = SOURCE_JPEG_DRAFT
            if keep is not None:  # the decode as the checks would make it (decode_picture)
                im.load()
                keep.append((im.convert("RGB"), stored))
        elif im.format == "HEIF" and im.draft(None, shown) is not None:
            # pillow-heif picks the smallest thumbnail item at least this large that is a scaled
            # copy of the image (same aspect, crop, rotation, mirroring and colour profile).
            source = SOURCE_HEIF_THUMBNAIL
        limit = Image.MAX_IMAGE_PIXELS or 0
        if source == SOURCE_DECODE and limit and im.width * im.height > limit:
            # decoded in full (and copied once to resize): ~1 GB at this size; none for a preview
            message = f"{im.width}x{im.height} is too large to preview without decoding it in full"
            raise DecompressionBomb(message, str(src))
        # Shrink first, then turn upright: turning copies the picture, which at full size
        # holds a 100 MP PNG twice (over 1 GB). The bound is square, so the order is free.
        im.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
        upright = _upright(im)
        return _to_srgb(upright, icc if isinstance(icc, bytes) else None), source


def _has_exif_thumbnail(im: Image.Image) -> bool:
    """Whether the JPEG's EXIF names a thumbnail (IFD1 offset and length)."""
    if not im.info.get("exif"):
        return False
    try:
        ifd1 = im.getexif().get_ifd(ExifTags.IFD.IFD1)
    except Exception:  # a malformed IFD1: no thumbnail to compare
        return False
    return 0x0201 in ifd1 and 0x0202 in ifd1


def _shown_size(size: tuple[int, int], max_px: int) -> tuple[int, int]:
    """The size the thumbnail is shown at: `size` shrunk to fit `max_px`, never enlarged."""
    width, height = size
    scale = min(1.0, max_px / max(width, height, 1))
    return max(1, int(width * scale)), max(1, int(height * scale))


def _embedded_preview(
    src: Path, im: Image.Image, shown: tuple[int, int]
) -> tuple[Image.Image, str] | None:
    """The smallest preview a JPEG holds that can stand for it at `shown`, decoded; else None.

    Candidates are the EXIF thumbnail (IFD1) and the MPF large thumbnails. One is used only when
    it is at least `shown` and has the main image's aspect ratio as stored (a preview rotated,
    cropped or letter-boxed differently from the picture is stale): the main image's EXIF
    orientation is then applied to it. Anything odd about a preview means it is not used.
    A file whose EXIF says it was saved again after it was taken, or describes a picture of
    another size, may keep the preview of the picture before the edit: none is used then.
    """
    if not _previews_trusted(im):
        return None
    candidates: list[tuple[int, str, Image.Image]] = []
    for data, source in _preview_bytes(src, im):
        try:
            preview = Image.open(io.BytesIO(data), formats=["JPEG"])
        except Exception:
            logger.debug("embedded preview of %s unreadable", src.name, exc_info=True)
            continue
        if _stands_for(preview.size, im.size, shown):
            candidates.append((preview.width * preview.height, source, preview))
        else:
            preview.close()
    candidates.sort(key=lambda candidate: candidate[0])
    chosen: tuple[Image.Image, str] | None = None
    for _, source, candidate in candidates:
        if chosen is None:
            try:
                candidate.draft("RGB", shown)
                candidate.load()
                chosen = candidate, source
                continue
            except Exception:  # damaged: the next candidate, or the picture itself
                logger.debug("embedded preview of %s undecodable", src.name, exc_info=True)
        candidate.close()
    return chosen


def _previews_trusted(im: Image.Image) -> bool:
    """False when the EXIF shows the pixels may have changed since the previews were made: its
    pixel dimensions are not the picture's, or it was saved (DateTime) at another time than it
    was taken (DateTimeOriginal), as editors that keep the EXIF do."""
    try:
        exif = im.getexif()
        sub = exif.get_ifd(ExifTags.IFD.Exif)
    except Exception:
        return False
    declared = (sub.get(0xA002), sub.get(0xA003))  # PixelXDimension, PixelYDimension
    if all(isinstance(value, int) for value in declared) and declared != im.size:
        return False
    saved, taken = exif.get(0x0132), sub.get(0x9003)
    if isinstance(saved, str) and isinstance(taken, str):
        return saved.strip("\x00 ") == taken.strip("\x00 ")
    return True


def _stands_for(preview: tuple[int, int], main: tuple[int, int], shown: tuple[int, int]) -> bool:
    """Whether a preview of size `preview` can be shown for a main image of size `main`."""
    (p_width, p_height), (width, height) = preview, main
    if p_width < shown[0] or p_height < shown[1]:
        return False  # smaller than shown: it would be enlarged
    if p_width >= width and p_height >= height:
        return False  # no smaller than the picture: not a preview
    # the same aspect ratio within the rounding of the preview's size (about 2 of its pixels)
    return abs(p_width * height - p_height * width) <= 2 * max(width, height)


def _preview_bytes(src: Path, im: Image.Image) -> list[tuple[bytes, str]]:
    """The JPEG streams of a JPEG's EXIF thumbnail and MPF large thumbnails (unchecked)."""
    found: list[tuple[bytes, str]] = []
    exif = im.info.get("exif")
    if isinstance(exif, bytes) and exif.startswith(b"Exif\x00\x00"):
        try:
            ifd1 = im.getexif().get_ifd(ExifTags.IFD.IFD1)
            offset, length = ifd1.get(0x0201), ifd1.get(0x0202)  # JPEGInterchangeFormat(Length)
            if ifd1.get(0x0103, 6) == 6 and isinstance(offset, int) and isinstance(length, int):
                data = exif[6 + offset : 6 + offset + length]
                if length > 0 and len(data) == length and data.startswith(b"\xff\xd8"):
                    found.append((data, SOURCE_EXIF_THUMBNAIL))
        except Exception:  # a malformed IFD1: no EXIF thumbnail
            logger.debug("EXIF thumbnail of %s unreadable", src.name, exc_info=True)
    entries = (getattr(im, "mpinfo", None) or {}).get(0xB002)
    offsets = getattr(im, "_MpoImageFile__mpoffsets", None)  # Pillow's, from the MPF header
    if entries and isinstance(offsets, list) and len(offsets) == len(entries):
        try:
            size = src.stat().st_size
            with open(src, "rb") as handle:
                for entry, offset in zip(entries, offsets, strict=True):
                    kind = str(entry.get("Attribute", {}).get("MPType", ""))
                    length = entry.get("Size")
                    if not kind.startswith("Large Thumbnail") or not isinstance(length, int):
                        continue  # the primary image, a disparity or multi-angle view
                    if offset <= 0 or length <= 0 or offset + length > size:
                        continue
                    handle.seek(offset)
                    found.append((handle.read(min(length, _MAX_PREVIEW_BYTES)), SOURCE_MPF_PREVIEW))
        except (OSError, AttributeError, TypeError):
            logger.debug("MPF previews of %s unreadable", src.name, exc_info=True)
    return found


def _orientation(im: Image.Image) -> int:
    """The EXIF orientation of `im` (1 when absent or unreadable)."""
    try:
        value = im.getexif().get(0x0112, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) else 1


def _oriented(im: Image.Image, orientation: int) -> Image.Image:
    """`im` turned by an EXIF orientation value."""
    for method in _TRANSPOSE.get(orientation, []):
        im = im.transpose(method)
    return im


def _upright(im: Image.Image) -> Image.Image:
    """Apply the EXIF orientation (pillow-heif has already applied the HEIF one)."""
    try:
        return ImageOps.exif_transpose(im)
    except Exception:  # it rewrites the EXIF of the copy, which can fail on malformed tags
        logger.debug("exif_transpose failed; rotating by the orientation tag", exc_info=True)
        return _oriented(im.copy(), _orientation(im))


def _to_srgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """Flatten transparency onto white and bring colours into sRGB, as an RGB image."""
    if im.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        im = im.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if im.mode in ("P", "PA", "LA", "RGBA", "La", "RGBa") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(background, rgba).convert("RGB")
    if icc and im.mode in ("RGB", "CMYK", "L"):
        try:
            converted = ImageCms.applyTransform(im, _transform_to_srgb(icc, im.mode))
            if converted is not None:
                return converted
        except Exception:  # a damaged profile: plain conversion is still a fair preview
            logger.debug("ICC conversion failed", exc_info=True)
    return im.convert("RGB")


def _transform_to_srgb(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform:
    """The colour transform from `icc` to sRGB, built once per profile: building one takes
    ~20 ms, as long as the rest of a JPEG thumbnail, and a batch's photos share a few profiles.
    (The transform is the one profileToProfile builds: perceptual intent, no flags.)"""
    key = (hashlib.sha256(icc).digest(), mode)
    with _TRANSFORMS_LOCK:
        transform = _TRANSFORMS.get(key)
    if transform is None:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        transform = ImageCms.buildTransform(source, _SRGB, mode, "RGB")
        with _TRANSFORMS_LOCK:
            if len(_TRANSFORMS) >= _MAX_TRANSFORMS:
                _TRANSFORMS.clear()
            _TRANSFORMS[key] = transform
    return transform


def _video_thumbnail(src: Path, max_px: int) -> Image.Image:
    import cv2  # here: workers that make photo thumbnails need not load OpenCV

    check_input_file(src)
    # FFmpeg only: the image-sequence backend would read printf patterns in file names.
    capture = cv2.VideoCapture(str(src), cv2.CAP_FFMPEG)
    try:
        if not capture.isOpened():
            raise DamagedFile("the video cannot be opened for decoding", str(src))
        # OpenCV applies the container's rotation by default; say so rather than rely on it.
        capture.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
        frame = None
        for _ in range(_VIDEO_FRAME_TRIES):
            ok, candidate = capture.read()
            if ok and candidate is not None and candidate.size:
                frame = candidate
                break
        if frame is None:
            raise DamagedFile("no frame of the video could be decoded", str(src))
    finally:
        capture.release()
    if frame.ndim == 2:
        picture = Image.fromarray(frame).convert("RGB")
    else:
        picture = Image.fromarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    picture.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
    return picture


def _save_atomically(picture: Image.Image, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    picture.info.clear()  # belt and braces: nothing from the source may ride along
    temp = dest.parent / f".{dest.name}.{secrets.token_hex(6)}.tmp"
    # os.open with 0o666 honours the umask (mkstemp would leave the thumbnail owner-only).
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(handle, "wb") as fh:
            picture.save(fh, "JPEG", quality=JPEG_QUALITY)
        # No fsync: thumbnails live in derived/ and are rebuilt if a crash leaves one missing.
        os.replace(temp, dest)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
