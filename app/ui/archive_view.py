"""The seller's shipping-proof archive: search, the inbox, an order's detail, batch import.

Layout only; behaviour is in ArchiveController. Left: a search box over order numbers,
waybills, buyers and notes with the results table, and the inbox of files that match no
order (assign one to the order shown on the right with one click, or to a typed number).
Right: the order (or inbox file) in detail (archive_detail.DetailPane) and "open case for
this order", which prepares the order's case and hands it to the main window. Below:
progress and Cancel while files are imported or a case is prepared.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.evidence.i18n import tr
from app.evidence.service import Progress
from app.evidence.service.archive import ArchiveSummary, FileDetail, OrderDetail, SearchResult
from app.ui.archive_controller import ArchiveController
from app.ui.archive_detail import DetailPane, record_table
from app.ui.archive_model import (
    InboxModel,
    RecordRole,
    ResultsModel,
    SortProxy,
)
from app.ui.settings import Settings
from app.ui.worker import TaskRunner, Worker

log = logging.getLogger(__name__)


class ArchiveView(QWidget):
    """The archive pane; emits `case_opened` with an order's case folder, ready to open."""

    case_opened = Signal(object)  # Path

    def __init__(self, runner: TaskRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = ArchiveController(runner, self)
        self._worker: Worker | None = None
        self._order: OrderDetail | None = None
        self._file: FileDetail | None = None

        # -- top: the archive and its actions
        self.path_label = QLabel(tr("未打开存档", "No archive open"))
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(tr("打开存档…", "Open archive…"))
        self.new_button = QPushButton(tr("新建存档…", "New archive…"))
        self.import_button = QPushButton(tr("导入视频和照片…", "Import videos and photos…"))
        self.orders_button = QPushButton(tr("导入订单表…", "Import order export…"))
        top = QHBoxLayout()
        top.addWidget(self.path_label, 1)
        for button in (self.open_button, self.new_button, self.import_button, self.orders_button):
            top.addWidget(button)

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            tr(
                "搜索订单号、面单号（可输入一部分）、买家、商品、日期或备注",
                "Search order or waybill numbers (or part of one), buyers, items, dates, notes",
            )
        )
        self.summary_label = QLabel()

        # -- left: results and inbox
        self.results = ResultsModel(self)
        self.results_proxy = SortProxy(self.results, self)
        self.results_view = record_table(self.results_proxy)
        self.results_view.setSortingEnabled(True)
        self.results_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the search's own order
        self.inbox = InboxModel(self)
        self.inbox_view = record_table(self.inbox)
        self.assign_here = QPushButton(tr("分配到右侧订单", "Assign to the order on the right"))
        self.order_edit = QLineEdit()
        self.order_edit.setPlaceholderText(tr("或输入订单号", "or type an order number"))
        # room for a 19-digit Taobao order number as typed
        self.order_edit.setMinimumWidth(self.order_edit.fontMetrics().horizontalAdvance("0" * 21))
        self.assign_typed = QPushButton(tr("分配", "Assign"))
        assign_row = QHBoxLayout()
        assign_row.addWidget(self.assign_here)
        assign_row.addWidget(self.order_edit, 1)
        assign_row.addWidget(self.assign_typed)
        inbox_page = QWidget()
        inbox_layout = QVBoxLayout(inbox_page)
        inbox_layout.setContentsMargins(0, 4, 0, 0)
        inbox_layout.addWidget(self.inbox_view, 1)
        inbox_layout.addLayout(assign_row)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.results_view, tr("搜索结果", "Results"))
        self.tabs.addTab(inbox_page, tr("收件箱", "Inbox"))

        # -- right: the order or inbox file in detail
        self.detail = DetailPane()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.summary_label)
        left_layout.addWidget(self.tabs, 1)
        self.split = QSplitter()
        self.split.addWidget(left)
        self.split.addWidget(self.detail)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([560, 720])

        # -- bottom: progress
        self.status = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(320)
        self.cancel_button = QPushButton(tr("取消", "Cancel"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.split, 1)
        layout.addLayout(bottom)
        self._set_busy(False)
        self._set_open(False)
        self._connect()

    def _connect(self) -> None:
        c = self.controller
        self.open_button.clicked.connect(self.open_dialog)
        self.new_button.clicked.connect(self.new_dialog)
        self.import_button.clicked.connect(self.import_dialog)
        self.orders_button.clicked.connect(self.orders_dialog)
        self.search.textChanged.connect(c.set_query)
        self.search.textChanged.connect(self._filter_inbox)
        self.search.returnPressed.connect(c.search_now)
        self.results_view.selectionModel().currentRowChanged.connect(self._result_selected)
        self.inbox_view.selectionModel().currentRowChanged.connect(self._inbox_selected)
        self.detail.files_view.selectionModel().currentRowChanged.connect(self._file_selected)
        self.assign_here.clicked.connect(self._assign_to_shown)
        self.assign_typed.clicked.connect(self._assign_to_typed)
        self.order_edit.returnPressed.connect(self._assign_to_typed)
        self.detail.case_button.clicked.connect(self._open_case)
        self.cancel_button.clicked.connect(c.cancel)
        c.opened.connect(self._opened)
        c.summary_ready.connect(self._summary)
        c.results_ready.connect(self._results)
        c.inbox_ready.connect(self._inbox)
        c.order_ready.connect(self.show_order)
        c.file_ready.connect(self.show_file)
        c.case_ready.connect(self.case_opened.emit)
        c.busy.connect(self._busy)
        c.idle.connect(lambda: self._set_busy(False))
        c.message.connect(self.status.setText)
        c.failed.connect(self._failed)

    # -- user actions ---------------------------------------------------------------------------

    def open_archive(self, root: Path) -> None:
        """Open an archive folder."""
        self.controller.open(root)

    def open_dialog(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("打开存档", "Open archive"))
        if chosen:
            self.open_archive(Path(chosen))

    def new_dialog(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, tr("选择新存档的文件夹", "Choose a folder for the new archive")
        )
        if chosen:
            self.controller.create(Path(chosen))

    def import_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            tr("导入打包视频和面单照片", "Import packing videos and waybill photos"),
            "",
            tr("视频和照片", "Videos and photos")
            + " (*.mp4 *.mov *.3gp *.avi *.mkv *.jpg *.jpeg *.png *.heic *.webp);;"
            + tr("所有文件", "All files")
            + " (*)",
        )
        if files:
            self.controller.import_files([Path(f) for f in files])

    def orders_dialog(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            tr("导入订单表", "Import the order export"),
            "",
            tr("订单表", "Order exports")
            + " (*.csv *.xlsx *.xls);;"
            + tr("所有文件", "All files")
            + " (*)",
        )
        if chosen:
            self.controller.import_orders(Path(chosen))

    def _assign_to_shown(self) -> None:
        if self._order is not None:
            self._assign(self._order.order.order_no)

    def _assign_to_typed(self) -> None:
        if self.order_edit.text().strip():
            self._assign(self.order_edit.text())
            self.order_edit.clear()

    def _assign(self, order_no: str) -> None:
        index = self.inbox_view.currentIndex()
        chosen = index.data(RecordRole) if index.isValid() else None
        if isinstance(chosen, FileDetail):
            self.controller.assign(chosen.file.id, order_no)

    def _open_case(self) -> None:
        if self._order is not None:
            self.controller.open_case(self._order.order.order_no)

    # -- reactions ------------------------------------------------------------------------------

    def _opened(self, summary: ArchiveSummary) -> None:
        root = self.controller.root
        self.path_label.setText(
            "<b>" + tr("存档", "Archive") + "</b> " + html.escape(str(root or ""))
        )
        self._set_open(True)
        self._summary(summary)
        self.show_order(None)
        self.search.setFocus()

    def _summary(self, summary: ArchiveSummary) -> None:
        self.summary_label.setText(
            tr(
                "{orders} 个订单 · {files} 个文件 · 收件箱 {inbox} 个 · 已建案件 {cases} 个",
                "{orders} orders · {files} files · {inbox} in the inbox · {cases} cases",
                orders=summary.orders,
                files=summary.files,
                inbox=summary.inbox,
                cases=summary.cases,
            )
        )
        self.tabs.setTabText(1, tr("收件箱 ({n})", "Inbox ({n})", n=summary.inbox))

    def _results(self, query: str, results: list[SearchResult]) -> None:
        current = self._order.order.order_no if self._order is not None else None
        self.results.set_records(results)
        self.results_view.resizeColumnsToContents()
        if self.tabs.currentIndex() != 0 and query:
            self.tabs.setCurrentIndex(0)
        # one exact order: show it at once (a scanned or pasted waybill number)
        orders = [r for r in results if r.hit.kind == "order"]
        wanted = None
        if len(orders) == 1 and orders[0].hit.exact:
            wanted = orders[0].hit.order_no
        elif current is not None and any(r.hit.order_no == current for r in orders):
            wanted = current
        if wanted is not None:
            for row in range(self.results_proxy.rowCount()):
                record = self.results_proxy.index(row, 0).data(RecordRole)
                if record.hit.order_no == wanted:
                    self.results_view.setCurrentIndex(self.results_proxy.index(row, 0))
                    break

    def _inbox(self, files: list[FileDetail]) -> None:
        self._inbox_all = list(files)
        self._filter_inbox(self.search.text())

    def _filter_inbox(self, text: str) -> None:
        """The search box filters the inbox too: by file name or a waybill read from it."""
        query = text.strip().lower()
        files = getattr(self, "_inbox_all", [])
        shown = [
            d
            for d in files
            if not query
            or query in d.file.name.lower()
            or any(query in w.lower() for w in d.file.waybills)
        ]
        self.inbox.set_records(shown)
        self.inbox_view.resizeColumnsToContents()
        self._update_assign()

    def _result_selected(self, index: QModelIndex) -> None:
        record = index.data(RecordRole) if index.isValid() else None
        if not isinstance(record, SearchResult):
            return
        if record.hit.kind == "order" and record.hit.order_no:
            self.controller.show_order(record.hit.order_no)
        elif record.hit.file_id is not None:
            self.controller.show_file(record.hit.file_id)

    def _inbox_selected(self, index: QModelIndex) -> None:
        record = index.data(RecordRole) if index.isValid() else None
        if isinstance(record, FileDetail):
            self.detail.show_reads(record)
        self._update_assign()

    def _file_selected(self, index: QModelIndex) -> None:
        record = index.data(RecordRole) if index.isValid() else None
        if isinstance(record, FileDetail):
            self.detail.show_reads(record)

    def show_order(self, detail: OrderDetail | None) -> None:
        """Show an order in the detail pane (None: nothing)."""
        self._order = detail
        self._file = None
        self.detail.show_order(detail)
        self.detail.case_button.setEnabled(detail is not None and not self.controller.working)
        self._update_assign()

    def show_file(self, detail: FileDetail) -> None:
        """Show an inbox file in the detail pane."""
        self._order = None
        self._file = detail
        self.detail.show_file(detail)
        self._update_assign()

    def _update_assign(self) -> None:
        has_file = self.inbox_view.currentIndex().isValid()
        self.assign_typed.setEnabled(has_file)
        self.order_edit.setEnabled(has_file)
        self.assign_here.setEnabled(has_file and self._order is not None)
        if self._order is not None:
            self.assign_here.setText(
                tr("分配到 {order}", "Assign to {order}", order=self._order.order.order_no)
            )
        else:
            self.assign_here.setText(tr("分配到右侧订单", "Assign to the order on the right"))

    def _busy(self, label: str, worker: Worker) -> None:
        self._worker = worker
        worker.signals.progress.connect(self._progress)
        self._set_busy(True, label)

    def _progress(self, p: Progress) -> None:
        self.progress.setMaximum(max(1, p.total))
        self.progress.setValue(p.done)
        self.progress.setFormat("%v/%m")
        if p.current:
            self.status.setText(p.current)

    def _set_busy(self, busy: bool, label: str = "") -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        for button in (self.import_button, self.orders_button, self.open_button, self.new_button):
            button.setEnabled(not busy)
        self.detail.case_button.setEnabled(not busy and self._order is not None)
        if busy:
            self.progress.setValue(0)
            self.status.setText(label)
        else:
            self._worker = None

    def _set_open(self, is_open: bool) -> None:
        for widget in (self.search, self.import_button, self.orders_button, self.tabs):
            widget.setEnabled(is_open)

    def _failed(self, error: str) -> None:
        text = tr("发货存档出错：{error}", "Shipping archive: {error}", error=error)
        self.status.setText(text)
        QMessageBox.warning(self, tr("发货存档", "Shipping archive"), text)


