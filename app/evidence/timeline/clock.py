"""One clock for everything a person reads: times in the case's zone, the zone named.

Every time shown in the window, the timeline, the PDF, the upload images, description.txt and
the upload guide goes through `clock_text` (or `shown_time` for the parts), so the same moment
reads as the same local minute everywhere:

- a time with a recorded offset is one instant, shown in the case's zone; when the file
  recorded another zone (or UTC), the recorded wall clock is a detail beside it
  ("文件记录：11:02 UTC"), never instead of it;
- a time without a recorded offset is placed in the case's zone (as `timeline.times.place`
  does) and says so as a detail ("时区按案件推定");
- the zone is named once per page or text: "北京时间" for Asia/Shanghai (PRC, Chongqing),
  otherwise the IANA name, or "UTC+hh:mm" for a zone this machine does not know.

Machine outputs (manifest.json, --json) keep ISO 8601 with the recorded offset: they do not use
this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypedDict

from app.evidence.i18n import current_language
from app.evidence.locale_format import format_date, format_datetime, format_offset
from app.evidence.models import CaptureTime
from app.evidence.timeline.times import DEFAULT_ZONE, case_zone, place, placeable, valid_zone

BEIJING_ZONES = frozenset({"Asia/Shanghai", "PRC", "Asia/Chongqing", "Asia/Chungking"})


def _zh(language: str | None) -> bool:
    return (language or current_language()).startswith("zh")


def zone_label(zone_name: str | None, language: str | None = None) -> str:
    """ "北京时间" / "Beijing time" for China's zone, else the IANA name, else "UTC+08:00"."""
    name = zone_name or DEFAULT_ZONE
    if name in BEIJING_ZONES:
        return "北京时间" if _zh(language) else "Beijing time"
    if valid_zone(name):
        return name
    offset = case_zone(name).utcoffset(datetime(2025, 1, 1)) or timedelta(0)
    return format_offset(int(offset.total_seconds() // 60))


def zone_note(zone_name: str | None, language: str | None = None) -> str:
    """The once-per-page line: "时间均为北京时间" / "All times are Beijing time"."""
    label = zone_label(zone_name, language)
    return f"时间均为{label}" if _zh(language) else f"All times are {label}"


@dataclass(frozen=True)
class ShownTime:
    """A recorded time as a person reads it.

    Attributes:
        local: the instant in the case's zone (aware).
        assumed: the file recorded no offset; the case's zone was assumed.
        recorded: the wall clock the file recorded when its offset differs from the case
            zone's at that instant (None otherwise).
        recorded_offset: that recorded offset in minutes.
    """

    local: datetime
    assumed: bool
    recorded: datetime | None = None
    recorded_offset: int | None = None


def shown_time(time: CaptureTime | None, zone_name: str | None) -> ShownTime | None:
    """`time` placed in the case's zone; None when undated or out of range."""
    if time is None or not placeable(time.local, time.offset_minutes):
        return None
    zone = case_zone(zone_name)
    try:
        utc, assumed = place(time.local, time.offset_minutes, zone)
        local = utc.astimezone(zone)
    except (OverflowError, ValueError):
        return None
    own = local.utcoffset() or timedelta(0)
    if time.offset_minutes is not None and time.offset_minutes != int(own.total_seconds() // 60):
        return ShownTime(local, assumed, time.local, time.offset_minutes)
    return ShownTime(local, assumed)


def recorded_detail(shown: ShownTime, *, seconds: bool = False, language: str | None = None) -> str:
    """ "文件记录：11:02 UTC" (with the date when it differs), "时区按案件推定", or ""."""
    zh = _zh(language)
    if shown.assumed:
        return "时区按案件推定" if zh else "time zone assumed (the case's)"
    if shown.recorded is None:
        return ""
    clock = f"{shown.recorded:%H:%M:%S}" if seconds else f"{shown.recorded:%H:%M}"
    if shown.recorded.date() != shown.local.date():
        clock = f"{format_date(shown.recorded, language='zh' if zh else 'en')} {clock}"
    zone = "UTC" if shown.recorded_offset == 0 else format_offset(shown.recorded_offset or 0)
    return f"文件记录：{clock} {zone}" if zh else f"recorded: {clock} {zone}"


def clock_text(
    time: CaptureTime | None,
    zone_name: str | None,
    *,
    seconds: bool = False,
    zone: bool = True,
    detail: bool = True,
    language: str | None = None,
    undated: str = "",
) -> str:
    """ "2025年6月9日 19:02 北京时间（文件记录：11:02 UTC）".

    Args:
        zone: name the zone after the time (off where the page names it once).
        detail: add the recorded value or "时区按案件推定" in brackets when there is one.
        undated: the text for no time (or one out of range).
    """
    shown = shown_time(time, zone_name)
    if shown is None:
        if time is not None and undated == "":
            return f"{time.local:%Y-%m-%d %H:%M}"  # out of range: shown as stored, never fatal
        return undated
    zh = _zh(language)
    lang = "zh" if zh else "en"
    text = format_datetime(shown.local.replace(tzinfo=None), seconds=seconds, language=lang)
    if zone:
        text += " " + zone_label(zone_name, language)
    extra = recorded_detail(shown, seconds=seconds, language=language) if detail else ""
    if extra:
        text += f"（{extra}）" if zh else f" ({extra})"
    return text


class MomentClockOptions(TypedDict, total=False):
    """moment_clock's keyword options, for a module's fixed set passed as **options."""

    seconds: bool
    zone: bool
    language: str | None


def moment_clock(
    moment: datetime | str | None,
    zone_name: str | None,
    *,
    seconds: bool = False,
    zone: bool = True,
    language: str | None = None,
) -> str:
    """An instant (export time, import time; ISO text read as UTC when naive) in the case's
    zone with the zone named; "—" when missing."""
    if moment is None or moment == "":
        return "—"
    try:
        value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        local = value.astimezone(case_zone(zone_name))
    except (OverflowError, ValueError):  # 0001-01-01 from an old case: shown, never fatal
        return str(moment)[:32]
    lang = "zh" if _zh(language) else "en"
    text = format_datetime(local.replace(tzinfo=None), seconds=seconds, language=lang)
    return f"{text} {zone_label(zone_name, language)}" if zone else text


def zone_name_of(moment: datetime | None) -> str | None:
    """The zone name of an aware datetime placed by the timeline (None when it has none)."""
    tz = moment.tzinfo if moment is not None else None
    if tz is None:
        return None
    key = getattr(tz, "key", None)
    if key:
        return str(key)
    name = tz.tzname(moment)
    return name if name and valid_zone(name) else None
