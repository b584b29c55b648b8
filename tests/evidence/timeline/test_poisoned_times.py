"""A stored time that cannot be real (0001-01-01 from .NET tools, 9999-12-31, offsets of days)
is "no time" for that one entry; the timeline, the case dates, the overview and the text view of
the rest of the case keep working. The rows are written with plain SQL, as an old case or
another program's bug would have left them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app.cli.timeline_view import timeline_text
from app.evidence.disputes.overview import case_overview
from app.evidence.models import ItemKind
from app.evidence.service.view import case_view
from app.evidence.timeline import (
    TimelineError,
    add_manual_event,
    build_timeline,
    case_dates,
    set_case_date,
)
from app.evidence.timeline.times import OUT_OF_RANGE_REASON, placeable, read_stored

from .factory import STANDARD_TRACKING, add, add_tracking, new_case

BAD_VALUES = [
    ("0001-01-01T00:00:00", None),
    ("0001-01-01T00:00:00", 480),
    ("9999-12-31T23:59:59", -600),
    ("2025-06-12T20:00:00", 100_000),
    ("1899-12-31T23:00:00", 480),
]


def _case_with_items(tmp_path: Path):
    case = new_case(tmp_path)
    good = add(case, "good.jpg", ItemKind.PHOTO, "2025-06-12 20:05:00")
    bad = add(case, "bad.jpg", ItemKind.PHOTO, "2025-06-12 20:06:00")
    video = add(case, "unboxing.mp4", ItemKind.VIDEO, "2025-06-12 20:10:00")
    add_tracking(case, STANDARD_TRACKING)
    return case, good, bad, video


@pytest.mark.parametrize(("local", "offset"), BAD_VALUES)
def test_poisoned_item_time_is_no_time_and_the_rest_keeps_its_times(
    tmp_path: Path, local: str, offset: int | None
) -> None:
    case, good, bad, video = _case_with_items(tmp_path)
    with case.connection:
        case.connection.execute(
            "UPDATE items SET capture_local = ?, capture_offset_min = ? WHERE id = ?",
            (local, offset, bad),
        )
    timeline = build_timeline(case)
    by_key = {e.key: e for e in (*timeline.entries, *timeline.undated)}
    poisoned = by_key[f"item:{bad}"]
    assert poisoned.time is None
    assert poisoned.undated_reason in (OUT_OF_RANGE_REASON, "文件中没有可信的拍摄时间")
    assert poisoned.hint_time is None
    assert by_key[f"item:{good}"].time.local.strftime("%H:%M") == "20:05"
    assert by_key[f"item:{video}"].time.local.strftime("%H:%M") == "20:10"
    assert case_dates(case)["signed"].local == datetime(2025, 6, 11, 21, 40, 5)
    text = timeline_text(case_view(case, today=date(2025, 6, 14)))
    assert "20:05" in text and "bad.jpg" in text
    case_overview(case, today=date(2025, 6, 14))


def test_the_reason_and_flag_name_the_impossible_time(tmp_path: Path, language) -> None:
    case, _, bad, _ = _case_with_items(tmp_path)
    with case.connection:
        case.connection.execute(
            "UPDATE items SET capture_local = '0001-01-01T00:00:00' WHERE id = ?", (bad,)
        )
    entry = next(e for e in build_timeline(case).undated if e.key == f"item:{bad}")
    assert entry.undated_reason == OUT_OF_RANGE_REASON
    assert "time_out_of_range" in entry.flags
    language("en")
    assert "impossible (outside 1900-2199)" in timeline_text(
        case_view(case, today=date(2025, 6, 14))
    )


def test_poisoned_event_manual_time_and_case_date(tmp_path: Path) -> None:
    case, good, _, _ = _case_with_items(tmp_path)
    event_id = add_manual_event(case, "called the courier", datetime(2025, 6, 12, 10, 0))
    other = add_manual_event(case, "wrote to the seller", datetime(2025, 6, 12, 11, 0))
    set_case_date(case, "order", date(2025, 6, 8))
    with case.connection:
        conn = case.connection
        conn.execute(
            "UPDATE events SET time_local = '0001-01-01T08:00:00' WHERE id = ?", (event_id,)
        )
        conn.execute(
            "UPDATE events SET time_local = '9999-12-31T23:00:00', time_offset_min = -720"
            " WHERE source = 'tracking' AND kind = 'signed'"
        )
        conn.execute("UPDATE case_dates SET local = '0001-01-01T00:00:00' WHERE name = 'order'")
        conn.execute(
            "INSERT INTO timeline_entries (entry, manual_local, manual_offset_min, manual_reason)"
            " VALUES (?, '0001-01-01T00:00:00', 480, 'typo')",
            (f"item:{good}",),
        )
    timeline = build_timeline(case)
    by_key = {e.key: e for e in (*timeline.entries, *timeline.undated)}
    assert by_key[f"event:{event_id}"].time is None
    assert by_key[f"event:{event_id}"].undated_reason == OUT_OF_RANGE_REASON
    assert by_key[f"event:{other}"].time.local.strftime("%H:%M") == "11:00"
    assert by_key["date:order"].time is None
    assert "time_out_of_range" in by_key["date:order"].flags
    # the hand-set time is ignored; the item's own time shows again
    assert by_key[f"item:{good}"].time.local.strftime("%H:%M") == "20:05"
    dates = case_dates(case)
    assert "order" not in dates
    assert dates["shipped"].local == datetime(2025, 6, 9, 18, 42, 11)
    timeline_text(case_view(case, today=date(2025, 6, 14)))
    case_overview(case, today=date(2025, 6, 14))


def test_the_store_refuses_to_record_an_impossible_time(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    with pytest.raises(TimelineError):
        add_manual_event(case, "x", datetime(1, 1, 1, 8, 0))
    with pytest.raises(TimelineError):
        set_case_date(case, "signed", date(1, 1, 1))
    with pytest.raises(TimelineError):
        set_case_date(case, "signed", datetime(9999, 12, 31, 23, 0))
    assert case.connection.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_placeable_bounds() -> None:
    assert placeable(datetime(1900, 1, 1), 840)
    assert placeable(datetime(2199, 12, 31, 23, 59), -720)
    assert not placeable(datetime(1, 1, 1), None)
    assert not placeable(datetime(2200, 1, 1), None)
    assert not placeable(datetime(2025, 1, 1), 24 * 60)
    assert read_stored("0001-01-01T00:00:00") is None
    assert read_stored("garbage") is None
    assert read_stored("2025-06-12T20:00:00") == datetime(2025, 6, 12, 20, 0)
