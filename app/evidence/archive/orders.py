"""The shop's order export (CSV, as 千牛 / the seller centre / Excel save it) into the archive.

Exports differ: GBK or UTF-8 (with BOM), commas or tabs, a title line above the header,
numbers wrapped as ="3958216640123456789" or followed by a tab so Excel keeps them as text,
several waybills in one cell ("No:SF1234567890123,SF1234567890124"). Columns are found by
their header (Chinese or English); a row without an order number is skipped with a warning,
and so is a number Excel already turned into 3.95822E+18 (the digits are lost).
"""

from __future__ import annotations

import csv
import io
import logging
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.evidence.archive import index
from app.evidence.archive.db import Archive, utc_now
from app.evidence.archive.model import ArchiveError, OrderImportReport
from app.evidence.i18n import tr

log = logging.getLogger(__name__)

MAX_CSV_BYTES = 200 * 1024 * 1024
HEADER_SEARCH_LINES = 40
"""Physical lines searched for the header (a title line or two may sit above it)."""
MAX_RECORD_LINES = 20
"""Physical lines one record may span (a note with line breaks, quoted); a quote still open
after this many lines is a stray quote (a title such as 12" 相框) and that line is re-read
without quotes, so one bad row never swallows the rest of the file."""
_LINE_BREAK = re.compile(r"\r\n|\n|\r")

HEADERS: dict[str, tuple[str, ...]] = {
    "order_no": (
        "订单编号",
        "订单号",
        "主订单编号",
        "子订单编号",
        "order_no",
        "order number",
        "order id",
        "order",
    ),
    "waybill": (
        "物流单号",
        "运单号",
        "快递单号",
        "面单号",
        "waybill",
        "tracking number",
        "tracking",
        "waybill number",
    ),
    "buyer": ("买家会员名", "买家昵称", "买家旺旺", "买家", "buyer", "buyer nickname", "nickname"),
    "item": ("宝贝标题", "商品标题", "商品名称", "宝贝名称", "item", "title", "product"),
    "date": (
        "订单创建时间",
        "下单时间",
        "订单付款时间",
        "付款时间",
        "发货时间",
        "date",
        "order date",
        "created",
    ),
    "carrier": ("物流公司", "快递公司", "carrier", "courier"),
    "note": ("商家备注", "卖家备注", "订单备注", "备注", "note", "notes", "remark"),
}
_SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+\d+")
_NUMBER = re.compile(r"[A-Za-z0-9]{8,30}")
_DATE = re.compile(
    r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)


@dataclass(frozen=True)
class OrderRow:
    """One order as read from an export."""

    order_no: str
    waybills: tuple[str, ...]
    buyer: str = ""
    item: str = ""
    order_date: str | None = None
    carrier: str | None = None
    note: str = ""


