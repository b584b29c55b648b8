"""One unclosed quote in an order export (a title like 12" 相框) used to load 6 of 300 orders
silently, or stop at 3,000 rows with "field larger than field limit". The bad line is named by
its number and the rest load."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.evidence.archive.orders import read_orders_csv

HEADER = "订单编号,物流单号,买家会员名,宝贝标题,订单创建时间,商家备注"


def _row(n: int, title: str | None = None) -> str:
    title = title if title is not None else f"收纳盒 {n} 号"
    return f'="39582166{n:011d}",="SF{n:013d}",买家{n},{title},2025-06-{1 + n % 28:02d} 10:00:00,'


def _export(path: Path, rows: int, bad: dict[int, str], *, encoding: str = "gb18030") -> Path:
    lines = ["店铺订单导出 2025-06", HEADER]
    lines += [_row(n, bad.get(n)) for n in range(rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize("rows", [300, 3000])
def test_an_unclosed_quote_names_its_line_and_the_rest_load(
    tmp_path: Path, rows: int, language
) -> None:
    language("en")
    # line numbers: 1 title, 2 header, order n on line n + 3
    bad = {7: '"12" 相框', 150: '"相框 A4 白色'}
    path = _export(tmp_path / "orders.csv", rows, bad)
    started = time.monotonic()
    orders, warnings = read_orders_csv(path)
    assert time.monotonic() - started < 30
    assert len(orders) == rows
    by_no = {o.order_no: o for o in orders}
    assert by_no[f"39582166{8:011d}"].item == "收纳盒 8 号"  # the line after the bad one
    assert by_no[f"39582166{7:011d}"].item == '"12" 相框'  # read as written
    assert by_no[f"39582166{150:011d}"].item == '"相框 A4 白色'
    assert by_no[f"39582166{150:011d}"].waybills == (f"SF{150:013d}",)
    assert by_no[f"39582166{rows - 1:011d}"].waybills == (f"SF{rows - 1:013d}",)
    assert [w.split(":")[0] for w in warnings] == ["line 10", "line 153"]
    assert all("quote is not closed" in w for w in warnings)


def test_a_line_that_cannot_be_read_unquoted_is_skipped_by_number(tmp_path: Path, language) -> None:
    language("zh_CN")
    lines = [HEADER, _row(0), '="3958216600000000001","SF1,SF2,买家,坏,标题,2025-06-01,', _row(2)]
    path = tmp_path / "o.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    orders, warnings = read_orders_csv(path)
    assert [o.order_no for o in orders] == [f"39582166{0:011d}", f"39582166{2:011d}"]
    assert warnings == ["第 3 行：引号没有闭合，这一行无法读取，已跳过；其余各行照常读取"]


def test_quoted_notes_with_line_breaks_still_read_as_one_record(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text(
        HEADER + "\n"
        '="1001",SF1234567890123,lily,"杯子, 白色",2025-06-09,"第一行\n第二行 ""加急"""\n'
        '="1002",SF1234567890124,tom,盘子,2025-06-09,\n',
        "utf-8",
    )
    orders, warnings = read_orders_csv(path)
    assert warnings == []
    assert [(o.order_no, o.item, o.note) for o in orders] == [
        ("1001", "杯子, 白色", '第一行\n第二行 "加急"'),
        ("1002", "盘子", ""),
    ]
