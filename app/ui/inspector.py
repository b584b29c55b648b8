"""The inspector: a large preview, the metadata, and the note of the selected item."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QImageIOHandler, QImageReader
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.evidence.i18n import pick, tr
from app.evidence.models import Item
from app.evidence.service import labels
from app.evidence.service.checks import StoredFinding
from app.evidence.service.edits import Redaction, State
from app.evidence.service.labels import clock_text, format_day_and_time, zone_name_of
from app.evidence.service.view import FRAME_MATCH_MS, TimelineEntry
from app.ui.models import kind_label, time_text
from app.ui.ocr_view import OcrLinesModel, OcrLinesView
from app.ui.pdf_pages import PageSelector, PdfPage, load_pdf_page
from app.ui.phone_guide_dialog import open_phone_guide, phone_hint_route
from app.ui.redaction_view import RedactionCanvas
from app.ui.timeline_model import entry_time_text, exhibit_text
from app.ui.video_view import Keyframe, KeyframeCache, KeyframeStrip, VideoPlayer, load_keyframes
from app.ui.worker import TaskRunner, Worker

Index = QModelIndex | QPersistentModelIndex
NOTE_SAVE_DELAY_MS = 600
PREVIEW_MAX_PX = 1600


def item_fields(zone_name: str | None = None) -> list[tuple[str, Any]]:
    """(label, getter) rows of an item, labels in the current language."""
    from app.evidence.service.labels import time_note_text  # the readers' notes, translated

    return [
        (tr("原文件名", "File name"), lambda i: i.original_name),
        (
            tr("类型", "Kind"),
            lambda i: (
                kind_label(i.kind.value)
                + (tr("（手动更正）", " (corrected by hand)") if i.kind_source == "user" else "")
            ),
        ),
        (tr("拍摄时间", "Capture time"), lambda i: time_text(i, zone_name)),
        (
            tr("时间说明", "Time note"),
            lambda i: time_note_text(i.capture_time.note) if i.capture_time else "",
        ),
        (
            tr("设备", "Device"),
            lambda i: " ".join(x for x in (i.metadata.get("make"), i.metadata.get("model")) if x),
        ),
        (tr("软件", "Software"), lambda i: i.metadata.get("software") or ""),
        (
            tr("尺寸", "Pixels"),
            lambda i: (
                f"{i.metadata.get('width')} × {i.metadata.get('height')}"
                if i.metadata.get("width")
                else ""
            ),
        ),
        (tr("大小", "Size"), lambda i: tr("{size:,} 字节", "{size:,} bytes", size=i.size)),
        ("SHA-256", lambda i: i.sha256),
        (tr("导入时间", "Imported"), lambda i: imported_text(i.imported_at)),
        (tr("读取问题", "Read problem"), lambda i: read_problem_text(i.read_error)),
    ]


def imported_text(stored: str | None) -> str:
    """The stored UTC import time (ISO) as local date and time, the way the window writes times."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(stored or "")
    except ValueError:
        return stored or ""
    return format_day_and_time(moment.astimezone() if moment.tzinfo else moment)


def read_problem_text(stored: str | None) -> str:
    """A read problem without its internal code ("unreadable: ..." -> the message)."""
    if not stored:
        return ""
    code, sep, message = stored.partition(": ")
    return message if sep and code.replace("_", "").isalnum() and code.islower() else stored


SEVERITY_COLOURS = {"ok": "#1a7f37", "info": "#1f5fbf", "warning": "#b35900", "alert": "#c62828"}
"""Text colour of a finding's label by severity (app.evidence.checks.model.Severity values)."""


def severity_label(severity: str) -> str:
    """A finding's severity as a mark and a word in the current language ("⚠ 警告")."""
    return labels.severity_label(severity)  # the one table: app/evidence/labels.py


