"""从手机导入 / Get files from your phone: the bundled guide (resources/phone_guide), one page per
route, the steps of the chosen phone, each with its source and the date it was checked, and
diagrams drawn here (a phone and its cable, the folders, the USB choice, the 原图 tick box) so
no vendor image is copied.

Opened from the start page, the Evidence menu, and the inspector when a file is found not to be
an original (at the route a "route_*" finding names, else at the general page).
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.evidence.i18n import tr
from app.evidence.service.phone_guide import (
    GENERAL_ROUTE,
    Family,
    Figure,
    PhoneGuide,
    Route,
    Source,
    Step,
    load_guide,
    route_for_findings,
)

FIGURE_SIZE = QSize(250, 170)


def esc(text: str) -> str:
    """Text for a rich-text label (quotes stay quotes)."""
    return _html.escape(text, quote=False)


def rich_label(text: str = "") -> QLabel:
    """A word-wrapped label that always reads its text as rich text."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    return label


BLUE = QColor("#1a73e8")
GREEN = QColor("#2e7d32")
RED = QColor("#c62828")
GREY = QColor("#8a8a8a")
INK = QColor("#202124")


def source_text(source: Source | None, checked: object) -> str:
    """The small line under a step: who says so and when it was checked (rich text)."""
    if source is None:
        return esc(
            tr(
                "没有找到来源，按常识写，仅供参考（{date} 核对）",
                "No source found: common knowledge, for guidance only (checked {date})",
                date=checked,
            )
        )
    kind = {
        "vendor": tr("厂商说明", "maker's help page"),
        "vendor_forum": tr("厂商社区中用户的回答", "users' answers on the maker's forum"),
    }.get(source.kind, tr("第三方说明", "third-party page"))
    link = f"<a href='{_html.escape(source.url)}'>{esc(source.publisher)}</a>"
    return tr(
        "来源：{link}（{kind}，{date} 查看）",
        "Source: {link} ({kind}, read {date})",
        link=link,
        kind=esc(kind),
        date=checked,
    )


