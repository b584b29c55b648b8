"""Dates typed by a person: the forms people write, and one clear line for the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.evidence.timeline.typed_dates import TypedDateError, parse_typed_date

# 2025-06-12 10:00 in Shanghai
NOW = datetime(2025, 6, 12, 2, 0, tzinfo=UTC)
ZONE = ZoneInfo("Asia/Shanghai")


def parse(text: str, **kw):
    return parse_typed_date(text, now=NOW, zone=ZONE, **kw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-06-08", date(2025, 6, 8)),
        ("2025/6/8", date(2025, 6, 8)),
        ("2025-6-8", date(2025, 6, 8)),
        ("2025.6.8", date(2025, 6, 8)),
        ("6月8日", date(2025, 6, 8)),
        ("6月8号", date(2025, 6, 8)),
        ("2025年6月8日", date(2025, 6, 8)),
        ("2025年6月8日 20:00", datetime(2025, 6, 8, 20, 0)),
        ("2025年6月8日20点30分", datetime(2025, 6, 8, 20, 30)),
        ("2025-06-08T20:00", datetime(2025, 6, 8, 20, 0)),
        ("2025-06-08 20:00:15", datetime(2025, 6, 8, 20, 0, 15)),
        ("2025/6/8 8:05", datetime(2025, 6, 8, 8, 5)),
        ("６月８日　２０：００", datetime(2025, 6, 8, 20, 0)),
        ("今天 20:00", datetime(2025, 6, 12, 20, 0)),
        ("昨天 9:30", datetime(2025, 6, 11, 9, 30)),
        ("前天 21:15", datetime(2025, 6, 10, 21, 15)),
        ("前天", date(2025, 6, 10)),
        ("yesterday 9:30", datetime(2025, 6, 11, 9, 30)),
        ("now", datetime(2025, 6, 12, 10, 0)),
        ("NOW", datetime(2025, 6, 12, 10, 0)),
        ("现在", datetime(2025, 6, 12, 10, 0)),
        (
            "2025-06-08T20:00+08:00",
            datetime(2025, 6, 8, 20, 0, tzinfo=timezone(timedelta(hours=8))),
        ),
        ("2025-06-13 09:00", datetime(2025, 6, 13, 9, 0)),  # within a day of now
        ("12月30日", date(2024, 12, 30)),  # a month-day later than today is last year's
        ("2000-01-01", date(2000, 1, 1)),
        ("  ", None),
    ],
)
def test_accepted_forms(text: str, expected) -> None:
    assert parse(text) == expected


def test_with_time_gives_midnight_for_a_bare_date() -> None:
    assert parse("2025/6/8", with_time=True) == datetime(2025, 6, 8, 0, 0)


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("2025-02-30", "不是日历上的日期", "is not a calendar date"),
        ("2025年2月29日", "不是日历上的日期", "is not a calendar date"),
        ("2025-13-01", "不是日历上的日期", "is not a calendar date"),
        ("2025-06-08 25:00", "时刻不存在", "no such time of day"),
        ("2025-06-08T08:61", "时刻不存在", "no such time of day"),
        ("0001-01-01", "早于 2000-01-01", "before 2000-01-01"),
        ("0001-01-01T08:00", "早于 2000-01-01", "before 2000-01-01"),
        ("1999-12-31 23:59", "早于 2000-01-01", "before 2000-01-01"),
        ("2025-06-14", "在未来", "in the future"),
        ("2025-06-13 10:01", "在未来", "in the future"),
        ("9999-12-31", "在未来", "in the future"),
        ("20:00", "只有时刻", "a time without a date"),
        ("next tuesday", "无法识别", "unreadable date"),
        ("2025-06", "无法识别", "unreadable date"),
    ],
)
def test_refused_with_one_line_in_each_language(text: str, zh: str, en: str, language) -> None:
    for lang, words in (("zh_CN", zh), ("en", en)):
        language(lang)
        with pytest.raises(TypedDateError) as caught:
            parse(text)
        message = str(caught.value)
        assert words in message
        assert "\n" not in message and text.strip() in message
    assert isinstance(caught.value, ValueError)  # the window catches ValueError


def test_the_clock_is_injected() -> None:
    later = datetime(2030, 1, 1, tzinfo=UTC)
    assert parse_typed_date("2029-12-31", now=later, zone=ZONE) == date(2029, 12, 31)
    with pytest.raises(TypedDateError):
        parse("2029-12-31")


def test_the_window_uses_the_same_parser() -> None:
    pytest.importorskip("PySide6")
    from app.ui.dialogs import parse_when

    assert parse_when("2025/6/8 20:00", with_time=True) == datetime(2025, 6, 8, 20, 0)
    with pytest.raises(ValueError, match="2025-02-30"):
        parse_when("2025-02-30")
