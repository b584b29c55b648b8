"""The best capture time of a photo or screenshot, from EXIF, XMP or PNG text.

Times follow the rule of `app.evidence.models`: a capture time without a recorded UTC offset keeps
`offset_minutes=None`; it is never taken for UTC. A zone is only borrowed from evidence in the same
file (an XMP copy of the same time, or a GPS clock that lands near a real UTC offset).
"""

from __future__ import annotations

import email.utils
import re
from datetime import datetime, timedelta

from app.evidence.models import CaptureTime, TimeSource
from app.evidence.readers.png import PngInfo
from app.evidence.readers.xmp import XmpPacket

_NO_ZONE = "no time zone in the file"

# Offsets in use anywhere (minutes): whole hours plus the half- and quarter-hour zones. A GPS
# clock is only trusted to reveal the zone when the gap to the camera clock lands near one.
REAL_OFFSETS = sorted(
    {h * 60 for h in range(-12, 15)}
    | {-570, -210, -150, 210, 270, 330, 345, 390, 525, 570, 630, 765, 825}
)
_GPS_TOLERANCE_MIN = 15.0

# A read date outside these bounds is "no date" (issue 15 point 2: .NET tools write
# 0001:01:01 00:00:00 for an empty date, and a year-1 time overflows every later step).
EARLIEST_SANE = datetime(1990, 1, 1)
LATEST_SANE_AHEAD = timedelta(days=366)

# Firmware defaults written when the clock or the tag was never set: these are not a moment.
PLACEHOLDER_TIMES: dict[str, str] = {
    "2002:12:08 12:00:00": "the default CreateDate of some Android camera frameworks (reported "
    "with constant 2002:12:08 12:00:00 on every shot, mapillary/mapillary_issues#2438)",
    "2000:01:01 00:00:00": "a camera or phone clock that was never set (factory default)",
    "1970:01:01 00:00:00": "the Unix epoch: a clock at zero",
    "1980:01:01 00:00:00": "the FAT/DOS epoch: a clock at zero",
    "2004:01:01 00:00:00": "the clock default of some older phones",
}


def date_problem(text: str | None, now: datetime | None = None) -> tuple[str, str] | None:
    """Why an EXIF date text is not a capture moment, or None when it may be one.

    Returns:
        (kind, reason): kind is "blank" (spaces, colons, zeros or nothing), "placeholder" (a
        firmware default, see `PLACEHOLDER_TIMES`; also any 1 January 00:00:00, which is
        how a clock that was never set starts) or "out_of_range" (before 1990, or more than a
        year after `now`). A text that is merely malformed is left to `parse_exif_datetime`.
    """
    if text is None:
        return None
    clean = text.strip(" \x00")
    if not clean.strip(":") or not clean.strip(" :0"):
        return ("blank", "the field is empty or all zeros: the device did not know the time")
    match = _EXIF_DATE.match(text)
    if not match:
        return None
    stamp = "{}:{}:{} {}:{}:{}".format(*match.groups())
    if stamp in PLACEHOLDER_TIMES:
        return ("placeholder", PLACEHOLDER_TIMES[stamp])
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if moment < EARLIEST_SANE or moment > (now or datetime.now()) + LATEST_SANE_AHEAD:
        return ("out_of_range", f"{stamp[:4]} is outside the years a camera could have used")
    if stamp[5:] == "01:01 00:00:00":
        return ("placeholder", "1 January 00:00:00: how a camera clock that was never set starts")
    return None


