"""Small dialogs: the new-case form."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.evidence.i18n import pick, tr


class NewCaseDialog(QDialog):
    """Asks for what a case is about and where its folder goes."""

    def __init__(self, parent: QWidget | None = None, default_parent: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("新建案件", "New case"))
        self.title = QLineEdit()
        self.title.setPlaceholderText(tr("例如：外套颜色与描述不符", "e.g. Jacket colour not as described"))
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 0)

    def _fill_disputes(self) -> None:
        """The dispute types (with their variants) of the chosen role, keeping the choice."""
        fill_dispute_combo(self.dispute, self.role.currentData(), self.dispute.currentData())

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("保存位置", "Folder"), self.folder.text())
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


def dispute_choices(role: str | None = None, keep: str | None = None) -> list[tuple[str | None, str]]:
    """Dispute types from the profiles in resources/ (an empty choice when none load).

    A profile with variants (描述不符: 颜色/尺寸/功能) is offered whole and as each variant
    ("not_as_described:color"), since a variant brings its own checklist items. With `role`
    ("buyer", "seller") only that side's profiles are offered, except `keep` (the case's current
    choice), which stays so that opening the dialog never changes it silently.
    """
    choices: list[tuple[str | None, str]] = [(None, tr("（稍后选择）", "(choose later)"))]
    try:
        from app.evidence.disputes.profiles import load_profiles

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
        choices.append((profile.id, tr("{name}（未细分）", "{name} (not narrowed down)", name=name)))
        for variant in profile.variants:
            choices.append((f"{profile.id}:{variant.id}", f"{name} · {pick(variant.zh, variant.en)}"))
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

    def __init__(self, overview: dict, parent: QWidget | None = None) -> None:
        from app.evidence.disputes.summary import CLAIMS
        from app.evidence.timeline.dates import DATE_NAMES

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
        self.statement.setPlaceholderText(tr("一两句中立的陈述（平台限 400 字节）", "One or two neutral sentences (the platform allows 400 bytes)"))
        form = QFormLayout(self)
        form.addRow(tr("店铺", "Shop"), self.shop)
        form.addRow(tr("商品", "Item"), self.item_title)
        form.addRow(tr("金额（元）", "Amount (¥)"), self.amount)
        form.addRow(tr("诉求", "Claim"), self.claim)
        form.addRow(tr("纠纷类型", "Dispute"), self.dispute)
        form.addRow(tr("陈述", "Statement"), self.statement)
        dates = summary.get("dates") or {}
        self.dates: dict[str, QLineEdit] = {}
        for name, (zh, en) in DATE_NAMES.items():
            edit = QLineEdit((dates.get(name) or "")[:16].replace("T", " "))
            edit.setPlaceholderText(tr("YYYY-MM-DD 或 YYYY-MM-DD HH:MM", "YYYY-MM-DD or YYYY-MM-DD HH:MM"))
            self.dates[name] = edit
            form.addRow(pick(zh, en), edit)
        self._original_dates = {k: e.text() for k, e in self.dates.items()}
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 0)

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
        return {k: e.text().strip() for k, e in self.dates.items() if e.text().strip() != self._original_dates[k].strip()}


class EventDialog(QDialog):
    """A manual event ("I called the courier") or a hand-set time, each with its reason."""

    def __init__(self, title: str, parent: QWidget | None = None, *, text_label: str | None = None, initial: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QLineEdit(initial)
        self.when = QLineEdit()
        self.when.setPlaceholderText(tr("YYYY-MM-DD HH:MM（案件时区）", "YYYY-MM-DD HH:MM (case time zone)"))
        form = QFormLayout(self)
        form.addRow(text_label or tr("事件", "Event"), self.text)
        form.addRow(tr("时间", "When"), self.when)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(480, 0)


def parse_when(text: str, *, with_time: bool = False):  # noqa: ANN201 - date | datetime | None
    """A date or local date-time typed by the user; None when empty; ValueError when unreadable.

    With `with_time`, a bare date becomes that day at 00:00 (events and hand-set times need one).
    The core's parser for typed dates (2025/6/8, 6月8日 20:00, 昨天 9:30, now ...) decides;
    its TypedDateError is a ValueError with a one-line message in the current language.
    """
    from app.evidence.timeline.typed_dates import parse_typed_date

    return parse_typed_date(text, with_time=with_time)


class SettingsDialog(QDialog):
    """Language, which side of a chat is "me", the default upload preset."""

    def __init__(self, settings: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("设置", "Settings"))
        self.language = QComboBox()
        self.language.addItem("中文（简体）", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(getattr(settings, "language", "zh_CN"))))
        self.me_side = QComboBox()
        self.me_side.addItem(tr("右侧（大多数聊天软件）", "Right (most chat apps)"), "right")
        self.me_side.addItem(tr("左侧", "Left"), "left")
        self.me_side.setCurrentIndex(max(0, self.me_side.findData(getattr(settings, "chat_me_side", "right"))))
        form = QFormLayout(self)
        form.addRow(tr("界面语言（重启后生效）", "Language (after a restart)"), self.language)
        form.addRow(tr("聊天截图中我的消息在", "My messages in chat screenshots are on the"), self.me_side)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
