"""Start the desktop window (a minimal item list until the full window lands)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QListView, QMainWindow, QVBoxLayout, QWidget

from app.evidence.errors import EvidenceError
from app.evidence.models import Item
from app.evidence.store.case import Case

Index = QModelIndex | QPersistentModelIndex


class ItemListModel(QAbstractListModel):
    """The items of a case, one row each."""

    ItemRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, items: list[Item] | None = None) -> None:
        super().__init__()
        self._items = items or []

    def set_items(self, items: list[Item]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            ct = item.capture_time
            when = ct.isoformat() if ct else "无时间 undated"
            return f"{item.id}  [{item.kind.value}]  {when}  {item.original_name}"
        if role == self.ItemRole:
            return item
        return None


class MainWindow(QMainWindow):
    """Lists the items of one case."""

    def __init__(self, case_path: Path | None = None) -> None:
        super().__init__()
        self.setWindowTitle("举证助手 EvidenceDesk")
        self.resize(900, 600)
        self.model = ItemListModel()
        self.status = QLabel()
        view = QListView()
        view.setModel(self.model)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.status)
        layout.addWidget(view)
        self.setCentralWidget(body)
        if case_path is not None:
            self.load_case(case_path)
        else:
            self.status.setText("打开一个案件文件夹 (File → Open) / open a case folder")

    def load_case(self, path: Path) -> None:
        """Show the items of the case at `path` (read-only)."""
        try:
            with Case.open(path, writable=False) as case:
                info, items = case.info(), case.items()
        except EvidenceError as exc:
            self.status.setText(f"无法打开案件 cannot open case: {exc}")
            return
        self.status.setText(f"{info.title} — {len(items)} 项证据 items")
        self.model.set_items(items)


def run_gui(case_path: Path | None) -> int:
    """Run the application until its window closes."""
    app = QApplication.instance() or QApplication(sys.argv)
    window = MainWindow(case_path)
    if case_path is None:
        chosen = QFileDialog.getExistingDirectory(window, "打开案件 Open case")
        if chosen:
            window.load_case(Path(chosen))
    window.show()
    return int(app.exec())
