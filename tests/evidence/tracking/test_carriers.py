"""Every carrier, in both orders, in every time format and line layout the parser reads."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from app.evidence.models import TimeSource
from app.evidence.tracking import EventKind, SourceOrder, known_carriers, parse_tracking
from app.evidence.tracking.carriers import carrier_table, load_carrier_table
from app.evidence.tracking.text import split_lines

from .scenarios import LAYOUTS, REFERENCE, SCENARIOS, TIME_FORMATS, Scenario, expected_time, render

_BY_CARRIER = {s.carrier: s for s in SCENARIOS}


def _check(scenario: Scenario, text: str, time_format: str, newest_first: bool) -> None:
    record = parse_tracking(text, reference_date=REFERENCE)
    scans = [e for e in record.events if e.kind is not EventKind.TEXT]
    assert [e.kind for e in scans] == [s.kind for s in scenario.steps]
    assert [e.time.local if e.time else None for e in scans] == [
        expected_time(s, time_format) for s in scenario.steps
    ]
    relative = TIME_FORMATS[time_format][2]
    for event in scans:
        assert event.time is not None
        assert event.time.source is TimeSource.TRACKING
        assert event.time.offset_minutes == 480
        assert event.time_was_relative is relative
    for event, step in zip(scans, scenario.steps, strict=True):
        if step.signer is not None:
            assert event.signer is step.signer, event.raw_line
    assert record.carrier_code == scenario.carrier
    assert record.carrier_basis == "named"
    assert record.tracking_number == scenario.number
    expected_order = SourceOrder.NEWEST_FIRST if newest_first else SourceOrder.OLDEST_FIRST
    assert record.source_order is expected_order
    source = split_lines(text)
    for event in record.events:
        assert source[event.line_no - 1] == event.raw_line
    assert "reference_date_needed" not in record.flag_codes()
    assert "mixed_order" not in record.flag_codes()


@pytest.mark.parametrize("newest_first", [False, True], ids=["oldest_first", "newest_first"])
@pytest.mark.parametrize("time_format", list(TIME_FORMATS))
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.carrier for s in SCENARIOS])
def test_every_time_format(scenario: Scenario, time_format: str, newest_first: bool) -> None:
    text = render(scenario, time_format, "time_first", newest_first)
    _check(scenario, text, time_format, newest_first)


@pytest.mark.parametrize("newest_first", [False, True], ids=["oldest_first", "newest_first"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.carrier for s in SCENARIOS])
def test_every_layout(scenario: Scenario, layout: str, newest_first: bool) -> None:
    text = render(scenario, "iso_seconds", layout, newest_first)
    _check(scenario, text, "iso_seconds", newest_first)


@pytest.mark.parametrize(
    ("carrier", "step", "name", "phone"),
    [
        ("SF", 3, "陈**", "188****1552"),
        ("ZTO", 0, "爱**", "186****9757"),
        ("ZTO", 3, "王*", "137****4974"),
        ("YTO", 3, "孙**", "155****2271"),
        ("STO", 3, None, "180****4567"),  # "天心岛部" is a depot, not a name
        ("YUNDA", 4, "黄**", "183****9825"),
        ("JD", 4, "裴**", "130****5743"),
        ("EMS", 3, "蔡**", "187****0573"),
        ("JT", 3, "周**", "138****3344"),
        ("BEST", 3, "张**", "186****5538"),
    ],
)
def test_courier_as_printed(carrier: str, step: int, name: str | None, phone: str) -> None:
    scenario = _BY_CARRIER[carrier]
    record = parse_tracking(render(scenario, "iso_seconds", "time_first", False))
    event = [e for e in record.events if e.kind is not EventKind.TEXT][step]
    assert (event.courier_name, event.courier_phone) == (name, phone)


@pytest.mark.parametrize(
    ("carrier", "step", "location"),
    [
        ("SF", 2, "上海浦江中转场"),
        ("ZTO", 1, "上海市"),  # the 【城市】 prefix wins over later brackets
        ("YUNDA", 0, "湖北监利县公司"),  # [网点] prefix
        ("EMS", 3, "广州市天河区速递营销部"),  # no brackets: a facility named in the text
        ("JD", 3, None),
    ],
)
def test_location(carrier: str, step: int, location: str | None) -> None:
    record = parse_tracking(render(_BY_CARRIER[carrier], "iso_seconds", "time_first", False))
    assert [e for e in record.events if e.kind is not EventKind.TEXT][step].location == location


def test_carrier_data_comes_from_the_resource_file() -> None:
    data = json.loads(
        files("resources").joinpath("tracking/carriers.json").read_text(encoding="utf-8")
    )
    codes = {c["code"] for c in data["carriers"]}
    assert {"SF", "ZTO", "YTO", "STO", "YUNDA", "JD", "EMS", "JT", "BEST"} <= codes
    assert {"CAINIAO", "FENGCHAO"} <= codes
    assert [c.code for c in known_carriers()] == [c["code"] for c in data["carriers"]]
    assert carrier_table().by_code["SF"].info.name_zh == "顺丰速运"


def test_a_custom_table_changes_what_is_recognised() -> None:
    data = json.loads(
        files("resources").joinpath("tracking/carriers.json").read_text(encoding="utf-8")
    )
    data["carriers"] = [c for c in data["carriers"] if c["code"] != "SF"]
    table = load_carrier_table(json.dumps(data))
    assert "SF" not in table.by_code
    assert "顺丰" not in table.keyword_owner


class TestNumberRanking:
    def test_carrier_named_in_text_wins_over_shape_alone(self) -> None:
        # 12 digits fit SF, ZTO and Best legacy shapes; the text names Best.
        record = parse_tracking("百世快递 880123456789\n2025-06-12 18:00:00 [深圳市]已揽收")
        assert record.tracking_number == "880123456789"
        assert record.candidates[0].carrier_code == "BEST"
        assert {c.carrier_code for c in record.candidates} >= {"BEST", "SF", "ZTO"}
        reasons = {r.code for r in record.candidates[0].reasons}
        assert {"pattern:BEST", "carrier_named"} <= reasons

    def test_shape_alone_is_never_likely(self) -> None:
        record = parse_tracking("75312345678901\n2025-06-12 18:00:00 【上海市】已揽收")
        assert record.tracking_number == "75312345678901"
        assert record.carrier_code == "ZTO"
        assert record.carrier_basis == "number_pattern"
        assert record.candidates[0].confidence != "likely"
        assert "number_needs_confirmation" in record.flag_codes()

    def test_distinctive_prefix_with_carrier_named_is_likely(self) -> None:
        record = parse_tracking("运单号：SF1402287551234 顺丰速运")
        top = record.candidates[0]
        assert (top.number, top.carrier_code, top.confidence) == ("SF1402287551234", "SF", "likely")
        assert top.line_nos == (1,)
        assert "number_needs_confirmation" not in record.flag_codes()

    def test_order_number_is_not_taken_for_the_waybill(self) -> None:
        text = "订单号：3981234567890123456\n运单号：YT8812345678901 圆通速递"
        record = parse_tracking(text)
        assert record.tracking_number == "YT8812345678901"
        order = next(c for c in record.candidates if c.number.startswith("398"))
        assert order.confidence == "weak"
        assert "order_label" in {r.code for r in order.reasons}

    def test_masked_phones_and_timestamps_are_not_candidates(self) -> None:
        record = parse_tracking(
            "2025-06-12 08:04:25 王*（137****4974）正在派件，电话13712344974 20250612080425"
        )
        assert record.candidates == ()
        assert record.tracking_number is None

    def test_station_brand_is_not_the_carrier(self) -> None:
        record = parse_tracking(
            "2025-06-12 09:00:00 您的包裹已到达菜鸟驿站，请凭取件码12-34-56取件"
        )
        assert record.carrier_code is None
        assert record.station_brands == ("CAINIAO",)
        assert record.events[0].kind is EventKind.STATION_DROPOFF

    def test_ascii_keyword_must_stand_alone(self) -> None:
        record = parse_tracking("2025-06-12 09:00:00 SYSTEMS check 已揽收")
        assert record.carrier_code is None
