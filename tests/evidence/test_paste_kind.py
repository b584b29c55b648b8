"""Pasted text: tracking only when it clearly is; chat text and notes are asked about."""

from __future__ import annotations

from app.evidence.tracking.paste import clearly_tracking

SF = """顺丰速运 运单号：SF1234567890123
2025-06-10 08:02:09 快件已由【丰巢智能柜】代收，请及时取件
2025-06-09 21:40:11 快件到达【杭州西湖营业点】
2025-06-09 06:12:40 快件已发往【杭州转运中心】
2025-06-08 20:31:05 顺丰速运已收取快件"""

CHAT = """2025-06-12 20:14 我：你好，收到的外套颜色和页面上不一样
2025-06-12 20:16 客服：亲，麻烦发一下照片哦
2025-06-12 20:20 我：已经发了，麻烦看一下"""


def test_tracking_record_is_clear() -> None:
    assert clearly_tracking(SF)


def test_chat_text_and_notes_are_not() -> None:
    assert not clearly_tracking(CHAT)
    assert not clearly_tracking("记得明天给快递员打电话")
    assert not clearly_tracking("")
