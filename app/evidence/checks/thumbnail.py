"""The EXIF thumbnail against the picture (research §9.1 J3; Sherloq `thumbnail.py`).

A camera makes the small EXIF thumbnail from the same frame as the picture. An editor that keeps
the EXIF block but not its thumbnail leaves a picture of the scene *before* the edit: a
different shape means a crop, different content means a change.

How: the thumbnail is decoded, black letterbox bars (some cameras pad 3:2 pictures into 4:3
thumbnails) are trimmed, and the shapes are compared. The picture is decoded in JPEG draft mode
(1/2 to 1/8 scale inside libjpeg, the fast path) and scaled to the thumbnail's size. Both are
blurred a little, brought to zero mean and unit contrast (so tone-mapping differences between
the phone's thumbnail and picture pipelines do not count), and compared block by block on a
grid; the largest block difference is the measure.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from app.evidence.checks.model import Finding, Severity
from app.evidence.checks.photo_input import PhotoInput
from app.evidence.checks.texts import finding
from app.evidence.errors import InputError
from app.evidence.readers.image import open_image
from app.evidence.readers.tiff_layout import exif_thumbnail

logger = logging.getLogger(__name__)

ASPECT_TOLERANCE = 0.06  # thumbnails are ~160 px wide: rounding alone moves the shape ~1-2 %
BLOCK_THRESHOLD = 0.55  # mean |difference| of normalised grey levels in the worst grid cell
GRID = 6
_BAR_LEVEL = 16.0
_REGIONS_ZH = (("左上", "上方", "右上"), ("左侧", "正中", "右侧"), ("左下", "下方", "右下"))
_REGIONS_EN = (
    ("top left", "top", "top right"),
    ("left", "centre", "right"),
    ("bottom left", "bottom", "bottom right"),
)


@dataclass(frozen=True)
class ThumbnailComparison:
    """The measures of one comparison."""

    thumb_size: tuple[int, int]
    content_size: tuple[int, int]
    image_size: tuple[int, int]
    aspect_ratio: float  # thumbnail content shape / picture shape
    block_diff: float | None  # None when shapes differ (content not compared)
    worst_cell: tuple[int, int] | None  # (row, column) of the grid


def thumbnail_findings(photo: PhotoInput) -> list[Finding]:
    """Compare the EXIF thumbnail with the picture (JPEG with a thumbnail only)."""
    if not photo.options.thumbnail or photo.jpeg is None or not photo.jpeg.exif_tiff:
        return []
    data = exif_thumbnail(photo.jpeg.exif_tiff, photo.layout)
    if data is None:
        return []
    try:
        result = compare_thumbnail(photo.path, data)
    except (InputError, OSError, ValueError, Image.DecompressionBombError) as exc:
        logger.debug("thumbnail comparison failed for %s: %s", photo.path, exc)
        return []
    params = {
        "thumbnail": f"{result.thumb_size[0]}x{result.thumb_size[1]}",
        "thumbnail_content": f"{result.content_size[0]}x{result.content_size[1]}",
        "aspect_ratio": round(result.aspect_ratio, 3),
        "aspect_tolerance": ASPECT_TOLERANCE,
        "threshold": BLOCK_THRESHOLD,
        "grid": GRID,
    }
    if result.block_diff is None:
        w, h = result.content_size
        iw, ih = result.image_size
        return [
            finding(
                "thumbnail_aspect_mismatch",
                Severity.ALERT,
                params,
                thumb_aspect=f"{w}:{h}",
                image_aspect=f"{iw}:{ih}",
            )
        ]
    params["block_diff"] = round(result.block_diff, 3)
    if result.block_diff <= BLOCK_THRESHOLD:
        return [finding("thumbnail_matches", Severity.INFO, params)]
    row, col = result.worst_cell or (0, 0)
    band = min(2, row * 3 // GRID)
    side = min(2, col * 3 // GRID)
    return [
        finding(
            "thumbnail_content_mismatch",
            Severity.ALERT,
            params,
            region_zh=_REGIONS_ZH[band][side],
            region_en=_REGIONS_EN[band][side],
        )
    ]


def compare_thumbnail(path: Path, thumbnail: bytes) -> ThumbnailComparison:
    """Measure how the thumbnail differs from the picture at `path`."""
    with Image.open(io.BytesIO(thumbnail)) as im:
        thumb = np.asarray(im.convert("L"), dtype=np.float32)
    top, bottom, left, right = _content_box(thumb)
    content = thumb[top:bottom, left:right]
    ch, cw = content.shape
    with open_image(path) as im:
        image_size = im.size
        im.draft("L", (max(cw * 2, 64), max(ch * 2, 64)))
        picture = im.convert("L")
    ratio = (cw / ch) / (image_size[0] / image_size[1])
    if abs(ratio - 1) > ASPECT_TOLERANCE:
        return ThumbnailComparison(thumb.shape[::-1], (cw, ch), image_size, ratio, None, None)
    scaled = picture.resize((cw, ch), Image.Resampling.BOX)
    a = _normalise(Image.fromarray(content.astype(np.uint8)))
    b = _normalise(scaled)
    diff = np.abs(a - b)
    cells = [
        (float(cell.mean()), (r, c))
        for r, rows in enumerate(np.array_split(diff, GRID, axis=0))
        for c, cell in enumerate(np.array_split(rows, GRID, axis=1))
        if cell.size
    ]
    worst, where = max(cells)
    return ThumbnailComparison(thumb.shape[::-1], (cw, ch), image_size, ratio, worst, where)


def _normalise(im: Image.Image) -> np.ndarray:
    blurred = np.asarray(im.filter(ImageFilter.BoxBlur(1)), dtype=np.float32)
    std = float(blurred.std()) or 1.0
    return (blurred - float(blurred.mean())) / std


def _content_box(thumb: np.ndarray) -> tuple[int, int, int, int]:
    """Rows/columns of the thumbnail that are not uniform black bars at its edges."""
    h, w = thumb.shape
    rows = thumb.mean(axis=1) > _BAR_LEVEL
    cols = thumb.mean(axis=0) > _BAR_LEVEL
    if not rows.any() or not cols.any():
        return 0, h, 0, w
    top = int(np.argmax(rows))
    bottom = h - int(np.argmax(rows[::-1]))
    left = int(np.argmax(cols))
    right = w - int(np.argmax(cols[::-1]))
    if bottom - top < h // 3 or right - left < w // 3:
        return 0, h, 0, w  # a dark picture, not bars
    return top, bottom, left, right