def best_capture_time(
    dto: str | None,
    subsec: str | None,
    offset: str | None,
    dtd: str | None,
    offset_dtd: str | None,
    gps_utc: datetime | None,
    xmp: XmpPacket | None,
    png: PngInfo | None,
    warns: list[str],
) -> CaptureTime | None:
    """EXIF DateTimeOriginal first, then DateTimeDigitized, XMP dates, PNG text and tIME."""
    local = parse_exif_datetime(dto, "DateTimeOriginal", warns)
    tag = "DateTimeOriginal"
    if local is None:
        local = parse_exif_datetime(dtd, "DateTimeDigitized", warns)
        tag, subsec, offset = "DateTimeDigitized", None, offset_dtd
    if local is not None:
        if subsec and subsec.strip().isdigit():
            local = local.replace(microsecond=int((subsec.strip() + "000000")[:6]))
        minutes = parse_offset(offset, warns)
        if minutes is not None:
            return CaptureTime(local, minutes, TimeSource.EXIF, "high", f"{tag} with its offset")
        return _zone_from_clues(local, tag, gps_utc, xmp)
    for key, value in xmp.fields.items() if xmp else ():
        if key in ("XMP:exif:DateTimeOriginal", "XMP:xmp:CreateDate", "XMP:photoshop:DateCreated"):
            moment = parse_iso(value)
            if moment is not None and _sane(moment):
                return _from_text_time(moment, TimeSource.XMP, f"{key[4:]} in the XMP metadata")
    for key, value in png.times if png else ():
        moment = parse_iso(value) or _parse_rfc2822(value)
        if moment is not None and _sane(moment):
            return _from_text_time(moment, TimeSource.PNG_TEXT, f"PNG text '{key}'")
    return None


def _zone_from_clues(
    local: datetime, tag: str, gps_utc: datetime | None, xmp: XmpPacket | None
) -> CaptureTime:
    """No offset next to the time: borrow one only from evidence in the same file."""
    for key in ("XMP:exif:DateTimeOriginal", "XMP:xmp:CreateDate", "XMP:photoshop:DateCreated"):
        moment = parse_iso(xmp.fields.get(key, "")) if xmp else None
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
        near = [m for m in REAL_OFFSETS if abs(gap - m) <= _GPS_TOLERANCE_MIN]
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


def _sane(moment: datetime) -> bool:
    """A text time inside the years a camera could have used (see `date_problem`)."""
    wall = moment.replace(tzinfo=None)
    return EARLIEST_SANE <= wall <= datetime.now() + LATEST_SANE_AHEAD


def _from_text_time(moment: datetime, source: TimeSource, what: str) -> CaptureTime:
    if moment.tzinfo is not None:
        return CaptureTime.from_aware(moment, source, "low", f"from {what}")
    return CaptureTime(moment, None, source, "low", f"from {what}; {_NO_ZONE}")


_EXIF_DATE = re.compile(r"\s*(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")


def parse_exif_datetime(text: str | None, tag: str, warns: list[str]) -> datetime | None:
    """An EXIF date as a naive datetime; None for no date (blank, placeholder, out of range).

    Placeholders and out-of-range dates are not damage: `date_problem` says why, and the
    checks report it as an info finding (`checks/times.py`).
    """
    if not text or date_problem(text) is not None:
        return None  # blank, zeroed, a firmware default or an impossible year: no date
    match = _EXIF_DATE.match(text)
    try:
        if match:
            year, month, day, hour, minute, second = (int(g) for g in match.groups())
            return datetime(year, month, day, hour, minute, second)
    except ValueError:
        pass
    warns.append(f"EXIF {tag} '{text[:40]}' is not a valid date and time.")
    return None


def parse_offset(text: str | None, warns: list[str]) -> int | None:
    if not text or not text.strip(" :\x00"):
        return None
    match = re.fullmatch(r"\s*([+-])(\d{2}):?(\d{2})\s*", text)
    if match:
        minutes = int(match.group(2)) * 60 + int(match.group(3))
        if minutes <= 14 * 60 and int(match.group(3)) < 60:
            return -minutes if match.group(1) == "-" else minutes
    warns.append(f"EXIF time zone offset '{text[:20]}' is not valid; it was ignored.")
    return None


def parse_iso(text: str) -> datetime | None:
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
