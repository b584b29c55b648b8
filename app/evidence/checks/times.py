"""Whether a photo's times agree with each other (research §9.1 J9).

A camera writes one moment into DateTimeOriginal, CreateDate (DateTimeDigitized) and usually
ModifyDate, and its GPS receiver stamps the satellite time (UTC). Dates that disagree say the
metadata was rewritten or the file saved again; they do not say what the picture shows was
changed, so none of them decides `edited` (verdict.py):
    a blank, placeholder or impossible date       info: "no date" (firmware defaults such as
                                                  Android's CreateDate 2002:12:08 12:00:00,
                                                  1 January 00:00:00, years before 1990)
    DateTimeOriginal vs CreateDate     > 60 s apart                      warning
    ModifyDate vs DateTimeOriginal     > 5 min later / earlier           warning (a whole-hour
                                       gap with no offsets recorded is a UTC/local mix-up that
                                       phones write themselves: info)
    XMP exif:DateTimeOriginal vs EXIF  > 60 s apart (wall clock)         warning
    GPS UTC vs capture                 the GPS time is the time of the receiver's last fix, not
                                       of the shot: a fix older than the shot (stale, hours or
                                       days) or a day off (camera date bugs) is info; a fix
                                       later than the shot, which no stale fix explains, is a
                                       warning; a GPS gap never decides `edited`
Without a recorded offset the GPS gap must land within 15 min of a real UTC offset, and that
offset must fit the GPS position (within 3.5 h of solar time), else   warning (zone far from
                                                                      place: all dates shifted)
Without a recorded offset, a GPS clock equal to the wall clock is a phone writing GPS time in
local time: not a zone far from the place.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.evidence.checks.model import Finding, Severity
from app.evidence.checks.photo_input import PhotoInput
from app.evidence.checks.texts import finding
from app.evidence.readers.capture_time import (
    REAL_OFFSETS,
    date_problem,
    parse_exif_datetime,
    parse_iso,
    parse_offset,
)

SAME_MOMENT_S = 60
MODIFY_TOLERANCE_S = 300
GPS_TOLERANCE_MIN = 10
GPS_ZONE_TOLERANCE_MIN = 15
STALE_FIX_MIN = 180
SOLAR_ZONE_TOLERANCE_H = 3.5


def time_findings(photo: PhotoInput) -> list[Finding]:
    """Compare the capture time with every other clock in the file."""
    meta = photo.meta
    scratch: list[str] = []
    out = _no_dates(photo)
    original = parse_exif_datetime(meta.datetime_original, "DateTimeOriginal", scratch)
    digitized = parse_exif_datetime(meta.datetime_digitized, "CreateDate", scratch)
    if original is None:
        if digitized is None:
            return out
        original, digitized = digitized, None  # CreateDate stands in for a missing original
    if digitized is not None and abs((digitized - original).total_seconds()) > SAME_MOMENT_S:
        params = _pair("original", original, "digitized", digitized, SAME_MOMENT_S)
        out.append(finding("dates_disagree", Severity.WARNING, params))
    modified = parse_exif_datetime(meta.datetime_modified, "ModifyDate", scratch)
    if modified is not None:
        out.extend(_modified(photo, original, modified))
    out.extend(_xmp_copy(photo, original))
    out.extend(_gps(photo, original))
    return out


_DATE_TAGS = (
    ("DateTimeOriginal", "datetime_original"),
    ("CreateDate", "datetime_digitized"),
    ("ModifyDate", "datetime_modified"),
)


def _no_dates(photo: PhotoInput) -> list[Finding]:
    """Blank, placeholder and impossible dates: "no date", said once per kind of problem."""
    seen: dict[str, dict[str, object]] = {}
    for tag, attr in _DATE_TAGS:
        text = getattr(photo.meta, attr)
        problem = date_problem(text)
        if text is None or problem is None:
            continue
        kind, reason = problem
        tags: list[str] = []
        values: list[str] = []
        entry = seen.setdefault(kind, {"kind": kind, "tags": tags, "values": values})
        entry["reason"] = entry.get("reason", reason)
        tags, values = entry["tags"], entry["values"]  # type: ignore[assignment]
        tags.append(tag)
        values.append(text.strip("\x00")[:32])
    return [
        finding("date_not_a_moment", Severity.INFO, params, reason_zh=_REASON_ZH[kind])
        for kind, params in seen.items()
    ]


_REASON_ZH = {
    "blank": "字段为空或全为零，设备当时不知道时间",
    "placeholder": "这是固件的默认值（时钟从未设置，或系统填入的固定日期）",
    "out_of_range": "年份超出相机可能使用的范围（早于 1990 年或远在将来）",
}


def _modified(photo: PhotoInput, original: datetime, modified: datetime) -> list[Finding]:
    offsets = (
        parse_offset(photo.meta.offset_time_original, []),
        parse_offset(photo.meta.raw.get("OffsetTime"), []),
    )
    gap = (modified - original).total_seconds()
    if None not in offsets:  # both offsets recorded: compare instants
        gap -= ((offsets[1] or 0) - (offsets[0] or 0)) * 60
    if abs(gap) <= MODIFY_TOLERANCE_S:
        return []
    params = _pair("original", original, "modified", modified, MODIFY_TOLERANCE_S)
    whole_hours = abs(gap) <= 14 * 3600 and abs(gap - round(gap / 3600) * 3600) <= 120
    severity = Severity.INFO if whole_hours and None in offsets else Severity.WARNING
    params["whole_hour_gap"] = whole_hours
    code = "modified_after_capture" if gap > 0 else "modified_before_capture"
    return [finding(code, severity, params)]


def _xmp_copy(photo: PhotoInput, original: datetime) -> list[Finding]:
    text = photo.meta.raw.get("XMP:exif:DateTimeOriginal")
    moment = parse_iso(text.split(";")[0]) if text else None
    if moment is None:
        return []
    wall = moment.replace(tzinfo=None, microsecond=0)
    if abs((wall - original.replace(microsecond=0)).total_seconds()) <= SAME_MOMENT_S:
        return []
    params = _pair("exif", original, "xmp", wall, SAME_MOMENT_S)
    return [finding("xmp_date_disagrees", Severity.WARNING, params)]


def _gps(photo: PhotoInput, original: datetime) -> list[Finding]:
    gps = photo.meta.gps.utc_time if photo.meta.gps else None
    if gps is None:
        return []
    gps_naive = gps.replace(tzinfo=None)
    offset = parse_offset(photo.meta.offset_time_original, [])
    gap_min = (original - gps_naive).total_seconds() / 60  # local - UTC = the offset, if in step
    params: dict[str, object] = {
        "gps": gps_naive.isoformat(sep=" ", timespec="seconds"),
        "original": original.isoformat(sep=" ", timespec="seconds"),
        "offset_minutes": offset,
    }
    if offset is not None:
        miss = gap_min - offset
        zone = _zone(offset)
        params.update(gap=_duration(abs(miss) * 60), tolerance_min=GPS_TOLERANCE_MIN)
        if abs(miss) <= GPS_TOLERANCE_MIN:
            return [finding("gps_time_consistent", Severity.INFO, params, zone=zone)]
        if abs(abs(miss) - 1440) <= GPS_TOLERANCE_MIN:
            return [finding("gps_date_off_by_day", Severity.INFO, params)]
        # A stale fix is older than the shot; a fix after the shot no stale fix explains. (With
        # the offset recorded, a GPS clock equal to the wall clock is not excused as a phone
        # writing GPS in local time: it is also what moving the capture time by exactly the
        # offset looks like.)
        params["stale_fix"] = miss > 0
        params["stale_fix_limit_min"] = STALE_FIX_MIN
        severity = Severity.INFO if miss > 0 else Severity.WARNING
        return [finding("gps_time_mismatch", severity, params, zone=zone)]
    params.update(gap=_duration(abs(gap_min) * 60), tolerance_min=GPS_ZONE_TOLERANCE_MIN)
    near = _nearest_offset(gap_min)
    if near is not None:
        found = [finding("gps_time_consistent", Severity.INFO, params, zone=_zone(near))]
        return found + _zone_vs_place(photo, near)
    if _nearest_offset(gap_min + 1440) is not None or _nearest_offset(gap_min - 1440) is not None:
        return [finding("gps_date_off_by_day", Severity.INFO, params)]
    params["stale_fix"] = any(gap_min - m > 0 for m in REAL_OFFSETS)
    params["stale_fix_limit_min"] = STALE_FIX_MIN
    severity = Severity.INFO if params["stale_fix"] else Severity.WARNING
    return [
        finding("gps_time_mismatch", severity, params, zone_zh="时区未记录", zone_en="zone unknown")
    ]


def _zone_vs_place(photo: PhotoInput, offset_min: int) -> list[Finding]:
    """The zone the clocks imply against the sun's time at the GPS position.

    Official zones stay within about 3 h of solar time (western China: +8 at 75° E); a larger
    gap means the camera's clock and its GPS disagree about where it was: a shifted date (the
    GPS time is usually left alone when all EXIF dates are shifted together).
    """
    gps = photo.meta.gps
    if gps is None:
        return []
    solar = gps.longitude / 15
    apart = (offset_min / 60 - solar + 12) % 24 - 12
    if abs(apart) <= SOLAR_ZONE_TOLERANCE_H:
        return []
    if offset_min == 0:  # GPS clock = wall clock: phones that write GPS time in local time
        return []
    params = {
        "implied_zone": _zone(offset_min),
        "longitude": round(gps.longitude, 4),
        "solar_offset_hours": round(solar, 2),
        "hours_apart": round(apart, 2),
        "tolerance_hours": SOLAR_ZONE_TOLERANCE_H,
    }
    return [finding("zone_far_from_place", Severity.WARNING, params)]


def _nearest_offset(gap_min: float) -> int | None:
    best = min(REAL_OFFSETS, key=lambda m: abs(gap_min - m))
    return best if abs(gap_min - best) <= GPS_ZONE_TOLERANCE_MIN else None


def _pair(a: str, ta: datetime, b: str, tb: datetime, tolerance_s: int) -> dict[str, object]:
    return {
        a: ta.isoformat(sep=" ", timespec="seconds"),
        b: tb.isoformat(sep=" ", timespec="seconds"),
        "gap": _duration(abs((tb - ta).total_seconds())),
        "gap_seconds": int((tb - ta).total_seconds()),
        "tolerance_seconds": tolerance_s,
    }


def _duration(seconds: float) -> str:
    """A gap as "3 d 04:05:06" / "04:05:06" (the texts show it as "3 天 04:05:06" in Chinese)."""
    delta = timedelta(seconds=round(seconds))
    days, rest = delta.days, delta.seconds
    clock = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return f"{days} d {clock}" if days else clock


def _zone(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
