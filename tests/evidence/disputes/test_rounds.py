"""Submission rounds, rulings, the appeal window and new exhibits."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app.evidence.disputes import (
    appeal_status,
    new_since_last_submission,
    record_ruling,
    record_submission,
    submissions,
)
from app.evidence.models import ItemKind
from app.evidence.timeline import build_timeline, case_dates, reorder, undo
from app.evidence.timeline.errors import DisputeError
from tests.evidence.timeline.factory import add, new_case


def test_a_round_fixes_the_numbers_it_sent(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    a = add(case, "a.jpg", ItemKind.PHOTO, "2025-06-12 20:00:10")
    b = add(case, "b.jpg", ItemKind.PHOTO, "2025-06-12 20:00:20")
    sid = record_submission(
        case, "initial", datetime(2025, 6, 13, 9, 0), export_ref="exports/2025-06-13/pack.zip"
    )
    (sub,) = submissions(case)
    assert (sub.id, sub.kind, sub.export_ref) == (sid, "initial", "exports/2025-06-13/pack.zip")
    assert sub.submitted_at == "2025-06-13T09:00:00+08:00"
    assert sub.entries == ((f"item:{a}", 1), (f"item:{b}", 2))
    reorder(case, [f"item:{b}", f"item:{a}"])
    t = build_timeline(case)
    assert [(e.exhibit_no, e.exhibit_provisional) for e in t.entries] == [(2, False), (1, False)]


def test_new_exhibits_since_the_last_round_and_the_appeal_window(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    a = add(case, "a.jpg", ItemKind.PHOTO, "2025-06-12 20:00")
    sid = record_submission(case, "initial", datetime(2025, 6, 13, 9, 0))
    status = appeal_status(case, date(2025, 6, 14))
    assert status.ruled is None and status.window is None
    record_ruling(case, sid, date(2025, 6, 28), "判定卖家无责", "未见称重记录\n面单号看不清")
    assert case_dates(case)["ruling"].source == "ruling"
    status = appeal_status(case, date(2025, 7, 3))
    assert status.window.rule.id == "appeal_buyer" and status.window.due_date == date(2025, 7, 5)
    assert status.window.days_left == 2 and status.window.rule.citation.check_rules
    assert status.points == ("未见称重记录", "面单号看不清")
    assert status.new_entries == () and "新证据" in status.warning_zh
    weight = add(case, "称重.jpg", ItemKind.PHOTO, "2025-06-12 20:01")
    assert new_since_last_submission(case) == (f"item:{weight}",)
    record_submission(case, "appeal", datetime(2025, 7, 3, 10, 0))
    status = appeal_status(case, date(2025, 7, 3))
    assert status.appeals_made == 1 and "只有一次" in status.warning_zh and status.new_entries == ()
    assert a


def test_seller_appeal_window_is_72_hours(tmp_path: Path) -> None:
    case = new_case(tmp_path, role="seller")
    sid = record_submission(case, "initial", datetime(2025, 6, 13, 9, 0))
    record_ruling(case, sid, datetime(2025, 6, 30, 15, 0), "退款成功（商家责任）")
    window = appeal_status(case, date(2025, 7, 1)).window
    assert (
        window.rule.id == "appeal_seller"
        and window.due_at.isoformat() == "2025-07-03T15:00:00+08:00"
    )


def test_rounds_are_checked_and_undoable(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    add(case, "a.jpg", ItemKind.PHOTO, "2025-06-12 20:00")
    with pytest.raises(DisputeError):
        record_submission(case, "complaint")
    with pytest.raises(DisputeError):
        record_ruling(case, 42, date(2025, 6, 28), "x")
    record_submission(case, "initial")
    assert submissions(case)[0].submitted_at == "2025-06-14T04:00:00+00:00"  # the case clock
    undo(case)
    assert submissions(case) == ()
    assert build_timeline(case).entries[0].exhibit_provisional
