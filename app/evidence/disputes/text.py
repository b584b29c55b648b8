"""The plain-text `evidence-desk timeline CASE` view: Chinese labels, local times, exhibits.

One line per entry (local time in the case's zone, phase, exhibit number, what it is, where
the time came from), then its note, manual time, flags; then the undated lane, what needs a
look, the checklist, deadlines, rounds and wording hints.
"""

from __future__ import annotations

from datetime import date

from app.evidence.disputes.model import CHECK_RULES_ZH, Citation, Deadline
from app.evidence.disputes.overview import CaseOverview, case_overview
from app.evidence.disputes.rounds import SUBMISSION_KINDS
from app.evidence.disputes.summary import CLAIMS
from app.evidence.models import CaptureTime
from app.evidence.store.case import Case
from app.evidence.timeline.model import Timeline, TimelineEntry
from app.evidence.timeline.times import fmt_local, fmt_offset

SOURCE_ZH = {
    "exif": "EXIF",
    "quicktime": "QuickTime",
    "container": "视频容器",
    "xmp": "XMP",
    "png_text": "PNG 文本",
    "ocr": "截图识别",
    "tracking": "物流记录",
    "manual": "手动",
    "file_time": "文件时间",
    "none": "无",
}
CONFIDENCE_ZH = {"high": "高", "medium": "中", "low": "低"}
FLAG_ZH = {
    "offset_assumed": "时区未知，按案件时区计",
    "low_confidence": "时间可信度低",
    "time_from_content": "时间取自内容中最晚一条",
    "date_only": "只有日期",
    "exhibit_provisional": "编号未确定",
    "manual_time": "手动时间",
}
STATE_ZH = {
    "matched": "✓ 已找到",
    "ticked": "✓ 已勾选",
    "not_applicable": "— 不适用",
    "partial": "? 需核对",
    "missing": "✗ 缺少",
    "todo": "□ 待确认",
}
STATUS_ZH = {
    "open": "剩余",
    "due_today": "今天截止",
    "passed": "已过期",
    "missing_date": "缺少日期",
}
SEVERITY_ZH = {"info": "提示", "warning": "注意", "alert": "警告"}
ROLE_ZH = {"buyer": "买家", "seller": "卖家"}


def timeline_text(case: Case, today: date | None = None) -> str:
    """The text view of a case (what `evidence-desk timeline CASE` prints)."""
    return render_timeline_text(case_overview(case, today))


def render_timeline_text(ov: CaseOverview) -> str:
    """Render an overview as plain text."""
    s, t = ov.summary, ov.timeline
    out = [f"案件：{s.title}（{ROLE_ZH.get(s.role, s.role)}，订单号 {s.order_no or '-'}）"]
    if ov.dispute:
        variant = f"（{ov.dispute.variant.zh}）" if ov.dispute.variant else ""
        out.append(f"纠纷类型：{ov.dispute.profile.zh}{variant}")
        out.append(
            f"举证责任：{ov.dispute.profile.burden.zh}{_cite(ov.dispute.profile.burden.citation)}"
        )
    details = [
        f"店铺 {s.shop}" if s.shop else "",
        f"商品 {s.item_title}" if s.item_title else "",
        f"金额 {s.amount} {s.currency}" if s.amount else "",
        f"诉求 {CLAIMS[s.claim][0]}" if s.claim in CLAIMS else "",
    ]
    if any(details):
        out.append("概要：" + "，".join(d for d in details if d))
    if s.statement:
        out.append(f"陈述：{s.statement}")
    out.append(f"时区：{t.timezone}（以下为本地时间）   今天：{ov.today.isoformat()}")

    out += ["", "== 时间线 =="]
    if any(e.exhibit_provisional for e in t.visible()):
        out.append("（带 * 的证据编号尚未确定，确定或重新编号前可能变化）")
    out += [line for e in t.entries for line in _entry_lines(e, t)] or ["（暂无带时间的记录）"]
    if t.undated:
        out += ["", "== 未定时间（没有可信时间，不会编造日期） =="]
        out += [line for e in t.undated for line in _entry_lines(e, t)]
    if t.hidden:
        out += [
            "",
            f"已移出证据链：{len(t.hidden)} 项（"
            + "、".join(e.exhibit_label or e.title for e in t.hidden)
            + "）",
        ]
    if ov.findings:
        out += ["", "== 需要注意 =="]
        out += [f"[{SEVERITY_ZH.get(f.severity, f.severity)}] {f.zh}" for f in ov.findings]
    if ov.checklist:
        out += ["", "== 证据清单 =="]
        for c in ov.checklist:
            exhibits = "、".join(f"证据{n}" for n in c.exhibits)
            req = "" if c.item.required else "（可选）"
            out.append(
                f"{STATE_ZH.get(c.state, c.state)}  {c.item.zh}{req}"
                + (f"  → {exhibits}" if exhibits else "")
            )
            if c.state not in ("matched", "ticked", "not_applicable"):
                out.append(f"      {c.detail_zh}；做法：{c.item.how_zh}{_cite(c.item.citation)}")
    if ov.deadlines:
        out += ["", "== 期限 =="]
        out += [_deadline_line(d) for d in ov.deadlines]
    if ov.submissions:
        out += ["", "== 提交记录 =="]
        for sub in ov.submissions:
            nos = "、".join(f"证据{n}" for _, n in sub.entries if n is not None)
            kind = SUBMISSION_KINDS.get(sub.kind, (sub.kind,))[0]
            line = f"{sub.submitted_at[:16].replace('T', ' ')}  {kind}：{nos or '无'}"
            if sub.ruling_date:
                line += f"；处理结果 {sub.ruling_date[:10]}：{sub.ruling_outcome or ''}"
            out.append(line)
        a = ov.appeal
        if a.window is not None:
            out.append("申诉期限：" + _deadline_line(a.window).strip())
            new = [t.get(k) for k in a.new_entries]
            out.append(
                "新证据（此前未提交）：" + ("、".join(e.exhibit_label for e in new if e) or "无")
            )
            out += [f"  待回应的判定要点：{p}" for p in a.points]
            if a.warning_zh:
                out.append(f"  {a.warning_zh}")
    if ov.wording:
        out += ["", "== 措辞提示 =="]
        for w in ov.wording:
            where = t.get(w.where)
            label = (
                (where.exhibit_label or where.title)
                if where
                else ("陈述" if w.where == "statement" else w.where)
            )
            suggestion = f"建议改为“{w.suggestion_zh}”" if w.suggestion_zh else "建议删去"
            out.append(f"{label}：“{w.text}” {suggestion}。{w.why_zh}")
    return "\n".join(out) + "\n"


