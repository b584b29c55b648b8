"""PDF receipts (an invoice, a repair receipt) as page images for the PDF and the upload packs.

Platforms take images, and a reviewer should read the receipt where it is cited, so each page is
rendered with PDFium (pypdfium2, a wheel: nothing to install) into a clean JPEG, like a photo's
preview: pixels only, none of the PDF's own metadata (author, producer, XMP), accepted page
regions filled. At most `MAX_PAGES` pages are drawn, and the exhibit says so when there are more;
the complete original is in the ZIP. An encrypted or damaged PDF gives a plain note on its
exhibit instead of pages, never a failed export.

Page regions (`Redaction.page`, 1-based) are in PDF points of the upright page (1/72 inch: the
page at 72 dpi), so they stay valid whatever resolution a copy is rendered at. `page_preview`
draws one page for the window's redaction canvas in that same space (`PagePreview.size`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps

from app.evidence.errors import InputError
from app.evidence.export.images import save_clean_jpeg
from app.evidence.privacy.burn import boxes_for, burn
from app.evidence.privacy.model import Redaction

log = logging.getLogger(__name__)

MAX_PAGES = 20
PAGE_PX = 1600  # long edge: A4 at ~140 dpi, receipt text of 8 pt stays legible
PAGE_QUALITY = 85
EDGE = (150, 150, 150)
# PDFium is not thread-safe: the export's preview pool renders one document at a time
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
        ReceiptError: the PDF is encrypted with a password, damaged, or has no page.
    """
    with _opened(src) as (document, total):
        index = min(max(number, 1), total) - 1
        page = document[index]
        try:
            width, height = page.get_size()
            scale = long_edge / max(width, height, 1.0)
            picture = page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
        finally:
            page.close()
    size = (max(1, round(width)), max(1, round(height)))
    return PagePreview(picture, size, index + 1, total)


def render_receipt(
    src: Path, work: Path, stem: str, redactions: tuple[Redaction, ...] = ()
) -> RenderedReceipt:
    """Render the first MAX_PAGES pages of a PDF into `work` as `{stem}-p01.jpg`, ...

    Raises:
        ReceiptError: the PDF is encrypted with a password, damaged, or has no page.
    """
    with _opened(src) as (document, total):
        pages, filled = [], []
        for index in range(min(total, MAX_PAGES)):
            page, used = _render_page(
                document, index, work / f"{stem}-p{index + 1:02d}.jpg", redactions
            )
            pages.append(page)
            filled += used
    return RenderedReceipt(tuple(pages), total, tuple(filled))


@contextmanager
def _opened(src: Path) -> Iterator[tuple[pdfium.PdfDocument, int]]:
    """The document and its page count, under PDFium's lock; PDFium's errors as ReceiptError."""
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(str(src))
        except pdfium.PdfiumError as exc:
            raise ReceiptError(_why(str(exc)), str(src)) from exc
        try:
            total = len(document)
            if total < 1:
                raise ReceiptError("PDF 没有页面 / the PDF has no pages", str(src))
            yield document, total
        except pdfium.PdfiumError as exc:
            raise ReceiptError(_why(str(exc)), str(src)) from exc
        finally:
            document.close()


def _render_page(
    document: pdfium.PdfDocument, index: int, dest: Path, redactions: tuple[Redaction, ...]
) -> tuple[ReceiptPage, list[int]]:
    page = document[index]
    try:
        width, height = page.get_size()  # points, with the page's /Rotate applied
        scale = PAGE_PX / max(width, height, 1.0)
        bitmap = page.render(scale=scale, may_draw_forms=True)
        picture = bitmap.to_pil().convert("RGB")
    finally:
        page.close()
    regions = [r for r in redactions if r.applied and r.rect is not None and r.page == index + 1]
    if regions:
        source = (max(1, round(width)), max(1, round(height)))
        burn(picture, boxes_for([r.rect for r in regions if r.rect], source, picture.size, pad=1))
    # a hairline edge: a white page on a white sheet must still show where the receipt ends
    picture = ImageOps.expand(picture, border=2, fill=EDGE)
    save_clean_jpeg(picture, dest, quality=PAGE_QUALITY, text=True)
    return ReceiptPage(dest, picture.width, picture.height, index + 1), [r.id for r in regions]


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
