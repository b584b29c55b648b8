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
from app.evidence.timeline.errors import TimelineError

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

EARLIEST_STORED = datetime(1900, 1, 1)
"""Stored times before this cannot be a recording (0001-01-01 is what .NET writes for "none")."""
LATEST_STORED = datetime(2200, 1, 1)
"""Stored times from this on cannot be a recording either."""
MAX_OFFSET_MINUTES = 18 * 60
"""The widest UTC offset a stored time may carry (real zones stay within ±14 h)."""

OUT_OF_RANGE_REASON = "记录的时间超出可能的范围（1900–2199 年以外），按无时间处理"
"""The undated reason of an entry whose stored time cannot be real (plain words, zh)."""


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


def placeable(local: datetime | None, offset_minutes: int | None = None) -> bool:
    """True when a stored wall clock + offset can be a real recording and converts safely.

    Old cases and other writers may hold anything (0001-01-01, 9999-12-31, an offset of days);
    such a time is treated as "no time" for that one entry, so the rest of the case works.
    """
    if not isinstance(local, datetime):
        return False
    if not EARLIEST_STORED <= local.replace(tzinfo=None) < LATEST_STORED:
        return False
    return offset_minutes is None or (
        isinstance(offset_minutes, int) and abs(offset_minutes) <= MAX_OFFSET_MINUTES
    )


def usable_time(capture: CaptureTime | None) -> bool:
    """True when a stored capture/event time can be placed on the timeline (see `placeable`)."""
    return capture is not None and placeable(capture.local, capture.offset_minutes)


def read_stored(text: object) -> datetime | None:
    """A stored ISO wall clock, or None when it is missing, unreadable or out of range."""
    if not isinstance(text, str) or not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        log.warning("unreadable stored time %r treated as no time", text[:40])
        return None
    if not placeable(value):
        log.warning("stored time %r is out of range; treated as no time", text[:40])
        return None
    return value


def place(local: datetime, offset_minutes: int | None, zone: tzinfo) -> tuple[datetime, bool]:
    """The UTC instant of a recorded time, and whether the case's zone had to be assumed.

    Raises:
        ValueError: the time is out of range (`placeable` is False); callers check first.
    """
    if not placeable(local, offset_minutes):
        raise ValueError(f"time out of range: {local!r} offset {offset_minutes!r}")
    if offset_minutes is not None:
        moment = local.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
        return moment.astimezone(UTC), False
    return local.replace(tzinfo=zone).astimezone(UTC), True


def to_recorded(moment: datetime, zone: tzinfo) -> tuple[datetime, int]:
    """Split a user-given time into naive wall clock + offset minutes for storage.

    A naive `moment` is read as the case's local time; an aware one keeps its own offset.

    Raises:
        TimelineError: the time is out of range (before 1900 or from 2200 on): it would
            poison every view of the case. Typed dates are checked earlier with a clearer
            message (app.evidence.typed_dates); this is the last guard of the store.
    """
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
    offset = aware.utcoffset() or timedelta(0)
    local, minutes = aware.replace(tzinfo=None), int(offset.total_seconds() // 60)
    if not placeable(local, minutes):
        raise TimelineError(f"time out of range (1900-2199): {local.isoformat()}")
    return local, minutes


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
