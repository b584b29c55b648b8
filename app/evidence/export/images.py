"""Pillow steps of the export: upright sRGB copies without metadata, and where to cut.

A shareable copy is decoded at reduced scale (`draft` before anything that decodes: a JPEG's
DCT scaling gives the picture at 1/2, 1/4 or 1/8 of its size for a fraction of the work), turned
upright by its EXIF orientation, brought into sRGB and saved as a baseline JPEG with nothing
but pixels: no EXIF, GPS, XMP, ICC profile or comment travels into the PDF or a pack. Accepted
redaction regions are filled with a solid colour at full size before the copy is scaled.

A JPEG that already fits the page, is upright, in sRGB (or without a profile) and has no
redaction is not decoded and encoded again: `passthrough_jpeg` keeps its coded picture byte
for byte and rewrites only the segments around it (`clean_jpeg`), dropping every APPn segment
(EXIF and GPS, XMP, ICC, MPF, maker notes, C2PA), comments, and whatever follows the picture's
end (MPF previews, trailers). When that cannot be done safely the copy is made from pixels.

Long screenshots are cut across pages at "quiet" rows (a run of uniform background between
text lines) near the page height, so a cut never runs through a line of text when it can help it.
"""

from __future__ import annotations

import io
import logging
import struct
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageCms, ImageOps

from app.evidence.privacy.burn import boxes_for, burn
from app.evidence.privacy.metadata import metadata_in, strip_jpeg
from app.evidence.privacy.model import Rect
from app.evidence.readers.image import open_image

log = logging.getLogger(__name__)

_SRGB = ImageCms.createProfile("sRGB")
CUBIC_MAX = 1.1  # up to this factor a bicubic filter does (see `shrink`)
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
        icc = im.info.get("icc_profile")
        upright = _upright(shrink(im, target))
    log.debug("%s: %s -> %s", path.name, stored, upright.size)
    return to_srgb(upright, icc if isinstance(icc, bytes) else None)


def shrink(im: Image.Image, box: tuple[int, int]) -> Image.Image:
    """`im` scaled to fit `box` (never enlarged): a whole-number box filter, then the rest.

    A HEIC (or any picture `draft` could not scale) comes at full size: Lanczos from 12 MP to
    1600 px weighs about 15 x 15 source pixels per output pixel. Averaging n x n blocks first
    leaves a factor under 2 (a JPEG's DCT-scaled decode is there already). A factor up to
    `CUBIC_MAX` (a 3264 px photo decoded at 1632 px for 1600) is done by OpenCV's bicubic
    filter: with so little to drop it matches Lanczos (0.55 against 0.53 grey levels from a
    full-size Lanczos on a real photo) for a tenth of the work. A larger one is Pillow's
    Lanczos, which widens its filter as it shrinks: a fixed bicubic would alias fine lines.
    """
    size = _fit(im.size, *box)
    if size == im.size:
        return im.copy()
    factor = int(min(im.width / size[0], im.height / size[1]))
    if factor >= 2:
        im = im.reduce(factor)
    if max(im.width / size[0], im.height / size[1]) <= CUBIC_MAX and im.mode in ("RGB", "L"):
        pixels = cv2.resize(np.asarray(im), size, interpolation=cv2.INTER_CUBIC)
        out = Image.fromarray(pixels, im.mode)
        # as Pillow's own resize does: the EXIF (its orientation) stays with the pixels, or a
        # turned 8 MP phone photo (3264 x 2448, drafted to 1632 x 1224) came out on its side
        out.info = dict(im.info)
        return out
    return im.resize(size, Image.Resampling.LANCZOS)


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


# A passed-through JPEG may not weigh more than this per pixel (a quality-95 photo is about 0.5):
# beyond it, encoding again at the export's quality is the smaller file.
PASS_MAX_BYTES_PER_PIXEL = 0.6
_SOF_OK = {0xC0, 0xC1, 0xC2}  # baseline, extended and progressive Huffman: what PDF readers decode
_KEEP_BEFORE_SCAN = {0xC4, 0xDB, 0xDD}  # DHT, DQT, DRI
_RGB_IDS = (0x52, 0x47, 0x42)  # component ids "R", "G", "B": colour not in YCbCr


