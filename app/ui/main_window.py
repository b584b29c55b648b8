"""The main window: start page or case view (timeline | inspector), with import and progress."""

from __future__ import annotations

import html
import os
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import (
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    QUrl,
)
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QListView,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.evidence.i18n import pick, tr
from app.evidence.models import CaseInfo, ItemKind
from app.evidence.service import CancelToken, Progress, ProgressCallback
from app.evidence.service.cases import FileResult, original_path_or_none
from app.evidence.service.edits import item_state
from app.evidence.service.labels import stage_text
from app.ui import item_actions
from app.ui.controller import CaseController, CaseSnapshot
from app.ui.dialogs import CaseDetailsDialog, EventDialog, NewCaseDialog, SettingsDialog, parse_when
from app.ui.export_dialog import ExportDialog
from app.ui.inspector import Inspector
from app.ui.models import ThumbnailCache
from app.ui.phone_guide_dialog import open_phone_guide
from app.ui.phone_import_dialog import import_with_phone_offer, show_folder_hint
from app.ui.progress_status import ProgressStatus
from app.ui.settings import Settings
from app.ui.side_panel import SidePanel
from app.ui.start_page import StartPage
from app.ui.timeline_delegate import TimelineDelegate
from app.ui.timeline_model import TimelineModel
from app.ui.worker import TaskRunner, Worker

FINISH_DELAY_MS = 1500
"""How long after a case opens the missing thumbnails and checks start (see _snapshot)."""
IMPORT_REFRESH_S = 2.0
"""How often the timeline is re-read while an import runs."""


