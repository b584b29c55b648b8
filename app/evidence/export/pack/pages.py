"""The pages of an upload pack, planned first (so every page knows "x of y"), drawn one by one.

Order: cover, index (as many pages as the rows need: a dense index is split, never shrunk), the
privacy page (what was covered and left out, so the reviewer knows it was deliberate), then
each exhibit's pages (see `exhibit_pages`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

from app.evidence.export.assets import ExhibitAssets
from app.evidence.export.model import ExportInput, PackVideo
from app.evidence.export.pack.exhibit_pages import exhibit_pages
from app.evidence.export.pack.sheet import (
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
    moment_text,
    short_hash,
    short_time,
    source_text,
    verdict_label,
)
from app.evidence.privacy.summary import summary_lines

INDEX_ROW = 92


def plan_pages(
    inp: ExportInput,
    assets: Sequence[ExhibitAssets],
    bundle_hash: str,
    scale: float,
    videos: Mapping[int, PackVideo] | None = None,
) -> list[PageSpec]:
    """Every page of the pack, in order (`videos`: exhibit number -> its copy, for its page)."""
    pages = [
        PageSpec("封面 Cover", "cover", True, partial(_cover, inp=inp, bundle_hash=bundle_hash))
    ]
    per_page = int((Y1 - Y0 - 130) // INDEX_ROW)
    chunks = [list(assets[i : i + per_page]) for i in range(0, len(assets), per_page)] or [[]]
    for n, chunk in enumerate(chunks, start=1):
        pages.append(
            PageSpec(
                "目录 Index",
                f"index{n}",
                True,
                partial(_index, rows=chunk, part=n, parts=len(chunks)),
            )
        )
    if inp.privacy is not None:
        pages.append(PageSpec("隐私 Privacy", "privacy", True, partial(_privacy, inp=inp)))
    measure = Sheet(scale)
    for asset in assets:
        pages += exhibit_pages(asset, measure, (videos or {}).get(asset.exhibit.number))
    return pages


def _cover(sheet: Sheet, inp: ExportInput, bundle_hash: str) -> None:
    sheet.text(BASE_W / 2, 190, "电子证据链", 64, anchor="ma")
    sheet.text(BASE_W / 2, 280, "Evidence chain", 40, MUTED, anchor="ma")
    y = sheet.block(X0, 360, inp.info.title, 32, WIDTH, max_lines=2) + 30
    info = inp.info
    facts = [
        ("订单号 Order no.", info.order_no or "—"),
        ("纠纷类型 Dispute", info.dispute or "—"),
        *((f"{f.zh} {f.en}", f.value) for f in inp.facts),
        ("证据数量 Exhibits", str(len(inp.exhibits))),
        ("准备人 Prepared by", inp.preparer or "—"),
        ("导出时间 Exported", moment_text(inp.exported_at, info.timezone)),
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
        ("时间（来源） / 名称", X0 + 250),
        ("结论 / SHA-256", X0 + 800),
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
        when = short_time(e.time) if e.time else "无可信时间 undated"
        source = source_text(e.time).split(" / ")[0] if e.time else ""
        sheet.text(X0 + 250, y + 2, f"{when}  {source}", 22)
        title = e.title + (f" — {e.note.strip().splitlines()[0]}" if e.note.strip() else "")
        sheet.block(X0 + 250, y + 40, title, 22, 530, max_lines=1)
        sheet.text(X0 + 800, y + 2, verdict_label(e.verdict)[0], 22)
        sheet.text(X0 + 800, y + 42, short_hash(e.sha256, 16), 22, mono=True)
        y += INDEX_ROW
        sheet.rule(y - 12)


def _privacy(sheet: Sheet, inp: ExportInput) -> None:
    assert inp.privacy is not None
    sheet.text(X0, Y0, "隐私处理说明 Privacy and redaction", 40)
    y = Y0 + 80.0
    for zh, en in summary_lines(inp.privacy):
        y = sheet.block(X0, y, zh, 26, WIDTH)
        y = sheet.block(X0, y + 4, en, 21, WIDTH, fill=MUTED) + 24
