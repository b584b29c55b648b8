"""Chronology, dispute checklist, appendix (hash list, limits of the checks, how to verify)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from app.evidence.export.model import ExportInput
from app.evidence.export.pdf.document import SectionMark
from app.evidence.export.pdf.styles import FRAME_W, grid, link, para
from app.evidence.export.wording import (
    CHECKS_LIMITS,
    NO_CHECKLIST,
    VERIFY_STEPS,
    size_text,
    source_text,
    time_text,
)

CHECKLIST_MARK = {
    "present": "✓ 已有",
    "manual": "✓ 已确认",
    "missing": "× 缺少",
    "optional": "○ 可选",
}


def chronology(inp: ExportInput) -> list[Flowable]:
    """The story in time order, one line per exhibit or event."""
    story: list[Flowable] = [
        PageBreak(),
        SectionMark("chronology", "时间线 Chronology", "时间线 Chronology"),
        para("时间线 Chronology", "h1"),
        Spacer(1, 2 * mm),
    ]
    if not inp.chronology:
        story.append(para("没有带可信时间的证据。No exhibit has a trusted time.", "body"))
        return story
    anchors = {e.label: e.anchor for e in inp.exhibits}
    rows: list[list[object]] = [
        [para(t, "cell_head") for t in ("时间 Time", "证据\nExhibit", "内容 What", "来源 Source")]
    ]
    for line in inp.chronology:
        label = (
            link(line.label, anchors[line.label], "cell_small")
            if line.label in anchors
            else para(line.label, "cell_small")
        )
        source = (
            source_text(line.time).split(" / ")[0]
            if line.time and line.source != "tracking"
            else "物流记录"
        )
        rows.append(
            [
                para(time_text(line.time), "cell_small"),
                label,
                para(line.text, "cell_small"),
                para(source, "cell_small"),
            ]
        )
    story.append(grid(rows, [36 * mm, 16 * mm, FRAME_W - 92 * mm, 40 * mm], header=True))
    return story


def checklist(inp: ExportInput) -> list[Flowable]:
    """What the dispute type asks for and what the bundle holds (placeholder without a profile)."""
    story: list[Flowable] = [
        PageBreak(),
        SectionMark("checklist", "举证清单 Checklist", "举证清单 Checklist"),
        para("举证清单 Evidence checklist", "h1"),
        Spacer(1, 2 * mm),
    ]
    if inp.checklist is None:
        story.append(para(f"{NO_CHECKLIST[0]}\n{NO_CHECKLIST[1]}", "body"))
        return story
    rows: list[list[object]] = [
        [
            para(t, "cell_head")
            for t in ("状态 Status", "平台通常要求 What is expected", "证据 Exhibits")
        ]
    ]
    for line in inp.checklist:
        what = f"{line.zh}\n{line.en}" + (f"\n{line.how_zh}" if line.how_zh else "")
        rows.append(
            [
                para(CHECKLIST_MARK.get(line.status, line.status), "cell"),
                para(what, "cell"),
                para("、".join(line.exhibits) or "—", "cell"),
            ]
        )
    story.append(grid(rows, [22 * mm, FRAME_W - 52 * mm, 30 * mm], header=True))
    return story


def appendix(
    inp: ExportInput, bundle_hash: str, archive_names: Sequence[str | None]
) -> list[Flowable]:
    """The hash list, what the checks cannot prove, and how to verify the bundle."""
    story: list[Flowable] = [
        PageBreak(),
        SectionMark("appendix", "附录 Appendix", "附录 Appendix"),
        para("附录 A　哈希清单 Manifest of hashes", "h1"),
        Spacer(1, 2 * mm),
    ]
    rows: list[list[object]] = [
        [
            para(t, "cell_head")
            for t in ("证据\nExhibit", "ZIP 中的文件 / 大小\nFile in the ZIP / size", "SHA-256")
        ]
    ]
    for e, name in zip(inp.exhibits, archive_names, strict=True):
        if e.item is None:
            continue
        rows.append(
            [
                link(e.label, e.anchor, "cell_small"),
                para(f"{name}\n{size_text(e.item.size)}", "cell_small"),
                para(e.item.sha256, "mono_small"),
            ]
        )
    # 64 mono digits at 7 pt are 269 pt wide: the column keeps every hash on one line.
    story.append(grid(rows, [16 * mm, FRAME_W - 16 * mm - 99 * mm, 99 * mm], header=True))
    story += [
        Spacer(1, 4 * mm),
        para("附录 B　检查能说明什么、不能说明什么 What the checks can and cannot show", "h2"),
    ]
    for zh, en in CHECKS_LIMITS:
        story.append(para(f"• {zh}\n  {en}", "body"))
    story += [Spacer(1, 2 * mm), para("附录 C　如何核验 How to verify", "h2")]
    for n, step in enumerate(VERIFY_STEPS):
        story.append(para(step, "body"))
        if n == 1:
            story.append(para(bundle_hash, "hash_big"))
    if inp.audit_head:
        label = para("导出时案件审计日志最新记录的哈希 Audit log head at export:", "small")
        story += [Spacer(1, 2 * mm), KeepTogether([label, para(inp.audit_head, "mono_small")])]
    return story
