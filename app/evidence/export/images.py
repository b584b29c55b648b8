"""Pillow steps of the export: upright sRGB copies without metadata, and where to cut.

A shareable copy is decoded at reduced scale (`draft` before anything that decodes), turned
upright by its EXIF orientation, brought into sRGB and saved as a baseline JPEG with nothing
but pixels: no EXIF, GPS, XMP, ICC profile or comment travels into the PDF or a pack. Accepted
redaction regions are filled with a solid colour at full size before the copy is scaled.

Long screenshots are cut across pages at "quiet" rows (a run of uniform background between
text lines) near the page height, so a cut never runs through a line of text when it can help it.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageOps

from app.evidence.privacy.burn import boxes_for, burn
from app.evidence.privacy.metadata import strip_jpeg
from app.evidence.privacy.model import Rect
from app.evidence.readers.image import open_image

log = logging.getLogger(__name__)

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


def load_upright(
    path: Path, max_width: int, max_height: int, redact: Sequence[Rect] = ()
) -> Image.Image:
    """The picture upright, in sRGB RGB, scaled to fit max_width x max_height (never enlarged).

    Args:
        redact: regions in the upright full-size picture's pixels to fill with a solid colour.
            With regions the picture is decoded at full size and filled before it is scaled,
            so the resampling filter never carries a hidden pixel into the copy.

    Raises:
        InputError: the file cannot be opened or decoded (from the image reader).
    """
    with open_image(path) as im:
        stored = (im.width, im.height)
        if redact:
            upright = _upright(im)
            full = upright.size
            icc = im.info.get("icc_profile")
            picture = to_srgb(upright, icc if isinstance(icc, bytes) else None)
            burn(picture, [r.box for r in redact])
            picture.thumbnail(_fit(full, max_width, max_height), Image.Resampling.LANCZOS)
            # again at the copy's size, rounded outwards: the edges of each fill stay solid
            burn(picture, boxes_for(redact, full, picture.size))
            log.debug(
                "%s: %s -> %s, %d region(s) filled", path.name, stored, picture.size, len(redact)
            )
            return picture
        # Shrink in place before turning upright: transposing or copying a 12 MP decode first
        # costs two more full-size buffers (HEIC cannot be decoded at reduced scale).
        target = _draft_size(im, max_width, max_height)
        # draft() first: thumbnail() alone drafts to twice the target (its reducing_gap), which
        # for a 12 MP JPEG means a full-size decode, 4x the work of a DCT-scaled one.
        im.draft("RGB", target)
        im.thumbnail(target, Image.Resampling.LANCZOS)
        icc = im.info.get("icc_profile")
        upright = _upright(im)
    log.debug("%s: %s -> %s", path.name, stored, upright.size)
    return to_srgb(upright, icc if isinstance(icc, bytes) else None)


def _fit(size: tuple[int, int], max_width: int, max_height: int) -> tuple[int, int]:
    scale = min(1.0, max_width / max(1, size[0]), max_height / max(1, size[1]))
    return (max(1, int(size[0] * scale)), max(1, int(size[1] * scale)))


def _draft_size(im: Image.Image, max_width: int, max_height: int) -> tuple[int, int]:
    """The size, in stored orientation, that fits max_width x max_height once turned upright."""
    try:
        turned = im.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    except Exception:  # noqa: BLE001 - unreadable EXIF: no turn
        turned = False
    width, height = (im.height, im.width) if turned else (im.width, im.height)
    scale = min(1.0, max_width / max(1, width), max_height / max(1, height))
    fit = (max(1, int(width * scale)), max(1, int(height * scale)))
    return (fit[1], fit[0]) if turned else fit


def save_clean_jpeg(picture: Image.Image, dest: Path, quality: int = 85, text: bool = False) -> int:
    """Save pixels only (no EXIF/ICC/XMP/comment) as JPEG; returns the byte size.

    Args:
        text: keep full colour resolution (4:4:4) so small text stays sharp.
    """
    data = jpeg_bytes(picture, quality, text)
    dest.write_bytes(data)
    return len(data)


def jpeg_bytes(picture: Image.Image, quality: int, text: bool = False) -> bytes:
    """Encode pixels only as an optimised baseline JPEG."""
    clean = picture if picture.mode in ("RGB", "L") else picture.convert("RGB")
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=quality, optimize=True, subsampling=0 if text else 2)
    # Pixels only already; stripping again guards against a Pillow that copies more of `info`.
    return strip_jpeg(buffer.getvalue())


def to_srgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """Flatten transparency onto white and convert to sRGB RGB (the profile is then dropped)."""
    if im.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        im = im.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if im.mode in ("P", "PA", "LA", "RGBA", "La", "RGBa") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(background, rgba).convert("RGB")
    if icc and im.mode in ("RGB", "CMYK", "L"):
        try:
            converted = ImageCms.profileToProfile(
                im, ImageCms.ImageCmsProfile(io.BytesIO(icc)), _SRGB, outputMode="RGB"
            )
            if converted is not None:
                im = converted
        except Exception:  # noqa: BLE001 - a damaged profile: the plain conversion is a fair copy
            log.debug("ICC conversion failed", exc_info=True)
    out = im.convert("RGB")
    out.info.clear()
    return out


def row_activity(picture: Image.Image) -> np.ndarray:
    """How much each pixel row changes left to right (0 = a uniform row), as float32."""
    gray = np.asarray(picture.convert("L"), dtype=np.int16)
    if gray.shape[1] < 2:
        return np.zeros(gray.shape[0], dtype=np.float32)
    return np.abs(np.diff(gray, axis=1)).mean(axis=1).astype(np.float32)


def cut_rows(activity: np.ndarray, slice_height: int, search: float = 0.2) -> list[tuple[int, int]]:
    """Split rows 0..len(activity) into slices no taller than `slice_height`.

    Each cut is placed at the quietest row within the last `search` fraction of the slice, so it
    falls between text lines when there is such a gap.

    Returns:
        (top, bottom) row ranges covering the picture, bottom exclusive.
    """
    height = len(activity)
    slice_height = max(1, int(slice_height))
    slices: list[tuple[int, int]] = []
    top = 0
    while height - top > slice_height:
        lo = top + max(1, int(slice_height * (1 - search)))
        hi = top + slice_height
        window = activity[lo:hi]
        # Prefer the middle of the longest quiet run: smooth with a small box filter first.
        kernel = np.ones(5, dtype=np.float32) / 5
        smooth = np.convolve(window, kernel, mode="same") if len(window) >= 5 else window
        # The quietest row; among equals the lowest one, which keeps the slice tall.
        cut = lo + len(smooth) - 1 - int(np.argmin(smooth[::-1])) if len(smooth) else hi
        cut = min(max(cut, top + 1), hi)
        slices.append((top, cut))
        top = cut
    slices.append((top, height))
    return slices


def _upright(im: Image.Image) -> Image.Image:
    """Apply the EXIF orientation (pillow-heif applies the HEIF one itself)."""
    try:
        return ImageOps.exif_transpose(im)
    except Exception:  # noqa: BLE001 - malformed tags: rotate by the orientation value alone
        log.debug("exif_transpose failed; rotating by the orientation tag", exc_info=True)
        try:
            orientation = im.getexif().get(0x0112, 1)
        except Exception:  # noqa: BLE001
            orientation = 1
        out = im.copy()
        for method in _TRANSPOSE.get(orientation, []):
            out = out.transpose(method)
        return out
