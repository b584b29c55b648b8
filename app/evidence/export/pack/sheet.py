"""Drawing one pack page with Pillow: text in the bundled font, wrapping, pictures, furniture.

Pack pages are drawn directly rather than rasterised from the PDF: no PDF renderer ships with
the app (pypdfium2 and poppler are not dependencies), and drawing at the target pixel size lets
each page be laid out for its slot: text sizes are chosen in pixels so they stay legible after
the size cut. Sizes below are for a 1240 x 1754 page (A4 at 150 dpi) and scale with the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from app.evidence.export.fonts import pil_font, printable
from app.evidence.export.wording import KEPT_EN, KEPT_ZH, PRIVACY_EN, PRIVACY_ZH

BASE_W, BASE_H = 1240, 1754
MARGIN = 60
TOP = 96  # content starts below the header
BOTTOM = 130  # content ends above the footer
INK = (29, 29, 31)
MUTED = (95, 99, 104)
RULE = (200, 204, 210)
LINK = (11, 87, 208)
ALERT = (179, 38, 30)
HIGHLIGHT = (255, 243, 196)
BOX = (243, 245, 248)
X0, X1 = MARGIN, BASE_W - MARGIN
WIDTH = X1 - X0
Y0, Y1 = TOP + 14, BASE_H - BOTTOM
_TOKENS = re.compile(r"[A-Za-z0-9_\-.:/@#%+=~*&$'\"!?,;()\[\]]+|\s+|.", re.S)


def wrap(value: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Break text into lines no wider than `width` px: Latin words stay whole when they fit."""
    lines: list[str] = []
    for paragraph in printable(value).split("\n"):
        line = ""
        for token in _TOKENS.findall(paragraph):
            candidate = line + token
            if font.getlength(candidate) <= width:
                line = candidate
                continue
            if line.strip():
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line = candidate
            while len(line) > 1 and font.getlength(line) > width:
                cut = max(1, _fit(line, font, width))
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


def _fit(value: str, font: ImageFont.FreeTypeFont, width: float) -> int:
    low, high = 1, len(value)
    while low < high:
        mid = (low + high + 1) // 2
        if font.getlength(value[:mid]) <= width:
            low = mid
        else:
            high = mid - 1
    return low


