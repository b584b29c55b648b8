"""Draw EvidenceDesk's application icon with Pillow and write it per platform.

Usage: .venv/bin/python scripts/app_icon.py [OUT_DIR]   (default resources/icons)

Writes app.png (512 px, Linux and the window icon), app.ico (16-256 px, Windows) and app.icns
(16-1024 px, macOS). The drawing is plain geometry (no font, no third-party artwork): a sheet of
paper with text lines, a folded corner and a red seal with a tick, on a blue rounded square. It
is EvidenceDesk's own artwork under the project's licence (see resources/icons/README.md). The
outputs are committed; run this again only when the drawing changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

REPO = Path(__file__).resolve().parents[1]
CANVAS = 1024
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
PNG_SIZE = 512

BLUE_TOP = (35, 104, 178)
BLUE_BOTTOM = (20, 62, 118)
PAPER = (250, 250, 246)
FOLD = (214, 220, 228)
LINE = (150, 162, 178)
SEAL = (200, 32, 46)


def _background(size: int) -> Image.Image:
    """A rounded square filled with a vertical blue gradient, transparent outside."""
    gradient = Image.new("RGBA", (size, size))
    draw = ImageDraw.Draw(gradient)
    for y in range(size):
        t = y / (size - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(BLUE_TOP, BLUE_BOTTOM, strict=True))
        draw.line([(0, y), (size, y)], fill=(*colour, 255))
    mask = Image.new("L", (size, size), 0)
    margin = size * 0.06
    ImageDraw.Draw(mask).rounded_rectangle(
        [margin, margin, size - margin, size - margin], radius=size * 0.2, fill=255
    )
    out = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    out.paste(gradient, (0, 0), mask)
    return out


def _sheet(icon: Image.Image) -> None:
    """The evidence sheet: paper with a soft shadow, a folded corner and lines of text."""
    s = icon.width / CANVAS
    left, top, right, bottom, fold = 250 * s, 170 * s, 720 * s, 850 * s, 130 * s
    outline = [
        (left, top),
        (right - fold, top),
        (right, top + fold),
        (right, bottom),
        (left, bottom),
    ]

    shadow = Image.new("RGBA", icon.size, (0, 0, 0, 0))
    ImageDraw.Draw(shadow).polygon(
        [(x + 14 * s, y + 18 * s) for x, y in outline], fill=(0, 0, 0, 90)
    )
    icon.alpha_composite(shadow.filter(ImageFilter.GaussianBlur(16 * s)))

    draw = ImageDraw.Draw(icon)
    draw.polygon(outline, fill=PAPER)
    draw.polygon([(right - fold, top), (right - fold, top + fold), (right, top + fold)], fill=FOLD)
    widths = [0.55, 0.85, 0.78, 0.85, 0.62, 0.80, 0.45]
    x0, usable = left + 60 * s, (right - left) - 120 * s
    for i, w in enumerate(widths):
        y = top + (170 + i * 80) * s
        if i == 0:
            draw.rounded_rectangle(
                [x0, y - 14 * s, x0 + usable * w, y + 14 * s], radius=14 * s, fill=BLUE_TOP
            )
        else:
            draw.rounded_rectangle(
                [x0, y - 10 * s, x0 + usable * w, y + 10 * s], radius=10 * s, fill=LINE
            )


def _seal(icon: Image.Image) -> None:
    """A round red seal with a white tick: the file checked out as an original."""
    s = icon.width / CANVAS
    cx, cy, r = 690 * s, 720 * s, 190 * s
    shadow = Image.new("RGBA", icon.size, (0, 0, 0, 0))
    ImageDraw.Draw(shadow).ellipse(
        [cx - r + 8 * s, cy - r + 14 * s, cx + r + 8 * s, cy + r + 14 * s], fill=(0, 0, 0, 100)
    )
    icon.alpha_composite(shadow.filter(ImageFilter.GaussianBlur(14 * s)))
    draw = ImageDraw.Draw(icon)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=SEAL)
    ring = r * 0.84
    draw.ellipse(
        [cx - ring, cy - ring, cx + ring, cy + ring], outline=PAPER, width=max(1, round(12 * s))
    )
    tick = [
        (cx - 0.48 * r, cy + 0.02 * r),
        (cx - 0.12 * r, cy + 0.36 * r),
        (cx + 0.50 * r, cy - 0.32 * r),
    ]
    draw.line(tick, fill=PAPER, width=max(2, round(46 * s)), joint="curve")
    for x, y in (tick[0], tick[2]):  # round caps
        half = 23 * s
        draw.ellipse([x - half, y - half, x + half, y + half], fill=PAPER)


def draw_icon(size: int = CANVAS) -> Image.Image:
    """The icon as an RGBA image of `size` pixels (drawn at that size, not scaled)."""
    icon = _background(size)
    _sheet(icon)
    _seal(icon)
    return icon


def write_icons(out_dir: Path) -> list[Path]:
    """Write app.png, app.ico and app.icns into out_dir; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    master = draw_icon(CANVAS)
    png, ico, icns = out_dir / "app.png", out_dir / "app.ico", out_dir / "app.icns"
    master.resize((PNG_SIZE, PNG_SIZE), Image.Resampling.LANCZOS).save(png, optimize=True)
    # small sizes are drawn at 256 and reduced by Pillow's ICO writer, which keeps them crisp enough
    draw_icon(256).save(ico, sizes=ICO_SIZES)
    master.save(icns)
    return [png, ico, icns]


def main(argv: list[str]) -> int:
    """Command-line entry: write the icons into argv[0] or resources/icons."""
    out_dir = Path(argv[0]) if argv else REPO / "resources" / "icons"
    for path in write_icons(out_dir):
        sys.stdout.write(f"{path} {path.stat().st_size} bytes\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
