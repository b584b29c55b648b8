"""read_video on the synthetic phone videos and on damaged or foreign files."""

from __future__ import annotations

import shutil
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.evidence.errors import DamagedFile, EmptyFile, UnreadableFile, UnsupportedFormat
from app.evidence.models import TimeSource
from app.evidence.readers.video import parse_iso6709, read_video

VIDEOS = "synthetic/videos"


def test_android_packing_video(corpus: Path) -> None:
    meta = read_video(corpus / VIDEOS / "packing_android_sf.mp4")
    assert (meta.format, meta.mime) == ("mp4", "video/mp4")
    assert meta.android_keys == {"com.android.version": "14"}
    assert meta.quicktime_keys == {}
    assert meta.encoder is None  # a phone writes no Lavf tag
    assert meta.container_created_utc == datetime(2025, 6, 9, 2, 15, 7, tzinfo=UTC)
    assert (meta.width, meta.height, meta.rotation) == (1280, 720, 0)
    assert (meta.duration_ms, meta.video_codec, meta.frame_rate) == (10000, "AVC", 30.0)
    assert meta.gps is not None
    assert (meta.gps.latitude, meta.gps.longitude) == pytest.approx((30.2741, 120.1551))
    ct = meta.capture_time
    assert ct is not None and ct.source is TimeSource.CONTAINER
    assert (ct.offset_minutes, ct.confidence) == (0, "medium")
    assert "UTC" in ct.note and "time zone" in ct.note


def test_iphone_unboxing_creationdate_matches_container(corpus: Path) -> None:
    meta = read_video(corpus / VIDEOS / "unboxing_iphone_zto.mov")
    assert (meta.format, meta.mime) == ("mov", "video/quicktime")
    assert meta.quicktime_keys["com.apple.quicktime.creationdate"] == "2025-06-12T19:03:11+0800"
    assert set(meta.quicktime_keys) >= {
        "com.apple.quicktime.make",
        "com.apple.quicktime.model",
        "com.apple.quicktime.software",
        "com.apple.quicktime.location.ISO6709",
    }
    assert (meta.make, meta.model, meta.software) == ("Apple", "iPhone 13", "17.5.1")
    ct = meta.capture_time
    assert ct is not None and ct.source is TimeSource.QUICKTIME and ct.confidence == "high"
    assert ct.isoformat() == "2025-06-12T19:03:11+08:00"
    assert ct.utc() == meta.container_created_utc
    assert meta.gps is not None and meta.gps.altitude_m == 12.0


def test_reencoded_copy_shows_lavf_and_x264(corpus: Path) -> None:
    meta = read_video(corpus / VIDEOS / "packing_reencoded_lavf.mp4")
    assert meta.encoder is not None and meta.encoder.startswith("Lavf")
    assert meta.writing_library is not None and "x264" in meta.writing_library
    assert meta.container_created_utc is None and meta.capture_time is None
    assert meta.android_keys == {} and meta.gps is None


def test_trimmed_copy_is_shorter_and_stripped(corpus: Path) -> None:
    meta = read_video(corpus / VIDEOS / "unboxing_trimmed_copy.mov")
    assert meta.encoder is not None and meta.encoder.startswith("Lavf")
    assert meta.duration_ms == 4100
    assert meta.quicktime_keys == {} and meta.container_created_utc is None


def test_rotation_is_clockwise_degrees(corpus_copy) -> None:
    path = corpus_copy(f"{VIDEOS}/packing_android_sf.mp4")
    set_rotation(path, 90)
    meta = read_video(path)
    assert (meta.rotation, meta.width, meta.height) == (90, 1280, 720)


def test_zeroed_creation_times_mean_missing(corpus_copy) -> None:
    path = corpus_copy(f"{VIDEOS}/packing_android_sf.mp4")
    data = bytearray(path.read_bytes())
    for box in (b"mvhd", b"tkhd", b"mdhd"):  # 1904-01-01, what re-muxers leave behind
        pos = data.find(box)
        struct.pack_into(">I", data, pos + 8, 0)
    path.write_bytes(bytes(data))
    meta = read_video(path)
    assert meta.container_created_utc is None and meta.capture_time is None


