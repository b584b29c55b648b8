"""Taking items back in the window: remove, leave out of exports, change the kind, the removed
list, and asking what a pasted text is. The edits run on the controller's writer thread through
app.evidence.timeline.item_edits (each one undoable, Ctrl+Z)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.evidence.i18n import pick, tr
from app.evidence.models import ItemKind
from app.evidence.service.edits import item_state

if TYPE_CHECKING:
    from app.ui.controller import CaseController


def run_edit(
    controller: CaseController, fn: Callable[[Any], Any], message: str | None = None
) -> None:
    """One small edit on the writer thread, then a fresh read (and a status line)."""

    def work() -> Any:
        writer = controller._writer  # noqa: SLF001 - the controller's single writer connection
        return fn(writer) if writer is not None else None

    def done(_: Any) -> None:
        if message:
            controller.message.emit(message)
        controller.refresh()

    controller._write("", work, done, progress=False)  # noqa: SLF001 - its generic write path


def remove(controller: CaseController, item_id: int, name: str) -> None:
    run_edit(
        controller,
        lambda case: item_state.remove_item(case, item_id),
        tr(
            "已删除 {name}（原件保留，Ctrl+Z 撤销）",
            "Removed {name} (original kept; Ctrl+Z undoes it)",
            name=name,
        ),
    )


def set_excluded(controller: CaseController, item_id: int, excluded: bool, name: str) -> None:
    text = (
        tr(
            "{name} 不再导出（Ctrl+Z 撤销）",
            "{name} is left out of exports (Ctrl+Z undoes it)",
            name=name,
        )
        if excluded
        else tr("{name} 恢复导出", "{name} is exported again", name=name)
    )
    run_edit(controller, lambda case: item_state.set_excluded(case, item_id, excluded), text)


def set_kind(controller: CaseController, item_id: int, kind: ItemKind, name: str) -> None:
    zh, en = item_state.KIND_NAMES[kind]
    run_edit(
        controller,
        lambda case: item_state.set_item_kind(case, item_id, kind),
        tr(
            "{name} 改为{kind}（Ctrl+Z 撤销）",
            "{name} is now a {kind} (Ctrl+Z undoes it)",
            name=name,
            kind=pick(zh, en),
        ),
    )


def restore(controller: CaseController, item_id: int) -> None:
    run_edit(
        controller, lambda case: item_state.restore_item(case, item_id), tr("已恢复", "Restored")
    )


class RemovedDialog(QDialog):
    """The removed list: bring one back, or empty the list for good (with a confirmation)."""

    def __init__(self, items: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("已删除的证据", "Removed items"))
        self.restore_ids: list[int] = []
        self.empty_requested = False
        info = QLabel(
            tr(
                "删除的证据不在时间线和导出中，但原件仍保存在案件里，直到清空此列表。",
                "Removed items are not on the timeline or in exports; their originals stay in the "
                "case until this list is emptied.",
            )
        )
        info.setWordWrap(True)
        self.list = QListWidget()
        for item in items:
            row = QListWidgetItem(item.original_name)
            row.setData(256, item.id)
            self.list.addItem(row)
        if not items:
            self.list.addItem(tr("（没有已删除的证据）", "(nothing removed)"))
        self.restore_button = QPushButton(tr("恢复所选", "Restore selected"))
        self.restore_button.clicked.connect(self._restore)
        self.empty_button = QPushButton(
            tr("清空（永久删除原件）…", "Empty (delete the originals for good)…")
        )
        self.empty_button.clicked.connect(self._empty)
        self.restore_button.setEnabled(bool(items))
        self.empty_button.setEnabled(bool(items))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.restore_button)
        layout.addWidget(self.empty_button)
        layout.addWidget(buttons)
        self.resize(460, 360)

    def _restore(self) -> None:
        self.restore_ids = [
            int(i.data(256)) for i in self.list.selectedItems() if i.data(256) is not None
        ]
        if self.restore_ids:
            self.accept()

    def _empty(self) -> None:
        if confirm_empty(self, self.list.count()):
            self.empty_requested = True
            self.accept()


def confirm_empty(parent: QWidget, count: int) -> bool:
    answer = QMessageBox.warning(
        parent,
        tr("清空已删除的证据", "Empty the removed list"),
        tr(
            "永久删除 {n} 项证据的原件？此操作不能撤销。",
            "Delete the originals of {n} item(s) for good? This cannot be undone.",
            n=count,
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def empty_removed(controller: CaseController) -> None:
    def done_text(result: Any) -> None:
        names = getattr(result, "items", ())
        controller.message.emit(
            tr("已永久删除 {n} 项", "Deleted {n} item(s) for good", n=len(names))
        )
        left = getattr(result, "files_left", ())
        if left:
            controller.failed.emit(
                tr("这些原件未能删除：", "These originals could not be deleted:")
                + "\n"
                + "\n".join(left)
            )
        controller.refresh()

    def work() -> Any:
        writer = controller._writer  # noqa: SLF001
        return item_state.empty_removed(writer) if writer is not None else None

    controller._write("", work, done_text, progress=False)  # noqa: SLF001


PASTE_TRACKING, PASTE_CHAT, PASTE_NOTE = "tracking", "chat", "note"


class PasteKindDialog(QDialog):
    """Asks what a pasted text is, when it is not clearly a tracking record."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("粘贴的文字是什么？", "What is the pasted text?"))
        preview = QLabel(text.strip()[:300] + ("…" if len(text.strip()) > 300 else ""))
        preview.setWordWrap(True)
        preview.setStyleSheet("QLabel { background: palette(base); padding: 6px; }")
        self.choices = {
            PASTE_CHAT: QRadioButton(
                tr("聊天记录文字（作为证据加入）", "Chat text (added as evidence)")
            ),
            PASTE_TRACKING: QRadioButton(tr("物流记录", "A tracking record")),
            PASTE_NOTE: QRadioButton(
                tr("备注（加到所选条目）", "A note (added to the selected entry)")
            ),
        }
        self.choices[PASTE_CHAT].setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(preview)
        for button in self.choices.values():
            layout.addWidget(button)
        layout.addWidget(buttons)
        self.resize(480, 0)

    def choice(self) -> str:
        return next(k for k, b in self.choices.items() if b.isChecked())


def paste_file(folder: Path, stamp: str, what: str, text: str) -> tuple[Path, ItemKind]:
    """The file a pasted text is imported from, and its kind."""
    name = "pasted-tracking" if what == PASTE_TRACKING else "pasted-chat"
    path = folder / f"{name}-{stamp}.txt"
    path.write_text(text, encoding="utf-8")
    return path, (ItemKind.TRACKING if what == PASTE_TRACKING else ItemKind.DOCUMENT)
