"""The PDF document: page furniture, bookmarks, two-pass build, metadata and the attachment.

The build runs twice. The first pass lays the story out on a canvas that draws no images and
writes nothing, to learn the page count and the first page of every section; the second pass
writes the PDF with "第 x 页 / 共 y 页" in every footer and the page numbers in the index. Headers
and footers are drawn when a page ends, so the header names the exhibit that page shows.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from app.evidence.export.fonts import MONO, SANS, printable
from app.evidence.export.pdf.embed import attach_file
from app.evidence.export.pdf.stream import draw_jpeg, stream_canvas
from app.evidence.export.pdf.styles import (
    FRAME_H,
    FRAME_W,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_H,
    PAGE_W,
    RULE,
)

# Pass JPEG bytes through without ASCII85 (25 % bigger, ~1 s per 4 MB image in pure Python).
rl_config.useA85 = 0


@dataclass(frozen=True)
class PdfMeta:
    """What the PDF says about itself: no path, user or machine name ever goes in here."""

    case_title: str
    bundle_hash: str
    exported_at: datetime  # aware; becomes CreationDate/ModDate
    author: str
    creator: str
    manifest: bytes


class SectionMark(Flowable):
    """A zero-size marker: the page it lands on gets a bookmark, an outline entry and a header."""

    def __init__(
        self, anchor: str, outline: str, header: str, level: int = 0, exhibit: bool = False
    ) -> None:
        super().__init__()
        self.anchor, self.outline, self.header, self.level, self.exhibit = (
            anchor,
            outline,
            header,
            level,
            exhibit,
        )

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        """Nothing to draw: the document reacts to the marker in afterFlowable."""


class PlacedImage(Flowable):
    """A JPEG file drawn at a fixed size; `window` shows one horizontal band of a tall image.

    Args:
        window: (full_height, offset) in points: the image is drawn `full_height` tall and the
            band starting `offset` below its top is shown through a clip of this flowable's height.
    """

    def __init__(
        self, path: str, width: float, height: float, window: tuple[float, float] | None = None
    ) -> None:
        super().__init__()
        self.path, self.width, self.height, self.window = path, width, height, window
        self.hAlign = "CENTER"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        if getattr(canvas, "dry_run", False):
            return
        if self.window is None:
            draw_jpeg(canvas, self.path, 0, 0, self.width, self.height)
            return
        full, offset = self.window
        canvas.saveState()
        clip = canvas.beginPath()
        clip.rect(0, 0, self.width, self.height)
        canvas.clipPath(clip, stroke=0, fill=0)
        draw_jpeg(canvas, self.path, 0, self.height + offset - full, self.width, full)
        canvas.restoreState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)


class Deferred(Flowable):
    """Stands for flowables made only when the layout reaches them (one exhibit at a time)."""

    def __init__(self, make: Callable[[], list[Flowable]]) -> None:
        super().__init__()
        self.make = make

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        """Never drawn: EvidenceDoc replaces it by what `make` returns."""


class _ClockStamp:
    """reportlab's TimeStamp interface, from the export clock instead of the machine's."""

    def __init__(self, moment: datetime) -> None:
        offset = moment.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        self.t = moment.timestamp()
        self.lt = moment.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh, self.dmm = int(minutes / 60), abs(minutes) % 60
        self.tzname = moment.tzname() or "UTC"


def _canvas_class(meta: PdfMeta | None) -> type[Canvas]:
    class EvidenceCanvas(Canvas):
        dry_run = meta is None

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if meta is not None:
                self._doc._timeStamp = _ClockStamp(meta.exported_at)
                stream_canvas(self, self._filename)

        def save(self) -> None:
            if meta is None:
                return  # the layout pass writes nothing
            attach_file(
                self,
                "manifest.json",
                meta.manifest,
                "application/json",
                f"EvidenceDesk manifest, SHA-256 {meta.bundle_hash}",
            )
            super().save()

    return EvidenceCanvas


class EvidenceDoc(BaseDocTemplate):
    """A4 pages: case title and exhibit in the header, page x of y and hash in the footer."""

    def __init__(
        self, out: BinaryIO, meta: PdfMeta, *, total: int, on_mark: Callable[[SectionMark], None]
    ) -> None:
        super().__init__(
            out,
            pagesize=(PAGE_W, PAGE_H),
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=f"电子证据链 Evidence chain – {printable(meta.case_title)}",
            author=meta.author,
            subject=f"EvidenceDesk evidence chain; bundle SHA-256 {meta.bundle_hash}",
            keywords=f"bundle-sha256:{meta.bundle_hash}",
            creator=meta.creator,
            initialFontName=SANS,
            lang="zh-CN",
            displayDocTitle=1,
        )
        self.meta, self.total, self.on_mark = meta, total, on_mark
        self.pages: dict[str, int] = {}
        self.header = ""
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            FRAME_W,
            FRAME_H,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate("page", [frame], onPageEnd=self._furniture)])

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        """Expand a Deferred into its flowables when the layout reaches it."""
        while flowables and isinstance(flowables[0], Deferred):
            flowables[0:1] = flowables[0].make()
        if flowables:
            super().handle_flowable(flowables)

    def afterFlowable(self, flowable: Flowable) -> None:
        """Bookmark, outline entry and header label for every section marker."""
        if isinstance(flowable, SectionMark):
            # XYZ, null zoom: jump to the page top, keep the reader's zoom (e-bundle convention).
            self.canv.bookmarkPage(flowable.anchor, fit="XYZ", left=0, top=PAGE_H)
            self.canv.addOutlineEntry(
                printable(flowable.outline), flowable.anchor, level=flowable.level
            )
            self.pages[flowable.anchor] = self.page
            self.header = flowable.header
            self.on_mark(flowable)

    def _furniture(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        y = PAGE_H - MARGIN_TOP + 9
        canvas.setFillColor(MUTED)
        canvas.setFont(SANS, 8)
        right = printable(self.header)
        left = _fit(
            printable(self.meta.case_title), SANS, 8, FRAME_W - stringWidth(right, SANS, 8) - 20
        )
        canvas.drawString(MARGIN_X, y, left)
        canvas.drawRightString(PAGE_W - MARGIN_X, y, right)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, y - 4, PAGE_W - MARGIN_X, y - 4)
        footer_y = MARGIN_BOTTOM - 24
        canvas.line(MARGIN_X, footer_y + 11, PAGE_W - MARGIN_X, footer_y + 11)
        total = self.total or self.page
        canvas.drawCentredString(PAGE_W / 2, footer_y, f"第 {self.page} 页 / 共 {total} 页")
        canvas.setFont(MONO, 7.5)
        canvas.drawString(MARGIN_X, footer_y, f"证据包哈希 {self.meta.bundle_hash[:16]}")
        canvas.setFont(SANS, 7.5)
        canvas.drawRightString(PAGE_W - MARGIN_X, footer_y, "EvidenceDesk 举证助手")
        canvas.restoreState()


def build_pdf(
    make_story: Callable[[dict[str, int], int], list[Flowable]],
    out: BinaryIO,
    meta: PdfMeta,
    on_mark: Callable[[SectionMark, bool], None],
) -> int:
    """Lay out once to count pages, then write; returns the page count.

    Args:
        make_story: builds a fresh story from (first page of each anchor, total pages); the first
            call gets ({}, 0).
        on_mark: called at every section marker with (marker, final_pass): progress and cancel.
    """
    layout = EvidenceDoc(io.BytesIO(), meta, total=0, on_mark=lambda m: on_mark(m, False))
    layout.build(make_story({}, 0), canvasmaker=_canvas_class(None))
    pages, total = dict(layout.pages), layout.page
    final = EvidenceDoc(out, meta, total=total, on_mark=lambda m: on_mark(m, True))
    final.build(make_story(pages, total), canvasmaker=_canvas_class(meta))
    return final.page


def _fit(value: str, font: str, size: float, width: float) -> str:
    if stringWidth(value, font, size) <= width:
        return value
    while value and stringWidth(value + "…", font, size) > width:
        value = value[:-1]
    return value + "…"
