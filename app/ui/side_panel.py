"""The side panel: what the reviewer will expect, what is missing, and which deadlines run."""

from __future__ import annotations

import html
from collections.abc import Mapping
from functools import partial
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QMenu, QTextBrowser

from app.evidence.i18n import pick, tr
from app.evidence.service.labels import (
    CLAIMS,
    check_state_label,
    format_money,
    format_when,
    severity_mark,
)
from app.evidence.service.submitted import submitted_numbers

# colours of the checklist marks: found/confirmed green, to check amber, missing red, to do blue
_STATE_COLOUR = {
    "matched": "#1a7f37",
    "ticked": "#1a7f37",
    "partial": "#b35900",
    "missing": "#c62828",
    "todo": "#1f5fbf",
    "not_applicable": "#777777",
}
TICK_SCHEME = "tick"  # links tick:done/ID, tick:not_applicable/ID, tick:clear/ID


def confidence_label(level: str | None) -> str:
    """How sure the rule source is ("high", "medium", "low"), as a user reads it."""
    return {"high": tr("高", "high"), "medium": tr("中", "medium"), "low": tr("低", "low")}.get(
        level or "", level or "—"
    )


class SidePanel(QTextBrowser):
    """Checklist, deadlines and timeline findings of the case, as rich text.

    Checklist items that are not found automatically carry links (and a right-click menu) to
    tick them by hand; `tick_requested` asks the controller to store the tick (undoable).
    """

    tick_requested = Signal(
        str, object
    )  # checklist item id, "done" / "not_applicable" / None (clear)

    def __init__(self) -> None:
        super().__init__()
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)  # our links are actions, not pages
        self.anchorClicked.connect(self._link)
        self.editable = True
        self._checks: dict[str, dict[str, Any]] = {}
        self.setHtml(
            "<p>"
            + tr(
                "打开案件后，这里显示审核需要的证据清单和时限。",
                "Open a case to see the evidence checklist and deadlines here.",
            )
            + "</p>"
        )

    def show_overview(self, overview: Mapping[str, Any], editable: bool = True) -> None:
        """Render the case overview (`disputes.list_json` shape); `editable` offers ticking."""
        self.editable = editable
        self._checks = {str(c.get("id")): c for c in overview.get("checklist") or []}
        bar = self.verticalScrollBar()
        position = bar.value()  # a tick re-renders the panel: keep the user's place
        self.setHtml(render_overview(overview, editable))
        bar.setValue(position)

    def tick_actions(self, check_id: str) -> list[tuple[str, str | None]]:
        """(label, state) the user can choose for a checklist item now."""
        check = self._checks.get(check_id)
        if check is None or not self.editable:
            return []
        return tick_choices(str(check.get("state")))

    def _link(self, url: QUrl) -> None:
        if url.scheme() != TICK_SCHEME:
            return
        state, _, check_id = url.path().partition("/")
        if check_id in self._checks and self.editable:
            self.tick_requested.emit(check_id, None if state == "clear" else state)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt API
        url = QUrl(self.anchorAt(event.pos()))
        check_id = url.path().partition("/")[2] if url.scheme() == TICK_SCHEME else ""
        actions = self.tick_actions(check_id)
        if not actions:
            super().contextMenuEvent(event)
            return
        menu = QMenu(self)
        for label, state in actions:
            menu.addAction(label).triggered.connect(
                partial(self.tick_requested.emit, check_id, state)
            )
        menu.exec(event.globalPos())


def tick_choices(state: str) -> list[tuple[str, str | None]]:
    """What a user can do with a checklist item in `state`: tick it, call it not applicable, or
    take a hand tick back (items found automatically need nothing)."""
    if state in ("ticked", "not_applicable"):
        return [(tr("取消勾选", "Untick"), None)]
    if state == "matched":
        return []  # found: nothing to confirm
    return [
        (tr("勾选为已确认", "Tick as confirmed"), "done"),
        (tr("不适用", "Not applicable"), "not_applicable"),
    ]


