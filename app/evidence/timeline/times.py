"""Time zones and trust: which times go on the timeline and how they are placed.

Rules, in one place:

- A time is stored as recorded: naive wall clock + the UTC offset it came with, or no offset.
- A time with a known offset is one exact instant.
- A time without an offset (EXIF without OffsetTimeOriginal, a chat screenshot's clock) is
  placed as if it were in the case's zone (Asia/Shanghai by default): the phone that took it
  almost always ran on the same local time as the buyer. The entry is flagged
  ``offset_assumed`` and the stored offset stays unknown, so nothing pretends to know more.
- A file modification time is *not* trusted: copying, downloading and chat apps rewrite it, so
  it often shows when a file reached this PC, not when it was taken. Such items go to the
  undated lane with the file time kept as a visible hint; the user can promote it (or any
  other time) with `set_entry_time` and a reason.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.evidence.models import CaptureTime, TimeSource

log = logging.getLogger(__name__)

DEFAULT_ZONE = "Asia/Shanghai"

# Zones that have kept UTC+8 without daylight saving since 1992: when the system has no tz
# database (Windows without the tzdata package) a fixed offset is exact for them.
_FIXED_FALLBACK = {
    "Asia/Shanghai": 480,
    "Asia/Chongqing": 480,
    "PRC": 480,
    "Asia/Hong_Kong": 480,
    "Asia/Taipei": 480,
    "Asia/Macau": 480,
    "Asia/Singapore": 480,
    "UTC": 0,
}

UNTRUSTED_SOURCES = frozenset({TimeSource.FILE_TIME})


def case_zone(name: str | None) -> tzinfo:
    """The tzinfo for an IANA name, falling back to a fixed offset when no database is found.

    Args:
        name: IANA zone name; None or empty means Asia/Shanghai.
    """
    name = name or DEFAULT_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        minutes = _FIXED_FALLBACK.get(name)
        if minutes is None:
            log.warning("time zone %r not found; showing times in UTC+8", name)
            minutes = 480
        else:
            log.info("no tz database entry for %r; using a fixed UTC%+d", name, minutes // 60)
        return timezone(timedelta(minutes=minutes), name)


def valid_zone(name: str) -> bool:
    """True when `name` is a zone the tz database (or the fixed fallback) knows."""
    try:
        ZoneInfo(name)
        return True
    except (ZoneInfoNotFoundError, ValueError):
        return name in _FIXED_FALLBACK


def is_trusted(capture: CaptureTime | None) -> bool:
    """True when an item's capture time may place it on the timeline."""
    return capture is not None and capture.source not in UNTRUSTED_SOURCES


def place(local: datetime, offset_minutes: int | None, zone: tzinfo) -> tuple[datetime, bool]:
    """The UTC instant of a recorded time, and whether the case's zone had to be assumed."""
    if offset_minutes is not None:
        moment = local.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
        return moment.astimezone(UTC), False
    return local.replace(tzinfo=zone).astimezone(UTC), True


def to_recorded(moment: datetime, zone: tzinfo) -> tuple[datetime, int]:
    """Split a user-given time into naive wall clock + offset minutes for storage.

    A naive `moment` is read as the case's local time; an aware one keeps its own offset.
    """
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
    offset = aware.utcoffset() or timedelta(0)
    return aware.replace(tzinfo=None), int(offset.total_seconds() // 60)


def start_of_day(day: date, zone: tzinfo) -> datetime:
    """00:00 of `day` in the zone, aware."""
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def end_of_day(day: date, zone: tzinfo) -> datetime:
    """23:59:59 of `day` in the zone, aware."""
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=zone)


def fmt_local(moment: datetime, with_seconds: bool = False) -> str:
    """ "2025-06-11 21:40" (or with seconds) for plain-text views."""
    return moment.strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")


def fmt_offset(minutes: int | None) -> str:
    """ "+08:00", "-03:30", or "时区未知" when unknown."""
    if minutes is None:
        return "时区未知"
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"
