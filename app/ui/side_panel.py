"""The side panel: what the reviewer will expect, what is missing, and which deadlines run."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import QTextBrowser

from app.evidence.i18n import pick, tr
from app.evidence.locale_format import format_money, format_when

_STATE = {"ok": "✔", "done": "✔", "partial": "◐", "missing": "✘", "not_applicable": "—"}
_SEVERITY = {"alert": "❗", "warning": "⚠", "info": "ℹ"}


class SidePanel(QTextBrowser):
    """Checklist, deadlines and timeline findings of the case, as read-only rich text."""

    def __init__(self) -> None:
        super().__init__()
        self.setOpenExternalLinks(False)
        self.setHtml("<p>" + tr("打开案件后，这里显示审核需要的证据清单和时限。", "Open a case to see the evidence checklist and deadlines here.") + "</p>")

    def show_overview(self, overview: dict[str, Any]) -> None:
        """Render the case overview (`disputes.list_json` shape)."""
        self.setHtml(render_overview(overview))


def render_overview(o: dict[str, Any]) -> str:
    """HTML for the panel; every text escaped."""
    e = html.escape
    parts: list[str] = []
    summary = o.get("summary") or {}
    dispute = o.get("dispute") or {}
    name = pick(dispute.get("zh"), dispute.get("en"))
    variant = dispute.get("variant") or {}
    if variant:
        name += f" · {pick(variant.get('zh'), variant.get('en'))}"
    parts.append(f"<h3>{e(name or tr('未选择纠纷类型', 'No dispute type chosen'))}</h3>")
    burden = dispute.get("burden") or {}
    if burden:
        parts.append(f"<p><small>{e(pick(burden.get('zh'), burden.get('en')))}</small></p>")
    if summary.get("amount"):
        claim = pick(summary.get("claim_zh"), summary.get("claim")) or "—"
        parts.append("<p>" + e(tr("金额 {amount} · 诉求 {claim}", "Amount {amount} · claim {claim}", amount=_money(summary), claim=claim)) + "</p>")
    deadlines = [d for d in o.get("deadlines") or [] if d.get("status") != "missing_date"]
    missing_dates = [d for d in o.get("deadlines") or [] if d.get("status") == "missing_date"]
    parts.append("<h4>" + tr("时限", "Deadlines") + "</h4>")
    if deadlines:
        parts.append("<ul>")
        for d in deadlines:
            left = d.get("days_left")
            left_text = tr("剩 {days} 天", "{days} days left", days=left) if isinstance(left, int) and left >= 0 else (tr("已过期", "passed") if isinstance(left, int) else "")
            source = pick(d.get("source_zh"), d.get("source_en"))
            confidence = tr("可信度 {level}", "confidence {level}", level=d.get("confidence") or "")
            parts.append(f"<li><b>{e(pick(d.get('zh'), d.get('en')))}</b>: {e(_when(d.get('due_date') or d.get('due_at')))} {e(left_text)}"
                         f"<br><small>{e(source)}, {e(confidence)}</small></li>")
        parts.append("</ul>")
    if missing_dates:
        from app.evidence.timeline.dates import DATE_NAMES

        anchors = sorted({str(d.get("anchor")) for d in missing_dates})
        names = tr("、", ", ").join(pick(*DATE_NAMES.get(a, (a, a))) for a in anchors)
        parts.append("<p><small>" + e(tr("填写这些日期后可计算更多时限：{names}", "Enter these dates to compute more deadlines: {names}", names=names)) + "</small></p>")
    parts.append("<p><small>" + tr("时限来自公开资料，请以平台当前规则为准。", "Deadlines come from public material: check the current rules on the platform.") + "</small></p>")
    checklist = o.get("checklist") or []
    if checklist:
        parts.append("<h4>" + tr("审核通常需要", "Evidence checklist") + "</h4><ul>")
        for c in checklist:
            mark = _STATE.get(str(c.get("state")), "·")
            parts.append(f"<li>{mark} <b>{e(pick(c.get('zh'), c.get('en')))}</b><br><small>{e(pick(c.get('detail_zh'), c.get('detail_en')) or pick(c.get('how_zh'), c.get('how_en')))}</small></li>")
        parts.append("</ul>")
    findings = o.get("findings") or []
    if findings:
        parts.append("<h4>" + tr("需要说明的地方", "To explain") + "</h4><ul>")
        for f in findings[:30]:
            parts.append(f"<li>{_SEVERITY.get(str(f.get('severity')), '·')} {e(pick(f.get('zh'), f.get('en')))}</li>")
        parts.append("</ul>")
    wording = o.get("wording") or []
    if wording:
        parts.append("<h4>" + tr("措辞建议", "Wording") + "</h4><ul>")
        for w in wording[:10]:
            parts.append(f"<li>{e(pick(w.get('zh'), w.get('en')) if isinstance(w, dict) else str(w))}</li>")
        parts.append("</ul>")
    return "".join(parts)


def _money(summary: dict[str, Any]) -> str:
    """ "¥189.00" (as entered when it is not a number)."""
    try:
        return format_money(str(summary["amount"]), summary.get("currency"))
    except ValueError:
        return str(summary["amount"])


def _when(value: object) -> str:
    """A deadline's day or moment in the current language ("" when missing)."""
    if not value:
        return ""
    try:
        return format_when(str(value))
    except ValueError:
        return str(value)
