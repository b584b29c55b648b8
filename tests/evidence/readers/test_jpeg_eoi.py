"""The end of a JPEG's picture is found where a byte search finds it, across chunk borders."""

from __future__ import annotations

import mmap
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.evidence.readers import jpeg


def _both(tmp_path: Path, data: bytes, start: int) -> tuple[int, int]:
    path = tmp_path / "x.bin"
    path.write_bytes(data)
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        return jpeg._find_eoi(mm, start), mm.find(b"\xff\xd9", start)


@settings(max_examples=200, deadline=None)
@given(
    data=st.lists(st.sampled_from([0x00, 0xFF, 0xD9, 0xD0, 0x12]), min_size=1, max_size=80),
    start=st.integers(min_value=0, max_value=90),
    chunk=st.integers(min_value=1, max_value=9),
)
def test_found_where_a_byte_search_finds_it(
    tmp_path_factory: pytest.TempPathFactory, data: list[int], start: int, chunk: int
) -> None:
    monkey = pytest.MonkeyPatch()
    monkey.setattr(jpeg, "_EOI_CHUNK", chunk)  # pairs across many chunk borders
    try:
        found, expected = _both(tmp_path_factory.mktemp("eoi"), bytes(data), start)
    finally:
        monkey.undo()
    assert found == expected


def test_a_camera_like_scan(tmp_path: Path) -> None:
    """FF 00 stuffing and restart markers all through, the end marker last, then a trailer."""
    rng = random.Random(5)
    scan = bytearray()
    for n in range(20000):
        scan += bytes(rng.randrange(255) for _ in range(7)) + b"\xff\x00"
        if n % 500 == 499:
            scan += bytes([0xFF, 0xD0 + (n // 500) % 8])
    data = b"\xff\xd8" + bytes(scan) + b"\xff\xd9" + b"trailer\xff\xd9"
    found, expected = _both(tmp_path, data, 2)
    assert found == expected == 2 + len(scan)
