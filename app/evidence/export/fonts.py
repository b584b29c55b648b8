"""The bundled CJK font for PDFs and pack pages, and glyph coverage.

WenQuanYi Micro Hei (resources/fonts/wqy-microhei.ttc) has TrueType outlines, so reportlab
embeds it as a subset and pdftotext reads the Chinese back. Face 0 is the proportional font,
face 1 the monospaced one (used for hashes). reportlab silently drops characters a font lacks,
so every string goes through `printable` first: emoji and other missing characters become a
visible substitute instead of vanishing.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from importlib.resources import as_file, files
from pathlib import Path

from PIL import ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

SANS = "EDSans"
MONO = "EDMono"
SUBSTITUTE = "□"  # the font has it; one box per missing character (an emoji sequence is one)
_FONT_FILE = "wqy-microhei.ttc"
_lock = threading.Lock()
# Characters that only shape their neighbour: dropped when they follow a substituted character.
_JOINERS = re.compile(r"[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff\u20e3]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def font_path() -> Path:
    """The bundled font file on disk (inside the installed or frozen package)."""
    resource = files("resources") / "fonts" / _FONT_FILE
    with as_file(resource) as path:  # a real file for a normal install; extracted otherwise
        return Path(path)


def register_pdf_fonts() -> None:
    """Register the sans and mono faces with reportlab once per process (about 0.15 s)."""
    with _lock:
        if SANS in pdfmetrics.getRegisteredFontNames():
            return
        path = str(font_path())
        pdfmetrics.registerFont(TTFont(SANS, path, subfontIndex=0))
        pdfmetrics.registerFont(TTFont(MONO, path, subfontIndex=1))
        # <b>/<i> inside paragraphs must stay in this font, never fall back to Helvetica.
        pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS, italic=SANS, boldItalic=SANS)
        pdfmetrics.registerFontFamily(MONO, normal=MONO, bold=MONO, italic=MONO, boldItalic=MONO)


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    register_pdf_fonts()
    font = pdfmetrics.getFont(SANS)
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]


def missing_characters(text: str) -> set[str]:
    """Characters of `text` the font cannot draw (line breaks and tabs excepted)."""
    covered = _covered()
    return {ch for ch in text if ord(ch) not in covered and ch not in "\n\t\r"}


def printable(text: str) -> str:
    """`text` with every character the font lacks replaced by a visible box.

    An emoji written as a sequence (base + skin tone + variation selector + zero-width joiner +
    ...) becomes a single box. Control characters are removed; tabs become spaces.
    """
    if not text:
        return ""
    text = _CONTROL.sub("", text).replace("\t", "    ").replace("\r\n", "\n").replace("\r", "\n")
    covered = _covered()
    if all(ord(ch) in covered or ch == "\n" for ch in text):
        return text
    out: list[str] = []
    joined = False  # the previous character was a zero-width joiner inside a replaced sequence
    for ch in text:
        after_box = bool(out) and out[-1] == SUBSTITUTE
        if after_box and (joined or _JOINERS.match(ch)):
            joined = ch == "\u200d"  # the sequence goes on after a zero-width joiner
            continue
        joined = False
        out.append(ch if ch == "\n" or ord(ch) in covered else SUBSTITUTE)
    return "".join(out)


@lru_cache(maxsize=32)
def pil_font(size: int, mono: bool = False) -> ImageFont.FreeTypeFont:
    """The same font for Pillow (pack pages), at a pixel size."""
    return ImageFont.truetype(str(font_path()), size, index=1 if mono else 0)
