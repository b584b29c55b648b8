"""The `timeline` command's text view (app/cli/timeline_view.py), rendered from the service's
snapshot (CaseView): every part of the overview, on the case's clock with the zone named."""

from __future__ import annotations

import importlib
from datetime import date, datetime
from pathlib import Path

import pytest

from app.cli import main
from app.cli.timeline_view import timeline_text
from app.evidence.disputes import record_ruling, record_submission
from app.evidence.models import ItemKind
from app.evidence.service.view import case_view, read_case_view
from tests.evidence.disputes.test_overview import TODAY, _case
from tests.evidence.timeline.factory import STANDARD_TRACKING, add, add_tracking, new_case


def _text(case, today: date = TODAY) -> str:
    return timeline_text(case_view(case, today))


def test_timeline_text_view(tmp_path: Path) -> None:
    case, ids = _case(tmp_path)
    text = _text(case)
    assert "纠纷类型：少件/空包" in text and "举证责任：" in text
    assert "时区：Asia/Shanghai（北京时间）（以下为本地时间）   今天：2025-06-14" in text
    assert "2025-06-11 20:00  [开箱/发现问题] 证据1" in text
    assert "说明：开箱视频：少了充电盒！！！" in text
    assert (
        "手动设置时间，理由：手机时区设置错误，按水印时间；原时间：2025-06-11 17:30:00+03:00"
        in text
    )
    assert "== 未定时间（没有可信时间，不会编造日期） ==" in text and "文件时间（仅供参考）" in text
    assert "已移出证据链：1 项" in text
    assert "（见证据2）" in text  # tracking lines point at their record
    assert (
        "[警告] 开箱/验货的视频（证据1，2025-06-11 20:00）早于签收记录（2025-06-11 21:40）" in text
    )
    assert "✓ 已找到  连续开箱视频，开头显示面单号  → 证据1" in text
    assert (
        "签收后录制开箱视频：截止 2025-06-14 21:40（今天截止）" in text
        and "请以平台当前规则为准" in text
    )
    assert "== 措辞提示 ==" in text and "“！！！” 建议改为“。”" in text
    lines = text.splitlines()
    assert (
        lines.index("== 时间线 ==") < lines.index("== 需要注意 ==") < lines.index("== 证据清单 ==")
    )


def test_timeline_text_view_in_english(tmp_path: Path, language) -> None:
    case, _ = _case(tmp_path)
    language("en")
    text = _text(case)
    assert "Dispute: Missing parts or empty parcel" in text and "Burden of proof: " in text
    assert "Time zone: Asia/Shanghai（Beijing time） (local times below)" in text
    assert (
        "2025-06-11 20:00  [Inspection] Exhibit 1  开箱.mov [video metadata, high confidence]"
        in text
    )
    assert "(see Exhibit 2)" in text and "Intervention requested" in text
    assert "Summary: shop 某某数码, amount ¥199.00, claim Refund only" in text
    assert "Time set by hand, because: 手机时区设置错误，按水印时间" in text
    assert "Why: only the file's modification time" in text
    assert "Evidence period after intervention: due 2025-06-16 10:00 (2 days left)" in text
    assert "enter the “Trade success” date to work it out" in text
    assert "Check the current rules on the platform" in text
    lines = text.splitlines()
    assert (
        lines.index("== Timeline ==")
        < lines.index("== To look at ==")
        < lines.index("== Evidence checklist ==")
        < lines.index("== Deadlines ==")
    )
    # what the user typed stays as typed; every label around it is English
    labels = text.replace("测试案件", "").replace("某某数码", "")
    for typed in (
        "开箱",
        "手机时区",
        "收到的耳机",
        "顺丰",
        "快件",
        "您的快件",
        "给快递员",
        "第二十六",
        "！！！",
        "。",
        "北京时间",
    ):
        labels = "\n".join(line for line in labels.splitlines() if typed not in line)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in labels), labels


def test_rounds_ruling_and_appeal_window(tmp_path: Path) -> None:
    case, _ = _case(tmp_path)
    sid = record_submission(case, "initial", datetime(2025, 6, 13, 9, 0))
    record_ruling(case, sid, date(2025, 6, 30), "驳回", ["缺少开箱视频的开头"])
    add(case, "new.jpg", ItemKind.PHOTO, "2025-07-01 10:00")
    lines = _text(case, date(2025, 7, 2)).splitlines()
    at = lines.index("== 提交记录 ==")
    assert lines[at + 1 : at + 5] == [
        "2025-06-13 09:00  首次举证：证据1、证据2、证据3、证据4；处理结果 2025-06-30：驳回",
        "申诉期限：对处理结果申诉：截止 2025-07-07（剩余 5 天）（来源：《淘宝客服介入流程详解及"
        "常见问题处理指南》（第三方文章），可信度低；请以平台当前规则为准）",
        "新证据（此前未提交）：证据5",
        "  待回应的判定要点：缺少开箱视频的开头",
    ]


def test_a_deadline_in_hours_shows_its_minute(tmp_path: Path, language) -> None:
    case = new_case(tmp_path, dispute="not_received", role="seller")
    add_tracking(case, STANDARD_TRACKING)
    sid = record_submission(case, "initial", datetime(2025, 6, 13, 9, 0))
    record_ruling(case, sid, datetime(2025, 6, 30, 15, 0), "", [])
    language("en")
    lines = _text(case, date(2025, 7, 2)).splitlines()
    at = lines.index("== Submissions ==")
    assert lines[at + 1 : at + 5] == [
        "2025-06-13 09:00  Initial evidence: Exhibit 1; ruling 2025-06-30: ",
        "Appeal deadline: Seller dispute-rate appeal: due 2025-07-03 15:00 (1 days left) "
        "(source: Seller dispute-rate appeal path (reproduced), medium confidence; "
        "Check the current rules on the platform)",
        "New evidence (not submitted before): none",
        "  No new evidence: an appeal must rest on new evidence or a procedural problem; "
        "disagreeing alone is not accepted.",
    ]
    # a date the case lacks: the deadline's own remark, not the rule's note
    assert (
        "  Evidence period after intervention: enter the “Intervention requested” date to work "
        "it out (source: 57dt.com explainer on Taobao intervention evidence, medium confidence; "
        "Check the current rules on the platform)"
    ) in lines


def test_the_command_prints_the_snapshot_of_the_case(tmp_path: Path, capsys) -> None:
    case, _ = _case(tmp_path)
    root = case.root
    case.close()
    assert main(["--lang", "zh", "timeline", str(root)]) == 0
    printed = capsys.readouterr().out
    assert printed == timeline_text(read_case_view(root)) + "\n"
    assert "时区：Asia/Shanghai（北京时间）" in printed and "证据1" in printed


def test_the_core_holds_no_text_view() -> None:
    """The CLI's view lives in app/cli (issue 17, point 3), not in the core's disputes."""
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("app.evidence.disputes.text")
    import app.evidence.disputes as disputes

    assert not hasattr(disputes, "timeline_text")
    assert not hasattr(disputes, "render_timeline_text")
