"""Photo and screenshot metadata, read from file headers without decoding the pixels.

`read_image` is the entry point: JPEG (and MPO), PNG, HEIC/HEIF, WebP, GIF, TIFF and BMP. It
returns a `MediaMetadata` or raises an `InputError` subclass; nothing else escapes, whatever the
bytes. Damage that still leaves something readable (a broken EXIF section, malformed XMP, a file
cut short) is reported in plain words in `MediaMetadata.warnings`.

Times follow the rule of `app.evidence.models`: a capture time without a recorded UTC offset keeps
`offset_minutes=None`; it is never taken for UTC. File-system times are not used here (the
importer records them separately).

Pillow reports some EXIF damage through the `warnings` module, which is process-global and not
thread-safe to capture; instead this module compares what each EXIF section declares with what
could be read, which gives the same per-file answer without touching global state.
"""

from __future__ import annotations

import email.utils
import logging
import math
import os
import re
import stat
import struct
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.parsers import expat

import pillow_heif
from PIL import ExifTags, Image, UnidentifiedImageError
from PIL.JpegImagePlugin import zigzag_index

from app.evidence.errors import (
    DamagedFile,
    DecompressionBomb,
    EmptyFile,
    InputError,
    UnreadableFile,
    UnsupportedFormat,
)
from app.evidence.models import CaptureTime, GpsPosition, MediaMetadata, TimeSource

logger = logging.getLogger(__name__)

pillow_heif.register_heif_opener()

MAX_PIXELS = 200_000_000
"""Declared pixel counts above this are refused as decompression bombs (largest cameras ~150 MP).
Pillow itself refuses above ~179 MP (2 x Image.MAX_IMAGE_PIXELS); both become DecompressionBomb."""

# Pillow format -> (our format, mime). Anything else is refused before exotic plugins run.
_FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("jpeg", "image/jpeg"),
    "MPO": ("jpeg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "HEIF": ("heif", "image/heif"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
    "TIFF": ("tiff", "image/tiff"),
    "BMP": ("bmp", "image/bmp"),
}
# MPO files are opened by the JPEG plugin (it adopts them), so MPO is not a separate opener.
_OPEN_FORMATS = [name for name in _FORMATS if name != "MPO"]
_IMAGE_MAGIC = (b"\xff\xd8", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")

_MAX_RAW_ENTRIES = 600
_MAX_RAW_VALUE = 256
_MAX_XMP_CHARS = 1_000_000
_MAX_TEXT_VALUE = 8192
_MAX_PNG_CHUNKS = 20_000
_MAX_PNG_TEXTS = 64
_MAX_PNG_META_CHUNK = 4_000_000
_NO_ZONE = "no time zone in the file"

# Offsets in use anywhere (minutes): whole hours plus the half- and quarter-hour zones. A GPS
# clock is only trusted to reveal the zone when the gap to the camera clock lands near one.
_REAL_OFFSETS = sorted(
    {h * 60 for h in range(-12, 15)}
    | {-570, -210, -150, 210, 270, 330, 345, 390, 525, 570, 630, 765, 825}
)
_GPS_TOLERANCE_MIN = 15.0


def check_input_file(path: Path) -> int:
    """Check that `path` is a non-empty regular file we may read; return its size in bytes.

    Raises:
        UnreadableFile: missing, not a regular file, or not readable.
        EmptyFile: zero bytes.
    """
    try:
        st = path.stat()
    except OSError as exc:
        raise UnreadableFile(f"cannot access the file: {exc.strerror or exc}", str(path)) from exc
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableFile("not a regular file", str(path))
    if st.st_size == 0:
        raise EmptyFile("the file is empty (0 bytes)", str(path))
    if not os.access(path, os.R_OK):
        raise UnreadableFile("no permission to read the file", str(path))
    return st.st_size


def open_image(path: Path) -> Image.Image:
    """Open an image lazily (header only) with the format allow-list and the pixel cap.

    The caller closes the returned image (use it as a context manager).

    Raises:
        InputError: the matching subclass when the file cannot be opened as a supported image.
    """
    check_input_file(path)
    try:
        im = Image.open(path, formats=_OPEN_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        message = f"declared picture size is far too large: {exc}"
        raise DecompressionBomb(message, str(path)) from exc
    except UnidentifiedImageError as exc:
        if _starts_like_image(path):
            raise DamagedFile("looks like an image but its header is damaged", str(path)) from exc
        raise UnsupportedFormat("not a supported image format", str(path)) from exc
    except (PermissionError, FileNotFoundError) as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}", str(path)) from exc
    except Exception as exc:  # a plugin choking on hostile bytes: the file is damaged
        raise DamagedFile(f"the image header cannot be read: {exc}", str(path)) from exc
    width, height = im.size
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        im.close()
        if width <= 0 or height <= 0:
            raise DamagedFile("the image declares no pixels", str(path))
        message = f"declared size {width}x{height} is far beyond any camera"
        raise DecompressionBomb(message, str(path))
    return im


def read_image(path: Path) -> MediaMetadata:
    """Read a photo's or screenshot's metadata from its headers (pixels are never decoded).

    Args:
        path: the image file.

    Returns:
        Format, stored size, EXIF (camera, times, GPS, thumbnail), XMP, ICC description, JPEG
        quantization tables and comment, PNG chunks and text, the best capture time, and `raw`:
        every EXIF and GPS tag as text under its bare name ("Make", "DateTimeOriginal",
        "GPSLatitude", "UserComment"; unknown tags as "0xA420"). Thumbnail and interoperability
        tags, and a name met twice, carry their group ("IFD1:Compression", "InteropIFD:...");
        a few XMP and PNG facts are added as "XMP:xmp:CreatorTool" and "PNG:tIME".

    Raises:
        InputError: EmptyFile, UnreadableFile, UnsupportedFormat, DamagedFile or
            DecompressionBomb. No other exception escapes, whatever the input.
    """
    try:
        return _read_image(path)
    except InputError:
        raise
    except Exception as exc:  # a bug or an unforeseen malformation: one bad file, not a crash
        logger.warning("unexpected error reading %s", path, exc_info=True)
        raise DamagedFile(f"unexpected error while reading the image: {exc}", str(path)) from exc


# --------------------------------------------------------------------------- the file as a whole


@dataclass
class _Exif:
    present: bool = False
    ifd0: dict[int, Any] = field(default_factory=dict)
    exif: dict[int, Any] = field(default_factory=dict)
    gps: dict[int, Any] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    thumbnail: tuple[bool, tuple[int, int] | None] = (False, None)


@dataclass
class _Png:
    chunks: list[str] = field(default_factory=list)
    text: dict[str, str] = field(default_factory=dict)
    times: list[tuple[str, str]] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)
    exif: bytes | None = None
    xmp: bytes | None = None


