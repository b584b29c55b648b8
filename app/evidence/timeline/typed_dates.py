"""Dates and times typed by a person: one parser for the command line and the window.

Accepted (full-width digits and colons too):

    2025-06-08   2025/6/8   2025-6-8   2025.6.8   2025年6月8日   6月8日 (this year)
    any of these followed by a time: 20:00, 20:00:15, 20点, 20点30分, 20时30分
    2025-06-08T20:00 (ISO; with an offset such as +08:00 the offset is kept)
    今天 / 昨天 / 前天 (today, yesterday, the day before), alone or with a time
    now / 现在 (the clock's current minute)

Refused with one clear line in the current language (`TypedDateError`, a ValueError):
impossible dates (2025-02-30, 25:00), dates before 2000-01-01, and anything more than a day
after the clock's "now" (a day of slack covers time zones and a PC clock a little behind).
The clock is injected (`now`), so the case's own clock and tests decide what "today" is.

A date without a time is returned as a `date`, or with ``with_time=True`` as that day at 00:00;
a time is a naive `datetime` in the case's local zone unless the text carried an offset.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, tzinfo

from app.evidence.i18n import tr
from app.evidence.timeline.errors import TimelineError

EARLIEST_TYPED = date(2000, 1, 1)
"""No dispute evidence is older than this; an earlier date is a typo (0001-01-01, 1025-06-08)."""
FUTURE_SLACK = timedelta(days=1)
"""How far after the clock's "now" a typed time may be (zones, a clock slightly behind)."""

_TIME = (
    r"(?P<h>\d{1,2})"
    r"(?:(?::(?P<mi>\d{1,2})(?::(?P<s>\d{1,2}))?)|(?:[点时](?:(?P<mi2>\d{1,2})分?)?))"
)
_SEP = r"(?:[Tt\s]+)"
_NUMERIC = re.compile(
    rf"^(?P<y>\d{{4}})[-/.](?P<mo>\d{{1,2}})[-/.](?P<d>\d{{1,2}})(?:{_SEP}{_TIME})?$"
)
_CHINESE = re.compile(
    rf"^(?:(?P<y>\d{{4}})\s*年\s*)?(?P<mo>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]?(?:\s*{_TIME})?$"
)
_RELATIVE = re.compile(rf"^(?P<word>今天|今日|昨天|昨日|前天|today|yesterday)(?:\s*{_TIME})?$")
_NOW = frozenset({"now", "现在", "此刻"})
_DAYS_BACK = {"今天": 0, "今日": 0, "today": 0, "昨天": 1, "昨日": 1, "yesterday": 1, "前天": 2}
_EXAMPLE = "2025-06-08 20:00"


class TypedDateError(TimelineError, ValueError):
    """A typed date or time cannot be used; the message is one line in the current language."""


def parse_typed_date(
    text: str,
    *,
    now: datetime | None = None,
    zone: tzinfo | None = None,
    with_time: bool = False,
) -> date | datetime | None:
    """The date or local date-time a person typed; None for empty text.

    Args:
        text: what was typed (see the module docstring for the forms).
        now: the clock; aware (converted to `zone`) or naive local. Default: the PC's clock.
        zone: the case's zone, for "today" and for comparing aware times; default local.
        with_time: return a bare date as that day at 00:00 (events and hand-set times).

    Raises:
        TypedDateError: unreadable, impossible, before 2000-01-01 or more than a day ahead.
    """
    raw = text
    text = unicodedata.normalize("NFKC", text or "").strip()  # full-width digits, "：" -> ":"
    if not text:
        return None
    local_now = _local_now(now, zone)
    value = _parse(text.lower() if text.isascii() else text, raw.strip(), local_now)
    _check_range(value, raw.strip(), local_now, zone)
    if with_time and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def _local_now(now: datetime | None, zone: tzinfo | None) -> datetime:
    if now is None:
        now = datetime.now(zone) if zone is not None else datetime.now()
    if now.tzinfo is not None:
        now = now.astimezone(zone) if zone is not None else now.astimezone()
    return now.replace(tzinfo=None)


def _parse(text: str, shown: str, now: datetime) -> date | datetime:
    if text in _NOW:
        return now.replace(second=0, microsecond=0)
    m = _NUMERIC.match(text) or _CHINESE.match(text)
    if m:
        year = int(m["y"]) if m["y"] else None
        day = _day(year or now.year, int(m["mo"]), int(m["d"]), shown)
        if year is None and datetime(day.year, day.month, day.day) > now + FUTURE_SLACK:
            day = _day(now.year - 1, int(m["mo"]), int(m["d"]), shown)  # 12月30日 typed in January
        return _with_time(day, m, shown)
    m = _RELATIVE.match(text)
    if m:
        day = now.date() - timedelta(days=_DAYS_BACK[m["word"]])
        return _with_time(day, m, shown)
    try:
        value = datetime.fromisoformat(text.upper().replace(" ", "T", 1))
    except ValueError:
        value = None
    if value is not None and len(text) > 10:
        return value
    if re.fullmatch(_TIME, text):
        raise TypedDateError(
            tr(
                "“{text}”只有时刻，没有日期；请写成 {example} 或 今天 {text}",
                "{text!r} is a time without a date; write {example} or today {text}",
                text=shown,
                example=_EXAMPLE,
            )
        )
    raise TypedDateError(
        tr(
            "无法识别的日期“{text}”；请写成 2025-06-08、2025年6月8日 或 {example}",
            "unreadable date {text!r}; write 2025-06-08, 2025/6/8 or {example}",
            text=shown,
            example=_EXAMPLE,
        )
    )


def _day(year: int, month: int, day: int, shown: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise TypedDateError(
            tr(
                "“{text}”不是日历上的日期（{year} 年 {month} 月没有 {day} 日）",
                "{text!r} is not a calendar date ({year}-{month:02d} has no day {day})",
                text=shown,
                year=year,
                month=month,
                day=day,
            )
        ) from None


def _with_time(day: date, m: re.Match[str], shown: str) -> date | datetime:
    if m["h"] is None:
        return day
    hour = int(m["h"])
    minute = int(m["mi"] or m["mi2"] or 0)
    second = int(m["s"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise TypedDateError(
            tr(
                "“{text}”中的时刻不存在（时 0–23，分 0–59）",
                "{text!r} has no such time of day (hours 0-23, minutes 0-59)",
                text=shown,
            )
        )
    return datetime(day.year, day.month, day.day, hour, minute, second)


def _check_range(value: date | datetime, shown: str, now: datetime, zone: tzinfo | None) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if day < EARLIEST_TYPED:
        raise TypedDateError(
            tr(
                "“{text}”早于 2000-01-01，不可能是这次交易的日期；请检查年份",
                "{text!r} is before 2000-01-01 and cannot belong to this purchase; check the year",
                text=shown,
            )
        )
    if isinstance(value, datetime):
        moment = value
        if moment.tzinfo is not None:
            moment = (moment.astimezone(zone) if zone is not None else moment.astimezone()).replace(
                tzinfo=None
            )
        ahead = moment > now + FUTURE_SLACK
    else:
        ahead = value > (now + FUTURE_SLACK).date()
    if ahead:
        raise TypedDateError(
            tr(
                "“{text}”在未来（现在是 {now}）；请检查日期",
                "{text!r} is in the future (it is now {now}); check the date",
                text=shown,
                now=now.strftime("%Y-%m-%d %H:%M"),
            )
        )
