"""Pack pages of one exhibit: a caption block (number, title, time, full SHA-256, verdict, note)
with its picture; a phone screenshot beside its caption, cut between text lines when it is too
long to stay legible on one page; a video's keyframes and what became of its copy; a tracking
table continued over pages; a PDF receipt one page per page.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PIL import Image

from app.evidence.export.assets import ExhibitAssets
from app.evidence.export.images import cut_rows
from app.evidence.export.model import PackVideo
from app.evidence.export.pack.sheet import (
    ALERT,
    HIGHLIGHT,
    INK,
    MUTED,
    WIDTH,
    X0,
    X1,
    Y0,
    Y1,
    PageSpec,
    Sheet,
)
from app.evidence.export.receipts import MAX_PAGES, ReceiptPage
from app.evidence.export.tracking_table import TrackingRow, printed_rows
from app.evidence.export.wording import (
    UNDATED,
    kind_label,
    pair,
    size_text,
    source_text,
)
from app.evidence.models import ItemKind
from app.evidence.timeline.clock import clock_text

MIN_SHOT_SCALE = 0.55  # phone text (~40 px) stays >= 22 px: legible, and OCR reads it
SHOT_SHARE = 0.64  # most of the width a portrait screenshot may take beside its caption


def _caption(
    sheet: Sheet,
    asset: ExhibitAssets,
    x: float,
    y: float,
    width: float,
    draw: bool = True,
    video: PackVideo | None = None,
) -> float:
    """Number, title, time, hash, verdict, note; returns the y below (draw=False measures)."""
    e = asset.exhibit
    zh, en = kind_label(e.kind)
    if draw:
        sheet.text(x, y, e.label, 42)
        sheet.text(
            x + sheet.font(42).getlength(e.label) / sheet.scale + 16,
            y + 14,
            f"{zh} {en}",
            24,
            MUTED,
        )
    y += 62
    y = sheet.block(x, y, e.title, 28, width, max_lines=2, draw=draw) + 4
    when = clock_text(e.time, sheet.zone, seconds=True, language="zh", undated=pair(UNDATED))
    when += f"（{source_text(e.time)}）" if e.time else ""
    y = sheet.block(x, y, when, 22, width, max_lines=3, draw=draw, fill=MUTED)
    if e.item is not None:
        y = sheet.block(x, y, "SHA-256 " + e.item.sha256, 21, width, mono=True, draw=draw)
        shape = f"{e.item.original_name} · {size_text(e.item.size)}"
        y = sheet.block(x, y, shape, 21, width, max_lines=2, draw=draw, fill=MUTED)
    # no check result here: the reviewer's images show the evidence; the checks are in the PDF
    if asset.hash_ok is False:
        y = sheet.block(
            x,
            y,
            "！原件字节与记录的哈希不一致 / original changed",
            22,
            width,
            fill=ALERT,
            draw=draw,
        )
    if e.note:
        y = sheet.block(x, y + 4, f"备注：{e.note}", 24, width, max_lines=4, draw=draw)
    if asset.problem:
        y = sheet.block(x, y, asset.problem, 20, width, max_lines=3, draw=draw, fill=MUTED)
    if video is not None:
        # a re-encoded copy is flagged: the reviewer must not take it for the original
        fill = ALERT if video.reencoded else INK
        y = sheet.block(x, y + 4, video.note_zh, 22, width, max_lines=3, draw=draw, fill=fill)
        y = sheet.block(x, y, video.note_en, 19, width, max_lines=3, draw=draw, fill=MUTED)
    receipt = asset.receipt
    if receipt is not None and receipt.cut:
        cut = (
            f"只显示前 {MAX_PAGES} 页（共 {receipt.total} 页），完整原件在 ZIP 中 / "
            f"first {MAX_PAGES} of {receipt.total} pages shown; the full original is in the ZIP"
        )
        y = sheet.block(x, y, cut, 20, width, max_lines=3, draw=draw, fill=ALERT)
    return y + 14


def exhibit_pages(
    asset: ExhibitAssets, measure: Sheet, video: PackVideo | None = None
) -> list[PageSpec]:
    """The pages of one exhibit (a Sheet at the pack's scale measures text for the planning).

    Args:
        video: what became of a video exhibit's copy in the pack (said on its page).
    """
    e = asset.exhibit
    slug = f"E{e.number:03d}"
    if asset.picture is not None and e.kind is ItemKind.SCREENSHOT:
        return _screenshot_pages(asset, measure, slug)
    if asset.tracking is not None:
        return _tracking_pages(asset, measure, slug)
    if asset.receipt is not None:
        return _receipt_pages(asset, slug)
    text_only = asset.picture is None and not asset.frames
    return [PageSpec(e.label, slug, text_only, partial(_single, asset=asset, video=video))]


def _single(sheet: Sheet, asset: ExhibitAssets, video: PackVideo | None = None) -> None:
    y = _caption(sheet, asset, X0, Y0, WIDTH, video=video)
    if asset.picture is not None:
        _paste_fit(sheet, asset, X0, y, WIDTH, Y1 - y)
    elif asset.frames:
        _keyframes(sheet, asset, y)


def _receipt_pages(asset: ExhibitAssets, slug: str) -> list[PageSpec]:
    """The caption with the first page, then one pack page per receipt page."""
    receipt = asset.receipt
    assert receipt is not None
    label = asset.exhibit.label
    return [
        PageSpec(
            label if page.number == 1 else f"{label}（续）",
            f"{slug}-{page.number}" if len(receipt.pages) > 1 else slug,
            False,
            partial(_receipt_page, asset=asset, page=page),
        )
        for page in receipt.pages
    ]


def _receipt_page(sheet: Sheet, asset: ExhibitAssets, page: ReceiptPage) -> None:
    receipt = asset.receipt
    assert receipt is not None
    where = f"第 {page.number} 页 / 共 {receipt.total} 页  page {page.number} of {receipt.total}"
    if page.number == 1:
        y = _caption(sheet, asset, X0, Y0, WIDTH)
    else:
        y = sheet.block(
            X0, Y0, f"{asset.exhibit.label}（续）{asset.exhibit.title}", 28, WIDTH, max_lines=1
        )
    y = sheet.block(X0, y, where, 22, WIDTH, fill=MUTED) + 6
    _paste_file(sheet, page.path, X0, y, WIDTH, Y1 - y)


def _paste_fit(
    sheet: Sheet, asset: ExhibitAssets, x: float, y: float, width: float, height: float
) -> None:
    assert asset.picture is not None
    _paste_file(sheet, asset.picture.path, x, y, width, height)


def _paste_file(sheet: Sheet, path: Path, x: float, y: float, width: float, height: float) -> None:
    """A picture file fitted into the box (base pixels) and centred across it."""
    with Image.open(path) as im:
        scale = min(width / im.width, height / im.height) * sheet.scale
        size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
        im.draft("RGB", size)
        fitted = im.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    sheet.picture(fitted, x + (width - size[0] / sheet.scale) / 2, y)


def _keyframes(sheet: Sheet, asset: ExhibitAssets, y: float) -> None:
    frames = asset.frames
    columns = 4 if frames[0].height > frames[0].width else 3
    rows = -(-len(frames) // columns)
    cell_w = (WIDTH - 20 * (columns - 1)) / columns
    caption = 76
    frame_h = min(cell_w * frames[0].height / frames[0].width, (Y1 - y) / rows - caption)
    for n, frame in enumerate(frames):
        cx, cy = X0 + (n % columns) * (cell_w + 20), y + (n // columns) * (frame_h + caption)
        with Image.open(frame.path) as im:
            scale = min(cell_w / im.width, frame_h / im.height)
            size = (round(im.width * scale * sheet.scale), round(im.height * scale * sheet.scale))
            sheet.picture(im.convert("RGB").resize(size, Image.Resampling.LANCZOS), cx, cy)
        tag = "首帧 " if n == 0 else ("末帧 " if n == len(frames) - 1 else "")
        sheet.text(cx, cy + frame_h + 6, tag + frame.timecode, 22)
        if frame.barcode:
            sheet.text(cx, cy + frame_h + 36, f"条码 {frame.barcode}", 20, ALERT)


def _screenshot_pages(asset: ExhibitAssets, measure: Sheet, slug: str) -> list[PageSpec]:
    picture = asset.picture
    assert picture is not None and asset.activity is not None
    e = asset.exhibit
    portrait = picture.height >= picture.width
    column = WIDTH * SHOT_SHARE if portrait else WIDTH
    top = Y0 if portrait else _caption(measure, asset, X0, Y0, WIDTH, draw=False)
    height = Y1 - top
    scale = min(1.0, column / picture.width, height / picture.height)
    if scale < MIN_SHOT_SCALE:
        scale = min(1.0, column / picture.width, max(MIN_SHOT_SCALE, scale))
    bands = (
        cut_rows(asset.activity, int(height / scale))
        if picture.height * scale > height
        else [(0, picture.height)]
    )
    pages = []
    for n, band in enumerate(bands, start=1):
        draw = partial(
            _shot_band, asset=asset, band=band, scale=scale, part=(n, len(bands)), portrait=portrait
        )
        pages.append(
            PageSpec(
                e.label if n == 1 else f"{e.label}（续）",
                f"{slug}-{n}" if len(bands) > 1 else slug,
                False,
                draw,
            )
        )
    return pages


def _shot_band(
    sheet: Sheet,
    asset: ExhibitAssets,
    band: tuple[int, int],
    scale: float,
    part: tuple[int, int],
    portrait: bool,
) -> None:
    assert asset.picture is not None
    with Image.open(asset.picture.path) as im:
        crop = im.convert("RGB").crop((0, band[0], im.width, band[1]))
    size = (
        max(1, round(crop.width * scale * sheet.scale)),
        max(1, round(crop.height * scale * sheet.scale)),
    )
    shown = crop.resize(size, Image.Resampling.LANCZOS)
    n, total = part
    if portrait:
        sheet.picture(shown, X0, Y0)
        side_x = X0 + size[0] / sheet.scale + 30
        if n == 1:
            _caption(sheet, asset, side_x, Y0, X1 - side_x)
        else:
            sheet.block(side_x, Y0, f"{asset.exhibit.label}（续）", 30, X1 - side_x)
        if total > 1:
            sheet.block(
                side_x,
                Y1 - 60,
                f"第 {n} 段 / 共 {total} 段\npart {n} of {total}",
                22,
                X1 - side_x,
                fill=MUTED,
            )
        return
    y = _caption(sheet, asset, X0, Y0, WIDTH) if n == 1 else Y0
    sheet.picture(shown, X0, y)


def _tracking_pages(asset: ExhibitAssets, measure: Sheet, slug: str) -> list[PageSpec]:
    table = asset.tracking
    assert table is not None
    rows = printed_rows(table.rows)  # a line pasted without breaks continues on rows of its own
    pages: list[list[TrackingRow]] = [[]]
    y = _caption(measure, asset, X0, Y0, WIDTH, draw=False) + 50
    for row in rows:
        h = _row_height(measure, row)
        if y + h > Y1 and pages[-1]:
            pages.append([])
            y = Y0 + 60
        pages[-1].append(row)
        y += h
    specs = []
    for n, chunk in enumerate(pages, start=1):
        label = asset.exhibit.label if n == 1 else f"{asset.exhibit.label}（续）"
        specs.append(
            PageSpec(
                label,
                f"{slug}-{n}" if len(pages) > 1 else slug,
                True,
                partial(_tracking_page, asset=asset, rows=chunk, first=n == 1),
            )
        )
    return specs


def _row_height(sheet: Sheet, row: TrackingRow) -> float:
    return sheet.block(X0 + 330, 0, row.text, 22, WIDTH - 330, draw=False) + 12


def _tracking_page(
    sheet: Sheet, asset: ExhibitAssets, rows: list[TrackingRow], first: bool
) -> None:
    assert asset.tracking is not None
    if first:
        y = _caption(sheet, asset, X0, Y0, WIDTH)
        y = sheet.block(X0, y, asset.tracking.heading, 26, WIDTH) + 10
    else:
        y = (
            sheet.block(X0, Y0, f"{asset.exhibit.label}（续）{asset.tracking.heading}", 26, WIDTH)
            + 10
        )
    sheet.rule(y - 4)
    for row in rows:
        h = _row_height(sheet, row)
        if row.highlight:
            sheet.rect((X0 - 6, y - 4, X1 + 6, y + h - 8), fill=HIGHLIGHT)
        sheet.text(X0, y, row.time, 22, INK)
        sheet.text(X0 + 220, y, ("★ " if row.highlight else "") + row.status, 22, INK)
        sheet.block(X0 + 330, y, row.text, 22, WIDTH - 330)
        y += h
        sheet.rule(y - 6)
