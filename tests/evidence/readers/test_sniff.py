"""Kinds come from content, never from the file name."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evidence.errors import UnsupportedFormat
from app.evidence.readers.sniff import HEADER_BYTES, sniff


@pytest.mark.parametrize(
    ("rel", "fmt", "family"),
    [
        ("photos/originals/canon-ixus.jpg", "jpeg", "image"),
        ("photos/originals/orientation_6.heic", "heif", "image"),
        ("synthetic/screenshots/chat_part1.png", "png", "image"),
        ("synthetic/videos/packing_android_sf.mp4", "mp4", "video"),
        ("synthetic/videos/unboxing_iphone_zto.mov", "mov", "video"),
        ("synthetic/tracking/sf_not_received.txt", "text", "text"),
    ],
)
def test_corpus_formats(corpus: Path, rel: str, fmt: str, family: str) -> None:
    head = (corpus / rel).read_bytes()[:HEADER_BYTES]
    sniffed = sniff(head, rel)
    assert (sniffed.format, sniffed.family) == (fmt, family)


def test_name_is_ignored(corpus: Path) -> None:
    png = (corpus / "synthetic/screenshots/chat_part1.png").read_bytes()[:HEADER_BYTES]
    assert sniff(png, "photo.jpg").format == "png"


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"RIFF\x00\x00\x00\x00AVI LIST", "avi"),
        (b"\x1a\x45\xdf\xa3\x01\x00", "mkv"),
        (b"\x00\x00\x00\x18ftyp3gp4\x00\x00\x00\x00isom3gp4", "3gp"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", "heif"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", "mov"),
        (b"%PDF-1.7\n", "pdf"),
        ("2025-06-10 08:02 快件交给王**，正在派送途中".encode("gb18030"), "text"),
        ("\ufeff运单号".encode("utf-16"), "text"),
    ],
)
def test_magic_bytes(head: bytes, fmt: str) -> None:
    assert sniff(head).format == fmt


@pytest.mark.parametrize(
    "head", [bytes(range(256)), b"\x00\x01\x02\x03" * 40, b"MZ\x90\x00" + bytes(100)]
)
def test_binary_junk_is_unsupported(head: bytes) -> None:
    with pytest.raises(UnsupportedFormat):
        sniff(head, "junk.jpg")
