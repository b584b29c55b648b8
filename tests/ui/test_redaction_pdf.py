"""Redaction on a PDF receipt's pages in the window: the inspector draws the chosen page on the
redaction canvas, a region drawn there is stored with its page in PDF points, and the export
fills exactly that area of that page."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("PySide6")

import pypdfium2 as pdfium  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas as pdf_canvas  # noqa: E402

from app.evidence.export import export_case  # noqa: E402
from app.evidence.privacy import State, list_redactions  # noqa: E402
from app.evidence.store.case import Case  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.timeline_model import TimelineModel  # noqa: E402

GREEN = (0, 200, 0)  # page 1's background: where the receipt page lands in the exported PDF
BLUE = (0, 0, 220)  # page 2's
REGION = (100, 150, 300, 260)  # x0, y0, x1, y1 in PDF points from the top-left of page 1


def _receipt(path: Path) -> Path:
    """A two-page A4 receipt; each page a solid colour with a line of text."""
    page = pdf_canvas.Canvas(str(path), pagesize=A4)
    for colour, text in ((GREEN, "Receipt page 1 phone 13812345678"), (BLUE, "page 2")):
        page.setFillColorRGB(*(c / 255 for c in colour))
        page.rect(0, 0, A4[0], A4[1], stroke=0, fill=1)
        page.setFillColorRGB(1, 1, 1)
        page.drawString(72, A4[1] - 72, text)
        page.showPage()
    page.save()
    return path


def _drag(canvas, start: QPoint, end: QPoint) -> None:
    viewport = canvas.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for n in range(1, 5):
        QTest.mouseMove(viewport, start + (end - start) * (n / 4))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def _select_only_item(qtbot, win: MainWindow) -> int:
    model = win.model
    for r in range(model.rowCount()):
        entry = model.index(r).data(TimelineModel.EntryRole)
        if entry is not None and entry.is_item:
            win.timeline.setCurrentIndex(model.index(r))
            return entry.item_id
    raise AssertionError("no item on the timeline")


def _near(pixels: np.ndarray, colour: tuple[int, int, int], tolerance: int = 40) -> np.ndarray:
    return (np.abs(pixels.astype(int) - np.array(colour)) <= tolerance).all(axis=-1)


def _receipt_page_box(pdf: Path) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The exported page showing receipt page 1, rendered, and where that page sits on it."""
    document = pdfium.PdfDocument(str(pdf))
    best: tuple[int, np.ndarray] | None = None
    for index in range(len(document)):
        pixels = np.asarray(document[index].render(scale=2).to_pil().convert("RGB"))
        green = int(_near(pixels, GREEN).sum())
        if best is None or green > best[0]:
            best = (green, pixels)
    document.close()
    assert best is not None and best[0] > 10_000, "receipt page 1 not found in the export"
    pixels = best[1]
    ys, xs = np.nonzero(_near(pixels, GREEN))
    return pixels, (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)


def test_region_drawn_on_a_pdf_page_is_stored_in_points_and_burned_in_the_export(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    receipt = _receipt(tmp_path / "receipt.pdf")
    case_dir = tmp_path / "case"
    Case.create(case_dir, "发票").close()
    assert window.open_case(case_dir)
    with qtbot.waitSignal(window.controller.import_finished, timeout=120_000):
        window.import_paths([receipt])
    qtbot.waitUntil(
        lambda: window.snapshot is not None and bool(window.snapshot.items), timeout=30_000
    )
    item_id = _select_only_item(qtbot, window)
    inspector, canvas = window.inspector, window.inspector.canvas
    qtbot.waitUntil(lambda: canvas.has_picture() and canvas.page() == 1, timeout=20_000)
    # the scene is the page in PDF points: what the export scales regions from
    assert (canvas.full_size().width(), canvas.full_size().height()) == (595, 842)
    assert canvas.editable and inspector.pages.isVisible()
    assert inspector.pages.total.text()  # "of 2"
    assert inspector.pages.number.maximum() == 2

    x0, y0, x1, y1 = REGION
    _drag(canvas, canvas.map_from_image(x0, y0), canvas.map_from_image(x1, y1))

    def stored() -> list:
        return [r for r in window.snapshot.redactions.get(item_id, []) if r.state is State.ACCEPTED]

    qtbot.waitUntil(lambda: len(stored()) == 1, timeout=10_000)
    region = stored()[0]
    tolerance = 842 / canvas.viewport().height() * 2 + 1  # a screen pixel or two, in points
    assert region.page == 1 and region.rect is not None
    assert abs(region.rect.x - x0) <= tolerance and abs(region.rect.y - y0) <= tolerance
    assert abs(region.rect.x + region.rect.w - x1) <= tolerance
    assert abs(region.rect.y + region.rect.h - y1) <= tolerance
    qtbot.waitUntil(lambda: len(canvas.regions()) == 1, timeout=5_000)

    # page 2 has no region; back on page 1 it is drawn again
    inspector.pages.next.click()
    qtbot.waitUntil(lambda: canvas.page() == 2, timeout=20_000)
    assert not canvas.regions()
    inspector.pages.previous.click()
    qtbot.waitUntil(lambda: canvas.page() == 1 and len(canvas.regions()) == 1, timeout=20_000)
    window.controller.close()

    with Case.open(case_dir, writable=False) as case:
        (kept,) = list_redactions(case, item_id)
        assert kept.page == 1 and kept.rect == region.rect
        export_case(case, pdf=tmp_path / "out.pdf")
    pixels, (bx0, by0, bx1, by1) = _receipt_page_box(tmp_path / "out.pdf")
    sx, sy = (bx1 - bx0) / 595, (by1 - by0) / 842

    def at(px: float, py: float) -> np.ndarray:
        return pixels[int(by0 + py * sy), int(bx0 + px * sx)]

    rect = region.rect
    inside = [
        (rect.x + rect.w * fx, rect.y + rect.h * fy)
        for fx in (0.2, 0.5, 0.8)
        for fy in (0.2, 0.5, 0.8)
    ]
    for px, py in inside:
        assert (at(px, py) <= 40).all(), (px, py, at(px, py))  # the black fill
    # just outside the region the page is still green
    for px, py in ((rect.x - 15, rect.y + rect.h / 2), (rect.x + rect.w + 15, rect.y + 10)):
        assert _near(at(px, py)[None], GREEN)[0], (px, py, at(px, py))
