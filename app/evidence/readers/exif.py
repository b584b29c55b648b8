"""EXIF: the TIFF-structured block of a JPEG (APP1), PNG (eXIf), HEIC or WebP, and its GPS section.

Moved out of `image.py` unchanged in behaviour. Pillow parses the IFDs; this module turns them into
bounded text, compares what each section declares with what could be read (damage is reported in
plain words, never raised), and finds the embedded thumbnail. `exif_layout` adds what the
integrity checks need about how the block is laid out (IFD offsets and tag order).
"""

from __future__ import annotations

import logging
import math
import re
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from PIL import ExifTags, Image

from app.evidence.models import GpsPosition

logger = logging.getLogger(__name__)

_MAX_RAW_ENTRIES = 600
_MAX_RAW_VALUE = 256
_MAX_TEXT_VALUE = 8192


@dataclass
class ExifSections:
    present: bool = False
    ifd0: dict[int, Any] = field(default_factory=dict)
    exif: dict[int, Any] = field(default_factory=dict)
    gps: dict[int, Any] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    thumbnail: tuple[bool, tuple[int, int] | None] = (False, None)


def read_exif_blob(blob: bytes | None, warns: list[str]) -> ExifSections:
    if not blob:
        return ExifSections()
    exif = Image.Exif()
    try:
        exif.load(blob)
    except Exception as exc:
        logger.debug("EXIF load failed: %s", exc)
        warns.append("The EXIF block is damaged and could not be read.")
        return ExifSections(present=True)
    tiff = blob[6:] if blob.startswith(b"Exif\x00\x00") else blob
    return read_exif(exif, tiff, warns)


def read_exif(exif: Image.Exif | None, tiff: bytes | None, warns: list[str]) -> ExifSections:
    """Collect the EXIF sections; given the TIFF bytes, also check what each section declared."""
    if exif is None:
        return ExifSections()
    ifd0 = section(lambda: dict(exif), warns) or {}
    if not ifd0 and tiff is None:
        return ExifSections()
    out = ExifSections(present=True, ifd0=ifd0)
    out.exif = section(lambda: exif.get_ifd(ExifTags.IFD.Exif), warns) or {}
    out.gps = section(lambda: exif.get_ifd(ExifTags.IFD.GPSInfo), warns) or {}
    interop = section(lambda: exif.get_ifd(ExifTags.IFD.Interop), warns) or {}
    ifd1 = section(lambda: exif.get_ifd(ExifTags.IFD.IFD1), warns) or {}
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


def section(func: Any, warns: list[str]) -> Any:
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
        return True, jpeg_size(data)
    w, h = int_in(ifd1.get(0x0100), 1, 65535), int_in(ifd1.get(0x0101), 1, 65535)
    if ifd1.get(0x0103) == 1 and w and h:  # uncompressed TIFF-style thumbnail
        return True, (w, h)
    return False, None


def jpeg_size(data: bytes) -> tuple[int, int] | None:
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
        return fix_mojibake(value).replace("\x00", "")[:_MAX_RAW_VALUE]
    if isinstance(value, int):
        return str(value)[:_MAX_RAW_VALUE]
    if isinstance(value, float) or hasattr(value, "numerator"):  # float or IFDRational
        return f"{num(value):.10g}"
    return str(value)[:_MAX_RAW_VALUE]


def exif_str(value: Any, strip: bool = True) -> str | None:
    """A text tag as written (NULs removed); `strip` also trims the padding cameras add."""
    if isinstance(value, bytes):
        value = decode_text(value)
    if not isinstance(value, str):
        return None
    text = fix_mojibake(value).replace("\x00", "")
    text = text.strip() if strip else text.rstrip()
    return text[:_MAX_TEXT_VALUE] or None


def fix_mojibake(text: str) -> str:
    """Pillow decodes EXIF ASCII as Latin-1; Chinese phone software often writes UTF-8 there."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):  # Chinese tools write GBK comments
        try:
            return data.decode(encoding).replace("\x00", "").strip()
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1").replace("\x00", "").strip()


def num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return math.nan


def int_in(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, tuple) and len(value) == 1:
        value = value[0]
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return None


# ---------------------------------------------------------------------------------------- GPS


def gps_position(gps: dict[int, Any], utc: datetime | None, warns: list[str]) -> GpsPosition | None:
    if 2 not in gps and 4 not in gps:
        return None
    lat = _dms(gps.get(2), gps.get(1), "S", 90.0)
    lon = _dms(gps.get(4), gps.get(3), "W", 180.0)
    if lat is None or lon is None:
        warns.append("The GPS position in the EXIF block is unreadable.")
        return None
    if lat == 0.0 and lon == 0.0:
        return None  # what cameras write when they had no fix
    altitude = num(gps.get(6)) if gps.get(6) is not None else math.nan
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
    parts = [num(v) for v in value]
    degrees = sum(p / 60**i for i, p in enumerate(parts))
    if not math.isfinite(degrees) or not 0 <= degrees <= limit:
        return None
    ref_text = ref.decode("latin-1") if isinstance(ref, bytes) else str(ref or "")
    return -degrees if ref_text.strip("\x00 ").upper() == negative else degrees


def gps_utc(gps: dict[int, Any]) -> datetime | None:
    """GPSDateStamp + GPSTimeStamp as an aware UTC datetime (None unless both are sane)."""
    date_text, hms = exif_str(gps.get(29)), gps.get(7)
    if not date_text or not isinstance(hms, (tuple, list)) or len(hms) != 3:
        return None
    match = re.fullmatch(r"(\d{4})[:\-](\d{2})[:\-](\d{2})", date_text)
    hour, minute, second = (num(v) for v in hms)
    if not match or not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 61):
        return None
    try:
        year, month, mday = (int(g) for g in match.groups())
        day = datetime(year, month, mday, tzinfo=UTC)
    except ValueError:
        return None
    return day + timedelta(hours=int(hour), minutes=int(minute), seconds=second)
