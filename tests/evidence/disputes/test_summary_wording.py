"""Case summary fields and the neutral-wording helper."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.evidence.disputes import (
    case_dispute,
    case_summary,
    case_wording,
    check_wording,
    neutral_version,
    set_case_timezone,
    set_dispute,
    set_summary,
)
from app.evidence.models import ItemKind
from app.evidence.timeline import add_manual_event, set_case_date, set_entry_note
from app.evidence.timeline.errors import DisputeError, UnknownProfile
from tests.evidence.timeline.factory import add, new_case


def test_summary_fields_are_checked_and_kept(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    s = set_summary(
        case,
        shop="某某数码专营店",
        item_title="蓝牙耳机",
        amount="¥1,299.5",
        claim="return_refund",
        statement="  收到的耳机缺少充电盒，请求退货退款。 ",
    )
    assert (s.order_no, s.shop, s.amount, s.claim) == (
        "2025061200001",
        "某某数码专营店",
        "1299.50",
        "return_refund",
    )
    assert s.statement == "收到的耳机缺少充电盒，请求退货退款。" and s.statement_bytes == len(
        s.statement.encode()
    )
    set_summary(case, shop=None)  # clears one field, keeps the others
    s = case_summary(case)
    assert s.shop is None and s.item_title == "蓝牙耳机"
    for bad in (
        {"amount": "about 20"},
        {"amount": "-3"},
        {"claim": "revenge"},
        {"category": "spaceships"},
    ):
        with pytest.raises(DisputeError):
            set_summary(case, **bad)
    set_case_date(case, "order", date(2025, 6, 8))
    assert case_summary(case).dates == {"order": "2025-06-08"}


def test_dispute_and_zone_are_set_through_the_summary(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    assert case_dispute(case) is None
    assert set_dispute(case, "描述不符:尺寸").text == "not_as_described:size"
    assert (
        case.info().dispute == "not_as_described:size" and case_dispute(case).variant.id == "size"
    )
    with pytest.raises(UnknownProfile):
        set_dispute(case, "nonsense")
    set_case_timezone(case, "Europe/Moscow")
    assert case.info().timezone == "Europe/Moscow"
    with pytest.raises(DisputeError):
        set_case_timezone(case, "Mars/Olympus")


@pytest.mark.parametrize(
    ("text", "flagged", "suggestion"),
    [
        ("卖家就是骗子", "骗子", "对方"),
        ("大骗子！", "大骗子", "对方"),
        ("质量太垃圾了", "垃圾", "与描述不符"),
        ("黑心商家", "黑心", ""),
        ("到现在还没发货!!!", "!!!", "。"),
        ("为什么不退款？？？", "？？？", "？"),
        ("这是假货", "假货", "疑似非正品（待鉴定）"),
        ("你等着，曝光你", "你等着", "如协商不成，将按平台规则申请介入"),
        ("THIS IS A SCAM", "SCAM", "商品与页面描述不一致"),
    ],
)
def test_emotional_and_accusatory_words_are_flagged(
    text: str, flagged: str, suggestion: str
) -> None:
    flags = check_wording(text)
    assert flagged in [f.text for f in flags]
    assert next(f for f in flags if f.text == flagged).suggestion_zh == suggestion


@pytest.mark.parametrize(
    "text",
    [
        "买了一个垃圾桶",
        "USB 接口松动",
        "滚筒洗衣机漏水",
        "签收时间 2025-06-11 21:40。",
        "尺寸偏小 2 厘米！",
    ],
)
def test_plain_descriptions_are_not_flagged(text: str) -> None:
    assert check_wording(text) == ()


def test_neutral_version_and_case_wide_review(tmp_path: Path) -> None:
    assert (
        neutral_version("卖家是骗子!!! 黑心商家，发的是垃圾")
        == "卖家是对方。 商家，发的是与描述不符"
    )
    case = new_case(tmp_path)
    photo = add(case, "a.jpg", ItemKind.PHOTO, "2025-06-12 10:00")
    set_entry_note(case, f"item:{photo}", "开箱就是坏的！！")
    event = add_manual_event(case, "给骗子打电话没人接")
    set_summary(case, statement="要求退款，气死了")
    where = [(f.where, f.text) for f in case_wording(case)]
    assert where == [(f"item:{photo}", "！！"), (f"event:{event}", "骗子"), ("statement", "气死")]
