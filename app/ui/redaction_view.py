"""The preview with redaction regions: draw, move, resize, delete; review suggestions.

The scene's coordinates are the upright original's pixels (EXIF orientation applied, full
size), the space `app.evidence.privacy` stores regions in and `export` burns them in: the
picture item is a downscaled preview stretched back to full size, so a rectangle drawn on the
screen is already in stored units. The canvas only reports what the user did through signals;
the controller writes it (one undoable edit each) and the next snapshot redraws the regions.
A page of a PDF receipt is shown the same way with the scene in the page's PDF points (the
space the export burns page regions in); the canvas then shows only that page's regions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QMenu,
    QStyle,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app.evidence.i18n import pick, tr
from app.evidence.service.edits import Reason, Rect, Redaction, State
from app.evidence.service.labels import REASON_LABELS

log = logging.getLogger(__name__)

HANDLE_PX = 7  # half the side of a resize handle, in screen pixels
MIN_DRAW_PX = 4  # a drag shorter than this on screen is a click, not a rectangle
ZOOM_STEP = 1.25


class RegionItem(QGraphicsRectItem):
    """One stored redaction drawn over the picture (accepted: solid; suggested: dashed)."""

    def __init__(self, redaction: Redaction) -> None:
        rect = redaction.rect
        assert rect is not None
        super().__init__(QRectF(rect.x, rect.y, rect.w, rect.h))
        self.redaction = redaction
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setZValue(2 if redaction.state is State.SUGGESTED else 1)
        self.setToolTip(_region_tip(redaction))
        if redaction.state is State.SUGGESTED:
            pen = QPen(QColor(230, 120, 0), 2, Qt.PenStyle.DashLine)
            self.setBrush(QBrush(QColor(255, 160, 0, 70)))
        else:
            pen = QPen(QColor(220, 30, 30), 2)
            self.setBrush(QBrush(QColor(0, 0, 0, 170)))
        pen.setCosmetic(True)  # the same width whatever the zoom
        self.setPen(pen)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        # draw the selection as handles, not as Qt's dotted box (which hides the region's edge)
        selected = self.isSelected()
        option.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, option, widget)
        if not selected:
            return
        scale = painter.worldTransform().m11() or 1.0
        half = HANDLE_PX / scale
        painter.setPen(QPen(QColor(255, 255, 255), 0))
        painter.setBrush(QBrush(QColor(20, 110, 230)))
        for corner in _corners(self.rect()):
            painter.drawRect(QRectF(corner.x() - half, corner.y() - half, 2 * half, 2 * half))


@dataclass
class _Drag:
    """What the left button is doing: drawing a new region, moving or resizing one."""

    mode: str  # "draw" | "move" | "resize"
    origin: QPointF  # where the press was (scene), or the fixed corner when resizing
    start: QRectF
    item: QGraphicsRectItem


class RedactionCanvas(QGraphicsView):
    """A zoomable preview on which regions are drawn; emits what the user asked for."""

    drawn = Signal(object)  # Rect, in the upright original's pixels
    changed = Signal(int, object)  # redaction id, new Rect (end of a move or resize)
    removed = Signal(int)  # redaction id
    accepted = Signal(list)  # redaction ids
    rejected = Signal(list)  # redaction ids
    reason_set = Signal(int, str)  # redaction id, Reason value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(
            QPainter.RenderHint.SmoothPixmapTransform | QPainter.RenderHint.Antialiasing
        )
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumHeight(240)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._picture: QGraphicsPixmapItem | None = None
        self._message: QGraphicsSimpleTextItem | None = None
        self._full = QSize()
        self._regions: dict[int, RegionItem] = {}
        self._pending: list[QGraphicsRectItem] = []  # drawn, not yet stored
        self._drag: _Drag | None = None
        self._fit = True  # follow the window's size until the user zooms
        self._page: int | None = None  # the PDF page shown (1-based); None for a picture
        self.editable = False

    # -- content -------------------------------------------------------------------------

    def show_text(self, text: str) -> None:
        """No picture: a line of text instead (a tracking record, "no preview")."""
        self.clear_picture()
        self._message = self.scene().addSimpleText(text)
        self._message.setBrush(self.palette().text())
        self.scene().setSceneRect(self._message.boundingRect())
        self.resetTransform()

    def clear_picture(self) -> None:
        """Empty the canvas."""
        self.scene().clear()
        self._picture = self._message = None
        self._regions.clear()
        self._pending.clear()
        self._drag = None
        self._full = QSize()
        self._page = None
        self.editable = False

    def set_picture(
        self, image: QImage, full: QSize, editable: bool, page: int | None = None
    ) -> None:
        """Show a preview that stands for an upright picture of `full` pixels.

        Args:
            page: the 1-based page of a PDF shown (then `full` is the page in PDF points);
                only that page's regions are drawn.
        """
        self.clear_picture()
        self._page = page
        self._full = QSize(full) if full.isValid() else image.size()
        self._picture = self.scene().addPixmap(QPixmap.fromImage(image))
        self._picture.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        if image.width() > 0 and image.height() > 0:
            self._picture.setTransform(
                self._picture.transform().scale(
                    self._full.width() / image.width(), self._full.height() / image.height()
                )
            )
        self.scene().setSceneRect(QRectF(0, 0, self._full.width(), self._full.height()))
        self.editable = editable
        self._fit = True
        self._fit_view()

    def page(self) -> int | None:
        """The PDF page shown (1-based), None for a picture or a video frame."""
        return self._page

    def has_picture(self) -> bool:
        """True when a picture is shown."""
        return self._picture is not None

    def full_size(self) -> QSize:
        """The upright original's size the scene stands for."""
        return QSize(self._full)

    def set_redactions(self, redactions: list[Redaction]) -> None:
        """Draw these regions (rejected ones and text-only masks are not drawn)."""
        selected = {rid for rid, it in self._regions.items() if it.isSelected()}
        for item in [*self._regions.values(), *self._pending]:
            self.scene().removeItem(item)
        self._regions.clear()
        self._pending.clear()
        self._drag = None
        if self._picture is None:
            return
        for r in redactions:
            if r.rect is None or r.state is State.REJECTED or r.page != self._page:
                continue
            item = RegionItem(r)
            self.scene().addItem(item)
            item.setSelected(r.id in selected)
            self._regions[r.id] = item

    def regions(self) -> dict[int, RegionItem]:
        """The drawn regions by redaction id."""
        return dict(self._regions)

    def map_from_image(self, x: float, y: float) -> QPoint:
        """Where an image pixel is on the viewport (tests drive the mouse with it)."""
        return self.mapFromScene(QPointF(x, y))

    # -- zoom ----------------------------------------------------------------------------

    def _fit_view(self) -> None:
        if self._picture is not None and self._fit:
            self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_view()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        if self._picture is None or not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
            return
        factor = ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP
        self._fit = False
        self.scale(factor, factor)

    def zoom_to_fit(self) -> None:
        """Show the whole picture again."""
        self._fit = True
        self._fit_view()

    # -- mouse ---------------------------------------------------------------------------

    def _bounds(self) -> QRectF:
        return QRectF(0, 0, self._full.width(), self._full.height())

    def _clamp(self, p: QPointF) -> QPointF:
        b = self._bounds()
        return QPointF(min(max(p.x(), 0.0), b.width()), min(max(p.y(), 0.0), b.height()))

    def _region_at(self, pos: QPoint) -> RegionItem | None:
        return next((it for it in self.items(pos) if isinstance(it, RegionItem)), None)

    def _handle_at(self, pos: QPoint) -> tuple[RegionItem, QPointF] | None:
        """A selected region whose corner handle is under the mouse, and its opposite corner."""
        for item in self._regions.values():
            if not item.isSelected():
                continue
            corners = _corners(item.rect())
            for n, corner in enumerate(corners):
                on_screen = self.mapFromScene(corner)
                if (
                    abs(on_screen.x() - pos.x()) <= HANDLE_PX + 2
                    and abs(on_screen.y() - pos.y()) <= HANDLE_PX + 2
                ):
                    return item, corners[(n + 2) % 4]
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if not self.editable or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus()
        pos = event.position().toPoint()
        scene_pos = self.mapToScene(pos)
        handle = self._handle_at(pos)
        if handle is not None:
            grabbed, fixed = handle
            self._drag = _Drag("resize", fixed, grabbed.rect(), grabbed)
            return
        under = self._region_at(pos)
        if under is not None:
            self.scene().clearSelection()
            under.setSelected(True)
            self._drag = _Drag("move", scene_pos, under.rect(), under)
            return
        self.scene().clearSelection()
        if not self._bounds().contains(scene_pos):
            return
        rubber = QGraphicsRectItem(QRectF(scene_pos, scene_pos))
        pen = QPen(QColor(220, 30, 30), 2, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        rubber.setPen(pen)
        rubber.setBrush(QBrush(QColor(0, 0, 0, 120)))
        rubber.setZValue(3)
        self.scene().addItem(rubber)
        self._drag = _Drag("draw", scene_pos, QRectF(), rubber)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        pos = event.position().toPoint()
        drag = self._drag
        if drag is None:
            if self.editable:
                self._hover_cursor(pos)
            super().mouseMoveEvent(event)
            return
        here = self._clamp(self.mapToScene(pos))
        if drag.mode in ("draw", "resize"):
            drag.item.setRect(QRectF(drag.origin, here).normalized())
        else:
            delta = self.mapToScene(pos) - drag.origin
            moved = drag.start.translated(delta)
            b = self._bounds()  # keep the whole region on the picture
            dx = min(max(moved.left(), 0.0), b.width() - moved.width()) - moved.left()
            dy = min(max(moved.top(), 0.0), b.height() - moved.height()) - moved.top()
            drag.item.setRect(moved.translated(dx, dy))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        drag, self._drag = self._drag, None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        shown = self.mapFromScene(drag.item.rect()).boundingRect()
        rect = _to_rect(drag.item.rect())
        if drag.mode == "draw":
            if rect is None or shown.width() < MIN_DRAW_PX or shown.height() < MIN_DRAW_PX:
                self.scene().removeItem(drag.item)
                return
            self._pending.append(drag.item)  # stays on screen until the stored one replaces it
            self.drawn.emit(rect)
            return
        assert isinstance(drag.item, RegionItem)
        if rect is None or drag.item.rect() == drag.start:
            drag.item.setRect(drag.start)
            return
        self.changed.emit(drag.item.redaction.id, rect)

    def _hover_cursor(self, pos: QPoint) -> None:
        handle = self._handle_at(pos)
        if handle is not None:
            item, fixed = handle
            corner = self.mapToScene(pos)
            diagonal = (corner.x() - fixed.x()) * (corner.y() - fixed.y()) > 0
            shape = Qt.CursorShape.SizeFDiagCursor if diagonal else Qt.CursorShape.SizeBDiagCursor
        elif self._region_at(pos) is not None:
            shape = Qt.CursorShape.SizeAllCursor
        else:
            shape = Qt.CursorShape.CrossCursor
        self.viewport().setCursor(shape)

    # -- keys and menu -------------------------------------------------------------------

    def selected_region(self) -> RegionItem | None:
        """The selected region, if any."""
        return next((it for it in self._regions.values() if it.isSelected()), None)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        item = self.selected_region()
        if (
            item is not None
            and self.editable
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        ):
            self._delete(item)
            event.accept()
            return
        super().keyPressEvent(event)

    def _delete(self, item: RegionItem) -> None:
        # a suggestion is rejected rather than deleted, so the next suggestion run skips it
        if item.redaction.state is State.SUGGESTED:
            self.rejected.emit([item.redaction.id])
        else:
            self.removed.emit(item.redaction.id)
        item.hide()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt API
        item = self._region_at(event.pos()) if self.editable else None
        if item is None:
            return
        self.scene().clearSelection()
        item.setSelected(True)
        region_menu(self, item).exec(event.globalPos())


def region_menu(canvas: RedactionCanvas, item: RegionItem) -> QMenu:
    """Accept or reject a suggestion; delete a region; say what it hides."""
    r = item.redaction
    menu = QMenu(canvas)
    if r.state is State.SUGGESTED:
        menu.addAction(
            tr("接受建议（导出时涂黑）", "Accept (filled black in exports)"),
            lambda: canvas.accepted.emit([r.id]),
        )
        menu.addAction(tr("拒绝建议", "Reject"), lambda: canvas.rejected.emit([r.id]))
    else:
        menu.addAction(tr("删除遮盖区域", "Delete region"), lambda: canvas._delete(item))
    reasons = menu.addMenu(tr("遮盖的内容", "What it hides"))
    for reason in Reason:
        act = reasons.addAction(
            pick(*REASON_LABELS[reason]), partial(canvas.reason_set.emit, r.id, reason.value)
        )
        act.setCheckable(True)
        act.setChecked(reason is r.reason)
    return menu


def _corners(rect: QRectF) -> list[QPointF]:
    """Corners clockwise from the top-left: the opposite of corner n is n + 2."""
    return [rect.topLeft(), rect.topRight(), rect.bottomRight(), rect.bottomLeft()]


def _to_rect(r: QRectF) -> Rect | None:
    """Whole pixels (rounded to the nearest edge), or None for a region under one pixel."""
    x0, y0 = round(r.left()), round(r.top())
    x1, y1 = round(r.right()), round(r.bottom())
    if x1 - x0 < 1 or y1 - y0 < 1:
        return None
    return Rect(max(0, x0), max(0, y0), x1 - max(0, x0), y1 - max(0, y0))


def _region_tip(r: Redaction) -> str:
    state = {
        State.SUGGESTED: tr(
            "建议遮盖（右键接受或拒绝）", "Suggested (right-click to accept or reject)"
        ),
        State.ACCEPTED: tr("导出时涂黑", "Filled black in exports"),
        State.REJECTED: tr("已拒绝", "Rejected"),
    }[r.state]
    what = pick(*REASON_LABELS[r.reason])
    text = f"\n{r.masked}" if r.masked else ""
    return f"{what} · {state}{text}"
