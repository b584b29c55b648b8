"""The side panel: what the reviewer will expect, what is missing, and which deadlines run."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import QTextBrowser

_STATE = {"ok": "✔", "done": "✔", "partial": "◐", "missing": "✘", "not_applicable": "—"}
_SEVERITY = {"alert": "❗", "warning": "⚠", "info": "ℹ"}


class SidePanel(QTextBrowser):
    """Checklist, deadlines and timeline findings of the case, as read-only rich text."""

    def __init__(self) -> None:
        super().__init__()
        self.setOpenExternalLinks(False)
        self.setHtml("<p>打开案件后，这里显示审核需要的证据清单和时限。</p>")

    def show_overview(self, overview: dict[str, Any]) -> None:
        """Render the case overview (`disputes.list_json` shape)."""
        self.setHtml(render_overview(overview))


def render_overview(o: dict[str, Any]) -> str:
    """HTML for the panel; every text escaped."""
    e = html.escape
    parts: list[str] = []
    summary = o.get("summary") or {}
    dispute = o.get("dispute") or {}
    parts.append(f"<h3>{e(str(dispute.get('name_zh') or dispute.get('zh') or '未选择纠纷类型'))}</h3>")
    if summary.get("amount"):
        parts.append(f"<p>金额 ¥{e(str(summary['amount']))} · 诉求 {e(str(summary.get('claim_zh') or '—'))}</p>")
    deadlines = [d for d in o.get("deadlines") or [] if d.get("status") != "missing_date"]
    missing_dates = [d for d in o.get("deadlines") or [] if d.get("status") == "missing_date"]
    parts.append("<h4>时限 Deadlines</h4>")
    if deadlines:
        parts.append("<ul>")
        for d in deadlines:
            left = d.get("days_left")
            left_text = f"剩 {left} 天" if isinstance(left, int) and left >= 0 else ("已过期" if isinstance(left, int) else "")
            parts.append(f"<li><b>{e(str(d.get('zh')))}</b>：{e(str(d.get('due_date') or d.get('due_at') or ''))} {e(left_text)}"
                         f"<br><small>{e(str(d.get('source_zh') or ''))}，可信度 {e(str(d.get('confidence') or ''))}</small></li>")
        parts.append("</ul>")
    if missing_dates:
        names = "、".join(sorted({str(d.get("anchor")) for d in missing_dates}))
        parts.append(f"<p><small>填写这些日期后可计算更多时限：{e(names)}</small></p>")
    parts.append("<p><small>时限来自公开资料，请以平台当前规则为准 · check the current rules on the platform.</small></p>")
    checklist = o.get("checklist") or []
    if checklist:
        parts.append("<h4>审核通常需要 Evidence checklist</h4><ul>")
        for c in checklist:
            mark = _STATE.get(str(c.get("state")), "·")
            parts.append(f"<li>{mark} <b>{e(str(c.get('zh')))}</b><br><small>{e(str(c.get('detail_zh') or c.get('how_zh') or ''))}</small></li>")
        parts.append("</ul>")
    findings = o.get("findings") or []
    if findings:
        parts.append("<h4>需要说明的地方 To explain</h4><ul>")
        for f in findings[:30]:
            parts.append(f"<li>{_SEVERITY.get(str(f.get('severity')), '·')} {e(str(f.get('zh')))}</li>")
        parts.append("</ul>")
    wording = o.get("wording") or []
    if wording:
        parts.append("<h4>措辞建议 Wording</h4><ul>")
        for w in wording[:10]:
            parts.append(f"<li>{e(str(w.get('zh') or w))}</li>")
        parts.append("</ul>")
    return "".join(parts)
