"""Contradictions and gaps on the timeline."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from app.evidence.models import ItemKind
from app.evidence.timeline import (
    FindingOptions,
    Phase,
    add_manual_event,
    build_timeline,
    set_case_date,
    set_entry_phase,
    timeline_findings,
)
from app.evidence.tracking.model import EventKind

from .factory import STANDARD_TRACKING, add, add_tracking, new_case

SIGNED_AT = "2025-06-11 21:40:05"


def codes(case, **options) -> list[str]:
    return [f.code for f in timeline_findings(build_timeline(case), FindingOptions(**options))]


def test_unboxing_video_before_the_signing_scan(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    add_tracking(case, STANDARD_TRACKING)
    video = add(case, "unboxing.mov", ItemKind.VIDEO, "2025-06-11 20:00")
    (finding,) = timeline_findings(build_timeline(case))
    assert finding.code == "unboxing_before_signed" and finding.severity == "warning"
    assert f"item:{video}" in finding.entries and "早于签收" in finding.zh
    assert finding.params["hours"] == 1.7


def test_unboxing_after_signing_is_fine_and_a_zone_doubt_lowers_the_severity(
    tmp_path: Path,
) -> None:
    case = new_case(tmp_path)
    add_tracking(case, STANDARD_TRACKING)
    add(case, "unboxing.mov", ItemKind.VIDEO, "2025-06-11 22:00")
    assert codes(case) == []
    add(case, "photo.jpg", ItemKind.PHOTO, "2025-06-11 21:00", offset=None)
    (finding,) = timeline_findings(build_timeline(case))
    assert (
        finding.code == "unboxing_before_signed"
        and finding.severity == "info"
        and "时区" in finding.zh
    )


def test_complaint_before_delivery_unless_the_dispute_is_non_delivery(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    add_tracking(case, STANDARD_TRACKING)
    add_manual_event(
        case, "申请退款：商品有破损", datetime(2025, 6, 11, 10, 0), kind="refund_request"
    )
    assert codes(case) == ["complaint_before_delivery"]
    assert codes(case, complaint_needs_delivery=False) == []


def test_entered_intervention_date_before_delivery_is_a_complaint_too(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    add_tracking(case, STANDARD_TRACKING)
    set_case_date(case, "intervention", date(2025, 6, 10))  # a date without time of day
    assert codes(case) == ["complaint_before_delivery"]
    set_case_date(case, "intervention", date(2025, 6, 11))  # same day as signing: cannot tell
    assert codes(case) == []


def test_packing_video_after_the_pickup_scan(tmp_path: Path) -> None:
    case = new_case(tmp_path, role="seller")
    add_tracking(case, STANDARD_TRACKING)
    add(case, "packing_ok.mp4", ItemKind.VIDEO, "2025-06-09 16:00")
    assert codes(case) == []
    late = add(case, "packing_late.mp4", ItemKind.VIDEO, "2025-06-09 19:30")
    (finding,) = timeline_findings(build_timeline(case))
    assert finding.code == "packing_after_pickup" and f"item:{late}" in finding.entries


def test_gap_between_delivery_and_unboxing_longer_than_the_window(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    add_tracking(case, STANDARD_TRACKING)
    add(case, "unboxing.mov", ItemKind.VIDEO, "2025-06-13 22:00")  # 48 h 20 min after signing
    assert codes(case, inspection_window_hours=72) == []
    (finding,) = timeline_findings(build_timeline(case), FindingOptions(inspection_window_hours=48))
    assert finding.code == "delivery_unboxing_gap"
    assert finding.params == {"hours": 48.3, "window_hours": 48}


def test_entered_signing_date_wins_and_user_phase_is_respected(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    add_tracking(case, STANDARD_TRACKING)
    video = add(case, "clip.mov", ItemKind.VIDEO, "2025-06-11 20:00")
    set_entry_phase(case, f"item:{video}", Phase.COMMUNICATION)  # not an unboxing video
    assert codes(case) == []
    set_entry_phase(case, f"item:{video}", None)
    set_case_date(
        case, "signed", datetime(2025, 6, 11, 19, 0)
    )  # the buyer says it was signed at 19:00
    assert codes(case) == []


def test_the_first_delivered_record_gives_the_signing_anchor(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    add_tracking(case, STANDARD_TRACKING)
    add_tracking(
        case,
        [
            (EventKind.PICKUP, "2025-06-15 10:00:00", "退货已揽收"),
            (EventKind.SIGNED, "2025-06-17 10:00:00", "退货已签收"),
        ],
        name="return.txt",
        number="SF999",
    )
    add(case, "unboxing.mov", ItemKind.VIDEO, "2025-06-12 08:00")
    assert codes(case) == []  # judged against the first parcel, not the return
