"""Decoding files and clipboard text, normalising width, and reading printed times."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.evidence.errors import InputError, UnsupportedFormat
from app.evidence.tracking import MAX_INPUT_BYTES, decode_text, parse_tracking, parse_tracking_bytes
from app.evidence.tracking.text import find_time, normalise_line

SF_SAMPLE = "synthetic/tracking/sf_not_received.txt"


@pytest.fixture
def sf_text(corpus: Path) -> str:
    return (corpus / SF_SAMPLE).read_text(encoding="utf-8")


def _normalised(text: str) -> str:
    return "\n".join(normalise_line(line) for line in text.split("\n"))


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: s.encode("utf-8-sig"),
        lambda s: s.encode("utf-16"),  # LE with BOM, what Windows Notepad writes as "Unicode"
        lambda s: b"\xfe\xff" + s.encode("utf-16-be"),
        lambda s: s.encode("utf-32"),
        lambda s: s.encode("gbk"),
        lambda s: s.encode("gb18030"),
        lambda s: s.encode("utf-16-le"),  # no BOM: spotted from the NUL bytes of the digits
    ],
    ids=[
        "utf8",
        "utf8_bom",
        "utf16le_bom",
        "utf16be_bom",
        "utf32_bom",
        "gbk",
        "gb18030",
        "utf16le",
    ],
)
def test_decodes_every_common_encoding(sf_text: str, encode) -> None:
    assert decode_text(encode(sf_text)) == _normalised(sf_text)


def test_gbk_file_parses_like_the_utf8_one(sf_text: str) -> None:
    from_gbk = parse_tracking_bytes(sf_text.encode("gbk"))
    from_utf16 = parse_tracking_bytes(sf_text.encode("utf-16"))
    assert from_gbk == from_utf16
    assert from_gbk.carrier_code == "SF"
    assert len(from_gbk.events) == 8


def test_crlf_and_cr_line_ends() -> None:
    assert decode_text(b"a\r\nb\rc\n") == "a\nb\nc\n"


def test_full_width_digits_colons_and_spaces_are_folded() -> None:
    text = (
        "２０２５－０６－０９　１８：４２：１１　"
        "运单号：ＳＦ１４０２２８７５５１２３４【杭州】（１３９＊＊＊＊２４６８）"
    )
    assert decode_text(text.encode("utf-8")) == (
        "2025-06-09 18:42:11 运单号:SF1402287551234【杭州】（139****2468）"
    )
    record = parse_tracking(text)
    assert record.events[0].time is not None
    assert record.events[0].time.local.isoformat() == "2025-06-09T18:42:11"
    assert record.tracking_number == "SF1402287551234"
    assert record.events[0].raw_line == text  # the event keeps the line as pasted


def test_chinese_punctuation_and_emoji_stay_readable() -> None:
    line = "快件到达【杭州】，请注意！（谢谢）🚚📦"
    assert normalise_line(line) == line
    record = parse_tracking("2025-06-09 18:42:11 " + line)
    assert record.events[0].location == "杭州"
    assert record.events[0].description.endswith("🚚📦")


def test_invisible_characters_are_dropped() -> None:
    assert normalise_line("2025-06-09\u00a018:42\u200b\ufeff 已揽收") == "2025-06-09 18:42 已揽收"


def test_html_page_is_reduced_to_its_visible_lines() -> None:
    page = """<!DOCTYPE html><html><head><style>li{color:red}</style>
    <script>var row = "<li>2020-01-01 00:00:00 fake</li>";</script></head><body>
    <!-- <li>2020-01-01 00:00:00 commented out</li> -->
    <ul class="trace">
      <li><span class="time">2025-06-09 18:42:11</span><span>顺丰速运 已收取快件</span></li>
      <li><span>2025-06-10 07:20:44</span>
      <span>快件到达&nbsp;【杭州西湖营业点】 &amp; 分拣</span></li>
    </ul>
    <table><tr><td>2025-06-11 21:40:05</td>
    <td>您的快件已<font color=red>签收</font></td></tr></table>
    </body></html>"""
    text = decode_text(page.encode("utf-8"))
    for hidden in ("fake", "commented", "color:red", "<", "&nbsp;", "&amp;"):
        assert hidden not in text
    record = parse_tracking(text)
    scans = [e for e in record.events if e.time is not None]
    assert [e.kind.value for e in scans] == ["pickup", "arrived", "signed"]
    assert scans[1].description == "快件到达 【杭州西湖营业点】 & 分拣"
    assert scans[2].description == "您的快件已签收"


def test_ten_megabytes_of_junk_is_refused_cleanly(language) -> None:
    junk = os.urandom(10 * 1024 * 1024)
    with pytest.raises(InputError, match="limit") as refused:
        language("en")
        decode_text(junk)
    language("zh_CN")
    assert "上限是 5,242,880 字节" in str(refused.value)
    with pytest.raises(InputError):
        parse_tracking_bytes(junk)
    with pytest.raises(InputError):
        parse_tracking("x" * (MAX_INPUT_BYTES + 1))


def test_binary_data_is_not_text() -> None:
    png_like = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64
    with pytest.raises(UnsupportedFormat):
        decode_text(png_like)


def test_empty_input_gives_an_empty_record() -> None:
    assert decode_text(b"") == ""
    for record in (parse_tracking(""), parse_tracking_bytes(b""), parse_tracking("\n \n\t\n")):
        assert record.events == ()
        assert record.flags == ()
        assert record.tracking_number is None


def test_text_without_scans_is_kept_as_text_lines() -> None:
    record = parse_tracking("hello\n这不是物流信息\n")
    assert [e.kind.value for e in record.events] == ["text", "text"]
    assert [e.raw_line for e in record.events] == ["hello", "这不是物流信息"]
    assert record.flag_codes() == ("no_events",)


@pytest.mark.parametrize(
    ("line", "printed", "parts"),
    [
        ("2025-06-09 18:42:11  已收取", "2025-06-09 18:42:11", (2025, 6, 9, None, 18, 42, 11)),
        ("2025/06/09 18:42 已收取", "2025/06/09 18:42", (2025, 6, 9, None, 18, 42, 0)),
        ("2025-6-9 8:02 已收取", "2025-6-9 8:02", (2025, 6, 9, None, 8, 2, 0)),
        ("2025.06.09 08:02 已收取", "2025.06.09 08:02", (2025, 6, 9, None, 8, 2, 0)),
        ("2025年6月9日 08:02 已收取", "2025年6月9日 08:02", (2025, 6, 9, None, 8, 2, 0)),
        ("2025年6月9日08:02 已收取", "2025年6月9日08:02", (2025, 6, 9, None, 8, 2, 0)),
        ("06-14 02:49  货物已到达", "06-14 02:49", (None, 6, 14, None, 2, 49, 0)),
        ("今天 12:31 已签收", "今天 12:31", (None, None, None, 0, 12, 31, 0)),
        ("昨天18:20 已签收", "昨天18:20", (None, None, None, 1, 18, 20, 0)),
        ("前天 07:05:09 已签收", "前天 07:05:09", (None, None, None, 2, 7, 5, 9)),
        ("2025-06-10 周二 08:02:09 派件", "2025-06-10 周二 08:02:09", (2025, 6, 10, None, 8, 2, 9)),
        ("06-10 星期二 08:02 派件", "06-10 星期二 08:02", (None, 6, 10, None, 8, 2, 0)),
        (
            "由【宁波】发往【宁波中转部】   2016-5-12  16:45:5",
            "2016-5-12  16:45:5",
            (2016, 5, 12, None, 16, 45, 5),
        ),
        ("- 2025-06-09 18:42:11 | 已收取", "2025-06-09 18:42:11", (2025, 6, 9, None, 18, 42, 11)),
    ],
)
def test_find_time_formats(line: str, printed: str, parts: tuple) -> None:
    found = find_time(line)
    assert found is not None
    assert found.text == printed
    assert (found.year, found.month, found.day, found.relative_days) == parts[:4]
    assert (found.hour, found.minute, found.second) == parts[4:]


def test_printed_offset_is_kept() -> None:
    found = find_time("2025-06-09T10:42:11Z 已收取")
    assert found is not None and found.offset_minutes == 0
    found = find_time("2025-06-09T18:42:11+08:00 已收取")
    assert found is not None and found.offset_minutes == 480


@pytest.mark.parametrize(
    "line",
    [
        "2025-13-01 10:00 impossible month",
        "2025-02-30 10:00 impossible day",
        "2025-06-09 24:00 impossible hour",
        "2025-06-09 已收取",  # a date without a time is not an event time
        "12:00 已收取",
        "预计 06-12 18:00 前送达",  # a time mid-sentence is part of the text
        "单号 1234567890123 已收取",
    ],
)
def test_find_time_rejects(line: str) -> None:
    assert find_time(line) is None
