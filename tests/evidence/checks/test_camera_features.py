"""Camera features stay camera features: motion photos, SEF, gain maps, MPF, HEIC aux, Live."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image

from app.evidence.checks import Severity, Verdict, check_file
from app.evidence.checks.camera_features import (
    GAIN_MAP,
    MOTION_PHOTO,
    MPF_IMAGE,
    SAMSUNG_DATA,
    _aux_types,
    apple_content_identifier,
    heif_features,
    known_trailer,
    live_photo_pairs,
    sef_entries,
)
from app.evidence.checks.model import FileCheck
from app.evidence.models import MediaMetadata
from tests.evidence.checks import phonefiles as pf

pillow_heif.register_heif_opener()

SAMSUNG_CAMERA = [
    (0x0A01, "Image_UTC_Data", b"1705124333853"),
    (0x0AA1, "MCC_Data", b"310"),
    (0x0C61, "Camera_Capture_Mode_Info", b"1"),
]


def _codes(check: FileCheck) -> dict[str, Severity]:
    return {f.code: f.severity for f in check.findings}


# ------------------------------------------------------------------------------- known_trailer


def test_sef_entries_parse_names_types_and_data() -> None:
    block = pf.sef_block(SAMSUNG_CAMERA)
    entries = sef_entries(block)
    assert [e.name for e in entries] == ["Image_UTC_Data", "MCC_Data", "Camera_Capture_Mode_Info"]
    assert entries[0].type == 0x0A01 and entries[0].data == b"1705124333853"


@pytest.mark.parametrize(
    "tail", [b"", b"SEFT", b"garbage" * 10 + b"SEFT", b"\x00" * 8 + b"\xff\xff\xff\x7fSEFT"]
)
def test_sef_entries_malformed_is_empty(tail: bytes) -> None:
    assert sef_entries(tail) == []


def test_known_trailer_samsung_camera_data() -> None:
    assert known_trailer(pf.sef_block(SAMSUNG_CAMERA), None) == SAMSUNG_DATA


def test_known_trailer_samsung_motion_photo() -> None:
    video = pf.mp4_bytes()
    trailer = pf.sef_block([(0x0A30, "MotionPhoto_Data", video), *SAMSUNG_CAMERA])
    assert known_trailer(trailer, None) == MOTION_PHOTO


def test_known_trailer_google_motion_photo_where_xmp_says() -> None:
    video = pf.mp4_bytes()
    assert known_trailer(video, pf.google_motion_xmp(len(video))) == MOTION_PHOTO
    # a gain map first, then the video at the end (Pixel Ultra HDR motion photos)
    both = pf.gain_map_jpeg() + video
    assert known_trailer(both, pf.google_motion_xmp(len(video))) == MOTION_PHOTO


def test_known_trailer_motion_xmp_without_video_is_not_known() -> None:
    assert known_trailer(b"\x12" * 5000, pf.google_motion_xmp(4000)) is None


def test_known_trailer_gain_map_and_mpf() -> None:
    assert known_trailer(pf.gain_map_jpeg(), pf.ultra_hdr_xmp(), mpf=True) == GAIN_MAP
    plain = pf.camera_jpeg(seed=3)
    assert known_trailer(plain, None, mpf=True) == MPF_IMAGE
    assert known_trailer(plain, None, mpf=False) is None  # another picture, undeclared


def test_known_trailer_unknown_bytes() -> None:
    assert known_trailer(b"PK\x03\x04" + bytes(100), None) is None
    assert known_trailer(b"", None) is None


# ----------------------------------------------------------------------- whole files, verdicts


def _verdict_pair(tmp_path: Path, base: bytes, trailer: bytes) -> tuple[FileCheck, FileCheck]:
    plain = check_file(pf.write(tmp_path / "plain.jpg", base))
    extra = check_file(pf.write(tmp_path / "extra.jpg", base + trailer))
    return plain, extra


@pytest.mark.parametrize("case", ["samsung_motion", "samsung_data", "google_motion", "ultra_hdr"])
def test_camera_trailers_do_not_change_the_verdict(tmp_path: Path, case: str) -> None:
    video = pf.mp4_bytes()
    if case == "samsung_motion":
        base = pf.camera_jpeg()
        trailer = pf.sef_block([(0x0A30, "MotionPhoto_Data", video), *SAMSUNG_CAMERA])
    elif case == "samsung_data":
        base, trailer = pf.camera_jpeg(), pf.sef_block(SAMSUNG_CAMERA)
    elif case == "google_motion":
        exif = pf.camera_exif("Google", "Pixel 9")
        base, trailer = pf.camera_jpeg(exif, pf.google_motion_xmp(len(video))), video
    else:
        exif = pf.camera_exif("Google", "Pixel 9")
        base, trailer = pf.with_mpf(pf.camera_jpeg(exif, pf.ultra_hdr_xmp())), pf.gain_map_jpeg()
    plain, extra = _verdict_pair(tmp_path, base, trailer)
    assert extra.verdict != Verdict.EDITED
    assert extra.verdict == plain.verdict
    codes = _codes(extra)
    assert codes.get("camera_feature") == Severity.INFO
    feature = next(f for f in extra.findings if f.code == "camera_feature")
    expected = {
        "samsung_motion": MOTION_PHOTO,
        "samsung_data": SAMSUNG_DATA,
        "google_motion": MOTION_PHOTO,
        "ultra_hdr": GAIN_MAP,
    }[case]
    assert feature.params["features"] == [expected]


def test_motion_xmp_with_the_video_dropped_is_said(tmp_path: Path) -> None:
    exif = pf.camera_exif("Google", "Pixel 9")
    path = pf.write(tmp_path / "m.jpg", pf.camera_jpeg(exif, pf.google_motion_xmp(4000)))
    check = check_file(path)
    assert "camera_feature" not in _codes(check)
    assert _codes(check).get("motion_photo_video_missing") == Severity.INFO


def _heic(exif: Image.Exif | None = None) -> bytes:
    buf = io.BytesIO()
    kwargs = {"exif": exif.tobytes()} if exif is not None else {}
    pf.noise_image().save(buf, format="HEIF", quality=80, **kwargs)
    return buf.getvalue()


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", len(body) + 8, kind) + body


def test_samsung_heic_motion_photo_boxes(tmp_path: Path) -> None:
    """One UI 6 layout: the HEIF boxes, then `mpvd` (the video) and `sefd` (SEF entries)."""
    video = pf.mp4_bytes()
    sef = pf.sef_block([*SAMSUNG_CAMERA, (0x0A30, "MotionPhoto_Data", b"mpv2")])
    base = _heic(pf.camera_exif())
    path = pf.write(tmp_path / "motion.heic", base + _box(b"mpvd", video) + _box(b"sefd", sef))
    features = heif_features(path)
    assert features.motion_video == len(video)
    assert "MotionPhoto_Data" in features.sef
    check = check_file(path)
    plain = check_file(pf.write(tmp_path / "plain.heic", base))
    assert check.verdict == plain.verdict != Verdict.EDITED
    feature = next(f for f in check.findings if f.code == "camera_feature")
    assert feature.params["features"] == [MOTION_PHOTO]


def test_heic_auxiliary_types_are_named() -> None:
    urn = b"urn:com:apple:photo:2020:aux:hdrgainmap\x00"
    auxc = struct.pack(">I4s", 12 + len(urn), b"auxC") + b"\x00\x00\x00\x00" + urn
    depth = b"urn:mpeg:hevc:2015:auxid:2\x00"
    auxc2 = struct.pack(">I4s", 12 + len(depth), b"auxC") + b"\x00\x00\x00\x00" + depth
    meta = b"\x00" * 20 + auxc + b"\x00" * 7 + auxc2
    assert _aux_types(meta) == [
        "urn:com:apple:photo:2020:aux:hdrgainmap",
        "urn:mpeg:hevc:2015:auxid:2",
    ]


# ---------------------------------------------------------------------------------- Live Photo

LIVE_ID = "570F1469-09C7-4E50-9875-05F21D5BD166"


def test_apple_content_identifier_from_maker_note() -> None:
    exif = pf.camera_exif("Apple", "iPhone 15", maker_note=pf.apple_maker_note(LIVE_ID))
    tiff = exif.tobytes().removeprefix(b"Exif\x00\x00")
    assert apple_content_identifier(tiff) == LIVE_ID
    assert apple_content_identifier(pf.camera_exif().tobytes()[6:]) is None
    assert apple_content_identifier(b"MM\x00*\xff\xff\xff\xff") is None


def test_live_photo_still_and_pair(tmp_path: Path) -> None:
    exif = pf.camera_exif("Apple", "iPhone 15", maker_note=pf.apple_maker_note(LIVE_ID))
    still = check_file(pf.write(tmp_path / "IMG_0001.jpg", pf.camera_jpeg(exif)))
    found = [f for f in still.findings if f.code == "live_photo_still"]
    assert found and found[0].params["content_identifier"] == LIVE_ID
    video_meta = MediaMetadata(
        format="mov",
        mime="video/quicktime",
        quicktime_keys={"com.apple.quicktime.content.identifier": LIVE_ID},
    )
    video = FileCheck("IMG_0001.MOV", "b" * 64, "video", Verdict.UNKNOWN, metadata=video_meta)
    other = FileCheck("IMG_0002.MOV", "c" * 64, "video", Verdict.UNKNOWN, metadata=MediaMetadata(
        format="mov", mime="video/quicktime",
        quicktime_keys={"com.apple.quicktime.content.identifier": "OTHER"}))  # fmt: skip
    pairs = live_photo_pairs([still, video, other])
    assert len(pairs) == 1
    f, items = pairs[0]
    assert f.code == "live_photo_pair" and f.severity == Severity.INFO
    assert set(items) == {still.sha256, "b" * 64}
    assert live_photo_pairs([video, other]) == []


def test_random_trailers_never_raise(tmp_path: Path) -> None:
    """Hostile bytes after the picture: recognised or not, never an exception or a crash."""
    import random

    rng = random.Random(16)
    base = pf.camera_jpeg()
    pieces = [b"SEFT", b"SEFH", b"ftyp", b"\xff\xd8", b"MotionPhoto_Data", b"\x00" * 8]
    for i in range(40):
        tail = b"".join(rng.choice(pieces) + rng.randbytes(rng.randrange(0, 40)) for _ in range(6))
        if i % 2:
            tail += struct.pack("<I", rng.randrange(0, 1 << 32)) + b"SEFT"
        known_trailer(tail, pf.google_motion_xmp(rng.randrange(0, 5000)), mpf=bool(i % 3))
        sef_entries(tail)
        if i < 6:
            check = check_file(pf.write(tmp_path / f"r{i}.jpg", base + tail))
            assert check.verdict != Verdict.UNREADABLE
            assert "check_incomplete" not in _codes(check)
