"""The archive view, offscreen: search by waybill, assign an inbox file, open an order's case,
import with progress and cancel, and the models under qtmodeltester."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from app.evidence import archive as core  # noqa: E402
from app.ui.archive_model import RecordRole, verdict_text  # noqa: E402
from app.ui.archive_view import ArchiveView, show_archive_window  # noqa: E402

VIDEOS = "synthetic/videos"
ORDER_SF = "3958216640123450001"  # waybill SF1234567890123, read in the packing video
ORDER_OTHER = "3958216640123450009"  # an order with no file yet
ORDERS = (
    "订单编号,买家会员名,宝贝标题,物流单号,物流公司,订单创建时间\n"
    f"{ORDER_SF},tb_lily88,蓝牙耳机,SF1234567890123,顺丰速运,2025-06-08 10:00:00\n"
    f"{ORDER_OTHER},王大锤,手机壳,YT5555508965056,圆通速递,2025-06-09 11:00:00\n"
)


@pytest.fixture(scope="module")
def master_archive(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """An archive built by the core: the SF packing video matches its order, the iPhone
    video (waybill 73190553102532, in no order) waits in the inbox."""
    folder = tmp_path_factory.mktemp("archive_master")
    inputs = folder / "inputs"
    inputs.mkdir()
    for name in ("packing_android_sf.mp4", "unboxing_iphone_zto.mov"):
        shutil.copyfile(corpus / VIDEOS / name, inputs / name)
    orders = folder / "orders.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    root = folder / "archive"
    core.init_archive(root)
    report = core.import_into_archive(root, sorted(inputs.iterdir()), orders)
    assert report.count("imported") == 2
    return root


@pytest.fixture
def archive_root(master_archive: Path, tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(master_archive, root)
    return root


@pytest.fixture
def view(qtbot, archive_root: Path):
    widget = ArchiveView()
    qtbot.addWidget(widget)
    widget.resize(1200, 720)
    widget.show()
    with qtbot.waitSignal(widget.controller.inbox_ready, timeout=20_000):
        widget.open_archive(archive_root)
    yield widget
    widget.controller.close()


def _rows(model) -> list:
    return [model.index(r, 0).data(RecordRole) for r in range(model.rowCount())]


def test_search_finds_the_waybill_and_shows_the_order(
    qtbot, view: ArchiveView, qtmodeltester
) -> None:
    with qtbot.waitSignal(view.controller.results_ready, timeout=10_000) as blocker:
        view.search.setText("SF1234567890123")  # typed: debounced, then one search
    assert blocker.args[0] == "SF1234567890123"
    results = _rows(view.results)
    assert [r.hit.order_no for r in results] == [ORDER_SF]
    assert results[0].verdict in ("continuous", "attention")
    # the waybill, buyer and continuity are in the table as the user reads it
    cells = [view.results.index(0, c).data() for c in range(view.results.columnCount())]
    assert "SF1234567890123" in cells[1] and cells[3] == "tb_lily88"
    assert cells[-1] == verdict_text(results[0].verdict)
    # one exact hit: its detail comes up by itself, with the video's reads and frame times
    qtbot.waitUntil(lambda: view.detail.files.rowCount() == 1, timeout=10_000)
    detail = view.detail.files.index(0, 0).data(RecordRole)
    assert detail.file.waybill == "SF1234567890123"
    assert detail.reads and all(r.time_ms is not None for r in detail.reads)
    assert "SF1234567890123" in view.detail.reads.toPlainText()
    assert view.detail.case_button.isEnabled()
    qtmodeltester.check(view.results)
    qtmodeltester.check(view.results_proxy)
    qtmodeltester.check(view.detail.files)


def test_partial_buyer_search_and_empty_query(qtbot, view: ArchiveView) -> None:
    with qtbot.waitSignal(view.controller.results_ready, timeout=10_000):
        view.search.setText("王大锤")
    assert [r.hit.order_no for r in _rows(view.results)] == [ORDER_OTHER]
    with qtbot.waitSignal(view.controller.results_ready, timeout=10_000):
        view.search.clear()
    kinds = sorted(r.hit.kind for r in _rows(view.results))
    assert kinds == ["file", "order", "order"]  # everything: two orders and the inbox file


def test_inbox_assignment_moves_the_file(
    qtbot, view: ArchiveView, archive_root: Path, qtmodeltester
) -> None:
    assert view.inbox.rowCount() == 1
    qtmodeltester.check(view.inbox)
    inbox_file = view.inbox.index(0, 0).data(RecordRole)
    assert inbox_file.file.name == "unboxing_iphone_zto.mov"
    assert "73190553102532" in view.inbox.index(0, 1).data()
    view.inbox_view.setCurrentIndex(view.inbox.index(0, 0))
    assert view.order_edit.isEnabled()
    # show the other order on the right, then one click assigns the file to it
    with qtbot.waitSignal(view.controller.order_ready, timeout=10_000):
        view.controller.show_order(ORDER_OTHER)
    assert view.assign_here.isEnabled() and ORDER_OTHER in view.assign_here.text()
    with qtbot.waitSignal(view.controller.inbox_ready, timeout=10_000):
        view.assign_here.click()
    assert view.inbox.rowCount() == 0
    assert [f.name for f in core.files_of_order(archive_root, ORDER_OTHER)] == [
        "unboxing_iphone_zto.mov"
    ]
    assert core.summary(archive_root).inbox == 0


def test_typed_order_number_makes_the_order(qtbot, view: ArchiveView, archive_root: Path) -> None:
    view.inbox_view.setCurrentIndex(view.inbox.index(0, 0))
    view.order_edit.setText("NEW-ORDER-1")
    with qtbot.waitSignal(view.controller.assigned, timeout=10_000) as blocker:
        view.assign_typed.click()
    assert blocker.args[0].order_no == "NEW-ORDER-1"
    assert core.get_order(archive_root, "NEW-ORDER-1").source == "user"


def test_open_case_for_the_order(qtbot, view: ArchiveView, archive_root: Path) -> None:
    with qtbot.waitSignal(view.controller.order_ready, timeout=10_000):
        view.controller.show_order(ORDER_SF)
    with qtbot.waitSignal(view.case_opened, timeout=60_000) as blocker:
        view.detail.case_button.click()
    folder = Path(blocker.args[0])
    assert folder == core.case_folder(archive_root, ORDER_SF)
    assert (folder / "case.sqlite").is_file()


def test_start_page_button_opens_the_archive_and_its_case_opens_in_the_window(
    qtbot, archive_root: Path, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings

    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    main = MainWindow(settings)
    qtbot.addWidget(main)
    main.show()
    main.start.archive_button.click()
    window = main._archive_window
    assert window.isVisible()
    assert show_archive_window(main) is window  # one archive window, raised again
    with qtbot.waitSignal(window.view.controller.inbox_ready, timeout=20_000):
        window.view.open_archive(archive_root)
    with qtbot.waitSignal(window.view.controller.order_ready, timeout=10_000):
        window.view.controller.show_order(ORDER_SF)
    with qtbot.waitSignal(main.controller.opened, timeout=60_000) as blocker:
        window.view.detail.case_button.click()
    assert blocker.args[0].order_no == ORDER_SF
    assert main.controller.root == core.case_folder(archive_root, ORDER_SF)
    main.close()
    assert not window.isVisible()  # the archive window closes with the main window


def test_import_with_progress_then_cancel(
    qtbot, view: ArchiveView, corpus: Path, tmp_path: Path
) -> None:
    inputs = tmp_path / "day"
    inputs.mkdir()
    for name in ("packing_reencoded_lavf.mp4", "unboxing_trimmed_copy.mov"):
        shutil.copyfile(corpus / VIDEOS / name, inputs / name)
    progress: list = []
    with qtbot.waitSignal(view.controller.import_finished, timeout=120_000) as blocker:
        worker = view.controller.import_files([inputs])
        assert worker is not None and view.progress.isVisible() and view.cancel_button.isVisible()
        worker.signals.progress.connect(progress.append)
    report = blocker.args[0]
    assert report.count("imported") == 2 and not report.cancelled
    assert progress and progress[-1].done == progress[-1].total == 2
    qtbot.waitUntil(lambda: not view.progress.isVisible(), timeout=5_000)
    # the re-encoded SF video joins the SF order; the trimmed iPhone copy goes to the inbox
    assert any(r.order_no == ORDER_SF for r in report.files)

    more = tmp_path / "more"
    more.mkdir()
    for n in range(3):
        (more / f"VID_{n}.mp4").write_bytes(
            (inputs / "packing_reencoded_lavf.mp4").read_bytes() + bytes([n])
        )
    with qtbot.waitSignal(view.controller.import_finished, timeout=120_000) as blocker:
        view.controller.import_files([more])
        view.cancel_button.click()
    assert blocker.args[0].cancelled
    assert blocker.args[0].count("imported") < 3


def test_a_folder_without_an_archive_is_reported(qtbot, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args, **kw: shown.append(args[2]))
    widget = ArchiveView()
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.controller.failed, timeout=10_000):
        widget.open_archive(tmp_path)
    assert shown and "archive.sqlite" in shown[0]
    assert not widget.search.isEnabled() and not widget.import_button.isEnabled()


def test_nothing_is_clipped_on_a_small_screen(qtbot, archive_root: Path) -> None:
    from app.evidence.i18n import current_language
    from app.ui.main import make_app

    clipping = pytest.importorskip("tests.ui.test_pseudo_locale")
    make_app(language=current_language())  # the bundled CJK font, as the app runs
    widget = ArchiveView()
    qtbot.addWidget(widget)
    widget.resize(1024, 640)
    widget.show()
    with qtbot.waitSignal(widget.controller.inbox_ready, timeout=20_000):
        widget.open_archive(archive_root)
    with qtbot.waitSignal(widget.controller.order_ready, timeout=10_000):
        widget.controller.show_order(ORDER_SF)
    widget.tabs.setCurrentIndex(1)
    widget.inbox_view.selectRow(0)
    qtbot.wait(50)
    assert not clipping.clipped(widget), "\n".join(clipping.clipped(widget))
    widget.controller.close()


def test_a_new_archive_opens_empty(qtbot, tmp_path: Path) -> None:
    widget = ArchiveView()
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.controller.opened, timeout=10_000) as blocker:
        widget.controller.create(tmp_path / "new")
    assert (blocker.args[0].orders, blocker.args[0].files) == (0, 0)
    assert (tmp_path / "new" / "archive.sqlite").is_file()
    assert widget.search.isEnabled() and widget.import_button.isEnabled()
    qtbot.waitUntil(lambda: "0" in widget.summary_label.text(), timeout=10_000)
    widget.controller.close()


def test_the_archive_opened_last_opens_again_with_the_archive_window(
    qtbot, archive_root: Path, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings

    ini = str(tmp_path / "settings.ini")
    first = MainWindow(Settings(QSettings(ini, QSettings.Format.IniFormat)))
    qtbot.addWidget(first)
    first.show()
    first.start.archive_button.click()
    window = first._archive_window
    assert window.view.controller.root is None  # nothing remembered yet: nothing opened
    with qtbot.waitSignal(window.view.controller.inbox_ready, timeout=20_000):
        window.view.open_archive(archive_root)
    first.close()  # quits: the archive window closes with it

    settings = Settings(QSettings(ini, QSettings.Format.IniFormat))  # the next start
    assert settings.last_archive == archive_root.resolve()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.show()
    again.start.archive_button.click()
    view = again._archive_window.view
    qtbot.waitUntil(lambda: view.controller.root == archive_root.resolve(), timeout=20_000)
    qtbot.waitUntil(lambda: view.inbox.rowCount() == 1, timeout=20_000)  # its inbox shown
    assert str(archive_root.resolve()) in view.path_label.text()
    again.close()

    shutil.rmtree(archive_root)  # moved or deleted since: the window opens empty, no error
    assert settings.last_archive is None
    third = MainWindow(settings)
    qtbot.addWidget(third)
    third.show()
    third.start.archive_button.click()
    assert third._archive_window.view.controller.root is None
    third.close()
