"""Case dates: order placed, shipped, signed for, trade success, intervention, ruling ...

A date is either entered by the user (with or without a time of day) or supplied by the case's
own records: shipped = the first 揽收 line and signed = the 签收 line of the tracking record that
was delivered first (a later record is usually the return parcel), ruling = the latest ruling
recorded on a submission. What the user enters always wins and the source stays visible.
Entered dates also appear on the timeline as milestones (``date:<name>``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

from app.evidence.store.case import Case
from app.evidence.store.undo import edit, has_timeline_tables
from app.evidence.timeline.errors import TimelineError
from app.evidence.timeline.events import load_events
from app.evidence.timeline.model import date_key, event_key
from app.evidence.timeline.times import (
    MAX_OFFSET_MINUTES,
    case_zone,
    place,
    placeable,
    read_stored,
    start_of_day,
    to_recorded,
)

DATE_NAMES: dict[str, tuple[str, str]] = {
    "order": ("下单", "Order placed"),
    "shipped": ("发货", "Shipped"),
    "signed": ("签收", "Signed for"),
    "trade_success": ("交易成功", "Trade success"),
    "after_sales": ("申请售后", "After-sales requested"),
    "intervention": ("申请客服介入", "Intervention requested"),
    "ruling": ("处理结果", "Ruling"),
    "return_shipped": ("退货寄出", "Return shipped"),
    "return_signed": ("退货签收", "Return signed for"),
}


@dataclass(frozen=True)
class CaseDate:
    """One case date.

    Attributes:
        local: wall clock as entered or recorded (00:00 when `has_time` is False).
        offset_minutes: UTC offset; None when unknown (placed in the case's zone).
        has_time: False for a date entered without a time of day.
        source: "manual", "tracking" or "ruling".
        entry: the timeline entry it rests on (``event:<id>`` or ``date:<name>``).
    """

    name: str
    local: datetime
    offset_minutes: int | None
    has_time: bool
    source: str
    note: str = ""
    entry: str | None = None

    def instant(self, zone: tzinfo) -> datetime:
        """The moment as an aware datetime (start of the day when no time was given)."""
        if not self.has_time:
            return start_of_day(self.local.date(), zone)
        return place(self.local, self.offset_minutes, zone)[0]

    def day(self, zone: tzinfo) -> date:
        """The calendar date in the case's zone."""
        if not self.has_time:
            return self.local.date()
        return self.instant(zone).astimezone(zone).date()


def manual_dates(conn: sqlite3.Connection) -> dict[str, CaseDate]:
    """The dates the user entered (a stored value that cannot be real is left out)."""
    if not has_timeline_tables(conn):
        return {}
    out = {}
    for name, local, offset, has_time, note in conn.execute(
        "SELECT name, local, offset_min, has_time, note FROM case_dates"
    ):
        value = read_stored(local)
        if value is None or not placeable(value, offset):
            continue
        out[name] = CaseDate(name, value, offset, bool(has_time), "manual", note, date_key(name))
    return out


def unusable_dates(conn: sqlite3.Connection) -> list[str]:
    """Names of entered dates whose stored value cannot be real (0001-01-01 from an old case)."""
    if not has_timeline_tables(conn):
        return []
    return [
        name
        for name, local, offset in conn.execute(
            "SELECT name, local, offset_min FROM case_dates ORDER BY name"
        )
        if name in DATE_NAMES and not placeable(read_stored(local), offset)
    ]


def case_dates(case: Case) -> dict[str, CaseDate]:
    """The dates in effect: entered ones, else those the tracking record or rulings supply."""
    return effective_dates(case.connection, case_zone(case.info().timezone))


def effective_dates(conn: sqlite3.Connection, zone: tzinfo) -> dict[str, CaseDate]:
    """`case_dates` over a connection and zone (used while building the timeline)."""
    derived = _from_tracking(conn, zone)
    ruling = _latest_ruling(conn)
    if ruling:
        derived["ruling"] = ruling
    derived.update(manual_dates(conn))
    return derived


def set_case_date(case: Case, name: str, value: date | datetime, note: str = "") -> None:
    """Enter a case date by hand.

    Args:
        value: a date (no time of day), a naive datetime (the case's local time) or an aware one.

    Raises:
        TimelineError: unknown date name.
    """
    if name not in DATE_NAMES:
        raise TimelineError(f"unknown case date {name!r}; known: {', '.join(DATE_NAMES)}")
    if isinstance(value, datetime):
        local, offset = to_recorded(value, case_zone(case.info().timezone))
        has_time = 1
    else:
        local, offset, has_time = datetime.combine(value, time()), None, 0
        if not placeable(local):
            raise TimelineError(f"date out of range (1900-2199): {value.isoformat()}")
    detail = {
        "name": name,
        "value": local.isoformat(),
        "offset_min": offset,
        "has_time": bool(has_time),
    }
    with edit(case, "case.date", f"设置日期：{DATE_NAMES[name][0]}", detail) as (conn, rec):
        rec.touch("case_dates", name)
        conn.execute(
            "INSERT INTO case_dates (name, local, offset_min, has_time, note, updated_at)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT(name) DO UPDATE SET local = excluded.local,"
            " offset_min = excluded.offset_min, has_time = excluded.has_time,"
            " note = excluded.note, updated_at = excluded.updated_at",
            (name, local.isoformat(), offset, has_time, note.strip(), case.now()),
        )


def clear_case_date(case: Case, name: str) -> None:
    """Remove an entered date (a date the tracking record supplies shows again)."""
    with edit(
        case,
        "case.date",
        f"清除日期：{DATE_NAMES.get(name, (name,))[0]}",
        {"name": name, "value": None},
    ) as (conn, rec):
        rec.touch("case_dates", name)
        conn.execute("DELETE FROM case_dates WHERE name = ?", (name,))


def _from_tracking(conn: sqlite3.Connection, zone: tzinfo) -> dict[str, CaseDate]:
    overrides = (
        {
            r[0]: (read_stored(r[1]), r[2])
            for r in conn.execute(
                "SELECT entry, manual_local, manual_offset_min FROM timeline_entries"
                " WHERE manual_local IS NOT NULL"
            )
            if placeable(read_stored(r[1]), r[2])
        }
        if has_timeline_tables(conn)
        else {}
    )
    per_item: dict[int, dict[str, CaseDate]] = {}
    for ev in load_events(conn):
        if ev.source != "tracking" or ev.item_id is None or ev.kind not in ("pickup", "signed"):
            continue
        key = event_key(ev.id)
        local, offset = overrides.get(
            key, (ev.time.local, ev.time.offset_minutes) if ev.time else (None, None)
        )
        if local is None:
            continue
        name = "shipped" if ev.kind == "pickup" else "signed"
        found = CaseDate(
            name, local, offset, True, "tracking", f"物流记录（物品 {ev.item_id}）", key
        )
        dates = per_item.setdefault(ev.item_id, {})
        current = dates.get(name)
        # first pickup of a record; last signing line of a record (station first, then pickup)
        if current is None or (found.instant(zone) < current.instant(zone)) == (name == "shipped"):
            dates[name] = found
    out: dict[str, CaseDate] = {}
    for dates in per_item.values():
        for name, found in dates.items():
            if name not in out or found.instant(zone) < out[name].instant(zone):
                out[name] = found
    return out


def _latest_ruling(conn: sqlite3.Connection) -> CaseDate | None:
    if not has_timeline_tables(conn):
        return None
    row = conn.execute(
        "SELECT ruling_date, id FROM submissions WHERE ruling_date IS NOT NULL"
        " ORDER BY ruling_date DESC, id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    try:
        value = datetime.fromisoformat(row[0])
        offset = value.utcoffset()
    except (TypeError, ValueError):
        return None
    if not placeable(value.replace(tzinfo=None)) or (
        offset is not None and abs(offset.total_seconds()) > MAX_OFFSET_MINUTES * 60
    ):
        return None
    has_time = "T" in row[0]
    return CaseDate(
        "ruling",
        value.replace(tzinfo=None),
        int(offset.total_seconds() // 60) if offset is not None else None,
        has_time,
        "ruling",
        f"提交记录 {row[1]} 的处理结果",
    )
