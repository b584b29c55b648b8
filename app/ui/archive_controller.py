"""Behaviour of the archive view: open an archive, search as the user types, assign, import.

Every core call runs on a worker (app/ui/worker.py): reads (search, the inbox, an order's
detail) in parallel, writes (assign, import, open a case) one after another on this
controller's own writer, apart from the case window's. Search is debounced: the query goes
out 250 ms after the last keystroke, and an answer to an older query is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.evidence.i18n import tr
from app.evidence.service import archive as core
from app.ui.worker import TaskRunner, Worker

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250


class ArchiveController(QObject):
    """The open archive and what the user does with it; views connect to its signals."""

    opened = Signal(object)  # ArchiveSummary
    summary_ready = Signal(object)  # ArchiveSummary
    results_ready = Signal(str, object)  # query, list[SearchResult]
    inbox_ready = Signal(object)  # list[FileDetail]
    order_ready = Signal(object)  # OrderDetail
    file_ready = Signal(object)  # FileDetail
    assigned = Signal(object)  # ArchivedFile
    import_finished = Signal(object)  # ArchiveImportReport
    orders_imported = Signal(object)  # OrderImportReport
    case_ready = Signal(object)  # Path of the order's case folder
    busy = Signal(str, object)  # label, Worker (progress and cancel)
    idle = Signal()
    message = Signal(str)
    failed = Signal(str)

    def __init__(self, runner: TaskRunner | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner or TaskRunner(self)
        self.root: Path | None = None
        self.query = ""
        self._search_seq = 0
        self._long: Worker | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)

    # -- opening -------------------------------------------------------------------------------

    def open(self, root: Path) -> Worker:
        """Open an existing archive folder (its summary, results and inbox follow)."""
        return self._read(lambda: core.summary(root), lambda s: self._opened(root, s))

    def create(self, root: Path) -> Worker:
        """Make a new archive in `root` and open it."""

        def make() -> core.ArchiveSummary:
            core.init_archive(root)
            return core.summary(root)

        return self._write(make, lambda s: self._opened(root, s))

    def _opened(self, root: Path, summary: object) -> None:
        self.root = Path(root)
        self.opened.emit(summary)
        self.refresh()

    def refresh(self) -> None:
        """Read the summary, the current results and the inbox again."""
        if self.root is None:
            return
        root = self.root
        self._read(lambda: core.summary(root), self.summary_ready.emit)
        self.search_now()
        self._read(lambda: core.inbox_details(root), self.inbox_ready.emit)

    # -- search --------------------------------------------------------------------------------

    def set_query(self, text: str) -> None:
        """The search box changed: search once the user pauses."""
        self.query = text
        self._timer.start()

    def search_now(self) -> None:
        """Search for the current query at once (empty: the newest orders and inbox files)."""
        self._timer.stop()
        if self.root is None:
            return
        self._search_seq += 1
        seq, root, query = self._search_seq, self.root, self.query

        def done(results: object) -> None:
            if seq == self._search_seq:  # an answer to an older query is dropped
                self.results_ready.emit(query, results)

        self._read(lambda: core.search_results(root, query), done)

    # -- detail --------------------------------------------------------------------------------

    def show_order(self, order_no: str) -> None:
        """Read an order's detail (order_ready)."""
        if self.root is not None:
            root = self.root
            self._read(lambda: core.order_detail(root, order_no), self.order_ready.emit)

    def show_file(self, file_id: int) -> None:
        """Read one file's detail (file_ready)."""
        if self.root is not None:
            root = self.root
            self._read(lambda: core.file_detail(root, file_id), self.file_ready.emit)

    # -- changes -------------------------------------------------------------------------------

    def assign(self, file_id: int, order_no: str) -> Worker | None:
        """Assign an inbox file to an order (made when the number is new)."""
        order_no = order_no.strip()
        if self.root is None or not order_no:
            return None
        root = self.root

        def done(file: Any) -> None:
            self.message.emit(
                tr(
                    "已把 {name} 分配到订单 {order}",
                    "{name} assigned to order {order}",
                    name=file.name,
                    order=order_no,
                )
            )
            self.assigned.emit(file)
            self.refresh()

        return self._write(lambda: core.assign(root, file_id, order_no), done)

    def import_files(self, paths: list[Path]) -> Worker | None:
        """Import files and folders in the background, with progress and cancel."""
        if self.root is None or not paths:
            return None
        root = self.root
        worker = Worker(
            lambda progress, cancel: core.import_into_archive(
                root, paths, progress=progress, cancel=cancel
            )
        )
        worker.signals.result.connect(self._imported)
        return self._long_write(tr("正在导入存档…", "Importing into the archive…"), worker)

    def import_orders(self, csv_path: Path) -> Worker | None:
        """Read the shop's order export (inbox files that now match are assigned)."""
        if self.root is None:
            return None
        root = self.root

        def done(report: Any) -> None:
            self.message.emit(
                tr(
                    "订单表：新增 {added}，更新 {updated}，自动分配 {assigned} 个文件",
                    "Order export: {added} added, {updated} updated, {assigned} files assigned",
                    added=report.added,
                    updated=report.updated,
                    assigned=report.assigned_from_inbox,
                )
            )
            self.orders_imported.emit(report)
            self.refresh()

        return self._write(lambda: core.import_orders_csv(root, csv_path), done)

    def open_case(self, order_no: str) -> Worker | None:
        """Open (or make) the order's case with its files; case_ready gives the folder."""
        if self.root is None:
            return None
        root = self.root
        worker = Worker(
            lambda progress, cancel: core.open_order_case(
                root, order_no, progress=progress, cancel=cancel
            )
        )
        worker.signals.result.connect(self.case_ready.emit)
        return self._long_write(
            tr(
                "正在准备订单 {order} 的案件…",
                "Preparing the case of order {order}…",
                order=order_no,
            ),
            worker,
        )

    def cancel(self) -> None:
        """Stop the running import or case preparation at its next step."""
        if self._long is not None:
            self._long.cancel()
            self.message.emit(tr("正在取消…", "Cancelling…"))

    @property
    def working(self) -> bool:
        """True while an import or a case preparation runs."""
        return self._long is not None

    def close(self, wait_ms: int = 30000) -> None:
        """Cancel long work and wait for the workers (the window is closing)."""
        self._timer.stop()
        self.cancel()
        self.runner.wait(wait_ms)

    # -- plumbing ------------------------------------------------------------------------------

    def _imported(self, report: Any) -> None:
        done = report.count("imported")
        text = tr(
            "导入 {done} 个，已存在 {dupes} 个，失败 {failed} 个，进收件箱 {inbox} 个",
            "Imported {done}, already there {dupes}, failed {failed}, to the inbox {inbox}",
            done=done,
            dupes=report.count("duplicate"),
            failed=report.count("failed"),
            inbox=len(report.inbox),
        )
        if report.cancelled:
            text += tr("（已取消）", " (cancelled)")
        self.message.emit(text)
        self.import_finished.emit(report)
        self.refresh()

    def _long_write(self, label: str, worker: Worker) -> Worker:
        self._long = worker
        worker.signals.error.connect(self.failed.emit)

        def finished() -> None:
            if self._long is worker:
                self._long = None
                self.idle.emit()

        worker.signals.finished.connect(finished)
        self.busy.emit(label, worker)
        return self.runner.write(worker)

    def _read(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> Worker:
        worker = Worker(fn, wants_progress=False)
        worker.signals.result.connect(done)
        worker.signals.error.connect(self.failed.emit)
        return self.runner.read(worker)

    def _write(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> Worker:
        worker = Worker(fn, wants_progress=False)
        worker.signals.result.connect(done)
        worker.signals.error.connect(self.failed.emit)
        return self.runner.write(worker)
