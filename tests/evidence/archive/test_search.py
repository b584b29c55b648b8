"""find() over a small archive and over a generated 100,000-shipment index."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from app.evidence.archive import assign, find, import_into_archive, import_orders_csv, init_archive
from app.evidence.archive import index as search_index
from app.evidence.archive.db import Archive
from tests.evidence.archive.conftest import JD_UNKNOWN, ORDER_SF, ORDER_YT, ORDER_ZTO, write_orders

SHIPMENTS = 100_000
BUYERS = ("小明", "tb_lily", "王大锤", "陈小姐", "快乐的猫", "sunny")
ITEMS = ("女式针织开衫", "蓝牙耳机", "手机壳", "保温杯", "书架", "充电宝")


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


@pytest.fixture(scope="session")
def big_archive(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, list[tuple[str, str, str]]]:
    """100,000 orders inserted directly in one transaction, then indexed in one statement."""
    root = tmp_path_factory.mktemp("big") / "archive"
    rng = random.Random(8)
    rows = []
    for n in range(SHIPMENTS):
        order_no = rng.choice("1234") + _digits(rng, 18)
        waybill = rng.choice(("SF", "YT", "75")) + _digits(rng, 13 if n % 3 else 12)
        buyer = f"{rng.choice(BUYERS)}{rng.randint(1, 999)}"
        date = (
            f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 10:{rng.randint(0, 59):02d}:00"
        )
        rows.append((n + 1, order_no, waybill, buyer, rng.choice(ITEMS), date))
    with Archive.create(root) as archive, archive.transaction() as conn:
        conn.executemany(
            "INSERT INTO orders (id, order_no, buyer, item, order_date, source, updated_at) "
            "VALUES (?,?,?,?,?,'csv','')",
            [(i, o, b, it, d) for i, o, _, b, it, d in rows],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO order_waybills (waybill, order_id) VALUES (?, ?)",
            [(w, i) for i, _, w, *_ in rows],
        )
        search_index.rebuild(conn)
    return root, [(o, w, b) for _, o, w, b, _, _ in rows[::1000]]


def test_find_by_order_waybill_buyer_item_and_date(tmp_path: Path, day: Path) -> None:
    archive = init_archive(tmp_path / "archive")
    import_into_archive(archive, [day], write_orders(tmp_path / "orders.csv"))
    hit = find(archive, ORDER_ZTO)[0]
    assert (hit.kind, hit.order_no, hit.exact, hit.file_count) == ("order", ORDER_ZTO, True, 1)
    assert hit.waybills == ("73190553102532",) and hit.buyer == "小明同学"
    assert [h.order_no for h in find(archive, "sf1234567890123")] == [ORDER_SF]  # any case
    assert [h.order_no for h in find(archive, "0553102")] == [ORDER_ZTO]  # part of a waybill
    assert [h.order_no for h in find(archive, "小明")] == [ORDER_ZTO]  # two characters
    assert [h.order_no for h in find(archive, "手机壳")] == [ORDER_YT]
    assert find(archive, "王大锤 手机壳")[0].matched == ("buyer", "item")
    assert ORDER_ZTO in {h.order_no for h in find(archive, "2025-06-10")}
    assert find(archive, "IMG_0422")[0].order_no == ORDER_YT  # the file's name
    inbox = find(archive, JD_UNKNOWN)
    assert [(h.kind, h.file_name) for h in inbox] == [("file", "VID_20250609_113000.mp4")]
    assign(archive, inbox[0].file_id, ORDER_SF)
    assert [(h.kind, h.order_no) for h in find(archive, JD_UNKNOWN)] == [("order", ORDER_SF)]
    assert find(archive, "no such thing") == [] and find(archive, "   ") == []
    assert find(archive, '"') == [] and find(archive, "%_") == []


def test_search_without_fts5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.evidence.archive.db.fts_available", lambda: False)
    archive = init_archive(tmp_path / "archive")
    csv = tmp_path / "orders.csv"
    csv.write_text(
        "订单编号,物流单号,买家会员名\n1001,SF1234567890123,小明\n1002,YT5555508965056,lily\n",
        encoding="utf-8",
    )
    import_orders_csv(archive, csv)
    with Archive.open(archive, writable=False) as opened:
        assert opened.search_mode == "like"
    assert [h.order_no for h in find(archive, "567890")] == ["1001"]
    assert [h.order_no for h in find(archive, "小明")] == ["1001"]
    assert [h.order_no for h in find(archive, "1002")] == ["1002"]


def test_hundred_thousand_shipments(big_archive: tuple[Path, list[tuple[str, str, str]]]) -> None:
    root, samples = big_archive
    for order_no, waybill, buyer in samples[:20]:
        assert find(root, order_no)[0].order_no == order_no
        assert find(root, waybill)[0].order_no == order_no
        assert order_no in {h.order_no for h in find(root, waybill[-8:], limit=200)}
        assert order_no in {h.order_no for h in find(root, f"{buyer} {waybill[2:7]}", limit=200)}
    hits = find(root, "小明", limit=25)
    assert len(hits) == 25 and all(h.buyer.startswith("小明") for h in hits)
    assert [h.order_no for h in find(root, "2025-03-07 充电宝", limit=5000)]


def test_an_order_made_by_assigning_a_file_shows_the_waybill_read_in_it(
    tmp_path: Path, day: Path
) -> None:
    """Issue 19, point 9: an inbox video assigned to an order the list does not know showed 面单号
    "—"; the order now shows the waybill its frames read (the listed ones win when there are)."""
    from app.evidence.archive import get_order

    archive = init_archive(tmp_path / "archive")
    import_into_archive(archive, [day], write_orders(tmp_path / "orders.csv"))
    inbox = find(archive, JD_UNKNOWN)
    assign(archive, inbox[0].file_id, "990011223344")
    assert find(archive, "990011223344")[0].waybills == (JD_UNKNOWN,)
    assert get_order(archive, "990011223344").waybills == (JD_UNKNOWN,)
    assert find(archive, ORDER_ZTO)[0].waybills == ("73190553102532",)  # listed: unchanged
