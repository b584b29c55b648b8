"""Pixel size against the sizes the file records about itself (crops and resizes).

A camera writes the picture's size into EXIF (PixelXDimension/PixelYDimension); editors often
keep the old value, and Adobe tools also keep it in XMP (exif:PixelXDimension, tiff:ImageWidth)
and write IFD0 ImageWidth. The stored pixel grid is compared with each recorded size, either
way round (orientation), with a small tolerance for encoders that pad to 16-pixel blocks.

    another shape than recorded (a crop)            alert: what the picture shows changed
    the same shape, fewer pixels (a downscale)      warning: not the original file, the content
                                                    is the same picture made smaller
    the recorded size turned, no rotation tag       warning: a lossless rotation re-saved
    a frame shape no camera writes (not 1:1, 5:4,   warning: not the camera's own frame (a crop
    4:3, 3:2, 16:10, 16:9, 2:1, 19.5:9-21:9, or a   with the recorded size rewritten too)
    panorama)
"""

from __future__ import annotations

from app.evidence.checks.model import Finding, Severity
from app.evidence.checks.photo_input import PhotoInput
from app.evidence.checks.texts import finding
from app.evidence.readers.tiff_layout import ifd0_size

TOLERANCE_PX = 16
ASPECT_TOLERANCE = 0.015  # relative: shapes within 1.5 % are "the same shape" (a resize)
_SOURCES = {
    "exif": ("EXIF（PixelXDimension/PixelYDimension）", "EXIF PixelX/YDimension"),
    "ifd0": ("EXIF 主目录（ImageWidth/ImageLength）", "EXIF IFD0 ImageWidth/ImageLength"),
    "xmp_exif": ("XMP（exif:PixelXDimension）", "XMP exif:PixelX/YDimension"),
    "xmp_tiff": ("XMP（tiff:ImageWidth）", "XMP tiff:ImageWidth/ImageLength"),
}


def size_findings(photo: PhotoInput) -> list[Finding]:
    """A crop or resize finding when a recorded size disagrees with the pixels."""
    meta = photo.meta
    if not meta.width or not meta.height:
        return []
    actual = (meta.width, meta.height)
    recorded: list[tuple[str, tuple[int, int]]] = []
    if meta.exif_width and meta.exif_height:
        recorded.append(("exif", (meta.exif_width, meta.exif_height)))
    if photo.jpeg and photo.jpeg.exif_tiff:
        ifd0 = ifd0_size(photo.jpeg.exif_tiff)
        if ifd0:
            recorded.append(("ifd0", ifd0))
    if photo.xmp:
        for source, keys in (
            ("xmp_exif", ("exif:PixelXDimension", "exif:PixelYDimension")),
            ("xmp_tiff", ("tiff:ImageWidth", "tiff:ImageLength")),
        ):
            size = _int_pair(photo.xmp.get(keys[0]), photo.xmp.get(keys[1]))
            if size:
                recorded.append((source, size))
    mismatches = [(s, r, _compare(r, actual)) for s, r in recorded]
    mismatches = [(s, r, kind) for s, r, kind in mismatches if kind != "same"]
    if not mismatches:
        return _turned(photo, actual) + _shape(photo, actual)
    crops = [m for m in mismatches if m[2] == "crop"]
    source, size, kind = (crops or mismatches)[0]
    params = {
        "source": source,
        "recorded": f"{size[0]}x{size[1]}",
        "actual": f"{actual[0]}x{actual[1]}",
        "all_recorded": {s: f"{r[0]}x{r[1]}" for s, r, _ in mismatches},
        "tolerance_px": TOLERANCE_PX,
        "aspect_tolerance": ASPECT_TOLERANCE,
    }
    zh, en = _SOURCES[source]
    if kind == "crop":
        return [finding("crop_detected", Severity.ALERT, params, source_zh=zh, source_en=en)]
    return [finding("resize_detected", Severity.WARNING, params, source_zh=zh, source_en=en)]


def _turned(photo: PhotoInput, actual: tuple[int, int]) -> list[Finding]:
    """The camera's size stored the other way round, with no rotation recorded."""
    meta = photo.meta
    if not (meta.exif_width and meta.exif_height) or meta.exif_width == meta.exif_height:
        return []
    turned = (meta.exif_height, meta.exif_width) == actual
    if not turned or meta.orientation not in (None, 1):
        return []
    # Phones store HEIF pictures in the sensor's grid with a rotation; a JPEG may be stored
    # turned by some Android camera apps. Either way a rotation does not change what the
    # picture shows: a re-save, not an edit.
    severity = Severity.WARNING
    params = {
        "recorded": f"{meta.exif_width}x{meta.exif_height}",
        "actual": f"{actual[0]}x{actual[1]}",
        "orientation": meta.orientation,
        "format": meta.format,
    }
    return [finding("rotated_resave", severity, params)]


# Frame shapes cameras and phones write (long side / short side): 1:1, 5:4, 4:3, 3:2, 16:10,
# 16:9, 2:1, 19.5:9, 20:9, 21:9. Wider than 2.4 is a panorama, which any shape may be.
CAMERA_SHAPES = (1.0, 1.25, 4 / 3, 1.5, 1.6, 16 / 9, 2.0, 19.5 / 9, 20 / 9, 21 / 9)
SHAPE_TOLERANCE = 0.02
PANORAMA = 2.4


def _shape(photo: PhotoInput, actual: tuple[int, int]) -> list[Finding]:
    """A frame shape no camera writes (a crop whose recorded size was rewritten too): warning.

    On the 95 labelled real files it fired on 0 of 22 originals and on 11 changed files (8
    labelled edited, 3 recompressed: raw developments and exports), so it says "not the
    camera's own frame" but does not decide `edited` (verdict.py).
    """
    if photo.is_screenshot:
        return []
    long, short = max(actual), min(actual)
    ratio = long / short
    if ratio > PANORAMA:
        return []
    tolerance = max(SHAPE_TOLERANCE, 1.0 / short)  # one pixel of rounding in small pictures
    nearest = min(CAMERA_SHAPES, key=lambda r: abs(ratio / r - 1))
    if abs(ratio / nearest - 1) <= tolerance:
        return []
    params = {
        "actual": f"{actual[0]}x{actual[1]}",
        "ratio": round(ratio, 3),
        "nearest": round(nearest, 3),
        "tolerance": round(tolerance, 3),
    }
    return [finding("shape_not_from_camera", Severity.WARNING, params)]


def _compare(recorded: tuple[int, int], actual: tuple[int, int]) -> str:
    """ "same", "resize" (same shape) or "crop" (another shape), either way round."""
    for rw, rh in (recorded, recorded[::-1]):
        if abs(rw - actual[0]) <= TOLERANCE_PX and abs(rh - actual[1]) <= TOLERANCE_PX:
            return "same"
    shape = max(actual) / min(actual)
    recorded_shape = max(recorded) / min(recorded)
    return "resize" if abs(shape / recorded_shape - 1) <= ASPECT_TOLERANCE else "crop"


def _int_pair(a: str | None, b: str | None) -> tuple[int, int] | None:
    try:
        w, h = int(str(a).strip()), int(str(b).strip())
    except ValueError:
        return None
    return (w, h) if 0 < w <= 200_000 and 0 < h <= 200_000 else None
