"""The inspector: a large preview, the metadata, and the note of the selected item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.evidence.i18n import pick, tr
from app.evidence.models import Item
from app.evidence.store.findings import StoredFinding
from app.evidence.timeline import TimelineEntry
from app.ui.models import kind_label, time_text
from app.ui.timeline_model import entry_time_text, exhibit_text
from app.ui.worker import TaskRunner, Worker

Index = QModelIndex | QPersistentModelIndex
NOTE_SAVE_DELAY_MS = 600
PREVIEW_MAX_PX = 1600

def item_fields() -> list[tuple[str, Any]]:
    """(label, getter) rows of an item, labels in the current language."""
    return [
        (tr("原文件名", "File name"), lambda i: i.original_name),
        (tr("类型", "Kind"), lambda i: kind_label(i.kind.value) + (tr("（手动更正）", " (corrected by hand)") if i.kind_source == "user" else "")),
        (tr("拍摄时间", "Capture time"), time_text),
        (tr("时间说明", "Time note"), lambda i: i.capture_time.note if i.capture_time else ""),
        (tr("设备", "Device"), lambda i: " ".join(x for x in (i.metadata.get("make"), i.metadata.get("model")) if x)),
        (tr("软件", "Software"), lambda i: i.metadata.get("software") or ""),
        (tr("尺寸", "Pixels"), lambda i: f"{i.metadata.get('width')} × {i.metadata.get('height')}" if i.metadata.get("width") else ""),
        (tr("大小", "Size"), lambda i: tr("{size:,} 字节", "{size:,} bytes", size=i.size)),
        ("SHA-256", lambda i: i.sha256),
        (tr("导入时间", "Imported (UTC)"), lambda i: i.imported_at),
        (tr("读取问题", "Read problem"), lambda i: i.read_error or ""),
    ]


class MetadataModel(QAbstractTableModel):
    """Two columns, field and value, for one item."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[str, str]] = []

    def set_rows(self, rows: list[tuple[str, str]]) -> None:
        """Show these (field, value) rows."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()


    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else 2

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and index.isValid():
            if 0 <= index.row() < len(self._rows) and 0 <= index.column() < 2:
                return self._rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (tr("项目", "Field"), tr("值", "Value"))[section] if section in (0, 1) else None
        return None


def entry_rows(
    entry: TimelineEntry | None,
    item: Item | None,
    findings: list[StoredFinding] | None = None,
    related: list[TimelineEntry] | None = None,
    flags: list[tuple[str, str]] | None = None,
) -> list[tuple[str, str]]:
    """The rows the inspector's table shows for an entry (and its item, when it is one).

    `related` are the events read from the item (tracking lines, chat messages), shown as a
    transcript; `flags` are (severity, text) from the tracking parser.
    """
    rows: list[tuple[str, str]] = []
    for severity, text in flags or []:
        rows.append((f"[{severity}] " + tr("物流提示", "Tracking flag"), text))
    if entry is not None:
        rows.append((tr("时间线", "Timeline"), entry_time_text(entry)))
        if entry.time is not None and entry.time.original is not None:
            rows.append((tr("原始时间", "Original time"), entry.time.original.isoformat()))
        if entry.time is not None and entry.time.manual_reason:
            rows.append((tr("手动原因", "Reason"), entry.time.manual_reason))
        if entry.undated_reason:
            rows.append((tr("未定时间原因", "Why undated"), entry.undated_reason))
        if entry.exhibit_label:
            rows.append((tr("证据编号", "Exhibit"), exhibit_text(entry) + (tr("（暂定）", " (provisional)") if entry.exhibit_provisional else "")))
        if not entry.is_item:
            rows.append((tr("内容", "Text"), entry.title))
            if entry.raw_line:
                rows.append((tr("原文", "Source line"), entry.raw_line))
            for key, value in entry.payload.items():
                rows.append((f"· {key}", str(value)))
    for f in findings or []:
        rows.append((f"[{f.severity}] {pick(f.title_zh, f.title_en)}", f"{pick(f.explanation_zh, f.explanation_en)}  ({f.code})"))
    for event in related or []:
        when = event.time.local.strftime("%m-%d %H:%M") if event.time else "—"
        side = str(event.payload.get("side", "")) if event.event_kind == "chat_message" else ""
        who = {"me": tr("我", "me"), "other": tr("对方", "other"), "system": tr("系统", "system")}.get(side, "")
        rows.append((f"{when} {who}".strip(), event.title))
    if item is not None:
        rows += [(label, str(get(item) or "")) for label, get in item_fields()]
        raw = item.metadata.get("raw") or {}
        rows += [(f"· {k}", str(v)) for k, v in list(raw.items())[:200]]
    return rows


def _load_preview(path: Path) -> QImage:
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # EXIF orientation
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > PREVIEW_MAX_PX:
        reader.setScaledSize(size.scaled(PREVIEW_MAX_PX, PREVIEW_MAX_PX, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


class Inspector(QWidget):
    """Shows one item; emits note_edited after the user paused typing."""

    note_edited = Signal(str, str)  # entry key, text

    def __init__(self, runner: TaskRunner) -> None:
        super().__init__()
        self._runner = runner
        self._item: Item | None = None
        self._entry: TimelineEntry | None = None
        self._preview_token = 0
        self.title = QLabel(tr("选择左侧的一项证据", "Select an item on the left"))
        self.title.setWordWrap(True)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(240)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.preview)
        self.metadata = MetadataModel()
        table = QTableView()
        table.setModel(self.metadata)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.setWordWrap(False)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(tr("简要说明这项证据证明了什么（例如：开箱视频，显示运单号与外包装完好）", "What this evidence shows, briefly (e.g. unboxing video showing the waybill and the intact parcel)"))
        self.note.setMaximumHeight(90)
        self._save_timer = QTimer(self, singleShot=True, interval=NOTE_SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self._emit_note)
        self.note.textChanged.connect(self._save_timer.start)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroll)
        split.addWidget(table)
        split.setSizes([420, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(split, 1)
        layout.addWidget(QLabel(tr("说明（自动保存）", "Note (saved automatically)")))
        layout.addWidget(self.note)
        self.show_entry(None, None, None)

    def show_entry(
        self,
        entry: TimelineEntry | None,
        item: Item | None,
        original: Path | None,
        thumbnail: Path | None = None,
        findings: list[StoredFinding] | None = None,
        related: list[TimelineEntry] | None = None,
    ) -> None:
        """Show a timeline entry and, when it is an item (or read from one), that item."""
        if self._entry is not None and entry is not None and entry.key == self._entry.key and self.note.hasFocus():
            self._entry = entry  # a refresh while the user types: keep the editor as it is
            return
        self._flush_note()
        self._entry, self._item = entry, item
        flags = _tracking_flags(original) if item is not None and item.kind.value == "tracking" and entry is not None and entry.is_item else None
        self.metadata.set_rows(entry_rows(entry, item, findings, related if entry is not None and entry.is_item else None, flags))
        self.note.blockSignals(True)
        self.note.setPlainText(entry.note if entry else "")
        self.note.blockSignals(False)
        self.note.setEnabled(entry is not None)
        self.preview.clear()
        if entry is None:
            self.title.setText(tr("选择左侧的一项证据", "Select an item on the left"))
            return
        self.title.setText(f"<b>{exhibit_text(entry)} {entry.title if entry.is_item else entry_time_text(entry)}</b>")
        if item is None:
            self.preview.setText(entry.title)
            self.preview.setWordWrap(True)
            self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            return
        self.title.setText(f"<b>{exhibit_text(entry)} {item.original_name}</b> — {time_text(item)}")
        source = original if item.kind.value in ("photo", "screenshot") and item.format != "heif" else thumbnail
        if source is None or not source.is_file():
            self.preview.setText(tr("无预览", "no preview") if item.kind.value != "tracking" else _text_preview(original))
            self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.preview.setWordWrap(True)
            return
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._preview_token += 1
        token = self._preview_token
        worker = Worker(lambda: _load_preview(source), wants_progress=False)
        worker.signals.result.connect(lambda image: self._show_preview(token, image))
        self._runner.read(worker)

    def _show_preview(self, token: int, image: QImage) -> None:
        if token != self._preview_token or image.isNull():
            return
        pixmap = QPixmap.fromImage(image)
        width = max(200, self.preview.width() - 8)
        self.preview.setPixmap(pixmap.scaledToWidth(min(width, pixmap.width()), Qt.TransformationMode.SmoothTransformation))

    def _emit_note(self) -> None:
        if self._entry is not None and self.note.toPlainText().strip() != self._entry.note:
            self.note_edited.emit(self._entry.key, self.note.toPlainText())

    def _flush_note(self) -> None:
        if self._save_timer.isActive():
            self._save_timer.stop()
            self._emit_note()


def _tracking_flags(path: Path | None) -> list[tuple[str, str]]:
    """What the tracking parser flags in a record (small text: parsed on the spot)."""
    if path is None or not path.is_file():
        return []
    from app.evidence.errors import InputError
    from app.evidence.tracking import parse_tracking_bytes

    try:
        record = parse_tracking_bytes(path.read_bytes())
    except (InputError, OSError):
        return []
    return [(str(f.severity), pick(f.zh, f.en)) for f in record.flags]


def _text_preview(path: Path | None) -> str:
    if path is None or not path.is_file():
        return ""
    data = path.read_bytes()[:4000]
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")