@dataclass
class Sheet:
    """A page being drawn. Coordinates and sizes are in base pixels, scaled by `scale`."""

    scale: float
    zone: str | None = None  # the case's time zone: captions show times in it, the footer names it

    def __post_init__(self) -> None:
        self.width, self.height = round(BASE_W * self.scale), round(BASE_H * self.scale)
        self.image = Image.new("RGB", (self.width, self.height), "white")
        self.draw = ImageDraw.Draw(self.image)
        # (left, top, right, bottom, text) of every text line drawn, in page pixels: the layout's
        # own measurements, for checking that nothing runs past the margins
        self.lines: list[tuple[int, int, int, int, str]] = []

    def px(self, value: float) -> int:
        """A base-pixel length on this page."""
        return round(value * self.scale)

    def font(self, size: float, mono: bool = False) -> ImageFont.FreeTypeFont:
        """The bundled font at a base-pixel size."""
        return pil_font(max(8, self.px(size)), mono)

    def text(
        self,
        x: float,
        y: float,
        value: str,
        size: float,
        fill: tuple[int, int, int] = INK,
        mono: bool = False,
        anchor: str = "la",
    ) -> None:
        """One line of text with its top-left (or `anchor`) at x, y."""
        self._line((self.px(x), self.px(y)), printable(value), self.font(size, mono), fill, anchor)

    def fitted(
        self,
        x: float,
        y: float,
        value: str,
        size: float,
        width: float,
        fill: tuple[int, int, int] = INK,
        mono: bool = False,
        min_size: float = 16,
    ) -> None:
        """One line no wider than `width`: a smaller size first, then cut with "…"."""
        value = printable(value)
        while size > min_size and self.font(size, mono).getlength(value) > self.px(width):
            size -= 1
        font = self.font(size, mono)
        if font.getlength(value) > self.px(width):
            value = value[: max(0, _fit(value + "…", font, self.px(width)) - 1)] + "…"
        self._line((self.px(x), self.px(y)), value, font, fill, "la")

    def _line(
        self,
        at: tuple[int, int],
        value: str,
        font: ImageFont.FreeTypeFont,
        fill: tuple[int, int, int],
        anchor: str = "la",
    ) -> None:
        self.draw.text(at, value, font=font, fill=fill, anchor=anchor)
        if value.strip():
            left, top, right, bottom = self.draw.textbbox(at, value, font=font, anchor=anchor)
            self.lines.append((int(left), int(top), int(right), int(bottom), value))

    def block(
        self,
        x: float,
        y: float,
        value: str,
        size: float,
        width: float,
        *,
        fill: tuple[int, int, int] = INK,
        mono: bool = False,
        max_lines: int | None = None,
        leading: float = 1.4,
        draw: bool = True,
    ) -> float:
        """Wrapped text; returns the y below it (base pixels). With draw=False it only measures."""
        font = self.font(size, mono)
        lines = wrap(value, font, self.px(width))
        if max_lines is not None and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = lines[-1][: max(0, len(lines[-1]) - 1)] + "…"
        for line in lines:
            if draw:
                self._line((self.px(x), self.px(y)), line, font, fill)
            y += size * leading
        return y

    def rule(
        self,
        y: float,
        x0: float = MARGIN,
        x1: float = BASE_W - MARGIN,
        fill: tuple[int, int, int] = RULE,
    ) -> None:
        """A thin horizontal line."""
        self.draw.line(
            [(self.px(x0), self.px(y)), (self.px(x1), self.px(y))],
            fill=fill,
            width=max(1, self.px(1.5)),
        )

    def rect(
        self,
        box: tuple[float, float, float, float],
        fill: tuple[int, int, int] | None = None,
        outline: tuple[int, int, int] | None = None,
    ) -> None:
        """A rectangle (x0, y0, x1, y1) in base pixels."""
        self.draw.rectangle(
            tuple(self.px(v) for v in box), fill=fill, outline=outline, width=max(1, self.px(1.5))
        )

    def picture(self, picture: Image.Image, x: float, y: float) -> None:
        """Paste a picture already sized in page pixels at base position x, y."""
        self.image.paste(picture, (self.px(x), self.px(y)))

    def furniture(
        self,
        case_title: str,
        label: str,
        page: int,
        total: int,
        bundle_hash: str,
        kept: bool = False,
    ) -> None:
        """Header (case, section), footer (privacy line, page x of y, bundle hash).

        Args:
            kept: the page carries its original's metadata (the user opted in): said instead of
                "metadata removed".
        """
        self.text(MARGIN, 40, _clip(case_title, 40), 22, MUTED)
        self.text(BASE_W - MARGIN, 40, label, 22, MUTED, anchor="ra")
        self.rule(76)
        self.rule(BASE_H - 112)
        zh, en = (KEPT_ZH, KEPT_EN) if kept else (PRIVACY_ZH, PRIVACY_EN)
        self.text(BASE_W / 2, BASE_H - 100, zh, 19, MUTED, anchor="ma")
        self.text(BASE_W / 2, BASE_H - 74, en, 19, MUTED, anchor="ma")
        self.text(MARGIN, BASE_H - 44, f"证据包哈希 {bundle_hash[:16]}", 19, MUTED, mono=True)
        self.text(BASE_W / 2, BASE_H - 44, f"第 {page} 页 / 共 {total} 页", 21, INK, anchor="ma")
        self.text(BASE_W - MARGIN, BASE_H - 44, "EvidenceDesk 举证助手", 19, MUTED, anchor="ra")


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


@dataclass(frozen=True)
class PageSpec:
    """One page to draw: `slug` names its file, `text_only` pages may be saved as PNG.

    Attributes:
        exhibit: the number of the exhibit the page shows (None: cover, index, privacy).
    """

    label: str
    slug: str
    text_only: bool
    draw: Callable[[Sheet], None] | None
    exhibit: int | None = None
    # an image drawn for the reviewer's screen at a long-edge limit (photo, collage, chat,
    # tracking): no page furniture; `draw` is None then
    render: Callable[[int], Image.Image] | None = None
    exhibits: tuple[int, ...] = ()  # every exhibit the image shows (a collage shows several)
