"""PDF receipt pages on the redaction canvas: a page drawn off the GUI thread and a page selector.

A page is drawn by the core (`export.receipts.page_preview`, PDFium under the export's lock) and
shown on the same canvas as photos, with the scene in the page's PDF points: a region drawn on it
is stored with its page number in the coordinates the export burns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from app.evidence.i18n import tr
from app.evidence.service.exporting import page_preview

PAGE_PREVIEW_PX = 1600


@dataclass(frozen=True)
class PdfPage:
    """A drawn page: the picture, the page's size in points, its number and the page count."""

    image: QImage
    size: QSize
    number: int
    total: int


def load_pdf_page(path: Path, number: int) -> PdfPage:
    """Draw page `number` (1-based) for the canvas; runs on a pool thread.

    Raises:
        ReceiptError: the PDF cannot be drawn (password, damage); its message is for the user.
    """
    page = page_preview(path, number, PAGE_PREVIEW_PX)
    rgb = page.picture
    image = QImage(rgb.tobytes(), rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888)
    return PdfPage(image.copy(), QSize(*page.size), page.number, page.total)  # copy: own the bytes


class PageSelector(QWidget):
    """Previous / page number / next for a multi-page PDF; emits the 1-based page chosen."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.previous = QPushButton(tr("上一页", "Previous page"))
        self.next = QPushButton(tr("下一页", "Next page"))
        self.number = QSpinBox()
        self.number.setMinimum(1)
        self.number.setKeyboardTracking(False)  # typing "12" must not draw page 1 first
        self.total = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(tr("页", "Page")))
        layout.addWidget(self.number)
        layout.addWidget(self.total)
        layout.addStretch(1)
        layout.addWidget(self.previous)
        layout.addWidget(self.next)
        self.previous.clicked.connect(lambda: self.chosen.emit(self.number.value() - 1))
        self.next.clicked.connect(lambda: self.chosen.emit(self.number.value() + 1))
        self.number.valueChanged.connect(self._typed)
        self._showing = 0

    def set_page(self, number: int, total: int) -> None:
        """Show that page `number` of `total` is on the canvas."""
        self._showing = number
        self.number.blockSignals(True)
        self.number.setMaximum(max(1, total))
        self.number.setValue(number)
        self.number.blockSignals(False)
        self.total.setText(tr("共 {n} 页", "of {n}", n=total))
        self.previous.setEnabled(number > 1)
        self.next.setEnabled(number < total)

    def _typed(self, value: int) -> None:
        if value != self._showing:
            self.chosen.emit(value)
