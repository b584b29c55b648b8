"""The readers' English time notes as a Chinese window shows them."""

from __future__ import annotations

import re

from app.evidence.readers.time_notes import time_note_text

NOTES = [
    "no time zone in the file; +02:00 worked out from the GPS time stamp (UTC), which is 3 s away "
    "from that offset",
    "com.apple.quicktime.creationdate with its offset",
    "com.apple.quicktime.creationdate without a time zone",
    "DateTimeOriginal with its offset",
    "no time zone in the file",
    "no time zone in the file; the GPS time stamp does not fit any time zone, so it was not used",
    "DateTimeOriginal has no time zone; the XMP copy of the same time (exif:DateTimeOriginal) "
    "carries it",
    "from exif:DateTimeOriginal in the XMP metadata; no time zone in the file",
    "from PNG text 'Creation Time'",
    "file modification time: copying, downloading and chat apps change it",
    "container creation time: UTC by the MP4/QuickTime standard, so the instant is known but the "
    "local time zone",
]


def test_every_known_note_reads_in_chinese_without_identifiers() -> None:
    for note in NOTES:
        text = time_note_text(note, "zh_CN")
        assert text and re.search(r"[\u4e00-\u9fff]", text), note
        assert "com.apple" not in text and "worked out" not in text, text
    assert "+02:00" in time_note_text(NOTES[0], "zh_CN") and "3 秒" in time_note_text(
        NOTES[0], "zh_CN"
    )


def test_english_unchanged_and_unknown_left_out_in_chinese() -> None:
    assert time_note_text(NOTES[1], "en") == NOTES[1]
    assert time_note_text("some future reader note", "zh_CN") == ""
    assert time_note_text("照片水印显示 6月12日", "zh_CN") == "照片水印显示 6月12日"
