"""Chronology, dispute checklist, appendix (hash list, limits of the checks, how to verify)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from app.evidence.disputes.states import OPTIONAL, check_state, needs_user
from app.evidence.export.model import ChronologyLine, ExportInput
from app.evidence.export.pdf.document import SectionMark
from app.evidence.export.pdf.styles import FRAME_W, grid, link, para
from app.evidence.export.tracking_table import CHRONOLOGY_CHARS, clip_text
from app.evidence.export.wording import (
    CHECKS_LIMITS,
    ENTERED_BY_USER,
    EVENT_KIND,
    NO_CHECKLIST,
    TIME_SOURCE,
    UNDATED,
    VERIFY_STEPS,
    date_value_text,
    kind_label,
    pair,
    size_text,
    source_text,
)
from app.evidence.timeline.clock import clock_text, zone_label

# the bundled font has no ✗: the PDF draws the same state with ×
FONT_SAFE_MARK = {"✗": "×"}


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
        [
            para(t, "cell_head")
            for t in (
                f"时间（{zone_label(inp.info.timezone, 'zh')}）\nTime "
                f"({zone_label(inp.info.timezone, 'en')})",
                "证据\nExhibit",
                "内容 What",
                "来源 Source",
            )
        ]
    ]
    for line in inp.chronology:
        label = (
            link(line.label, anchors[line.label], "cell_small")
            if line.label in anchors
            else para(line.label, "cell_small")
        )
        rows.append(
            [
                para(chronology_time(line, inp.info.timezone), "cell_small"),
                label,
                # one line of a story: a text pasted without breaks is cut (the exhibit has it all)
                para(clip_text(line.text, CHRONOLOGY_CHARS), "cell_small"),
                para(chronology_source(line), "cell_small"),
            ]
        )
    story.append(grid(rows, [36 * mm, 16 * mm, FRAME_W - 92 * mm, 40 * mm], header=True))
    return story


def checklist(inp: ExportInput) -> list[Flowable]:
    """ "My checklist": what the dispute type asks for and what the bundle holds, the items to
    check and the advice (placeholder without a profile). The user's own page: in the PDF only
    when asked for (`my_checklist`)."""
    story: list[Flowable] = [
        PageBreak(),
        SectionMark("checklist", "我的清单 My checklist", "我的清单 My checklist"),
        para("我的清单 My checklist", "h1"),
        para(
            "此部分是提交人自己的核对清单和检查结果，供提交人参考。\n"
            "This section is the submitter's own checklist and check results.",
            "small",
        ),
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
        optional = "" if line.required else f"{OPTIONAL.zh}"
        what = f"{line.zh}{optional}\n{line.en}{'' if line.required else OPTIONAL.en}"
        if needs_user(line.status) and line.detail_zh:
            what += f"\n{line.detail_zh}"
        if line.how_zh:
            what += f"\n{line.how_zh}"
        rows.append(
            [
                para(state_mark(line.status), "cell"),
                para(what, "cell"),
                para("、".join(line.exhibits) or "—", "cell"),
            ]
        )
    story.append(grid(rows, [26 * mm, FRAME_W - 56 * mm, 30 * mm], header=True))
    return story


def state_mark(status: str) -> str:
    """ "□ 待确认\n□ to confirm": the checklist state in the words of the timeline view."""
    words = check_state(status)
    zh, en = (FONT_SAFE_MARK.get(t[:1], t[:1]) + t[1:] for t in (words.zh, words.en))
    return f"{zh}\n{en}"


def chronology_time(line: ChronologyLine, zone_name: str | None = None) -> str:
    """The time in the case's zone (the column names the zone), the file's own value as a
    detail; a date the user typed as that date, with no invented time."""
    if line.time is None:
        return pair(UNDATED)
    if line.entered and line.date_only:
        return date_value_text(line.time.local.date())
    return clock_text(line.time, zone_name, zone=False, language="zh")


def chronology_source(line: ChronologyLine) -> str:
    """Where the line's time comes from; for an undated line, what the line is."""
    if line.entered:
        return pair(ENTERED_BY_USER, "\n")
    if line.time is None:
        if line.kind is not None:
            zh, en = kind_label(line.kind)
        else:
            zh, en = TIME_SOURCE.get(line.source, EVENT_KIND)
        return f"{zh}\n{en}"  # the time column already says "no trusted time"
    if line.source == "tracking":
        return pair(TIME_SOURCE["tracking"], "\n")
    return source_text(line.time).split(" / ")[0]


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
