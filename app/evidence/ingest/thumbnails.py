"""Thumbnails for the case's derived/ folder: small upright JPEGs that carry no metadata.

Photos and screenshots go through Pillow (HEIC through pillow-heif), videos through OpenCV's
first decodable frame. A thumbnail never carries EXIF, GPS or an ICC profile: it is shown and
exported freely, and location or camera data must not leak through it. Colours are converted to
sRGB first, so dropping the profile does not shift them.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import secrets
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cv2
from PIL import Image, ImageCms, ImageOps

from app.evidence.errors import (
    DamagedFile,
    DecompressionBomb,
    InputError,
    UnreadableFile,
    UnsupportedFormat,
)
from app.evidence.readers.image import check_input_file, open_image

logger = logging.getLogger(__name__)

JPEG_QUALITY = 80
_VIDEO_FRAME_TRIES = 60  # frames to skip past before calling a video undecodable
_IMAGE_KINDS = {"photo", "screenshot"}
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}
_DRAFT_FORMATS = {"JPEG", "MPO"}  # decoded at 1/2..1/8 scale for a preview
_SRGB = ImageCms.createProfile("sRGB")
_TRANSPOSE = {
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_270],
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_90],
}


@dataclass(frozen=True)
class ThumbnailJob:
    """One thumbnail to make: `kind` is an ItemKind value ("photo", "screenshot", "video")."""

    src: Path
    dest: Path
    kind: str
    max_px: int = 320


@dataclass(frozen=True)
class ThumbnailResult:
    """The outcome of one job: `path` on success, otherwise `error` says why."""

    job: ThumbnailJob
    path: Path | None = None
    error: InputError | None = None


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
    kind = str(getattr(kind, "value", kind))
    try:
        if kind in _IMAGE_KINDS:
            picture = _picture_thumbnail(src, max_px)
        elif kind == "video":
            picture = _video_thumbnail(src, max_px)
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
    return dest


def make_thumbnails(
    jobs: Iterable[ThumbnailJob],
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
) -> list[ThumbnailResult]:
    """Make many thumbnails in a thread pool; one bad file never stops the others.

    Pillow and OpenCV release the GIL while decoding, so threads give real parallelism.

    Args:
        jobs: the thumbnails to make.
        workers: threads to use.
        progress: called as progress(done, total) on the calling thread after each job.

    Returns:
        One result per job, in the order of `jobs`.
    """
    job_list = list(jobs)
    results: list[ThumbnailResult] = []
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="thumb") as pool:
        for done, result in enumerate(pool.map(_run_job, job_list), start=1):
            results.append(result)
            if progress is not None:
                progress(done, len(job_list))
    return results


def _run_job(job: ThumbnailJob) -> ThumbnailResult:
    try:
        return ThumbnailResult(job, path=make_thumbnail(job.src, job.dest, job.kind, job.max_px))
    except InputError as exc:
        return ThumbnailResult(job, error=exc)
    except Exception as exc:  # make_thumbnail should not let this through; never lose the batch
        logger.warning("thumbnail job failed for %s: %s", job.src.name, exc)
        logger.debug("thumbnail job failure for %s", job.src, exc_info=True)
        return ThumbnailResult(job, error=DamagedFile(str(exc), str(job.src)))


def _picture_thumbnail(src: Path, max_px: int) -> Image.Image:
    with open_image(src) as im:
        # draft() before anything that decodes: JPEG then decodes at 1/2..1/8 scale and
        # pillow-heif picks the embedded HEIC thumbnail, 3x faster than decoding in full.
        im.draft("RGB", (max_px, max_px))
        limit = Image.MAX_IMAGE_PIXELS or 0
        if im.format not in _DRAFT_FORMATS and limit and im.width * im.height > limit:
            # decoded in full (and copied once to resize): ~1 GB at this size; none for a preview
            message = f"{im.width}x{im.height} is too large to preview without decoding it in full"
            raise DecompressionBomb(message, str(src))
        icc = im.info.get("icc_profile")
        # Shrink first, then turn upright: turning copies the picture, which at full size
        # holds a 100 MP PNG twice (over 1 GB). The bound is square, so the order is free.
        im.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
        upright = _upright(im)
        return _to_srgb(upright, icc if isinstance(icc, bytes) else None)


def _upright(im: Image.Image) -> Image.Image:
    """Apply the EXIF orientation (pillow-heif has already applied the HEIF one)."""
    try:
        return ImageOps.exif_transpose(im)
    except Exception:  # it rewrites the EXIF of the copy, which can fail on malformed tags
        logger.debug("exif_transpose failed; rotating by the orientation tag", exc_info=True)
        try:
            orientation = im.getexif().get(0x0112, 1)
        except Exception:
            orientation = 1
        out = im.copy()
        for method in _TRANSPOSE.get(orientation, []):
            out = out.transpose(method)
        return out


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
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(im, source, _SRGB, outputMode="RGB")
            if converted is not None:
                return converted
        except Exception:  # a damaged profile: plain conversion is still a fair preview
            logger.debug("ICC conversion failed", exc_info=True)
    return im.convert("RGB")


def _video_thumbnail(src: Path, max_px: int) -> Image.Image:
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
