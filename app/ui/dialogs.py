"""Small dialogs: the new-case form."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget,
)


class NewCaseDialog(QDialog):
    """Asks for what a case is about and where its folder goes."""

    def __init__(self, parent: QWidget | None = None, default_parent: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建案件 New case")
        self.title = QLineEdit()
        self.title.setPlaceholderText("例如：外套颜色与描述不符")
        self.role = QComboBox()
        self.role.addItem("买家 Buyer", "buyer")
        self.role.addItem("卖家 Seller", "seller")
        self.dispute = QComboBox()
        for slug, label in dispute_choices():
            self.dispute.addItem(label, slug)
        self.order = QLineEdit()
        self.order.setPlaceholderText("订单编号 order number")
        self.folder = QLineEdit(str((default_parent or Path.home()) / "EvidenceDesk"))
        browse = QPushButton("选择… Browse")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("案件名称 Title", self.title)
        form.addRow("我是 I am the", self.role)
        form.addRow("纠纷类型 Dispute", self.dispute)
        form.addRow("订单号 Order", self.order)
        form.addRow("保存位置 Folder", row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 0)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "保存位置 Folder", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _accept(self) -> None:
        if not self.title.text().strip():
            self.title.setFocus()
            self.title.setPlaceholderText("请填写案件名称 (a title is needed)")
            return
        self.accept()

    def case_path(self) -> Path:
        """The folder of the new case: <folder>/<title>."""
        safe = "".join(ch if ch not in '\\/:*?"<>|' else "_" for ch in self.title.text().strip())
        return Path(self.folder.text()) / safe

    def fields(self) -> dict[str, str | None]:
        """Keyword arguments for Case.create."""
        return {
            "order_no": self.order.text().strip() or None,
            "dispute": self.dispute.currentData(),
            "role": self.role.currentData(),
        }


def dispute_choices() -> list[tuple[str | None, str]]:
    """Dispute types from the profiles in resources/ (an empty choice when none load)."""
    choices: list[tuple[str | None, str]] = [(None, "（稍后选择 choose later）")]
    try:
        from app.evidence.disputes.profiles import load_profiles  # type: ignore[attr-defined]

        for profile in load_profiles():
            choices.append((profile.id, f"{profile.name_zh} {profile.name_en}"))
    except Exception:  # profiles are optional for creating a case
        pass
    return choices
