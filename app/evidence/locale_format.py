"""Money, numbers, dates and times as a Chinese or English reader expects them.

Shared by the window, the command line and the PDF; no Qt, and no dependence on the machine's
C locale (``strftime("%b")`` would print the month in whatever language the PC is set to).

Choices:
    - Money is "¥128.50" in both languages. Every amount comes from a Chinese platform's order page,
      where it is written that way; the bilingual PDF must show one figure that both readers and
      the platform's reviewer recognise. CLDR's English "CN¥" guards against yen, which cannot
      occur here. Other currencies (rare: cross-border orders) are "USD 12.00".
    - Dates: zh "2025年6月12日 19:31" (no zero padding, as Chinese sites write them);
      en "12 Jun 2025 19:31" (day-month-year with the month as a word: never ambiguous).
    - Digits are grouped by thousands with a comma in both ("1,234"), as Chinese sites do.
    - The pseudo-locale uses the English formats.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.evidence.i18n import current_language

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CURRENCY_SYMBOLS = {"CNY": "¥", "RMB": "¥"}


def _chinese(language: str | None) -> bool:
    return (language or current_language()).startswith("zh")


def format_money(
    amount: Decimal | str | int, currency: str | None = "CNY", *, language: str | None = None
) -> str:
    """ "¥128.50", "¥1,280.00", "-¥3.00"; "USD 12.00" for other currencies.

    Args:
        amount: a Decimal, an int or decimal text ("128.5", "1,280", "¥99"); never a float.
        currency: ISO code; CNY when None.
        language: unused for money today (the same in both); accepted for symmetry.

    Raises:
        ValueError: the amount is not a number.
    """
    del language  # the same figure in both languages (see the module docstring)
    if isinstance(amount, float):
        raise TypeError("pass money as Decimal or text, never float")
    text = str(amount).strip().replace(",", "").replace("¥", "").replace("￥", "")
    try:
        value = Decimal(text).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount of money: {amount!r}") from exc
    code = (currency or "CNY").upper()
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,.2f}"
    symbol = CURRENCY_SYMBOLS.get(code)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{code} {digits}"


def format_number(
    value: int | float | Decimal, digits: int = 0, *, language: str | None = None
) -> str:
    """ "1,234" or, with digits=1, "1,234.5"; the same in both languages."""
    del language
    return f"{value:,.{digits}f}"


def format_count(
    n: int, zh_unit: str, en_one: str, en_many: str | None = None, *, language: str | None = None
) -> str:
    """ "3 项" / "3 items", "1 item": a number with its unit, plural in English."""
    if _chinese(language):
        return f"{n:,} {zh_unit}"
    return f"{n:,} {en_one if n == 1 else (en_many or en_one + 's')}"


def _as_datetime(value: datetime | str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value


def format_date(value: date | datetime | str, *, language: str | None = None) -> str:
    """ "2025年6月12日" / "12 Jun 2025"."""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    if _chinese(language):
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def format_time(value: datetime, *, seconds: bool = False) -> str:
    """ "19:31" or "19:31:05" (24-hour in both languages)."""
    return f"{value:%H:%M:%S}" if seconds else f"{value:%H:%M}"


def format_datetime(
    value: datetime | str, *, seconds: bool = False, language: str | None = None
) -> str:
    """ "2025年6月12日 19:31" / "12 Jun 2025 19:31": the wall time as given (convert first)."""
    moment = _as_datetime(value)
    return f"{format_date(moment, language=language)} {format_time(moment, seconds=seconds)}"


def format_day_and_time(value: datetime, *, language: str | None = None) -> str:
    """ "6月12日 19:31" / "12 Jun 19:31": for lists within one case, where the year is known."""
    if _chinese(language):
        return f"{value.month}月{value.day}日 {format_time(value)}"
    return f"{value.day} {MONTHS_EN[value.month - 1]} {format_time(value)}"


def format_when(
    value: date | datetime | str, *, seconds: bool = False, language: str | None = None
) -> str:
    """A date, or a date and time, whichever `value` is ("2025-06-12", "2025-06-12T19:31")."""
    if isinstance(value, str):
        text = value.strip()
        if len(text) <= 10:
            return format_date(text, language=language)
        return format_datetime(text.replace(" ", "T", 1), seconds=seconds, language=language)
    if isinstance(value, datetime):
        return format_datetime(value, seconds=seconds, language=language)
    return format_date(value, language=language)


def format_offset(minutes: int) -> str:
    """ "UTC+08:00", "UTC-03:30"."""
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"
