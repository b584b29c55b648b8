"""open_order_case: the order's case with its files, the seller profile and the waybill scans."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evidence.archive import (
    OrderNotFound,
    assign,
    import_into_archive,
    inbox_files,
    init_archive,
    open_order_case,
)
from app.evidence.disputes import case_dispute, evaluate_checklist
from app.evidence.disputes.matchers import waybills_of
from app.evidence.service.verifying import verify_case
from app.evidence.store.case import Case
from tests.evidence.archive.conftest import ORDER_SF, write_orders


@pytest.fixture
def archive(tmp_path: Path, day: Path) -> Path:
    root = init_archive(tmp_path / "archive")
    import_into_archive(
        root,
        [day / "VID_20250609_101500.mp4", day / "VID_20250609_113000.mp4"],
        write_orders(tmp_path / "orders.csv"),
    )
    return root


def test_case_for_an_order(archive: Path) -> None:
    folder = open_order_case(archive, ORDER_SF)
    assert folder == archive / "cases" / ORDER_SF
    with Case.open(folder) as case:
        info = case.info()
        assert (info.order_no, info.role, info.dispute) == (ORDER_SF, "seller", "proof_of_shipment")
        items = case.items()
        assert [i.original_name for i in items] == ["VID_20250609_101500.mp4"]
        assert waybills_of(items[0]) == frozenset({"SF1234567890123"})
        assert items[0].metadata["waybill_scan"]["carrier"] == "SF"
        statuses = {s.item.id: s.state for s in evaluate_checklist(case, case_dispute(case))}
        assert statuses["packing_video"] == "matched"
        assert verify_case(case).ok
        assert case.audit_entries()[-1].action == "item.waybills"
    assert not (archive / ".staging").exists() or not any((archive / ".staging").iterdir())


def test_opening_again_adds_what_was_assigned_since(archive: Path) -> None:
    folder = open_order_case(archive, ORDER_SF)
    assign(archive, inbox_files(archive)[0].id, ORDER_SF)
    assert open_order_case(archive, ORDER_SF) == folder
    with Case.open(folder) as case:
        names = sorted(i.original_name for i in case.items())
    assert names == ["VID_20250609_101500.mp4", "VID_20250609_113000.mp4"]
    open_order_case(archive, ORDER_SF)
    with Case.open(folder) as case:
        assert len(case.items()) == 2


def test_other_seller_profile_and_unknown_order(archive: Path) -> None:
    folder = open_order_case(archive, ORDER_SF, dispute="return_damaged")
    with Case.open(folder) as case:
        assert case.info().dispute == "return_damaged"
    with pytest.raises(OrderNotFound):
        open_order_case(archive, "404")
