"""The marks the window puts before a verdict or a finding are drawn, not shown as empty boxes:
each is in the font the app bundles (wqy-microhei, the window's font), or is one of the two
symbols Qt finds in every system font it falls back to (⚠ ℹ: DejaVu Sans on Linux, Segoe UI
Symbol on Windows). ❗ was in neither and showed as a box (issue 19, point 9)."""

from __future__ import annotations

from pathlib import Path

from PIL import ImageFont

from app.evidence import labels

FONT = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "wqy-microhei.ttc"
FALLBACK_SYMBOLS = {"⚠", "ℹ"}


def _drawn(font: ImageFont.FreeTypeFont, ch: str) -> bool:
    def shape(text: str) -> tuple[tuple[int, int], bytes]:
        mask = font.getmask(text)
        return mask.size, bytes(mask)

    return shape(ch) != shape("\ue000")  # a private-use point: the font's empty box


def test_every_mark_is_in_the_bundled_font_or_a_known_fallback() -> None:
    font = ImageFont.truetype(str(FONT), 32)
    marks = set(labels.SEVERITY_MARK.values()) | set(labels.VERDICT_MARK.values())
    missing = {m for m in marks if not _drawn(font, m)} - FALLBACK_SYMBOLS
    assert not missing, missing
    assert not _drawn(font, "❗")  # the check can fail: this one is not in the font
