"""After an export with an upload pack: what to upload where (the pack's 上传指引), with copy
buttons for the file names and the description to paste."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.evidence.i18n import tr

SECTIONS = {
    "where": lambda: tr("在哪里上传", "Where to upload"),
    "images": lambda: tr("图片（按顺序上传）", "Images, in upload order"),
    "video": lambda: tr("视频", "Video"),
    "description": lambda: tr("说明文字", "Description to paste"),
    "deadline": lambda: tr("期限", "Deadline"),
    "files": lambda: tr("其他文件", "Other files"),
}
"""Section headings, rendered in the language current when the dialog is built."""


def guide_rows(guide: Any) -> list[tuple[str, str, str]]:
    """(section heading or "", text, what the copy button copies) per row of the dialog."""
    rows: list[tuple[str, str, str]] = []
    section = ""
    for step in guide.steps:
        head = ""
        if step.section != section:
            section = step.section
            head = SECTIONS[section]() if section in SECTIONS else section
        text = step.text + (
            tr("（{source}）", " ({source})", source=step.source) if step.source else ""
        )
        if step.section == "description" and step.copy:
            text += "\n" + step.copy
        rows.append((head, text, step.copy))
    return rows


class GuideDialog(QDialog):
    """The upload guide of one pack; every file name and the description can be copied."""

    def __init__(self, guide: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("上传指引", "Upload guide"))
        body = QWidget()
        grid = QGridLayout(body)
        title = QLabel(guide.title)
        title.setWordWrap(True)
        grid.addWidget(title, 0, 0, 1, 2)
        self.copy_buttons: list[QPushButton] = []
        row = 1
        for head, text, copy in guide_rows(guide):
            if head:
                grid.addWidget(QLabel(f"<b>{head}</b>"), row, 0, 1, 2)
                row += 1
            label = QLabel(text)
            label.setWordWrap(True)
            grid.addWidget(label, row, 0)
            if copy:
                button = QPushButton(tr("复制", "Copy"))
                button.clicked.connect(lambda _=False, value=copy: self.copy(value))
                grid.addWidget(button, row, 1)
                self.copy_buttons.append(button)
            row += 1
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 640)

    def copy(self, value: str) -> None:
        """Put `value` on the clipboard."""
        QGuiApplication.clipboard().setText(value)
