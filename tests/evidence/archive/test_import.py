"""Batch import into the archive: matching by waybill, order number and file name; the inbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evidence.archive import (
    ArchiveExists,
    ArchiveNotFound,
    ArchiveSummary,
    assign,
    files_of_order,
    find,
    get_order,
    import_into_archive,
    import_orders_csv,
    inbox_files,
    init_archive,
    summary,
    unassign,
)
from app.evidence.progress import CancelToken, Progress
from tests.evidence.archive.conftest import (
    JD_UNKNOWN,
    ORDER_NAMED,
    ORDER_SF,
    ORDER_SPLIT,
    ORDER_YT,
    ORDER_ZTO,
    write_orders,
)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return init_archive(tmp_path / "archive")


def test_a_days_files_go_to_their_orders(archive: Path, day: Path, tmp_path: Path) -> None:
    seen: list[Progress] = []
    report = import_into_archive(
        archive, [day], write_orders(tmp_path / "orders.csv"), progress=seen.append
    )
    by_name = {Path(r.path).name: r for r in report.files}
    assert by_name["VID_20250609_101500.mp4"].order_no == ORDER_SF
    assert by_name["VID_20250609_101500.mp4"].matched_by == "waybill"
    assert by_name["VID_20250609_101500.mp4"].carrier == "SF"
    assert by_name["IMG_0421.MOV"].order_no == ORDER_ZTO
    assert by_name["IMG_0422.jpg"].order_no == ORDER_YT
    named = by_name[f"{ORDER_NAMED} 打包.mp4"]
    assert (named.order_no, named.matched_by, named.waybill) == (ORDER_NAMED, "file_name", None)
    unknown = by_name["VID_20250609_113000.mp4"]
    assert (unknown.status, unknown.order_no, unknown.waybill) == ("imported", None, JD_UNKNOWN)
    # A bad file is reported and the batch goes on; a damaged video is kept in the inbox.
    assert (
        by_name["empty.mp4"].status == "failed" and by_name["empty.mp4"].error_code == "empty_file"
    )
    assert by_name["broken.mp4"].status == "imported" and by_name["broken.mp4"].message
    assert report.count("imported") == 6 and report.count("failed") == 1
    assert {Path(r.path).name for r in report.inbox} == {"VID_20250609_113000.mp4", "broken.mp4"}
    assert seen[-1] == Progress("archive_import", 7, 7, seen[-1].current)
    # The order export: the Excel-mangled row is skipped with a warning, split waybills kept.
    assert report.orders is not None
    assert (report.orders.added, report.orders.skipped) == (5, 1)
    assert "3.95822E+18" in report.orders.warnings[0]
    assert get_order(archive, ORDER_SPLIT).waybills == ("SF1111111111111", "SF2222222222222")
    assert get_order(archive, ORDER_ZTO).order_date == "2025-06-10 09:15:00"


def test_copies_are_byte_exact_and_duplicates_are_skipped(
    archive: Path, day: Path, tmp_path: Path
) -> None:
    import_into_archive(
        archive, [day / "VID_20250609_101500.mp4"], write_orders(tmp_path / "o.csv")
    )
    stored = files_of_order(archive, ORDER_SF)[0]
    assert (
        stored.storage == "copy"
        and Path(stored.path).read_bytes() == (day / "VID_20250609_101500.mp4").read_bytes()
    )
    assert (
        Path(stored.path).stat().st_mtime_ns == (day / "VID_20250609_101500.mp4").stat().st_mtime_ns
    )
    again = import_into_archive(archive, [day / "VID_20250609_101500.mp4"])
    assert again.files[0].status == "duplicate"


def test_files_left_in_place(archive: Path, day: Path) -> None:
    report = import_into_archive(archive, [day / "IMG_0421.MOV"], storage="in_place")
    stored = inbox_files(archive)[0]
    assert report.files[0].status == "imported"
    assert stored.storage == "in_place" and Path(stored.path) == (day / "IMG_0421.MOV").resolve()
    assert not any((archive / "originals").rglob("*.mov"))


def test_auto_storage_leaves_large_files_in_place(archive: Path, day: Path) -> None:
    video, photo = (day / "IMG_0421.MOV").stat().st_size, (day / "IMG_0422.jpg").stat().st_size
    assert video > photo
    import_into_archive(
        archive,
        [day / "IMG_0421.MOV", day / "IMG_0422.jpg"],
        storage="auto",
        copy_limit=(video + photo) // 2,  # the video is over the limit, the photo under it
    )
    storage = {f.name: f.storage for f in inbox_files(archive)}
    assert storage == {"IMG_0421.MOV": "in_place", "IMG_0422.jpg": "copy"}


def test_inbox_assign_and_orders_arriving_later(archive: Path, day: Path, tmp_path: Path) -> None:
    import_into_archive(archive, [day / "VID_20250609_113000.mp4", day / "VID_20250609_101500.mp4"])
    assert {f.name for f in inbox_files(archive)} == {
        "VID_20250609_113000.mp4",
        "VID_20250609_101500.mp4",
    }
    # The order export comes later: the matching inbox file is assigned by its waybill.
    orders = import_orders_csv(archive, write_orders(tmp_path / "orders.csv"))
    assert orders.assigned_from_inbox == 1
    waiting = inbox_files(archive)
    assert [f.name for f in waiting] == ["VID_20250609_113000.mp4"]
    assert waiting[0].waybills == (JD_UNKNOWN,)
    # One click: assign it to an order the seller types (made when unknown), and back.
    moved = assign(archive, waiting[0].sha256[:10], "3958216640123459999")
    assert (moved.order_no, moved.matched_by) == ("3958216640123459999", "user")
    assert get_order(archive, "3958216640123459999").source == "user"
    assert find(archive, JD_UNKNOWN)[0].order_no == "3958216640123459999"
    back = unassign(archive, moved.id)
    assert back.order_no is None and inbox_files(archive)[0].id == moved.id
    # Put back by hand, a file stays in the inbox when orders are read again.
    sf_file = files_of_order(archive, ORDER_SF)[0]
    unassign(archive, sf_file.id)
    import_orders_csv(archive, tmp_path / "orders.csv")
    assert {f.id for f in inbox_files(archive)} == {moved.id, sf_file.id}
    expected = ArchiveSummary(
        orders=6, files=2, inbox=2, cases=0, storage="copy", search="fts5-trigram"
    )
    assert summary(archive) == expected


def test_two_orders_matching_one_file_keep_it_in_the_inbox(
    archive: Path, day: Path, tmp_path: Path
) -> None:
    csv = tmp_path / "o.csv"
    csv.write_text("order_no,waybill,buyer\n1001,SF1234567890123,a\n", encoding="utf-8")
    import_orders_csv(archive, csv)
    renamed = day / "1002.mp4"
    (day / "VID_20250609_101500.mp4").rename(renamed)
    csv.write_text("order_no,waybill,buyer\n1001,SF1234567890123,a\n1002,,b\n", encoding="utf-8")
    import_orders_csv(archive, csv)
    # The frames say order 1001, the name says 1002: the waybill read wins (it comes first).
    report = import_into_archive(archive, [renamed])
    assert report.files[0].order_no == "1001"


def test_cancel_keeps_what_was_recorded(archive: Path, day: Path) -> None:
    token = CancelToken()
    calls: list[Progress] = []

    def progress(p: Progress) -> None:
        calls.append(p)
        if p.done == 1:
            token.cancel()

    report = import_into_archive(archive, [day], progress=progress, cancel=token, workers=1)
    assert report.cancelled
    assert report.count("imported") + report.count("failed") == 1
    assert len(inbox_files(archive)) == report.count("imported")
    assert not any((archive / "originals" / ".incoming").glob("*.part"))


def test_init_and_open_errors(archive: Path, tmp_path: Path) -> None:
    with pytest.raises(ArchiveExists):
        init_archive(archive)
    with pytest.raises(ArchiveNotFound):
        find(tmp_path / "nowhere", "x")
