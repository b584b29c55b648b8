"""Ordering: mixed UTC offsets, unknown offsets, untrusted times, the undated lane, manual order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.evidence.disputes import set_case_timezone
from app.evidence.models import ItemKind, TimeSource
from app.evidence.timeline import (
    EntryNotFound,
    Phase,
    TimelineError,
    add_manual_event,
    build_timeline,
    clear_entry_time,
    move_entry,
    reorder,
    set_entry_phase,
    set_entry_time,
)
from app.evidence.tracking.model import EventKind

from .factory import STANDARD_TRACKING, add, add_tracking, new_case


def keys(case) -> list[str]:
    return [e.key for e in build_timeline(case).entries]


def test_mixed_offsets_order_by_instant_and_show_in_case_zone(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    a = add(case, "moscow.jpg", ItemKind.PHOTO, "2025-06-12 15:30", offset=180)  # 12:30 UTC
    b = add(case, "beijing.jpg", ItemKind.PHOTO, "2025-06-12 19:00", offset=480)  # 11:00 UTC
    c = add(
        case, "no_zone.jpg", ItemKind.PHOTO, "2025-06-12 20:00", offset=None
    )  # read as Beijing: 12:00 UTC
    t = build_timeline(case)
    assert [e.key for e in t.entries] == [f"item:{b}", f"item:{c}", f"item:{a}"]
    moscow = t.get(f"item:{a}")
    assert moscow.time.local.isoformat() == "2025-06-12T20:30:00+08:00"
    assert moscow.time.recorded.offset_minutes == 180  # the offset it came with is kept
    assert moscow.time.utc == datetime(2025, 6, 12, 12, 30, tzinfo=UTC)
    no_zone = t.get(f"item:{c}")
    assert no_zone.time.offset_assumed and "offset_assumed" in no_zone.flags
    assert no_zone.time.recorded.offset_minutes is None  # stays unknown in the data
    assert not moscow.time.offset_assumed


def test_case_zone_changes_display_and_the_placing_of_unknown_offsets(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    a = add(case, "moscow.jpg", ItemKind.PHOTO, "2025-06-12 13:30", offset=180)  # 10:30 UTC
    c = add(case, "no_zone.jpg", ItemKind.PHOTO, "2025-06-12 14:00", offset=None)
    assert keys(case) == [f"item:{c}", f"item:{a}"]  # 14:00 Beijing = 06:00 UTC
    set_case_timezone(case, "Europe/Moscow")
    t = build_timeline(case)
    assert t.timezone == "Europe/Moscow"
    assert t.get(f"item:{a}").time.local.isoformat() == "2025-06-12T13:30:00+03:00"
    assert [e.key for e in t.entries] == [f"item:{a}", f"item:{c}"]  # 14:00 Moscow = 11:00 UTC


def test_items_without_trustworthy_time_go_to_the_undated_lane(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    dated = add(case, "a.jpg", ItemKind.PHOTO, "2025-06-12 20:00")
    no_time = add(case, "stripped.jpg", ItemKind.PHOTO)
    file_time = add(
        case,
        "download.jpg",
        ItemKind.PHOTO,
        "2025-06-13 09:00",
        offset=0,
        source=TimeSource.FILE_TIME,
        confidence="low",
    )
    t = build_timeline(case)
    assert [e.key for e in t.entries] == [f"item:{dated}"]
    assert [e.key for e in t.undated] == [f"item:{no_time}", f"item:{file_time}"]
    lane = {e.key: e for e in t.undated}
    assert lane[f"item:{no_time}"].time is None and lane[f"item:{no_time}"].undated_reason
    hinted = lane[f"item:{file_time}"]
    assert hinted.time is None and "文件修改时间" in hinted.undated_reason
    assert hinted.hint_time is not None and hinted.hint_time.source is TimeSource.FILE_TIME


def test_tracking_item_sits_at_its_latest_line_and_undated_events_join_the_lane(
    tmp_path: Path,
) -> None:
    case = new_case(tmp_path)
    tid = add_tracking(
        case, [*STANDARD_TRACKING, (EventKind.TEXT, None, "运单号：SF1234567890123")]
    )
    undated_call = add_manual_event(case, "给驿站打过电话，时间记不清")
    t = build_timeline(case)
    item = t.get(f"item:{tid}")
    assert "time_from_content" in item.flags
    assert item.time.local.isoformat() == "2025-06-11T21:40:05+08:00"
    assert [e.event_kind for e in t.entries if not e.is_item] == [
        "pickup",
        "transit",
        "station_dropoff",
        "signed",
    ]
    assert [e.key for e in t.undated] == [
        f"event:{undated_call}"
    ]  # the header line stays off the timeline


def test_equal_times_are_stable_and_reorderable_within_the_minute(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    a = add(case, "a.jpg", ItemKind.PHOTO, "2025-06-12 20:05:10")
    b = add(case, "b.jpg", ItemKind.PHOTO, "2025-06-12 20:05:10")
    c = add(case, "c.jpg", ItemKind.PHOTO, "2025-06-12 20:05:40")
    d = add(case, "d.jpg", ItemKind.PHOTO, "2025-06-12 20:06:00")
    ka, kb, kc, kd = (f"item:{i}" for i in (a, b, c, d))
    assert keys(case) == [ka, kb, kc, kd] == keys(case)
    reorder(case, [kc, ka, kb])
    assert keys(case) == [kc, ka, kb, kd]
    move_entry(case, kb, -1)
    assert keys(case) == [kc, kb, ka, kd]
    with pytest.raises(TimelineError):
        move_entry(case, kc, -1)  # would leave the minute
    with pytest.raises(TimelineError):
        reorder(case, [kd, ka])  # not one minute's entries


def test_undated_lane_can_be_reordered(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    a = add(case, "a.jpg", ItemKind.PHOTO)
    b = add(case, "b.jpg", ItemKind.PHOTO)
    reorder(case, [f"item:{b}", f"item:{a}"])
    assert [e.key for e in build_timeline(case).undated] == [f"item:{b}", f"item:{a}"]


def test_manual_time_needs_a_reason_and_keeps_the_original(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    late = add(case, "late.jpg", ItemKind.PHOTO, "2025-06-12 23:00")
    early = add(case, "early.jpg", ItemKind.PHOTO, "2025-06-12 21:00")
    undated = add(case, "stripped.jpg", ItemKind.PHOTO)
    with pytest.raises(TimelineError):
        set_entry_time(case, f"item:{late}", datetime(2025, 6, 12, 20, 0), "  ")
    set_entry_time(
        case, f"item:{late}", datetime(2025, 6, 12, 20, 0), "水印显示 20:00，手机时间快了 3 小时"
    )
    set_entry_time(
        case,
        f"item:{undated}",
        datetime(2025, 6, 12, 12, 0, tzinfo=timezone(timedelta(hours=3))),
        "照片里的挂钟",
    )
    t = build_timeline(case)
    assert [e.key for e in t.entries] == [f"item:{undated}", f"item:{late}", f"item:{early}"]
    moved = t.get(f"item:{late}")
    assert moved.time.manual_reason.startswith("水印") and "manual_time" in moved.flags
    assert moved.time.original.local == datetime(2025, 6, 12, 23, 0)
    assert moved.time.recorded.source is TimeSource.MANUAL
    assert t.get(f"item:{undated}").time.recorded.offset_minutes == 180
    clear_entry_time(case, f"item:{late}")
    assert keys(case)[-1] == f"item:{late}"
    with pytest.raises(EntryNotFound):
        set_entry_time(case, "item:999", datetime(2025, 6, 12), "x")


def test_tracking_item_takes_the_phase_of_its_latest_line(tmp_path: Path) -> None:
    """A record ending in 签收 sits at the signing time and is read under 签收: no second 物流
    heading after the delivery (issue 19, point 9); a record still in transit stays 物流."""
    case = new_case(tmp_path)
    signed = add_tracking(case, STANDARD_TRACKING)
    moving = add_tracking(case, STANDARD_TRACKING[:2], number="SF9876543210987", name="b.txt")
    t = build_timeline(case)
    assert t.get(f"item:{signed}").phase is Phase.DELIVERY
    assert t.get(f"item:{moving}").phase is Phase.TRANSIT
    set_entry_phase(case, f"item:{signed}", Phase.TRANSIT)  # the user's choice still wins
    assert build_timeline(case).get(f"item:{signed}").phase is Phase.TRANSIT
