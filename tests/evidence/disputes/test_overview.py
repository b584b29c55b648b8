"""What `list --json` shows (the `timeline` text view: tests/test_cli_timeline.py)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from app.evidence.disputes import list_json, record_submission, set_summary
from app.evidence.models import ItemKind, TimeSource
from app.evidence.timeline import (
    add_manual_event,
    assign_exhibit_numbers,
    set_case_date,
    set_entry_hidden,
    set_entry_note,
    set_entry_time,
)
from tests.evidence.timeline.factory import STANDARD_TRACKING, add, add_tracking, new_case

TODAY = date(2025, 6, 14)


def _case(tmp_path: Path):
    case = new_case(tmp_path, dispute="missing_parts")
    track = add_tracking(case, STANDARD_TRACKING)
    video = add(
        case,
        "开箱.mov",
        ItemKind.VIDEO,
        "2025-06-11 20:00",
        source=TimeSource.QUICKTIME,
        metadata={"barcodes": ["SF1234567890123"]},
    )
    photo = add(case, "moscow.jpg", ItemKind.PHOTO, "2025-06-11 17:30", offset=180)
    stripped = add(
        case,
        "wechat.jpg",
        ItemKind.PHOTO,
        "2025-06-13 01:00",
        offset=0,
        source=TimeSource.FILE_TIME,
        confidence="low",
    )
    hidden = add(case, "blurry.jpg", ItemKind.PHOTO, "2025-06-11 22:05")
    call = add_manual_event(
        case, "给快递员打电话，说放在丰巢", datetime(2025, 6, 12, 9, 0), kind="call"
    )
    set_entry_note(case, f"item:{video}", "开箱视频：少了充电盒！！！")
    set_entry_time(
        case, f"item:{photo}", datetime(2025, 6, 11, 22, 30), "手机时区设置错误，按水印时间"
    )
    set_entry_hidden(case, f"item:{hidden}", True)
    set_case_date(case, "intervention", datetime(2025, 6, 13, 10, 0))
    set_summary(
        case, shop="某某数码", amount="199", claim="refund", statement="收到的耳机缺少充电盒。"
    )
    assign_exhibit_numbers(case)
    return case, {
        "track": track,
        "video": video,
        "photo": photo,
        "stripped": stripped,
        "hidden": hidden,
        "call": call,
    }


def test_list_json_has_timeline_phases_exhibits_checklist_and_deadlines(tmp_path: Path) -> None:
    case, ids = _case(tmp_path)
    record_submission(case, "initial", datetime(2025, 6, 13, 11, 0))
    late = add(case, "称重.jpg", ItemKind.PHOTO, "2025-06-12 08:00")
    data = list_json(case, TODAY)
    json.dumps(data, ensure_ascii=False)  # JSON-ready
    assert data["schema"] == "evidence-desk.timeline/1" and data["timezone"] == "Asia/Shanghai"
    times = [e["time"]["local"] for e in data["timeline"]]
    assert times == sorted(times)
    entry = {e["key"]: e for e in data["timeline"]}
    video = entry[f"item:{ids['video']}"]
    assert (video["exhibit_label"], video["phase"], video["phase_zh"], video["note"]) == (
        "证据1",
        "inspection",
        "开箱/发现问题",
        "开箱视频：少了充电盒！！！",
    )
    photo = entry[f"item:{ids['photo']}"]
    assert (
        photo["time"]["manual_reason"].startswith("手机时区")
        and photo["time"]["original"]["offset_minutes"] == 180
    )
    assert entry[f"event:{ids['call']}"]["source"] == "manual"
    signed = next(e for e in data["timeline"] if e["event_kind"] == "signed")
    assert signed["from_exhibit"] == "证据2" and signed["raw_line"]
    assert [e["key"] for e in data["undated"]] == [f"item:{ids['stripped']}"]
    assert data["undated"][0]["hint_time"]["source"] == "file_time"
    assert [e["key"] for e in data["hidden"]] == [f"item:{ids['hidden']}"]
    assert [p["phase"] for p in data["phases"]][:3] == ["shipping", "transit", "delivery"]
    exhibits = {e["entry"]: e for e in data["exhibits"]}
    assert (
        exhibits[f"item:{late}"]["provisional"]
        and exhibits[f"item:{late}"]["new_since_last_submission"]
    )
    assert not exhibits[f"item:{ids['video']}"]["new_since_last_submission"]
    checks = {c["id"]: c for c in data["checklist"]}
    assert checks["unboxing_video"]["state"] == "matched" and checks["unboxing_video"][
        "exhibits"
    ] == [1]
    assert checks["tracking"]["state"] == "matched" and checks["tracking"]["source"] == "S1"
    deadlines = {d["rule"]: d for d in data["deadlines"]}
    assert deadlines["unboxing_video_72h"]["due_at"] == "2025-06-14T21:40:05+08:00"
    assert (
        deadlines["unboxing_video_72h"]["days_left"] == 0
        and deadlines["unboxing_video_72h"]["check_rules_zh"]
    )
    assert deadlines["evidence_3d"]["due_date"] == "2025-06-16"
    assert deadlines["after_sales_15d"]["status"] == "missing_date"
    assert [f["code"] for f in data["findings"]] == ["unboxing_before_signed"]
    assert data["summary"]["claim_zh"] == "仅退款" and data["dispute"]["burden"]["source"] == "S1"
    assert [w["text"] for w in data["wording"]] == ["！！！"]
