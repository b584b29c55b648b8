"""Reading shop order exports: encodings, delimiters, Excel's habits, English headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evidence.archive import ArchiveError
from app.evidence.archive.orders import read_orders_csv
from tests.evidence.archive.conftest import ORDER_SPLIT, ORDER_ZTO, write_orders


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_qianniu_style_export(tmp_path: Path, encoding: str) -> None:
    orders, warnings = read_orders_csv(write_orders(tmp_path / "o.csv", encoding))
    by_no = {o.order_no: o for o in orders}
    assert by_no[ORDER_ZTO].waybills == ("73190553102532",)
    assert (by_no[ORDER_ZTO].buyer, by_no[ORDER_ZTO].item) == ("小明同学", "女式针织开衫")
    assert (by_no[ORDER_ZTO].carrier, by_no[ORDER_ZTO].note) == ("中通快递", "加急")
    assert by_no[ORDER_SPLIT].waybills == ("SF1111111111111", "SF2222222222222")
    assert len(orders) == 5 and len(warnings) == 1


def test_tab_separated_english_export(tmp_path: Path, language) -> None:
    path = tmp_path / "orders.tsv"
    path.write_text(
        "Order ID\tTracking Number\tBuyer\tTitle\tDate\n"
        "A-1001\tSF1234567890123\tlily\tcup\t2025/6/9\n"
        "\t\t\t\t\n"
        "\tYT5555508965056\tnobody\t\t\n",
        encoding="utf-8",
    )
    language("en")
    orders, warnings = read_orders_csv(path)
    assert [(o.order_no, o.waybills, o.order_date) for o in orders] == [
        ("A-1001", ("SF1234567890123",), "2025-06-09")
    ]
    assert warnings == ["line 4: no order number, skipped"]
    language("zh_CN")
    assert read_orders_csv(path)[1] == ["第 4 行：没有订单号，已跳过"]


def test_not_an_order_export(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ArchiveError):
        read_orders_csv(path)
    with pytest.raises(ArchiveError):
        read_orders_csv(tmp_path / "missing.csv")