def _entry_lines(e: TimelineEntry, t: Timeline) -> list[str]:
    when = "—— 未定时间 ——  "
    if e.time is not None:
        when = (
            e.time.local.strftime("%Y-%m-%d") + "        "
            if e.time.date_only
            else fmt_local(e.time.local) + "  "
        )
    phase = t.labels[e.phase][0]
    label = e.exhibit_label + ("*" if e.exhibit_provisional else "")
    source = ""
    if e.time is not None:
        rec = e.time.recorded
        name = SOURCE_ZH.get(rec.source.value, rec.source.value)
        source = f"〔{name}，可信度{CONFIDENCE_ZH.get(rec.confidence, rec.confidence)}〕"
    ref = ""
    if not e.is_item and e.item_id is not None:
        parent = t.exhibit_of_item(e.item_id)
        ref = f"（见{parent.exhibit_label}）" if parent and parent.exhibit_label else ""
    lines = [f"{when}[{phase}] {label:<7}{e.title}{ref} {source}".rstrip()]
    pad = " " * 6
    if e.note:
        lines.append(f"{pad}说明：{e.note}")
    if e.time is not None and e.time.manual_reason is not None:
        original = e.time.original
        was = "无"
        if original is not None:
            name = SOURCE_ZH.get(original.source.value, "")
            was = f"{original.isoformat().replace('T', ' ')}（{name}）"
        lines.append(f"{pad}手动设置时间，理由：{e.time.manual_reason}；原时间：{was}")
    if (
        e.time is not None
        and e.time.recorded.offset_minutes is not None
        and e.time.recorded.offset_minutes != _offset(e)
    ):
        lines.append(f"{pad}原始记录时间：{_recorded(e.time.recorded)}")
    if e.time is None:
        lines.append(f"{pad}原因：{e.undated_reason}")
        if e.hint_time is not None:
            lines.append(f"{pad}文件时间（仅供参考）：{e.hint_time.isoformat().replace('T', ' ')}")
    flags = [
        FLAG_ZH[f]
        for f in e.flags
        if f in FLAG_ZH and f not in ("manual_time", "exhibit_provisional")
    ]
    if flags:
        lines.append(f"{pad}标记：" + "；".join(flags))
    return lines


def _recorded(ct: CaptureTime) -> str:
    return f"{ct.local:%Y-%m-%d %H:%M:%S} {fmt_offset(ct.offset_minutes)}"


def _offset(e: TimelineEntry) -> int | None:
    assert e.time is not None
    off = e.time.local.utcoffset()
    return int(off.total_seconds() // 60) if off is not None else None


def _cite(c: Citation) -> str:
    ref = f" {c.ref}" if c.ref else ""
    tail = f"；{CHECK_RULES_ZH}" if c.check_rules else ""
    return (
        f"（来源：{c.source.zh}{ref}，可信度{CONFIDENCE_ZH.get(c.confidence, c.confidence)}{tail}）"
    )


def _deadline_line(d: Deadline) -> str:
    r = d.rule
    if d.status == "missing_date":
        return f"  {r.zh}：{d.note_zh}{_cite(r.citation)}"
    assert d.due_at is not None and d.days_left is not None
    due = fmt_local(d.due_at) if r.unit == "hours" else d.due_at.strftime("%Y-%m-%d")
    left = f"剩余 {d.days_left} 天" if d.status == "open" else STATUS_ZH[d.status]
    if d.status == "passed":
        left += f" {-d.days_left} 天"
    remark = f"；{d.note_zh}" if d.note_zh else ""
    return f"  {r.zh}：截止 {due}（{left}）{remark}{_cite(r.citation)}"
