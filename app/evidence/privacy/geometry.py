"""From characters to pixels and back: sub-boxes of an OCR line, covered characters, scaling.

OCR gives one box per line, not per character. A character's place in the line is estimated
from the widths fonts give it: a CJK or full-width character is about one em wide, a digit or
Latin letter a little over half. That is accurate to a fraction of a character on phone
screenshots and waybills, so a mask is padded by a quarter of a character on each side: a
little of a kept digit may be covered, none of a hidden one is left showing.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable

from app.evidence.privacy.model import Box, Rect

WIDE = 1.0
NARROW = 0.55
PAD_CHARS = 0.25  # of an average character's width, each side of a character-based mask
PAD_Y = 2  # pixels above and below a line's box


def char_weight(ch: str) -> float:
    """Relative width of one character (CJK and full-width 1.0, others 0.55)."""
    return WIDE if unicodedata.east_asian_width(ch) in ("W", "F") else NARROW


def char_edges(text: str, box: Box) -> list[float]:
    """x positions of the left edge of every character and the right edge of the last one."""
    x0, _, x1, _ = box
    weights = [char_weight(ch) for ch in text]
    total = sum(weights) or 1.0
    edges = [float(x0)]
    for w in weights:
        edges.append(edges[-1] + (x1 - x0) * w / total)
    return edges


def span_rect(text: str, box: Box, spans: Iterable[tuple[int, int]]) -> Rect:
    """The padded rectangle over these character spans of a line (one rectangle for all)."""
    edges = char_edges(text, box)
    spans = list(spans)
    start = min(s for s, _ in spans)
    end = max(e for _, e in spans)
    average = (box[2] - box[0]) / max(1, len(text))
    pad = average * PAD_CHARS
    left = max(box[0], math.floor(edges[start] - pad))
    right = min(box[2], math.ceil(edges[end] + pad))
    top = max(0, box[1] - PAD_Y)
    bottom = box[3] + PAD_Y
    return Rect(int(left), int(top), max(1, int(right - left)), max(1, int(bottom - top)))


def covered_characters(text: str, box: Box, rect: Rect) -> list[int]:
    """Indices of the line's characters a rectangle hides (at least half of each, by estimate).

    The line counts only when the rectangle covers at least half of its height.
    """
    x0, y0, x1, y1 = rect.box
    height = box[3] - box[1]
    if height <= 0 or min(y1, box[3]) - max(y0, box[1]) < height / 2:
        return []
    edges = char_edges(text, box)
    hidden = []
    for n in range(len(text)):
        left, right = edges[n], edges[n + 1]
        if min(x1, right) - max(x0, left) >= (right - left) / 2:
            hidden.append(n)
    return hidden


def scaled_box(rect: Rect, scale_x: float, scale_y: float, pad: int = 0) -> Box:
    """A rectangle in another picture size, rounded outwards and padded (never smaller)."""
    x0, y0, x1, y1 = rect.box
    return (
        math.floor(x0 * scale_x) - pad,
        math.floor(y0 * scale_y) - pad,
        math.ceil(x1 * scale_x) + pad,
        math.ceil(y1 * scale_y) + pad,
    )
