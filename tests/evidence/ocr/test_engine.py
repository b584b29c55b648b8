"""OCR of screenshots: what the real engine reads on the corpus, long screenshots, bad input."""

from __future__ import annotations

import io
import struct
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from app.evidence.errors import (
    Cancelled,
    DamagedFile,
    DecompressionBomb,
    EmptyFile,
    UnsupportedFormat,
)
from app.evidence.ocr.engine import OcrResult, recognize
from app.evidence.ocr.image import plan_tiles
from app.evidence.progress import CancelToken
from tests.evidence.ocr.conftest import NETWORK_ATTEMPTS, CountingBackend, no_network


def squeezed(result: OcrResult) -> str:
    """All text without whitespace (OCR drops or keeps the space in '2025-06-12 19:31')."""
    return "".join(result.text.split())


def test_reads_the_key_fields_of_the_corpus_chat(corpus_ocr: dict[str, OcrResult]) -> None:
    part1, part2 = squeezed(corpus_ocr["chat_part1.png"]), squeezed(corpus_ocr["chat_part2.png"])
    assert "13812345678" in part2
    # the tracking number wraps inside its bubble: SF12 / 34567890123
    assert "SF1234567890123" in part2
    for separator in ("2025-06-1219:20", "2025-06-1219:31"):
        assert separator in part1
    for separator in ("2025-06-1219:31", "2025-06-1310:02"):
        assert separator in part2
    assert "那您留个电话，我们客服联系您" in part1 and "那您留个电话，我们客服联系您" in part2


def test_boxes_are_in_image_pixels(corpus_ocr: dict[str, OcrResult]) -> None:
    result = corpus_ocr["chat_part2.png"]
    assert (result.width, result.height) == (1080, 2340)
    phone = next(line for line in result.lines if line.text == "13812345678")
    x0, y0, x1, y1 = phone.box
    # the user's bubble on the right, in the upper half of the screen
    assert 600 < x0 < x1 <= 1000 and 800 < y0 < y1 < 1000
    assert phone.score > 0.9
    assert "rapidocr" in result.engine_version


def test_ocr_never_touches_the_network(corpus_ocr: dict[str, OcrResult]) -> None:
    assert corpus_ocr and NETWORK_ATTEMPTS == []


def test_a_screenshot_without_text_has_no_lines(backend) -> None:
    blank = Image.new("RGB", (1080, 2340), (236, 236, 236))
    assert recognize(blank, backend=backend).lines == ()
    # the engine itself, on an image with shapes but no text, also returns nothing
    shapes = Image.new("RGB", (1080, 1200), (236, 236, 236))
    ImageDraw.Draw(shapes).ellipse((40, 40, 140, 140), fill=(240, 120, 40))
    assert list(backend.recognize(np.asarray(shapes)[:, :, ::-1].copy())) == []


def test_long_screenshot_is_read_in_tiles_once_per_line(
    backend, corpus_images: dict[str, Image.Image]
) -> None:
    """1080x20000: chat crops at the top, across a tile seam and at the bottom, blank between."""
    crop = corpus_images["chat_part2.png"].crop(
        (0, 840, 1080, 1540)
    )  # phone, 10:02, SF number, 随便
    long = Image.new("RGB", (1080, 20_000), (236, 236, 236))
    seam = plan_tiles(1080, 20_000)[3].top
    tops = [300, seam - 300, 19_200]
    for top in tops:
        long.paste(crop, (0, top))
    spy = CountingBackendSpy(backend)
    with no_network():
        result = recognize(long, backend=spy)
    counts = Counter(line.text for line in result.lines)
    assert counts["13812345678"] == 3
    assert counts["随便"] == 3
    phones = sorted(line.box[1] for line in result.lines if line.text == "13812345678")
    shifts = [y - top for y, top in zip(phones, tops, strict=True)]
    assert (
        max(shifts) - min(shifts) <= 6
    )  # same place in each crop (detection jitters a pixel or two)
    assert spy.largest_tile <= 1080 * 2160 * 3  # memory bounded by one tile, not the image
    assert NETWORK_ATTEMPTS == []