class PhoneFigure(QWidget):
    """A diagram of one step, drawn with QPainter in the current language."""

    def __init__(self, figure: Figure, family: Family | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.figure = figure
        self.family = family
        self.setFixedSize(FIGURE_SIZE)
        self.setAccessibleName(tr("示意图", "Diagram"))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#f6f8fa"))
        p.setPen(QPen(QColor("#d0d7de"), 1))
        p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        draw = {
            "cable": self._cable,
            "folders": self._folders,
            "menu": self._menu,
            "tick": self._tick,
            "cross": self._cross,
        }[self.figure.kind]
        draw(p)
        p.end()

    # -- pieces ----------------------------------------------------------------------------------

    def _font(self, p: QPainter, points_delta: float = 0, bold: bool = False) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() + points_delta))
        font.setBold(bold)
        p.setFont(font)

    def _text(self, p: QPainter, rect: QRectF, text: str, align: Qt.AlignmentFlag) -> None:
        """One line in `rect`: a point or two smaller when it does not fit, elided at last."""
        font = p.font()
        for _ in range(2):
            if p.fontMetrics().horizontalAdvance(text) <= rect.width() or font.pointSizeF() <= 7:
                break
            font.setPointSizeF(font.pointSizeF() - 1)
            p.setFont(font)
        elided = p.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
        p.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), elided)

    def _phone(self, p: QPainter, rect: QRectF) -> QRectF:
        """A phone seen from the front, cut off at the bottom of the figure; returns its screen."""
        p.setPen(QPen(INK, 2))
        p.setBrush(QColor("#3c4043"))
        path = QPainterPath()
        path.addRoundedRect(rect.adjusted(0, 0, 0, 20), 18, 18)  # the bottom edge is off-figure
        p.drawPath(path)
        screen = rect.adjusted(7, 16, -7, 0)
        p.setBrush(QColor("white"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(screen.adjusted(0, 0, 0, 20), 10, 10)
        p.setBrush(QColor("#5f6368"))
        p.drawRoundedRect(QRectF(rect.center().x() - 14, rect.top() + 6, 28, 5), 2, 2)
        return screen

    def _cable(self, p: QPainter) -> None:
        phone = QRectF(18, 30, 62, 120)
        p.setPen(QPen(INK, 2))
        p.setBrush(QColor("#3c4043"))
        p.drawRoundedRect(phone, 10, 10)
        p.setBrush(QColor("white"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(phone.adjusted(5, 10, -5, -10), 5, 5)
        # the camera's picture on the phone's screen
        p.setBrush(QColor("#a8c7fa"))
        p.drawRect(QRectF(phone.left() + 12, phone.top() + 30, 38, 28))
        p.setBrush(QColor("#34a853"))
        tri = QPainterPath(QPointF(phone.left() + 14, phone.top() + 56))
        tri.lineTo(QPointF(phone.left() + 28, phone.top() + 40))
        tri.lineTo(QPointF(phone.left() + 42, phone.top() + 56))
        p.drawPath(tri)
        # the PC
        screen = QRectF(140, 28, 96, 70)
        p.setPen(QPen(INK, 2))
        p.setBrush(QColor("#e8f0fe"))
        p.drawRoundedRect(screen, 4, 4)
        p.setBrush(QColor("#3c4043"))
        p.drawRect(QRectF(178, 98, 20, 14))
        p.drawRoundedRect(QRectF(160, 112, 56, 6), 2, 2)
        # a folder named DCIM on the PC's screen
        folder = QRectF(screen.left() + 22, screen.top() + 16, 52, 34)
        p.setBrush(QColor("#fbbc04"))
        p.setPen(QPen(QColor("#b06000"), 1))
        p.drawRoundedRect(folder, 3, 3)
        p.setPen(INK)
        self._font(p, -1, bold=True)
        self._text(p, folder, "DCIM", Qt.AlignmentFlag.AlignHCenter)
        # the cable, phone bottom to PC
        p.setPen(QPen(QColor("#5f6368"), 3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        cable = QPainterPath(QPointF(phone.center().x(), phone.bottom()))
        cable.cubicTo(QPointF(phone.center().x(), 168), QPointF(120, 168), QPointF(170, 112))
        p.drawPath(cable)
        p.setPen(QPen(BLUE, 2))
        p.drawLine(QPointF(92, 70), QPointF(128, 70))
        arrow = QPainterPath(QPointF(128, 64))
        arrow.lineTo(QPointF(136, 70))
        arrow.lineTo(QPointF(128, 76))
        p.setBrush(BLUE)
        p.drawPath(arrow)

    def _folders(self, p: QPainter) -> None:
        window = QRectF(8, 8, self.width() - 16, self.height() - 16)
        p.setPen(QPen(QColor("#9aa0a6"), 1))
        p.setBrush(QColor("white"))
        p.drawRoundedRect(window, 4, 4)
        bar = QRectF(window.left(), window.top(), window.width(), 22)
        p.setBrush(QColor("#e8eaed"))
        p.drawRect(bar)
        p.setPen(INK)
        self._font(p, -1)
        name = str(self.family.name) if self.family else tr("手机", "Phone")
        self._text(
            p,
            bar.adjusted(8, 0, -8, 0),
            tr("此电脑 › {name}", "This PC › {name}", name=name),
            Qt.AlignmentFlag.AlignLeft,
        )
        folders = self.family.folders if self.family else ()
        y = bar.bottom() + 6
        row_h = (window.bottom() - y - 4) / max(3, len(folders))
        for folder in folders:
            row = QRectF(window.left() + 6, y, window.width() - 12, row_h - 4)
            camera = folder.role == "camera"
            if camera:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor("#e6f4ea"))
                p.drawRoundedRect(row, 3, 3)
            mark = QRectF(row.left() + 2, row.top(), 18, row.height())
            p.setPen(GREEN if camera else RED)
            self._font(p, 1, bold=True)
            self._text(p, mark, "✓" if camera else "✗", Qt.AlignmentFlag.AlignHCenter)
            icon = QRectF(row.left() + 22, row.center().y() - 6, 16, 12)
            p.setPen(QPen(QColor("#b06000"), 1))
            p.setBrush(QColor("#fbbc04") if camera else QColor("#e0e0e0"))
            p.drawRoundedRect(icon, 2, 2)
            p.setPen(INK if camera else GREY)
            self._font(p, -1, bold=camera)
            text_rect = QRectF(
                icon.right() + 6, row.top(), row.right() - icon.right() - 8, row.height()
            )
            self._text(p, text_rect, folder.path, Qt.AlignmentFlag.AlignLeft)
            if not camera:
                width = min(text_rect.width(), p.fontMetrics().horizontalAdvance(folder.path))
                p.setPen(QPen(GREY, 1))
                p.drawLine(
                    QPointF(text_rect.left(), text_rect.center().y()),
                    QPointF(text_rect.left() + width, text_rect.center().y()),
                )
            y += row_h

    def _menu(self, p: QPainter) -> None:
        screen = self._phone(p, QRectF(38, 8, 174, 180))
        title = QRectF(screen.left() + 10, screen.top() + 6, screen.width() - 20, 24)
        p.setPen(INK)
        self._font(p, 0, bold=True)
        self._text(p, title, str(self.figure.title or ""), Qt.AlignmentFlag.AlignLeft)
        y = title.bottom() + 6
        for i, option in enumerate(self.figure.options):
            row = QRectF(screen.left() + 6, y, screen.width() - 12, 26)
            chosen = i == self.figure.chosen
            if chosen:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor("#e8f0fe"))
                p.drawRoundedRect(row, 5, 5)
            circle = QRectF(row.left() + 6, row.center().y() - 7, 14, 14)
            p.setPen(QPen(BLUE if chosen else GREY, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(circle)
            if chosen:
                p.setBrush(BLUE)
                p.setPen(Qt.PenStyle.NoPen)
                p.drawEllipse(circle.adjusted(3.5, 3.5, -3.5, -3.5))
            p.setPen(BLUE if chosen else INK)
            self._font(p, 0, bold=chosen)
            label = QRectF(
                circle.right() + 8, row.top(), row.right() - circle.right() - 10, row.height()
            )
            self._text(p, label, str(option), Qt.AlignmentFlag.AlignLeft)
            y += 30

    def _tick(self, p: QPainter) -> None:
        screen = self._phone(p, QRectF(22, 8, 206, 180))
        # three photos, all picked
        size = (screen.width() - 16) / 3
        for i in range(3):
            cell = QRectF(screen.left() + 4 + i * (size + 4), screen.top() + 6, size, size)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#a8c7fa") if i != 1 else QColor("#c6e7c6"))
            p.drawRect(cell)
            badge = QRectF(cell.right() - 16, cell.top() + 3, 13, 13)
            p.setBrush(QColor("#07c160"))
            p.drawEllipse(badge)
            p.setPen(QPen(QColor("white"), 2))
            p.drawLine(
                QPointF(badge.left() + 3, badge.center().y()),
                QPointF(badge.center().x() - 1, badge.bottom() - 3),
            )
            p.drawLine(
                QPointF(badge.center().x() - 1, badge.bottom() - 3),
                QPointF(badge.right() - 3, badge.top() + 3),
            )
        bar = QRectF(screen.left(), screen.top() + size + 14, screen.width(), 40)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#f1f3f4"))
        p.drawRect(bar)
        # the 原图 tick box, ticked and ringed
        box = QRectF(bar.left() + 8, bar.center().y() - 8, 16, 16)
        p.setBrush(QColor("#07c160"))
        p.drawEllipse(box)
        p.setPen(QPen(QColor("white"), 2))
        p.drawLine(
            QPointF(box.left() + 4, box.center().y()),
            QPointF(box.center().x() - 1, box.bottom() - 4),
        )
        p.drawLine(
            QPointF(box.center().x() - 1, box.bottom() - 4), QPointF(box.right() - 4, box.top() + 4)
        )
        button_w = 46
        label = QRectF(box.right() + 5, bar.top(), bar.width() - button_w - 40, bar.height())
        p.setPen(INK)
        self._font(p, 0, bold=True)
        self._text(p, label, str(self.figure.label or ""), Qt.AlignmentFlag.AlignLeft)
        ring_w = min(label.width(), p.fontMetrics().horizontalAdvance(str(self.figure.label)))
        p.setPen(QPen(RED, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(
            QRectF(box.left() - 4, bar.top() + 5, ring_w + 33, bar.height() - 10), 8, 8
        )
        send = QRectF(bar.right() - button_w - 6, bar.center().y() - 12, button_w, 24)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#07c160"))
        p.drawRoundedRect(send, 4, 4)
        p.setPen(QColor("white"))
        self._font(p, -1, bold=True)
        self._text(p, send, str(self.figure.button or ""), Qt.AlignmentFlag.AlignHCenter)

    def _cross(self, p: QPainter) -> None:
        items = self.figure.options
        cols = 2
        rows = (len(items) + cols - 1) // cols
        cell_w = (self.width() - 24) / cols
        cell_h = (self.height() - 16 - (rows - 1) * 8) / max(1, rows)
        for i, item in enumerate(items):
            r, c = divmod(i, cols)
            cell = QRectF(8 + c * (cell_w + 8), 8 + r * (cell_h + 8), cell_w, cell_h)
            p.setPen(QPen(QColor("#d0d7de"), 1))
            p.setBrush(QColor("white"))
            p.drawRoundedRect(cell, 6, 6)
            p.setPen(INK)
            self._font(p, 0, bold=True)
            self._text(
                p, cell.adjusted(6, 0, -6, -cell_h / 3), str(item), Qt.AlignmentFlag.AlignHCenter
            )
            p.setPen(QPen(RED, 3))
            mark = QRectF(cell.center().x() - 9, cell.bottom() - cell_h / 3 - 4, 18, 18)
            p.drawLine(mark.topLeft(), mark.bottomRight())
            p.drawLine(mark.topRight(), mark.bottomLeft())


class PhoneGuideDialog(QDialog):
    """The guide: routes on the left; the chosen route's steps for the chosen phone on the
    right."""

    def __init__(
        self,
        route: str | None = None,
        family: str | None = None,
        parent: QWidget | None = None,
        guide: PhoneGuide | None = None,
    ) -> None:
        super().__init__(parent)
        self.guide = guide or load_guide()
        self.setWindowTitle(tr("从手机导入", "Get files from your phone"))
        self.route_id = GENERAL_ROUTE
        self.family_id = family or self.guide.families[0].id
        self.routes = QListWidget()
        for r in self.guide.routes:
            self.routes.addItem(str(r.title))
        self.routes.setSpacing(3)
        self.routes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.routes.setMinimumWidth(
            self.routes.sizeHintForColumn(0) + 2 * self.routes.frameWidth() + 12
        )
        self.routes.currentRowChanged.connect(self._route_row)
        self.title = rich_label()
        self.summary = rich_label()
        self.phones = QWidget()
        phones = QHBoxLayout(self.phones)
        phones.setContentsMargins(0, 0, 0, 0)
        phones.addWidget(QLabel(tr("你的手机：", "Your phone:")))
        self.family_buttons = QButtonGroup(self)
        self.family_buttons.setExclusive(True)
        for f in self.guide.families:
            button = QPushButton(str(f.name))
            button.setCheckable(True)
            button.setProperty("family", f.id)
            button.clicked.connect(lambda _=False, fid=f.id: self.show_family(fid))
            self.family_buttons.addButton(button)
            phones.addWidget(button)
        phones.addStretch(1)
        self.phones.setStyleSheet(
            "QPushButton:checked { background: #e8f0fe; border: 1px solid #1a73e8;"
            " border-radius: 3px; padding: 3px 8px; color: #1a73e8; }"
        )
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.page_scroll.setWidget(self.body)
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.title)
        page_layout.addWidget(self.summary)
        page_layout.addWidget(self.phones)
        page_layout.addWidget(self.page_scroll, 1)
        split = QSplitter()
        split.addWidget(self.routes)
        split.addWidget(page)
        split.setStretchFactor(1, 1)
        split.setSizes([self.routes.minimumWidth(), 1000 - self.routes.minimumWidth()])
        split.setChildrenCollapsible(False)
        footer = QLabel(
            tr(
                "这些说明随软件离线提供，每一步注明了来源和核对日期；手机系统更新后名称可能略有不同。",
                "Bundled and offline; each step names its source and the date it was checked. "
                "Names may differ slightly after a phone's system update.",
            )
        )
        footer.setWordWrap(True)
        footer.setStyleSheet("color: #5f6368")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭", "Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(footer)
        layout.addWidget(buttons)
        self.resize(1000, 640)
        self.show_route(route or GENERAL_ROUTE)

    # -- navigation ------------------------------------------------------------------------------

    def show_route(self, route_id: str) -> None:
        """Show a route's page (an unknown id shows the general page)."""
        ids = [r.id for r in self.guide.routes]
        if route_id not in ids:
            route_id = GENERAL_ROUTE
        self.route_id = route_id
        row = ids.index(route_id)
        if self.routes.currentRow() != row:
            self.routes.blockSignals(True)
            self.routes.setCurrentRow(row)
            self.routes.blockSignals(False)
        self._render()

    def show_family(self, family_id: str) -> None:
        self.family_id = family_id
        self._render()

    def _route_row(self, row: int) -> None:
        if 0 <= row < len(self.guide.routes):
            self.show_route(self.guide.routes[row].id)

    @property
    def route(self) -> Route:
        return self.guide.route(self.route_id)

    # -- the page --------------------------------------------------------------------------------

    def visible_steps(self) -> tuple[Step, ...]:
        route = self.route
        return route.steps_for(self.family_id if route.per_family else None)

    def _render(self) -> None:
        route = self.route
        self.title.setText(f"<h2>{esc(str(route.title))}</h2>")
        self.summary.setText(esc(str(route.summary)))
        self.phones.setVisible(route.per_family)
        for button in self.family_buttons.buttons():
            button.setChecked(button.property("family") == self.family_id)
        while self.body_layout.count():
            taken = self.body_layout.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.setParent(None)  # gone from the page now, freed by the event loop
                widget.deleteLater()
        family = self.guide.family(self.family_id) if route.per_family else None
        for n, step in enumerate(self.visible_steps(), 1):
            self.body_layout.addWidget(self._step_row(n, step, family))
        if route.shows_folders and family is not None:
            self.body_layout.addWidget(self._folders_box(family))
        self.page_scroll.verticalScrollBar().setValue(0)

    def _step_row(self, n: int, step: Step, family: Family | None) -> QWidget:
        row = QFrame()
        row.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(row)
        number = QLabel(f"<b>{n}</b>")
        number.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        number.setMinimumWidth(18)
        grid.addWidget(number, 0, 0, 3, 1)
        text = rich_label(esc(str(step.text)))
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(text, 0, 1)
        source = rich_label(
            "<small>"
            + source_text(step.source, step.checked)
            + (f"<br>{esc(str(step.note))}" if step.note else "")
            + "</small>"
        )
        source.setStyleSheet("color: #5f6368")
        if step.source is not None:
            source.setToolTip(
                f"{step.source.title}\n{step.source.url}\n"
                + tr("点击复制网址", "Click to copy the address")
            )
        source.linkActivated.connect(self.copy_link)
        grid.addWidget(source, 1, 1)
        if step.see is not None:
            target = self.guide.route(step.see)
            go = QPushButton(tr("打开：{title}", "Open: {title}", title=str(target.title)))
            go.clicked.connect(lambda _=False, rid=target.id: self.show_route(rid))
            holder = QHBoxLayout()
            holder.addWidget(go)
            holder.addStretch(1)
            grid.addLayout(holder, 2, 1)
        if step.figure is not None:
            grid.addWidget(PhoneFigure(step.figure, family), 0, 2, 3, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(3, 1)  # text, source and link stay together at the top
        return row

    def _folders_box(self, family: Family) -> QWidget:
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(box)
        layout.addWidget(
            QLabel(
                "<b>"
                + esc(
                    tr(
                        "{name}：相机原片在哪里",
                        "{name}: where the camera's originals are",
                        name=str(family.name),
                    )
                )
                + "</b>"
            )
        )
        for folder in family.folders:
            mark = "✓" if folder.role == "camera" else "✗"
            colour = GREEN.name() if folder.role == "camera" else RED.name()
            line = rich_label(
                f"<span style='color:{colour}'><b>{mark}</b></span> "
                f"<code>{esc(folder.path)}</code> — {esc(str(folder.what))}"
                "<br><small style='color:#5f6368'>"
                + source_text(folder.source, folder.checked)
                + "</small>"
            )
            line.linkActivated.connect(self.copy_link)
            if folder.source is not None:
                line.setToolTip(f"{folder.source.title}\n{folder.source.url}")
            layout.addWidget(line)
        return box

    def copy_link(self, url: str) -> None:
        """A source's address goes to the clipboard (the app never opens the network itself)."""
        QGuiApplication.clipboard().setText(url)


def phone_hint_route(kind: str | None, findings: Iterable[Any]) -> str | None:
    """The guide's page for the inspector's hint on an item, or None when no hint is due.

    The hint shows for a photo or video whose own findings say it is not the original (a
    warning or an alert: recompressed or edited), and for any item with a "route_*" finding (a
    check recognised the way the copy was made); it opens that route, else the general page.
    Cross-item findings are about two files disagreeing and never ask for it.
    """
    own = [f for f in findings if getattr(f, "origin", "check") != "cross"]
    codes = [f.code for f in own]
    routed = any(code.startswith("route_") for code in codes)
    not_original = kind in ("photo", "video") and any(
        f.severity in ("warning", "alert") for f in own
    )
    return route_for_findings(codes) if routed or not_original else None


def open_phone_guide(parent: QWidget, route: str | None = None) -> PhoneGuideDialog:
    """Show the guide at `route` (default: the general page) over `parent`'s window, reusing
    the window's guide if it is open already."""
    top = parent.window()
    dialog = top.findChild(PhoneGuideDialog)
    if dialog is None:
        dialog = PhoneGuideDialog(route, parent=top)
    else:
        dialog.show_route(route or GENERAL_ROUTE)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
