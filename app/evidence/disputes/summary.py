"""The case summary: order, shop, item, amount, claim, category, statement; dispute and zone.

Every setter is one undoable edit. The order number, title and role live in case_info (set at
creation); the dispute type and time zone are changed here too, so every edit has undo.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from app.evidence.disputes.model import CaseSummary, DisputeRef
from app.evidence.disputes.profiles import categories, resolve
from app.evidence.store.case import Case
from app.evidence.store.undo import edit, has_timeline_tables
from app.evidence.timeline.dates import case_dates
from app.evidence.timeline.errors import DisputeError
from app.evidence.timeline.times import case_zone, valid_zone

CLAIMS: dict[str, tuple[str, str]] = {
    "refund": ("仅退款", "Refund only"),
    "return_refund": ("退货退款", "Return and refund"),
    "exchange": ("换货", "Exchange"),
    "compensation": ("赔偿", "Compensation"),
    "repair": ("维修", "Repair"),
    "resend": ("补发", "Resend"),
}

STATEMENT_LIMIT_BYTES = 400  # taobao.refund.message.add content, platform_rules §1.2 [H]

_UNSET: Any = object()
_FIELDS = ("shop", "item_title", "amount", "currency", "claim", "category", "statement")


def case_summary(case: Case) -> CaseSummary:
    """The summary as stored, with the dates in effect (ISO, case zone)."""
    info = case.info()
    row: tuple[Any, ...] = (None,) * len(_FIELDS)
    if has_timeline_tables(case.connection):
        found = case.connection.execute(
            f"SELECT {', '.join(_FIELDS)} FROM case_summary WHERE id = 1"
        ).fetchone()
        row = found or row
    values = dict(zip(_FIELDS, row, strict=True))
    zone = case_zone(info.timezone)
    dates = {
        name: (
            d.instant(zone).astimezone(zone).isoformat()
            if d.has_time
            else d.local.date().isoformat()
        )
        for name, d in case_dates(case).items()
    }
    statement = values["statement"] or ""
    return CaseSummary(
        title=info.title,
        role=info.role,
        order_no=info.order_no,
        dispute=info.dispute,
        timezone=info.timezone,
        shop=values["shop"],
        item_title=values["item_title"],
        amount=values["amount"],
        currency=values["currency"] or "CNY",
        claim=values["claim"],
        category=values["category"],
        statement=statement,
        statement_bytes=len(statement.encode("utf-8")),
        dates=dates,
    )


def set_summary(
    case: Case,
    *,
    shop: str | None = _UNSET,
    item_title: str | None = _UNSET,
    amount: str | None = _UNSET,
    currency: str | None = _UNSET,
    claim: str | None = _UNSET,
    category: str | None = _UNSET,
    statement: str | None = _UNSET,
) -> CaseSummary:
    """Change some summary fields (fields not passed stay as they are; None clears one).

    Raises:
        DisputeError: an amount that is not a number, an unknown claim or category.
    """
    given = {
        k: v
        for k, v in {
            "shop": shop,
            "item_title": item_title,
            "amount": amount,
            "currency": currency,
            "claim": claim,
            "category": category,
            "statement": statement,
        }.items()
        if v is not _UNSET
    }
    if given.get("amount") is not None:
        given["amount"] = _amount(str(given["amount"]))
    if given.get("claim") is not None and given["claim"] not in CLAIMS:
        raise DisputeError(f"claim must be one of {', '.join(CLAIMS)}")
    if given.get("category") is not None and given["category"] not in categories():
        raise DisputeError(f"category must be one of {', '.join(categories())}")
    for key in ("shop", "item_title", "statement"):
        value = given.get(key)
        if isinstance(value, str):
            given[key] = value.strip()
    if given.get("statement") is None and "statement" in given:
        given["statement"] = ""
    with edit(case, "case.summary", "修改案件概要", {k: v for k, v in given.items()}) as (
        conn,
        rec,
    ):
        rec.touch("case_summary", 1)
        conn.execute(
            "INSERT OR IGNORE INTO case_summary (id, updated_at) VALUES (1, ?)", (case.now(),)
        )
        if given:
            sets = ", ".join(f"{k} = ?" for k in given)
            conn.execute(
                f"UPDATE case_summary SET {sets}, updated_at = ? WHERE id = 1",
                (*given.values(), case.now()),
            )
    return case_summary(case)


def set_dispute(case: Case, text: str | None) -> DisputeRef | None:
    """Choose the dispute profile ("not_as_described:size", "未收到货" ...); None clears it.

    Raises:
        UnknownProfile: no such profile or variant.
    """
    ref = resolve(text) if text else None
    value = ref.text if ref else None
    with edit(case, "case.dispute", "设置纠纷类型", {"dispute": value}) as (conn, rec):
        rec.touch("case_info", 1)
        conn.execute("UPDATE case_info SET dispute = ? WHERE id = 1", (value,))
    return ref


def set_case_timezone(case: Case, name: str) -> None:
    """Show the case's local times in another IANA zone (stored times do not change)."""
    if not valid_zone(name):
        raise DisputeError(f"unknown time zone {name!r} (use an IANA name such as Asia/Shanghai)")
    with edit(case, "case.timezone", "设置时区", {"timezone": name}) as (conn, rec):
        rec.touch("case_info", 1)
        conn.execute("UPDATE case_info SET timezone = ? WHERE id = 1", (name,))


def case_dispute(case: Case) -> DisputeRef | None:
    """The case's dispute profile, or None when none (or an unknown one) is set."""
    text = case.info().dispute
    if not text:
        return None
    try:
        return resolve(text)
    except DisputeError:
        return None


def _amount(text: str) -> str:
    cleaned = re.sub(r"[¥￥,\s元]|RMB|CNY", "", text, flags=re.I)
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise DisputeError(f"amount {text!r} is not a number") from exc
    if value < 0:
        raise DisputeError("amount cannot be negative")
    return f"{value.quantize(Decimal('0.01'))}"
