"""read_waybills on the corpus packing videos and on generated ones (rotation, blur, doubts)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.evidence.errors import Cancelled, DamagedFile, EmptyFile, UnsupportedFormat
from app.evidence.progress import CancelToken, Progress
from app.evidence.waybill import ScanOptions, read_waybills
from app.evidence.waybill import model as m
from app.evidence.waybill.capture import open_raw, orientation
from app.evidence.waybill.keyframes import KeyframeSource, as_fresh_start, batchable
from app.evidence.waybill.planner import Planner, TimeLog
from tests.evidence.waybill.conftest import JD, SF, SF_MISREAD, YT

VIDEOS = "synthetic/videos"
Generated = Callable[[str], Path]


def _ignore(_: float) -> None:
    """A position callback that ignores positions."""


@pytest.mark.parametrize(
    ("name", "number", "carrier"),
    [
        ("packing_android_sf.mp4", "SF1234567890123", "SF"),
        ("unboxing_iphone_zto.mov", "73190553102532", "ZTO"),
        ("packing_reencoded_lavf.mp4", "SF1234567890123", "SF"),
    ],
)
def test_corpus_videos_give_their_waybill(
    corpus: Path, name: str, number: str, carrier: str
) -> None:
    scan = read_waybills(corpus / VIDEOS / name)
    assert scan.kind == "video"
    assert scan.waybill == number
    assert scan.carrier == carrier
    assert scan.confirmed
    assert scan.waybills == (number,)  # a misread in one frame never becomes a second waybill
    assert all(r.time_ms is not None for r in scan.reads)
    assert scan.to_json()["waybills"] == [number]


def test_corpus_packing_video_continuity(corpus: Path) -> None:
    scan = read_waybills(corpus / VIDEOS / "packing_android_sf.mp4")
    c = scan.continuity
    assert c is not None
    assert c.duration_ms == 10_000
    assert c.seen_near_end is True
    assert c.last_seen_ms is not None and c.last_seen_ms >= 9_000  # the end is always looked at
    assert c.recording_start == datetime(2025, 6, 9, 2, 15, 7, tzinfo=UTC)
    assert c.recording_end == datetime(2025, 6, 9, 2, 15, 17, tzinfo=UTC)
    assert c.timestamp_gaps == ()


def test_pickup_before_the_recording_ended_is_flagged(corpus: Path) -> None:
    path = corpus / VIDEOS / "packing_android_sf.mp4"
    early = read_waybills(path, pickup_time=datetime(2025, 6, 9, 2, 0, tzinfo=UTC))
    assert m.RECORDED_AFTER_PICKUP in early.flag_codes()
    assert early.continuity is not None and early.continuity.minutes_before_pickup == pytest.approx(
        -15.3, abs=0.1
    )
    fine = read_waybills(path, pickup_time=datetime(2025, 6, 9, 18, 0, tzinfo=UTC))
    assert not {m.RECORDED_AFTER_PICKUP, m.RECORDED_LONG_BEFORE_PICKUP} & set(fine.flag_codes())
    late = read_waybills(
        path, pickup_time=datetime(2025, 6, 9, 2, 15, tzinfo=UTC) + timedelta(days=4)
    )
    assert m.RECORDED_LONG_BEFORE_PICKUP in late.flag_codes()


def test_trimmed_copy_shows_frames_beyond_its_duration(corpus: Path) -> None:
    scan = read_waybills(corpus / VIDEOS / "unboxing_trimmed_copy.mov")
    assert scan.waybill == "73190553102532"
    assert m.HIDDEN_FRAMES in scan.flag_codes()


def test_clean_generated_video(generated: Generated) -> None:
    scan = read_waybills(generated("clean"))
    assert (scan.waybill, scan.carrier, scan.confirmed, scan.strategy) == (
        SF,
        "SF",
        True,
        "keyframes",
    )
    assert scan.flags == ()
    first = scan.reads[0]
    assert first.format == "Code128" and first.text == SF
    xs = [x for x, _ in first.position]
    assert 0 <= min(xs) < max(xs) <= 640


def test_rotated_and_blurred_label_is_straightened_and_read(generated: Generated) -> None:
    scan = read_waybills(generated("rotated_blurred"))
    assert scan.waybill == YT and scan.carrier == "YTO"
    assert scan.confirmed


def test_rotated_phone_video_frames_are_upright(generated: Generated) -> None:
    scan = read_waybills(generated("phone_rotated"))
    assert scan.waybill == SF
    # Portrait frames (360 wide, 640 high): the label spans at most the frame's width.
    for read in scan.reads:
        assert all(0 <= x <= 360 and 0 <= y <= 640 for x, y in read.position)


def test_two_different_waybills_are_both_reported(generated: Generated) -> None:
    # every frame at the regular step: the time budget widens the step on a busy machine, and
    # which label is seen in more frames must not depend on the machine's load
    unbudgeted = ScanOptions(budget_s_per_minute=None)
    scan = read_waybills(generated("two_waybills"), options=unbudgeted)
    assert set(scan.waybills) == {SF, JD}
    assert scan.waybill == JD  # more frames, and the label seen last
    assert scan.flag_codes()[0] == m.MULTIPLE_WAYBILLS
    jd = next(n for n in scan.numbers if n.number == JD)
    assert jd.carrier == "JD" and jd.first_ms is not None and jd.first_ms >= 3000


def test_a_frame_reading_a_different_number_is_outvoted(generated: Generated) -> None:
    scan = read_waybills(generated("misread_frame"))
    assert scan.waybills == (SF,)
    flag = next(f for f in scan.flags if f.code == m.INCONSISTENT_READ)
    assert flag.params["read_as"] == SF_MISREAD and flag.params["waybill"] == SF


def test_truncated_tail_stops_cleanly(generated: Generated) -> None:
    scan = read_waybills(generated("truncated"))
    assert scan.waybill == SF
    assert m.ENDED_EARLY in scan.flag_codes()
    c = scan.continuity
    assert c is not None and c.duration_ms == 8000
    assert c.scanned_to_ms is not None and c.scanned_to_ms < 6000


def test_label_seen_only_at_the_start_is_flagged(generated: Generated) -> None:
    scan = read_waybills(generated("label_early_only"))
    assert scan.waybill == SF
    assert not scan.confirmed  # seen in two sampled frames only
    assert scan.continuity is not None and scan.continuity.seen_near_end is False
    assert m.NOT_SEEN_NEAR_END in scan.flag_codes()


def test_mpeg4_part2_video_is_decoded_sequentially(generated: Generated) -> None:
    scan = read_waybills(generated("mp4v"))
    assert (scan.waybill, scan.strategy) == (SF, "sequential")


def test_sequential_scan_seeks_to_the_tail_once_confirmed(generated: Generated) -> None:
    scan = read_waybills(generated("mp4v_long"))
    assert (scan.waybill, scan.strategy, scan.stopped_early) == (SF, "sequential", True)
    assert scan.frames_sampled < 25  # 30 s at 2 frames a second would be 60
    c = scan.continuity
    assert c is not None and c.last_seen_ms is not None and c.last_seen_ms >= 29_000
    assert c.timestamp_gaps == ()  # the scan's own jump is not a gap in the video


def test_video_without_a_label(generated: Generated) -> None:
    scan = read_waybills(generated("no_label"))
    assert scan.waybill is None and scan.numbers == ()
    assert scan.flag_codes() == (m.NO_WAYBILL,)
    assert scan.to_json()["waybills"] == []


def test_frame_time_jump_is_reported(generated: Generated) -> None:
    scan = read_waybills(generated("pts_gap"))
    assert scan.waybill == SF
    c = scan.continuity
    assert c is not None and len(c.timestamp_gaps) == 1
    at, gap = c.timestamp_gaps[0]
    assert 2800 <= at <= 3000 and 2900 <= gap <= 3200
    assert m.TIMESTAMP_GAP in scan.flag_codes()


def test_long_keyframe_interval_is_sampled_inside(generated: Generated) -> None:
    scan = read_waybills(generated("long_gop"))
    assert scan.waybill == SF and scan.confirmed
    assert scan.numbers[0].first_ms is not None and 3000 <= scan.numbers[0].first_ms < 4000


def test_early_stop_still_looks_at_the_end(generated: Generated) -> None:
    options = ScanOptions(tail_ms=1000, tail_fraction=0.0)
    scan = read_waybills(generated("label_early_only"), options=options)
    full = read_waybills(generated("clean"), options=options)
    assert full.stopped_early
    assert full.continuity is not None and full.continuity.last_seen_ms is not None
    assert full.continuity.last_seen_ms >= 5000
    assert scan.frames_sampled > full.frames_sampled  # nothing to confirm: it looked everywhere


def test_progress_and_cancel(generated: Generated) -> None:
    seen: list[Progress] = []
    read_waybills(generated("label_early_only"), progress=seen.append)
    assert seen and all(p.stage == "waybill" and p.total == 10 for p in seen)
    assert seen[-1].done >= 9
    token = CancelToken()

    def cancel_at_once(_: Progress) -> None:
        token.cancel()

    with pytest.raises(Cancelled):
        read_waybills(generated("label_early_only"), progress=cancel_at_once, cancel=token)


def test_bad_inputs_raise_typed_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFile):
        read_waybills(empty)
    text = tmp_path / "notes.txt"
    text.write_text("运单号 SF1234567890123", encoding="utf-8")
    with pytest.raises(UnsupportedFormat):
        read_waybills(text)
    junk = tmp_path / "broken.mp4"
    junk.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40)
    with pytest.raises(DamagedFile):
        read_waybills(junk, kind="video")


def test_keyframe_pictures_match_what_opencv_shows(generated: Generated) -> None:
    """Keyframes decoded from packets are turned upright exactly as OpenCV turns the file."""
    path = generated("phone_rotated")
    rotation, duration = orientation(path)
    opened = open_raw(path)
    assert opened is not None and rotation in (90, 270)
    video, codec = opened
    with video:
        source = KeyframeSource(
            video.capture, codec, rotation, Planner(ScanOptions(), duration), TimeLog(), _ignore
        )
        t_ms, picture = next(iter(source.frames()))
    reference = cv2.VideoCapture(str(path)).read()[1]
    assert t_ms == 0 and picture.shape == reference.shape == (640, 360, 3)
    assert float(np.mean(cv2.absdiff(picture, reference))) < 1.0


def test_hevc_open_gop_keyframes_come_out_in_order(generated: Generated) -> None:
    """x265's CRA keyframes, decoded as one batch, still give each keyframe's own picture."""
    path = generated("hevc_open_gop")
    rotation, duration = orientation(path)
    opened = open_raw(path)
    assert opened is not None
    video, codec = opened
    assert codec == "hevc"
    with video:
        planner = Planner(ScanOptions(sample_interval_ms=100, keyframe_batch=8), duration)
        source = KeyframeSource(video.capture, codec, rotation, planner, TimeLog(), _ignore)
        keyframes = [(t, p) for t, p in source.frames() if t < 3500]
    reference = cv2.VideoCapture(str(path))
    pictures = {}
    index = 0
    while True:
        ok, picture = reference.read()
        if not ok:
            break
        pictures[round(index * 1000 / 15)] = picture
        index += 1
    assert [round(t) for t, _ in keyframes][:4] == [0, 667, 1333, 2000]
    for t_ms, picture in keyframes:
        assert float(np.mean(cv2.absdiff(picture, pictures[round(t_ms)]))) < 3.0
    scan = read_waybills(path)
    assert scan.waybill == SF and scan.strategy == "keyframes"


def test_hevc_cra_keyframes_relabelled_as_fresh_starts(generated: Generated) -> None:
    """Keyframes far apart (a jump to the tail) must not be reordered by their POC."""
    path = generated("hevc_open_gop")
    opened = open_raw(path)
    assert opened is not None
    video, codec = opened
    keys = []
    with video:
        while video.capture.grab():
            if video.capture.get(cv2.CAP_PROP_LRF_HAS_KEY_FRAME):
                keys.append(video.capture.retrieve()[1].tobytes())
    assert len(keys) >= 5 and all(batchable(k, codec) for k in keys)

    def decode(data: bytes) -> list[np.ndarray]:
        capture = cv2.VideoCapture(io.BytesIO(data), cv2.CAP_FFMPEG, [])
        pictures = []
        while True:
            ok, picture = capture.read()
            if not ok:
                return pictures
            pictures.append(picture)

    alone = [decode(k)[0] for k in keys]
    order = [3, 1, 4, 0, 2]
    batch = decode(b"".join(as_fresh_start(keys[i], codec) for i in order))
    assert len(batch) == len(order)
    for picture, i in zip(batch, order, strict=True):
        assert float(np.mean(cv2.absdiff(picture, alone[i]))) < 1.0
