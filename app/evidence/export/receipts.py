"""PDF receipts (an invoice, a repair receipt) as page images for the PDF and the upload packs.

Platforms take images, and a reviewer should read the receipt where it is cited, so each page is
rendered with PDFium (pypdfium2, a wheel: nothing to install) into a clean JPEG, like a photo's
preview: pixels only, none of the PDF's own metadata (author, producer, XMP), accepted page
regions filled. At most `MAX_PAGES` pages are drawn, and the exhibit says so when there are more;
the complete original is in the ZIP. An encrypted or damaged PDF gives a plain note on its
exhibit instead of pages, never a failed export.

PDFium runs in a worker process with a time and a memory budget (`pdf_worker`): a page that
exceeds it (a few KB of nested drawings can ask for tens of GB) is drawn as a notice "page N
could not be drawn" in both languages, and the export goes on; the window's preview says the same.

Page regions (`Redaction.page`, 1-based) are in PDF points of the upright page (1/72 inch: the
page at 72 dpi), so they stay valid whatever resolution a copy is rendered at. `page_preview`
draws one page for the window's redaction canvas in that same space (`PagePreview.size`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

from app.evidence.errors import InputError
from app.evidence.export import pdf_worker
from app.evidence.export.fonts import pil_font
from app.evidence.export.images import save_clean_jpeg
from app.evidence.export.pdf_worker import PageNotDrawn, PdfFailed, PdfWorker
from app.evidence.i18n import Text, both
from app.evidence.privacy.burn import boxes_for, burn
from app.evidence.privacy.model import Redaction

log = logging.getLogger(__name__)

MAX_PAGES = 20
PAGE_PX = 1600  # long edge: A4 at ~140 dpi, receipt text of 8 pt stays legible
PAGE_QUALITY = 85
EDGE = (150, 150, 150)
NOTICE_SIZE = (PAGE_PX * 210 // 297, PAGE_PX)  # a page not drawn: an A4-shaped notice
# one PDFium worker: the export's preview pool and the window render one document at a time
_PDFIUM = threading.Lock()


class ReceiptError(InputError):
    """A PDF's pages cannot be shown (encrypted, damaged); the message is for the exhibit page."""


@dataclass(frozen=True)
class ReceiptPage:
    """One rendered page: a clean JPEG in the work folder."""

    path: Path
    width: int
    height: int
    number: int  # 1-based page of the original


@dataclass(frozen=True)
class RenderedReceipt:
    """The pages drawn and how many the PDF has (more than drawn when it was cut at MAX_PAGES).

    Attributes:
        redactions: ids of the page regions filled.
    """

    pages: tuple[ReceiptPage, ...]
    total: int
    redactions: tuple[int, ...] = ()
    not_drawn: tuple[int, ...] = ()  # 1-based pages shown as a notice: over the time/memory budget

    @property
    def cut(self) -> bool:
        """True when only the first MAX_PAGES pages are drawn."""
        return self.total > len(self.pages)


@dataclass(frozen=True)
class PagePreview:
    """One page drawn for the window: the picture and the space regions are stored in.

    Attributes:
        size: the upright page in whole PDF points (what a page region's coordinates mean; the
            export scales from the same rounded size).
        number: 1-based page shown; total: pages in the PDF.
    """

    picture: Image.Image
    size: tuple[int, int]
    number: int
    total: int


def page_preview(src: Path, number: int, long_edge: int = PAGE_PX) -> PagePreview:
    """Draw page `number` (1-based, clamped to the document) of a PDF for the window.

    Raises:
        ReceiptError: the PDF is encrypted with a password, damaged, has no page, or the page
            could not be drawn within the time and memory budget.
    """
    with _opened(src) as (worker, total):
        index = min(max(number, 1), total) - 1
        try:
            drawn = worker.render(index, long_edge)
        except PageNotDrawn as exc:
            raise ReceiptError(str(not_drawn_text(index + 1, exc.reason)), str(src)) from exc
    picture = Image.frombytes("RGB", drawn.size, drawn.rgb)
    width, height = drawn.points
    size = (max(1, round(width)), max(1, round(height)))
    return PagePreview(picture, size, index + 1, total)


def render_receipt(
    src: Path, work: Path, stem: str, redactions: tuple[Redaction, ...] = ()
) -> RenderedReceipt:
    """Render the first MAX_PAGES pages of a PDF into `work` as `{stem}-p01.jpg`, ...

    A page over the budget (`pdf_worker.PAGE_SECONDS` each, `DOCUMENT_SECONDS` for the
    document, `MEMORY_BUDGET`) becomes a notice page and is listed in `not_drawn`.

    Raises:
        ReceiptError: the PDF is encrypted with a password, damaged, or has no page.
    """
    started = time.monotonic()
    with _opened(src) as (worker, total):
        pages, filled, missing = [], [], []
        is_open = True
        for index in range(min(total, MAX_PAGES)):
            dest = work / f"{stem}-p{index + 1:02d}.jpg"
            left = pdf_worker.DOCUMENT_SECONDS - (time.monotonic() - started)
            try:
                if left <= 0:
                    raise PageNotDrawn("time")
                if not is_open:  # the last page's worker was stopped: a fresh one reopens
                    worker.open(src, min(pdf_worker.OPEN_SECONDS, left))
                    is_open = True
                    left = pdf_worker.DOCUMENT_SECONDS - (time.monotonic() - started)
                drawn = worker.render(index, PAGE_PX, min(pdf_worker.PAGE_SECONDS, max(left, 0)))
            except (PageNotDrawn, PdfFailed) as exc:
                reason = exc.reason if isinstance(exc, PageNotDrawn) else "crash"
                log.warning("%s page %d not drawn (%s)", src.name, index + 1, reason)
                is_open = False
                pages.append(_notice_page(index + 1, reason, dest))
                missing.append(index + 1)
                continue
            page, used = _finish_page(drawn, index, dest, redactions)
            pages.append(page)
            filled += used
    return RenderedReceipt(tuple(pages), total, tuple(filled), tuple(missing))