class MetadataModel(QAbstractTableModel):
    """Two columns, field and value, for one item; finding rows coloured by their severity."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        """Show these (field, value) or (field, value, severity) rows."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[tuple[str, ...]]:
        """The rows shown now."""
        return list(self._rows)

    def add_row(self, row: tuple[str, ...]) -> None:
        """Append one row unless a row with the same field and value is shown already."""
        if any(tuple(r[:2]) == tuple(row[:2]) for r in self._rows):
            return
        self.set_rows([*self._rows, row])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else 2

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
            and index.isValid()
            and 0 <= index.row() < len(self._rows)
            and 0 <= index.column() < 2
        ):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.column() == 0:
            row = self._rows[index.row()] if 0 <= index.row() < len(self._rows) else ()
            colour = SEVERITY_COLOURS.get(row[2]) if len(row) > 2 else None
            return QColor(colour) if colour else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (tr("项目", "Field"), tr("值", "Value"))[section] if section in (0, 1) else None
        return None


def payload_label(key: str) -> str | None:
    """What an event's detail is called (tracking lines, chat messages); None for the reader's
    own bookkeeping (boxes, line numbers), which a user has no use for."""
    if key in ("box", "time_line_no", "duplicate_of_overlap", "tags"):
        return None
    return {
        "location": tr("地点", "Place"),
        "places": tr("途经地点", "Places"),
        "signer": tr("签收人", "Signed by"),
        "courier_name": tr("快递员", "Courier"),
        "courier_phone": tr("快递员电话", "Courier phone"),
        "time_text": tr("原文时间", "Time as written"),
        "time_was_relative": tr("相对时间", "Relative time"),
        "carrier_code": tr("快递公司", "Carrier"),
        "tracking_number": tr("运单号", "Tracking number"),
        "side": tr("发言方", "Speaker"),
    }.get(key, f"· {key}")


def payload_value(key: str, value: Any) -> str:
    """An event detail's value as a user reads it."""
    if key == "side":
        return {
            "me": tr("我", "me"),
            "other": tr("对方", "other"),
            "system": tr("系统", "system"),
        }.get(str(value), str(value))
    if isinstance(value, bool):
        return tr("是", "yes") if value else tr("否", "no")
    if isinstance(value, list):
        return tr("、", ", ").join(str(v) for v in value)
    return str(value)


def entry_rows(
    entry: TimelineEntry | None,
    item: Item | None,
    findings: list[StoredFinding] | None = None,
    related: list[TimelineEntry] | None = None,
    flags: list[tuple[str, str]] | None = None,
) -> list[tuple[str, ...]]:
    """The rows the inspector's table shows for an entry (and its item, when it is one).

    `related` are the events read from the item (tracking lines, chat messages), shown as a
    transcript; `flags` are (severity, text) from the tracking parser.
    """
    rows: list[tuple[str, ...]] = []
    for severity, text in flags or []:
        rows.append(
            (f"{severity_label(severity)} · " + tr("物流提示", "Tracking flag"), text, severity)
        )
    if entry is not None:
        rows.append((tr("时间线", "Timeline"), entry_time_text(entry)))
        if entry.time is not None and entry.time.original is not None:
            original = entry.time.original
            rows.append(
                (
                    tr("原始时间", "Original time"),
                    clock_text(original, zone_name_of(entry.time.local), seconds=True),
                )
            )
        if entry.time is not None and entry.time.manual_reason:
            rows.append((tr("手动原因", "Reason"), entry.time.manual_reason))
        if entry.undated_reason:
            rows.append((tr("未定时间原因", "Why undated"), entry.undated_reason))
        if entry.exhibit_label:
            rows.append(
                (
                    tr("证据编号", "Exhibit"),
                    exhibit_text(entry)
                    + (tr("（暂定）", " (provisional)") if entry.exhibit_provisional else ""),
                )
            )
        if not entry.is_item:
            rows.append((tr("内容", "Text"), entry.title))
            if entry.raw_line:
                rows.append((tr("原文", "Source line"), entry.raw_line))
            for key, value in entry.payload.items():
                label = payload_label(key)
                if label is not None:
                    rows.append((label, payload_value(key, value)))
    for f in findings or []:
        rows.append(
            (
                f"{severity_label(f.severity)} · {pick(f.title_zh, f.title_en)}",
                pick(f.explanation_zh, f.explanation_en),
                f.severity,
            )
        )
    for event in related or []:
        when = format_day_and_time(event.time.local) if event.time else "—"
        side = str(event.payload.get("side", "")) if event.event_kind == "chat_message" else ""
        who = {
            "me": tr("我", "me"),
            "other": tr("对方", "other"),
            "system": tr("系统", "system"),
        }.get(side, "")
        rows.append((f"{when} {who}".strip(), event.title))
    if item is not None:
        zone = (
            zone_name_of(entry.time.local) if entry is not None and entry.time is not None else None
        )
        rows += [(label, str(get(item) or "")) for label, get in item_fields(zone)]
        # the raw metadata (General.*, EXIF tag names) stays in the export's appendix, not here
    return [row for row in rows if str(row[1]).strip()]  # no empty rows (an empty 读取问题)


