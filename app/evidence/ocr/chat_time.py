"""Time separators of chat apps, as OCR reads them, resolved to CaptureTime.

Chat apps print a centred time above a group of messages, relative to the day the screenshot
was taken: ``2025-06-12 19:31`` or ``2025年6月12日 下午7:31`` (older than this year), ``06-12
19:31`` / ``6月12日 19:31`` (this year), ``星期三 19:31`` / ``周三`` (this week), ``昨天 19:31``,
and a bare ``19:31`` (today). Relative forms need the reference date (the day of the
screenshot, confirmed by the user); without one they stay unresolved rather than guessed.

OCR drops spaces and mixes full-width characters, so the patterns are lenient about both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.evidence.models import CaptureTime, TimeSource

BEIJING_MINUTES = 480

_DAYPART = r"(?P<part>上午|中午|下午|晚上|凌晨|早上|傍晚|AM|PM|am|pm)?\s*"
_HM = _DAYPART + r"(?P<h>\d{1,2})\s*[:：]\s*(?P<mi>\d{2})(?:\s*[:：]\s*(?P<s>\d{2}))?"
_YMD = r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?\s*"
_MD = r"(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?\s*"
_REL = r"(?P<rel>今天|昨天|前天|Yesterday|yesterday)\s*"
_WEEK = r"(?:星期|周|礼拜)(?P<wd>[一二三四五六日天])\s*"

_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"^{prefix}{_HM}$"))
    for kind, prefix in (
        ("full", _YMD),
        ("month_day", _MD),
        ("relative", _REL),
        ("weekday", _WEEK),
        ("time", ""),
    )
)
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_REL_DAYS = {"今天": 0, "昨天": 1, "yesterday": 1, "前天": 2}


@dataclass(frozen=True)
class SeparatorTime:
    """A time separator as read, and what it resolves to.

    Attributes:
        text: the separator as OCR read it.
        form: "full", "month_day", "relative", "weekday" or "time".
        time: the resolved time, None when the form needs a reference date that was not given
            or the numbers are not a valid date.
    """

    text: str
    form: str
    time: CaptureTime | None


def normalise(text: str) -> str:
    """NFKC (full-width digits and colons to ASCII), whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def parse_separator(
    text: str, reference: date | None = None, offset_minutes: int | None = BEIJING_MINUTES
) -> SeparatorTime | None:
    """Read a chat time separator; None when the text is not one.

    Args:
        text: one OCR line.
        reference: the day the screenshot was taken, for the relative forms.
        offset_minutes: UTC offset the app shows times in (+08:00 for Chinese apps).
    """
    clean = normalise(text)
    if len(clean) > 40:
        return None
    for form, pattern in _FORMS:
        match = pattern.match(clean)
        if match:
            return SeparatorTime(text, form, _resolve(form, match, reference, offset_minutes))
    return None


def _resolve(
    form: str, match: re.Match[str], reference: date | None, offset_minutes: int | None
) -> CaptureTime | None:
    day = _day(form, match, reference)
    if day is None:
        return None
    hour = int(match["h"])
    part = (match["part"] or "").lower()
    if part in ("下午", "晚上", "傍晚", "pm") and hour < 12 or part in ("中午",) and hour < 11:
        hour += 12
    elif part in ("凌晨", "上午", "早上", "am") and hour == 12:
        hour = 0
    try:
        moment = datetime(
            day.year, day.month, day.day, hour, int(match["mi"]), int(match["s"] or 0)
        )
    except ValueError:
        return None
    note = "read by OCR from a chat time separator"
    confidence = "medium"
    if form != "full" and reference is not None:
        confidence = "low"
        note += f" ({form}), dated against {reference.isoformat()}"
    if offset_minutes is None:
        note += "; time zone unknown"
    return CaptureTime(moment, offset_minutes, TimeSource.OCR, confidence, note)


def _day(form: str, match: re.Match[str], reference: date | None) -> date | None:
    try:
        if form == "full":
            return date(int(match["y"]), int(match["m"]), int(match["d"]))
        if reference is None:
            return None
        if form == "month_day":
            candidate = date(reference.year, int(match["m"]), int(match["d"]))
            # a month-day form is within the last year: after the reference means last year
            return (
                candidate if candidate <= reference else candidate.replace(year=reference.year - 1)
            )
        if form == "relative":
            return reference - timedelta(days=_REL_DAYS[match["rel"].lower()])
        if form == "weekday":
            back = (reference.weekday() - _WEEKDAYS[match["wd"]]) % 7 or 7
            return reference - timedelta(days=back)
        return reference
    except ValueError:  # 2025-02-30, or 02-29 moved into a non-leap year
        return None
