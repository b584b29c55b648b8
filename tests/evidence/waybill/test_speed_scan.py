"""The faster waybill scan still finds what it must: a label shown briefly mid-video while the
step is at its widest, a label that only comes late, and each keyframe's own picture when the
bare decoder is fed a batch with a broken packet in it.

Frame costs are wall times, so a test that needs the widest step asks for it with a budget no
frame can meet, instead of hoping the machine is slow.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from app.evidence.waybill import read_waybills
from app.evidence.waybill.capture import open_raw
from app.evidence.waybill.keyframes import PacketDecoder
from app.evidence.waybill.model import ScanOptions
from tests.evidence.waybill.conftest import SF
from tests.evidence.waybill.scenes import label_scene, write_h264

WIDEST = ScanOptions(budget_s_per_minute=1e-6)  # every frame over budget: a 3 s step


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("speed_clips")
    return {
        "brief": write_h264(folder / "brief.mp4", label_scene(SF, visible=(12.0, 15.5)), 30),
        "late": write_h264(folder / "late.mp4", label_scene(SF, visible=(21.0, 99)), 30),
        "plain": write_h264(folder / "plain.mp4", label_scene(SF), 6),
    }


def test_a_label_shown_briefly_is_confirmed_at_the_widest_step(clips: dict[str, Path]) -> None:
    scan = read_waybills(clips["brief"], options=WIDEST)
    assert scan.waybill == SF
    # once read, the step is the regular one again until three frames agree
    assert scan.confirmed
    seen = sorted(r.time_ms for r in scan.reads if r.text == SF and r.time_ms is not None)
    assert len(seen) >= 3 and seen[0] >= 12_000 and seen[-1] < 15_500


def test_a_label_that_comes_only_late_is_found(clips: dict[str, Path]) -> None:
    for options in (ScanOptions(), WIDEST):
        scan = read_waybills(clips["late"], options=options)
        assert scan.waybill == SF and scan.confirmed
        number = scan.numbers[0]
        assert number.first_ms is not None and 21_000 <= number.first_ms < 25_000
        assert scan.continuity is not None and scan.continuity.seen_near_end


def test_the_default_scan_looks_at_fewer_frames_than_keyframes(clips: dict[str, Path]) -> None:
    """A 30 s clip has 30 keyframes; the label from 21 s on is confirmed in a few frames."""
    scan = read_waybills(clips["late"])
    assert scan.frames_sampled <= 30


def test_a_broken_packet_in_a_batch_leaves_every_other_keyframe_its_own_picture(
    clips: dict[str, Path],
) -> None:
    opened = open_raw(clips["plain"])
    assert opened is not None
    video, codec = opened
    keys: list[bytes] = []
    with video:
        while video.capture.grab():
            if video.capture.get(cv2.CAP_PROP_LRF_HAS_KEY_FRAME):
                keys.append(video.capture.retrieve()[1].tobytes())
    assert codec == "h264" and len(keys) >= 5
    alone = []
    for key in keys[:5]:
        single = PacketDecoder(codec)
        alone.append((single.send(key) + single.drain())[0])
        single.close()
    batch = PacketDecoder(codec)
    frames = []
    for number, key in enumerate(keys[:5]):
        # the third keyframe arrives cut to its first bytes: it gives no picture
        frames += batch.send_raw(key[:40] if number == 2 else key, number)
    frames += batch.drain_raw()
    batch.close()
    numbers = [f.pts for f in frames]
    assert 2 not in numbers and {0, 1, 3, 4} <= set(numbers)
    for frame in frames:
        if frame.pts in (0, 1, 3, 4):
            picture = PacketDecoder.picture(frame)
            assert float(np.mean(cv2.absdiff(picture, alone[frame.pts]))) < 1.0