def test_same_bytes_same_metadata(corpus: Path, tmp_path: Path) -> None:
    first = tmp_path / "a.mp4"
    second = tmp_path / "sub" / "另一个名字.MP4"
    second.parent.mkdir()
    shutil.copyfile(corpus / VIDEOS / "packing_android_sf.mp4", first)
    shutil.copyfile(first, second)
    assert read_video(first) == read_video(second)
    assert not any(str(tmp_path) in value for value in read_video(first).raw.values())


def test_raw_is_flat_and_bounded(corpus: Path) -> None:
    meta = read_video(corpus / VIDEOS / "unboxing_iphone_zto.mov")
    assert meta.raw["General.Format"] == "MPEG-4"
    assert meta.raw["Video.Format"] == "AVC"
    assert "General.extra.com_apple_quicktime_make" in meta.raw
    assert len(meta.raw) <= 600 and all(len(v) <= 256 for v in meta.raw.values())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+31.2304+121.4737+10.000/", (31.2304, 121.4737, 10.0)),
        ("+30.2741+120.1551/", (30.2741, 120.1551, None)),
        ("-33.8688+151.2093+012.000/", (-33.8688, 151.2093, 12.0)),
        ("+402646-0034329/", (40.446111, -3.724722, None)),
        ("+4026.77-00343.49/", (40.446167, -3.724833, None)),
    ],
)
def test_iso6709(text: str, expected: tuple[float, float, float | None]) -> None:
    gps = parse_iso6709(text)
    assert gps is not None
    assert (gps.latitude, gps.longitude) == pytest.approx(expected[:2], abs=1e-5)
    assert gps.altitude_m == expected[2]


@pytest.mark.parametrize("text", ["", "abc", "+91.0+10.0/", "+10.0+181.0/", "31.2,121.4"])
def test_iso6709_rejects_nonsense(text: str) -> None:
    assert parse_iso6709(text) is None


def test_truncated_video_is_damaged(corpus_copy) -> None:
    path = corpus_copy(f"{VIDEOS}/packing_android_sf.mp4")
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.3)])  # moov is at the end: cut away
    with pytest.raises(DamagedFile):
        read_video(path)


def test_empty_missing_and_foreign_files(corpus: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFile):
        read_video(empty)
    with pytest.raises(UnreadableFile):
        read_video(tmp_path / "gone.mp4")
    noise = tmp_path / "noise.mp4"
    noise.write_bytes(bytes(range(256)) * 400)
    with pytest.raises(UnsupportedFormat):
        read_video(noise)
    with pytest.raises(UnsupportedFormat):
        read_video(corpus / "photos/originals/sanyo-vpcsx550.jpg")
    text = tmp_path / "tracking.mov"
    text.write_text("中通快递 73190553102532 已签收\n", encoding="utf-8")
    with pytest.raises(UnsupportedFormat):
        read_video(text)


def set_rotation(path: Path, degrees_clockwise: int) -> None:
    """Rewrite the first tkhd display matrix in place (QuickTime layout, 16.16 fixed point)."""
    data = bytearray(path.read_bytes())
    pos = data.find(b"tkhd")
    version = data[pos + 4]
    matrix_at = pos + 8 + (32 if version == 1 else 20) + 8 + 8
    one = 0x10000
    a, b, c, d = {
        0: (one, 0, 0, one),
        90: (0, one, -one, 0),
        180: (-one, 0, 0, -one),
        270: (0, -one, one, 0),
    }[degrees_clockwise]
    struct.pack_into(">9i", data, matrix_at, a, b, 0, c, d, 0, 0, 0, 0x40000000)
    path.write_bytes(bytes(data))
