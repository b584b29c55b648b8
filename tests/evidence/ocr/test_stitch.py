"""Stitching chat screenshots: order, one transcript, and findings where an overlap differs."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace
from datetime import datetime

import pytest
from PIL import Image, ImageDraw, ImageFont

from app.evidence.models import CaptureTime, TimeSource
from app.evidence.ocr.chat import ChatMessage, ChatTranscript, Side, parse_chat
from app.evidence.ocr.engine import OcrResult
from app.evidence.ocr.overlap import find_overlap
from app.evidence.ocr.stitch import stitch

PART1, PART2 = "chat_part1.png", "chat_part2.png"
SHARED = [
    "亲可以申请退货退款，运费需要您承担",
    "质量问题为什么要我承担运费？",
    "那您留个电话，我们客服联系您",
]


@pytest.fixture(scope="module")
def chats(corpus_ocr: dict[str, OcrResult]) -> dict[str, ChatTranscript]:
    return {name: parse_chat(result) for name, result in corpus_ocr.items()}


def test_the_two_parts_overlap_by_the_1931_block(corpus_images: dict[str, Image.Image]) -> None:
    overlap = find_overlap(corpus_images[PART2], corpus_images[PART1], (7, 3))
    assert (overlap.upper, overlap.lower) == (3, 7)  # part 1 is higher up the chat
    assert overlap.differences == ()
    # the shared stretch runs from the 19:31 separator to the last shared bubble
    assert 980 < overlap.upper_range[0] < 1010 and 1500 < overlap.upper_range[1] < 1560
    assert overlap.lower_range[0] == overlap.upper_range[0] - overlap.offset


@pytest.mark.parametrize("reverse", [False, True])
def test_stitched_transcript_has_the_overlap_once(
    corpus_images: dict[str, Image.Image], chats: dict[str, ChatTranscript], reverse: bool
) -> None:
    names = [PART2, PART1] if reverse else [PART1, PART2]
    result = stitch([corpus_images[n] for n in names], [chats[n] for n in names])
    assert [names[i] for i in result.order] == [PART1, PART2]
    texts = [m.text for m in result.transcript.messages]
    assert len(texts) == 11 and texts[0].startswith("你好") and texts[-1] == "随便"
    counts = Counter(texts)
    assert all(counts[text] == 1 for text in SHARED)
    assert result.findings == ()
    times = [m.time.local.strftime("%m-%d %H:%M") for m in result.transcript.messages]
    assert times == ["06-12 19:20"] * 4 + ["06-12 19:31"] * 4 + ["06-13 10:02"] * 3
    assert [s.text.replace(" ", "") for s in result.transcript.separators] == [
        "2025-06-1219:20",
        "2025-06-1219:31",
        "2025-06-1310:02",
    ]
    phone = next(m for m in result.transcript.messages if m.text == "13812345678")
    assert phone.side is Side.ME and names[phone.shot] == PART2


def altered(image: Image.Image) -> Image.Image:
    """Part 1 with the shared separator's time changed from 19:31 to 19:34 (its last digit)."""
    copy = image.copy()
    draw = ImageDraw.Draw(copy)
    background = copy.getpixel((600, 1050))
    draw.rectangle((638, 1000, 664, 1036), fill=background)
    draw.text((641, 1003), "4", fill=(153, 153, 153), font=ImageFont.load_default(size=27))
    return copy


def test_an_altered_overlap_is_a_finding_with_its_place(
    corpus_images: dict[str, Image.Image], chats: dict[str, ChatTranscript]
) -> None:
    result = stitch(
        [altered(corpus_images[PART1]), corpus_images[PART2]], [chats[PART1], chats[PART2]]
    )
    (finding,) = result.findings
    assert finding.code == "stitch.overlap_differs" and finding.severity == "warning"
    assert (finding.upper, finding.lower) == (0, 1)
    (box,) = finding.upper_boxes
    assert 995 <= box[1] < box[3] <= 1045 and 630 <= box[0] < box[2] <= 670
    (lower_box,) = finding.lower_boxes
    assert lower_box[1] == box[1] - 740 and lower_box[3] == box[3] - 740
    assert finding.title_zh and finding.explanation_en and finding.false_positives_zh
    # the transcript is still joined, each shared message once
    assert Counter(m.text for m in result.transcript.messages)[SHARED[1]] == 1


def test_recompression_is_not_a_finding(
    corpus_images: dict[str, Image.Image], chats: dict[str, ChatTranscript]
) -> None:
    buffer = io.BytesIO()
    corpus_images[PART1].save(buffer, "JPEG", quality=75)
    jpeg = Image.open(io.BytesIO(buffer.getvalue()))
    result = stitch([jpeg, corpus_images[PART2]], [chats[PART1], chats[PART2]])
    assert result.findings == () and len(result.transcript.messages) == 11


def test_same_messages_redrawn_are_lined_up_by_text_and_flagged(
    corpus_images: dict[str, Image.Image], chats: dict[str, ChatTranscript]
) -> None:
    """Part 1 redrawn 3 pixels to the right: no pixel rows agree, the OCR text still does."""
    shifted = Image.new("RGB", (1080, 2340), (236, 236, 236))
    shifted.paste(corpus_images[PART1], (3, 0))
    moved = replace(
        chats[PART1],
        messages=tuple(
            replace(m, box=(m.box[0] + 3, m.box[1], m.box[2] + 3, m.box[3]))
            for m in chats[PART1].messages
        ),
    )
    result = stitch([shifted, corpus_images[PART2]], [moved, chats[PART2]])
    (finding,) = result.findings
    assert finding.code == "stitch.overlap_rerendered"
    assert result.overlaps[0].method == "text" and abs(result.overlaps[0].offset - 740) <= 4
    assert Counter(m.text for m in result.transcript.messages)[SHARED[0]] == 1


def test_unrelated_screenshots_do_not_overlap(
    corpus_images: dict[str, Image.Image], chats: dict[str, ChatTranscript]
) -> None:
    blank = Image.new("RGB", (1080, 2340), (236, 236, 236))
    assert find_overlap(blank, corpus_images[PART1]) is None
    empty = ChatTranscript((), (), width=1080, height=2340)
    result = stitch([corpus_images[PART1], blank], [chats[PART1], empty])
    assert result.overlaps == () and result.findings == () and result.order == (0, 1)
    assert len(result.transcript.messages) == len(chats[PART1].messages)


def test_parts_that_share_nothing_are_ordered_by_their_times() -> None:
    def chat(text: str, hour: int) -> ChatTranscript:
        when = CaptureTime(datetime(2025, 6, 12, hour, 0), 480, TimeSource.OCR, "medium")
        message = ChatMessage(Side.OTHER, text, when, (186, 400, 500, 446))
        return ChatTranscript((message,), (), width=1080, height=2340)

    later = Image.new("RGB", (1080, 2340), (236, 236, 236))
    earlier = Image.new("RGB", (1080, 2340), (240, 240, 240))
    result = stitch([later, earlier], [chat("明天发货", 20), chat("在吗", 9)])
    assert result.order == (1, 0) and result.overlaps == ()
    assert [m.text for m in result.transcript.messages] == ["在吗", "明天发货"]
    assert [m.shot for m in result.transcript.messages] == [1, 0]
