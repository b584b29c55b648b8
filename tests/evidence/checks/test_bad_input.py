"""Malformed and hostile input: a finding or `unreadable`, never an exception, always quick."""

from __future__ import annotations

import struct
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.evidence.checks import Verdict, check_file, exit_code, iter_check_paths, report_json
from app.evidence.readers.mp4box import read_mp4_structure

ORIGINAL = "photos/originals/canon-ixus.jpg"
VIDEO = "synthetic/videos/packing_android_sf.mp4"


def _ftyp() -> bytes:
    return struct.pack(">I4s4sI4s", 20, b"ftyp", b"isom", 0, b"isom")


def _nested(depth: int, inner: bytes = b"udta") -> bytes:
    size = 8 * depth + 8
    outer = [b"moov", b"trak"] if inner == b"mdia" else [b"moov"]
    kinds = [outer[i] if i < len(outer) else inner for i in range(depth)]
    parts = [struct.pack(">I4s", size - 8 * i, kind) for i, kind in enumerate(kinds)]
    return _ftyp() + b"".join(parts) + b"\x00" * 8


def test_deeply_nested_boxes(tmp_path: Path) -> None:
    for inner in (b"udta", b"mdia", b"meta"):
        path = tmp_path / f"deep_{inner.decode()}.mp4"
        path.write_bytes(_nested(65535, inner))
        start = time.perf_counter()
        result = check_file(path)
        assert time.perf_counter() - start < 5
        assert result.verdict in set(Verdict)
        box = read_mp4_structure(path)
        assert box.problems  # said what it could not walk


def test_box_larger_than_the_file(tmp_path: Path, corpus: Path) -> None:
    data = bytearray((corpus / VIDEO).read_bytes())
    moov = data.find(b"moov") - 4
    struct.pack_into(">I", data, moov, 0xFFFFFFF0)
    path = tmp_path / "oversize.mp4"
    path.write_bytes(bytes(data))
    result = check_file(path)
    assert result.verdict in set(Verdict)
    assert any("more bytes than the file" in p for p in read_mp4_structure(path).problems)
    huge = tmp_path / "huge64.mp4"
    huge.write_bytes(_ftyp() + struct.pack(">I4sQ", 1, b"moov", 2**63) + b"\x00" * 64)
    assert check_file(huge).verdict in set(Verdict)


def test_inner_box_overruns_its_parent(tmp_path: Path) -> None:
    trak = struct.pack(">I4s", 0x7FFFFFFF, b"trak")
    path = tmp_path / "overrun.mp4"
    path.write_bytes(_ftyp() + struct.pack(">I4s", 8 + len(trak) + 16, b"moov") + trak + b"\0" * 16)
    assert any("container" in p for p in read_mp4_structure(path).problems)
    assert check_file(path).verdict in set(Verdict)


def test_malformed_exif_block(tmp_path: Path, corpus: Path) -> None:
    data = bytearray((corpus / ORIGINAL).read_bytes())
    start = data.find(b"Exif\x00\x00") + 6
    for offset in range(start + 8, start + 400, 7):  # scribble over IFD0's entries
        data[offset] = 0xFF
    path = tmp_path / "bad_exif.jpg"
    path.write_bytes(bytes(data))
    result = check_file(path)
    assert result.verdict in set(Verdict) and result.findings


def test_truncated_and_empty_files(tmp_path: Path, corpus: Path) -> None:
    data = (corpus / ORIGINAL).read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: len(data) // 3])
    assert check_file(cut).verdict in set(Verdict)
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    result = check_file(empty)
    assert result.verdict == Verdict.UNREADABLE
    assert result.findings[0].code == "unreadable"
    header_only = tmp_path / "header.jpg"
    header_only.write_bytes(data[:2000])
    assert check_file(header_only).verdict in set(Verdict)


def test_missing_paths_and_exit_codes(tmp_path: Path, corpus: Path) -> None:
    good = tmp_path / "a.jpg"
    good.write_bytes((corpus / ORIGINAL).read_bytes())
    results = list(iter_check_paths([good, tmp_path / "missing.jpg"]))
    assert [r.verdict for r in results].count(Verdict.UNREADABLE) == 1
    assert exit_code(results) == 2
    assert exit_code(results[1:] if results[0].verdict == Verdict.UNREADABLE else results[:1]) == 0
    assert set(report_json(results)) == {"files"}


def test_unsupported_content(tmp_path: Path) -> None:
    path = tmp_path / "noise.bin"
    path.write_bytes(bytes(range(256)) * 8)
    result = check_file(path)
    assert result.verdict == Verdict.UNREADABLE and result.kind is None


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    prefix=st.sampled_from(
        [b"\xff\xd8\xff\xe1", b"\x89PNG\r\n\x1a\n", _ftyp(), b"RIFF\0\0\0\0WEBP"]
    ),
    body=st.binary(min_size=0, max_size=600),
)
def test_random_bytes_never_raise(tmp_path: Path, prefix: bytes, body: bytes) -> None:
    path = tmp_path / "fuzz.bin"
    path.write_bytes(prefix + body)
    assert check_file(path).verdict in set(Verdict)


@pytest.mark.parametrize("corrupt_at", [0.2, 0.5, 0.9])
def test_corrupted_video_bytes(tmp_path: Path, corpus: Path, corrupt_at: float) -> None:
    data = bytearray((corpus / VIDEO).read_bytes())
    at = int(len(data) * corrupt_at)
    data[at : at + 64] = b"\xff" * 64
    moov = data.find(b"moov")
    data[moov + 20 : moov + 60] = b"\x00\xff" * 20  # damage the movie header too
    path = tmp_path / "damaged.mp4"
    path.write_bytes(bytes(data))
    assert check_file(path).verdict in set(Verdict)


def test_folder_walk_keeps_order_and_can_be_cancelled(corpus: Path) -> None:
    from app.evidence.errors import Cancelled
    from app.evidence.progress import CancelToken

    folder = corpus / "photos" / "originals"
    serial = [r.path for r in iter_check_paths([folder], workers=1)]
    parallel = [r.path for r in iter_check_paths([folder], workers=2)]
    assert serial == parallel == sorted(serial)
    token, seen = CancelToken(), []
    with pytest.raises(Cancelled):
        for result in iter_check_paths([corpus / "photos"], cancel=token):
            seen.append(result)
            token.cancel()
    assert len(seen) == 1
