"""The main window: start page, or the case view (timeline | inspector), with import and progress."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QListView, QListWidget, QMainWindow, QMessageBox, QProgressBar, QPushButton,
    QSplitter, QStackedWidget, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QVBoxLayout, QWidget,
)

from app.evidence.ingest.importer import FileResult
from app.evidence.models import CaseInfo, ItemKind
from app.evidence.progress import Progress
from app.ui.controller import CaseController, CaseSnapshot
from app.ui.dialogs import CaseDetailsDialog, EventDialog, NewCaseDialog, parse_when
from app.ui.inspector import Inspector
from app.ui.models import ThumbnailCache
from app.ui.side_panel import SidePanel
from app.ui.timeline_model import TimelineModel
from app.ui.settings import Settings
from app.ui.worker import TaskRunner, Worker

THUMB = 64


class TimelineDelegate(QStyledItemDelegate):
    """Rows of three shapes: a phase header, an item (thumbnail), an event (compact)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        if index.data(TimelineModel.HeaderRole):
            return QSize(320, 28)
        entry = index.data(TimelineModel.EntryRole)
        return QSize(320, THUMB + 12 if entry is not None and entry.is_item else 46)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        palette = option.palette
        header = index.data(TimelineModel.HeaderRole)
        if header:
            painter.fillRect(option.rect, palette.alternateBase())
            font = painter.font()
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(palette.text().color())
            painter.drawText(option.rect.adjusted(8, 0, -8, 0), Qt.AlignmentFlag.AlignVCenter, header)
            painter.restore()
            return
        style = option.widget.style() if option.widget else None
        if style:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        entry = index.data(TimelineModel.EntryRole)
        is_item = entry is not None and entry.is_item
        size = THUMB if is_item else 30
        rect = option.rect.adjusted(6, 6, -6, -6)
        box = QRect(rect.left() + (0 if is_item else 20), rect.top(), size, size)
        pixmap = index.data(TimelineModel.ThumbnailRole)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(palette.highlightedText().color() if selected else palette.text().color())
        if pixmap is not None:
            scaled = pixmap.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            painter.drawPixmap(box.left() + (size - scaled.width()) // 2, box.top() + (size - scaled.height()) // 2, scaled)
        else:
            painter.drawRoundedRect(box.adjusted(0, 0, -1, -1), 4, 4)
            small = painter.font()
            small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
            painter.setFont(small)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, _kind_glyph(index.data(TimelineModel.KindRole)))
        verdict = index.data(TimelineModel.VerdictRole)
        text_rect = rect.adjusted(box.right() - rect.left() + 10, 0, 0, 0)
        font = painter.font()
        font.setPointSizeF(option.font.pointSizeF())
        font.setBold(is_item)
        painter.setFont(font)
        half = text_rect.height() // 2
        top_line = index.data(TimelineModel.TimeTextRole) or ""
        if verdict:
            top_line = f"{_VERDICT_BADGE.get(verdict, verdict)}  {top_line}"
        metrics = painter.fontMetrics()
        painter.drawText(text_rect.adjusted(0, 0, 0, -half), Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(top_line, Qt.TextElideMode.ElideRight, text_rect.width()))
        font.setBold(False)
        painter.setFont(font)
        painter.drawText(text_rect.adjusted(0, half, 0, 0), Qt.AlignmentFlag.AlignVCenter,
                         painter.fontMetrics().elidedText(index.data() or "", Qt.TextElideMode.ElideRight, text_rect.width()))
        painter.restore()


_VERDICT_BADGE = {
    "camera_original": "✔原件", "recompressed": "◐非原件", "edited": "✘有编辑痕迹", "unknown": "？来源未知", "unreadable": "✘无法读取",
}


def _kind_glyph(kind: str | None) -> str:
    return {
        "video": "▶", "tracking": "物流", "document": "PDF", "screenshot": "截图", "chat_message": "聊天",
        "manual": "事件", "signed": "签收", "pickup": "揽收", "out_for_delivery": "派件", "station_dropoff": "代收",
        "refused": "拒收", "returned": "退回",
    }.get(kind or "", "物流")