class CountingBackendSpy:
    """Wraps a backend to record the largest array it was given."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.version = inner.version
        self.largest_tile = 0

    def recognize(self, bgr: np.ndarray):
        self.largest_tile = max(self.largest_tile, bgr.nbytes)
        return self.inner.recognize(bgr)


def test_tiles_keep_every_line_once_with_image_coordinates(
    counting_backend: CountingBackend,
) -> None:
    long = Image.new("RGB", (1080, 20_000), (250, 250, 250))
    draw = ImageDraw.Draw(long)
    tiles = plan_tiles(1080, 20_000)[1:]
    # one bar cut by each tile's top edge, one centred just either side of where two tiles split
    bars = [(t.top - 20 + k * 3, 10 + k) for k, t in enumerate(tiles)]
    bars += [(t.keep_from - 20 + (15 if k % 2 else -15), 40 + k) for k, t in enumerate(tiles)]
    bars += [(50, 90), (19_900, 91)]
    for top, level in bars:
        draw.rectangle((200, top, 700, top + 40), fill=(level, level, level))
    result = recognize(long, backend=counting_backend)
    assert sorted((ln.text, ln.box) for ln in result.lines) == sorted(
        (f"bar{level}", (200, top, 701, top + 41)) for top, level in bars
    )
    assert counting_backend.calls == len(plan_tiles(1080, 20_000))


def test_a_phone_screenshot_is_one_tile() -> None:
    assert len(plan_tiles(1080, 2340)) == 1
    assert len(plan_tiles(1440, 3200)) == 1


def test_cancel_stops_between_tiles(counting_backend: CountingBackend) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        recognize(Image.new("RGB", (1080, 9000), "white"), backend=counting_backend, cancel=token)


def png_declaring(width: int, height: int) -> bytes:
    """A PNG header declaring a size, with a tiny (wrong) body."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 10))
        + chunk(b"IEND", b"")
    )


def test_bad_input_raises_input_errors(tmp_path: Path, screenshots: dict[str, Path]) -> None:
    backend = CountingBackend()
    with pytest.raises(EmptyFile):
        recognize(b"", backend=backend)
    with pytest.raises(UnsupportedFormat):
        recognize(b"this is not an image at all" * 100, backend=backend)
    whole = screenshots["chat_part1.png"].read_bytes()
    with pytest.raises(DamagedFile):
        recognize(whole[: len(whole) // 2], backend=backend)
    with pytest.raises(DamagedFile):
        recognize(png_declaring(1080, 2340), backend=backend)
    with pytest.raises(DecompressionBomb):
        recognize(png_declaring(60_000, 60_000), backend=backend)
    assert backend.calls == 0


def test_accepts_paths_bytes_and_images(screenshots: dict[str, Path]) -> None:
    backend = CountingBackend(lines=[([0, 0, 10, 10], "x", 0.9)])
    path = screenshots["chat_part1.png"]
    buffer = io.BytesIO()
    Image.open(path).save(buffer, "WEBP", quality=80)
    for source in (path, str(path), path.read_bytes(), Image.open(path), buffer.getvalue()):
        assert recognize(source, backend=backend).lines[0].text == "x"


@settings(max_examples=200, deadline=None)
@given(st.integers(100, 3000), st.integers(1, 80_000))
def test_tiles_cover_the_image_and_split_it_without_gaps(width: int, height: int) -> None:
    tiles = plan_tiles(width, height)
    assert tiles[0].top == 0 and tiles[-1].bottom == height
    assert tiles[0].keep_from == 0 and tiles[-1].keep_to == height
    for before, after in zip(tiles, tiles[1:], strict=False):
        assert before.keep_to == after.keep_from  # every centre belongs to exactly one tile
        # a line of up to 80 px centred near the split lies whole in the tile that keeps it
        assert after.top + 80 <= after.keep_from <= before.bottom - 80
    assert all(t.bottom - t.top <= max(1600, int(2.4 * width)) for t in tiles)
