"""One section per exhibit: heading, what it shows, the note, the metadata box and findings.

A photo gets the height left once the heading and everything under it are measured, so the
exhibit stays on one page whenever the photo can still be shown at a fair size. A phone
screenshot is shown at a readable width with the metadata, findings and note beside it.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table, TableStyle

from app.evidence.export.assets import ExhibitAssets
from app.evidence.export.fonts import SANS
from app.evidence.export.model import Exhibit, ExportInput
from app.evidence.export.pdf.document import SectionMark
from app.evidence.export.pdf.media import (
    PHONE_W,
    contact_sheet,
    photo,
    receipt_fits,
    receipt_pages,
    screenshot_pages,
    tracking,
)
from app.evidence.export.pdf.styles import FRAME_H, FRAME_W, grid, markup, para, text
from app.evidence.export.receipts import MAX_PAGES
from app.evidence.export.wording import (
    NO_CHECKS,
    PRIVACY_EN,
    PRIVACY_ZH,
    SEVERITY,
    UNDATED,
    kind_label,
    pair,
    size_text,
    source_text,
    verdict_label,
)
from app.evidence.models import ItemKind
from app.evidence.timeline.clock import MomentClockOptions, clock_text, moment_clock

# the heading names the zone once per page
CLOCK: MomentClockOptions = {"zone": False, "language": "zh"}
WITHHELD = "\n（原文件名未导出 original name withheld）"
SIDE_GAP = 10.0
SIDE_W = FRAME_W - PHONE_W - SIDE_GAP


def exhibit_section(asset: ExhibitAssets, inp: ExportInput) -> list[Flowable]:
    """The pages of one exhibit."""
    e = asset.exhibit
    zone_name = inp.info.timezone
    head: list[Flowable] = [
        PageBreak(),
        SectionMark(e.anchor, f"{e.label} {e.title}", f"{e.label} · {e.title}", exhibit=True),
        *_heading(e, zone_name),
    ]
    if asset.hash_ok is False:
        head.append(
            para(
                "！原件的字节与导入时记录的 SHA-256 不一致：此文件在案件中被改动或损坏。\n"
                "! The original's bytes no longer match the SHA-256 recorded at import.",
                "alert",
            )
        )
    if asset.problem:
        head.append(para(asset.problem, "small"))
    if asset.receipt is not None and asset.receipt.cut:
        head.append(
            para(
                f"只显示前 {MAX_PAGES} 页（共 {asset.receipt.total} 页），完整原件在 ZIP 中。\n"
                f"The first {MAX_PAGES} of {asset.receipt.total} pages are shown; "
                "the full original is in the ZIP.",
                "alert",
            )
        )
    room = FRAME_H - _height(head, FRAME_W) - 10
    transcript = _transcript(e)
    if asset.picture is not None and e.kind is ItemKind.SCREENSHOT:
        # The side column is too narrow for a 64-digit hash on one line: it goes above, full width,
        # so it is never broken (a reader copies or searches for it).
        shown_head = head + [para(f"SHA-256 {e.sha256}", "mono"), Spacer(1, 2 * mm)]
        side = _details(e, zone_name, asset, compact=True, names_kept=inp.original_names)
        pages = screenshot_pages(asset, FRAME_H - _height(shown_head, FRAME_W) - 10)
        first = pages[0][-1]
        if asset.picture.height >= asset.picture.width and _height(side, SIDE_W) <= room - 20:
            row = Table([[first, side]], colWidths=[PHONE_W + SIDE_GAP, SIDE_W], hAlign="LEFT")
            # FONTNAME even without text cells: a Table sets its cell font on the canvas regardless.
            row.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), SANS),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                        ("TOPPADDING", (0, 0), (-1, -1), 0),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                    ]
                )
            )
            rest = [f for page in pages[1:] for f in page]
            return shown_head + [row] + rest + transcript
        return (
            head
            + [f for page in pages for f in page]
            + _details(e, zone_name, asset, names_kept=inp.original_names)
            + transcript
        )
    tail = _details(e, zone_name, asset, names_kept=inp.original_names) + transcript
    if asset.receipt is not None:
        # A receipt is read, not glanced at: its first page shares the exhibit's page only when
        # it keeps nearly its full size there (a till slip, a landscape invoice); otherwise the
        # details come first and every page gets a page of its own.
        first_room = room - _height(tail, FRAME_W) - 2
        if receipt_fits(asset, first_room):
            pages = receipt_pages(asset, first_room)
            return head + pages[0] + tail + [f for page in pages[1:] for f in page]
        return head + tail + [f for page in receipt_pages(asset, None) for f in page]
    if asset.picture is not None:
        body = photo(asset, max(room - _height(tail, FRAME_W) - 2, FRAME_H * 0.42))
    elif asset.frames:
        body = contact_sheet(asset)
    elif asset.tracking is not None:
        body = tracking(asset)
    else:
        body = []
    return head + body + tail


def _height(flowables: list[Flowable], width: float) -> float:
    """Height the flowables take at this width (a layout estimate; breaks and marks count 0)."""
    total = 0.0
    for flowable in flowables:
        if isinstance(flowable, PageBreak | SectionMark):
            continue
        total += (
            flowable.wrap(width, FRAME_H)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        )
    return total


def _heading(e: Exhibit, zone_name: str | None = None) -> list[Flowable]:
    zh, en = kind_label(e.kind)
    # the one place on the page that names the zone; the file's own value is a detail
    when = clock_text(e.time, zone_name, seconds=True, language="zh", undated=pair(UNDATED))
    when += f" · {source_text(e.time)}" if e.time else ""
    lines = [
        markup(
            f"{text(e.label)}<font size=11 color='#5f6368'>　{text(zh)} {text(en)}</font>", "h1"
        ),
        para(e.title, "title"),
        para(when, "small"),
    ]
    if e.time_note:
        lines.append(para(e.time_note, "small"))
    return [*lines, Spacer(1, 2 * mm)]


def _details(
    e: Exhibit, zone_name: str, asset: ExhibitAssets, compact: bool = False, names_kept: bool = True
) -> list[Flowable]:
    """Note, metadata box, checks and the privacy line; `compact` stacks labels over values.

    The user's note comes first, right under the picture: it is what the reviewer reads first.
    """
    story: list[Flowable] = [] if compact else [Spacer(1, 3 * mm)]
    note = [para("备注 Note", "h2"), para(e.note or "（无备注 no note）", "body")]
    if e.note:
        story += [*note, Spacer(1, 2 * mm)]
    if e.item is not None:
        rows = _metadata_rows(e, zone_name, names_kept)
        if compact:
            rows = [row for row in rows if row[0] != "SHA-256"]
            cells = [
                [
                    [
                        para(label.replace("\n", " "), "label"),
                        para(value, "mono_small" if style == "mono" else "cell_small"),
                    ]
                ]
                for label, value, style in rows
            ]
            story.append(grid(cells, [SIDE_W]))
        else:
            cells = [[para(label, "label"), para(value, style)] for label, value, style in rows]
            story.append(grid(cells, [30 * mm, FRAME_W - 30 * mm]))
    # the check results are the user's, not the reviewer's: in "my checklist" (opt-in)
    if not e.note:
        story += note
    if asset.picture is not None or asset.frames or asset.receipt is not None:
        story += [Spacer(1, 2 * mm), para(f"{PRIVACY_ZH} {PRIVACY_EN}", "small")]
    return story


def _transcript(e: Exhibit) -> list[Flowable]:
    if not e.transcript:
        return []
    return [
        para("聊天文字（OCR 识别，仅供参考）Chat text (OCR, for reference)", "h2"),
        grid([[para(line, "cell")] for line in e.transcript], [FRAME_W]),
    ]


def _metadata_rows(e: Exhibit, zone_name: str, names_kept: bool) -> list[tuple[str, str, str]]:
    item = e.item
    assert item is not None
    meta = item.metadata
    capture = clock_text(
        e.time, zone_name, seconds=True, zone=False, language="zh", undated=pair(UNDATED)
    )
    capture += f"\n{source_text(e.time)}" if e.time else ""
    if e.time and e.time.note:
        capture += f"\n{e.time.note}"
    if e.hint_time is not None:
        shown = clock_text(e.hint_time, zone_name, seconds=True, zone=False, language="zh")
        capture += f"\n文件时间（不可靠）file time, unreliable: {shown}"
    device = " ".join(str(v) for v in (meta.get("make"), meta.get("model")) if v) or "—"
    if meta.get("software"):
        device += f" · 软件 software: {meta['software']}"
    shape = str(item.format).upper()
    if meta.get("width") and meta.get("height"):
        shape += f" · {meta['width']}×{meta['height']} px"
    if meta.get("duration_ms"):
        shape += f" · {meta['duration_ms'] / 1000:.1f} s"
    if meta.get("video_codec"):
        shape += f" · {meta['video_codec']}" + (
            f" {meta['frame_rate']:g} fps" if meta.get("frame_rate") else ""
        )
    rows = [
        ("拍摄时间\nCapture time", capture, "cell"),
        ("设备 Device", device, "cell"),
        ("文件名 File name", item.original_name + ("" if names_kept else WITHHELD), "cell"),
        ("格式 Format", shape, "cell"),
        ("大小 Size", size_text(item.size), "cell"),
        ("SHA-256", item.sha256, "mono"),
        ("导入时间 Imported", moment_clock(item.imported_at, zone_name, **CLOCK), "cell"),
        ("文件时间 File time", moment_clock(item.file_mtime, zone_name, **CLOCK), "cell"),
    ]
    if meta.get("gps"):
        rows.append(
            (
                "位置 Location",
                "原件含 GPS 位置，为保护隐私未在此显示 / "
                "the original holds a GPS position, not shown here",
                "cell",
            )
        )
    if item.read_error:
        rows.append(("读取问题 Read issue", item.read_error, "cell"))
    return rows


def findings_section(e: Exhibit) -> list[Flowable]:
    """An exhibit's check results (verdict and findings), for the "my checklist" section."""
    return [para(e.label, "h2"), *_findings(e)[1:]]


def _findings(e: Exhibit) -> list[Flowable]:
    zh, en = verdict_label(e.verdict, e.findings)
    story: list[Flowable] = [
        para("完整性检查 Integrity checks", "h2"),
        para(f"结论：{zh} / Verdict: {en}", "body"),
    ]
    if e.verdict is None and not e.findings:
        story.append(para(f"{NO_CHECKS[0]}\n{NO_CHECKS[1]}", "small"))
    for f in e.findings:
        mark = SEVERITY.get(f.severity, "·")
        story.append(
            markup(
                f"[{text(mark)}] {text(f.title_zh)}"
                + (f"：{text(f.explanation_zh)}" if f.explanation_zh else "")
                + f"<br/><font color='#5f6368'>{text(f.title_en)}"
                + (f": {text(f.explanation_en)}" if f.explanation_en else "")
                + "</font>",
                "body",
            )
        )
        if f.false_positives_zh or f.false_positives_en:
            zh, en = f.false_positives_zh, f.false_positives_en
            story.append(para(f"可能误导的情况：{zh}\nWhen this misleads: {en}", "small"))
    return story
