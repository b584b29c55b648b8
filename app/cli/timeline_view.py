"""The plain-text `evidence-desk timeline CASE` view, in the current language.

Rendered from the service's snapshot (CaseView: the typed Timeline and the overview's parts).
One line per entry (local time in the case's zone, phase, exhibit number, what it is, where
the time came from), then its note, manual time, flags; then the undated lane, what needs a
look, the checklist, deadlines, rounds and wording hints. Labels go through tr(); texts the
profiles and findings carry in both languages are chosen with pick(). Times stay ISO
("2025-06-11 20:00") in both languages: a list read side by side with platform pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from app.evidence.i18n import both, current_language, pick, tr
from app.evidence.models import CaptureTime
from app.evidence.service.labels import (
    CLAIMS,
    DATE_NAMES,
    OPTIONAL,
    SUBMISSION_KINDS,
    check_state,
    format_money,
    severity_text,
    time_source_text,
    zone_label,
)
from app.evidence.service.view import CaseView, Timeline, TimelineEntry

Json = Mapping[str, Any]


def _minute(moment: datetime) -> str:
    """ "2025-06-11 21:40": a local time in plain-text views."""
    return moment.strftime("%Y-%m-%d %H:%M")


def _source(code: str) -> str:
    return time_source_text(code)


def _confidence(level: str) -> str:
    names = {"high": tr("高", "high"), "medium": tr("中", "medium"), "low": tr("低", "low")}
    return names.get(level, level)


def _flag(code: str) -> str | None:
    names = {
        "offset_assumed": tr(
            "时区未知，按案件时区计", "time zone unknown, the case's zone assumed"
        ),
        "low_confidence": tr("时间可信度低", "low confidence in the time"),
        "time_from_content": tr("时间取自内容中最晚一条", "time taken from its latest line"),
        "date_only": tr("只有日期", "date only"),
        "time_out_of_range": tr("记录的时间不可能，已忽略", "impossible recorded time ignored"),
    }
    return names.get(code)


def _state(state: str) -> str:
    return str(check_state(state))  # the same words as the exported checklist


def _status(status: str) -> str:
    names = {
        "due_today": tr("今天截止", "due today"),
        "passed": tr("已过期", "passed"),
        "missing_date": tr("缺少日期", "date missing"),
    }
    return names.get(status, status)


def _severity(severity: str) -> str:
    return severity_text(severity)  # the same words as the window's findings and `check`


def _role(role: str) -> str:
    return {"buyer": tr("买家", "buyer"), "seller": tr("卖家", "seller")}.get(role, role)


def _undated_reason(reason: str) -> str:
    """The timeline writes its undated reasons in Chinese; show them in the current language."""
    known = (
        both(
            "只有文件修改时间：复制、下载和聊天软件都会改变它，不能当作拍摄时间；"
            "可手动设置时间并注明理由",
            "only the file's modification time, which copying, downloading and chat apps change: "
            "it is not the capture time; set the time by hand and give the reason",
        ),
        both(
            "物流记录还没有解析出带时间的行",
            "no line with a time has been read from this tracking record yet",
        ),
        both("文件中没有可信的拍摄时间", "the file holds no trustworthy capture time"),
        both("这条记录没有时间", "this record has no time"),
        both(
            "记录的时间超出可能的范围（1900–2199 年以外），按无时间处理",
            "the recorded time is impossible (outside 1900-2199) and is treated as no time",
        ),
    )
    return next((str(text) for text in known if text.zh == reason), reason)


def _exhibit(n: int) -> str:
    return tr("证据{n}", "Exhibit {n}", n=n)


def _label(e: TimelineEntry) -> str:
    """ "证据3" / "Exhibit 3", or "" when the entry has no number."""
    return _exhibit(e.exhibit_no) if e.exhibit_no is not None else ""


def _title(e: TimelineEntry) -> str:
    """The entry's title; a case date's name in the current language."""
    name = e.key.removeprefix("date:") if e.key.startswith("date:") else None
    if name in DATE_NAMES:
        return pick(*DATE_NAMES[name])
    return e.title


def _list(parts: list[str]) -> str:
    return tr("、", ", ").join(parts)


def timeline_text(view: CaseView) -> str:
    """The text view of a case snapshot (what `evidence-desk timeline CASE` prints)."""
    ov, t = view.overview, view.timeline
    s = ov.summary
    out = [
        tr(
            "案件：{title}（{role}，订单号 {order}）",
            "Case: {title} ({role}, order {order})",
            title=s["title"],
            role=_role(s["role"]),
            order=s["order_no"] or "-",
        )
    ]
    if ov.dispute:
        d = ov.dispute
        name = pick(d["zh"], d["en"])
        variant = d["variant"]
        if variant:
            name += tr("（{variant}）", " ({variant})", variant=pick(variant["zh"], variant["en"]))
        out.append(tr("纠纷类型：{name}", "Dispute: {name}", name=name))
        burden = d["burden"]
        text = pick(burden["zh"], burden["en"]) + _cite(burden)
        out.append(tr("举证责任：{burden}", "Burden of proof: {burden}", burden=text))
    amount, claim = s["amount"], s["claim"]
    details = [
        tr("店铺 {shop}", "shop {shop}", shop=s["shop"]) if s["shop"] else "",
        tr("商品 {item}", "item {item}", item=s["item_title"]) if s["item_title"] else "",
        tr("金额 {amount}", "amount {amount}", amount=_money(amount, s["currency"]))
        if amount
        else "",
        tr("诉求 {claim}", "claim {claim}", claim=pick(*CLAIMS[claim])) if claim in CLAIMS else "",
    ]
    if any(details):
        out.append(tr("概要：", "Summary: ") + tr("，", ", ").join(d for d in details if d))
    if s["statement"]:
        out.append(tr("陈述：{text}", "Statement: {text}", text=s["statement"]))
    out.append(
        tr(
            "时区：{zone}（以下为本地时间）   今天：{today}",
            "Time zone: {zone} (local times below)   Today: {today}",
            zone=_zone_named(t.timezone),
            today=ov.today.isoformat(),
        )
    )

    out += ["", tr("== 时间线 ==", "== Timeline ==")]
    if any(e.exhibit_provisional for e in t.visible()):
        out.append(
            tr(
                "（带 * 的证据编号尚未确定，确定或重新编号前可能变化）",
                "(exhibit numbers with * are provisional and may change until confirmed)",
            )
        )
    out += [line for e in t.entries for line in _entry_lines(e, t)] or [
        tr("（暂无带时间的记录）", "(nothing with a time yet)")
    ]
    if t.undated:
        out += [
            "",
            tr(
                "== 未定时间（没有可信时间，不会编造日期） ==",
                "== Undated (no trustworthy time; no date is made up) ==",
            ),
        ]
        out += [line for e in t.undated for line in _entry_lines(e, t)]
    if t.hidden:
        out += [
            "",
            tr(
                "已移出证据链：{n} 项（{names}）",
                "Left out of the evidence chain: {n} ({names})",
                n=len(t.hidden),
                names=_list([_label(e) or _title(e) for e in t.hidden]),
            ),
        ]
    if ov.findings:
        out += ["", tr("== 需要注意 ==", "== To look at ==")]
        out += [f"[{_severity(f['severity'])}] {pick(f['zh'], f['en'])}" for f in ov.findings]
    if ov.checklist:
        out += ["", tr("== 证据清单 ==", "== Evidence checklist ==")]
        out += [line for c in ov.checklist for line in _check_lines(c)]
    if ov.deadlines:
        out += ["", tr("== 期限 ==", "== Deadlines ==")]
        out += [_deadline_line(d) for d in ov.deadlines]
    if ov.submissions:
        out += ["", tr("== 提交记录 ==", "== Submissions ==")]
        out += [_submission_line(sub) for sub in ov.submissions]
        out += _appeal_lines(ov.appeal, t)
    if ov.wording:
        out += ["", tr("== 措辞提示 ==", "== Wording hints ==")]
        out += [_wording_line(w, t) for w in ov.wording]
    return "\n".join(out) + "\n"


def _check_lines(c: Json) -> list[str]:
    exhibits = _list([_exhibit(n) for n in c["exhibits"]])
    req = "" if c["required"] else str(OPTIONAL)
    lines = [
        f"{_state(c['state'])}  {pick(c['zh'], c['en'])}{req}"
        + (f"  → {exhibits}" if exhibits else "")
    ]
    if c["state"] not in ("matched", "ticked", "not_applicable"):
        how = pick(c["how_zh"], c["how_en"]) + _cite(c)
        detail = pick(c["detail_zh"], c["detail_en"])
        lines.append(
            "      " + tr("{detail}；做法：{how}", "{detail}; how: {how}", detail=detail, how=how)
        )
    return lines


def _submission_line(sub: Json) -> str:
    nos = _list([_exhibit(e["exhibit_no"]) for e in sub["entries"] if e["exhibit_no"] is not None])
    kind = pick(*SUBMISSION_KINDS.get(sub["kind"], (sub["kind"], sub["kind"])))
    line = tr(
        "{when}  {kind}：{exhibits}",
        "{when}  {kind}: {exhibits}",
        when=sub["submitted_at"][:16].replace("T", " "),
        kind=kind,
        exhibits=nos or tr("无", "none"),
    )
    if sub["ruling_date"]:
        line += tr(
            "；处理结果 {day}：{outcome}",
            "; ruling {day}: {outcome}",
            day=sub["ruling_date"][:10],
            outcome=sub["ruling_outcome"] or "",
        )
    return line


def _appeal_lines(a: Json, t: Timeline) -> list[str]:
    if a.get("window") is None:
        return []
    lines = [tr("申诉期限：", "Appeal deadline: ") + _deadline_line(a["window"]).strip()]
    new = [t.get(k) for k in a["new_entries"]]
    labels = _list([_label(e) for e in new if e and _label(e)])
    lines.append(
        tr(
            "新证据（此前未提交）：{labels}",
            "New evidence (not submitted before): {labels}",
            labels=labels or tr("无", "none"),
        )
    )
    lines += [
        "  " + tr("待回应的判定要点：{point}", "Ruling point to answer: {point}", point=p)
        for p in a["points"]
    ]
    warning = pick(a["warning_zh"], a["warning_en"])
    if warning:
        lines.append(f"  {warning}")
    return lines


def _wording_line(w: Json, t: Timeline) -> str:
    where = t.get(w["where"])
    label = (
        (_label(where) or _title(where))
        if where
        else (tr("陈述", "Statement") if w["where"] == "statement" else w["where"])
    )
    suggestion = (
        tr("建议改为“{text}”", "suggest “{text}” instead", text=w["suggestion_zh"])
        if w["suggestion_zh"]
        else tr("建议删去", "suggest leaving it out")
    )
    return tr(
        "{label}：“{text}” {suggestion}。{why}",
        "{label}: “{text}” {suggestion}. {why}",
        label=label,
        text=w["text"],
        suggestion=suggestion,
        why=pick(w["why_zh"], w["why_en"]),
    )


def _money(amount: str, currency: str | None) -> str:
    try:
        return format_money(amount, currency)
    except (TypeError, ValueError):
        return f"{amount} {currency or ''}".strip()


def _entry_lines(e: TimelineEntry, t: Timeline) -> list[str]:
    when = tr("—— 未定时间 ——  ", "—— undated ——  ")
    if e.time is not None:
        when = (
            e.time.local.strftime("%Y-%m-%d") + "        "
            if e.time.date_only
            else _minute(e.time.local) + "  "
        )
    phase = pick(*t.labels[e.phase])
    label = _label(e) + ("*" if e.exhibit_provisional else "")
    width = 7 if current_language().startswith("zh") else 11  # "证据12*" / "Exhibit 12*"
    source = ""
    if e.time is not None:
        rec = e.time.recorded
        source = tr(
            "〔{source}，可信度{confidence}〕",
            "[{source}, {confidence} confidence]",
            source=_source(rec.source.value),
            confidence=_confidence(rec.confidence),
        )
    ref = ""
    if not e.is_item and e.item_id is not None:
        parent = t.exhibit_of_item(e.item_id)
        if parent and parent.exhibit_no is not None:
            ref = tr("（见{label}）", " (see {label})", label=_label(parent))
    lines = [f"{when}[{phase}] {label:<{width}}{_title(e)}{ref} {source}".rstrip()]
    pad = " " * 6
    if e.note:
        lines.append(pad + tr("说明：{note}", "Note: {note}", note=e.note))
    if e.time is not None and e.time.manual_reason is not None:
        original = e.time.original
        was = tr("无", "none")
        if original is not None:
            name = _source(original.source.value)
            was = f"{original.isoformat().replace('T', ' ')}" + tr(
                "（{source}）", " ({source})", source=name
            )
        lines.append(
            pad
            + tr(
                "手动设置时间，理由：{reason}；原时间：{was}",
                "Time set by hand, because: {reason}; time before: {was}",
                reason=e.time.manual_reason,
                was=was,
            )
        )
    if (
        e.time is not None
        and e.time.recorded.offset_minutes is not None
        and e.time.recorded.offset_minutes != _offset(e)
    ):
        lines.append(
            pad
            + tr(
                "原始记录时间：{when}", "Time as recorded: {when}", when=_recorded(e.time.recorded)
            )
        )
    if e.time is None:
        lines.append(
            pad + tr("原因：{reason}", "Why: {reason}", reason=_undated_reason(e.undated_reason))
        )
        if e.hint_time is not None:
            lines.append(
                pad
                + tr(
                    "文件时间（仅供参考）：{when}",
                    "File time (for reference only): {when}",
                    when=e.hint_time.isoformat().replace("T", " "),
                )
            )
    flags = [
        text
        for f in e.flags
        if f not in ("manual_time", "exhibit_provisional") and (text := _flag(f)) is not None
    ]
    if flags:
        lines.append(pad + tr("标记：", "Flags: ") + tr("；", "; ").join(flags))
    return lines


def _zone_named(name: str) -> str:
    """ "Asia/Shanghai（北京时间）": the zone named as every other output names it."""
    label = zone_label(name)
    return name if label == name else f"{name}（{label}）"


def _recorded(ct: CaptureTime) -> str:
    """The file's own wall clock with its offset: "2025-06-11 17:30:00 +03:00"."""
    assert ct.offset_minutes is not None  # shown only when the file recorded its offset
    minutes = ct.offset_minutes
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{ct.local:%Y-%m-%d %H:%M:%S} {sign}{hours:02d}:{mins:02d}"


