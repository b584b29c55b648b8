"""Each profile's automatic matches, partial matches, and manual ticks."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app.evidence.disputes import evaluate_checklist, profiles, resolve, set_dispute, tick
from app.evidence.disputes.model import DisputeRef
from app.evidence.models import ItemKind
from app.evidence.store.case import Case
from app.evidence.timeline import set_case_date, set_entry_note
from app.evidence.timeline.errors import DisputeError
from app.evidence.tracking.model import EventKind
from tests.evidence.timeline.factory import add, add_tracking, new_case

WAYBILL = {"barcodes": [{"format": "Code128", "text": "SF1234567890123"}]}


def full_case(tmp_path: Path, role: str) -> Case:
    """A case holding every kind of evidence any profile asks for."""
    case = new_case(tmp_path, role=role)
    add_tracking(
        case,
        [
            (EventKind.PICKUP, "2025-06-09 18:42:11", "已收取快件，重量 1.2kg"),
            (EventKind.STATION_DROPOFF, "2025-06-10 09:15:30", "快件已由【文三路丰巢柜】代收"),
            (EventKind.REFUSED, "2025-06-10 12:00:00", "收件人拒收（外包装破损）"),
            (EventKind.SIGNED, "2025-06-11 21:40:05", "您的快件已签收"),
        ],
    )
    add_tracking(
        case,
        [
            (EventKind.PICKUP, "2025-06-15 10:00:00", "退货已揽收"),
            (EventKind.SIGNED, "2025-06-17 10:00:00", "退货已签收"),
        ],
        name="return.txt",
        number="SF999",
    )
    set_case_date(case, "return_shipped", date(2025, 6, 15))
    set_case_date(case, "return_signed", datetime(2025, 6, 17, 10, 0))
    add(case, "打包.mp4", ItemKind.VIDEO, "2025-06-09 10:00", metadata=WAYBILL)
    add(case, "开箱.mov", ItemKind.VIDEO, "2025-06-11 22:00", metadata=WAYBILL)
    add(case, "退货开箱.mp4", ItemKind.VIDEO, "2025-06-17 12:00", metadata={"waybills": ["SF999"]})
    for i, name in enumerate(
        ["开箱照片.jpg", "尺子测量.jpg", "吊牌标签.jpg", "序列号.jpg", "称重.jpg", "面单.jpg"]
    ):
        add(case, name, ItemKind.PHOTO, f"2025-06-11 22:{10 + i}")
    for name in [
        "交易快照_正品.png",
        "聊天记录.png",
        "收货地址.png",
        "防伪查询.png",
        "七天无理由.png",
        "保修承诺.png",
    ]:
        add(case, name, ItemKind.SCREENSHOT, "2025-06-12 09:00")
    for name in ["鉴定报告.pdf", "检测报告.pdf", "发票.pdf", "维修报价.pdf"]:
        add(case, name, ItemKind.DOCUMENT, "2025-06-13 09:00")
    return case


def refs(profile_id: str) -> list[DisputeRef]:
    p = profiles()[profile_id]
    return [DisputeRef(p, None)] + [DisputeRef(p, v) for v in p.variants]


@pytest.mark.parametrize("profile_id", sorted(profiles()))
def test_every_automatic_item_matches_on_a_complete_case(tmp_path: Path, profile_id: str) -> None:
    case = full_case(tmp_path, profiles()[profile_id].role)
    set_dispute(case, profile_id)
    for ref in refs(profile_id):
        for status in evaluate_checklist(case, ref):
            if status.item.matcher:
                assert status.state == "matched", (ref.text, status.item.id, status.detail_zh)
                assert status.exhibits or status.item.matcher.name == "case_date"
            else:
                assert status.state == "todo"


@pytest.mark.parametrize("profile_id", sorted(profiles()))
def test_nothing_matches_on_an_empty_case(tmp_path: Path, profile_id: str) -> None:
    case = new_case(tmp_path, role=profiles()[profile_id].role)
    for ref in refs(profile_id):
        states = {s.item.id: s.state for s in evaluate_checklist(case, ref)}
        assert set(states.values()) <= {"missing", "todo"}, states


def _state(case: Case, text: str, check_id: str) -> tuple[str, str]:
    status = next(s for s in evaluate_checklist(case, resolve(text)) if s.item.id == check_id)
    return status.state, status.detail_zh


def test_video_waybill_is_read_defensively(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    add_tracking(
        case, [(EventKind.SIGNED, "2025-06-11 21:40:05", "已签收")], number="73190553102532"
    )
    vid = add(
        case, "unboxing.mov", ItemKind.VIDEO, "2025-06-12 19:03", metadata={"android_keys": {}}
    )
    state, detail = _state(case, "missing_parts", "unboxing_video")
    assert state == "partial" and "未能自动读出面单号" in detail  # no key yet: ask the user
    other = add(
        case,
        "other.mov",
        ItemKind.VIDEO,
        "2025-06-12 19:30",
        metadata={"tracking_numbers": "SF000"},
    )
    state, detail = _state(case, "missing_parts", "unboxing_video")
    assert state == "partial" and "不一致" in detail
    add(
        case,
        "right.mov",
        ItemKind.VIDEO,
        "2025-06-12 19:40",
        metadata={"video": {"barcodes": [{"text": "73190553102532"}]}},
    )
    assert _state(case, "missing_parts", "unboxing_video")[0] == "matched"
    assert vid and other


def test_photo_must_be_within_hours_after_signing(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    add(case, "late.jpg", ItemKind.PHOTO, "2025-06-16 10:00")
    state, detail = _state(case, "quality", "timely_record")
    assert state == "partial" and "请填写签收日期" in detail
    add_tracking(case, [(EventKind.SIGNED, "2025-06-11 21:40:05", "已签收")])
    assert _state(case, "quality", "timely_record")[0] == "partial"  # 84 h after signing
    add(case, "soon.jpg", ItemKind.PHOTO, "2025-06-14 21:00")  # 71 h 20 min
    assert _state(case, "quality", "timely_record")[0] == "matched"


def test_a_note_can_satisfy_a_text_item(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    photo = add(case, "IMG_0042.jpg", ItemKind.PHOTO, "2025-06-12 10:00")
    assert _state(case, "missing_parts", "parcel_weight")[0] == "partial"
    set_entry_note(case, f"item:{photo}", "开箱前称重 0.8kg，面单写 1.5kg")
    assert _state(case, "missing_parts", "parcel_weight")[0] == "matched"


def test_manual_ticks_win_are_per_profile_and_can_be_cleared(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    ref = resolve("not_received")
    tick(case, ref, "station_record", "done", "驿站出库记录截图在手机里")
    tick(case, ref, "full_tracking", "not_applicable")
    states = {s.item.id: (s.state, s.manual_note) for s in evaluate_checklist(case, ref)}
    assert states["station_record"] == ("ticked", "驿站出库记录截图在手机里")
    assert states["full_tracking"][0] == "not_applicable"
    assert {s.item.id: s.state for s in evaluate_checklist(case, resolve("missing_parts"))}[
        "tracking"
    ] == "missing"
    tick(case, ref, "station_record", None)
    assert {s.item.id: s.state for s in evaluate_checklist(case, ref)}["station_record"] == "todo"
    with pytest.raises(DisputeError):
        tick(case, ref, "no_such_item", "done")
    with pytest.raises(DisputeError):
        tick(case, ref, "station_record", "maybe")


def test_hidden_entries_do_not_count(tmp_path: Path) -> None:
    from app.evidence.timeline import set_entry_hidden

    case = new_case(tmp_path)
    chat = add(case, "聊天记录.png", ItemKind.SCREENSHOT, "2025-06-12 09:00")
    assert _state(case, "not_received", "chat_with_seller")[0] == "matched"
    set_entry_hidden(case, f"item:{chat}", True)
    assert _state(case, "not_received", "chat_with_seller")[0] == "missing"