def render_overview(o: Mapping[str, Any], editable: bool = False) -> str:
    """HTML for the panel; every text escaped. `editable`: checklist items get tick links."""
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
        claim = (
            pick(*CLAIMS[summary["claim"]])
            if summary.get("claim") in CLAIMS
            else (summary.get("claim") or "—")
        )
        parts.append(
            "<p>"
            + e(
                tr(
                    "金额 {amount} · 诉求 {claim}",
                    "Amount {amount} · claim {claim}",
                    amount=_money(summary),
                    claim=claim,
                )
            )
            + "</p>"
        )
    deadlines = [d for d in o.get("deadlines") or [] if d.get("status") != "missing_date"]
    missing_dates = [d for d in o.get("deadlines") or [] if d.get("status") == "missing_date"]
    parts.append("<h4>" + tr("时限", "Deadlines") + "</h4>")
    if deadlines:
        parts.append("<ul>")
        for d in deadlines:
            left = d.get("days_left")
            left_text = (
                tr("剩 {days} 天", "{days} days left", days=left)
                if isinstance(left, int) and left >= 0
                else (tr("已过期", "passed") if isinstance(left, int) else "")
            )
            source = pick(d.get("source_zh"), d.get("source_en"))
            confidence = tr(
                "可信度：{level}",
                "confidence: {level}",
                level=confidence_label(d.get("confidence")),
            )
            parts.append(
                f"<li><b>{e(pick(d.get('zh'), d.get('en')))}</b>: "
                f"{e(_when(d.get('due_date') or d.get('due_at')))} {e(left_text)}"
                f"<br><small>{e(source)}, {e(confidence)}</small></li>"
            )
        parts.append("</ul>")
    if missing_dates:
        from app.evidence.service.labels import DATE_NAMES

        anchors = sorted({str(d.get("anchor")) for d in missing_dates})
        names = tr("、", ", ").join(pick(*DATE_NAMES.get(a, (a, a))) for a in anchors)
        parts.append(
            "<p><small>"
            + e(
                tr(
                    "填写这些日期后可计算更多时限：{names}",
                    "Enter these dates to compute more deadlines: {names}",
                    names=names,
                )
            )
            + "</small></p>"
        )
    parts.append(
        "<p><small>"
        + tr(
            "时限来自公开资料，请以平台当前规则为准。",
            "Deadlines come from public material: check the current rules on the platform.",
        )
        + "</small></p>"
    )
    parts.append(_submitted(o))
    checklist = o.get("checklist") or []
    if checklist:
        parts.append("<h4>" + tr("审核通常需要", "Evidence checklist") + "</h4>")
        parts.append('<table cellspacing="0" cellpadding="2">')
        for c in checklist:
            parts.append(_check_row(c, editable))
        parts.append("</table>")
    findings = o.get("findings") or []
    if findings:
        parts.append("<h4>" + tr("需要说明的地方", "To explain") + "</h4><ul>")
        for f in findings[:30]:
            parts.append(
                f"<li>{severity_mark(str(f.get('severity')))} "
                f"{e(pick(f.get('zh'), f.get('en')))}</li>"
            )
        parts.append("</ul>")
    wording = o.get("wording") or []
    if wording:
        parts.append("<h4>" + tr("措辞建议", "Wording") + "</h4><ul>")
        for w in wording[:10]:
            parts.append(
                f"<li>{e(pick(w.get('zh'), w.get('en')) if isinstance(w, dict) else str(w))}</li>"
            )
        parts.append("</ul>")
    return "".join(parts)


def _submitted(o: Mapping[str, Any]) -> str:
    """The rounds sent to the platform (day and time in the case's zone, the zone named, kind,
    numbers) and each submitted exhibit with its rounds; "" before the first round."""
    e = html.escape
    sent = submitted_numbers(o)
    if not sent.rounds:
        return ""

    def numbers(values: tuple[int, ...]) -> str:
        listed = tr("、", ", ").join(str(n) for n in values)
        return tr("证据 {listed}", "exhibits {listed}", listed=listed)

    parts = ["<h4>" + tr("已提交的证据编号", "Exhibit numbers submitted") + "</h4><ul>"]
    for r in sent.rounds:
        parts.append(
            f"<li><b>{e(pick(r.kind_zh, r.kind_en))}</b> · {e(pick(r.when_zh, r.when_en))}"
            f"<br><small>{e(numbers(r.numbers) if r.numbers else tr('（无）', '(none)'))}"
            "</small></li>"
        )
    parts.append("</ul><p><small>")
    lines = [
        e(pick(sent.exhibit_line(n, "zh"), sent.exhibit_line(n, "en")))
        for n in sorted(sent.by_number)
    ]
    if sent.not_sent:
        lines.append(
            e(
                tr(
                    "未提交（编号可能变动）：{numbers}",
                    "Not submitted yet (numbers may change): {numbers}",
                    numbers=numbers(sent.not_sent),
                )
            )
        )
    parts.append("<br>".join(lines) + "</small></p>")
    return "".join(parts)


def _check_row(c: dict[str, Any], editable: bool) -> str:
    """One checklist item: a coloured mark, its name, the state in words, what was found or how
    to provide it, and (when the case can be edited) the tick links."""
    e = html.escape
    state = str(c.get("state"))
    mark, words = check_state_label(state)
    colour = _STATE_COLOUR.get(state, "#777777")
    # a hand tick overrides the matcher, whose words ("confirm by hand") no longer apply
    detail = (
        ""
        if state in ("ticked", "not_applicable")
        else pick(c.get("detail_zh"), c.get("detail_en"))
    )
    if state in ("todo", "missing", "partial") or (not detail and state == "matched"):
        how = pick(c.get("how_zh"), c.get("how_en"))
        detail = (
            detail + tr("；", "; ") + how if detail and how and state != "todo" else (how or detail)
        )
    if c.get("manual_note"):
        detail = f"{detail} · {c['manual_note']}" if detail else str(c["manual_note"])
    required = "" if c.get("required", True) else tr("（可选）", " (optional)")
    links = ""
    if editable:
        check_id = e(str(c.get("id")), quote=True)
        links = " · ".join(
            f'<a href="{TICK_SCHEME}:{state_ or "clear"}/{check_id}">{e(label)}</a>'
            for label, state_ in tick_choices(state)
        )
        links = f"<br><small>{links}</small>" if links else ""
    return (
        f'<tr><td valign="top" style="color:{colour}; font-size:large">{mark}</td><td>'
        f"<b>{e(pick(c.get('zh'), c.get('en')))}</b>{e(required)} "
        f'<span style="color:{colour}">{e(words)}</span>'
        + (f"<br><small>{e(detail)}</small>" if detail else "")
        + f"{links}</td></tr>"
    )


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