class MainWindow(QMainWindow):
    """The application window."""

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.setWindowTitle(tr("举证助手", "EvidenceDesk"))
        self.resize(1280, 800)
        self.setAcceptDrops(True)
        self.settings = settings or Settings()
        self.runner = TaskRunner(self)
        self.controller = CaseController(self.runner, self)
        self.controller.me_on_right = self.settings.chat_me_side != "left"
        self.thumbnails = ThumbnailCache(self.runner)
        self.model = TimelineModel(self.thumbnails)
        self.snapshot: CaseSnapshot | None = None
        self._current_worker: Worker | None = None
        self.last_import: list[FileResult] = []
        self._last_fill = 0.0  # when the timeline was last re-read during an import
        self.last_export: object | None = None

        self.start = StartPage(self.settings)
        self.timeline = QListView()
        self.timeline.setModel(self.model)
        self.timeline.setItemDelegate(TimelineDelegate(self.timeline))
        self.timeline.setUniformItemSizes(False)  # headers, items and events have different heights
        self.timeline.setDragDropMode(QListView.DragDropMode.DragDrop)  # reorder within a minute
        self.timeline.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.timeline.setDropIndicatorShown(True)
        self.timeline.selectionModel().currentChanged.connect(self._selected)
        self.timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.timeline.customContextMenuRequested.connect(self._timeline_menu)
        self.inspector = Inspector(self.runner)
        self.inspector.note_edited.connect(self.controller.set_entry_note)
        self._connect_inspector()
        self.problems = QListWidget()
        self.problems.setMaximumHeight(110)
        self.problems.hide()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.case_label = QLabel()
        self.case_label.setWordWrap(True)
        self.readonly_banner = QLabel(
            tr(
                "🔒 只读：这个案件已在另一个窗口（或另一个程序）中打开。这里可以查看和导出，"
                "但不能修改；关闭另一个窗口后重新打开即可编辑。",
                "🔒 Read-only: this case is open in another window (or program). You can look and "
                "export here, but not change anything; "
                "close the other window and open the case again to edit.",
            )
        )
        self.readonly_banner.setWordWrap(True)
        self.readonly_banner.setStyleSheet(
            "QLabel { background: #fff3cd; color: #664d03; border: 1px solid #ffe69c; padding: "
            "6px; }"
        )
        self.readonly_banner.hide()
        left_layout.addWidget(self.case_label)
        left_layout.addWidget(self.timeline, 1)
        self.empty_hint = QLabel(
            tr(
                "<b>时间线还是空的。</b><br>把照片、视频、聊天截图拖到这里，或按 Ctrl+I 导入；"
                "复制物流信息后按 Ctrl+V 粘贴；按 Ctrl+D 填写下单和签收日期。<br>不确定怎么做？按 "
                "F1 查看使用指南。",
                "<b>The timeline is empty.</b><br>Drag photos, videos and chat screenshots here, "
                "or press Ctrl+I; "
                "copy the tracking text and press Ctrl+V; press Ctrl+D for the order and "
                "signed-for dates.<br>"
                "Not sure? F1 opens the guide.",
            )
        )
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setMargin(16)
        self.empty_hint.hide()
        left_layout.addWidget(self.empty_hint, 1)
        left_layout.addWidget(self.problems)
        self.side = SidePanel()
        self.side.tick_requested.connect(self.controller.tick_check)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.inspector)
        split.addWidget(self.side)
        split.setSizes([400, 560, 320])
        self.panes: list[QWidget] = [self.timeline, self.inspector.note, self.side]
        self._keyboard_path()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start)
        case_view = QWidget()
        case_layout = QVBoxLayout(case_view)
        case_layout.setContentsMargins(0, 0, 0, 0)
        case_layout.addWidget(self.readonly_banner)
        case_layout.addWidget(split, 1)
        self.stack.addWidget(case_view)
        self.setCentralWidget(self.stack)

        self.progress = QProgressBar()
        self.progress.setMaximumWidth(320)
        self.cancel_button = QPushButton(tr("取消", "Cancel"))
        self.cancel_button.clicked.connect(self._cancel)
        self.pace = ProgressStatus()  # files/s and time left (app/ui/progress_status.py)
        self.statusBar().addPermanentWidget(self.pace)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self._set_busy(False)
        self._build_actions()

        self.start.new_button.clicked.connect(self.new_case)
        self.start.open_button.clicked.connect(self.open_case_dialog)
        self.start.archive_button.clicked.connect(self.open_archive_view)
        self.start.sample_button.clicked.connect(self.open_sample_case)
        self.start.help_button.clicked.connect(self.show_help)
        self.start.recent.itemActivated.connect(
            lambda it: self.open_case(Path(it.data(Qt.ItemDataRole.UserRole)))
        )
        c = self.controller
        c.opened.connect(self._opened)
        c.snapshot_ready.connect(self._snapshot)
        c.busy.connect(self._busy)
        c.idle.connect(lambda: self._set_busy(False))
        c.import_finished.connect(self._import_finished)
        c.export_finished.connect(self._export_finished)
        c.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        c.failed.connect(
            lambda text: QMessageBox.warning(self, tr("举证助手", "EvidenceDesk"), text)
        )

    # -- actions ---------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.edit_actions: list[QAction] = []  # disabled while the case is open read-only

        def action(
            text: str,
            slot: object,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            *,
            edits: bool = False,
        ) -> QAction:
            act = QAction(text, self)
            act.triggered.connect(slot)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            self.addAction(act)
            if edits:
                self.edit_actions.append(act)
            return act

        case_menu = self.menuBar().addMenu(tr("案件", "Case"))
        case_menu.addAction(
            action(tr("新建案件…", "New case…"), self.new_case, QKeySequence.StandardKey.New)
        )
        case_menu.addAction(
            action(
                tr("打开案件…", "Open case…"), self.open_case_dialog, QKeySequence.StandardKey.Open
            )
        )
        case_menu.addAction(
            action(tr("发货存档…", "Shipping archive…"), self.open_archive_view, "Ctrl+Shift+A")
        )
        case_menu.addSeparator()
        case_menu.addAction(
            action(tr("打开示例案件", "Open the sample case"), self.open_sample_case)
        )
        case_menu.addSeparator()
        case_menu.addAction(
            action(
                tr("设置…", "Settings…"), self.edit_settings, QKeySequence.StandardKey.Preferences
            )
        )
        case_menu.addAction(action(tr("退出", "Quit"), self.close, QKeySequence.StandardKey.Quit))
        evidence = self.menuBar().addMenu(tr("证据", "Evidence"))
        evidence.addAction(
            action(tr("导入文件…", "Add files…"), self.add_files_dialog, "Ctrl+I", edits=True)
        )
        evidence.addAction(
            action(
                tr("导入文件夹…", "Add folder…"), self.add_folder_dialog, "Ctrl+Shift+I", edits=True
            )
        )
        evidence.addAction(
            action(tr("从手机导入…", "From your phone…"), lambda: open_phone_guide(self))
        )
        evidence.addAction(
            action(
                tr("粘贴物流或图片", "Paste tracking text or image"),
                self.paste,
                QKeySequence.StandardKey.Paste,
                edits=True,
            )
        )
        evidence.addSeparator()
        evidence.addAction(
            action(tr("导出证据链…", "Export evidence chain…"), self.export_dialog, "Ctrl+Shift+E")
        )
        evidence.addSeparator()
        evidence.addAction(
            action(
                tr("案件信息与日期…", "Case details and dates…"),
                self.edit_details,
                "Ctrl+D",
                edits=True,
            )
        )
        evidence.addAction(
            action(tr("添加事件…", "Add event…"), self.add_event, "Ctrl+E", edits=True)
        )
        evidence.addAction(
            action(tr("手动设置时间…", "Set time by hand…"), self.set_time, "Ctrl+T", edits=True)
        )
        edit = self.menuBar().addMenu(tr("编辑", "Edit"))
        self.undo_action = action(tr("撤销", "Undo"), self.controller.undo, "Ctrl+Z")
        self.redo_action = action(tr("重做", "Redo"), self.controller.redo, "Ctrl+Y")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        self.remove_action = action(
            tr("从案件中删除", "Remove from the case"),
            self.remove_selected,
            QKeySequence.StandardKey.Delete,
            edits=True,
        )
        self.remove_action.setShortcutContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut
        )  # timeline only
        self.removeAction(self.remove_action)
        self.timeline.addAction(self.remove_action)
        self.exclude_action = action(
            tr("不放入导出", "Leave out of exports"), self.toggle_excluded, edits=True
        )
        self.exclude_action.setCheckable(True)
        self.kind_menu = QMenu(tr("更改类型", "Change kind"), self)
        for kind, (zh, en) in item_state.KIND_NAMES.items():
            self.kind_menu.addAction(pick(zh, en)).triggered.connect(
                lambda _=False, k=kind: self.change_kind(k)
            )
        self.removed_action = action(
            tr("已删除的证据…", "Removed items…"), self.show_removed, edits=True
        )
        for act in (self.remove_action, self.exclude_action):
            edit.addAction(act)
        edit.addMenu(self.kind_menu)
        self.edit_actions.append(self.kind_menu.menuAction())
        edit.addAction(self.removed_action)
        edit.addSeparator()
        moves = (
            (tr("在同一分钟内上移", "Move up within the minute"), -1, "Alt+Up"),
            (tr("在同一分钟内下移", "Move down within the minute"), 1, "Alt+Down"),
        )
        for text, steps, keys in moves:
            move = action(text, lambda _=False, n=steps: self.move_selected(n), keys, edits=True)
            move.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # timeline only
            self.removeAction(move)
            self.timeline.addAction(move)
            edit.addAction(move)
        view = self.menuBar().addMenu(tr("查看", "View"))
        view.addAction(action(tr("下一个面板", "Next pane"), lambda: self.focus_pane(1), "F6"))
        view.addAction(
            action(tr("上一个面板", "Previous pane"), lambda: self.focus_pane(-1), "Shift+F6")
        )
        help_menu = self.menuBar().addMenu(tr("帮助", "Help"))
        help_menu.addAction(
            action(
                tr("使用指南与快捷键", "Guide and shortcuts"),
                self.show_help,
                QKeySequence.StandardKey.HelpContents,
            )
        )
        help_menu.addAction(
            action(tr("打开示例案件", "Open the sample case"), self.open_sample_case)
        )
        help_menu.addAction(
            action(tr("打开日志文件夹", "Open the log folder"), self.open_log_folder)
        )

    def _keyboard_path(self) -> None:
        """Tab: timeline → note → details (one Tab stop, arrows inside) → right-hand panel."""
        i = self.inspector
        for view in (i.table, getattr(i, "ocr_view", None)):
            if view is not None and hasattr(view, "setTabKeyNavigation"):
                view.setTabKeyNavigation(False)
        i.note.setTabChangesFocus(True)  # Tab leaves the note instead of typing a tab
        QWidget.setTabOrder(self.timeline, i.note)
        QWidget.setTabOrder(i.note, i.tabs)
        QWidget.setTabOrder(i.tabs, i.table)
        QWidget.setTabOrder(i.table, self.side)

    def focus_pane(self, step: int) -> None:
        """F6 / Shift+F6: the next (previous) pane: timeline, note, right-hand panel."""
        focused = QApplication.focusWidget()
        current = next(
            (
                n
                for n, pane in enumerate(self.panes)
                if focused is not None and (focused is pane or pane.isAncestorOf(focused))
            ),
            -1,
        )
        for n in range(1, len(self.panes) + 1):
            pane = self.panes[(current + n * step) % len(self.panes)]
            if pane.isVisible() and pane.isEnabled():
                pane.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def open_log_folder(self) -> None:
        """The folder of the window's log file (to attach it to a problem report)."""
        from app.ui.log import default_log_dir, log_path

        folder = log_path().parent if log_path() is not None else default_log_dir()  # type: ignore[union-attr]
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def show_help(self) -> None:
        """F1: the offline guide and every shortcut."""
        from app.ui.help import HelpDialog

        HelpDialog(self.actions() + self.timeline.actions(), self).exec()

    def open_sample_case(self) -> Worker | None:
        """Build the bundled sample case in the user's data folder (once) and open it."""
        from PySide6.QtCore import QStandardPaths

        base = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
            or tempfile.gettempdir()
        )
        out = base / "sample"
        case_dir = out / "sample-case"
        if (case_dir / "case.sqlite").is_file():
            self.open_case(case_dir)
            return None

        def work(progress: object, cancel: object) -> Path:
            from app.evidence.demo import build_demo

            return build_demo(out, progress=progress)["case"]  # type: ignore[arg-type]

        worker = Worker(work)
        worker.signals.result.connect(lambda path: self.open_case(Path(path)))
        worker.signals.error.connect(
            lambda text: QMessageBox.warning(self, tr("举证助手", "EvidenceDesk"), text)
        )
        worker.signals.finished.connect(lambda: self._set_busy(False))
        self._busy(tr("正在准备示例案件…", "Preparing the sample case…"), worker)
        self.runner.read(worker)
        return worker

    def new_case(self) -> None:
        dialog = NewCaseDialog(self)
        if dialog.exec():
            path = dialog.case_path()
            if self.controller.create(path, dialog.title.text().strip(), **dialog.fields()):
                self.settings.add_recent_case(path)

    def open_archive_view(self) -> None:
        """The seller's shipping-proof archive, in its own window; its order cases open here."""
        from app.ui.archive_view import show_archive_window

        show_archive_window(self)

    def open_case_dialog(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("打开案件", "Open case"))
        if chosen:
            self.open_case(Path(chosen))

    def open_case(self, path: Path) -> bool:
        """Open a case folder in this window."""
        if self.controller.open(path):
            self.settings.add_recent_case(path)
            return True
        return False

    def add_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, tr("导入文件", "Add files"))
        if files:
            self.import_paths([Path(f) for f in files])

    def add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("导入文件夹", "Add folder"))
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path], kind: ItemKind | None = None) -> Worker | None:
        """Import in the background (files and folders)."""
        if self.controller.root is None:
            self.statusBar().showMessage(
                tr("请先新建或打开一个案件", "Create or open a case first"), 6000
            )
            return None
        # a phone's storage or DCIM: offer only the camera's files from the dispute's dates
        return import_with_phone_offer(self, self.controller, paths, kind)

    def export_dialog(self) -> None:
        """Choose what to export; warn about items that are not originals; export in background."""
        snap, root = self.snapshot, self.controller.root
        if snap is None or root is None:
            self.statusBar().showMessage(
                tr("请先新建或打开一个案件", "Create or open a case first"), 6000
            )
            return
        names = {item_id: item.original_name for item_id, item in snap.items.items()}
        dialog = ExportDialog(
            root,
            snap.info.title,
            snap.verdicts,
            names,
            self.settings.export_preset(snap.info.role),
            self,
            findings=snap.findings,
        )
        if dialog.exec():
            targets = dialog.targets()
            if not any(targets[k] for k in ("pdf", "pack", "zip_path")):
                return
            if targets["pack"]:
                self.settings.set_export_preset(snap.info.role, targets["pack"][0])
            if self.unchecked_items() and not self.controller.read_only:
                # an export never prints "未检查": the missing checks run first, then the export
                self.finish_missing(then=lambda: self.controller.export(targets))
                return
            self.controller.export(targets)

    def unchecked_items(self) -> list[int]:
        """Photos, screenshots and videos of the snapshot without a verdict yet."""
        from app.evidence.service.checks import CHECKED_KINDS

        snap = self.snapshot
        if snap is None:
            return []
        return [
            i
            for i, item in snap.items.items()
            if item.kind in CHECKED_KINDS and i not in snap.verdicts
        ]

    def _finish_if_still_open(self, root: Path | None) -> None:
        if (
            not getattr(self, "_closing", False)
            and root is not None
            and self.controller.root == root
            and not self.controller.read_only
        ):
            self.finish_missing()

    def _thumbnails_missing(self) -> bool:
        root, snap = self.controller.root, self.snapshot
        if root is None or snap is None:
            return False
        thumbs = root / "derived" / "thumbs"
        return any(
            item.kind in (ItemKind.PHOTO, ItemKind.VIDEO, ItemKind.SCREENSHOT)
            and not (thumbs / item.sha256[:2] / f"{item.sha256}.jpg").is_file()
            for item in snap.items.values()
        )

    def finish_missing(self, then: object = None) -> Worker | None:
        """Thumbnails and checks an item still lacks (an archive order case, an import cut
        short), on the writer thread; `then` runs after (the export waiting for them)."""
        c = self.controller

        def work(progress: ProgressCallback, cancel: CancelToken) -> object:
            from app.evidence.service.checks import finish_missing

            writer = c._writer  # noqa: SLF001 - the controller's single writer connection
            return (
                finish_missing(writer, progress=progress, cancel=cancel)
                if writer is not None
                else None
            )

        def done(result: object) -> None:
            made: int = getattr(result, "thumbnails", 0)
            checked: int = getattr(result, "checked", 0)
            if result is not None and (made or checked):
                c.refresh()
            if callable(then):
                then()

        return c._write(tr("检查", "Checking"), work, done)  # noqa: SLF001 - its generic write path

    def _export_finished(self, result: object) -> None:
        self.last_export = result
        folder = None
        for path in (getattr(result, "pdf", None), getattr(result, "zip", None)):
            if path is not None:
                folder = Path(path).parent
        pack = getattr(result, "pack", None)
        if pack is not None:
            folder = folder or Path(pack.folder).parent
        problems = list(getattr(result, "problems", ())) + list(getattr(result, "warnings", ()))
        text = tr(
            "导出完成：{n} 项证据。", "Exported {n} exhibits.", n=getattr(result, "exhibits", 0)
        )
        if problems:
            text += (
                "\n\n"
                + tr("需要注意：", "Please note:")
                + "\n"
                + "\n".join(f"• {p}" for p in problems[:10])
            )
        box = QMessageBox(
            QMessageBox.Icon.Information,
            tr("导出证据链", "Export the evidence chain"),
            text,
            parent=self,
        )
        open_button = box.addButton(
            tr("打开文件夹", "Open folder"), QMessageBox.ButtonRole.ActionRole
        )
        box.addButton(QMessageBox.StandardButton.Close)
        if not self.isVisible() or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
            return  # tests and headless runs: no modal box
        box.exec()
        if box.clickedButton() is open_button and folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        guide = getattr(pack, "guide", None)
        if guide is not None:  # what to upload where, with copy buttons
            from app.ui.guide_dialog import GuideDialog

            GuideDialog(guide, self).exec()

    def edit_settings(self) -> None:
        """Language and chat-side preferences."""
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            changed = dialog.language.currentData() != self.settings.language
            self.settings.language = dialog.language.currentData()
            self.settings.chat_me_side = dialog.me_side.currentData()
            self.controller.me_on_right = self.settings.chat_me_side != "left"
            if changed:
                QMessageBox.information(
                    self,
                    tr("设置", "Settings"),
                    tr(
                        "界面语言将在重新启动后切换。",
                        "The language changes when the app starts again.",
                    ),
                )

    def edit_details(self) -> None:
        """Edit the summary, dispute type and key dates."""
        if self.snapshot is None:
            return
        dialog = CaseDetailsDialog(self.snapshot.overview, self)
        if not dialog.exec():
            return
        # the dialog only closes when every changed date reads (bad ones are marked in place)
        dates = {name: parse_when(text) for name, text in dialog.changed_dates().items()}
        self.controller.save_details(dialog.summary_fields(), dialog.dispute.currentData(), dates)

    def add_event(self) -> None:
        """Add a manual event such as "I called the courier"."""
        dialog = EventDialog(tr("添加事件", "Add event"), self)
        if dialog.exec() and dialog.text.text().strip():
            when = dialog.when.value()  # read before the dialog closed
            self.controller.add_manual_event(dialog.text.text().strip(), when)

    def set_time(self) -> None:
        """Set the selected entry's time by hand, with a reason; the original stays visible."""
        entry = self.timeline.currentIndex().data(TimelineModel.EntryRole)
        if entry is None:
            self.statusBar().showMessage(tr("先在时间线上选择一项", "Select an entry first"), 5000)
            return
        dialog = EventDialog(tr("手动设置时间", "Set time"), self, text_label=tr("原因", "Reason"))
        if dialog.exec():
            when = dialog.when.value()  # read before the dialog closed
            if when is None or not dialog.text.text().strip():
                QMessageBox.information(
                    self,
                    tr("举证助手", "EvidenceDesk"),
                    tr("请填写时间和原因", "A time and a reason are needed"),
                )
                return
            self.controller.set_entry_time(entry.key, when, dialog.text.text().strip())

    # -- taking items back (app.evidence.timeline.item_edits; each one undoable) --------------

    def selected_item(self) -> tuple[int, str, bool] | None:
        """(item id, the name the user knows it by, excluded?) of the selected item entry."""
        entry = self.timeline.currentIndex().data(TimelineModel.EntryRole)
        if entry is None or not entry.is_item or entry.item_id is None:
            self.statusBar().showMessage(
                tr("先在时间线上选择一项证据", "Select an item on the timeline first"), 5000
            )
            return None
        name = entry.exhibit_label or entry.title
        return entry.item_id, name, "excluded" in entry.flags

    def remove_selected(self) -> None:
        """Del: take the selected item out of the case (Ctrl+Z brings it back)."""
        chosen = self.selected_item()
        if chosen is not None:
            item_actions.remove(self.controller, chosen[0], chosen[1])

    def toggle_excluded(self) -> None:
        chosen = self.selected_item()
        if chosen is not None:
            item_actions.set_excluded(self.controller, chosen[0], not chosen[2], chosen[1])

    def change_kind(self, kind: ItemKind) -> None:
        chosen = self.selected_item()
        if chosen is not None:
            item_actions.set_kind(self.controller, chosen[0], kind, chosen[1])

    def show_removed(self) -> None:
        """The removed list: restore items or empty it (with a confirmation)."""
        root = self.controller.root
        if root is None:
            return
        from app.evidence.service.cases import Case

        with Case.open(root, writable=False) as case:
            removed = item_state.removed_items(case)
        dialog = item_actions.RemovedDialog(removed, self)
        if not dialog.exec():
            return
        for item_id in dialog.restore_ids:
            item_actions.restore(self.controller, item_id)
        if dialog.empty_requested:
            item_actions.empty_removed(self.controller)

    def _timeline_menu(self, pos: QPoint) -> None:
        """Right click on the timeline: what can be done with that entry."""
        index = self.timeline.indexAt(pos)  # type: ignore[arg-type]
        if not index.isValid():
            return
        self.timeline.setCurrentIndex(index)
        entry = index.data(TimelineModel.EntryRole)
        menu = QMenu(self.timeline)
        if entry is not None and entry.is_item:
            self.exclude_action.setChecked("excluded" in entry.flags)
            menu.addAction(self.remove_action)
            menu.addAction(self.exclude_action)
            menu.addMenu(self.kind_menu)
            menu.addSeparator()
        menu.addAction(tr("手动设置时间…", "Set time by hand…"), self.set_time)
        menu.exec(self.timeline.viewport().mapToGlobal(pos))

    def _update_undo_labels(self) -> None:
        """The Edit menu names what Ctrl+Z and Ctrl+Y would do ("撤销 删除 证据3")."""
        import sqlite3

        undo_label = redo_label = None
        root = self.controller.root
        if root is not None:
            try:
                conn = sqlite3.connect(f"file:{root / 'case.sqlite'}?mode=ro", uri=True, timeout=1)
                try:
                    undo_label, redo_label = item_state.next_steps(conn)
                finally:
                    conn.close()
            except sqlite3.Error:
                pass
        editable = not self.controller.read_only
        self.undo_action.setText(tr("撤销", "Undo") + (f" {undo_label}" if undo_label else ""))
        self.redo_action.setText(tr("重做", "Redo") + (f" {redo_label}" if redo_label else ""))
        self.undo_action.setEnabled(editable and undo_label is not None)
        self.redo_action.setEnabled(editable and redo_label is not None)

    def move_selected(self, steps: int) -> None:
        """Alt+Up / Alt+Down: move the selected entry within its minute (undoable)."""
        entry = self.timeline.currentIndex().data(TimelineModel.EntryRole)
        if entry is None:
            self.statusBar().showMessage(tr("先在时间线上选择一项", "Select an entry first"), 5000)
            return
        self.model.request_move(entry.key, steps)

    def paste(self) -> None:
        """Ctrl+V: tracking text or an image from the clipboard becomes an item."""
        clip = QGuiApplication.clipboard().mimeData()
        if self.controller.root is None or clip is None:
            return
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder = Path(tempfile.mkdtemp(prefix="evidence-paste-"))
        if clip.hasImage():
            path = folder / f"pasted-image-{stamp}.png"
            # the stub types the format as bytes; PySide6 takes a str for the char* as well
            QGuiApplication.clipboard().image().save(str(path), "PNG")  # type: ignore[call-overload]
            self.import_paths([path], ItemKind.SCREENSHOT)
        elif clip.hasText() and clip.text().strip():
            from app.evidence.service.view import clearly_tracking

            text = clip.text()
            what = (
                item_actions.PASTE_TRACKING if clearly_tracking(text) else self.ask_paste_kind(text)
            )
            if what is None:
                return
            if what == item_actions.PASTE_NOTE:
                self.paste_as_note(text.strip())
                return
            path, kind = item_actions.paste_file(folder, stamp, what, text)
            self.import_paths([path], kind)
            if what == item_actions.PASTE_TRACKING:
                self.statusBar().showMessage(
                    tr(
                        "已作为物流记录加入；如有误，可在时间线上右键删除",
                        "Added as a tracking record; if wrong, right-click it on the timeline to "
                        "remove it",
                    ),
                    8000,
                )

    def ask_paste_kind(self, text: str) -> str | None:
        """Tracking, chat text or a note? (a text that is not clearly tracking)"""
        dialog = item_actions.PasteKindDialog(text, self)
        return dialog.choice() if dialog.exec() else None

    def paste_as_note(self, text: str) -> None:
        """A pasted note goes under the selected entry (after its note), else becomes an event."""
        entry = self.timeline.currentIndex().data(TimelineModel.EntryRole)
        if entry is None:
            self.controller.add_manual_event(text[:200], None)
            return
        note = f"{entry.note}\n{text}" if entry.note else text
        self.controller.set_entry_note(entry.key, note)

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
        role = tr("买家", "Buyer") if info.role == "buyer" else tr("卖家", "Seller")
        readonly = tr("（只读）", "(read-only)") if self.controller.read_only else ""
        self.case_label.setText(
            f"<b>{html.escape(info.title)}</b> {readonly}<br>{role} · "
            + tr("订单 {order}", "Order {order}", order=info.order_no or "—")
        )
        self.setWindowTitle(f"{info.title} — " + tr("举证助手", "EvidenceDesk"))
        self.snapshot = None
        self.model.set_timeline(None, {}, None)
        self.inspector.show_entry(None, None, None)
        self._finish_pending = not self.controller.read_only  # looked at with the first snapshot
        self.set_read_only(self.controller.read_only)

    def set_read_only(self, read_only: bool) -> None:
        """A read-only window: the banner says so, and nothing offers an edit it would drop."""
        self.readonly_banner.setVisible(read_only)
        for act in self.edit_actions:
            act.setEnabled(not read_only)
        self.inspector.note.setReadOnly(read_only)
        self.inspector.note.setPlaceholderText(
            tr("只读窗口：不能修改说明", "Read-only window: the note cannot be changed")
            if read_only
            else tr(
                "简要说明这项证据证明了什么（例如：开箱视频，显示运单号与外包装完好）",
                "What this evidence shows, briefly (e.g. unboxing video showing the waybill and "
                "the intact parcel)",
            )
        )
        self.timeline.setDragDropMode(
            QListView.DragDropMode.NoDragDrop if read_only else QListView.DragDropMode.DragDrop
        )
        self.setAcceptDrops(not read_only)

    def _snapshot(self, snapshot: CaseSnapshot) -> None:
        """A fresh read of the case arrived: redraw, keeping the selection."""
        current = self.timeline.currentIndex().data(TimelineModel.EntryRole)
        self.snapshot = snapshot
        shas = {item_id: item.sha256 for item_id, item in snapshot.items.items()}
        self.model.set_timeline(
            snapshot.timeline, shas, self.controller.thumb_dir(), snapshot.verdicts
        )
        empty = not snapshot.timeline.visible()
        self.timeline.setVisible(not empty)
        self.empty_hint.setVisible(empty)
        self.side.show_overview(snapshot.overview, not self.controller.read_only)
        self._update_undo_labels()
        if getattr(self, "_finish_pending", False):
            self._finish_pending = False
            if self.unchecked_items() or self._thumbnails_missing():
                # thumbnails and checks the case still lacks (archive cases), once the window
                # has settled: a window closed right away does not start minutes of checks
                root = self.controller.root
                QTimer.singleShot(FINISH_DELAY_MS, lambda: self._finish_if_still_open(root))
        if current is not None:
            row = self.model.row_of_key(current.key)
            if row >= 0 and row == self.timeline.currentIndex().row():
                self._selected(self.model.index(row))  # same rows, data refreshed: show it
            elif row >= 0:
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
        related = (
            [e for e in snap.timeline.visible() if not e.is_item and e.item_id == item.id]
            if entry.is_item
            else []
        )
        self.inspector.show_entry(
            entry,
            item,
            original_path_or_none(root, item.vault_path),
            thumb,
            findings,
            related,
            snap.redactions.get(item.id, []),
        )
        show_folder_hint(
            self.inspector, self.controller.folder_hint(item.id) if entry.is_item else None
        )

    def _connect_inspector(self) -> None:
        """The inspector's redaction edits go to the controller (each one undoable)."""
        i, c = self.inspector, self.controller
        i.redaction_drawn.connect(c.add_redaction)
        i.redaction_drawn_on_page.connect(
            lambda item_id, rect, page: c.add_redaction(item_id, rect, page=page)
        )
        i.redaction_changed.connect(c.set_redaction_rect)
        i.redaction_removed.connect(c.remove_redaction)
        i.redactions_accepted.connect(c.accept_redactions)
        i.redactions_rejected.connect(c.reject_redactions)
        i.redaction_reason_set.connect(c.set_redaction_reason)
        i.suggest_requested.connect(lambda item_id: c.suggest_redactions([item_id]))
        i.ocr_line_edited.connect(c.correct_ocr_line)
        i.ocr_reader = c.read_ocr
        i.can_edit = lambda: not c.read_only
        self.model.reorder_requested.connect(c.reorder_entries)
        self.model.move_requested.connect(c.move_entry)
        self.model.drop_refused.connect(lambda text: self.statusBar().showMessage(text, 8000))

    def _busy(self, label: str, worker: Worker) -> None:
        self._current_worker = worker
        worker.signals.progress.connect(self._on_progress)
        worker.signals.progress.connect(self._fill_while_importing)
        self._set_busy(True, label)

    def _fill_while_importing(self, p: Progress) -> None:
        """Re-read the case every few seconds while files are being imported, so the timeline
        fills as they arrive (each batch is committed before the next starts)."""
        if p.stage != "import" or p.done == 0:
            return
        now = time.monotonic()
        if now - self._last_fill >= IMPORT_REFRESH_S:
            self._last_fill = now
            self.controller.refresh()

    def _on_progress(self, p: Progress) -> None:
        self.progress.setMaximum(max(1, p.total))
        self.progress.setValue(p.done)
        stage = stage_text(p.stage)  # every stage the core reports (app/evidence/labels.py)
        self.progress.setFormat(f"{stage} %v/%m")
        self.statusBar().showMessage(p.current)
        self.pace.show_progress(p)

    def _set_busy(self, busy: bool, label: str = "") -> None:
        self.pace.reset()
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
            self.statusBar().showMessage(tr("正在取消…", "Cancelling…"))

    def _import_finished(self, results: list[FileResult], cancelled: bool) -> None:
        self.last_import = results
        imported = sum(r.status == "imported" for r in results)
        dupes = sum(r.status == "duplicate" for r in results)
        failed = [
            r for r in results if r.status == "failed" or (r.status == "imported" and r.message)
        ]
        text = tr(
            "导入 {imported} 项，已存在 {dupes} 项，问题 {failed} 项",
            "Imported {imported}, already present {dupes}, problems {failed}",
            imported=imported,
            dupes=dupes,
            failed=len(failed),
        ) + (tr("（已取消）", " (cancelled)") if cancelled else "")
        # the summary stays above the timeline until the next import (a status message is gone
        # after ten seconds, before someone back from a 200-photo import has read it)
        self.problems.clear()
        self.problems.addItem(tr("上次导入：", "Last import: ") + text)
        for r in failed:
            self.problems.addItem(f"⚠ {Path(r.path).name}: {r.message}")
        self.problems.setVisible(bool(results))
        self.statusBar().showMessage(text, 10000)

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        self._closing = True
        if self._current_worker is not None:
            self._current_worker.cancel()
        self.controller.close()
        super().closeEvent(event)  # type: ignore[arg-type]