def _offset(e: TimelineEntry) -> int | None:
    assert e.time is not None
    off = e.time.local.utcoffset()
    return int(off.total_seconds() // 60) if off is not None else None


def _cite(c: Json) -> str:
    """A citation (the keys `Citation.to_json` writes into a rule, check or burden)."""
    rules = c.get("check_rules_zh")
    tail = (tr("；", "; ") + pick(rules, c.get("check_rules_en"))) if rules else ""
    return tr(
        "（来源：{source}{ref}，可信度{confidence}{tail}）",
        " (source: {source}{ref}, {confidence} confidence{tail})",
        source=pick(c["source_zh"], c["source_en"]),
        ref=f" {c['ref']}" if c["ref"] else "",
        confidence=_confidence(c["confidence"]),
        tail=tail,
    )


def _deadline_line(d: Json) -> str:
    name = pick(d["zh"], d["en"])
    remark = pick(d["remark_zh"], d["remark_en"])  # the deadline's own note, not the rule's
    if d["status"] == "missing_date":
        return f"  {name}" + tr("：", ": ") + remark + _cite(d)
    assert d["due_at"] is not None and d["days_left"] is not None
    due_at = datetime.fromisoformat(d["due_at"])
    due = _minute(due_at) if d["unit"] == "hours" else due_at.strftime("%Y-%m-%d")
    if d["status"] == "open":
        left = tr("剩余 {n} 天", "{n} days left", n=d["days_left"])
    elif d["status"] == "passed":
        left = tr("已过期 {n} 天", "passed {n} days ago", n=-d["days_left"])
    else:
        left = _status(d["status"])
    tail = (tr("；", "; ") + remark) if remark else ""
    return (
        "  "
        + tr(
            "{name}：截止 {due}（{left}）",
            "{name}: due {due} ({left})",
            name=name,
            due=due,
            left=left,
        )
        + tail
        + _cite(d)
    )
