"""One picture at a time: the decoder, photos, consensus over frames, numbers in file names."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from app.evidence.waybill import model as m
from app.evidence.waybill import read_waybills, waybill_numbers_in
from app.evidence.waybill.consensus import ReadCollector, summarise
from app.evidence.waybill.decode import FrameCode, FrameDecoder, FrameResult
from app.evidence.waybill.model import ScanOptions
from app.evidence.waybill.names import numbers_in_name
from app.evidence.waybill.planner import Planner
from tests.evidence.waybill.code128 import barcode_image, encode, label_image
from tests.evidence.waybill.scenes import cardboard, place

SF = "SF1234567890123"


@pytest.mark.parametrize(
    "text", [SF, "73190553102532", "JDVA12345678901", "4311797092126", "A1", "12345"]
)
def test_test_encoder_round_trips_through_zxing(text: str) -> None:
    decoded = FrameDecoder("Code128", 1280).decode(barcode_image(text))
    assert [c.text for c in decoded.codes] == [text]
    assert sum(encode(text)) % 11 == 2  # symbols of 11 modules and the 13-module stop


def _scene(angle: float, blur: float = 0.0) -> np.ndarray:
    big = cv2.resize(cardboard(), (1920, 1080))
    return place(big, label_image(SF, 3), center=(900, 500), angle=angle, blur=blur)


def test_level_label_is_read_directly() -> None:
    result = FrameDecoder("Code128,QRCode", 1280).decode(_scene(0))
    assert [(c.text, c.method) for c in result.codes] == [(SF, "direct")]
    xs = [x for x, _ in result.codes[0].position]
    assert 400 < min(xs) < max(xs) < 1500  # corners in the full-size frame's pixels


def test_skewed_label_falls_back_to_the_localiser() -> None:
    result = FrameDecoder("Code128", 1280).decode(_scene(35, blur=1.2))
    assert [c.text for c in result.codes] == [SF]


def test_qr_code_payload_with_a_waybill() -> None:
    assert waybill_numbers_in("https://example.cn/t?no=SF1234567890123&x=1") == [SF]
    assert waybill_numbers_in("3958216640123456789") == []  # an order number
    assert waybill_numbers_in("hello") == []


def test_waybill_photo_with_exif_rotation(tmp_path: Path) -> None:
    frame = _scene(8)
    upright = Image.fromarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # stored sideways ...
    exif = Image.Exif()
    exif[0x0112] = 6  # ... and marked "rotate 90 clockwise to display"
    path = tmp_path / "面单.jpg"
    stored.save(path, quality=92, exif=exif)
    scan = read_waybills(path)
    assert (scan.kind, scan.strategy, scan.waybill, scan.confirmed) == ("photo", "photo", SF, True)
    assert scan.continuity is None
    assert all(r.time_ms is None for r in scan.reads)


def test_photo_without_a_code(tmp_path: Path) -> None:
    path = tmp_path / "box.png"
    cv2.imwrite(str(path), cardboard())
    scan = read_waybills(path)
    assert scan.waybill is None and scan.flag_codes() == (m.NO_WAYBILL,)


def _frame(*texts: str) -> FrameResult:
    return FrameResult(
        tuple(FrameCode("Code128", t, ((0, 0), (9, 0), (9, 9), (0, 9)), "direct") for t in texts), 0
    )


def _collect(frames: list[tuple[int, tuple[str, ...]]]) -> ReadCollector:
    collector = ReadCollector()
    for t, texts in frames:
        collector.add(t, _frame(*texts))
    return collector


def test_majority_wins_and_a_one_frame_misread_is_flagged() -> None:
    collector = _collect([(0, (SF,)), (500, ("SF1234567000123",)), (1000, (SF,)), (1500, (SF, SF))])
    numbers, confirmed, flags = summarise(collector, photo=False, confirm_frames=3)
    assert [n.number for n in numbers] == [SF]
    assert numbers[0].frames == 3 and (numbers[0].first_ms, numbers[0].last_ms) == (0, 1500)
    assert confirmed
    assert [f.code for f in flags] == [m.INCONSISTENT_READ]


def test_unrelated_single_read_is_unconfirmed_not_a_second_waybill() -> None:
    collector = _collect([(0, (SF,)), (500, (SF,)), (1000, ("YT5555508965056",))])
    numbers, confirmed, flags = summarise(collector, photo=False, confirm_frames=3)
    assert [n.number for n in numbers] == [SF] and not confirmed
    assert [f.code for f in flags] == [m.UNCONFIRMED_READ]


def test_tie_goes_to_the_label_seen_last() -> None:
    collector = _collect(
        [(0, (SF,)), (500, (SF,)), (3000, ("YT5555508965056",)), (3500, ("YT5555508965056",))]
    )
    numbers, _, flags = summarise(collector, photo=False, confirm_frames=3)
    assert [n.number for n in numbers] == ["YT5555508965056", SF]
    assert flags[0].code == m.MULTIPLE_WAYBILLS


def test_photo_counts_every_label_once() -> None:
    collector = ReadCollector()
    collector.add(None, _frame(SF, SF, "YT5555508965056"))
    numbers, confirmed, flags = summarise(collector, photo=True, confirm_frames=3)
    assert sorted(n.number for n in numbers) == sorted([SF, "YT5555508965056"])
    assert all(n.frames == 1 for n in numbers) and confirmed
    assert flags[0].code == m.MULTIPLE_WAYBILLS


def test_collector_confirms_only_a_clear_leader() -> None:
    collector = _collect(
        [
            (0, (SF,)),
            (500, (SF,)),
            (1000, (SF,)),
            (1500, ("YT5555508965056",)),
            (2000, ("YT5555508965056",)),
        ]
    )
    assert not collector.confirmed(3)  # 3 against 2: keep looking
    collector.add(2500, _frame(SF))
    assert collector.confirmed(3)


def test_planner_samples_bursts_and_skips_to_the_tail() -> None:
    planner = Planner(ScanOptions(sample_interval_ms=500, tail_ms=2000, tail_fraction=0), 10_000)
    assert planner.due(0)
    planner.looked(0, located_unread=1, waybill_read=False, confirmed=False)
    assert planner.bursting and planner.due(100) and not planner.due(50)
    for t in (100, 200, 300, 400):
        planner.looked(t, 0, False, False)
    assert not planner.bursting
    assert not planner.due(600) and planner.due(900)
    planner.looked(900, 0, True, True)
    assert planner.stopped_early
    assert not planner.due(5000) and planner.skip_target_ms(5000) == 8000
    assert planner.due(8100)


@pytest.mark.parametrize(
    ("name", "waybills", "orders"),
    [
        ("SF1234567890123 打包.mp4", ("SF1234567890123",), ()),
        ("VID_20250609_101500.mp4", (), ()),
        ("IMG_20250609101500123.jpg", (), ()),
        ("订单3958216640123456789.mp4", (), ("3958216640123456789",)),
        ("YT5555508965056-张三.MOV", ("YT5555508965056",), ()),
    ],
)
def test_numbers_in_file_names(
    name: str, waybills: tuple[str, ...], orders: tuple[str, ...]
) -> None:
    found = numbers_in_name(name)
    assert (found.waybills, found.order_numbers) == (waybills, orders)


def test_heic_photo_without_a_label_is_read(corpus: Path) -> None:
    scan = read_waybills(corpus / "photos/originals/orientation_6.heic")
    assert (scan.kind, scan.waybill, scan.flag_codes()) == ("photo", None, (m.NO_WAYBILL,))


def test_expensive_frames_widen_the_step_before_the_tail_only() -> None:
    options = ScanOptions(
        sample_interval_ms=500, budget_s_per_minute=1.5, tail_ms=5000, tail_fraction=0
    )
    planner = Planner(options, 60_000)
    for t in (0, 500, 1000):
        assert planner.due(t)
        planner.looked(t, 0, False, False, cost_ms=75.0)  # 75 ms a frame: 3 s per 1.5 s budget
    assert planner.forward_interval_ms == 3000
    assert not planner.due(2500) and planner.due(4000)
    assert planner.due(55_000) and planner.due(55_500)  # the tail keeps the regular step
    cheap = Planner(ScanOptions(budget_s_per_minute=None), 60_000)
    for t in (0, 500, 1000):
        cheap.due(t)
        cheap.looked(t, 0, False, False, cost_ms=500.0)
    assert cheap.forward_interval_ms == 500


def test_once_confirmed_expensive_frames_are_spaced_out_in_the_tail_too() -> None:
    options = ScanOptions(
        sample_interval_ms=500, budget_s_per_minute=1.5, tail_ms=6000, tail_fraction=0
    )
    planner = Planner(options, 60_000)
    for t in (0, 1000, 2000):
        assert planner.due(t)
        planner.looked(t, 0, True, t == 2000, cost_ms=75.0)  # read in each; confirmed at 2 s
    assert planner.confirmed and planner.stopped_early and not planner.read_in_tail
    assert planner.due(54_000) and not planner.due(55_000) and planner.due(57_000)
    planner.looked(57_000, 0, True, True, cost_ms=75.0)
    assert planner.read_in_tail  # the last group of pictures need not be decoded whole
