"""Read barcodes and QR codes in one picture: zxing-cpp first, then OpenCV-located retries.

zxing-cpp reads Code128 and QR codes well but gives up on skewed or slightly damaged bars;
OpenCV's barcode detector cannot decode Code128 but does find where a barcode is (probes in
docs/research/dependency_probes.md §2). So each picture is read whole (shrunk to
`max_side`), and when no waybill-like code comes out, every barcode OpenCV locates is cut out
of the full-resolution picture, turned level and read again with a few binarisations.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

from app.evidence.waybill.model import Quad

log = logging.getLogger(__name__)

_WAYBILL_SHAPE = re.compile(r"[A-Z]{0,4}\d{8,20}[A-Z]{0,2}")
_MARGIN_ALONG = 0.12  # quiet zone kept on each side of a located code, as a share of its length
_MARGIN_ACROSS = 0.25
_CROP_MAX_WIDTH = 1400
_CROP_MIN_WIDTH = 360
_THIN = np.ones((1, 2), np.uint8)
_LOCATE_MAX_SIDE = 640  # enough to find a waybill-sized code; the detector costs ~2x more at 800


@dataclass(frozen=True)
class FrameCode:
    """One code read in a picture (no time yet)."""

    format: str
    text: str
    position: Quad
    method: str


@dataclass(frozen=True)
class FrameResult:
    """The codes read in a picture and how many located barcodes could not be read."""

    codes: tuple[FrameCode, ...]
    located_unread: int


def looks_like_waybill(text: str) -> bool:
    """True for texts shaped like a courier waybill number (letters + 8-20 digits)."""
    return bool(_WAYBILL_SHAPE.fullmatch(text.strip().upper()))


class FrameDecoder:
    """Reads codes in pictures. Not thread-safe: use one per scan (the detector keeps state)."""

    def __init__(self, formats: str, max_side: int, try_invert: bool = False) -> None:
        """Set up a decoder.

        Args:
            formats: zxing-cpp format names, comma-separated.
            max_side: the whole-picture read works on a copy shrunk to this long side.
            try_invert: also look for light-on-dark codes in the whole picture (waybills
                are printed dark on light; the check costs a third more time per frame).
        """
        self._formats = zxingcpp.barcode_formats_from_str(formats)
        self._max_side = max_side
        self._try_invert = try_invert
        detector_class = getattr(getattr(cv2, "barcode", None), "BarcodeDetector", None)
        self._detector = detector_class() if detector_class is not None else None

    def decode(self, image: np.ndarray) -> FrameResult:
        """Read every code in a BGR or grayscale picture.

        Returns:
            The codes (positions in the picture's own pixels) and the number of barcodes that
            OpenCV located but nothing could read (a reason to look at the next frames).
        """
        gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        # Shrink by a whole factor (1080p -> 960x540, 4K -> 1280x720): area averaging by a
        # whole factor is fast and keeps bar edges sharp; the localised retry below works on
        # the full-size picture, so small far-away labels are not lost.
        factor = math.ceil(max(gray.shape[:2]) / self._max_side)
        scale = 1.0 / factor
        small = gray
        if factor > 1:
            small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        direct = self._read(small, try_invert=self._try_invert)
        codes = [self._code(r, "direct", 1.0 / scale) for r in direct]
        if any(looks_like_waybill(c.text) for c in codes) or self._detector is None:
            return FrameResult(tuple(codes), 0)
        unread = 0
        locate_scale = min(1.0, _LOCATE_MAX_SIDE / max(gray.shape[:2]))
        tiny = small
        if locate_scale < scale:  # shrink the already small copy: far cheaper than the frame
            tiny = cv2.resize(
                small,
                None,
                fx=locate_scale / scale,
                fy=locate_scale / scale,
                interpolation=cv2.INTER_AREA,
            )
        else:
            locate_scale = scale
        for quad in self._locate(tiny):
            full = quad / locate_scale
            if any(_inside(c.position, full) for c in codes):
                continue
            found = self._read_located(gray, full)
            if found is None:
                unread += 1
            elif all(found.text != c.text for c in codes):
                codes.append(found)
        return FrameResult(tuple(codes), unread)

    # -- steps ---------------------------------------------------------------------------------

    def _read(
        self,
        image: np.ndarray,
        binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
        try_invert: bool = True,
    ) -> list[zxingcpp.Barcode]:
        try:
            found = zxingcpp.read_barcodes(
                image, formats=self._formats, binarizer=binarizer, try_invert=try_invert
            )
            return list(found)
        except (RuntimeError, ValueError) as exc:  # zxing-cpp refusing an odd buffer
            log.debug("zxing-cpp could not read a picture: %s", exc)
            return []

    def _locate(self, gray: np.ndarray) -> list[np.ndarray]:
        assert self._detector is not None
        try:
            found, corners = self._detector.detect(gray)
        except cv2.error as exc:
            log.debug("the barcode localiser failed: %s", exc)
            return []
        if not found or corners is None:
            return []
        return [np.asarray(q, np.float32).reshape(4, 2) for q in corners]

    def _read_located(self, gray: np.ndarray, quad: np.ndarray) -> FrameCode | None:
        crop = _level_crop(gray, quad)
        if crop is None:
            return None
        position = tuple((int(round(x)), int(round(y))) for x, y in quad)
        variants = (
            lambda c: self._read(c),
            lambda c: self._read(c, binarizer=zxingcpp.Binarizer.GlobalHistogram),
            lambda c: self._read(cv2.dilate(c, _THIN)),  # ink spread: bars printed too fat
            lambda c: self._read(cv2.erode(c, _THIN)),
            lambda c: self._read(cv2.resize(c, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA)),
        )
        for variant in variants:
            results = variant(crop)
            if results:
                best = results[0]
                return FrameCode(_format_name(best), best.text, position, "localised")
        return None

    def _code(self, result: zxingcpp.Barcode, method: str, factor: float) -> FrameCode:
        p = result.position
        corners = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
        position = tuple((int(round(c.x * factor)), int(round(c.y * factor))) for c in corners)
        return FrameCode(_format_name(result), result.text, position, method)


def _format_name(result: zxingcpp.Barcode) -> str:
    """The format's enum name, e.g. Code128 or QRCode (its str() is "Code 128" in zxing-cpp 3)."""
    name = getattr(result.format, "name", None)
    return str(name) if name else str(result.format).rsplit(".", 1)[-1].replace(" ", "")


def _level_crop(gray: np.ndarray, quad: np.ndarray) -> np.ndarray | None:
    """The located code cut out of the picture, turned so its long side is level."""
    (cx, cy), (w, h), angle = cv2.minAreaRect(quad)
    if w < h:
        w, h, angle = h, w, angle + 90.0
    if w < 8 or h < 4:
        return None
    out_w = w * (1 + 2 * _MARGIN_ALONG)
    out_h = max(h * (1 + 2 * _MARGIN_ACROSS), 24.0)
    zoom = 1.0
    if out_w > _CROP_MAX_WIDTH:
        zoom = _CROP_MAX_WIDTH / out_w
    elif out_w < _CROP_MIN_WIDTH:
        zoom = min(3.0, _CROP_MIN_WIDTH / out_w)
    size = (max(1, int(out_w * zoom)), max(1, int(out_h * zoom)))
    # Rotate about the code's centre, scale, then move the centre to the middle of the crop;
    # warping straight into the small output avoids rotating the whole (maybe 4K) frame.
    matrix = cv2.getRotationMatrix2D((cx, cy), angle, zoom)
    matrix[0, 2] += size[0] / 2 - cx
    matrix[1, 2] += size[1] / 2 - cy
    interpolation = (
        cv2.INTER_CUBIC if zoom > 1 else cv2.INTER_AREA if zoom < 1 else cv2.INTER_LINEAR
    )
    return cv2.warpAffine(gray, matrix, size, flags=interpolation, borderMode=cv2.BORDER_REPLICATE)


def _inside(position: Quad, quad: np.ndarray) -> bool:
    """True when the centre of an already-read code lies inside the located quad."""
    if not position:
        return False
    x = sum(p[0] for p in position) / len(position)
    y = sum(p[1] for p in position) / len(position)
    contour = quad.reshape(-1, 1, 2).astype(np.float32)
    return cv2.pointPolygonTest(contour, (float(x), float(y)), False) >= 0
