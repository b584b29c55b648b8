"""The text the OCR read from a picture, one editable row per line.

Editing a row asks for a correction (`line_edited`); the controller stores it through
`app.evidence.ingest.corrections.correct_line`, which reads the chats again, so the timeline,
the transcript and the export show the corrected text. The model shows the correction at once
and the next read of the case confirms it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.evidence.i18n import tr
from app.evidence.service.view import OcrLine, OcrResult

Index = QModelIndex | QPersistentModelIndex
COL_TEXT, COL_READ, COL_SCORE = 0, 1, 2


class OcrLinesModel(QAbstractTableModel):
    """Lines of one OCR result: the text (editable), what the OCR read, its confidence."""

    LineRole = Qt.ItemDataRole.UserRole + 1  # the OcrLine
    line_edited = Signal(int, str)  # line index, the user's text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: list[OcrLine] = []
        self.editable = True

    def set_result(self, result: OcrResult | None) -> None:
        """Show these lines (None: nothing was read)."""
        lines = list(result.lines) if result is not None else []
        if len(lines) == len(self._lines) and lines:
            self._lines = lines  # a re-read after an edit: same lines, keep the view's state
            self.dataChanged.emit(self.index(0, 0), self.index(len(lines) - 1, COL_SCORE))
            return
        self.beginResetModel()
        self._lines = lines
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else 3

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_TEXT and self.editable:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role == self.LineRole:
            return line
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == COL_TEXT:
                return line.text
            if column == COL_READ:
                return line.corrected_from or ""
            if column == COL_SCORE:
                return f"{line.score:.0%}" if role == Qt.ItemDataRole.DisplayRole else line.score
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_TEXT:
            if line.corrected_from is not None:
                return tr(
                    "已手动更正；识别结果为：{text}",
                    "Corrected by hand; the OCR read: {text}",
                    text=line.corrected_from,
                )
            return tr("双击修改识别错误的文字", "Double-click to correct what the OCR misread")
        if (
            role == Qt.ItemDataRole.FontRole
            and column == COL_TEXT
            and line.corrected_from is not None
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != COL_TEXT:
            return False
        text = " ".join(str(value).split())
        line = self._lines[index.row()]
        if text == line.text:
            return False
        read = line.corrected_from if line.corrected_from is not None else line.text
        back = not text or text == read
        self._lines[index.row()] = replace(
            line, text=read if back else text, corrected_from=None if back else read
        )
        self.dataChanged.emit(index, self.index(index.row(), COL_READ))
        self.line_edited.emit(index.row(), text)
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            labels = (
                tr("识别的文字（双击修改）", "Text (double-click to correct)"),
                tr("原识别", "OCR read"),
                tr("可信度", "Confidence"),
            )
            return labels[section] if 0 <= section < len(labels) else None
        return None


class OcrLinesView(QTableView):
    """The lines in a table: the text column stretches, the others fit their contents."""

    def __init__(self, model: OcrLinesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.horizontalHeader()
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_READ, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_SCORE, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(COL_READ, 140)
