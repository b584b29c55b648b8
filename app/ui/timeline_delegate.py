"""How the timeline draws its rows: phase headers, items with thumbnails, compact events."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QPainter,
)
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from app.evidence.i18n import tr
from app.evidence.service import labels
from app.ui.timeline_model import TimelineModel

THUMB = 64


class TimelineDelegate(QStyledItemDelegate):
    """Rows of three shapes: a phase header, an item (thumbnail), an event (compact)."""

    SIZES = {
        TimelineModel.HEADER: QSize(320, 28),
        TimelineModel.ITEM: QSize(320, THUMB + 12),
        TimelineModel.EVENT: QSize(320, 46),
    }

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        model = index.model()
        shape = (
            model.row_shape(index.row())
            if isinstance(model, TimelineModel)
            else TimelineModel.EVENT
        )
        return self.SIZES[shape]

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        painter.save()
        palette = option.palette
        header = index.data(TimelineModel.HeaderRole)
        if header:
            painter.fillRect(option.rect, palette.alternateBase())
            font = painter.font()
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(palette.text().color())
            painter.drawText(
                option.rect.adjusted(8, 0, -8, 0), Qt.AlignmentFlag.AlignVCenter, header
            )
            painter.restore()
            return
        style = option.widget.style() if option.widget else None
        if style:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget
            )
        entry = index.data(TimelineModel.EntryRole)
        is_item = entry is not None and entry.is_item
        size = THUMB if is_item else 30
        rect = option.rect.adjusted(6, 6, -6, -6)
        box = QRect(rect.left() + (0 if is_item else 20), rect.top(), size, size)
        pixmap = index.data(TimelineModel.ThumbnailRole)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(palette.highlightedText().color() if selected else palette.text().color())
        if pixmap is not None:
            scaled = pixmap.scaled(
                size,
                size,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            painter.drawPixmap(
                box.left() + (size - scaled.width()) // 2,
                box.top() + (size - scaled.height()) // 2,
                scaled,
            )
        else:
            painter.drawRoundedRect(box.adjusted(0, 0, -1, -1), 4, 4)
            small = painter.font()
            small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
            painter.setFont(small)
            glyph = fit_text(
                painter, _kind_glyph(index.data(TimelineModel.KindRole)), box.width() - 4
            )
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, glyph)
        verdict = index.data(TimelineModel.VerdictRole)
        text_rect = rect.adjusted(box.right() - rect.left() + 10, 0, 0, 0)
        font = painter.font()
        font.setPointSizeF(option.font.pointSizeF())
        font.setBold(is_item)
        painter.setFont(font)
        half = text_rect.height() // 2
        top_line = index.data(TimelineModel.TimeTextRole) or ""
        if verdict:
            top_line = f"{verdict_badge(verdict)}  {top_line}"
        if entry is not None and "excluded" in entry.flags:
            top_line = tr("⊘不导出", "⊘not exported") + f"  {top_line}"
        metrics = painter.fontMetrics()
        painter.drawText(
            text_rect.adjusted(0, 0, 0, -half),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(top_line, Qt.TextElideMode.ElideRight, text_rect.width()),
        )
        font.setBold(False)
        painter.setFont(font)
        second = card_text(index.data() or "", entry.note if entry is not None else "")
        painter.drawText(
            text_rect.adjusted(0, half, 0, 0),
            Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(
                second, Qt.TextElideMode.ElideRight, text_rect.width()
            ),
        )
        painter.restore()


def card_text(title: str, note: str | None) -> str:
    """The card's second line: the title, then the user's note (its first line) after a dash."""
    first = (note or "").strip().splitlines()[0] if (note or "").strip() else ""
    return f"{title} — {first}" if first else title


def verdict_badge(verdict: str) -> str:
    """A short mark for a verdict in the timeline list (the one table: app/evidence/labels.py)."""
    return labels.verdict_badge(verdict)


def fit_text(painter: QPainter, text: str, width: int, smallest: float = 6.0) -> str:
    """`text` made to fit `width` pixels: the painter's font shrunk down to `smallest` points, then
    elided (a translation can be twice as long as the Chinese the box was drawn for)."""
    font = painter.font()
    while (
        painter.fontMetrics().horizontalAdvance(text) > width
        and font.pointSizeF() - 0.5 >= smallest
    ):
        font.setPointSizeF(font.pointSizeF() - 0.5)
        painter.setFont(font)
    return painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)


def _kind_glyph(kind: str | None) -> str:
    return {
        "video": "▶",
        "tracking": tr("物流", "Track"),
        "document": "PDF",
        "screenshot": tr("截图", "Shot"),
        "chat_message": tr("聊天", "Chat"),
        "manual": tr("事件", "Event"),
        "signed": tr("签收", "Signed"),
        "pickup": tr("揽收", "Pickup"),
        "out_for_delivery": tr("派件", "Out"),
        "station_dropoff": tr("代收", "Station"),
        "refused": tr("拒收", "Refused"),
        "returned": tr("退回", "Return"),
        "transit": tr("物流", "Track"),
        "arrived": tr("物流", "Track"),
        "exception": tr("异常", "Issue"),
        "other": tr("物流", "Track"),
        "photo": tr("照片", "Photo"),
    }.get(kind or "", tr("事件", "Event"))  # a case date (下单, 签收) or a manual event: not 物流
