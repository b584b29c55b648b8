"""Money, dates and counts read naturally in Chinese and in English."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from app.evidence.i18n import PSEUDO, current_language, set_language
from app.evidence.locale_format import (
    format_count,
    format_date,
    format_datetime,
    format_day_and_time,
    format_money,
    format_number,
    format_offset,
    format_when,
)

EVENING = datetime(2025, 6, 12, 19, 31, 5, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture
def language():
    before = current_language()
    yield set_language
    set_language(before)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("128.5"), "¥128.50"),
        ("128.50", "¥128.50"),
        ("1280", "¥1,280.00"),
        ("1,280.005", "¥1,280.01"),  # half up, as a receipt rounds
        ("¥99", "¥99.00"),
        (0, "¥0.00"),
        ("-3", "-¥3.00"),
    ],
)
def test_money_is_yuan_in_both_languages(language, amount, expected: str) -> None:
    for lang in ("zh_CN", "en"):
        language(lang)
        assert format_money(amount) == expected


def test_money_in_another_currency_and_bad_input() -> None:
    assert format_money("12", "usd") == "USD 12.00"
    assert format_money("12", "RMB") == "¥12.00"
    with pytest.raises(ValueError):
        format_money("twelve")
    with pytest.raises(TypeError):
        format_money(12.5)  # type: ignore[arg-type]


def test_dates_and_times(language) -> None:
    language("zh_CN")
    assert format_datetime(EVENING) == "2025年6月12日 19:31"
    assert format_datetime(EVENING, seconds=True) == "2025年6月12日 19:31:05"
    assert format_date(date(2025, 1, 2)) == "2025年1月2日"
    assert format_day_and_time(EVENING) == "6月12日 19:31"
    language("en")
    assert format_datetime(EVENING) == "12 Jun 2025 19:31"
    assert format_date(date(2025, 1, 2)) == "2 Jan 2025"
    assert format_day_and_time(EVENING) == "12 Jun 19:31"
    language(PSEUDO)
    assert format_datetime(EVENING) == "12 Jun 2025 19:31"
    assert (
        format_date("2025-12-31", language="zh_CN") == "2025年12月31日"
    )  # an explicit language wins


def test_when_takes_what_the_case_stores() -> None:
    assert format_when("2025-06-01", language="zh_CN") == "2025年6月1日"
    assert format_when("2025-06-11T21:40:00+08:00", language="zh_CN") == "2025年6月11日 21:40"
    assert format_when("2025-06-11 21:40", language="en") == "11 Jun 2025 21:40"
    assert format_when(date(2025, 6, 1), language="en") == "1 Jun 2025"
    assert format_when(EVENING, seconds=True, language="en") == "12 Jun 2025 19:31:05"
    assert format_offset(480) == "UTC+08:00" and format_offset(-210) == "UTC-03:30"


def test_counts_and_numbers(language) -> None:
    assert format_count(3, "项", "item", language="zh_CN") == "3 项"
    assert format_count(1, "项", "item", language="en") == "1 item"
    assert format_count(1200, "项", "item", language="en") == "1,200 items"
    assert format_count(2, "批", "batch", "batches", language="en") == "2 batches"
    assert format_number(1234567) == "1,234,567"
    assert format_number(1234.5, 1) == "1,234.5"
