"""The cover (case summary, preparer, export date, bundle hash) and the linked index."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from app.evidence.export.assets import ExhibitAssets
from app.evidence.export.model import ExportInput, case_facts
from app.evidence.export.pdf.document import SectionMark
from app.evidence.export.pdf.privacy import cover_line
from app.evidence.export.pdf.styles import (
    BOX,
    FRAME_W,
    grid,
    link,
    markup,
    para,
    text,
)
from app.evidence.export.wording import (
    BUNDLE_HASH,
    BUNDLE_HASH_RULE,
    PRIVACY_EN,
    PRIVACY_ZH,
    TITLE,
    kind_label,
    one_line,
    short_hash,
    source_text,
)
from app.evidence.timeline.clock import MomentClockOptions, clock_text, moment_clock, zone_label

ROLE = {"buyer": "买家 buyer", "seller": "卖家 seller"}
# the zone row names it
PDF_CLOCK: MomentClockOptions = {"seconds": True, "zone": False, "language": "zh"}
INDEX_CHUNK = 30  # rows per table: long tables split faster in pieces


def cover(inp: ExportInput, bundle_hash: str) -> list[Flowable]:
    """The first page: what the case is, who prepared the bundle, when, and its hash."""
    info = inp.info
    kinds = Counter(kind_label(e.kind)[0] for e in inp.exhibits)
    counted = "，".join(f"{name} {n}" for name, n in kinds.items())
    order, dispute, *summary = case_facts(inp)
    facts: list[tuple[str, str]] = [("案件 Case", info.title)]
    facts += [(f"{zh} {en}", value) for zh, en, value in (order, dispute)]
    facts.append(("提交方 Submitted by", ROLE.get(info.role, info.role)))
    facts += [(f"{zh} {en}", value) for zh, en, value in summary]
    facts += [
        ("证据数量 Exhibits", f"{len(inp.exhibits)}（{counted}）" if counted else "0"),
        ("准备人 Prepared by", inp.preparer or "—"),
        (
            "时区 Time zone",
            f"{zone_label(info.timezone, 'zh')} / {zone_label(info.timezone, 'en')}"
            f"（{info.timezone or 'Asia/Shanghai'}）；本文件中的时间均按此时区显示 / "
            "every time in this document is shown in it",
        ),
        ("导出时间 Exported at", moment_clock(inp.exported_at, info.timezone, **PDF_CLOCK)),
        ("案件创建 Case created", moment_clock(info.created_at, info.timezone, **PDF_CLOCK)),
    ]
    rows = [[para(label, "label"), para(value, "body")] for label, value in facts]
    hash_box = grid(
        [
            [para(f"{BUNDLE_HASH[0]} {BUNDLE_HASH[1]} (SHA-256)", "label")],
            [para(bundle_hash, "hash_big")],
            [para(f"{BUNDLE_HASH_RULE[0]}\n{BUNDLE_HASH_RULE[1]}", "small")],
        ],
        [FRAME_W],
        extra=[("BACKGROUND", (0, 0), (-1, -1), BOX)],
    )
    return [
        SectionMark("cover", "封面 Cover", "封面 Cover"),
        Spacer(1, 18 * mm),
        para(f"{TITLE[0]}\n{TITLE[1]}", "cover_title"),
        para(info.title, "cover_sub"),
        grid(rows, [48 * mm, FRAME_W - 48 * mm]),
        Spacer(1, 8 * mm),
        hash_box,
        Spacer(1, 6 * mm),
        para(f"{PRIVACY_ZH}\n{PRIVACY_EN}", "small"),
        *cover_line(inp),
        para(
            "本文件由 EvidenceDesk（举证助手）离线生成；原件、哈希清单和核验方法见附录。\n"
            "Made offline by EvidenceDesk; originals, the hash list and how to verify "
            "are in the appendix.",
            "small",
        ),
    ]


def index(
    inp: ExportInput, assets: Sequence[ExhibitAssets], pages: Mapping[str, int]
) -> list[Flowable]:
    """One row per exhibit, linked to its first page (page numbers from the layout pass)."""
    widths = [16 * mm, 17 * mm, 36 * mm, FRAME_W - 107 * mm, 28 * mm, 10 * mm]
    head = [
        para(t, "cell_head")
        for t in (
            "证据\nExhibit",
            "类型\nKind",
            f"时间（{zone_label(inp.info.timezone, 'zh')}）\nTime (source)",
            "说明 Note",
            "SHA-256",
            "页\nPage",
        )
    ]
    story: list[Flowable] = [
        PageBreak(),
        SectionMark("index", "目录 Index", "目录 Index"),
        para("证据目录 Index of exhibits", "h1"),
        para(
            f"点击证据编号跳到该页。时间均为{zone_label(inp.info.timezone, 'zh')}；"
            "文件记录的其他时区写在括号中。\n"
            "Click an exhibit number to jump to it. "
            f"Times are {zone_label(inp.info.timezone, 'en')}; "
            "a zone the file recorded is in brackets.",
            "small",
        ),
        Spacer(1, 3 * mm),
    ]
    rows: list[list[object]] = []
    highlights: list[int] = []
    for n, asset in enumerate(assets):
        e = asset.exhibit
        zh, en = kind_label(e.kind)
        when = clock_text(e.time, inp.info.timezone, zone=False, language="zh")
        when = when or "无可信时间\nundated"
        source = source_text(e.time).split(" / ")[0] if e.time else ""
        title = one_line(e.title, 40)
        note = one_line(e.note, 70)
        rows.append(
            [
                link(e.label, e.anchor),
                para(f"{zh}\n{en}", "cell_small"),
                markup(f"{text(when)}<br/><font size=6.5>{text(source)}</font>", "cell_small"),
                markup(
                    text(title)
                    + (f"<br/><font color='#5f6368'>{text(note)}</font>" if note else ""),
                    "cell_small",
                ),
                para(short_hash(e.sha256, 16), "mono_small"),
                para(str(pages.get(e.anchor, "")), "cell_small"),
            ]
        )
        if asset.hash_ok is False:
            highlights.append(n)
    for start in range(0, max(1, len(rows)), INDEX_CHUNK):
        chunk = rows[start : start + INDEX_CHUNK]
        extra = [
            ("BACKGROUND", (0, i - start + 1), (-1, i - start + 1), "#fde7e9")
            for i in highlights
            if start <= i < start + INDEX_CHUNK
        ]
        story.append(grid([head, *chunk], widths, header=True, extra=extra))
    if not rows:
        story.append(para("此案件中没有证据。 The case has no exhibits.", "body"))
    return story
