"""Generated packing videos, made once per test session and only when a test asks for them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tests.evidence.waybill import scenes
from tests.evidence.waybill.scenes import label_scene, remux, write_h264, write_mp4v

SF = "SF1234567890123"
SF_MISREAD = "SF1234567890128"
JD = "JDVA12345678901"
YT = "YT5555508965056"


def _two_labels(i: int, t: float) -> np.ndarray:
    first, second = _TWO
    return first(i, t) if t < 3 else second(i, t)


def _one_bad_frame(i: int, t: float) -> np.ndarray:
    good, bad = _MISREAD
    return bad(i, t) if i == 30 else good(i, t)


def _moving_label(i: int, t: float) -> np.ndarray:
    """The label slides across the frame: every keyframe shows it somewhere else."""
    frame = _SLIDE(i, t)
    return np.roll(frame, i * 4, axis=1)


_SLIDE = label_scene(SF, wobble=0)
_TWO = (label_scene(SF, visible=(0, 3)), label_scene(JD, visible=(3, 99), seed=2))
_MISREAD = (label_scene(SF), label_scene(SF_MISREAD))


def _truncated(folder: Path) -> Path:
    full = write_h264(folder / "full.mp4", label_scene(SF), 8, extra=["-movflags", "+faststart"])
    data = full.read_bytes()
    target = folder / "truncated.mp4"
    target.write_bytes(data[: int(len(data) * 0.55)])
    return target


MAKERS: dict[str, Callable[[Path], Path]] = {
    "clean": lambda d: write_h264(d / "clean.mp4", label_scene(SF), 6),
    "rotated_blurred": lambda d: write_h264(d / "rot.mp4", label_scene(YT, angle=28, blur=1.0), 6),
    "phone_rotated": lambda d: remux(
        video(d, "clean"), d / "phone.mp4", "-metadata:s:v:0", "rotate=90"
    ),
    "two_waybills": lambda d: write_h264(d / "two.mp4", _two_labels, 6),
    "misread_frame": lambda d: write_h264(d / "misread.mp4", _one_bad_frame, 6),
    "truncated": _truncated,
    "label_early_only": lambda d: write_h264(d / "early.mp4", label_scene(SF, visible=(0, 2)), 10),
    "mp4v": lambda d: write_mp4v(d / "mp4v.mp4", label_scene(SF), 4),
    "mp4v_long": lambda d: write_mp4v(d / "mp4v_long.mp4", label_scene(SF), 30),
    "no_label": lambda d: write_h264(d / "none.mp4", label_scene(SF, visible=(99, 100)), 3),
    "pts_gap": lambda d: write_h264(
        d / "gap.mp4",
        label_scene(SF),
        6,
        extra=["-vf", "setpts='if(gte(N,45),PTS+45,PTS)'", "-fps_mode", "passthrough"],
    ),
    "hevc_open_gop": lambda d: write_h264(
        d / "hevc.mov",
        _moving_label,
        4,
        gop=10,
        codec="libx265",
        extra=["-x265-params", "keyint=10:min-keyint=10:log-level=error", "-tag:v", "hvc1"],
    ),
    "long_gop": lambda d: write_h264(
        d / "longgop.mp4", label_scene(SF, visible=(3, 99)), 6, gop=250
    ),
}
NEEDS_FFMPEG = set(MAKERS) - {"mp4v", "mp4v_long"}
_made: dict[str, Path] = {}


def video(folder: Path, name: str) -> Path:
    """The generated video `name`, made on first use."""
    if name not in _made:
        if name in NEEDS_FFMPEG and scenes.FFMPEG is None:
            pytest.skip("ffmpeg is not installed (make system-deps)")
        _made[name] = MAKERS[name](folder)
    return _made[name]


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Return a function giving the path of a generated video by scenario name."""
    folder = tmp_path_factory.mktemp("waybill_videos")
    return lambda name: video(folder, name)