class StartPage(QWidget):
    """Recent cases and the ways to begin."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        title = QLabel("<h1>举证助手 EvidenceDesk</h1><p>整理照片、视频、聊天截图和物流记录，形成按时间排列、可核验的证据链。<br>"
                       "Photos, videos, chat screenshots and tracking, in time order, in one verifiable evidence chain. 全部离线 · offline.</p>")
        title.setWordWrap(True)
        self.new_button = QPushButton("新建案件 New case…")
        self.open_button = QPushButton("打开案件 Open case…")
        self.recent = QListWidget()
        for path in settings.recent_cases():
            self.recent.addItem(str(path))
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("最近的案件 Recent cases"))
        layout.addWidget(self.recent, 1)


class MainWindow(QMainWindow):
    """The application window."""

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("举证助手 EvidenceDesk")
        self.resize(1280, 800)
        self.setAcceptDrops(True)
        self.settings = settings or Settings()
        self.runner = TaskRunner(self)
        self.controller = CaseController(self.runner, self)
        self.thumbnails = ThumbnailCache(self.runner)
        self.model = TimelineModel(self.thumbnails)
        self.snapshot: CaseSnapshot | None = None
        self._current_worker: Worker | None = None
        self.last_import: list[FileResult] = []

        self.start = StartPage(self.settings)
        self.timeline = QListView()
        self.timeline.setModel(self.model)
        self.timeline.setItemDelegate(TimelineDelegate(self.timeline))
        self.timeline.setUniformItemSizes(False)  # headers, items and events have different heights
        self.timeline.selectionModel().currentChanged.connect(self._selected)
        self.inspector = Inspector(self.runner)
        self.inspector.note_edited.connect(self.controller.set_entry_note)
        self.problems = QListWidget()
        self.problems.setMaximumHeight(110)
        self.problems.hide()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.case_label = QLabel()
        self.case_label.setWordWrap(True)
        left_layout.addWidget(self.case_label)
        left_layout.addWidget(self.timeline, 1)
        left_layout.addWidget(self.problems)
        self.side = SidePanel()
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.inspector)
        split.addWidget(self.side)
        split.setSizes([400, 560, 320])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start)
        self.stack.addWidget(split)
        self.setCentralWidget(self.stack)

        self.progress = QProgressBar()
        self.progress.setMaximumWidth(320)
        self.cancel_button = QPushButton("取消 Cancel")
        self.cancel_button.clicked.connect(self._cancel)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self._set_busy(False)
        self._build_actions()

        self.start.new_button.clicked.connect(self.new_case)
        self.start.open_button.clicked.connect(self.open_case_dialog)
        self.start.recent.itemActivated.connect(lambda it: self.open_case(Path(it.text())))
        c = self.controller
        c.opened.connect(self._opened)
        c.snapshot_ready.connect(self._snapshot)
        c.busy.connect(self._busy)
        c.idle.connect(lambda: self._set_busy(False))
        c.import_finished.connect(self._import_finished)
        c.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        c.failed.connect(lambda text: QMessageBox.warning(self, "举证助手", text))

    # -- actions ---------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(text: str, slot: object, shortcut: QKeySequence | str | None = None) -> QAction:
            act = QAction(text, self)
            act.triggered.connect(slot)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            self.addAction(act)
            return act

        case_menu = self.menuBar().addMenu("案件 Case")
        case_menu.addAction(action("新建案件 New case…", self.new_case, QKeySequence.StandardKey.New))
        case_menu.addAction(action("打开案件 Open case…", self.open_case_dialog, QKeySequence.StandardKey.Open))
        case_menu.addSeparator()
        case_menu.addAction(action("退出 Quit", self.close, QKeySequence.StandardKey.Quit))
        evidence = self.menuBar().addMenu("证据 Evidence")
        evidence.addAction(action("导入文件 Add files…", self.add_files_dialog, "Ctrl+I"))
        evidence.addAction(action("导入文件夹 Add folder…", self.add_folder_dialog, "Ctrl+Shift+I"))
        evidence.addAction(action("粘贴物流或图片 Paste tracking text or image", self.paste, QKeySequence.StandardKey.Paste))
        evidence.addSeparator()
        evidence.addAction(action("案件信息与日期 Case details and dates…", self.edit_details, "Ctrl+D"))
        evidence.addAction(action("添加事件 Add event…", self.add_event, "Ctrl+E"))
        evidence.addAction(action("手动设置时间 Set time by hand…", self.set_time, "Ctrl+T"))
        edit = self.menuBar().addMenu("编辑 Edit")
        edit.addAction(action("撤销 Undo", self.controller.undo, QKeySequence.StandardKey.Undo))
        edit.addAction(action("重做 Redo", self.controller.redo, QKeySequence.StandardKey.Redo))

    def new_case(self) -> None:
        dialog = NewCaseDialog(self)
        if dialog.exec():
            path = dialog.case_path()
            if self.controller.create(path, dialog.title.text().strip(), **dialog.fields()):
                self.settings.add_recent_case(path)

    def open_case_dialog(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "打开案件 Open case")
        if chosen:
            self.open_case(Path(chosen))

    def open_case(self, path: Path) -> bool:
        """Open a case folder in this window."""
        if self.controller.open(path):
            self.settings.add_recent_case(path)
            return True
        return False

    def add_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "导入文件 Add files")
        if files:
            self.import_paths([Path(f) for f in files])

    def add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "导入文件夹 Add folder")
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path], kind: ItemKind | None = None) -> Worker | None:
        """Import in the background (files and folders)."""
        if self.controller.root is None:
            self.statusBar().showMessage("请先新建或打开一个案件 · create or open a case first", 6000)
            return None
        return self.controller.import_paths(paths, kind)

    def edit_details(self) -> None:
        """Edit the summary, dispute type and key dates."""
        if self.snapshot is None:
            return
        dialog = CaseDetailsDialog(self.snapshot.overview, self)
        if not dialog.exec():
            return
        try:
            dates = {name: parse_when(text) for name, text in dialog.changed_dates().items()}
        except ValueError as exc:
            QMessageBox.warning(self, "日期格式 Date format", f"无法识别的日期 unreadable date: {exc}")
            return
        self.controller.save_details(dialog.summary_fields(), dialog.dispute.currentData(), dates)

    def add_event(self) -> None:
        """Add a manual event such as "I called the courier"."""
        dialog = EventDialog("添加事件 Add event", self)
        if dialog.exec() and dialog.text.text().strip():
            try:
                when = parse_when(dialog.when.text(), with_time=True)
            except ValueError as exc:
                QMessageBox.warning(self, "时间格式 Time format", str(exc))
                return
            self.controller.add_manual_event(dialog.text.text().strip(), when)

    def set_time(self) -> None:
        """Set the selected entry's time by hand, with a reason; the original stays visible."""
        entry = self.timeline.currentIndex().data(TimelineModel.EntryRole)
        if entry is None:
            self.statusBar().showMessage("先在时间线上选择一项 · select an entry first", 5000)
            return
        dialog = EventDialog("手动设置时间 Set time", self, text_label="原因 Reason")
        if dialog.exec():
            try:
                when = parse_when(dialog.when.text(), with_time=True)
            except ValueError as exc:
                QMessageBox.warning(self, "时间格式 Time format", str(exc))
                return
            if when is None or not dialog.text.text().strip():
                QMessageBox.information(self, "举证助手", "请填写时间和原因 · a time and a reason are needed")
                return
            self.controller.set_entry_time(entry.key, when, dialog.text.text().strip())

    def paste(self) -> None:
        """Ctrl+V: tracking text or an image from the clipboard becomes an item."""
        clip = QGuiApplication.clipboard().mimeData()
        if self.controller.root is None or clip is None:
            return
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder = Path(tempfile.mkdtemp(prefix="evidence-paste-"))
        if clip.hasImage():
            path = folder / f"pasted-image-{stamp}.png"
            QGuiApplication.clipboard().image().save(str(path), "PNG")
            self.import_paths([path], ItemKind.SCREENSHOT)
        elif clip.hasText() and clip.text().strip():
            answer = QMessageBox.question(self, "粘贴 Paste", "把剪贴板中的文字作为物流记录加入案件？\nAdd the clipboard text as a tracking record?")
            if answer == QMessageBox.StandardButton.Yes:
                path = folder / f"pasted-tracking-{stamp}.txt"
                path.write_text(clip.text(), encoding="utf-8")
                self.import_paths([path], ItemKind.TRACKING)

    # -- drag and drop -----------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.import_paths(paths)
            event.acceptProposedAction()

    # -- reactions ---------------------------------------------------------------------------------

    def _opened(self, info: CaseInfo) -> None:
        self.stack.setCurrentIndex(1)
        role = "买家" if info.role == "buyer" else "卖家"
        readonly = "（只读 read-only）" if self.controller.read_only else ""
        self.case_label.setText(f"<b>{info.title}</b> {readonly}<br>{role} · 订单 {info.order_no or '—'}")
        self.setWindowTitle(f"{info.title} — 举证助手 EvidenceDesk")
        self.snapshot = None
        self.model.set_timeline(None, {}, None)
        self.inspector.show_entry(None, None, None)

    def _snapshot(self, snapshot: CaseSnapshot) -> None:
        """A fresh read of the case arrived: redraw, keeping the selection."""
        current = self.timeline.currentIndex().data(TimelineModel.EntryRole)
        self.snapshot = snapshot
        shas = {item_id: item.sha256 for item_id, item in snapshot.items.items()}
        self.model.set_timeline(snapshot.timeline, shas, self.controller.thumb_dir(), snapshot.verdicts)
        self.side.show_overview(snapshot.overview)
        if current is not None:
            row = self.model.row_of_key(current.key)
            if row >= 0:
                self.timeline.setCurrentIndex(self.model.index(row))

    def _selected(self, index: QModelIndex) -> None:
        entry = index.data(TimelineModel.EntryRole) if index.isValid() else None
        root, snap = self.controller.root, self.snapshot
        if entry is None or root is None or snap is None:
            self.inspector.show_entry(None, None, None)
            return
        item = snap.items.get(entry.item_id) if entry.item_id is not None else None
        if item is None:
            self.inspector.show_entry(entry, None, None)
            return
        thumb = root / "derived" / "thumbs" / item.sha256[:2] / f"{item.sha256}.jpg"
        findings = snap.findings.get(item.id, []) if entry.is_item else []
        self.inspector.show_entry(entry, item if entry.is_item else item, root / item.vault_path, thumb, findings)

    def _busy(self, label: str, worker: Worker) -> None:
        self._current_worker = worker
        worker.signals.progress.connect(self._on_progress)
        self._set_busy(True, label)

    def _on_progress(self, p: Progress) -> None:
        self.progress.setMaximum(max(1, p.total))
        self.progress.setValue(p.done)
        stage = {"import": "导入", "thumbnails": "缩略图", "check": "检查", "ocr": "识别截图"}.get(p.stage, p.stage)
        self.progress.setFormat(f"{stage} %v/%m")
        self.statusBar().showMessage(p.current)

    def _set_busy(self, busy: bool, label: str = "") -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setValue(0)
            self.statusBar().showMessage(label)
        else:
            self._current_worker = None

    def _cancel(self) -> None:
        if self._current_worker is not None:
            self._current_worker.cancel()
            self.statusBar().showMessage("正在取消… cancelling")

    def _import_finished(self, results: list[FileResult], cancelled: bool) -> None:
        self.last_import = results
        imported = sum(r.status == "imported" for r in results)
        dupes = sum(r.status == "duplicate" for r in results)
        failed = [r for r in results if r.status == "failed" or (r.status == "imported" and r.message)]
        self.problems.clear()
        for r in failed:
            self.problems.addItem(f"⚠ {Path(r.path).name}: {r.message}")
        self.problems.setVisible(bool(failed))
        text = f"导入 {imported} 项，已存在 {dupes} 项，问题 {len(failed)} 项" + ("（已取消）" if cancelled else "")
        self.statusBar().showMessage(text, 10000)

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        if self._current_worker is not None:
            self._current_worker.cancel()
        self.controller.close()
        super().closeEvent(event)  # type: ignore[arg-type]