def _load_preview(path: Path) -> tuple[QImage, QSize]:
    """A preview of at most PREVIEW_MAX_PX, upright, and the upright original's full size.

    Qt applies the EXIF orientation as Pillow's exif_transpose does (the core's redaction and
    export space); the stored size is turned a quarter when the orientation does.
    """
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # EXIF orientation
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > PREVIEW_MAX_PX:
        reader.setScaledSize(
            size.scaled(PREVIEW_MAX_PX, PREVIEW_MAX_PX, Qt.AspectRatioMode.KeepAspectRatio)
        )
    image = reader.read()
    full = QSize(size)
    if reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
        full.transpose()
    return image, full


class Inspector(QWidget):
    """Shows one item; emits note_edited after the user paused typing, and the redaction edits."""

    note_edited = Signal(str, str)  # entry key, text
    redaction_drawn = Signal(
        int, object, object
    )  # item id, Rect, video frame ms (None: every frame)
    redaction_drawn_on_page = Signal(int, object, int)  # item id, Rect in PDF points, 1-based page
    redaction_changed = Signal(int, object)  # redaction id, Rect
    redaction_removed = Signal(int)
    redactions_accepted = Signal(list)
    redactions_rejected = Signal(list)
    redaction_reason_set = Signal(int, str)
    suggest_requested = Signal(int)  # item id
    ocr_line_edited = Signal(int, int, str)  # item id, line index, the user's text

    def __init__(self, runner: TaskRunner) -> None:
        super().__init__()
        self._runner = runner
        self._item: Item | None = None
        self._entry: TimelineEntry | None = None
        self._redactions: list[Redaction] = []
        self._preview_token = 0
        self._preview_of: str | None = None  # the SHA-256 whose picture is shown (or loading)
        self._ocr_token = 0
        self._frames_token = 0
        self._frames: list[Keyframe] = []
        self._frame_ms: int | None = None  # the video keyframe on the canvas
        self._keyframes = KeyframeCache()
        self._original: Path | None = None
        self.player: VideoPlayer | None = None
        self.ocr_reader: Callable[[str], Any] | None = (
            None  # SHA-256 -> OcrResult | None (any thread)
        )
        self.can_edit: Callable[[], bool] = lambda: True  # False while the case is open read-only
        self.title = QLabel(tr("选择左侧的一项证据", "Select an item on the left"))
        self.title.setWordWrap(True)
        self.preview = QLabel()  # text previews (a tracking record) and "no preview"
        self.preview.setWordWrap(True)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setMargin(8)
        text_scroll = QScrollArea()
        text_scroll.setWidgetResizable(True)
        text_scroll.setWidget(self.preview)
        self.canvas = RedactionCanvas()
        self.canvas.drawn.connect(self._drawn)
        self.canvas.changed.connect(self.redaction_changed.emit)
        self.canvas.removed.connect(self.redaction_removed.emit)
        self.canvas.accepted.connect(self.redactions_accepted.emit)
        self.canvas.rejected.connect(self.redactions_rejected.emit)
        self.canvas.reason_set.connect(self.redaction_reason_set.emit)
        self.suggest_button = QPushButton(tr("查找个人信息", "Find personal data"))
        self.suggest_button.setToolTip(
            tr(
                "在文字识别结果中查找手机号、身份证号、银行卡号、地址和姓名，建议遮盖",
                "Look for phone, ID and bank card numbers, addresses and names in the recognised "
                "text and suggest regions to cover",
            )
        )
        self.suggest_button.clicked.connect(
            lambda: self._item and self.suggest_requested.emit(self._item.id)
        )
        self.accept_button = QPushButton()
        self.accept_button.clicked.connect(self._accept_all)
        self.fit_button = QPushButton(tr("适合窗口", "Fit"))
        self.fit_button.clicked.connect(self.canvas.zoom_to_fit)
        self.redaction_hint = QLabel()
        self.redaction_hint.setWordWrap(True)
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.addWidget(self.redaction_hint, 1)
        tools.addWidget(self.accept_button)
        tools.addWidget(self.suggest_button)
        tools.addWidget(self.fit_button)
        self.redaction_tools = QWidget()
        self.redaction_tools.setLayout(tools)
        picture_page = QWidget()
        picture_layout = QVBoxLayout(picture_page)
        picture_layout.setContentsMargins(0, 0, 0, 0)
        self.strip = KeyframeStrip()
        self.strip.chosen.connect(self._show_frame)
        self.strip.play_button.clicked.connect(self._play)
        self.strip.every_frame.toggled.connect(lambda _: self._show_redactions())
        self.canvas_stack = QStackedWidget()  # the canvas, or the video player
        self.canvas_stack.addWidget(self.canvas)
        picture_layout.addWidget(self.canvas_stack, 1)
        picture_layout.addWidget(self.strip)
        self.pages = PageSelector()  # a PDF receipt's pages
        self.pages.chosen.connect(self._show_pdf_page)
        self.pages.setVisible(False)
        picture_layout.addWidget(self.pages)
        picture_layout.addWidget(self.redaction_tools)
        self.preview_stack = QStackedWidget()
        self.preview_stack.addWidget(text_scroll)
        self.preview_stack.addWidget(picture_page)
        self.metadata = MetadataModel()
        table = QTableView()
        table.setModel(self.metadata)
        table.verticalHeader().hide()
        # the field column fits its names up to 40 % of the width: a long metadata key must not
        # squeeze the value ("2025年6月12日 19:03 北京时…" at 1024x640, issue 19 point 9)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        table.setWordWrap(False)
        self.table = table
        self.metadata.modelReset.connect(self._fit_field_column)
        self.ocr_lines = OcrLinesModel(self)
        self.ocr_lines.line_edited.connect(
            lambda line, text: self._item and self.ocr_line_edited.emit(self._item.id, line, text)
        )
        self.ocr_view = OcrLinesView(self.ocr_lines)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(table, tr("详情", "Details"))
        self.tabs.addTab(self.ocr_view, tr("识别文字", "Recognised text"))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(
            tr(
                "简要说明这项证据证明了什么（例如：开箱视频，显示运单号与外包装完好）",
                "What this evidence shows, briefly (e.g. unboxing video showing the waybill and "
                "the intact parcel)",
            )
        )
        self.note.setMaximumHeight(90)
        self._save_timer = QTimer(self, singleShot=True, interval=NOTE_SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self._emit_note)
        self.note.textChanged.connect(self._save_timer.start)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.preview_stack)
        self.split.addWidget(self.tabs)
        self.split.setSizes([440, 240])
        self.split.setChildrenCollapsible(False)
        self._phone_route: str | None = None  # the phone guide's page for this item's hint
        self.phone_hint = QPushButton(
            tr("不是原始文件？看看怎样从手机取得原件", "Not the original? Get it from the phone")
        )
        self.phone_hint.setFlat(True)
        self.phone_hint.setStyleSheet("color: #1a73e8; text-align: left")
        self.phone_hint.clicked.connect(lambda: open_phone_guide(self, self._phone_route))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.phone_hint)
        layout.addWidget(self.split, 1)
        layout.addWidget(QLabel(tr("说明（自动保存）", "Note (saved automatically)")))
        layout.addWidget(self.note)
        self.show_entry(None, None, None)

    def _fit_field_column(self) -> None:
        """Field names as wide as they need, at most 40 % of the table; the value gets the rest."""
        self.table.resizeColumnToContents(0)
        cap = max(96, int(self.table.viewport().width() * 0.4))
        if self.table.columnWidth(0) > cap:
            self.table.setColumnWidth(0, cap)

    def show_entry(
        self,
        entry: TimelineEntry | None,
        item: Item | None,
        original: Path | None,
        thumbnail: Path | None = None,
        findings: list[StoredFinding] | None = None,
        related: list[TimelineEntry] | None = None,
        redactions: list[Redaction] | None = None,
    ) -> None:
        """Show a timeline entry and, when it is an item (or read from one), that item."""
        self._redactions = list(redactions or [])
        if (
            self._entry is not None
            and entry is not None
            and entry.key == self._entry.key
            and self.note.hasFocus()
        ):
            self._entry = entry  # a refresh while the user types: keep the editor as it is
            self._show_redactions()
            return
        self._flush_note()
        same_picture = (
            item is not None and self._item is not None and item.sha256 == self._preview_of
        )
        if not same_picture:
            self._stop_video()
        self._entry, self._item, self._original = entry, item, original
        flags = (
            _tracking_flags(original)
            if item is not None
            and item.kind.value == "tracking"
            and entry is not None
            and entry.is_item
            else None
        )
        self.metadata.set_rows(
            entry_rows(
                entry,
                item,
                findings,
                related if entry is not None and entry.is_item else None,
                flags,
            )
        )
        self.note.blockSignals(True)
        self.note.setPlainText(entry.note if entry else "")
        self.note.blockSignals(False)
        self.note.setEnabled(entry is not None)
        self._phone_route = (
            phone_hint_route(item.kind.value, findings or [])
            if item is not None and entry is not None and entry.is_item
            else None
        )
        self.phone_hint.setVisible(self._phone_route is not None)
        self._load_ocr(item if entry is not None and entry.is_item else None)
        if entry is None:
            self.title.setText(tr("选择左侧的一项证据", "Select an item on the left"))
            self._show_text(
                tr(
                    "在左侧时间线上选择一项，这里会显示它的预览、元数据和检查结果。",
                    "Select an entry on the timeline to see its preview, metadata and checks here.",
                )
            )
            return
        self.title.setText(
            f"<b>{exhibit_text(entry)} "
            f"{html.escape(entry.title if entry.is_item else entry_time_text(entry))}</b>"
        )
        if item is None:
            self._show_text(entry.title)
            return
        # the entry's time as the timeline row shows it (case zone, its source); the file's own
        # capture time stays in the details table below
        self.title.setText(
            f"<b>{exhibit_text(entry)} {html.escape(item.original_name)}</b> — "
            f"{html.escape(entry_time_text(entry))}"
        )
        if same_picture:  # a refresh after an edit: keep the picture and the zoom, redraw regions
            self._show_redactions()
            return
        self.pages.setVisible(False)
        if item.kind.value == "document" and item.format == "pdf" and original is not None:
            self._preview_of = item.sha256
            self._load_keyframes(None, None)
            self._show_pdf_page(1)
            return
        drawable = item.kind.value in ("photo", "screenshot")
        source = original if drawable and item.format != "heif" else thumbnail
        if source is None or not source.is_file():
            self._show_text(
                tr("无预览", "no preview")
                if item.kind.value != "tracking"
                else _text_preview(original)
            )
            return
        self._preview_token += 1
        self._preview_of = item.sha256
        token = self._preview_token
        full = _metadata_size(item) if source is not original else None
        editable = drawable and (source is original or full is not None) and self.can_edit()
        worker = Worker(lambda: _load_preview(source), wants_progress=False)
        worker.signals.result.connect(
            lambda loaded: self._show_preview(token, loaded, full, editable)
        )
        self._runner.read(worker)
        self._load_keyframes(item if item.kind.value == "video" else None, original)

    def _load_ocr(self, item: Item | None) -> None:
        """Read the item's OCR lines (with corrections) on a pool thread; hide the tab if none."""
        self._ocr_token += 1
        token = self._ocr_token
        reader = self.ocr_reader
        if item is None or reader is None or item.kind.value not in ("screenshot", "photo"):
            self._show_ocr(token, None)
            return
        worker = Worker(lambda: reader(item.sha256), wants_progress=False)
        worker.signals.result.connect(lambda result: self._show_ocr(token, result))
        self._runner.read(worker)

    def _show_ocr(self, token: int, result: Any) -> None:
        if token != self._ocr_token or self.ocr_view.state() == OcrLinesView.State.EditingState:
            return
        self.ocr_lines.editable = self.can_edit()
        self.ocr_lines.set_result(result)
        count = self.ocr_lines.rowCount()
        self.tabs.setTabVisible(1, count > 0)
        self.tabs.setTabText(1, tr("识别文字（{n} 行）", "Recognised text ({n} lines)", n=count))
        if count == 0:
            self.tabs.setCurrentIndex(0)

    def _load_keyframes(self, item: Item | None, original: Path | None) -> None:
        """A video: decode its keyframes on a pool thread (cached) and fill the strip."""
        self._frames_token += 1
        self._frames, self._frame_ms = [], None
        self.strip.setVisible(item is not None)
        if item is None or original is None:
            return
        cached = self._keyframes.get(item.sha256)
        if cached is not None:
            self._frames_loaded(self._frames_token, item.sha256, cached)
            return
        token, sha256 = self._frames_token, item.sha256
        self.strip.show_loading()
        worker = Worker(lambda: load_keyframes(original), wants_progress=False)
        worker.signals.result.connect(lambda frames: self._frames_loaded(token, sha256, frames))
        worker.signals.error.connect(lambda text: self._frames_failed(token, text))
        self._runner.read(worker)

    def _frames_failed(self, token: int, text: str) -> None:
        if token == self._frames_token:
            self.strip.show_error(text)

    def _frames_loaded(self, token: int, sha256: str, frames: list[Keyframe]) -> None:
        self._keyframes.put(sha256, frames)
        if token == self._frames_token:
            self._frames = frames
            self.strip.show_frames(frames)

    def _show_frame(self, n: int) -> None:
        """A keyframe chosen in the strip: show it full size, ready for regions."""
        if not 0 <= n < len(self._frames):
            return
        self._stop_video()
        frame = self._frames[n]
        self._preview_token += 1  # the thumbnail still loading is no longer wanted
        self._frame_ms = frame.ms
        self.canvas.set_picture(frame.image, frame.full, self.can_edit())
        self.preview_stack.setCurrentIndex(1)
        self._show_redactions()

    def _show_pdf_page(self, number: int) -> None:
        """Draw page `number` of the PDF receipt on a pool thread, then show it on the canvas."""
        original = self._original
        if original is None or number < 1:
            return
        self._preview_token += 1
        token = self._preview_token
        worker = Worker(lambda: load_pdf_page(original, number), wants_progress=False)
        worker.signals.result.connect(lambda page: self._pdf_page_loaded(token, page))
        worker.signals.error.connect(lambda text: self._pdf_page_failed(token, text))
        self._runner.read(worker)

    def _pdf_page_failed(self, token: int, text: str) -> None:
        if token == self._preview_token:
            self._show_text(
                tr(
                    "无法显示 PDF 页面：{error}",
                    "The PDF's pages cannot be shown: {error}",
                    error=text,
                )
            )

    def _pdf_page_loaded(self, token: int, page: PdfPage) -> None:
        if token != self._preview_token:
            return
        self.canvas.set_picture(page.image, page.size, self.can_edit(), page=page.number)
        self.pages.set_page(page.number, page.total)
        self.pages.setVisible(True)
        self.preview_stack.setCurrentIndex(1)
        self._show_redactions()

    def _drawn(self, rect: Any) -> None:
        if self._item is None:
            return
        if self.canvas.page() is not None:
            self.redaction_drawn_on_page.emit(self._item.id, rect, self.canvas.page())
            return
        every = self.strip.every_frame.isChecked() or self._frame_ms is None
        self.redaction_drawn.emit(self._item.id, rect, None if every else self._frame_ms)

    def _play(self) -> None:
        """Play the video (QtMultimedia only; the button is hidden without it)."""
        if self._original is None:
            return
        if self.player is None:
            self.player = VideoPlayer()
            self.canvas_stack.addWidget(self.player)
        self.canvas_stack.setCurrentWidget(self.player)
        self.player.play(self._original)

    def _stop_video(self) -> None:
        if self.player is not None:
            self.player.stop()
        self.canvas_stack.setCurrentIndex(0)

    def _show_text(self, text: str) -> None:
        self._preview_token += 1  # a picture still loading is no longer wanted
        self._frames_token += 1
        self._frames, self._frame_ms = [], None
        self._stop_video()
        self._preview_of = None
        self.pages.setVisible(False)
        self.canvas.clear_picture()
        self.preview.setText(text)
        self.preview_stack.setCurrentIndex(0)

    def _show_preview(
        self, token: int, loaded: tuple[QImage, QSize], full: QSize | None, editable: bool
    ) -> None:
        image, size = loaded
        if token != self._preview_token:
            return
        if image.isNull():
            self._show_text(tr("无法显示预览", "The preview cannot be shown"))
            return
        if full is not None and (full.width() > full.height()) != (image.width() > image.height()):
            full.transpose()  # the thumbnail is upright; the stored size may not be
        self.canvas.set_picture(image, full or size, editable)
        self.preview_stack.setCurrentIndex(1)
        self._show_redactions()

    def _show_redactions(self) -> None:
        if not self.canvas.has_picture():
            return
        shown = self._redactions
        if self._item is not None and self._item.kind.value == "video":
            ms = self._frame_ms  # regions of this keyframe, and those of every keyframe
            shown = [
                r
                for r in shown
                if ms is not None and (r.frame_ms is None or abs(r.frame_ms - ms) <= FRAME_MATCH_MS)
            ]
        self.canvas.set_redactions(shown)
        self.redaction_tools.setVisible(self.canvas.editable)
        drawn = [r for r in shown if r.rect is not None and r.state is State.ACCEPTED]
        pending = [r for r in shown if r.state is State.SUGGESTED]
        self.accept_button.setText(
            tr("接受全部建议（{n}）", "Accept all suggestions ({n})", n=len(pending))
        )
        self.accept_button.setVisible(bool(pending))
        self.redaction_hint.setText(
            tr(
                "拖动鼠标画出遮盖区域（导出时涂黑，原件不变）；Del 删除；右键更多。已遮盖 {n} 处。",
                "Drag to cover a region (filled black in exports; the original is untouched); Del "
                "deletes; right-click for more. {n} covered.",
                n=len(drawn),
            )
        )

    def _accept_all(self) -> None:
        pending = [r.id for r in self._redactions if r.state is State.SUGGESTED]
        if pending:
            self.redactions_accepted.emit(pending)

    def _emit_note(self) -> None:
        if self._entry is not None and self.note.toPlainText().strip() != self._entry.note:
            self.note_edited.emit(self._entry.key, self.note.toPlainText())

    def _flush_note(self) -> None:
        if self._save_timer.isActive():
            self._save_timer.stop()
            self._emit_note()


def _metadata_size(item: Item) -> QSize | None:
    """The original's pixel size from its metadata (a HEIF shown through its thumbnail)."""
    width, height = item.metadata.get("width"), item.metadata.get("height")
    if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
        return QSize(width, height)
    return None


def _tracking_flags(path: Path | None) -> list[tuple[str, str]]:
    """What the tracking parser flags in a record (small text: parsed on the spot)."""
    if path is None or not path.is_file():
        return []
    from app.evidence.errors import InputError
    from app.evidence.service.view import parse_tracking_bytes

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
