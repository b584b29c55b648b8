"""Chat transcripts from OCR lines: bubbles, sides, times, tags."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.evidence.models import TimeSource
from app.evidence.ocr.chat import ChatOptions, Side, parse_chat
from app.evidence.ocr.chat_time import parse_separator
from app.evidence.ocr.engine import OcrLine, OcrResult
from app.evidence.ocr.tags import TagKind, find_tags

ME, OTHER = Side.ME, Side.OTHER


def test_corpus_part1_sides_times_and_header(corpus_ocr: dict[str, OcrResult]) -> None:
    chat = parse_chat(corpus_ocr["chat_part1.png"], reference=date(2025, 6, 14))
    assert chat.title == "某某旗舰店" and chat.status_clock == "19:45"
    assert [m.side for m in chat.messages] == [ME, ME, OTHER, ME, OTHER, ME, OTHER]
    first = chat.messages[0]
    assert first.text == "你好，收到的开衫和图片颜色差很多，图片是燕麦色，实物是灰色"
    assert [m.time.local for m in chat.messages if m.time] == [
        datetime(2025, 6, 12, 19, 20)
    ] * 4 + [datetime(2025, 6, 12, 19, 31)] * 3
    assert first.time.source is TimeSource.OCR and first.time.confidence == "medium"
    assert first.time.isoformat() == "2025-06-12T19:20:00+08:00"


def test_corpus_part2_tags_the_phone_and_the_tracking_number(
    corpus_ocr: dict[str, OcrResult],
) -> None:
    chat = parse_chat(corpus_ocr["chat_part2.png"])
    assert [m.side for m in chat.messages] == [OTHER, ME, OTHER, ME, OTHER, ME, OTHER]
    tags = {(t.kind, t.value) for t in chat.tags}
    assert tags == {(TagKind.PHONE, "13812345678"), (TagKind.TRACKING_NO, "SF1234567890123")}
    tracking = next(t for t in chat.tags if t.kind is TagKind.TRACKING_NO)
    message = next(m for m in chat.messages if tracking in m.tags)
    assert message.text.endswith("运单号SF1234567890123") and message.side is ME
    assert message.time.local == datetime(2025, 6, 13, 10, 2)
    # the number wraps onto a second line: its box covers both lines of the bubble
    assert tracking.box[3] - tracking.box[1] > 90


def test_sides_can_be_swapped(corpus_ocr: dict[str, OcrResult]) -> None:
    chat = parse_chat(corpus_ocr["chat_part2.png"], options=ChatOptions(me_on_right=False))
    assert [m.side for m in chat.messages] == [ME, OTHER, ME, OTHER, ME, OTHER, ME]


def line(text: str, x0: int, y0: int, x1: int, height: int = 46) -> OcrLine:
    return OcrLine(text, (x0, y0, x1, y0 + height), 0.99)


def screen(*lines: OcrLine) -> OcrResult:
    return OcrResult(1080, 2340, lines, "test")


@pytest.mark.parametrize(
    ("separator", "expected", "confidence"),
    [
        ("2025-06-12 19:31", datetime(2025, 6, 12, 19, 31), "medium"),
        ("2025年6月12日 下午7:31", datetime(2025, 6, 12, 19, 31), "medium"),
        ("06-12 19:31", datetime(2025, 6, 12, 19, 31), "low"),
        ("12-30 09:05", datetime(2024, 12, 30, 9, 5), "low"),  # after the reference: last year
        ("昨天 19:31", datetime(2025, 6, 13, 19, 31), "low"),
        ("星期三 08:00", datetime(2025, 6, 11, 8, 0), "low"),  # 2025-06-14 is a Saturday
        ("周六 08:00", datetime(2025, 6, 7, 8, 0), "low"),  # the same weekday: a week ago
        ("１９：３１", datetime(2025, 6, 14, 19, 31), "low"),  # full-width, today
    ],
)
def test_time_separator_forms(separator: str, expected: datetime, confidence: str) -> None:
    chat = parse_chat(
        screen(line(separator, 400, 600, 680), line("亲，在的", 186, 700, 400)),
        reference=date(2025, 6, 14),
    )
    (message,) = chat.messages
    assert message.time.local == expected and message.time.confidence == confidence
    assert message.time.offset_minutes == 480 and message.time_text == separator


def test_relative_times_without_a_reference_stay_unknown() -> None:
    chat = parse_chat(screen(line("昨天 19:31", 420, 600, 660), line("亲，在的", 186, 700, 400)))
    assert chat.separators[0].text == "昨天 19:31" and chat.separators[0].time is None
    assert chat.messages[0].time is None and chat.messages[0].time_text == "昨天 19:31"


def test_messages_above_any_separator_have_no_time_and_notices_are_system() -> None:
    chat = parse_chat(
        screen(
            line("早上好", 186, 400, 330),
            line("对方撤回了一条消息", 380, 520, 700),
            line("2025-06-12 19:31", 418, 640, 662),
            line("好的", 800, 760, 890),
        )
    )
    assert [(m.side, m.text, m.time is None) for m in chat.messages] == [
        (OTHER, "早上好", True),
        (Side.SYSTEM, "对方撤回了一条消息", True),
        (ME, "好的", False),
    ]


def test_wide_bubbles_go_to_the_side_whose_margin_they_keep() -> None:
    chat = parse_chat(
        screen(
            line("短", 186, 300, 240),
            line("好", 840, 420, 894),
            line("一条很长很长的消息从左边开始一直写到右边快到头了", 186, 540, 880),
            line("一条很长很长的消息从右边结束一直写到左边快到头了", 200, 660, 894),
        )
    )
    assert [m.side for m in chat.messages] == [OTHER, ME, OTHER, ME]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的手机138 1234 5678", [(TagKind.PHONE, "13812345678")]),
        ("收件人电话138****5678", [(TagKind.PHONE_MASKED, "138****5678")]),
        ("订单号：3958216640123456789", [(TagKind.ORDER_NO, "3958216640123456789")]),
        ("中通快递单号 73190553102532", [(TagKind.TRACKING_NO, "73190553102532")]),
        ("YT5555508965056 到了吗", [(TagKind.TRACKING_NO, "YT5555508965056")]),
        ("ＳＦ１２３４５６７８９０１２３", [(TagKind.TRACKING_NO, "SF1234567890123")]),
        ("退款￥128.50，明天到", []),
    ],
)
def test_tags(text: str, expected: list[tuple[TagKind, str]]) -> None:
    assert [(t.kind, t.value) for t in find_tags(text)] == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_separator_and_tag_parsing_never_raise(text: str) -> None:
    parse_separator(text, date(2025, 6, 14))
    for tag in find_tags(text):
        assert 0 <= tag.start < tag.end <= len(text)


boxes = st.tuples(
    st.integers(0, 1080), st.integers(0, 2340), st.integers(1, 400), st.integers(1, 120)
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=20), boxes), max_size=25))
def test_any_lines_make_a_transcript(items: list[tuple[str, tuple[int, int, int, int]]]) -> None:
    lines = tuple(
        OcrLine(t, (x, y, min(1080, x + w), min(2340, y + h)), 0.5) for t, (x, y, w, h) in items
    )
    chat = parse_chat(OcrResult(1080, 2340, lines, "fuzz"), reference=date(2025, 6, 14))
    tops = [m.box[1] for m in chat.messages]
    assert tops == sorted(tops)
    assert all(m.text and 0 <= m.box[0] < m.box[2] <= 1080 for m in chat.messages)
    assert all(m.time is None or m.time.source is TimeSource.OCR for m in chat.messages)
