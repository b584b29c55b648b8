"""What an exhibit shows: a photo, a (sliced) screenshot, a video's keyframes, a tracking table,
a PDF receipt's pages."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from app.evidence.export.assets import ExhibitAssets
from app.evidence.export.images import cut_rows
from app.evidence.export.pdf.document import PlacedImage
from app.evidence.export.pdf.styles import FRAME_H, FRAME_W, HIGHLIGHT, grid, para
from app.evidence.export.tracking_table import printed_rows

PHONE_W = 300.0  # phone screenshots are shown this wide (~106 mm): chat text prints at ~10 pt
GAP = 6


def photo(asset: ExhibitAssets, max_height: float) -> list[Flowable]:
    """The photo at full frame width, or shorter when `max_height` says so."""
    picture = asset.picture
    assert picture is not None
    scale = min(FRAME_W / picture.width, max_height / picture.height)
    return [PlacedImage(str(picture.path), picture.width * scale, picture.height * scale)]


def screenshot_pages(asset: ExhibitAssets, first_height: float) -> list[list[Flowable]]:
    """The screenshot in page-sized bands cut between text lines.

    The first band is at most `first_height` tall.

    Phone screenshots are shown `PHONE_W` wide whatever their pixel width, so their text prints at
    a readable size; a long one continues on the next pages instead of being shrunk.
    """
    picture = asset.picture
    assert picture is not None and asset.activity is not None
    width = min(FRAME_W, PHONE_W) if picture.height >= picture.width else FRAME_W
    scale = width / picture.width
    first_px = int(first_height / scale)
    if picture.height <= first_px:
        return [[PlacedImage(str(picture.path), width, picture.height * scale)]]
    rest_px = int((FRAME_H - 24) / scale)
    top, bottom = cut_rows(asset.activity, first_px)[0]
    slices = [(top, bottom)] + [
        (a + bottom, b + bottom) for a, b in cut_rows(asset.activity[bottom:], rest_px)
    ]
    full = picture.height * scale
    pages: list[list[Flowable]] = []
    for n, (a, b) in enumerate(slices, start=1):
        image = PlacedImage(str(picture.path), width, (b - a) * scale, window=(full, a * scale))
        if n == 1:
            pages.append([image])
            continue
        caption = para(
            f"（续 continued）第 {n} 段 / 共 {len(slices)} 段 part {n} of {len(slices)}", "small"
        )
        pages.append([PageBreak(), caption, image])
    return pages


def receipt_pages(asset: ExhibitAssets, first_height: float | None) -> list[list[Flowable]]:
    """A PDF receipt's pages, each scaled to the frame with its number over it.

    Args:
        first_height: room for the first page below the exhibit's heading and details; None
            puts every page, the first included, on a page of its own.

    The number ("第 2 页 / 共 3 页") lets a reader citing the receipt name the page.
    """
    receipt = asset.receipt
    assert receipt is not None
    out: list[list[Flowable]] = []
    for page in receipt.pages:
        caption = para(
            f"第 {page.number} 页 / 共 {receipt.total} 页 page {page.number} of {receipt.total}",
            "small",
        )
        inline = page.number == 1 and first_height is not None
        room = first_height if inline and first_height is not None else FRAME_H - 24
        scale = min(FRAME_W / page.width, (room - 16) / page.height)
        image = PlacedImage(str(page.path), page.width * scale, page.height * scale)
        out.append([caption, image] if inline else [PageBreak(), caption, image])
    return out


def receipt_fits(asset: ExhibitAssets, room: float, share: float = 0.85) -> bool:
    """True when the first page, in `room`, is at least `share` of its size on a page alone."""
    receipt = asset.receipt
    assert receipt is not None and receipt.pages
    page = receipt.pages[0]
    alone = min(FRAME_W / page.width, (FRAME_H - 40) / page.height)
    return min(FRAME_W / page.width, (room - 16) / page.height) >= alone * share


def contact_sheet(asset: ExhibitAssets) -> list[Flowable]:
    """Keyframes in a grid, the timecode under each; frames with a readable barcode are marked."""
    frames = asset.frames
    portrait = frames[0].height > frames[0].width
    columns = 4 if portrait else 3
    cell_w = (FRAME_W - GAP * (columns - 1)) / columns
    rows: list[list[object]] = []
    row: list[object] = []
    for n, frame in enumerate(frames):
        scale = min((cell_w - 4) / frame.width, 180 / frame.height)
        tag = "首帧 first · " if n == 0 else ("末帧 last · " if n == len(frames) - 1 else "")
        cell: list[Flowable] = [
            PlacedImage(str(frame.path), frame.width * scale, frame.height * scale),
            para(f"{tag}{frame.timecode}", "caption"),
        ]
        if frame.barcode:
            cell.append(para(f"条码 barcode: {frame.barcode}", "caption_mark"))
        row.append(cell)
        if len(row) == columns:
            rows.append(row)
            row = []
    if row:
        rows.append(row + [""] * (columns - len(row)))
    sheet = grid(
        rows,
        [cell_w] * columns,
        box=False,
        extra=[
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("LINEBELOW", (0, 0), (-1, -1), 0, "#ffffff"),
        ],
    )
    return [
        para(
            "关键帧（按时间顺序，含首帧和末帧）Keyframes, in order, first and last included",
            "small",
        ),
        Spacer(1, 1 * mm),
        sheet,
    ]


def tracking(asset: ExhibitAssets) -> list[Flowable]:
    """Tracking events as a table, the sign-for line highlighted, the parser's flags under it."""
    table = asset.tracking
    assert table is not None
    widths = [30 * mm, 18 * mm, FRAME_W - 48 * mm]
    rows: list[list[object]] = [
        [
            para("时间 Time", "cell_head"),
            para("状态 Status", "cell_head"),
            para("物流信息 Tracking line", "cell_head"),
        ]
    ]
    extra: list[tuple[object, ...]] = []
    for n, row in enumerate(printed_rows(table.rows), start=1):
        status = f"★ {row.status}" if row.highlight else row.status
        rows.append(
            [para(row.time, "cell_small"), para(status, "cell_small"), para(row.text, "cell_small")]
        )
        if row.highlight:
            extra.append(("BACKGROUND", (0, n), (-1, n), HIGHLIGHT))
    story: list[Flowable] = [
        para(table.heading, "title"),
        Spacer(1, 1 * mm),
        grid(rows, widths, header=True, extra=extra),
        Spacer(1, 2 * mm),
    ]
    if not table.parsed:
        story.append(
            para(
                "物流文字未能自动识别，按原样列出。"
                "The text could not be parsed; lines are shown as pasted.",
                "small",
            )
        )
    for flag in table.flags:
        story.append(para(f"提示：{flag}", "small"))
    return story
