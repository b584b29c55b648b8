"""Upload images drawn for the reviewer's screen, not for paper.

- A photo exhibit is the photo, as large as the preset's pixel limit allows, with a caption
  strip under it: "证据N · local time with the zone · the note's first line". Nothing else: no
  header, footer, hash or check result (those are in the PDF and the ZIP).
- Related photos may share one image as a 2-4 panel collage, each panel numbered ①-④ with
  its own caption line (still at least `MIN_TEXT_PX` high).
- Chat screenshots are stitched into tall images under the limit, cut between messages
  (the quietest rows, `images.cut_rows`), each exhibit's start marked by its caption. Where
  the next screenshot continues the last one with messages repeated (the user scrolled), and
  the pixels prove it (`ocr.stitch.seam`), the repeated stretch is shown once: the next one
  starts at the gap after it, its caption saying so. Otherwise it is shown whole.
- Tracking is a clean table, the sign-for line marked.

Everything here returns a PIL image for a long-edge limit; the writer encodes it under the
preset's byte limit (shrinking the limit when it must).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.evidence.export.assets import ExhibitAssets
from app.evidence.export.fonts import pil_font
from app.evidence.export.images import cut_rows, load_upright
from app.evidence.export.model import Exhibit
from app.evidence.export.tracking_table import printed_rows
from app.evidence.ocr.stitch import Seam, seam
from app.evidence.privacy.burn import picture_rects
from app.evidence.privacy.model import Redaction
from app.evidence.timeline.clock import clock_text, zone_label

log = logging.getLogger(__name__)

INK = (29, 29, 31)
MUTED = (95, 99, 104)
STRIP = (255, 255, 255)
RULE = (200, 204, 210)
MARK = (255, 236, 160)
CLOSERS = "，。、；：！？）」』”’》,.;:!?)"
MIN_TEXT_PX = 26  # caption text stays legible on a phone and for OCR
PANEL_NUMBERS = "①②③④"
SHOT_MAX_WIDTH = 1080  # phone screenshots keep their own text size
FIT_WHOLE = 1.25  # a screenshot up to this much taller than an image is narrowed to fit whole


def caption_text(e: Exhibit, zone: str | None, limit: int = 48) -> str:
    """ "证据3 · 2025年6月10日 02:12 北京时间（文件记录：…） · 颜色与商品页不符"."""
    when = clock_text(e.time, zone, language="zh") or "无可信时间"
    first = e.note.strip().splitlines()[0].strip() if e.note.strip() else ""
    if len(first) > limit:
        first = first[: limit - 1] + "…"
    return " · ".join(t for t in (e.label, when, first) if t)


def _font(px: int) -> ImageFont.FreeTypeFont:
    return pil_font(max(MIN_TEXT_PX, px))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """Lines of `text` no wider than `width`; the last one cut with "…" when it runs over."""
    lines: list[str] = []
    rest = text
    while rest and len(lines) < max_lines:
        n = len(rest)
        while n > 1 and font.getlength(rest[:n]) > width:
            n -= 1
        while n < len(rest) and rest[n] in CLOSERS:  # a comma never starts a line: it hangs
            n += 1
        lines.append(rest[:n])
        rest = rest[n:].lstrip()
    if rest and lines:
        last = lines[-1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


def strip_height(text: str, width: int, px: int, max_lines: int = 2) -> int:
    font = _font(px)
    lines = _wrap(text, font, width - 2 * _pad(px), max_lines)
    return _pad(px) * 2 + len(lines) * _line(px)


def _pad(px: int) -> int:
    return max(10, round(max(MIN_TEXT_PX, px) * 0.5))


def _line(px: int) -> int:
    return round(max(MIN_TEXT_PX, px) * 1.35)


def draw_strip(
    image: Image.Image,
    y: int,
    text: str,
    px: int,
    x: int = 0,
    width: int | None = None,
    max_lines: int = 2,
) -> int:
    """Write a caption strip at y (white band, dark text); returns the y below it."""
    width = image.width - x if width is None else width
    font = _font(px)
    lines = _wrap(text, font, width - 2 * _pad(px), max_lines)
    height = _pad(px) * 2 + len(lines) * _line(px)
    draw = ImageDraw.Draw(image)
    draw.rectangle((x, y, x + width, y + height), fill=STRIP)
    for n, line in enumerate(lines):
        draw.text((x + _pad(px), y + _pad(px) + n * _line(px)), line, font=font, fill=INK)
    return y + height


def caption_px(width: int) -> int:
    """Caption text size for an image `width` pixels wide."""
    return max(MIN_TEXT_PX, round(width / 42))


@dataclass(frozen=True)
class Shown:
    """A picture to show with its caption (a photo, or a panel of a collage)."""

    picture: Image.Image
    caption: str


def photo_picture(
    asset: ExhibitAssets, limit: int, redactions: Sequence[Redaction] = ()
) -> Image.Image:
    """The photo at up to `limit` px on its long edge, redactions filled; the preview when the
    original cannot be read again."""
    e = asset.exhibit
    if e.path is not None and e.path.is_file():
        try:
            return load_upright(Path(e.path), limit, limit, picture_rects(redactions))
        except Exception:  # noqa: BLE001 - the preview made earlier is the fallback
            pass
    assert asset.picture is not None
    with Image.open(asset.picture.path) as im:
        return im.convert("RGB")


def photo_image(shown: Shown, limit: int) -> Image.Image:
    """One photo filling the limit, its caption strip below."""
    pic = shown.picture
    scale = min(1.0, limit / max(pic.width, pic.height))
    width = max(1, round(pic.width * scale))
    px = caption_px(width)
    strip = strip_height(shown.caption, width, px)
    scale = min(scale, (limit - strip) / pic.height, limit / pic.width)
    size = (max(1, round(pic.width * scale)), max(1, round(pic.height * scale)))
    fitted = pic if size == pic.size else pic.resize(size, Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", (size[0], size[1] + strip_height(shown.caption, size[0], px)), STRIP)
    canvas.paste(fitted, (0, 0))
    draw_strip(canvas, size[1], shown.caption, px)
    return canvas


def collage_image(panels: Sequence[Shown], limit: int) -> Image.Image:
    """2-4 photos on one image (side by side for two, 2 x 2 for three or four), each numbered
    ①-④ on the photo and captioned under it."""
    n = len(panels)
    columns = 2
    rows = 1 if n == 2 else 2
    gap = max(8, limit // 200)
    cell_w = (limit - gap * (columns - 1)) // columns
    px = max(MIN_TEXT_PX, round(limit / 64))
    captions = [f"{PANEL_NUMBERS[i]} {p.caption}" for i, p in enumerate(panels)]
    strip = max(strip_height(c, cell_w, px) for c in captions)
    cell_h = (limit - gap * (rows - 1)) // rows - strip
    if n == 2:  # two landscape photos need less height than the square: keep the image compact
        need = max(round(cell_w * p.picture.height / p.picture.width) for p in panels)
        cell_h = min(cell_h, need)
    canvas = Image.new("RGB", (limit, rows * (cell_h + strip) + gap * (rows - 1)), STRIP)
    draw = ImageDraw.Draw(canvas)
    badge = _font(round(px * 1.6))
    for i, panel in enumerate(panels):
        cx = (i % columns) * (cell_w + gap)
        cy = (i // columns) * (cell_h + strip + gap)
        pic = panel.picture
        scale = min(cell_w / pic.width, cell_h / pic.height)
        size = (max(1, round(pic.width * scale)), max(1, round(pic.height * scale)))
        fitted = pic.resize(size, Image.Resampling.LANCZOS)
        canvas.paste(fitted, (cx + (cell_w - size[0]) // 2, cy + (cell_h - size[1]) // 2))
        mark = PANEL_NUMBERS[i]
        bx, by = cx + (cell_w - size[0]) // 2 + gap, cy + (cell_h - size[1]) // 2 + gap
        box = draw.textbbox((bx, by), mark, font=badge)
        draw.rectangle((box[0] - 6, box[1] - 6, box[2] + 6, box[3] + 6), fill=STRIP)
        draw.text((bx, by), mark, font=badge, fill=INK)
        draw_strip(canvas, cy + cell_h, captions[i], px, x=cx, width=cell_w)
    return canvas


@dataclass(frozen=True)
class ChatBand:
    """Rows top..bottom of one screenshot exhibit, and whether its caption comes first.

    `joined` names the exhibit above when this one continues it (their shared stretch is shown
    once, above, and this band starts after it).
    """

    asset: ExhibitAssets
    top: int
    bottom: int
    first: bool
    width: int = SHOT_MAX_WIDTH  # drawn this wide (a screenshot a little too tall is narrowed)
    joined: str = ""


def chat_seams(assets: Sequence[ExhibitAssets]) -> list[Seam | None]:
    """Per pair of consecutive screenshots (in the given order): their seam when the second
    continues the first and the pixels prove it, else None (both shown whole)."""
    seams: list[Seam | None] = []
    start = 0  # where the upper one's shown rows begin (after its own seam above)
    for upper, lower in zip(assets, assets[1:], strict=False):
        found = None
        if upper.picture is not None and lower.picture is not None:
            try:
                found = seam(upper.picture.path, lower.picture.path)
            except Exception:  # noqa: BLE001 - a picture that cannot be compared is kept whole
                log.debug("no seam between %s and %s", upper.exhibit.label, lower.exhibit.label)
        if found is not None and found.upper_row <= start:
            found = None  # the upper one would show nothing of its own: keep the lower whole
        seams.append(found)
        start = found.lower_row if found is not None else 0
    return seams


def chat_caption(band: ChatBand, zone: str | None) -> str:
    """A band's caption: the exhibit's caption at its start (saying which exhibit it continues
    when joined), "证据N（续）" on a later image."""
    e = band.asset.exhibit
    if not band.first:
        return f"{e.label}（续）"
    text = caption_text(e, zone)
    if band.joined:
        text = text.replace(e.label, f"{e.label}（接{band.joined}，重复部分只显示一次）", 1)
    return text


def plan_chat(
    assets: Sequence[ExhibitAssets],
    limit: int,
    zone: str | None,
    seams: Sequence[Seam | None] = (),
) -> list[list[ChatBand]]:
    """Screenshots cut between messages and packed, in order, into images no taller than
    `limit` (each a list of bands): a screenshot goes on in the room the last one left.

    `seams[i]` (from `chat_seams`) joins assets i and i + 1: the first ends at its seam row,
    the second starts at its own."""
    images: list[list[ChatBand]] = [[]]
    used = 0
    min_band = max(240, limit // 6)  # less room than this: the next image starts
    for k, asset in enumerate(assets):
        assert asset.picture is not None and asset.activity is not None
        above = seams[k - 1] if 0 < k <= len(seams) else None
        below = seams[k] if k < len(seams) else None
        start = above.lower_row if above is not None else 0
        end = below.upper_row if below is not None else len(asset.activity)
        joined = assets[k - 1].exhibit.label if above is not None else ""
        width = min(asset.picture.width, SHOT_MAX_WIDTH, limit)
        scale = width / asset.picture.width
        px = caption_px(width)
        first = ChatBand(asset, start, end, True, width, joined)
        head = strip_height(chat_caption(first, zone), width, px)
        more = strip_height(f"{asset.exhibit.label}（续）", width, px, 1)
        top, rows = start, end - start
        whole = head + rows * scale
        if limit < whole <= limit * FIT_WHOLE:  # a little too tall: narrowed, never cut
            width = max(1, int(width * (limit - head) / (rows * scale)))
            scale = width / asset.picture.width
            head = strip_height(chat_caption(first, zone), width, px)
        while top < end:
            caption = head if top == start else more
            room = limit - used - caption
            if images[-1] and room < min_band:
                images.append([])
                used = 0
                continue
            bottom = cut_rows(asset.activity[top:end], max(1, int(room / scale)))[0][1] + top
            images[-1].append(ChatBand(asset, top, bottom, top == start, width, joined))
            used += caption + round((bottom - top) * scale)
            top = bottom
    return [bands for bands in images if bands]


def chat_image(bands: Sequence[ChatBand], limit: int, zone: str | None) -> Image.Image:
    """One stitched chat image: each band under its caption (or "证据N（续）")."""
    pieces: list[tuple[str, Image.Image, int]] = []
    for band in bands:
        picture = band.asset.picture
        assert picture is not None
        with Image.open(picture.path) as im:
            crop = im.convert("RGB").crop((0, band.top, im.width, band.bottom))
        width = min(crop.width, band.width, limit)
        if width != crop.width:
            crop = crop.resize(
                (width, max(1, round(crop.height * width / crop.width))), Image.Resampling.LANCZOS
            )
        pieces.append((chat_caption(band, zone), crop, 2 if band.first else 1))
    width = max(p[1].width for p in pieces)
    heights = [strip_height(t, width, caption_px(width), m) + c.height for t, c, m in pieces]
    total = sum(heights)
    scale = min(1.0, limit / total)  # cut_rows keeps each under the limit; a rounding margin
    canvas = Image.new("RGB", (width, total), STRIP)
    y = 0
    draw = ImageDraw.Draw(canvas)
    for text, crop, lines in pieces:
        y = draw_strip(canvas, y, text, caption_px(width), max_lines=lines)
        canvas.paste(crop, ((width - crop.width) // 2, y))
        y += crop.height
        draw.line((0, y - 1, width, y - 1), fill=RULE, width=2)
    if scale < 1.0:
        canvas = canvas.resize((max(1, round(width * scale)), limit), Image.Resampling.LANCZOS)
    return canvas


def tracking_images(asset: ExhibitAssets, limit: int, zone: str | None) -> list[Image.Image]:
    """The tracking lines as a clean table (time, status, text), the sign-for line marked
    with a band and "★ 签收"; continued on further images when it is long."""
    table = asset.tracking
    assert table is not None
    width = min(limit, 1400)
    px = max(MIN_TEXT_PX, round(width / 48))
    font = _font(px)
    bold = _font(round(px * 1.1))
    line = _line(px)
    time_w = round(font.getlength("2025年12月31日 23:59") + px)
    status_w = round(font.getlength("★ 已签收") + px)
    text_w = width - time_w - status_w - 3 * _pad(px)
    rows = []
    for row in printed_rows(table.rows):
        wrapped = _wrap(row.text, font, text_w, 6) or [""]
        rows.append((row, wrapped, len(wrapped) * line + _pad(px)))
    head = caption_text(asset.exhibit, zone) + (f" · {table.heading}" if table.heading else "")
    images: list[Image.Image] = []
    start = 0
    while start < len(rows) or not images:
        title = head if not images else f"{asset.exhibit.label}（续）"
        top = strip_height(title, width, px) + line + _pad(px)
        used, end = top, start
        while end < len(rows) and used + rows[end][2] <= limit:
            used += rows[end][2]
            end += 1
        end = max(end, min(start + 1, len(rows)))
        canvas = Image.new("RGB", (width, max(used, top) + _pad(px)), STRIP)
        draw = ImageDraw.Draw(canvas)
        y = draw_strip(canvas, 0, title, px)
        x0, x1, x2 = _pad(px), _pad(px) + time_w, _pad(px) + time_w + status_w
        for x, name in ((x0, f"时间（{zone_label(zone, 'zh')}）"), (x1, "状态"), (x2, "物流信息")):
            draw.text((x, y), name, font=bold, fill=MUTED)
        y += line
        draw.line((0, y, width, y), fill=RULE, width=2)
        y += _pad(px) // 2
        for row, wrapped, height in rows[start:end]:
            if row.highlight:
                draw.rectangle((0, y - 4, width, y + height - _pad(px) + 4), fill=MARK)
            draw.text((x0, y), row.time, font=font, fill=INK)
            status = ("★ " if row.highlight else "") + row.status
            draw.text((x1, y), status, font=bold if row.highlight else font, fill=INK)
            for n, text in enumerate(wrapped):
                draw.text((x2, y + n * line), text, font=font, fill=INK)
            y += height
            draw.line((0, y - _pad(px) // 2, width, y - _pad(px) // 2), fill=RULE, width=1)
        images.append(canvas)
        start = end
        if not rows:
            break
    return images
