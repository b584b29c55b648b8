"""Find where two screenshots of one chat show the same pixels, and where those pixels differ.

Scrolling moves bubbles up the screen unchanged, so the same rows of pixels appear in both
screenshots at heights that differ by one offset. Each row is reduced to the mean grey of
4-pixel column bins; a cross-correlation over every possible offset (FFT, all offsets at once)
proposes candidates, and each candidate is checked row by row: a row agrees when its bins agree
within compression noise. Rows of plain background say nothing and are not counted. The
overlap is the span from the first to the last agreeing row that carries content; inside it,
4x4 blocks whose colour differs beyond noise are reported: in an untouched pair there are none.

The fixed status bar and title agree at offset 0 in any two screenshots of the same app, so at
offset 0 the top and bottom bands are not counted.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from app.evidence.ocr.image import ImageSource, open_image, to_rgb

log = logging.getLogger(__name__)

BIN = 4  # pixels per column bin in row features, and the block size of the difference map
ROW_MEAN_TOLERANCE = 3.0  # mean |difference| of a row's bins that is still compression noise
ROW_MAX_TOLERANCE = 48.0  # one bin may differ this much (JPEG ringing around text)
BLOCK_TOLERANCE = 24  # a 4x4 block whose mean colour differs more than this was changed
CANDIDATES = 6
STRIP = 512  # rows compared at a time when looking for differences (a multiple of BIN)


@dataclass(frozen=True)
class Overlap:
    """Two screenshots that show the same stretch of the chat.

    Attributes:
        upper: index of the screenshot higher up in the chat (earlier messages).
        lower: index of the other one.
        offset: row y of `upper` shows what row y - offset of `lower` shows (>= 0).
        upper_range: (y0, y1) of the shared stretch in `upper`.
        lower_range: (y0, y1) of the same stretch in `lower` (in its own pixels).
        matched_rows: rows with content that agree (how strong the match is).
        differences: boxes (x0, y0, x1, y1) in `upper` pixels where the shared stretch differs
            beyond compression noise; empty for an untouched pair.
        scale: factor `lower` was resized by to compare (1.0 unless widths differ).
        method: "pixels", or "text" when only the OCR text lined the two up.
    """

    upper: int
    lower: int
    offset: int
    upper_range: tuple[int, int]
    lower_range: tuple[int, int]
    matched_rows: int
    differences: tuple[tuple[int, int, int, int], ...] = ()
    scale: float = 1.0
    method: str = "pixels"

    def to_lower(self, y: float) -> float:
        """A row of `upper` in the pixels of `lower` (unscaled)."""
        return (y - self.offset) / self.scale


@dataclass(frozen=True)
class _Prepared:
    rgb: Image.Image
    features: np.ndarray  # (height, width // BIN) float32 mean grey per bin
    content: np.ndarray  # (height,) bool: the row is not plain background
    scale: float


def find_overlap(
    first: ImageSource, second: ImageSource, indexes: tuple[int, int] = (0, 1)
) -> Overlap | None:
    """The shared stretch of two screenshots, or None when they do not overlap.

    Args:
        first, second: the screenshots, in any order.
        indexes: how to name them in the result's `upper` and `lower`.
    """
    one, two = open_image(first), open_image(second)
    found = _search(one, two)
    if found is not None and found[2] < 0:  # the second is the upper one: measure from its side
        found = _search(two, one)
        indexes = (indexes[1], indexes[0])
    if found is None or found[2] < 0:
        return None
    a, b, d, span, matched = found
    boxes = _differences(a.rgb, b.rgb, d, *span)
    lower_range = (round((span[0] - d) / b.scale), round((span[1] - d) / b.scale))
    return Overlap(indexes[0], indexes[1], d, span, lower_range, matched, tuple(boxes), b.scale)


def compare_at(
    upper: ImageSource, lower: ImageSource, offset: int, span: tuple[int, int] | None = None
) -> tuple[tuple[int, int, int, int], ...]:
    """Where two screenshots differ when row y of `upper` is row y - offset of `lower`.

    Used when OCR text, not pixels, lined two screenshots up. `span` limits the comparison to
    rows [y0, y1) of `upper`. Boxes are in `upper` pixels.
    """
    a = _prepare(open_image(upper), None)
    b = _prepare(open_image(lower), a.rgb.width)
    y0, y1 = max(0, offset), min(a.rgb.height, b.rgb.height + offset)
    if span is not None:
        y0, y1 = max(y0, span[0]), min(y1, span[1])
    return tuple(_differences(a.rgb, b.rgb, offset, y0, y1)) if y1 > y0 else ()


def _search(
    one: Image.Image, two: Image.Image
) -> tuple[_Prepared, _Prepared, int, tuple[int, int], int] | None:
    a = _prepare(one, None)
    b = _prepare(two, a.rgb.width)
    min_rows = max(16, int(0.03 * a.rgb.width))
    best: tuple[int, int, tuple[int, int], int] | None = None
    for d in _candidates(a, b):
        checked = _check(a, b, d)
        if (
            checked is not None
            and checked[0] >= min_rows
            and (best is None or checked[0] > best[0])
        ):
            best = (checked[0], d, checked[1], checked[2])
    if best is None:
        return None
    log.debug("overlap at offset %d, score %d", best[1], best[0])
    return a, b, best[1], best[2], best[3]


def _prepare(image: Image.Image, width: int | None) -> _Prepared:
    rgb = to_rgb(image)
    scale = 1.0
    if width is not None and abs(rgb.width - width) > 1:
        scale = width / rgb.width
        rgb = rgb.resize((width, max(1, round(rgb.height * scale))), Image.Resampling.BOX)
    grey = np.asarray(rgb.convert("L"))
    cols = grey.shape[1] // BIN * BIN
    features = (
        grey[:, :cols].reshape(grey.shape[0], cols // BIN, BIN).mean(axis=2, dtype=np.float32)
    )
    content = features.std(axis=1) > 2.0
    return _Prepared(rgb, features, content, scale)


def _candidates(a: _Prepared, b: _Prepared) -> list[int]:
    """Offsets where the content of both lines up best (normalised and raw correlation)."""
    ca = _centred(a.features)
    cb = _centred(b.features)
    n = len(ca) + len(cb)
    spectrum = np.fft.rfft(ca, n, axis=0) * np.conj(np.fft.rfft(cb, n, axis=0))
    corr = np.fft.irfft(spectrum.sum(axis=1), n)
    offsets = np.arange(-(len(cb) - 1), len(ca))
    raw = corr[offsets % n]
    ea = np.concatenate([[0.0], np.cumsum((ca**2).sum(axis=1))])
    eb = np.concatenate([[0.0], np.cumsum((cb**2).sum(axis=1))])
    lo = np.maximum(offsets, 0)
    hi = np.minimum(len(ca), len(cb) + offsets)
    energy = np.sqrt((ea[hi] - ea[lo]) * (eb[hi - offsets] - eb[lo - offsets])) + 1e-6
    ncc = np.where(hi - lo >= 16, raw / energy, 0.0)
    picked: list[int] = []
    for score in (ncc, raw):
        order = np.argsort(score)[::-1]
        taken = 0
        for i in order[: 50 * CANDIDATES]:
            d = int(offsets[i])
            if all(abs(d - p) > 8 for p in picked):
                picked.append(d)
                taken += 1
                if taken == CANDIDATES:
                    break
    return picked


def _centred(features: np.ndarray) -> np.ndarray:
    """Row features minus the row's background, in 16-pixel bins: plain rows become zero."""
    rows, cols = features.shape
    cols4 = cols // 4 * 4
    coarse = features[:, :cols4].reshape(rows, cols4 // 4, 4).mean(axis=2)
    return (coarse - np.median(coarse, axis=1, keepdims=True)).astype(np.float64)


def _check(a: _Prepared, b: _Prepared, d: int) -> tuple[int, tuple[int, int], int] | None:
    """Score of offset d: agreeing content rows minus disagreeing ones inside the span."""
    y0, y1 = max(0, d), min(len(a.features), len(b.features) + d)
    if y1 - y0 < 16:
        return None
    fa, fb = a.features[y0:y1], b.features[y0 - d : y1 - d]
    cols = min(fa.shape[1], fb.shape[1])
    diff = np.abs(fa[:, :cols] - fb[:, :cols])
    agree = (diff.mean(axis=1) < ROW_MEAN_TOLERANCE) & (diff.max(axis=1) < ROW_MAX_TOLERANCE)
    content = a.content[y0:y1] | b.content[y0 - d : y1 - d]
    good = agree & content
    if d == 0:  # the app's fixed bars agree in any two screenshots: do not count them
        band = int(0.25 * a.rgb.width)
        good[:band] = False
        good[-band:] = False
    rows = np.flatnonzero(good)
    if len(rows) == 0:
        return None
    s0, s1 = _widen(agree & ~content, int(rows[0]), int(rows[-1]) + 1, int(0.05 * a.rgb.width))
    disagree = int((content & ~agree)[s0:s1].sum())
    return len(rows) - disagree, (y0 + s0, y0 + s1), len(rows)


def _widen(quiet: np.ndarray, s0: int, s1: int, limit: int) -> tuple[int, int]:
    """Take in differing rows at either end of the span when plain background that agrees
    follows within `limit` rows: a change at the edge of the shared stretch (a digit of the
    first separator) is then part of it, while a real edge (the app bar, new messages) is not.
    """

    def reach(rows: range) -> int:
        run = 0
        for k, i in enumerate(rows):
            run = run + 1 if quiet[i] else 0
            if run >= 6:
                return k - run + 1
        return 0

    up = reach(range(s0 - 1, max(-1, s0 - 1 - limit), -1))
    down = reach(range(s1, min(len(quiet), s1 + limit)))
    return s0 - up, s1 + down


def _block_means(image: Image.Image, top: int, width: int, height: int) -> np.ndarray:
    """Mean colour of each BIN x BIN block of rows [top, top + height), float32."""
    pixels = np.asarray(image.crop((0, top, width, top + height)))
    shape = (height // BIN, BIN, width // BIN, BIN, 3)
    return pixels.reshape(shape).mean(axis=(1, 3), dtype=np.float32)


def _differences(
    a: Image.Image, b: Image.Image, d: int, y0: int, y1: int
) -> list[tuple[int, int, int, int]]:
    """Boxes in a's pixels where rows [y0, y1) of a and rows [y0-d, y1-d) of b differ."""
    width = min(a.width, b.width) // BIN * BIN
    rows = (y1 - y0) // BIN * BIN
    if rows <= 0 or width <= 0:
        return []
    strips = []
    for top in range(y0, y0 + rows, STRIP):  # strip by strip: memory stays flat on long images
        height = min(STRIP, y0 + rows - top)
        strips.append(_block_means(a, top, width, height) - _block_means(b, top - d, width, height))
    blocks = np.abs(np.concatenate(strips)).max(axis=2)
    changed = blocks > BLOCK_TOLERANCE
    marked = np.flatnonzero(changed.any(axis=1))
    boxes: list[tuple[int, int, int, int]] = []
    if len(marked) == 0:
        return boxes
    breaks = np.flatnonzero(np.diff(marked) > 3) + 1  # bridge gaps of up to two blocks
    for group in np.split(marked, breaks):
        r0, r1 = int(group[0]), int(group[-1]) + 1
        band = changed[r0:r1]
        if band.sum() < 2 and blocks[r0:r1].max() < 2 * BLOCK_TOLERANCE:
            continue  # one faintly changed block: noise
        cols = np.flatnonzero(band.any(axis=0))
        boxes.append((int(cols[0]) * BIN, y0 + r0 * BIN, (int(cols[-1]) + 1) * BIN, y0 + r1 * BIN))
    return boxes


Rows = _Prepared  # a screenshot's row features, made once by `rows_of` for several questions


def rows_of(image: ImageSource) -> Rows:
    """The row features of a screenshot (at its own width)."""
    return _prepare(open_image(image), None)


def plain_rows(rows: Rows) -> np.ndarray:
    """Per row: True when the row is plain background (carries no content)."""
    return ~rows.content


def shown_elsewhere(pa: Rows, pb: Rows, rows: tuple[int, int], offsets: Sequence[int]) -> bool:
    """True when leaving rows [y0, y1) of `pa` out loses nothing: each of them is plain
    background, or shows the same pixels as row y - d of `pb` for one of `offsets` (row by row
    within compression noise, then 4x4 block by block like an overlap). Widths must match."""
    if pa.rgb.width != pb.rgb.width:
        return False
    y0, y1 = max(0, rows[0]), min(len(pa.features), rows[1])
    if y1 <= y0:
        return True
    need = pa.content[y0:y1]
    by = np.full(y1 - y0, -1)
    for k, d in enumerate(offsets):
        lo, hi = max(y0, d), min(y1, len(pb.features) + d)
        if hi <= lo:
            continue
        cols = min(pa.features.shape[1], pb.features.shape[1])
        diff = np.abs(pa.features[lo:hi, :cols] - pb.features[lo - d : hi - d, :cols])
        agree = (diff.mean(axis=1) < ROW_MEAN_TOLERANCE) & (diff.max(axis=1) < ROW_MAX_TOLERANCE)
        free = by[lo - y0 : hi - y0] < 0
        by[lo - y0 : hi - y0][agree & free & need[lo - y0 : hi - y0]] = k
    if (need & (by < 0)).any():
        return False
    for k, d in enumerate(offsets):
        matched = np.flatnonzero(by == k)
        if len(matched) == 0:
            continue
        for run in np.split(matched, np.flatnonzero(np.diff(matched) > 1) + 1):
            r0 = y0 + int(run[0])
            # whole blocks: widen the run to a multiple of BIN inside both images
            r1 = min(r0 + -(-len(run) // BIN) * BIN, len(pa.features), len(pb.features) + d)
            if _differences(pa.rgb, pb.rgb, d, r0, r1):
                return False
    return True
