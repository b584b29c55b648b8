"""Deadline arithmetic: month ends, the day after signing, hours, zones, days left."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from app.evidence.disputes import (
    case_deadlines,
    case_today,
    compute_deadlines,
    resolve,
    set_case_timezone,
    set_summary,
)
from app.evidence.timeline import case_dates, set_case_date
from app.evidence.timeline.dates import CaseDate
from app.evidence.timeline.times import case_zone
from app.evidence.tracking.model import EventKind
from tests.evidence.timeline.factory import add_tracking, new_case

SH = case_zone("Asia/Shanghai")


def one(rule: str, anchor: CaseDate | None, today: date):
    (deadline,) = compute_deadlines([rule], {anchor.name: anchor} if anchor else {}, SH, today)
    return deadline


def on(name: str, when: datetime | date, offset: int | None = 480) -> CaseDate:
    if isinstance(when, datetime):
        return CaseDate(name, when, offset, True, "manual")
    return CaseDate(name, datetime(when.year, when.month, when.day), None, False, "manual")


def test_seven_days_start_the_day_after_signing_across_a_month_end() -> None:
    d = one("seven_day_return", on("signed", datetime(2025, 6, 25, 23, 50)), date(2025, 6, 26))
    assert d.due_date == date(2025, 7, 2)  # 06-26 .. 07-02
    assert d.due_at.isoformat() == "2025-07-02T23:59:59+08:00"
    assert (d.days_left, d.status) == (6, "open")
    assert (
        one("seven_day_return", on("signed", date(2025, 6, 25)), date(2025, 7, 2)).status
        == "due_today"
    )
    late = one("seven_day_return", on("signed", date(2025, 6, 25)), date(2025, 7, 4))
    assert (late.status, late.days_left) == ("passed", -2)


def test_leap_february_and_year_end() -> None:
    assert one(
        "seven_day_return", on("signed", date(2024, 2, 26)), date(2024, 2, 26)
    ).due_date == date(2024, 3, 4)
    assert one(
        "seven_day_return", on("signed", date(2025, 2, 26)), date(2025, 2, 26)
    ).due_date == date(2025, 3, 5)
    d = one("after_sales_15d", on("trade_success", date(2025, 12, 20)), date(2025, 12, 31))
    assert (d.due_date, d.days_left) == (date(2026, 1, 4), 4)
    assert one(
        "after_sales_15d", on("trade_success", date(2025, 1, 31)), date(2025, 2, 1)
    ).due_date == date(2025, 2, 15)


def test_hour_rules_run_from_the_instant_and_from_midnight_when_only_a_date_is_known() -> None:
    d = one("unboxing_video_72h", on("signed", datetime(2025, 6, 30, 22, 15)), date(2025, 7, 1))
    assert d.due_at.isoformat() == "2025-07-03T22:15:00+08:00" and d.days_left == 2
    date_only = one("evidence_3d", on("intervention", date(2025, 6, 30)), date(2025, 7, 1))
    assert (
        date_only.due_at.isoformat() == "2025-07-03T00:00:00+08:00" and "0 点" in date_only.note_zh
    )


def test_the_signing_day_is_the_day_in_the_case_zone() -> None:
    utc_evening = on(
        "signed", datetime(2025, 6, 30, 17, 30), offset=0
    )  # 2025-07-01 01:30 in Shanghai
    assert one("seven_day_return", utc_evening, date(2025, 7, 1)).due_date == date(2025, 7, 8)
    moscow = case_zone("Europe/Moscow")
    (d,) = compute_deadlines(
        ["seven_day_return"], {"signed": utc_evening}, moscow, date(2025, 7, 1)
    )
    assert d.due_date == date(2025, 7, 7)  # 20:30 on 06-30 in Moscow


def test_missing_anchor_says_which_date_to_enter() -> None:
    d = one("seven_day_return", None, date(2025, 7, 1))
    assert d.status == "missing_date" and d.due_at is None and "签收" in d.note_zh


def test_case_deadlines_use_tracking_profile_and_category(tmp_path: Path) -> None:
    case = new_case(tmp_path, dispute="seven_day_return")
    add_tracking(case, [(EventKind.SIGNED, "2025-06-11 21:40:05", "已签收")])
    assert case_today(case) == date(2025, 6, 14)
    by_rule = {
        d.rule.id: d for d in case_deadlines(case, case_today(case), resolve("seven_day_return"))
    }
    assert list(by_rule) == [  # a buyer's pre-intervention windows first (issue 19)
        "seven_day_return",
        "unboxing_video_72h",
        "after_sales_15d",
        "seller_refund_after_return",
        "evidence_3d",
        "appeal_buyer",
    ]
    seven = by_rule["seven_day_return"]
    assert (seven.due_date, seven.days_left, seven.anchor_source) == (
        date(2025, 6, 18),
        4,
        "tracking",
    )
    set_case_date(case, "signed", date(2025, 6, 12))  # entered by hand: wins over tracking
    seven = case_deadlines(case, date(2025, 6, 14), resolve("seven_day_return"))[0]
    assert (seven.due_date, seven.anchor_source) == (date(2025, 6, 19), "manual")
    set_summary(case, category="apparel")
    ids = [
        d.rule.id for d in case_deadlines(case, date(2025, 6, 14), resolve("quality"), "apparel")
    ]
    assert ids[-2:] == ["cat_apparel_notify_48h", "cat_apparel_claim_15d"]
    generic_seller = [d.rule.id for d in case_deadlines(case, date(2025, 6, 14), None)]
    assert "unboxing_video_72h" in generic_seller  # the case is a buyer's


def test_case_today_follows_the_case_zone(tmp_path: Path) -> None:
    case = new_case(tmp_path)  # clock: 2025-06-14 04:00 UTC
    set_case_timezone(case, "America/Los_Angeles")
    assert case_today(case) == date(2025, 6, 13)
    assert case_dates(case) == {}


def test_pre_intervention_windows_show_once_their_dates_are_known(tmp_path: Path) -> None:
    """Issue 19: order, shipped, signed and after-sales dates filled in on a 描述不符 case: the
    unboxing and 7-day return windows are shown with source and confidence; the after-sales
    window waits for the trade-success date and says so."""
    case = new_case(tmp_path, dispute="not_as_described")
    for name, day in (
        ("order", date(2025, 6, 8)),
        ("shipped", date(2025, 6, 9)),
        ("signed", datetime(2025, 6, 11, 21, 40)),
        ("after_sales", date(2025, 6, 13)),
    ):
        set_case_date(case, name, day)
    by_rule = {
        d.rule.id: d for d in case_deadlines(case, date(2025, 6, 14), resolve("not_as_described"))
    }
    seven, video = by_rule["seven_day_return"], by_rule["unboxing_video_72h"]
    assert (seven.status, seven.due_date, seven.days_left) == ("open", date(2025, 6, 18), 4)
    assert (video.due_date, video.days_left) == (date(2025, 6, 14), 0)  # 72 h from 06-11 21:40
    assert (seven.rule.citation.source.id, seven.rule.citation.confidence) == ("S4", "high")
    assert (video.rule.citation.source.id, video.rule.citation.confidence) == ("S14", "medium")
    after = by_rule["after_sales_15d"]
    assert after.status == "missing_date" and "交易成功" in after.note_zh
    set_case_date(case, "trade_success", date(2025, 6, 12))
    after = {
        d.rule.id: d for d in case_deadlines(case, date(2025, 6, 14), resolve("not_as_described"))
    }["after_sales_15d"]
    assert (after.status, after.due_date, after.days_left) == ("open", date(2025, 6, 27), 13)