def read_orders_csv(path: Path) -> tuple[list[OrderRow], list[str]]:
    """Parse an order export; returns the orders and plain-words warnings.

    Raises:
        ArchiveError: the file cannot be read, is too large, or has no order-number column.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ArchiveError(
            tr(
                "无法读取订单导出文件 {path}：{error}",
                "cannot read the order export {path}: {error}",
                path=path,
                error=exc.strerror or exc,
            )
        ) from exc
    if len(data) > MAX_CSV_BYTES:
        raise ArchiveError(
            tr(
                "{name} 超过 {mb} MB",
                "{name} is larger than {mb} MB",
                name=Path(path).name,
                mb=MAX_CSV_BYTES // 2**20,
            )
        )
    text = _decode(data)
    dialect = _dialect(text)
    lines = _LINE_BREAK.split(text)
    head = list(_records(lines[:HEADER_SEARCH_LINES], dialect, 0, []))
    header_at, columns = _find_header([cells for _, cells, _ in head])
    if header_at is None:
        raise ArchiveError(
            tr(
                "{name}：前几行里没有“订单编号”列",
                "{name}: no order-number column in the first rows",
                name=Path(path).name,
            )
        )
    _, header, header_end = head[header_at]
    orders: list[OrderRow] = []
    warnings: list[str] = []
    body = _records(lines[header_end:], dialect, len(header), warnings, first_line=header_end + 1)
    for line_no, row, _ in body:
        if not any(cell.strip() for cell in row):
            continue
        order = _order(row, columns, line_no, warnings)
        if order is not None:
            orders.append(order)
    return orders, warnings


def upsert_orders(archive: Archive, rows: list[OrderRow], source: str = "csv") -> tuple[int, int]:
    """Add or update orders (waybills are merged), in one transaction; returns (added, updated)."""
    added = updated = 0
    now = utc_now()
    with archive.transaction() as conn:
        for row in rows:
            existing = conn.execute(
                "SELECT id FROM orders WHERE order_no = ?", (row.order_no,)
            ).fetchone()
            if existing is None:
                cur = conn.execute(
                    "INSERT INTO orders (order_no, buyer, item, order_date, carrier, note, source, "
                    "updated_at) VALUES (?,?,?,?,?,?,?,?)",
                    (
                        row.order_no,
                        row.buyer,
                        row.item,
                        row.order_date,
                        row.carrier,
                        row.note,
                        source,
                        now,
                    ),
                )
                order_id = int(cur.lastrowid or 0)
                added += 1
            else:
                order_id = int(existing[0])
                conn.execute(
                    "UPDATE orders SET buyer = COALESCE(NULLIF(?, ''), buyer), "
                    "item = COALESCE(NULLIF(?, ''), item), "
                    "order_date = COALESCE(?, order_date), carrier = COALESCE(?, carrier), "
                    "note = COALESCE(NULLIF(?, ''), note), updated_at = ? WHERE id = ?",
                    (row.buyer, row.item, row.order_date, row.carrier, row.note, now, order_id),
                )
                updated += 1
            for waybill in row.waybills:
                _link_waybill(conn, waybill, order_id)
            index.refresh_order(conn, order_id)
    return added, updated


def _link_waybill(conn: sqlite3.Connection, waybill: str, order_id: int) -> None:
    owner = conn.execute(
        "SELECT order_id FROM order_waybills WHERE waybill = ?", (waybill,)
    ).fetchone()
    if owner is None:
        conn.execute(
            "INSERT INTO order_waybills (waybill, order_id) VALUES (?, ?)", (waybill, order_id)
        )
    elif owner[0] != order_id:
        log.warning("waybill %s is listed under two orders; kept with the first", waybill)


def import_orders(archive: Archive, path: Path) -> OrderImportReport:
    """Read an order export into the archive and assign inbox files that now match."""
    from app.evidence.archive.inbox import rematch_inbox

    rows, warnings = read_orders_csv(path)
    added, updated = upsert_orders(archive, rows)
    assigned = rematch_inbox(archive)
    skipped = sum(1 for w in warnings if isinstance(w, _SkippedRow))
    return OrderImportReport(
        len(rows) + skipped, added, updated, skipped, tuple(warnings), assigned
    )


# -- parsing -------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _dialect(text: str) -> type[csv.Dialect]:
    sample = "\n".join(text.splitlines()[:20])
    counts = {d: sample.count(d) for d in (",", "\t", ";")}
    delimiter = max(counts, key=lambda d: counts[d])

    class Export(csv.excel):
        pass

    Export.delimiter = delimiter
    return Export


def _records(
    lines: list[str],
    dialect: type[csv.Dialect],
    width: int,
    warnings: list[str],
    *,
    first_line: int = 1,
) -> Iterator[tuple[int, list[str], int]]:
    """(first physical line number, cells, last line number) per record, line by line.

    A record whose quote stays open runs on over the next lines (a quoted note with line
    breaks) for at most MAX_RECORD_LINES lines, and only when its quotes close where a field
    ends and the joined record has the header's `width` of cells (0: any). Otherwise the quote
    is a stray one: the first line is re-read without quoting and a warning names it (or, when
    that does not give `width` cells, says it was skipped); reading goes on with the next line.
    """
    delimiter = dialect.delimiter
    i = 0
    while i < len(lines):
        run = i
        while run < len(lines) and _quote_state(lines[run], delimiter) == "closed":
            run += 1
        if run > i:  # whole lines, the usual case: one reader for the run (C speed)
            reader = csv.reader(lines[i:run], dialect)
            while i < run:
                try:
                    row = next(reader)
                except csv.Error:  # a line past the field size limit: that line alone is bad
                    row = None
                if row is None:
                    yield from _fallback(lines[i], first_line + i, delimiter, width, warnings)
                    reader = csv.reader(lines[i + 1 : run], dialect)
                else:
                    yield first_line + i, row, first_line + i
                i += 1
            continue
        line_no = first_line + i
        end = i
        chunk = lines[i]
        state = _quote_state(chunk, delimiter)
        while state == "open" and end + 1 < len(lines) and end - i + 1 < MAX_RECORD_LINES:
            end += 1
            chunk += "\n" + lines[end]
            state = _quote_state(chunk, delimiter)
        row = None
        if state == "closed":
            row = _parse(chunk, dialect)
            if row is not None and end > i and not _fits(row, width):
                row = None  # two records glued by a stray quote: not one record
        if row is not None:
            yield line_no, row, first_line + end
            i = end + 1
            continue
        yield from _fallback(lines[i], line_no, delimiter, width, warnings)
        i += 1


def _fallback(
    line: str, line_no: int, delimiter: str, width: int, warnings: list[str]
) -> Iterator[tuple[int, list[str], int]]:
    """A line whose quotes do not pair: re-read without quoting, or skipped, and said so."""
    row = _unquoted(line, delimiter)
    if not _fits(row, width):
        warnings.append(
            _SkippedRow(
                tr(
                    "第 {line} 行：引号没有闭合，这一行无法读取，已跳过；其余各行照常读取",
                    "line {line}: a quote is not closed and the line cannot be read; "
                    "skipped, the other lines are read as usual",
                    line=line_no,
                )
            )
        )
        return
    warnings.append(
        tr(
            '第 {line} 行：引号不成对（如 12" 相框），已按原文读取，请核对这一行',
            'line {line}: a quote is not closed (as in 12" frame); read as written, '
            "check this line",
            line=line_no,
        )
    )
    yield line_no, row, line_no


def _fits(row: list[str], width: int) -> bool:
    """True when a row has the header's number of cells (0: any; empty cells past it allowed)."""
    if not width or len(row) == width:
        return True
    return len(row) > width and not any(cell.strip() for cell in row[width:])


