"""Page geometry, paragraph styles and safe text for the evidence-chain PDF.

Every string that reaches a Paragraph goes through `text()`: characters the font lacks become a
visible box, markup characters are escaped (a note may contain "<" or "&"), and line breaks are
kept. Every style uses the bundled font, so the PDF never references an unembedded font.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from app.evidence.export.fonts import MONO, SANS, printable, register_pdf_fonts

PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 18 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM

INK = colors.HexColor("#1d1d1f")
MUTED = colors.HexColor("#5f6368")
RULE = colors.HexColor("#c8ccd2")
BOX = colors.HexColor("#f3f5f8")
ALERT = colors.HexColor("#b3261e")
HIGHLIGHT = colors.HexColor("#fff3c4")
LINK = colors.HexColor("#0b57d0")

register_pdf_fonts()


def _style(name: str, size: float, leading: float | None = None, **extra: object) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=extra.pop("fontName", SANS),
        fontSize=size,
        leading=leading or size * 1.35,  # type: ignore[arg-type]
        textColor=extra.pop("textColor", INK),
        wordWrap="CJK",
        **extra,  # type: ignore[arg-type]
    )


STYLES: dict[str, ParagraphStyle] = {
    "cover_title": _style("cover_title", 26, 34, alignment=TA_CENTER, spaceAfter=6),
    "cover_sub": _style("cover_sub", 12, 18, alignment=TA_CENTER, textColor=MUTED, spaceAfter=18),
    "h1": _style("h1", 16, 21, spaceAfter=2),
    "h2": _style("h2", 12, 16, spaceBefore=8, spaceAfter=4),
    "title": _style("title", 11, 15),
    "body": _style("body", 9.5, 13.5),
    "small": _style("small", 8, 11, textColor=MUTED),
    "cell": _style("cell", 8.5, 11.5),
    "cell_small": _style("cell_small", 7.5, 10),
    "cell_head": _style("cell_head", 8, 11, textColor=MUTED),
    "label": _style("label", 8.5, 11.5, textColor=MUTED),
    "mono": _style("mono", 8, 10.5, fontName=MONO),
    "mono_small": _style("mono_small", 7, 9, fontName=MONO),
    "hash_big": _style("hash_big", 10.5, 14, fontName=MONO, alignment=TA_CENTER),
    "alert": _style("alert", 9.5, 13.5, textColor=ALERT),
    "caption": _style("caption", 8, 10.5, alignment=TA_CENTER),
    "caption_mark": _style("caption_mark", 7.5, 10, alignment=TA_CENTER, textColor=ALERT),
}


class Para(Paragraph):
    """A Paragraph that remembers its line breaks for the last width it was wrapped at.

    Tables wrap every cell at least twice (to size the rows, then to draw them) and the exhibit
    layout measures before it places: CJK line breaking in pure Python is the PDF's main cost,
    and this halves it. State kept is exactly what Paragraph.wrap sets.
    """

    _memo: tuple[float, tuple[Any, ...]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        memo = self._memo
        if memo is not None and memo[0] == availWidth:
            self.width, self._wrapWidths, self.blPara, self.height = memo[1]
            return self.width, self.height
        result = super().wrap(availWidth, availHeight)
        if availWidth >= 1e-8:
            self._memo = (availWidth, (self.width, self._wrapWidths, self.blPara, self.height))
        return result


def text(value: object) -> str:
    """Paragraph markup for plain text: missing glyphs boxed, markup escaped, lines kept."""
    return escape(printable("" if value is None else str(value))).replace("\n", "<br/>")


def para(value: object, style: str = "body") -> Paragraph:
    """A paragraph of plain text in one of `STYLES`."""
    return Para(text(value), STYLES[style])


def markup(raw: str, style: str = "body") -> Paragraph:
    """A paragraph whose markup the caller built from `text()` pieces."""
    return Para(raw, STYLES[style])


def link(label: str, anchor: str, style: str = "cell") -> Paragraph:
    """A paragraph that jumps to a named destination inside the PDF."""
    return Para(f'<a href="#{anchor}" color="{LINK.hexval()}">{text(label)}</a>', STYLES[style])


def grid(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header: bool = False,
    box: bool = True,
    extra: Sequence[tuple[Any, ...]] | None = None,
) -> Table:
    """A table in the house look: thin rules, light box, top-aligned cells; splits across pages."""
    style: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    ]
    if box:
        style.append(("BOX", (0, 0), (-1, -1), 0.6, RULE))
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), BOX))
    style.extend(extra or [])
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table
