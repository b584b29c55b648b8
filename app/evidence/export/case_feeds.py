"""What the rest of the core hands the export: the timeline's exhibits, stored findings,
the dispute checklist, the case summary and the chat transcripts.

The export module knows none of these packages; this adapter maps them onto its seams
(`ExportFeeds`), reading everything once per export.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from app.evidence.checks.texts.stored import load_findings  # texts in the current wording
from app.evidence.disputes import case_summary, evaluate_checklist
from app.evidence.disputes.summary import CLAIMS, case_dispute
from app.evidence.export.model import (
    Assessment,
    ChecklistLine,
    ChronologyLine,
    CoverFact,
    ExhibitFinding,
    ExhibitPlan,
    ExportFeeds,
)
from app.evidence.export.wording import date_value_text, money_text
from app.evidence.models import Item
from app.evidence.store.case import Case
from app.evidence.store.findings import verdicts
from app.evidence.timeline import Timeline, build_timeline, events
from app.evidence.timeline.dates import DATE_NAMES
from app.evidence.timeline.model import EntryTime

_SIDE = {"me": "我", "other": "对方", "system": "系统"}


def case_feeds(case: Case) -> ExportFeeds:
    """Feeds for `export_case` built from the case as it is now."""
    timeline = cache(lambda: build_timeline(case))
    stored = cache(lambda: _findings_by_item(case))
    stored_verdicts = cache(lambda: verdicts(case))

    def plan(_: Case) -> list[ExhibitPlan]:
        out = []
        for entry in timeline().exhibits():
            if entry.item_id is None or entry.exhibit_no is None or "excluded" in entry.flags:
                continue  # an item the user left out of exports
            time_note = ""
            if entry.time is not None and entry.time.manual_reason:
                reason = entry.time.manual_reason
                time_note = f"手动设置：{reason} / set by hand: {reason}"
            elif entry.undated_reason:
                time_note = entry.undated_reason
            out.append(
                ExhibitPlan(
                    item_id=entry.item_id,
                    number=entry.exhibit_no,
                    label=entry.exhibit_label,
                    time=entry.time.recorded if entry.time else None,
                    time_note=time_note,
                    note=entry.note,
                )
            )
        return out

    def assess(_: Case, item: Item) -> Assessment | None:
        verdict = stored_verdicts().get(item.id)
        if verdict is None:
            return None
        rows = tuple(
            ExhibitFinding(
                f.code,
                f.severity,
                f.title_zh,
                f.title_en,
                f.explanation_zh,
                f.explanation_en,
                *(f.false_positives.split("\n", 1) + [""])[:2],
            )
            for f in stored().get(item.id, [])
        )
        return Assessment(verdict, rows)

    def chronology(_: Case) -> list[ChronologyLine]:
        return _chronology(timeline())

    def checklist(_: Case) -> list[ChecklistLine]:
        ref = case_dispute(case)
        if ref is None:
            return []
        return [
            # the core's own states: "to confirm" and "to check" are never printed as missing
            ChecklistLine(
                zh=s.item.zh,
                en=s.item.en,
                status=s.state,
                exhibits=tuple(f"证据{n}" for n in s.exhibits),
                how_zh=s.item.how_zh,
                required=s.item.required,
                detail_zh=s.detail_zh,
                detail_en=s.detail_en,
            )
            for s in evaluate_checklist(case, ref, timeline())
        ]

    def facts(_: Case) -> list[CoverFact]:
        return _facts(case)

    def transcript(_: Case, item: Item) -> list[str]:
        lines = []
        for event in events(case):
            if event.item_id == item.id and event.kind == "chat_message":
                side = _SIDE.get(str(event.payload.get("side", "")), "")
                when = event.time.local.strftime("%m-%d %H:%M") if event.time else ""
                lines.append(f"{side} {when}: {event.text}".strip())
        return lines

    return ExportFeeds(
        plan=plan,
        assess=assess,
        chronology=chronology,
        checklist=checklist,
        facts=facts,
        transcript=transcript,
    )


def _findings_by_item(case: Case) -> dict[int, list]:
    by_item: dict[int, list] = {}
    for finding in load_findings(case):
        if finding.item_id is not None:
            by_item.setdefault(finding.item_id, []).append(finding)
    return by_item


def _chronology(timeline: Timeline) -> list[ChronologyLine]:
    lines = []
    for entry in timeline.entries:
        text = entry.title if not entry.note else f"{entry.title} — {entry.note}"
        if entry.key.startswith("date:") and entry.time is not None:
            lines.append(_case_date_line(entry.time, text))
            continue
        lines.append(
            ChronologyLine(
                time=entry.time.recorded if entry.time else None,
                text=text,
                label=entry.exhibit_label,
                source=entry.source,
                kind=entry.item_kind,
            )
        )
    for entry in timeline.undated:
        lines.append(
            ChronologyLine(
                time=None,
                text=entry.title,
                label=entry.exhibit_label,
                source=entry.source,
                kind=entry.item_kind,
            )
        )
    return lines


def _case_date_line(time: EntryTime, text: str) -> ChronologyLine:
    """A date the user typed (order, shipped, ...): as given, placed in the case's time zone."""
    offset = time.local.utcoffset()
    recorded = replace(
        time.recorded,
        local=time.local.replace(tzinfo=None),
        offset_minutes=int(offset.total_seconds() // 60) if offset is not None else None,
    )
    return ChronologyLine(
        time=recorded, text=text, source="manual", entered=True, date_only=time.date_only
    )


def _facts(case: Case) -> list[CoverFact]:
    s = case_summary(case)
    facts = [CoverFact("订单号", "Order number", s.order_no or "—")]
    if s.shop:
        facts.append(CoverFact("店铺", "Shop", s.shop))
    if s.item_title:
        facts.append(CoverFact("商品", "Item", s.item_title))
    if s.amount:
        facts.append(CoverFact("金额", "Amount", money_text(s.amount, s.currency)))
    if s.claim:
        zh, en = CLAIMS.get(s.claim, (s.claim, s.claim))
        facts.append(CoverFact("诉求", "Claim", f"{zh} / {en}"))
    ref = case_dispute(case)
    if ref is not None:
        zh, en = ref.profile.name_zh, ref.profile.name_en
        if ref.variant is not None:  # "描述不符（颜色）": the variant is what the dispute is about
            zh, en = f"{zh}（{ref.variant.zh}）", f"{en} ({ref.variant.en})"
        facts.append(CoverFact("纠纷类型", "Dispute", f"{zh} / {en}"))
    for name, value in s.dates.items():
        zh, en = DATE_NAMES.get(name, (name, name))
        facts.append(CoverFact(zh, en, date_value_text(value)))
    if s.statement:
        facts.append(CoverFact("陈述", "Statement", s.statement))
    return facts
