"""Small dialogs: the new-case form."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from app.evidence.i18n import pick, tr

BAD_FIELD_STYLE = "QLineEdit { border: 2px solid #c62828; }"


class DateField(QWidget):
    """A date typed the way people type it, a calendar button beside it, its problem under it.

    The text is never changed by a failed read: the field is marked (red border) and the parser's
    one-line message is shown under it; picking a day in the calendar keeps a typed time of day.
    """

    def __init__(
        self, text: str = "", parent: QWidget | None = None, *, with_time: bool = False
    ) -> None:
        super().__init__(parent)
        self.with_time = with_time
        self.edit = QLineEdit(text)
        self.edit.setPlaceholderText(
            tr(
                "如 2025/6/8、6月8日 20:00、昨天 9:30",
                "e.g. 2025/6/8, 2025-6-8 20:00, yesterday 9:30",
            )
        )
        self.edit.textEdited.connect(lambda _t: self.set_error(None))
        self.button = QToolButton()
        self.button.setText("📅")
        self.button.setToolTip(tr("从日历中选择", "Pick from a calendar"))
        self.button.setAccessibleName(tr("选择日期", "Pick a date"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setFocusPolicy(
            Qt.FocusPolicy.NoFocus
        )  # Tab goes field to field; Alt+Down opens it
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        menu = QMenu(self.button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._sync_calendar)
        self.menu = menu
        self.button.setMenu(menu)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.error)
        self.setFocusProxy(self.edit)
        pick_day = QAction(self.edit)
        pick_day.setShortcut(QKeySequence("Alt+Down"))
        pick_day.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        pick_day.triggered.connect(self.open_calendar)
        self.edit.addAction(pick_day)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 - mirrors QLineEdit
        self.edit.setText(text)
        self.set_error(None)

    def open_calendar(self) -> None:
        """Show the calendar under the field (the button's popup; Alt+Down in the field)."""
        self.button.showMenu()

    def _sync_calendar(self) -> None:
        try:
            value = self.value()
        except ValueError:
            value = None
        if value is not None:
            self.calendar.setSelectedDate(QDate(value.year, value.month, value.day))

    def _picked(self, day: QDate) -> None:
        """A day from the calendar: written as YYYY-MM-DD, keeping the time of day already typed."""
        from datetime import datetime

        try:
            old = self.value()
        except ValueError:
            old = None
        text = f"{day.year():04d}-{day.month():02d}-{day.day():02d}"
        if isinstance(old, datetime) and (old.hour or old.minute):
            text += f" {old.hour:02d}:{old.minute:02d}"
        self.edit.setText(text)
        self.set_error(None)
        self.menu.close()

    def value(self):  # noqa: ANN201 - date | datetime | None
        """The parsed value (None when empty); ValueError (the parser's message) when unreadable."""
        return parse_when(self.edit.text(), with_time=self.with_time)

    def set_error(self, message: str | None) -> None:
        """Mark the field in place (red border and the message under it), or clear the mark."""
        self.edit.setStyleSheet(BAD_FIELD_STYLE if message else "")
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.edit.setToolTip(message or "")

    def check(self) -> bool:
        """Read the field; mark it and return False when it cannot be read."""
        try:
            self.value()
        except ValueError as exc:
            self.set_error(str(exc))
            return False
        self.set_error(None)
        return True


class NewCaseDialog(QDialog):
    """Asks for what a case is about and where its folder goes."""

    def __init__(self, parent: QWidget | None = None, default_parent: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("新建案件", "New case"))
        self.title = QLineEdit()
        self.title.setPlaceholderText(
            tr("例如：外套颜色与描述不符", "e.g. Jacket colour not as described")
        )
        self.role = QComboBox()
        self.role.addItem(tr("买家", "Buyer"), "buyer")
        self.role.addItem(tr("卖家", "Seller"), "seller")
        self.dispute = QComboBox()
        self._fill_disputes()
        self.role.currentIndexChanged.connect(self._fill_disputes)
        self.order = QLineEdit()
        self.order.setPlaceholderText(tr("订单编号", "Order number"))
        self.folder = QLineEdit(str((default_parent or Path.home()) / "EvidenceDesk"))
        browse = QPushButton(tr("选择…", "Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(tr("案件名称", "Title"), self.title)
        form.addRow(tr("我是", "I am the"), self.role)
        form.addRow(tr("纠纷类型", "Dispute"), self.dispute)
        form.addRow(tr("订单号", "Order"), self.order)
        form.addRow(tr("保存位置", "Folder"), row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 0)

    def _fill_disputes(self) -> None:
        """The dispute types (with their variants) of the chosen role, keeping the choice."""
        fill_dispute_combo(self.dispute, self.role.currentData(), self.dispute.currentData())

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, tr("保存位置", "Folder"), self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)

    def _accept(self) -> None:
        if not self.title.text().strip():
            self.title.setFocus()
            self.title.setPlaceholderText(tr("请填写案件名称", "A title is needed"))
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


def dispute_choices(
    role: str | None = None, keep: str | None = None
) -> list[tuple[str | None, str]]:
    """Dispute types from the profiles in resources/ (an empty choice when none load).

    A profile with variants (描述不符: 颜色/尺寸/功能) is offered whole and as each variant
    ("not_as_described:color"), since a variant brings its own checklist items. With `role`
    ("buyer", "seller") only that side's profiles are offered, except `keep` (the case's current
    choice), which stays so that opening the dialog never changes it silently.
    """
    choices: list[tuple[str | None, str]] = [(None, tr("（稍后选择）", "(choose later)"))]
    try:
        from app.evidence.service.view import load_profiles

        profiles = load_profiles()
    except Exception:  # profiles are optional for creating a case
        return choices
    kept_profile = (keep or "").split(":")[0]
    for profile in profiles:
        if role and profile.role != role and profile.id != kept_profile:
            continue
        name = pick(profile.name_zh, profile.name_en)
        if not profile.variants:
            choices.append((profile.id, name))
            continue
        choices.append(
            (profile.id, tr("{name}（未细分）", "{name} (not narrowed down)", name=name))
        )
        for variant in profile.variants:
            choices.append(
                (f"{profile.id}:{variant.id}", f"{name} · {pick(variant.zh, variant.en)}")
            )
    if keep and keep not in {slug for slug, _ in choices}:
        choices.append((keep, keep))  # a type this version does not know: shown as stored
    return choices


def fill_dispute_combo(combo: QComboBox, role: str | None, current: str | None) -> None:
    """Put the dispute choices for `role` in `combo` and select `current` (else "choose later")."""
    combo.blockSignals(True)
    combo.clear()
    for slug, label in dispute_choices(role, current):
        combo.addItem(label, slug)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)


class CaseDetailsDialog(QDialog):
    """Summary, dispute type and key dates of a case (what the deadlines are counted from)."""

    def __init__(self, overview: Mapping[str, Any], parent: QWidget | None = None) -> None:
        from app.evidence.service.labels import CLAIMS, DATE_NAMES

        super().__init__(parent)
        self.setWindowTitle(tr("案件信息", "Case details"))
        summary = overview.get("summary") or {}
        self.shop = QLineEdit(summary.get("shop") or "")
        self.item_title = QLineEdit(summary.get("item_title") or "")
        self.amount = QLineEdit(summary.get("amount") or "")
        self.amount.setPlaceholderText(tr("例如 128.50", "e.g. 128.50"))
        self.claim = QComboBox()
        self.claim.addItem("—", None)
        for slug, (zh, en) in CLAIMS.items():
            self.claim.addItem(pick(zh, en), slug)
        self.claim.setCurrentIndex(max(0, self.claim.findData(summary.get("claim"))))
        self.dispute = QComboBox()
        # the case's own side only (a buyer is not offered 发货证明), variants included
        fill_dispute_combo(self.dispute, summary.get("role"), summary.get("dispute") or None)
        self.statement = QLineEdit(summary.get("statement") or "")
        self.statement.setPlaceholderText(
            tr(
                "一两句中立的陈述（平台限 400 字节）",
                "One or two neutral sentences (the platform allows 400 bytes)",
            )
        )
        form = QFormLayout(self)
        form.addRow(tr("店铺", "Shop"), self.shop)
        form.addRow(tr("商品", "Item"), self.item_title)
        form.addRow(tr("金额（元）", "Amount (¥)"), self.amount)
        form.addRow(tr("诉求", "Claim"), self.claim)
        form.addRow(tr("纠纷类型", "Dispute"), self.dispute)
        form.addRow(tr("陈述", "Statement"), self.statement)
        dates = summary.get("dates") or {}
        self.dates: dict[str, DateField] = {}
        for name, (zh, en) in DATE_NAMES.items():
            field = DateField((dates.get(name) or "")[:16].replace("T", " "))
            field.setObjectName(f"date_{name}")
            self.dates[name] = field
            form.addRow(pick(zh, en), field)
        self._original_dates = {k: e.text() for k, e in self.dates.items()}
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(560, 0)

    def _accept(self) -> None:
        """Close only when every changed date can be read; a bad one is marked, nothing is lost."""
        bad = [
            field
            for name, field in self.dates.items()
            if name in self.changed_dates() and not field.check()
        ]
        if bad:
            bad[0].edit.setFocus()
            return
        self.accept()

    def parsed_dates(self):  # noqa: ANN201 - dict[str, date | datetime | None]
        """The changed dates, read (None clears one); call after the dialog was accepted."""
        return {name: self.dates[name].value() for name in self.changed_dates()}

    def summary_fields(self) -> dict[str, str | None]:
        """Keyword arguments for disputes.set_summary."""
        return {
            "shop": self.shop.text().strip() or None,
            "item_title": self.item_title.text().strip() or None,
            "amount": self.amount.text().strip() or None,
            "claim": self.claim.currentData(),
            "statement": self.statement.text().strip() or None,
        }

    def changed_dates(self) -> dict[str, str]:
        """Date fields the user changed: name -> text ("" clears)."""
        return {
            k: e.text().strip()
            for k, e in self.dates.items()
            if e.text().strip() != self._original_dates[k].strip()
        }


class EventDialog(QDialog):
    """A manual event ("I called the courier") or a hand-set time, each with its reason."""

    def __init__(
        self,
        title: str,
        parent: QWidget | None = None,
        *,
        text_label: str | None = None,
        initial: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QLineEdit(initial)
        self.when = DateField(with_time=True)
        self.when.edit.setPlaceholderText(
            tr(
                "如 2025/6/8 20:00、昨天 9:30（案件时区）",
                "e.g. 2025-6-8 20:00, yesterday 9:30 (case time zone)",
            )
        )
        form = QFormLayout(self)
        form.addRow(text_label or tr("事件", "Event"), self.text)
        form.addRow(tr("时间", "When"), self.when)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(480, 0)

    def _accept(self) -> None:
        """A time that cannot be read is marked under the field; the dialog stays open."""
        if self.when.check():
            self.accept()


def parse_when(text: str, *, with_time: bool = False):  # noqa: ANN201 - date | datetime | None
    """A date or local date-time typed by the user; None when empty; ValueError when unreadable.

    With `with_time`, a bare date becomes that day at 00:00 (events and hand-set times need one).
    The core's parser for typed dates (2025/6/8, 6月8日 20:00, 昨天 9:30, now ...) decides;
    its TypedDateError is a ValueError with a one-line message in the current language.
    """
    from app.evidence.service.edits import parse_typed_date

    return parse_typed_date(text, with_time=with_time)


class SettingsDialog(QDialog):
    """Language, which side of a chat is "me", the default upload preset."""

    def __init__(self, settings: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("设置", "Settings"))
        self.language = QComboBox()
        self.language.addItem("中文（简体）", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(
            max(0, self.language.findData(getattr(settings, "language", "zh_CN")))
        )
        self.me_side = QComboBox()
        self.me_side.addItem(tr("右侧（大多数聊天软件）", "Right (most chat apps)"), "right")
        self.me_side.addItem(tr("左侧", "Left"), "left")
        self.me_side.setCurrentIndex(
            max(0, self.me_side.findData(getattr(settings, "chat_me_side", "right")))
        )
        form = QFormLayout(self)
        form.addRow(tr("界面语言（重启后生效）", "Language (after a restart)"), self.language)
        form.addRow(
            tr("聊天截图中我的消息在", "My messages in chat screenshots are on the"), self.me_side
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