@dataclass
class _Xmp:
    text: str
    fields: dict[str, str] = field(default_factory=dict)


def _read_image(path: Path) -> MediaMetadata:
    warns: list[str] = []
    with open_image(path) as im:
        fmt, mime = _FORMATS[im.format or ""]
        if fmt == "heif":  # pillow-heif tells image/heic (iPhone) from image/heif by brand
            mime = getattr(im, "custom_mimetype", None) or mime
        width, height = im.size
        info = im.info
        png = _walk_png(path, warns) if fmt == "png" else None
        if fmt == "tiff":
            exif = _read_exif(_section(im.getexif, warns), None, warns)
        else:
            blob = png.exif if png else info.get("exif")
            exif = _read_exif_blob(blob if isinstance(blob, bytes) else None, warns)
        orientation = _int_in(exif.ifd0.get(0x0112), 1, 8)
        if fmt == "heif":
            # pillow-heif applies the HEIF rotation and resets EXIF Orientation to 1: report what
            # the file declared, and the pixel grid as stored (before that rotation).
            orientation = _int_in(info.get("original_orientation"), 1, 8) or orientation
            if orientation:
                exif.raw["Orientation"] = str(orientation)
            if _heif_turns(im, orientation) in (90, 270):
                width, height = height, width
        xmp_blob = png.xmp if png else (info.get("xmp") or exif.ifd0.get(700))
        xmp = _read_xmp(xmp_blob, warns) if isinstance(xmp_blob, (bytes, str)) else None
        icc = info.get("icc_profile")
        quant = _quantization(im) if fmt == "jpeg" else None
        comment = _jpeg_comment(im) if fmt == "jpeg" else None
    if fmt == "jpeg":
        _check_jpeg_end(path, warns)

    e, d0 = exif.exif, exif.ifd0
    dto = _exif_str(e.get(0x9003), strip=False)
    subsec = _exif_str(e.get(0x9291))
    offset = _exif_str(e.get(0x9011))
    dtd = _exif_str(e.get(0x9004), strip=False)
    gps_utc = _gps_utc(exif.gps)
    capture = _best_capture_time(
        dto, subsec, offset, dtd, _exif_str(e.get(0x9012)), gps_utc, xmp, png, warns
    )
    raw = {**exif.raw, **(xmp.fields if xmp else {}), **(png.raw if png else {})}
    return MediaMetadata(
        format=fmt,
        mime=mime,
        width=width,
        height=height,
        make=_exif_str(d0.get(0x010F)),
        model=_exif_str(d0.get(0x0110)),
        software=_exif_str(d0.get(0x0131)),
        orientation=orientation,
        datetime_original=dto,
        datetime_digitized=dtd,
        datetime_modified=_exif_str(d0.get(0x0132), strip=False),
        offset_time_original=offset,
        subsec_original=subsec,
        exif_width=_int_in(e.get(0xA002), 1, 1_000_000),
        exif_height=_int_in(e.get(0xA003), 1, 1_000_000),
        has_exif=exif.present,
        has_exif_thumbnail=exif.thumbnail[0],
        exif_thumbnail_size=exif.thumbnail[1],
        gps=_gps_position(exif.gps, gps_utc, warns),
        xmp=xmp.text if xmp else None,
        icc_profile=_icc_description(icc) if isinstance(icc, bytes) else None,
        quantization_tables=quant,
        jpeg_comment=comment,
        png_text=png.text if png else {},
        png_chunks=tuple(png.chunks) if png else (),
        capture_time=capture,
        raw=dict(list(raw.items())[:_MAX_RAW_ENTRIES]),
        warnings=tuple(dict.fromkeys(warns)),
    )


