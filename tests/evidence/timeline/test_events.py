"""Events (tracking lines, manual events), phases and case dates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app.evidence import timeline as tl
from app.evidence.models import ItemKind, TimeSource
from app.evidence.timeline import NewEvent, Phase, TimelineError
from app.evidence.tracking.model import EventKind

from .factory import STANDARD_TRACKING, add, add_tracking, new_case, record


def test_reparsing_a_tracking_record_keeps_event_ids_notes_and_state(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    tid = add_tracking(case, STANDARD_TRACKING)
    signed = next(e for e in tl.events(case) if e.kind == "signed")
    assert signed.payload["tracking_number"] == "SF1234567890123"
    assert signed.time.source is TimeSource.TRACKING and signed.raw_line.endswith("领取")
    tl.set_entry_note(case, f"event:{signed.id}", "这不是我签收的")
    # the item's bytes never change, so a re-parse (a better parser) sees the same line numbers
    reparsed = record([*STANDARD_TRACKING[:3], STANDARD_TRACKING[3][:2] + ("已签收（更正）",)])
    assert tl.record_tracking(case, tid, reparsed) == 4
    again = {e.line_no: e for e in tl.events(case)}
    assert (
        again[4].id == signed.id
        and again[4].note == "这不是我签收的"
        and again[4].text == "已签收（更正）"
    )
    assert tl.record_tracking(case, tid, record(STANDARD_TRACKING[:3])) == 3
    gone = [e for e in tl.events(case, include_deleted=True) if e.deleted]
    assert [e.line_no for e in gone] == [4]


def test_sync_parses_tracking_items_with_the_parser_given(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    tid = add(case, "pasted.txt", ItemKind.TRACKING)
    (case.root / case.item(tid).vault_path).parent.mkdir(parents=True, exist_ok=True)
    (case.root / case.item(tid).vault_path).write_text(
        "2025-06-09 18:42:11 已揽收", encoding="utf-8"
    )
    seen = []

    def parse(item, data: bytes):
        seen.append((item.id, data.decode()))
        return record([STANDARD_TRACKING[0]])

    assert tl.sync_tracking_items(case, parse) == {tid: 1}
    assert tl.sync_tracking_items(case, parse) == {}  # already parsed
    assert seen == [(tid, "2025-06-09 18:42:11 已揽收")]


def test_automatic_phases_and_the_users_choice(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    add_tracking(case, STANDARD_TRACKING)
    photo = add(case, "IMG_0001.jpg", ItemKind.PHOTO, "2025-06-12 10:00")
    chat = add(case, "Screenshot_1.png", ItemKind.SCREENSHOT, "2025-06-12 11:00")
    snap = add(case, "交易快照.png", ItemKind.SCREENSHOT, "2025-06-08 11:00")
    call = tl.add_manual_event(case, "打电话给快递员", datetime(2025, 6, 12, 9, 0), kind="call")
    claim = tl.add_manual_event(
        case, "申请退款", datetime(2025, 6, 12, 12, 0), kind="refund_request"
    )
    t = tl.build_timeline(case)
    phase = {e.key: e.phase for e in t.entries}
    assert [phase[f"event:{i}"] for i in range(1, 5)] == [
        Phase.SHIPPING,
        Phase.TRANSIT,
        Phase.DELIVERY,
        Phase.DELIVERY,
    ]
    assert phase[f"item:{photo}"] is Phase.INSPECTION
    assert phase[f"item:{chat}"] is Phase.COMMUNICATION and phase[f"item:{snap}"] is Phase.ORDER
    assert phase[f"event:{call}"] is Phase.COMMUNICATION and phase[f"event:{claim}"] is Phase.CLAIM
    assert [g.phase for g in t.phases()] == [
        Phase.ORDER,
        Phase.SHIPPING,
        Phase.TRANSIT,
        Phase.DELIVERY,
        Phase.INSPECTION,
        Phase.COMMUNICATION,
        Phase.CLAIM,
    ]
    tl.set_entry_phase(case, f"item:{photo}", "delivery")
    tl.rename_phase(case, Phase.DELIVERY, "收货", "Received")
    t = tl.build_timeline(case)
    assert t.get(f"item:{photo}").phase is Phase.DELIVERY and t.get(f"item:{photo}").phase_is_manual
    group = next(g for g in t.phases() if g.phase is Phase.DELIVERY)
    assert (group.zh, group.en) == ("收货", "Received") and f"item:{photo}" in group.entries
    tl.rename_phase(case, Phase.DELIVERY, None)
    assert tl.build_timeline(case).labels[Phase.DELIVERY] == ("签收", "Delivery")
    with pytest.raises(TimelineError):
        tl.set_entry_phase(case, f"item:{photo}", "lunch")


def test_a_sellers_photos_default_to_shipping(tmp_path: Path) -> None:
    case = new_case(tmp_path, role="seller")
    photo = add(case, "IMG_0001.jpg", ItemKind.PHOTO, "2025-06-09 10:00")
    unboxing = add(case, "退货开箱.mp4", ItemKind.VIDEO, "2025-06-20 10:00")
    t = tl.build_timeline(case)
    assert t.get(f"item:{photo}").phase is Phase.SHIPPING
    assert t.get(f"item:{unboxing}").phase is Phase.INSPECTION  # the name says so


def test_events_are_checked(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    with pytest.raises(TimelineError):
        tl.add_manual_event(case, "   ")
    with pytest.raises(TimelineError):
        tl.add_event(case, NewEvent(kind="Chat Message", source="ocr", text="x"))
    with pytest.raises(TimelineError):
        tl.add_event(case, NewEvent(kind="chat_message", source="wechat", text="x"))
    ocr = tl.add_event(case, NewEvent(kind="chat_message", source="ocr", text="卖家：明天发货"))
    with pytest.raises(TimelineError):
        tl.set_event_text(case, ocr, "改写识别结果")  # only manual events can be reworded
    assert tl.build_timeline(case).undated[0].phase is Phase.COMMUNICATION


def test_case_dates_entered_win_over_tracking(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    add_tracking(case, STANDARD_TRACKING)
    dates = tl.case_dates(case)
    assert dates["signed"].source == "tracking" and dates["signed"].local == datetime(
        2025, 6, 11, 21, 40, 5
    )
    assert dates["shipped"].local == datetime(2025, 6, 9, 18, 42, 11)
    tl.set_case_date(case, "signed", date(2025, 6, 12), note="丰巢取件记录")
    signed = tl.case_dates(case)["signed"]
    assert (signed.source, signed.has_time, signed.local.date()) == (
        "manual",
        False,
        date(2025, 6, 12),
    )
    milestone = tl.build_timeline(case).get("date:signed")
    assert (
        milestone.time.date_only
        and milestone.note == "丰巢取件记录"
        and milestone.phase is Phase.DELIVERY
    )
    tl.clear_case_date(case, "signed")
    assert tl.case_dates(case)["signed"].source == "tracking"
    with pytest.raises(TimelineError):
        tl.set_case_date(case, "birthday", date(2025, 1, 1))


def test_tracking_lines_without_time_and_signing_via_kind(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    add_tracking(case, [(EventKind.SIGNED, None, "已签收（时间不详）")])
    t = tl.build_timeline(case)
    assert [e.event_kind for e in t.undated if not e.is_item] == ["signed"]
    assert "signed" not in tl.case_dates(case)
