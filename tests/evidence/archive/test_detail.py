"""What the archive view shows: results with carrier and continuity, an order's reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evidence.archive import (
    file_detail,
    import_into_archive,
    inbox_details,
    init_archive,
    open_order_case,
    order_detail,
    search_results,
)
from app.evidence.archive.detail import ATTENTION, CONTINUOUS, NO_VIDEO, NO_WAYBILL, worst
from tests.evidence.archive.conftest import (
    JD_UNKNOWN,
    ORDER_NAMED,
    ORDER_SF,
    ORDER_YT,
    write_orders,
)


@pytest.fixture
def filled(tmp_path: Path, day: Path) -> Path:
    root = init_archive(tmp_path / "archive")
    import_into_archive(root, [day], write_orders(tmp_path / "orders.csv"))
    return root


def test_results_carry_carrier_and_continuity(filled: Path) -> None:
    [result] = search_results(filled, "SF1234567890123")
    assert (result.hit.order_no, result.hit.exact) == (ORDER_SF, True)
    assert result.carrier == "顺丰速运"  # the order export's carrier
    assert result.verdict == CONTINUOUS
    # an empty query lists every order and inbox file, orders first
    everything = search_results(filled, "")
    kinds = [r.hit.kind for r in everything]
    assert kinds == sorted(kinds, key=lambda k: k != "order")
    assert {r.hit.order_no for r in everything if r.hit.kind == "order"} >= {ORDER_SF, ORDER_YT}
    inbox_hit = next(r for r in everything if r.hit.waybills == (JD_UNKNOWN,))
    assert inbox_hit.carrier == "JD" and inbox_hit.verdict in (CONTINUOUS, ATTENTION)


def test_order_detail_has_reads_with_frame_times(filled: Path) -> None:
    detail = order_detail(filled, ORDER_SF)
    [video] = detail.files
    assert video.scanned and video.file.waybill == "SF1234567890123"
    assert video.reads and all(r.time_ms is not None for r in video.reads)
    assert video.sightings[0].number == "SF1234567890123" and video.sightings[0].frames >= 3
    assert video.continuity is not None and video.continuity.seen_near_end is True
    assert detail.verdict == video.verdict == CONTINUOUS
    assert detail.case_exists is False
    open_order_case(filled, ORDER_SF)
    assert order_detail(filled, ORDER_SF).case_exists is True
    # a photo says nothing about continuity; a video with no label is flagged
    assert order_detail(filled, ORDER_YT).verdict == NO_VIDEO
    assert order_detail(filled, ORDER_NAMED).verdict == NO_WAYBILL


def test_inbox_details(filled: Path) -> None:
    files = {d.file.name: d for d in inbox_details(filled)}
    assert set(files) == {"VID_20250609_113000.mp4", "broken.mp4"}
    assert files["VID_20250609_113000.mp4"].file.waybills == (JD_UNKNOWN,)
    broken = file_detail(filled, files["broken.mp4"].file.id)
    assert broken.scanned is False and broken.verdict == NO_VIDEO and broken.file.read_error


def test_worst_verdict() -> None:
    assert worst([]) == NO_VIDEO
    assert worst([CONTINUOUS, NO_VIDEO, ATTENTION]) == ATTENTION
    assert worst([ATTENTION, NO_WAYBILL, CONTINUOUS]) == NO_WAYBILL
