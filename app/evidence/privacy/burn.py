"""Burning redactions into exported pixels: a solid fill, never a blur or a mosaic.

A blur or a coarse mosaic of digits can sometimes be reversed (platform_rules.md §5.3); a solid
fill leaves nothing to recover. Regions are filled at full resolution before a copy is scaled
down, so no pixel of the hidden content reaches the scaled copy even through the resampling
filter, and filled again at the copy's size (rounded outwards) so its edges stay crisp.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from PIL import Image, ImageDraw

from app.evidence.privacy.geometry import scaled_box
from app.evidence.privacy.model import Box, Rect, Redaction

FILL = (0, 0, 0)
"""The fill colour: black, as a reviewer expects of a deliberate redaction."""

FRAME_MATCH_MS = 500
"""A region drawn on a video keyframe applies to exported keyframes this close to its time."""


def burn(picture: Image.Image, boxes: Iterable[Box]) -> int:
    """Fill boxes (clipped to the picture) with FILL, in place; returns how many were inside."""
    draw = ImageDraw.Draw(picture)
    filled = 0
    for x0, y0, x1, y1 in boxes:
        x0, y0 = max(0, x0), max(0, y0)
        x1, y1 = min(picture.width, x1), min(picture.height, y1)
        if x1 > x0 and y1 > y0:
            # ImageDraw's rectangle includes its far corner: x1 - 1, y1 - 1 keeps boxes exclusive
            draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=FILL if picture.mode == "RGB" else 0)
            filled += 1
    return filled


def burn_array(frame: np.ndarray, boxes: Iterable[Box]) -> int:
    """Fill boxes in an H x W (x C) array in place (a decoded video frame); returns the count."""
    height, width = frame.shape[:2]
    filled = 0
    for x0, y0, x1, y1 in boxes:
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(width, x1), min(height, y1)
        if x1 > x0 and y1 > y0:
            frame[y0:y1, x0:x1] = 0
            filled += 1
    return filled


def boxes_for(
    rects: Iterable[Rect], source: tuple[int, int], target: tuple[int, int], pad: int = 0
) -> list[Box]:
    """Rectangles drawn on a `source`-sized picture, as boxes on a `target`-sized copy."""
    sx = target[0] / max(1, source[0])
    sy = target[1] / max(1, source[1])
    return [scaled_box(r, sx, sy, pad) for r in rects]


def picture_rects(redactions: Sequence[Redaction]) -> list[Rect]:
    """The accepted rectangles of a photo or screenshot (text-only and page regions left out)."""
    return [r.rect for r in redactions if r.applied and r.rect is not None and r.page is None]


def frame_rects(redactions: Sequence[Redaction], seconds: float) -> list[Redaction]:
    """The accepted regions that apply to a video keyframe at this time."""
    ms = seconds * 1000
    return [
        r
        for r in redactions
        if r.applied
        and r.rect is not None
        and (r.frame_ms is None or abs(r.frame_ms - ms) <= FRAME_MATCH_MS)
    ]
