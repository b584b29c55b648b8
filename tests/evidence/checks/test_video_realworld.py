"""Real phone video traits are not edits; screen recordings are their own kind (issue 16, point 6).

Every video here is written by tests/evidence/checks/phonevideos.py with PyAV: the traits under
test are the metadata and stream properties phones write, never an FFmpeg signature (see the
module docstring there). The counter-tests re-encode the same content the way an editor or
converter does and must still be caught.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.evidence.checks import Severity, Verdict, check_file, cross_check
from app.evidence.checks.model import FileCheck
from app.evidence.checks.video import check_video
from app.evidence.models import MediaMetadata
from tests.evidence.checks import phonefiles as pf
from tests.evidence.checks import phonevideos as pv

CAPCUT = {"LvMetaInfo": '{"product":"vicut","editType":"edit","appVersion":"12.1.0"}'}
PAUSES = [0, 1, 2, 3, 60, 61, 62, 63, 120, 121, *range(122, 142)]  # a still screen, 2 s pauses


def _codes(check: FileCheck) -> dict[str, Severity]:
    return {f.code: f.severity for f in check.findings}


PHONE_FILES: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "iphone_hevc": ("IMG_0001.MOV", lambda p: pv.iphone(p)),
    "iphone_hlg_10bit": (
        "IMG_0002.MOV",
        lambda p: pv.iphone(p, pix_fmt="yuv420p10le", colour=pv.HLG),
    ),
    "iphone_slomo_240": (
        "IMG_0003.MOV",
        lambda p: pv.iphone(
            p,
            fps=240,
            frames=120,
            tags={"com.apple.quicktime.full-frame-rate-playback-intent": "0"},
        ),
    ),
    "android_hevc": ("VID_20260301_102030.mp4", lambda p: pv.android(p)),
    "android_pq_10bit": (
        "VID_20260301_102031.mp4",
        lambda p: pv.android(p, pix_fmt="yuv420p10le", colour=pv.PQ),
    ),
    "android_slomo": (
        "VID_20260301_102032.mp4",
        lambda p: pv.android(
            p, fps=120, frames=120, tags={"com.android.capture.fps": "240.000000"}
        ),
    ),
    "android_h264": (
        "VID_20260301_102033.mp4",
        lambda p: pv.write_video(
            p,
            codec="libx264",
            tags=pv.ANDROID,
            mux=pv.PHONE_MUX,
            handler="VideoHandle",
            strip_sei=True,
        ),
    ),
    "android_vfr": (
        "VID_20260301_102034.mp4",
        lambda p: pv.android(p, frames=30, pts=[i * 2 if i % 3 else i * 2 + 1 for i in range(30)]),
    ),
}


@pytest.mark.parametrize("case", sorted(PHONE_FILES))
def test_phone_recordings_are_not_edited(tmp_path: Path, case: str) -> None:
    name, make = PHONE_FILES[case]
    check = check_file(make(tmp_path / name))
    codes = _codes(check)
    assert check.verdict == Verdict.CAMERA_ORIGINAL, (case, codes)
    assert not [c for c, s in codes.items() if s in (Severity.ALERT, Severity.WARNING)]


@pytest.mark.parametrize(
    ("case", "trait"),
    [
        ("iphone_hevc", "HEVC (H.265)"),
        ("iphone_hlg_10bit", "HDR (HLG)"),
        ("android_pq_10bit", "HDR (PQ / HDR10)"),
        ("iphone_slomo_240", "high frame rate 240 fps (slow motion)"),
        ("iphone_slomo_240", "Apple slow-motion marker"),
        ("android_slomo", "slow motion captured at 240 fps"),
    ],
)
def test_capture_traits_are_named(tmp_path: Path, case: str, trait: str) -> None:
    name, make = PHONE_FILES[case]
    check = check_file(make(tmp_path / name))
    found = next(f for f in check.findings if f.code == "video_capture_traits")
    assert found.severity == Severity.INFO
    assert trait in found.params["traits"]


def test_dolby_vision_from_mediainfo_is_a_trait() -> None:
    meta = MediaMetadata(
        format="mov",
        mime="video/quicktime",
        video_codec="HEVC",
        raw={"Video.HDR_Format": "Dolby Vision, Version 1.0, Profile 8.4, dvhe.08.04, BL+RPU"},
    )
    found = [f for f in check_video(meta, None) if f.code == "video_capture_traits"]
    assert found and "Dolby Vision HDR" in found[0].params["traits"]


# ---------------------------------------------------------------------------- screen recordings

SCREEN: dict[str, tuple[str, dict[str, Any]]] = {
    "ios_replaykit_name": ("RPReplay_Final1767225600.MP4", {}),
    "samsung_name": ("Screen_Recording_20260301-102030_Taobao.mp4", {}),
    "xiaomi_name": ("Screenrecorder-2026-03-01-10-20-30-123.mp4", {}),
    "huawei_name": ("SVID_20260301_102030_1.mp4", {}),
    "android_metadata": (
        "video.mp4",
        {"tags": {"com.android.version": "14", "comment": "com.miui.screenrecorder"}},
    ),
    "recorder_in_title": ("capture.mp4", {"tags": {"title": "Screen Recording 2026-03-01"}}),
}


def _screen(tmp_path: Path, case: str) -> FileCheck:
    name, extra = SCREEN[case]
    tags = {"creation_time": "2026-03-01T02:20:30.000000Z", **extra.get("tags", {})}
    path = pv.write_video(
        tmp_path / name,
        size=(296, 640),
        frames=30,
        pts=PAUSES,
        tags=tags,
        mux=pv.PHONE_MUX,
        encoder_options=pv.QUIET,
    )
    return check_file(path)


@pytest.mark.parametrize("case", sorted(SCREEN))
def test_screen_recordings_are_their_own_kind(tmp_path: Path, case: str) -> None:
    check = _screen(tmp_path, case)
    codes = _codes(check)
    assert codes.get("screen_recording") == Severity.INFO, codes
    assert check.verdict == Verdict.UNKNOWN, codes
    assert "video_timing_gap" not in codes  # pauses of a still screen are normal
    assert "video_no_device_keys" not in codes
    screen = next(f for f in check.findings if f.code == "screen_recording")
    assert screen.params["evidence"]


def test_pauses_still_count_in_a_camera_video(tmp_path: Path) -> None:
    """Control: the same 2-second pauses in a file with no recorder evidence are a gap."""
    path = pv.write_video(
        tmp_path / "clip.mp4",
        size=(296, 640),
        frames=30,
        pts=PAUSES,
        tags={"creation_time": "2026-03-01T02:20:30.000000Z"},
        mux=pv.PHONE_MUX,
        encoder_options=pv.QUIET,
    )
    codes = _codes(check_file(path))
    assert codes.get("video_timing_gap") == Severity.WARNING
    assert "screen_recording" not in codes


def test_renamed_iphone_video_is_not_a_screen_recording(tmp_path: Path) -> None:
    check = check_file(pv.iphone(tmp_path / "RPReplay_Final1767225600.MOV"))
    assert "screen_recording" not in _codes(check)
    assert check.verdict == Verdict.CAMERA_ORIGINAL


def test_edited_screen_recording_is_still_edited(tmp_path: Path) -> None:
    path = pv.write_video(
        tmp_path / "RPReplay_Final1767225601.MP4",
        codec="libx264",
        size=(296, 640),
        tags=CAPCUT,
        mux={"movflags": "use_metadata_tags"},
    )
    check = check_file(path)
    codes = _codes(check)
    assert codes.get("screen_recording") == Severity.INFO
    assert codes.get("video_editor_trace") == Severity.ALERT
    assert check.verdict == Verdict.EDITED


# ------------------------------------------------------------------ re-encodes are still caught


@pytest.mark.parametrize(
    ("tags", "code"),
    [
        ({**pv.APPLE, "encoder": "Lavf61.7.100"}, "video_software_encoder"),  # converter
        ({**pv.APPLE, **CAPCUT}, "video_editor_trace"),
        ({**pv.ANDROID, "comment": "Made with Wink by Meitu"}, "video_editor_trace"),
    ],
)
def test_reencode_by_a_known_tool_is_still_edited(
    tmp_path: Path, tags: dict[str, str], code: str
) -> None:
    path = pv.write_video(
        tmp_path / "IMG_0009.MOV",
        codec="libx264",
        tags=tags,
        mux={"movflags": "use_metadata_tags"},
        handler="Core Media Video",
    )
    check = check_file(path)
    assert _codes(check).get(code) == Severity.ALERT, _codes(check)
    assert check.verdict == Verdict.EDITED


def test_aigc_label_in_video_metadata(tmp_path: Path) -> None:
    value = '{"Label":"1","ContentProducer":"可灵AI","ProduceID":"k1"}'
    path = pv.write_video(
        tmp_path / "gen.mp4",
        tags={"AIGC": value, **pv.ANDROID},
        mux=pv.PHONE_MUX,
        encoder_options=pv.QUIET,
    )
    check = check_file(path)
    found = [f for f in check.findings if f.code == "aigc_label_generated"]
    assert found and found[0].params["producer"] == "可灵AI"
    assert check.verdict == Verdict.EDITED


def test_live_photo_pair_across_still_and_mov(tmp_path: Path) -> None:
    ident = "8E3F1C2A-1111-4222-8333-944455556666"
    exif = pf.camera_exif("Apple", "iPhone 15 Pro", maker_note=pf.apple_maker_note(ident))
    still = check_file(pf.write(tmp_path / "IMG_0100.JPG", pf.camera_jpeg(exif)))
    mov = check_file(
        pv.iphone(tmp_path / "IMG_0100.MOV", tags={"com.apple.quicktime.content.identifier": ident})
    )
    assert mov.verdict == Verdict.CAMERA_ORIGINAL
    pairs = [c for c in cross_check([still, mov]) if c.finding.code == "live_photo_pair"]
    assert len(pairs) == 1 and set(pairs[0].items) == {still.sha256, mov.sha256}
    assert pairs[0].finding.severity == Severity.INFO
