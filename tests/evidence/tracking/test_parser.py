"""Whole records: the corpus samples, ordering, relative dates, CSV exports, long pastes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from app.evidence.tracking import (
    EventKind,
    Signer,
    SourceOrder,
    TrackingRecord,
    decode_text,
    parse_tracking,
)
from app.evidence.tracking.text import split_lines

K = EventKind


def _sample(corpus: Path, name: str, **options) -> TrackingRecord:
    data = (corpus / "synthetic" / "tracking" / name).read_bytes()
    return parse_tracking(decode_text(data), **options)


def _scans(record: TrackingRecord):
    return [e for e in record.events if e.kind is not K.TEXT]


class TestCorpusSamples:
    def test_sf_locker_then_signed(self, corpus: Path) -> None:
        record = _sample(corpus, "sf_not_received.txt", order_city="杭州")
        assert (record.carrier_code, record.carrier_name_zh) == ("SF", "顺丰速运")
        assert record.tracking_number == "SF1234567890123"
        assert record.source_order is SourceOrder.OLDEST_FIRST
        assert [e.kind for e in _scans(record)] == [
            K.PICKUP, K.TRANSIT, K.TRANSIT, K.ARRIVED, K.OUT_FOR_DELIVERY,
            K.STATION_DROPOFF, K.SIGNED,
        ]  # fmt: skip
        dropoff, signed = _scans(record)[-2:]
        assert (dropoff.location, dropoff.signer) == ("文三路丰巢柜", Signer.LOCKER)
        assert (signed.signer, signed.line_no) == (Signer.LOCKER, 8)
        assert signed.time is not None and signed.time.isoformat() == "2025-06-11T21:40:05+08:00"
        assert (signed.courier_name, signed.courier_phone) == ("王**", "139****2468")
        assert record.events[0].kind is K.TEXT and record.events[0].line_no == 1
        locker = [f for f in record.flags if f.code == "station_without_consent"]
        assert len(locker) == 1 and locker[0].line_nos == (7, 8)
        assert "signed_city_mismatch" not in record.flag_codes()  # 杭州 appears in the last mile
        assert record.station_brands == ("FENGCHAO",)

    def test_zto_newest_first_with_cainiao_station(self, corpus: Path) -> None:
        record = _sample(corpus, "zto_newest_first.txt")
        assert record.carrier_code == "ZTO"
        assert record.tracking_number is None  # the sample carries no waybill number
        assert record.source_order is SourceOrder.NEWEST_FIRST
        scans = _scans(record)
        assert [e.line_no for e in scans] == [6, 5, 4, 3, 2, 1]
        assert [e.kind for e in scans] == [
            K.PICKUP, K.TRANSIT, K.ARRIVED, K.OUT_FOR_DELIVERY, K.STATION_DROPOFF, K.SIGNED,
        ]  # fmt: skip
        times = [e.time.local for e in scans if e.time]
        assert times == sorted(times)
        assert scans[-1].signer is Signer.PICKUP_POINT
        assert scans[-1].places == ("杭州市", "文三路菜鸟驿站")
        assert scans[0].courier_name == "赵**"
        assert "station_without_consent" in record.flag_codes()
        assert record.station_brands == ("CAINIAO",)

    def test_zto_signed_in_another_city_than_the_order(self, corpus: Path) -> None:
        record = _sample(corpus, "zto_newest_first.txt", order_city="上海市")
        mismatch = next(f for f in record.flags if f.code == "signed_city_mismatch")
        assert mismatch.severity.value == "alert"
        assert "杭州市" in mismatch.zh and "上海市" in mismatch.zh
        assert 1 in mismatch.line_nos

    def test_jd_month_day_and_today_with_a_reference_date(self, corpus: Path) -> None:
        record = _sample(corpus, "jd_app_style.txt", reference_date=date(2025, 6, 14))
        assert (record.carrier_code, record.tracking_number) == ("JD", "JDVA12345678901")
        assert record.reference_date == date(2025, 6, 14)
        scans = _scans(record)
        assert all(e.time_was_relative and e.time is not None for e in scans)
        assert scans[0].time.local == datetime(2025, 6, 14, 2, 49)
        assert scans[-1].kind is K.SIGNED and scans[-1].signer is Signer.SELF
        assert scans[-1].time.local == datetime(2025, 6, 14, 12, 31)
        assert scans[-1].time.confidence == "low"
        assert scans[-1].time_text == "今天 12:31"
        assert "reference_date_needed" not in record.flag_codes()

    def test_jd_without_a_reference_date_asks_for_one(self, corpus: Path) -> None:
        record = _sample(corpus, "jd_app_style.txt")
        scans = _scans(record)
        assert all(e.time is None for e in scans)
        assert [e.kind for e in scans][-1] is K.SIGNED  # still recognised, only undated
        assert [e.line_no for e in scans] == [2, 3, 4, 5, 6]
        flag = next(f for f in record.flags if f.code == "reference_date_needed")
        assert flag.line_nos == (2, 3, 4, 5, 6)
        assert "今天" in flag.zh

    def test_ems_refused_then_returned(self, corpus: Path) -> None:
        record = _sample(corpus, "ems_returned.txt")
        assert (record.carrier_code, record.tracking_number) == ("EMS", "1123456789012")
        assert [e.kind for e in _scans(record)] == [
            K.TRANSIT, K.OUT_FOR_DELIVERY, K.REFUSED, K.RETURNED,
        ]  # fmt: skip
        assert _scans(record)[1].courier_name == "周**"
        codes = record.flag_codes()
        assert "refused" in codes and "returned" in codes
        assert next(f for f in record.flags if f.code == "refused").line_nos == (4,)


class TestLayouts:
    def test_time_on_its_own_line_after_the_text(self) -> None:
        text = (
            "您的快件已签收，签收人是本人\n2016-04-27 17:28:49\n"
            "快件已到达【上海浦江中转场】\n2016-04-27 08:00:00\n"
        )
        record = parse_tracking(text)
        assert record.source_order is SourceOrder.NEWEST_FIRST
        arrived, signed = record.events
        assert (arrived.kind, arrived.line_no, arrived.time_line_no) == (K.ARRIVED, 3, 4)
        assert (signed.kind, signed.line_no, signed.time_line_no) == (K.SIGNED, 1, 2)
        assert signed.line_nos == (1, 2)
        assert signed.time_text == "2016-04-27 17:28:49"

    def test_time_on_its_own_line_before_the_text(self) -> None:
        text = (
            "运单号 YT8812345678901\n"
            "2021-06-14 12:13:56\n【山东省济南市孙村公司】 已收入\n\n"
            "2021-06-14 17:31:57\n已签收，签收人凭取货码签收。"
        )
        record = parse_tracking(text)
        assert [(e.kind, e.line_no, e.time_line_no) for e in record.events] == [
            (K.TEXT, 1, None), (K.PICKUP, 3, 2), (K.SIGNED, 6, 5),
        ]  # fmt: skip

    def test_a_lonely_time_line_is_kept(self) -> None:
        record = parse_tracking("2025-06-09 18:42:11\n")
        assert len(record.events) == 1
        assert record.events[0].kind is K.OTHER and record.events[0].time is not None

    def test_continuation_lines_stay_with_their_scan_when_reordered(self) -> None:
        text = "2025-06-10 09:00 已签收\n（主单总件数：1件）\n2025-06-09 08:00 已揽收\n备注：易碎"
        record = parse_tracking(text)
        assert [e.raw_line for e in record.events] == [
            "2025-06-09 08:00 已揽收",
            "备注：易碎",
            "2025-06-10 09:00 已签收",
            "（主单总件数：1件）",
        ]  # fmt: skip

    def test_csv_with_location_column_and_tabs(self) -> None:
        text = (
            "物流详情 导出\ntime\tlocation\tcontext\n"
            "2025-06-12 16:20:38\t杭州市\t您的快递已签收\n"
            "2025-06-11 17:48:45\t嘉兴市\t已揽收\n"
        )
        record = parse_tracking(text)
        scans = _scans(record)
        assert [(e.kind, e.location, e.line_no) for e in scans] == [
            (K.PICKUP, "嘉兴市", 4), (K.SIGNED, "杭州市", 3),
        ]  # fmt: skip
        assert [e.kind for e in record.events[:2]] == [K.TEXT, K.TEXT]

    def test_csv_with_unquoted_commas_in_the_last_column(self) -> None:
        text = "时间,状态\n2025-06-12 16:20:38,您的快递已签收, 签收人在【文三路菜鸟驿站】领取\n"
        scan = _scans(parse_tracking(text))[0]
        assert scan.description == "您的快递已签收, 签收人在【文三路菜鸟驿站】领取"
        assert scan.signer is Signer.PICKUP_POINT

    def test_bad_csv_rows_fall_back_to_plain_lines(self) -> None:
        text = "时间,状态\nnot a row\n2025-06-12 16:20:38 已揽收\n"
        record = parse_tracking(text)
        assert [e.kind for e in record.events] == [K.TEXT, K.TEXT, K.PICKUP]


class TestTimes:
    def test_month_day_rolls_back_over_new_year(self) -> None:
        record = parse_tracking(
            "12-30 10:00 已揽收\n01-02 09:00 已签收", reference_date=date(2025, 1, 3)
        )
        assert [e.time.local.date() for e in record.events if e.time] == [
            date(2024, 12, 30), date(2025, 1, 2),
        ]  # fmt: skip

    def test_relative_days(self) -> None:
        record = parse_tracking(
            "前天 18:20 已揽收\n昨天 08:02 快件到达【杭州】\n今天 09:00 已签收",
            reference_date=date(2025, 3, 1),
        )
        assert [e.time.local for e in record.events if e.time] == [
            datetime(2025, 2, 27, 18, 20), datetime(2025, 2, 28, 8, 2), datetime(2025, 3, 1, 9, 0),
        ]  # fmt: skip

    def test_other_utc_offset(self) -> None:
        record = parse_tracking("2025-06-09 18:42:11 已揽收", utc_offset_minutes=420)
        time = record.events[0].time
        assert time is not None and time.offset_minutes == 420 and time.confidence == "medium"
        assert record.utc_offset_minutes == 420

    def test_printed_offset_wins_and_orders_correctly(self) -> None:
        # 10:00Z is 18:00 in Beijing: after 17:00+08:00 although it reads earlier.
        record = parse_tracking("2025-06-09T10:00:00Z 已签收\n2025-06-09 17:00:00 已揽收")
        assert [e.kind for e in record.events] == [K.PICKUP, K.SIGNED]
        assert record.events[1].time is not None and record.events[1].time.offset_minutes == 0
        assert record.events[1].time.confidence == "high"

    def test_mixed_order_is_resorted_and_flagged(self) -> None:
        text = (
            "2025-06-09 08:00 已揽收\n"
            "2025-06-10 09:00 快件到达【杭州】\n"
            "2025-06-09 20:00 快件离开【嘉兴】"
        )
        record = parse_tracking(text)
        assert [e.line_no for e in record.events] == [1, 3, 2]
        assert "mixed_order" in record.flag_codes()


def test_record_serialises_to_json() -> None:
    record = parse_tracking(
        "运单号：SF1402287551234 顺丰\n2025-06-09 18:42:11 已揽收", reference_date=date(2025, 6, 9)
    )
    data = record.to_json()
    assert data["carrier_code"] == "SF"
    assert data["reference_date"] == "2025-06-09"
    assert data["events"][1]["kind"] == "pickup"
    assert data["events"][1]["time"]["local"] == "2025-06-09T18:42:11"
    assert data["events"][1]["time"]["source"] == "tracking"


def test_one_hundred_thousand_lines() -> None:
    """A sanity check that long pastes stay linear: every line parsed, in order, nothing lost.

    Timing is measured by benchmarks, not asserted here.
    """
    start = datetime(2020, 1, 1)
    wording = [
        "快件已发往【杭州余杭集散中心】",
        "快件到达 【杭州西湖营业点】",
        "快件交给王**，正在派送途中",
    ]
    lines = [
        f"{start + timedelta(minutes=7 * i):%Y-%m-%d %H:%M:%S}  {wording[i % 3]}"
        for i in range(100_000)
    ]
    text = "\n".join(reversed(lines))
    record = parse_tracking(text)
    assert len(record.events) == 100_000
    assert record.source_order is SourceOrder.NEWEST_FIRST
    assert record.events[0].line_no == 100_000 and record.events[-1].line_no == 1
    source = split_lines(text)
    assert all(source[e.line_no - 1] == e.raw_line for e in record.events[::997])


def test_ocr_glued_date_and_time_still_parse() -> None:
    """OCR of a tracking page often drops the space: 2025-06-0918:42:11."""
    from app.evidence.tracking import parse_tracking

    record = parse_tracking(
        "2025-06-0918:42:11\n顺丰速运 已收取快件\n2025-06-1121:40:05\n您的快件已签收"
    )
    times = [e.time.isoformat() for e in record.events if e.time]
    assert times == ["2025-06-09T18:42:11+08:00", "2025-06-11T21:40:05+08:00"]