class ArchiveWindow(QMainWindow):
    """The archive view in a window of its own, beside the case window."""

    def __init__(self, parent: QWidget | None = None, settings: Settings | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(tr("发货存档 — 举证助手", "Shipping archive — EvidenceDesk"))
        self.resize(1280, 760)
        self.view = ArchiveView(parent=self)
        self.setCentralWidget(self.view)
        self.settings = settings  # app.ui.settings.Settings: remembers the archive opened last
        if settings is not None:
            self.view.controller.opened.connect(self._remember)

        if parent is not None:
            parent.installEventFilter(self)  # closes with the main window

    def _remember(self, _summary: object) -> None:
        if self.settings is not None and self.view.controller.root is not None:
            self.settings.last_archive = self.view.controller.root

    def reopen_last(self) -> bool:
        """Open the archive used last, when none is open here yet and it is still there."""
        last = self.settings.last_archive if self.settings is not None else None
        if last is None or self.view.controller.root is not None:
            return False
        self.view.open_archive(last)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.parent() and event.type() == QEvent.Type.Close:
            self.close()
        return False

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self.view.controller.close()
        super().closeEvent(event)


def show_archive_window(main: Any) -> ArchiveWindow:
    """Show (or raise) the archive window of the main window; a case opened from it opens there.

    The archive opened last (main.settings.last_archive) opens again when none is open yet.
    `main` needs `open_case(path)`, like MainWindow.
    """
    window = getattr(main, "_archive_window", None)
    if not isinstance(window, ArchiveWindow):
        window = ArchiveWindow(main, getattr(main, "settings", None))
        window.view.case_opened.connect(lambda path: _open_in(main, Path(path)))
        main._archive_window = window
    window.reopen_last()
    window.show()
    window.raise_()
    window.activateWindow()
    return window


def _open_in(main: Any, path: Path) -> None:
    if main.open_case(path):
        main.raise_()
        main.activateWindow()
