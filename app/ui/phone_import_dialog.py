"""Importing a phone's folder: offer only the camera's files from the dispute's dates (issue 22).

When the user drops or chooses a folder that is a phone's storage or DCIM, the window first
looks at it on a pool thread (`CaseController.plan_phone_import`), then asks: "只导入相机拍的
N 个文件（6月5日–6月12日）", says what that leaves out per kind of folder (screenshots, WeChat
and QQ, Douyin and other apps, camera files outside the dates), and offers to import everything
instead. Either way each file's phone folder is kept beside its item as a hint, shown in the
item's details (`show_folder_hint`) and never used as evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.evidence.i18n import tr
from app.evidence.models import ItemKind
from app.evidence.service.importing import PhoneImportPlan, looks_like_phone, phone_text
from app.ui.worker import Worker

if TYPE_CHECKING:
    from app.ui.controller import CaseController
    from app.ui.inspector import Inspector

CAMERA_ONLY = "camera"
EVERYTHING = "all"


class PhoneImportDialog(QDialog):
    """The choice for one phone folder: the camera's files from the dates, or everything.

    Attributes:
        choice: CAMERA_ONLY, EVERYTHING, or None (cancelled) once the dialog is closed.
    """

    def __init__(self, plan: PhoneImportPlan, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.choice: str | None = None
        self.setWindowTitle(tr("从手机文件夹导入", "Import from a phone's folder"))
        layout = QVBoxLayout(self)
        phone = phone_text(plan)
        intro = QLabel(
            tr(
                "这是{phone}的文件夹：{folder}\n共 {n} 个文件；按文件夹分出了相机拍的、截图、"
                "聊天软件和其他应用保存的。",
                "This is the folder of {phone}: {folder}\n{n} files, sorted by the folder they "
                "are in: the camera's, screenshots, and what chat apps and other apps saved.",
                phone=phone or tr("手机", "a phone"),
                folder=folder,
                n=len(plan.scan.files),
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.camera_button = QPushButton(plan.offer_text())
        bold = QFont(self.camera_button.font())
        bold.setBold(True)
        self.camera_button.setFont(bold)
        self.camera_button.setDefault(True)
        self.camera_button.setEnabled(bool(plan.suggested))
        self.camera_button.clicked.connect(lambda: self._choose(CAMERA_ONLY))
        layout.addWidget(self.camera_button)

        lines = plan.left_out_lines()
        left = "\n".join(f"  · {line}" for line in lines)
        text = (
            tr("不导入：\n{lines}", "Left out:\n{lines}", lines=left)
            if lines
            else tr("没有文件被排除。", "Nothing is left out.")
        )
        for extra in (plan.undated_text(), plan.refused_text()):
            if extra:
                text += "\n" + extra
        self.left_out = QLabel(text)
        self.left_out.setWordWrap(True)
        self.left_out.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.left_out)

        note = QLabel(
            tr(
                "聊天软件保存的图片和视频通常已被压缩、去掉了拍摄信息；请尽量用相机拍的原件。"
                "每个文件所在的手机文件夹会记在证据旁，仅作提示，不作为证据。",
                "Pictures and videos saved from chat apps are usually recompressed, their "
                "capture details gone: use the camera's originals where you can. The phone "
                "folder of each file is noted beside it as a hint, not as evidence.",
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555")
        layout.addWidget(note)

        buttons = QHBoxLayout()
        self.all_button = QPushButton(plan.everything_text())
        self.all_button.clicked.connect(lambda: self._choose(EVERYTHING))
        self.cancel_button = QPushButton(tr("取消", "Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.all_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def chosen_paths(self) -> list[Path]:
        """The files to import for the choice made ([] when cancelled)."""
        if self.choice == CAMERA_ONLY:
            return self.plan.suggested
        if self.choice == EVERYTHING:
            return self.plan.everything
        return []


def import_with_phone_offer(
    parent: QWidget,
    controller: CaseController,
    paths: list[Path],
    kind: ItemKind | None = None,
    on_dialog: Callable[[PhoneImportDialog], None] | None = None,
) -> Worker | None:
    """Import `paths`; one folder that is a phone's is looked at first and the choice offered.

    Returns the import's worker, or the look's worker for a phone folder (the import follows
    the user's choice). `on_dialog` is told of the dialog when it opens (tests).
    """
    if kind is not None or len(paths) != 1 or not paths[0].is_dir():
        return controller.import_paths(paths, kind)
    folder = paths[0]
    if not looks_like_phone(folder):
        return controller.import_paths(paths, kind)

    def offer(plan: PhoneImportPlan | None) -> None:
        if plan is None:
            controller.import_paths(paths, kind)
            return
        dialog = PhoneImportDialog(plan, folder, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(_: int) -> None:
            chosen = dialog.chosen_paths()
            if chosen:
                controller.import_paths(chosen, None, plan.hints())

        dialog.finished.connect(finished)
        dialog.open()
        if on_dialog is not None:
            on_dialog(dialog)

    return controller.plan_phone_import(folder, offer)


HINT_SEVERITY = "info"  # the inspector colours a row's label by it: a note, not a finding


def folder_hint_row(text: str | None) -> tuple[str, str, str] | None:
    """The details row of an item's phone folder hint (None: no hint)."""
    if not text:
        return None
    return (tr("手机文件夹（提示）", "Phone folder (hint)"), text, HINT_SEVERITY)


def show_folder_hint(inspector: Inspector, text: str | None) -> None:
    """Add the phone folder hint to the item details the inspector shows (after show_entry)."""
    row = folder_hint_row(text)
    if row is not None:
        inspector.metadata.add_row(row)