def clean_jpeg(data: bytes) -> bytes | None:
    """The JPEG's first picture with only what decoding needs, its coded data untouched.

    Kept: SOI, DQT, DHT, DRI, the frame header (SOF0/1/2), each scan header with its entropy-
    coded data, EOI. Dropped: every APPn segment (JFIF, EXIF and its GPS block and thumbnail,
    XMP, ICC, MPF, Photoshop/IPTC, C2PA), comments, and any bytes after the picture's EOI (MPF
    preview images, vendor trailers). None when the file is anything else (arithmetic coding,
    lossless, 12-bit, CMYK, an Adobe colour transform, a DNL marker, truncated or odd bytes):
    the caller then makes the copy from pixels.
    """
    if not data.startswith(b"\xff\xd8"):
        return None
    out = bytearray(b"\xff\xd8")
    pos, frame, scans = 2, False, 0
    end = len(data)
    while pos + 2 <= end:
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker == 0xD9:  # EOI: the picture is complete; what follows is not the picture
            return bytes(out) + b"\xff\xd9" if frame and scans else None
        if pos + 4 > end:
            return None
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        segment_end = pos + 2 + length
        if length < 2 or segment_end > end:
            return None
        if marker in _SOF_OK:
            if frame or not _plain_frame(data[pos + 4 : segment_end]):
                return None
            frame = True
            out += data[pos:segment_end]
        elif marker in _KEEP_BEFORE_SCAN:
            out += data[pos:segment_end]
        elif marker == 0xDA:  # scan header, then entropy-coded data up to the next marker
            if not frame:
                return None
            scan_end = _scan_end(data, segment_end)
            if scan_end < 0:
                return None
            out += data[pos:scan_end]
            scans += 1
            segment_end = scan_end
        elif marker == 0xEE or not (0xE0 <= marker <= 0xEF or marker == 0xFE):
            # Adobe (its colour transform would be lost), other SOFs, DNL, hierarchical, ...
            return None
        pos = segment_end
    return None  # no EOI: truncated


def _plain_frame(header: bytes) -> bool:
    """8-bit grey or YCbCr colour (a frame header's payload after its length)."""
    if len(header) < 6 or header[0] != 8:
        return False
    count = header[5]
    if count == 1:
        return True
    ids = tuple(header[6 + 3 * n] for n in range(count) if 6 + 3 * n < len(header))
    return count == 3 and len(ids) == 3 and ids != _RGB_IDS


def _scan_end(data: bytes, pos: int) -> int:
    """Offset of the marker that ends the entropy-coded data starting at `pos` (-1: none)."""
    while True:
        index = data.find(b"\xff", pos)
        if index < 0 or index + 1 >= len(data):
            return -1
        following = data[index + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart marker
            pos = index + 2
        elif following == 0xFF:  # fill bytes before a marker
            pos = index + 1
        else:
            return index


def passthrough_jpeg(
    path: Path, max_width: int, max_height: int
) -> tuple[bytes, Image.Image] | None:
    """The original's own JPEG picture without its metadata, when it can go into the PDF as is.

    Only for a JPEG that fits max_width x max_height, is upright (no EXIF turn), grey or RGB in
    sRGB or without a colour profile, and that `clean_jpeg` can strip without decoding; the
    caller never asks for a picture with redaction regions. The stripped bytes are decoded
    once as a check (and for a screenshot's row profile).

    Returns:
        (the stripped JPEG bytes, their decoded pixels), or None: make the copy from pixels.

    Raises:
        InputError: the file cannot be opened (from the image reader).
    """
    with open_image(path) as im:
        if im.format != "JPEG" or im.mode not in ("RGB", "L"):
            return None
        if im.width > max_width or im.height > max_height:
            return None
        try:
            orientation = im.getexif().get(0x0112, 1)
        except Exception:  # noqa: BLE001 - unreadable EXIF: the pixel path decides the turn
            return None
        if orientation not in (1, None) or not _srgb_or_none(im.info.get("icc_profile")):
            return None
        size = im.size
    data = clean_jpeg(path.read_bytes())
    if data is None or len(data) > size[0] * size[1] * PASS_MAX_BYTES_PER_PIXEL + 4096:
        return None
    if metadata_in(data):  # cannot happen with the segments kept; never let it through
        return None
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as check:
            check.load()
            pixels = check.copy()
    except Exception:  # noqa: BLE001 - damaged coded data: the pixel path reports it
        log.debug("%s: the stripped JPEG does not decode", path.name, exc_info=True)
        return None
    if pixels.size != size or pixels.mode not in ("RGB", "L"):
        return None
    pixels.info.clear()
    return data, pixels


def _srgb_or_none(icc: object) -> bool:
    if not icc:
        return True
    if not isinstance(icc, bytes):
        return False
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = ImageCms.getProfileDescription(profile) or ""
    except Exception:  # noqa: BLE001 - a damaged profile: convert from pixels
        return False
    return description.strip().lower().startswith("srgb")


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