def receipt_note(receipt: RenderedReceipt) -> str:
    """The exhibit's note when pages were not drawn ("" when all were), both languages."""
    if not receipt.not_drawn:
        return ""
    text = both(
        "第 {pages} 页无法绘制（超出时间或内存限制），以说明页代替；原件在 ZIP 中。",
        "Page {pages} could not be drawn (it exceeded the time or memory limit) and is shown "
        "as a notice; the original is in the ZIP.",
        pages=", ".join(str(n) for n in receipt.not_drawn),
    )
    return f"{text.zh}\n{text.en}"


def not_drawn_text(number: int, reason: str) -> Text:
    """What a page over the budget says, in both languages."""
    if reason == "time":
        return both(
            "第 {n} 页无法绘制：超出时间限制（{s} 秒）。原件在 ZIP 中。",
            "Page {n} could not be drawn: it exceeded the time limit ({s} s). The original is "
            "in the ZIP.",
            n=number,
            s=round(pdf_worker.PAGE_SECONDS),
        )
    if reason == "memory":
        return both(
            "第 {n} 页无法绘制：超出内存限制（{mb} MB）。原件在 ZIP 中。",
            "Page {n} could not be drawn: it exceeded the memory limit ({mb} MB). The original "
            "is in the ZIP.",
            n=number,
            mb=pdf_worker.MEMORY_BUDGET // (1024 * 1024),
        )
    return both(
        "第 {n} 页无法绘制：绘图组件在这一页上出错。原件在 ZIP 中。",
        "Page {n} could not be drawn: the PDF renderer failed on it. The original is in the ZIP.",
        n=number,
    )


@contextmanager
def _opened(src: Path) -> Iterator[tuple[PdfWorker, int]]:
    """The worker with the document open and its page count, under the lock; PDFium's errors
    (and a document that cannot even be opened within the budget) as ReceiptError."""
    with _PDFIUM:
        worker = pdf_worker.worker()
        try:
            total = worker.open(src)
        except PdfFailed as exc:
            raise ReceiptError(_why(str(exc.args[0])), str(src)) from exc
        except PageNotDrawn as exc:
            raise ReceiptError(str(not_drawn_text(1, exc.reason)), str(src)) from exc
        try:
            if total < 1:
                raise ReceiptError("PDF 没有页面 / the PDF has no pages", str(src))
            yield worker, total
        except PdfFailed as exc:
            raise ReceiptError(_why(str(exc.args[0])), str(src)) from exc
        finally:
            worker.close_document()


def _finish_page(
    drawn: pdf_worker.DrawnPage, index: int, dest: Path, redactions: tuple[Redaction, ...]
) -> tuple[ReceiptPage, list[int]]:
    picture = Image.frombytes("RGB", drawn.size, drawn.rgb)
    width, height = drawn.points
    regions = [r for r in redactions if r.applied and r.rect is not None and r.page == index + 1]
    if regions:
        source = (max(1, round(width)), max(1, round(height)))
        burn(picture, boxes_for([r.rect for r in regions if r.rect], source, picture.size, pad=1))
    # a hairline edge: a white page on a white sheet must still show where the receipt ends
    picture = ImageOps.expand(picture, border=2, fill=EDGE)
    save_clean_jpeg(picture, dest, quality=PAGE_QUALITY, text=True)
    return ReceiptPage(dest, picture.width, picture.height, index + 1), [r.id for r in regions]


def _notice_page(number: int, reason: str, dest: Path) -> ReceiptPage:
    """A page-shaped notice in place of a page that could not be drawn (both languages)."""
    text = not_drawn_text(number, reason)
    picture = Image.new("RGB", NOTICE_SIZE, (250, 250, 250))
    draw = ImageDraw.Draw(picture)
    y = NOTICE_SIZE[1] // 3
    for line, size in ((text.zh, 40), (text.en, 34)):
        font = pil_font(size)
        for row in _wrap(draw, line, font, NOTICE_SIZE[0] - 160):
            draw.text((80, y), row, font=font, fill=(60, 60, 60))
            y += int(size * 1.5)
        y += size
    picture = ImageOps.expand(picture, border=2, fill=EDGE)
    save_clean_jpeg(picture, dest, quality=PAGE_QUALITY, text=True)
    return ReceiptPage(dest, picture.width, picture.height, number)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: object, width: int) -> list[str]:
    rows, row = [], ""
    for char in text:
        if draw.textlength(row + char, font=font) > width and row:  # type: ignore[arg-type]
            cut = row.rfind(" ")
            if cut > 0 and char != " " and row[:cut].isascii():
                rows.append(row[:cut])
                row = row[cut + 1 :]
            else:
                rows.append(row)
                row = ""
        row += char
    return [r.strip() for r in (*rows, row) if r.strip()]


def _why(error: str) -> str:
    """PDFium's error, as a note a buyer understands."""
    if "password" in error.lower():
        return (
            "PDF 已加密（需要密码），无法显示页面；原件在 ZIP 中 / the PDF is password-protected, "
            "its pages cannot be shown; the original is in the ZIP"
        )
    return (
        "PDF 已损坏或格式无法识别，无法显示页面；原件在 ZIP 中 / the PDF is damaged or not "
        f"readable ({error}); the original is in the ZIP"
    )
