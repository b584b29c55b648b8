"""Dispute flags: each one fires on the evidence it names and stays quiet otherwise."""

from __future__ import annotations

from app.evidence.tracking import FlagSeverity, TrackingFlag, TrackingRecord, parse_tracking


def _flag(record: TrackingRecord, code: str) -> TrackingFlag:
    found = [f for f in record.flags if f.code == code]
    assert len(found) == 1, record.flag_codes()
    return found[0]


NORMAL = """2025-06-09 18:42:11 已揽收
2025-06-10 07:20:44 快件到达【杭州西湖营业点】
2025-06-10 08:02:09 快件交给王**，正在派送途中
2025-06-10 09:15:30 您的快件已签收，签收人是本人"""


def test_a_normal_delivery_raises_no_flags() -> None:
    assert parse_tracking(NORMAL, order_city="杭州").flags == ()


def test_every_flag_has_both_languages_and_lines() -> None:
    text = """2025-06-01 08:00 【嘉兴市】已揽收
2025-06-05 08:00 【嘉兴市】快件滞留
2025-06-05 09:00 【嘉兴市】快件已由【文三路丰巢柜】代收
2025-06-05 10:00 【嘉兴市】您的快件已签收，签收人在【文三路丰巢柜】领取
2025-06-05 11:00 【嘉兴市】快件到达【嘉兴中心】
2025-06-06 11:00 【嘉兴市】收件人拒收
2025-06-07 11:00 【嘉兴市】退回"""
    record = parse_tracking(text, order_city="杭州")
    assert set(record.flag_codes()) >= {
        "station_without_consent", "signed_city_mismatch", "long_gap", "no_delivery_scan",
        "exception", "refused", "returned",
    }  # fmt: skip
    for flag in record.flags:
        assert flag.zh and flag.en and flag.line_nos, flag
    ranks = [list(FlagSeverity).index(f.severity) for f in record.flags]
    assert ranks == sorted(ranks, reverse=True)  # alerts first


class TestStationWithoutConsent:
    def test_locker_dropoff_is_flagged(self) -> None:
        text = NORMAL.replace(
            "您的快件已签收，签收人是本人", "快件已由【文三路丰巢柜】代收，请及时取件"
        )
        flag = _flag(parse_tracking(text), "station_without_consent")
        assert flag.line_nos == (4,)
        assert flag.severity is FlagSeverity.WARNING
        assert "同意" in flag.zh and "consent" in flag.en

    def test_signed_by_pickup_code_is_flagged(self) -> None:
        text = NORMAL.replace("签收人是本人", "签收人凭取货码签收")
        assert _flag(parse_tracking(text), "station_without_consent").line_nos == (4,)

    def test_recorded_consent_silences_it(self) -> None:
        text = NORMAL.replace(
            "您的快件已签收，签收人是本人", "按您的要求，快件已放入【文三路丰巢柜】，请及时取件"
        )
        assert "station_without_consent" not in parse_tracking(text).flag_codes()


class TestCityMismatch:
    def test_other_city_in_the_last_mile(self) -> None:
        text = NORMAL.replace("【杭州西湖营业点】", "【嘉兴市桐乡营业点】")
        flag = _flag(parse_tracking(text, order_city="浙江省杭州市"), "signed_city_mismatch")
        assert flag.severity is FlagSeverity.ALERT
        assert "嘉兴市桐乡营业点" in flag.zh and "浙江省杭州市" in flag.zh
        assert flag.line_nos == (2, 4)

    def test_no_city_named_means_no_claim(self) -> None:
        text = NORMAL.replace("【杭州西湖营业点】", "【西湖营业点】")
        assert "signed_city_mismatch" not in parse_tracking(text, order_city="上海").flag_codes()

    def test_without_order_city_nothing_is_compared(self) -> None:
        text = NORMAL.replace("【杭州西湖营业点】", "【嘉兴市桐乡营业点】")
        assert "signed_city_mismatch" not in parse_tracking(text).flag_codes()


class TestLongGap:
    def test_gap_over_48_hours_says_the_hours(self) -> None:
        text = "2025-06-01 08:00 已揽收\n2025-06-04 10:30 快件到达【杭州】"
        flag = _flag(parse_tracking(text), "long_gap")
        assert "74.5" in flag.zh and "74.5 hours" in flag.en
        assert flag.line_nos == (1, 2)

    def test_exactly_48_hours_is_not_long(self) -> None:
        text = "2025-06-01 08:00 已揽收\n2025-06-03 08:00 快件到达【杭州】"
        assert "long_gap" not in parse_tracking(text).flag_codes()

    def test_many_gaps_are_capped_with_a_summary(self) -> None:
        text = "\n".join(f"2025-{m:02d}-01 08:00 快件到达【杭州】" for m in range(1, 13))
        text += "\n" + "\n".join(f"2026-{m:02d}-01 08:00 快件到达【杭州】" for m in range(1, 13))
        record = parse_tracking(text)
        assert record.flag_codes().count("long_gap") == 20
        more = _flag(record, "long_gap_more")
        assert "3" in more.en


def test_no_delivery_scan_before_signing() -> None:
    text = NORMAL.replace("2025-06-10 08:02:09 快件交给王**，正在派送途中\n", "")
    flag = _flag(parse_tracking(text), "no_delivery_scan")
    assert flag.line_nos == (3,)


def test_signing_line_alone_is_not_judged() -> None:
    assert parse_tracking("2025-06-10 09:15:30 您的快件已签收").flags == ()


def test_signed_before_arrival_at_the_last_station() -> None:
    text = """2025-06-09 18:42:11 已揽收
2025-06-10 07:00:00 快件交给王**，正在派送途中
2025-06-10 08:00:00 您的快件已签收，签收人是本人
2025-06-10 09:00:00 快件到达【杭州西湖营业点】"""
    flag = _flag(parse_tracking(text), "signed_before_arrival")
    assert flag.severity is FlagSeverity.ALERT
    assert flag.line_nos == (3, 4)
    assert "2025-06-10 08:00:00" in flag.zh


def test_arrivals_on_the_way_back_after_a_refusal_are_normal() -> None:
    text = """2025-06-10 08:00:00 已签收
2025-06-10 09:00:00 收件人拒收，退回
2025-06-11 09:00:00 快件到达【杭州中心】"""
    assert "signed_before_arrival" not in parse_tracking(text).flag_codes()


def test_refused_and_returned_are_flagged() -> None:
    record = parse_tracking(
        "2025-05-21 15:23:28 未妥投，收件人拒收\n2025-05-22 09:00:00 退回，退回原因：收件人拒收"
    )
    assert _flag(record, "refused").line_nos == (1,)
    assert _flag(record, "returned").line_nos == (2,)
    assert "拒收" in _flag(record, "refused").zh


def test_exception_scan_is_flagged() -> None:
    record = parse_tracking("2025-06-10 08:00 【杭州市】快件滞留，地址不详")
    assert _flag(record, "exception").severity is FlagSeverity.WARNING
