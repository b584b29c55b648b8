"""A4-shaped pack pages: the cover and index (only with `--pack-cover`, see `front_pages`), and
the pages of exhibits that are not drawn as reviewer images (video keyframes when the slot takes
no video, PDF receipts; see `exhibit_pages`). `plan_pages` lays out the full A4 sequence (cover,
index, privacy, exhibits), used by the layout tests. Photos, chats and tracking go through
`plan.plan_reviewer` instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import partial

from app.evidence.export.assets import ExhibitAssets
from app.evidence.export.model import Exhibit, ExportInput, PackVideo, case_facts
from app.evidence.export.pack.exhibit_pages import exhibit_pages
from app.evidence.export.pack.sheet import (
    ALERT,
    BASE_W,
    BOX,
    LINK,
    MUTED,
    WIDTH,
    X0,
    X1,
    Y0,
    Y1,
    PageSpec,
    Sheet,
)
from app.evidence.export.wording import (
    kind_label,
    short_hash,
    source_text,
)
from app.evidence.privacy.summary import summary_lines
from app.evidence.timeline.clock import clock_text, moment_clock, zone_label

INDEX_ROW = 92
SUMMARY_ROW = 70


def plan_pages(
    inp: ExportInput,
    assets: Sequence[ExhibitAssets],
    bundle_hash: str,
    scale: float,
    videos: Mapping[int, PackVideo] | None = None,
    *,
    summary: bool = False,
    left_out: Sequence[Exhibit] = (),
    limit: int | None = None,
) -> list[PageSpec]:
    """Every page of the pack, in order (`videos`: exhibit number -> its copy, for its page).

    Args:
        summary: cover, index and privacy on one page (index rows that do not fit continue
            on index pages): for slots that take several images per upload.
        left_out: exhibits not in the pack (the summary names them).
        limit: the preset's total image count, said next to the left-out exhibits.
    """
    pages = _front_pages(inp, assets, bundle_hash, scale, summary, left_out, limit)
    measure = Sheet(scale, inp.info.timezone)
    for asset in assets:
        number = asset.exhibit.number
        pages += [
            replace(spec, exhibit=number)
            for spec in exhibit_pages(asset, measure, (videos or {}).get(number))
        ]
    return pages


def front_pages(
    inp: ExportInput,
    assets: Sequence[ExhibitAssets],
    bundle_hash: str,
    scale: float,
    left_out: Sequence[Exhibit],
    limit: int | None,
) -> list[PageSpec]:
    """The cover-and-index summary page (and its index continuations): only when the user
    asks for a cover (`--pack-cover`)."""
    return _front_pages(inp, assets, bundle_hash, scale, True, left_out, limit)


def _front_pages(
    inp: ExportInput,
    assets: Sequence[ExhibitAssets],
    bundle_hash: str,
    scale: float,
    summary: bool,
    left_out: Sequence[Exhibit],
    limit: int | None,
) -> list[PageSpec]:
    """Cover, index and privacy: one summary page (plus index pages when needed), or three."""
    per_page = int((Y1 - Y0 - 130) // INDEX_ROW)
    pages: list[PageSpec] = []
    rest = list(assets)
    if summary:
        measure = Sheet(scale, inp.info.timezone)
        shown = _summary(measure, inp, bundle_hash, rest, left_out, limit, draw=False)
        pages.append(
            PageSpec(
                "封面与目录 Cover and index",
                "summary",
                True,
                partial(
                    _summary_page,
                    inp=inp,
                    bundle_hash=bundle_hash,
                    rows=rest[:shown],
                    left_out=left_out,
                    limit=limit,
                ),
            )
        )
        rest = rest[shown:]
        if not rest:
            return pages
    else:
        pages.append(
            PageSpec("封面 Cover", "cover", True, partial(_cover, inp=inp, bundle_hash=bundle_hash))
        )
    chunks = [rest[i : i + per_page] for i in range(0, len(rest), per_page)] or [[]]
    for n, chunk in enumerate(chunks, start=1):
        pages.append(
            PageSpec(
                "目录 Index",
                f"index{n}",
                True,
                partial(_index, rows=chunk, part=n, parts=len(chunks)),
            )
        )
    if inp.privacy is not None and not summary:
        pages.append(PageSpec("隐私 Privacy", "privacy", True, partial(_privacy, inp=inp)))
    return pages


def _summary_page(
    sheet: Sheet,
    inp: ExportInput,
    bundle_hash: str,
    rows: Sequence[ExhibitAssets],
    left_out: Sequence[Exhibit],
    limit: int | None,
) -> None:
    _summary(sheet, inp, bundle_hash, rows, left_out, limit)


def _summary(
    sheet: Sheet,
    inp: ExportInput,
    bundle_hash: str,
    rows: Sequence[ExhibitAssets],
    left_out: Sequence[Exhibit],
    limit: int | None,
    draw: bool = True,
) -> int:
    """Cover, index and privacy on one page; returns how many index rows it holds."""
    y = sheet.block(X0, Y0, "电子证据链 Evidence chain", 40, WIDTH, draw=draw) + 4
    y = sheet.block(X0, y, inp.info.title, 28, WIDTH, max_lines=2, draw=draw) + 12
    for zh, en, value in case_facts(inp):
        if draw:
            sheet.fitted(X0, y + 3, f"{zh} {en}", 20, 300, MUTED)
        y = max(y + 34, sheet.block(X0 + 310, y, value, 22, WIDTH - 310, max_lines=3, draw=draw))
    if draw:
        sheet.fitted(X0, y + 6, f"证据包哈希 Bundle hash  {bundle_hash}", 20, WIDTH, mono=True)
    y += 44
    if left_out:
        labels = "、".join(e.label for e in left_out)
        count = f"平台最多 {limit} 张图片" if limit else "平台张数有限"
        count_en = f"the slot takes {limit} images" if limit else "the slot's image count"
        note = (
            f"未放入本图片包（{count}）：{labels}；全部证据见 PDF 证据链和原件 ZIP。\n"
            f"Not in this pack ({count_en}): {', '.join(e.label for e in left_out)}; "
            "every exhibit is in the PDF and the ZIP."
        )
        y = sheet.block(X0, y, note, 20, WIDTH, fill=ALERT, max_lines=4, draw=draw) + 6
    privacy: list[tuple[str, str]] = summary_lines(inp.privacy) if inp.privacy else []
    tail = Y1 - sum(_privacy_note(sheet, 0, zh, en, draw=False) for zh, en in privacy)
    tail -= 34 if privacy else 0
    if draw:
        sheet.rule(y)
    y += 10
    shown = 0
    for asset in rows:
        if y + SUMMARY_ROW > tail:
            break
        if draw:
            _summary_row(sheet, asset, y)
        y += SUMMARY_ROW
        shown += 1
    if privacy and draw:
        y = max(y, tail) + 4
        sheet.rule(y - 6)
        y = sheet.block(X0, y, "隐私处理 Privacy", 22, WIDTH, fill=MUTED) + 2
        for zh, en in privacy:
            y += _privacy_note(sheet, y, zh, en)
    return shown


def _privacy_note(sheet: Sheet, y: float, zh: str, en: str, draw: bool = True) -> float:
    """One privacy paragraph in small type; returns its height."""
    below = sheet.block(X0, y, zh, 18, WIDTH, fill=MUTED, draw=draw)
    return sheet.block(X0, below, en, 17, WIDTH, fill=MUTED, draw=draw) + 6 - y


def _summary_row(sheet: Sheet, asset: ExhibitAssets, y: float) -> None:
    e = asset.exhibit
    zh, en = kind_label(e.kind)
    if asset.hash_ok is False:
        sheet.rect((X0 - 6, y - 4, X1 + 6, y + SUMMARY_ROW - 10), fill=(253, 231, 233))
    sheet.fitted(X0, y, e.label, 28, 150, LINK)
    when = clock_text(e.time, sheet.zone, zone=False, language="zh") or "无可信时间 undated"
    sheet.fitted(X0 + 160, y + 2, f"{zh} {en} · {when}", 21, 560)
    title = e.title + (f" — {e.note.strip().splitlines()[0]}" if e.note.strip() else "")
    sheet.fitted(X0 + 160, y + 34, title, 20, 560, MUTED)
    sheet.fitted(X0 + 740, y + 34, short_hash(e.sha256, 16), 20, X1 - X0 - 740, MUTED, mono=True)
    sheet.rule(y + SUMMARY_ROW - 8)


def _cover(sheet: Sheet, inp: ExportInput, bundle_hash: str) -> None:
    sheet.text(BASE_W / 2, 190, "电子证据链", 64, anchor="ma")
    sheet.text(BASE_W / 2, 280, "Evidence chain", 40, MUTED, anchor="ma")
    y = sheet.block(X0, 360, inp.info.title, 32, WIDTH, max_lines=2) + 30
    info = inp.info
    facts = [
        *((f"{zh} {en}", value) for zh, en, value in case_facts(inp)),
        ("证据数量 Exhibits", str(len(inp.exhibits))),
        ("准备人 Prepared by", inp.preparer or "—"),
        ("导出时间 Exported", moment_clock(inp.exported_at, info.timezone, language="zh")),
    ]
    for label, value in facts:
        sheet.text(X0, y + 3, label, 22, MUTED)
        y = max(y + 40, sheet.block(X0 + 330, y, value, 26, WIDTH - 330, max_lines=3)) + 8
    y += 30
    sheet.rect((X0, y, X1, y + 190), fill=BOX)
    sheet.text(X0 + 20, y + 18, "证据包哈希 Bundle hash (SHA-256 of manifest.json)", 22, MUTED)
    sheet.text(BASE_W / 2, y + 70, bundle_hash, 26, mono=True, anchor="ma")
    sheet.block(
        X0 + 20,
        y + 120,
        "完整证据链 PDF、原件和 manifest.json 由提交人保存，可用 sha256sum 核验。\n"
        "The full PDF, the originals and manifest.json are kept by the submitter; "
        "verify with sha256sum.",
        20,
        WIDTH - 40,
        fill=MUTED,
    )


def _index(sheet: Sheet, rows: list[ExhibitAssets], part: int, parts: int) -> None:
    title = "证据目录 Index of exhibits" + (f"（{part}/{parts}）" if parts > 1 else "")
    sheet.text(X0, Y0, title, 40)
    y = Y0 + 80
    for heading, x in (
        ("证据 / 类型", X0),
        (f"时间（{zone_label(sheet.zone, 'zh')}） / 名称", X0 + 250),
        ("SHA-256", X0 + 800),
    ):
        sheet.text(x, y, heading, 20, MUTED)
    y += 40
    sheet.rule(y - 8)
    for asset in rows:
        e = asset.exhibit
        zh, en = kind_label(e.kind)
        if asset.hash_ok is False:
            sheet.rect((X0 - 6, y - 6, X1 + 6, y + INDEX_ROW - 14), fill=(253, 231, 233))
        sheet.text(X0, y, e.label, 30, LINK)
        sheet.text(X0, y + 42, f"{zh} {en}", 20, MUTED)
        when = clock_text(e.time, sheet.zone, zone=False, language="zh") or "无可信时间 undated"
        source = source_text(e.time).split(" / ")[0] if e.time else ""
        # every cell is fitted to its column: a long verdict or source shrinks, then is cut
        sheet.fitted(X0 + 250, y + 2, f"{when}  {source}", 22, 530)
        title = e.title + (f" — {e.note.strip().splitlines()[0]}" if e.note.strip() else "")
        sheet.block(X0 + 250, y + 40, title, 22, 530, max_lines=1)
        sheet.fitted(X0 + 800, y + 2, short_hash(e.sha256, 16), 22, X1 - X0 - 800, mono=True)
        y += INDEX_ROW
        sheet.rule(y - 12)


def _privacy(sheet: Sheet, inp: ExportInput) -> None:
    assert inp.privacy is not None
    sheet.text(X0, Y0, "隐私处理说明 Privacy and redaction", 40)
    y = Y0 + 80.0
    for zh, en in summary_lines(inp.privacy):
        y = sheet.block(X0, y, zh, 26, WIDTH)
        y = sheet.block(X0, y + 4, en, 21, WIDTH, fill=MUTED) + 24