def _starts_like_image(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    if head.startswith(_IMAGE_MAGIC):
        return True
    return (head[:4] == b"RIFF" and head[8:12] == b"WEBP") or head[4:8] == b"ftyp"


def _heif_turns(im: Image.Image, orientation: int | None) -> int:
    """Degrees of the HEIF `irot` transform libheif applied when decoding."""
    try:  # pillow-heif keeps the transforms on a private object; fall back if that moves
        frame = im._heif_file[im.tell()]  # type: ignore[attr-defined]
        for name, value in frame._c_image.transformations:
            if name == "irot":
                return int(value) % 360
        return 0
    except Exception:
        return 90 if orientation in (5, 6, 7, 8) else 0


def _check_jpeg_end(path: Path, warns: list[str]) -> None:
    """A JPEG ends with FF D9; phones may append data after it, so look a little further back."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 65536))
            tail = fh.read()
    except OSError:
        return
    if tail.endswith(b"\xff\xd9") or b"\xff\xd9" in tail:
        return
    warns.append(
        "No JPEG end marker near the end of the file: it may be cut short (truncated), "
        "or carry other data after the picture."
    )


def _quantization(im: Image.Image) -> tuple[tuple[int, ...], ...] | None:
    tables = getattr(im, "quantization", None) or {}
    out = []
    for table_id in sorted(tables):
        natural = list(tables[table_id])
        if len(natural) != 64:
            continue
        # Pillow hands tables over in natural (row-major) order; the model keeps the zigzag order
        # the file stores them in, which is how quality-estimation references are written.
        stored = [0] * 64
        for natural_pos, zigzag_pos in enumerate(zigzag_index):
            stored[zigzag_pos] = int(natural[natural_pos])
        out.append(tuple(stored))
    return tuple(out) or None


def _jpeg_comment(im: Image.Image) -> str | None:
    chunks = [data for marker, data in getattr(im, "applist", []) if marker == "COM"]
    text = "\n".join(t for t in (_decode_text(c) for c in chunks) if t)
    return text[:_MAX_TEXT_VALUE] or None


# --------------------------------------------------------------------------------------- EXIF


def _read_exif_blob(blob: bytes | None, warns: list[str]) -> _Exif:
    if not blob:
        return _Exif()
    exif = Image.Exif()
    try:
        exif.load(blob)
    except Exception as exc:
        logger.debug("EXIF load failed: %s", exc)
        warns.append("The EXIF block is damaged and could not be read.")
        return _Exif(present=True)
    tiff = blob[6:] if blob.startswith(b"Exif\x00\x00") else blob
    return _read_exif(exif, tiff, warns)


def _read_exif(exif: Image.Exif | None, tiff: bytes | None, warns: list[str]) -> _Exif:
    """Collect the EXIF sections; given the TIFF bytes, also check what each section declared."""
    if exif is None:
        return _Exif()
    ifd0 = _section(lambda: dict(exif), warns) or {}
    if not ifd0 and tiff is None:
        return _Exif()
    out = _Exif(present=True, ifd0=ifd0)
    out.exif = _section(lambda: exif.get_ifd(ExifTags.IFD.Exif), warns) or {}
    out.gps = _section(lambda: exif.get_ifd(ExifTags.IFD.GPSInfo), warns) or {}
    interop = _section(lambda: exif.get_ifd(ExifTags.IFD.Interop), warns) or {}
    ifd1 = _section(lambda: exif.get_ifd(ExifTags.IFD.IFD1), warns) or {}
    for group, tags, names, bare in (
        ("IFD0", ifd0, ExifTags.TAGS, True),
        ("ExifIFD", out.exif, ExifTags.TAGS, True),
        ("GPS", out.gps, ExifTags.GPSTAGS, True),
        ("InteropIFD", interop, ExifTags.TAGS, False),
        ("IFD1", ifd1, ExifTags.TAGS, False),
    ):
        for tag, value in list(tags.items())[:_MAX_RAW_ENTRIES]:
            name = names.get(tag) if isinstance(tag, int) else None
            key = name or f"0x{int(tag):04X}"
            # Bare names are what later code looks up; a repeat must not hide the first value.
            if not bare or key in out.raw:
                key = f"{group}:{key}"
            out.raw[key] = _raw_value(value, tag)
    if tiff is None:  # a TIFF file: its own tags are not EXIF unless camera sections exist
        out.present = bool(out.exif or out.gps or ifd0.get(0x010F))
    else:
        _check_exif_structure(tiff, ifd0, out.exif, out.gps, ifd1, warns)
        out.thumbnail = _exif_thumbnail(tiff, ifd1, warns)
    return out


def _section(func: Any, warns: list[str]) -> Any:
    """Read one EXIF section; a failure costs that section, not the file."""
    try:
        return func()
    except Exception as exc:
        logger.debug("EXIF section unreadable: %s", exc)
        warns.append("Part of the EXIF block is damaged and could not be read.")
        return None


def _check_exif_structure(
    tiff: bytes,
    ifd0: dict[int, Any],
    exif_ifd: dict[int, Any],
    gps: dict[int, Any],
    ifd1: dict[int, Any],
    warns: list[str],
) -> None:
    """Compare each section's declared entry count with the entries Pillow could read."""
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        warns.append("The EXIF block has no valid header; its contents could not be read.")
        return
    end = "<" if tiff[:2] == b"II" else ">"

    def declared(offset: Any) -> int | None:
        if not isinstance(offset, int) or offset < 8 or offset + 2 > len(tiff):
            return None
        return int(struct.unpack_from(end + "H", tiff, offset)[0])

    ifd0_offset = struct.unpack_from(end + "L", tiff, 4)[0]
    n0 = declared(ifd0_offset)
    next_offset = None
    if n0 is not None and ifd0_offset + 2 + 12 * n0 + 4 <= len(tiff):
        next_offset = struct.unpack_from(end + "L", tiff, ifd0_offset + 2 + 12 * n0)[0]
    checks = [("main", ifd0_offset, ifd0), ("camera settings", ifd0.get(0x8769), exif_ifd)]
    checks += [("GPS", ifd0.get(0x8825), gps), ("thumbnail", next_offset or None, ifd1)]
    for label, offset, parsed in checks:
        if offset is None:
            continue
        count = declared(offset)
        if not isinstance(offset, int):
            warns.append(f"The pointer to the EXIF {label} section is malformed.")
        elif count is None:
            warns.append(f"The EXIF {label} section points outside the EXIF block.")
        elif count > len(parsed):
            warns.append(
                f"{count - len(parsed)} of {count} entries in the EXIF {label} section "
                "could not be read (damaged or malformed)."
            )


def _exif_thumbnail(
    tiff: bytes, ifd1: dict[int, Any], warns: list[str]
) -> tuple[bool, tuple[int, int] | None]:
    offset, length = ifd1.get(0x0201), ifd1.get(0x0202)
    if isinstance(offset, int) and isinstance(length, int):
        if offset <= 0 or length <= 0 or offset + length > len(tiff):
            warns.append("The EXIF thumbnail pointer is broken; the thumbnail cannot be read.")
            return False, None
        data = tiff[offset : offset + length]
        if not data.startswith(b"\xff\xd8"):
            warns.append("The EXIF thumbnail is not a readable JPEG.")
            return True, None
        return True, _jpeg_size(data)
    w, h = _int_in(ifd1.get(0x0100), 1, 65535), _int_in(ifd1.get(0x0101), 1, 65535)
    if ifd1.get(0x0103) == 1 and w and h:  # uncompressed TIFF-style thumbnail
        return True, (w, h)
    return False, None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a JPEG's SOF marker, walking the segments (bounded by the data)."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if marker in (0xD9, 0xDA):
            return None
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if pos + 9 > len(data):
                return None
            height, width = struct.unpack_from(">HH", data, pos + 5)
            return (width, height) if width and height else None
        pos += 2 + struct.unpack_from(">H", data, pos + 2)[0]
    return None


def _raw_value(value: Any, tag: Any = None) -> str:
    """One EXIF value as bounded text: bytes as short hex unless they are plain ASCII."""
    if tag == 0x9286 and isinstance(value, bytes):  # UserComment: 8-byte charset, then text
        head, body = value[:8], value[8:]
        if head.startswith(b"UNICODE"):
            text = body.decode("utf-16-be" if body[:1] == b"\x00" else "utf-16-le", "replace")
            return text.strip("\x00 ")[:_MAX_RAW_VALUE]
        if head.startswith((b"ASCII", b"\x00" * 8)):
            return body.decode("latin-1").strip("\x00 ")[:_MAX_RAW_VALUE]
    if isinstance(value, bytes):
        stripped = value.rstrip(b"\x00")
        if stripped and all(32 <= b < 127 for b in stripped) and len(stripped) <= _MAX_RAW_VALUE:
            return stripped.decode("ascii")
        hexed = value[:32].hex()
        return f"hex:{hexed}…({len(value)} bytes)" if len(value) > 32 else f"hex:{hexed}"
    if isinstance(value, (tuple, list)):
        text = ", ".join(_raw_value(v) for v in value[:32])
        return (text + (", …" if len(value) > 32 else ""))[:_MAX_RAW_VALUE]
    if isinstance(value, str):
        return _fix_mojibake(value).replace("\x00", "")[:_MAX_RAW_VALUE]
    if isinstance(value, int):
        return str(value)[:_MAX_RAW_VALUE]
    if isinstance(value, float) or hasattr(value, "numerator"):  # float or IFDRational
        return f"{_num(value):.10g}"
    return str(value)[:_MAX_RAW_VALUE]


def _exif_str(value: Any, strip: bool = True) -> str | None:
    """A text tag as written (NULs removed); `strip` also trims the padding cameras add."""
    if isinstance(value, bytes):
        value = _decode_text(value)
    if not isinstance(value, str):
        return None
    text = _fix_mojibake(value).replace("\x00", "")
    text = text.strip() if strip else text.rstrip()
    return text[:_MAX_TEXT_VALUE] or None


def _fix_mojibake(text: str) -> str:
    """Pillow decodes EXIF ASCII as Latin-1; Chinese phone software often writes UTF-8 there."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _decode_text(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):  # Chinese tools write GBK comments
        try:
            return data.decode(encoding).replace("\x00", "").strip()
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1").replace("\x00", "").strip()


def _num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return math.nan


def _int_in(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, tuple) and len(value) == 1:
        value = value[0]
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return None


# ---------------------------------------------------------------------------------------- GPS


def _gps_position(
    gps: dict[int, Any], utc: datetime | None, warns: list[str]
) -> GpsPosition | None:
    if 2 not in gps and 4 not in gps:
        return None
    lat = _dms(gps.get(2), gps.get(1), "S", 90.0)
    lon = _dms(gps.get(4), gps.get(3), "W", 180.0)
    if lat is None or lon is None:
        warns.append("The GPS position in the EXIF block is unreadable.")
        return None
    if lat == 0.0 and lon == 0.0:
        return None  # what cameras write when they had no fix
    altitude = _num(gps.get(6)) if gps.get(6) is not None else math.nan
    ref = gps.get(5)
    if ref in (1, b"\x01"):
        altitude = -altitude
    return GpsPosition(
        latitude=lat,
        longitude=lon,
        altitude_m=altitude if math.isfinite(altitude) else None,
        utc_time=utc,
    )


def _dms(value: Any, ref: Any, negative: str, limit: float) -> float | None:
    if not isinstance(value, (tuple, list)) or not 1 <= len(value) <= 3:
        return None
    parts = [_num(v) for v in value]
    degrees = sum(p / 60**i for i, p in enumerate(parts))
    if not math.isfinite(degrees) or not 0 <= degrees <= limit:
        return None
    ref_text = ref.decode("latin-1") if isinstance(ref, bytes) else str(ref or "")
    return -degrees if ref_text.strip("\x00 ").upper() == negative else degrees


def _gps_utc(gps: dict[int, Any]) -> datetime | None:
    """GPSDateStamp + GPSTimeStamp as an aware UTC datetime (None unless both are sane)."""
    date_text, hms = _exif_str(gps.get(29)), gps.get(7)
    if not date_text or not isinstance(hms, (tuple, list)) or len(hms) != 3:
        return None
    match = re.fullmatch(r"(\d{4})[:\-](\d{2})[:\-](\d{2})", date_text)
    hour, minute, second = (_num(v) for v in hms)
    if not match or not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 61):
        return None
    try:
        year, month, mday = (int(g) for g in match.groups())
        day = datetime(year, month, mday, tzinfo=UTC)
    except ValueError:
        return None
    return day + timedelta(hours=int(hour), minutes=int(minute), seconds=second)


# -------------------------------------------------------------------------------- capture time


def _best_capture_time(
    dto: str | None,
    subsec: str | None,
    offset: str | None,
    dtd: str | None,
    offset_dtd: str | None,
    gps_utc: datetime | None,
    xmp: _Xmp | None,
    png: _Png | None,
    warns: list[str],
) -> CaptureTime | None:
    """EXIF DateTimeOriginal first, then DateTimeDigitized, XMP dates, PNG text and tIME."""
    local = _parse_exif_datetime(dto, "DateTimeOriginal", warns)
    tag = "DateTimeOriginal"
    if local is None:
        local = _parse_exif_datetime(dtd, "DateTimeDigitized", warns)
        tag, subsec, offset = "DateTimeDigitized", None, offset_dtd
    if local is not None:
        if subsec and subsec.strip().isdigit():
            local = local.replace(microsecond=int((subsec.strip() + "000000")[:6]))
        minutes = _parse_offset(offset, warns)
        if minutes is not None:
            return CaptureTime(local, minutes, TimeSource.EXIF, "high", f"{tag} with its offset")
        return _zone_from_clues(local, tag, gps_utc, xmp)
    for key, value in xmp.fields.items() if xmp else ():
        if key in ("XMP:exif:DateTimeOriginal", "XMP:xmp:CreateDate", "XMP:photoshop:DateCreated"):
            moment = _parse_iso(value)
            if moment is not None:
                return _from_text_time(moment, TimeSource.XMP, f"{key[4:]} in the XMP metadata")
    for key, value in png.times if png else ():
        moment = _parse_iso(value) or _parse_rfc2822(value)
        if moment is not None:
            return _from_text_time(moment, TimeSource.PNG_TEXT, f"PNG text '{key}'")
    return None


def _zone_from_clues(
    local: datetime, tag: str, gps_utc: datetime | None, xmp: _Xmp | None
) -> CaptureTime:
    """No offset next to the time: borrow one only from evidence in the same file."""
    for key in ("XMP:exif:DateTimeOriginal", "XMP:xmp:CreateDate", "XMP:photoshop:DateCreated"):
        moment = _parse_iso(xmp.fields.get(key, "")) if xmp else None
        if (
            moment
            and moment.tzinfo
            and moment.replace(tzinfo=None, microsecond=0) == local.replace(microsecond=0)
        ):
            note = f"{tag} has no time zone; the XMP copy of the same time ({key[4:]}) carries it"
            return CaptureTime.from_aware(
                local.replace(tzinfo=moment.tzinfo), TimeSource.EXIF, "medium", note
            )
    if gps_utc is not None:
        gap = (local - gps_utc.replace(tzinfo=None)).total_seconds() / 60
        near = [m for m in _REAL_OFFSETS if abs(gap - m) <= _GPS_TOLERANCE_MIN]
        best = min(near, key=lambda m: abs(gap - m)) if near else None
        if best is not None and (len(near) == 1 or abs(gap - best) <= 2):
            sign = "+" if best >= 0 else "-"
            zone = f"{sign}{abs(best) // 60:02d}:{abs(best) % 60:02d}"
            note = (
                f"{_NO_ZONE}; {zone} worked out from the GPS time stamp (UTC), "
                f"which is {abs(gap - best) * 60:.0f} s away from that offset"
            )
            return CaptureTime(local, best, TimeSource.EXIF, "medium", note)
        note = f"{_NO_ZONE}; the GPS time stamp does not fit any time zone, so it was not used"
        return CaptureTime(local, None, TimeSource.EXIF, "medium", note)
    return CaptureTime(local, None, TimeSource.EXIF, "medium", _NO_ZONE)


def _from_text_time(moment: datetime, source: TimeSource, what: str) -> CaptureTime:
    if moment.tzinfo is not None:
        return CaptureTime.from_aware(moment, source, "low", f"from {what}")
    return CaptureTime(moment, None, source, "low", f"from {what}; {_NO_ZONE}")


def _parse_exif_datetime(text: str | None, tag: str, warns: list[str]) -> datetime | None:
    if not text or not text.strip(" :\x00") or text.startswith("0000"):
        return None  # blank or zeroed: the camera did not know, not damage
    match = re.match(r"\s*(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})", text)
    try:
        if match:
            year, month, day, hour, minute, second = (int(g) for g in match.groups())
            return datetime(year, month, day, hour, minute, second)
    except ValueError:
        pass
    warns.append(f"EXIF {tag} '{text[:40]}' is not a valid date and time.")
    return None


def _parse_offset(text: str | None, warns: list[str]) -> int | None:
    if not text or not text.strip(" :\x00"):
        return None
    match = re.fullmatch(r"\s*([+-])(\d{2}):?(\d{2})\s*", text)
    if match:
        minutes = int(match.group(2)) * 60 + int(match.group(3))
        if minutes <= 14 * 60 and int(match.group(3)) < 60:
            return -minutes if match.group(1) == "-" else minutes
    warns.append(f"EXIF time zone offset '{text[:20]}' is not valid; it was ignored.")
    return None


def _parse_iso(text: str) -> datetime | None:
    """An ISO 8601 date-time (date-only values are too coarse for a capture time)."""
    text = text.strip()
    if len(text) < 16 or text[10:11] not in ("T", " "):
        return None
    if text[4:5] == ":" and text[7:8] == ":":  # EXIF-style date written into a text field
        text = f"{text[:4]}-{text[5:7]}-{text[8:]}"
    try:  # Python 3.11 takes at most six fractional digits
        return datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", text))
    except ValueError:
        return None


def _parse_rfc2822(text: str) -> datetime | None:
    try:
        moment = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return moment


# ---------------------------------------------------------------------------------------- XMP


_XMP_NAMESPACES = {
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/photoshop/1.0/": "photoshop",
    "http://ns.adobe.com/exif/1.0/": "exif",
    "http://ns.adobe.com/tiff/1.0/": "tiff",
    "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#": "stEvt",
    "http://ns.adobe.com/xap/1.0/mm/": "xmpMM",
}
_XMP_KEEP = {
    "xmp:CreatorTool", "xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate",
    "photoshop:DateCreated", "exif:DateTimeOriginal", "exif:PixelXDimension",
    "exif:PixelYDimension", "tiff:Make", "tiff:Model", "tiff:Orientation", "tiff:Software",
    "stEvt:softwareAgent", "stEvt:action", "xmpMM:OriginalDocumentID",
}  # fmt: skip


def _read_xmp(blob: bytes | str, warns: list[str]) -> _Xmp | None:
    """The XMP packet as text plus the fields later checks use, parsed without DTDs."""
    if isinstance(blob, bytes):
        if blob.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = blob.decode("utf-16", "replace")
        else:
            text = blob.decode("utf-8", "replace")
    else:
        text = blob
    text = text.strip("\x00 \r\n\t")
    if not text:
        return None
    xmp = _Xmp(text=text[:_MAX_XMP_CHARS])
    if len(text) > _MAX_XMP_CHARS:
        warns.append("The XMP metadata is unusually large; only the first part is kept.")
    found: dict[str, list[str]] = {}
    buffer: list[str] = []

    def qname(name: str) -> str | None:
        uri, _, local = name.rpartition(" ")
        prefix = _XMP_NAMESPACES.get(uri)
        return f"{prefix}:{local}" if prefix and f"{prefix}:{local}" in _XMP_KEEP else None

    def start(name: str, attrs: dict[str, str]) -> None:
        buffer.clear()
        for key, value in attrs.items():
            if (q := qname(key)) is not None:
                found.setdefault(q, []).append(value)

    def end(name: str) -> None:
        value = "".join(buffer).strip()
        if value and (q := qname(name)) is not None:
            found.setdefault(q, []).append(value)
        buffer.clear()

    def refuse_dtd(*_: Any) -> None:
        raise ValueError("XMP must not carry a DTD")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = buffer.append
    parser.StartDoctypeDeclHandler = refuse_dtd
    try:
        parser.Parse(text.lstrip("\ufeff").encode("utf-8"), True)
    except (expat.ExpatError, ValueError) as exc:
        warns.append(f"The XMP metadata is malformed ({str(exc)[:60]}); some of it may be missing.")
        for prefix, local, value in re.findall(
            r"\b(xmp|xap|photoshop|exif):(CreateDate|DateCreated|DateTimeOriginal|CreatorTool)"
            r"""\s*(?:=\s*["']|>)([^"'<]{1,100})""",
            text,
        ):
            prefix = "xmp" if prefix == "xap" else prefix
            found.setdefault(f"{prefix}:{local}", []).append(value)
    for key, values in found.items():
        xmp.fields[f"XMP:{key}"] = "; ".join(dict.fromkeys(values))[:_MAX_RAW_VALUE]
    return xmp


# ---------------------------------------------------------------------------------------- ICC


def _icc_description(icc: bytes) -> str | None:
    """The profile's 'desc' text (ICC v2 textDescription or v4 multiLocalizedUnicode)."""
    try:
        count = min(struct.unpack_from(">I", icc, 128)[0], 256)
        for i in range(count):
            sig, offset, size = struct.unpack_from(">4sII", icc, 132 + 12 * i)
            if sig != b"desc":
                continue
            tag = icc[offset : offset + min(size, 65536)]
            if tag[:4] == b"desc":
                length = struct.unpack_from(">I", tag, 8)[0]
                text = tag[12 : 12 + length].split(b"\x00")[0].decode("latin-1")
            elif tag[:4] == b"mluc":
                length, start = struct.unpack_from(">II", tag, 20)
                text = tag[start : start + length].decode("utf-16-be", "replace")
            else:
                return None
            return text.strip()[:_MAX_RAW_VALUE] or None
    except (struct.error, UnicodeDecodeError):
        return None
    return None


# ---------------------------------------------------------------------------------------- PNG


def _walk_png(path: Path, warns: list[str]) -> _Png:
    """List every chunk in file order and read the text, eXIf and time chunks (bounded)."""
    png = _Png()
    with path.open("rb", buffering=0) as fh:  # unbuffered: one small read per chunk header
        size = os.fstat(fh.fileno()).st_size
        pos = fh.seek(8)
        while True:
            if len(png.chunks) >= _MAX_PNG_CHUNKS:
                warns.append("The PNG has an unusual number of chunks; only the first were listed.")
                return png
            head = fh.read(8)
            if len(head) < 8:
                warns.append("The PNG ends without its end chunk (IEND): it may be cut short.")
                return png
            length, ctype = struct.unpack(">I4s", head)
            if not ctype.isalpha():
                warns.append(f"The PNG is damaged after byte {pos} (invalid chunk).")
                return png
            name = ctype.decode("ascii")
            png.chunks.append(name)
            if pos + 12 + length > size:
                warns.append(f"The PNG chunk {name} runs past the end of the file (cut short).")
                return png
            if name in ("tEXt", "zTXt", "iTXt", "eXIf", "tIME") and length <= _MAX_PNG_META_CHUNK:
                _png_meta(png, name, fh.read(length), warns)
                fh.seek(4, os.SEEK_CUR)
            else:
                fh.seek(length + 4, os.SEEK_CUR)
            pos += 12 + length
            if name == "IEND":
                if size > pos:
                    png.raw["PNG:BytesAfterIEND"] = str(size - pos)
                return png


def _png_meta(png: _Png, name: str, data: bytes, warns: list[str]) -> None:
    if name == "eXIf":
        if png.exif is None:
            png.exif = data
        return
    if name == "tIME":
        if len(data) == 7:
            y, mo, d, h, mi, s = struct.unpack(">HBBBBB", data)
            value = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}+00:00"
            # tIME is the last-modified time, not a creation time: kept for the expert view only
            png.raw["PNG:tIME"] = value
        return
    key_bytes, _, rest = data.partition(b"\x00")
    key = key_bytes.decode("latin-1")[:79]
    try:
        if name == "tEXt":
            text = _fix_mojibake(rest.decode("latin-1"))
        elif name == "zTXt":
            text = _fix_mojibake(_inflate(rest[1:]).decode("latin-1"))
        else:
            compressed, rest = rest[:1] == b"\x01", rest[2:]
            _lang, _, rest = rest.partition(b"\x00")
            _translated, _, rest = rest.partition(b"\x00")
            text = (_inflate(rest) if compressed else rest).decode("utf-8", "replace")
    except zlib.error:
        warns.append(f"The PNG text chunk '{key}' is damaged.")
        return
    if key == "XML:com.adobe.xmp":
        png.xmp = png.xmp or text.encode("utf-8")
        return
    if len(png.text) < _MAX_PNG_TEXTS and key not in png.text:
        png.text[key] = text[:_MAX_TEXT_VALUE]
        if key.lower() in ("creation time", "date:create", "creationtime", "create-date"):
            png.times.insert(0, (key, text))


def _inflate(data: bytes) -> bytes:
    return zlib.decompressobj().decompress(data, _MAX_TEXT_VALUE * 4)