def _quote_state(text: str, delimiter: str) -> str:
    """ "closed", "open" (ends inside a quoted field) or "bad" (a closing quote followed by
    more text, as in "12" 相框: not CSV as Excel writes it), by the rules Excel writes."""
    if '"' not in text or not (text.startswith('"') or f'{delimiter}"' in text or '\n"' in text):
        return "closed"  # no field starts with a quote: quotes inside fields are text
    quoted = False
    at_start = True
    n = 0
    size = len(text)
    while n < size:
        ch = text[n]
        if quoted:
            if ch == '"':
                if n + 1 < size and text[n + 1] == '"':
                    n += 1
                else:
                    quoted = False
                    if n + 1 < size and text[n + 1] not in (delimiter, "\n"):
                        return "bad"
        elif ch == '"' and at_start:
            quoted = True
        at_start = not quoted and ch in (delimiter, "\n")
        n += 1
    return "open" if quoted else "closed"


def _parse(chunk: str, dialect: type[csv.Dialect]) -> list[str] | None:
    try:
        rows = list(csv.reader(io.StringIO(chunk), dialect))
    except csv.Error:
        return None
    if len(rows) > 1:
        return None
    return rows[0] if rows else []


def _unquoted(line: str, delimiter: str) -> list[str]:
    """A line split at every delimiter, a field's enclosing quotes and doubled quotes undone."""
    cells = []
    for cell in line.split(delimiter):
        text = cell.strip()
        if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
            text = text[1:-1].replace('""', '"')
        cells.append(text)
    return cells


def _find_header(rows: list[list[str]]) -> tuple[int | None, dict[str, int]]:
    for at, row in enumerate(rows[:10]):
        names = [_clean(cell).lower() for cell in row]
        columns: dict[str, int] = {}
        for field, synonyms in HEADERS.items():
            for synonym in synonyms:
                if synonym.lower() in names:
                    columns[field] = names.index(synonym.lower())
                    break
        if "order_no" in columns:
            return at, columns
    return None, {}


def _clean(cell: str) -> str:
    text = cell.strip().strip("\t").strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    return text.lstrip("'").strip()


class _SkippedRow(str):
    """A warning about a row that was left out (counted as skipped, in any language)."""


def _order(
    row: list[str], columns: dict[str, int], line_no: int, warnings: list[str]
) -> OrderRow | None:
    def cell(field: str) -> str:
        at = columns.get(field)
        return _clean(row[at]) if at is not None and at < len(row) else ""

    order_no = cell("order_no")
    if _SCIENTIFIC.fullmatch(order_no):
        warnings.append(
            _SkippedRow(
                tr(
                    "第 {line} 行：订单号 {order} 被 Excel 转成了科学计数法；"
                    "请把数字设为文本后重新导出",
                    "line {line}: the order number {order} was turned into a float by Excel; "
                    "export again with numbers as text",
                    line=line_no,
                    order=order_no,
                )
            )
        )
        return None
    if not order_no:
        warnings.append(
            _SkippedRow(
                tr(
                    "第 {line} 行：没有订单号，已跳过",
                    "line {line}: no order number, skipped",
                    line=line_no,
                )
            )
        )
        return None
    waybill_text = cell("waybill")
    if _SCIENTIFIC.fullmatch(waybill_text):
        warnings.append(
            tr(
                "订单 {order}：运单号 {waybill} 被 Excel 转成了科学计数法",
                "order {order}: the waybill {waybill} was turned into a float by Excel",
                order=order_no,
                waybill=waybill_text,
            )
        )
        waybill_text = ""
    waybills = tuple(
        dict.fromkeys(
            w.upper() for w in _NUMBER.findall(waybill_text) if any(c.isdigit() for c in w)
        )
    )
    return OrderRow(
        order_no,
        waybills,
        cell("buyer"),
        cell("item"),
        _date(cell("date")),
        cell("carrier") or None,
        cell("note"),
    )


def _date(text: str) -> str | None:
    if not text:
        return None
    match = _DATE.search(text)
    if not match:
        return text
    year, month, day, hour, minute, second = match.groups()
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:
        return text
    return moment.strftime("%Y-%m-%d %H:%M:%S" if hour else "%Y-%m-%d")
