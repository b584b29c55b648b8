"""Everything about a case's story in one frozen object, and its JSON form for `list --json`.

`case_overview` builds the timeline with the dispute profile's options, the findings with its
windows, the checklist, the deadlines relative to `today`, the rounds and the wording hints.
`overview_json` turns it into a JSON-ready dict; `list_json(case)` does both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.evidence.disputes.checklist import evaluate_checklist
from app.evidence.disputes.context import finding_options, timeline_options
from app.evidence.disputes.deadlines import case_deadlines, case_today
from app.evidence.disputes.model import (
    CaseSummary,
    ChecklistStatus,
    Citation,
    Deadline,
    DisputeRef,
    Submission,
    WordingFlag,
)
from app.evidence.disputes.rounds import AppealStatus, appeal_status, submissions
from app.evidence.disputes.summary import CLAIMS, case_dispute, case_summary
from app.evidence.disputes.wording import case_wording
from app.evidence.models import CaptureTime
from app.evidence.store.case import Case
from app.evidence.timeline.build import build_timeline
from app.evidence.timeline.findings import timeline_findings
from app.evidence.timeline.model import Timeline, TimelineEntry, TimelineFinding

SCHEMA = "evidence-desk.timeline/1"


@dataclass(frozen=True)
class CaseOverview:
    """The case's timeline with everything the dispute profile adds, as of `today`."""

    today: date
    summary: CaseSummary
    dispute: DisputeRef | None
    timeline: Timeline
    findings: tuple[TimelineFinding, ...]
    checklist: tuple[ChecklistStatus, ...]
    deadlines: tuple[Deadline, ...]
    submissions: tuple[Submission, ...]
    appeal: AppealStatus
    wording: tuple[WordingFlag, ...]


def case_overview(case: Case, today: date | None = None) -> CaseOverview:
    """Build the overview; `today` defaults to the case clock's date in the case's zone."""
    today = today or case_today(case)
    ref = case_dispute(case)
    summary = case_summary(case)
    timeline = build_timeline(case, timeline_options(ref))
    return CaseOverview(
        today=today,
        summary=summary,
        dispute=ref,
        timeline=timeline,
        findings=timeline_findings(timeline, finding_options(ref, summary.category)),
        checklist=evaluate_checklist(case, ref, timeline) if ref else (),
        deadlines=case_deadlines(case, today, ref, summary.category),
        submissions=submissions(case),
        appeal=appeal_status(case, today, timeline),
        wording=case_wording(case, timeline),
    )


def list_json(case: Case, today: date | None = None) -> dict[str, Any]:
    """The JSON-ready dict `evidence-desk list CASE --json` adds to its output."""
    return overview_json(case_overview(case, today))


def overview_json(ov: CaseOverview, *, entries: bool = True) -> dict[str, Any]:
    """JSON-ready form of an overview (ISO times, enum values, zh and en texts).

    With entries=False the timeline lists are left empty (the window has the Timeline itself,
    and serialising 10,000 entries it would not read costs a noticeable part of opening a case).
    """
    t = ov.timeline
    shown = entries
    new = set(ov.appeal.new_entries)
    return {
        "schema": SCHEMA,
        "today": ov.today.isoformat(),
        "timezone": t.timezone,
        "summary": _summary_json(ov.summary),
        "dispute": _dispute_json(ov.dispute),
        "timeline": [entry_json(e, t) for e in t.entries] if shown else [],
        "undated": [entry_json(e, t) for e in t.undated] if shown else [],
        "hidden": [entry_json(e, t) for e in t.hidden] if shown else [],
        "phases": [
            {"phase": g.phase.value, "zh": g.zh, "en": g.en, "entries": list(g.entries)}
            for g in t.phases()
        ],
        "exhibits": [
            {
                "no": e.exhibit_no,
                "label": e.exhibit_label,
                "entry": e.key,
                "item_id": e.item_id,
                "title": e.title,
                "provisional": e.exhibit_provisional,
                "new_since_last_submission": e.key in new and bool(ov.submissions),
            }
            for e in t.exhibits()
        ],
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "zh": f.zh,
                "en": f.en,
                "entries": list(f.entries),
                "params": dict(f.params),
            }
            for f in ov.findings
        ],
        "checklist": [_check_json(c) for c in ov.checklist],
        "deadlines": [deadline_json(d) for d in ov.deadlines],
        "submissions": [_submission_json(s) for s in ov.submissions],
        "appeal": {
            "ruled_submission": ov.appeal.ruled.id if ov.appeal.ruled else None,
            "window": deadline_json(ov.appeal.window) if ov.appeal.window else None,
            "appeals_made": ov.appeal.appeals_made,
            "new_entries": list(ov.appeal.new_entries),
            "points": list(ov.appeal.points),
            "warning_zh": ov.appeal.warning_zh,
            "warning_en": ov.appeal.warning_en,
        },
        "wording": [
            {
                "where": w.where,
                "rule": w.rule_id,
                "category": w.category,
                "text": w.text,
                "start": w.start,
                "end": w.end,
                "suggestion_zh": w.suggestion_zh,
                "why_zh": w.why_zh,
                "why_en": w.why_en,
            }
            for w in ov.wording
        ],
    }


def _capture_json(ct: CaptureTime | None) -> dict[str, Any] | None:
    if ct is None:
        return None
    return {
        "recorded": ct.isoformat(),
        "offset_minutes": ct.offset_minutes,
        "source": ct.source.value,
        "confidence": ct.confidence,
        "note": ct.note,
    }


def entry_json(e: TimelineEntry, timeline: Timeline) -> dict[str, Any]:
    """One timeline entry as JSON."""
    time = None
    if e.time is not None:
        time = {
            "local": e.time.local.isoformat(),
            "utc": e.time.utc.isoformat(),
            **(_capture_json(e.time.recorded) or {}),
            "offset_known": e.time.recorded.offset_minutes is not None,
            "offset_assumed": e.time.offset_assumed,
            "date_only": e.time.date_only,
            "manual_reason": e.time.manual_reason,
            "original": _capture_json(e.time.original),
        }
    source_item = (
        timeline.exhibit_of_item(e.item_id) if (e.item_id is not None and not e.is_item) else None
    )
    zh, en = timeline.labels[e.phase]
    return {
        "key": e.key,
        "type": e.key.partition(":")[0],
        "item_id": e.item_id,
        "event_id": e.event_id,
        "item_kind": e.item_kind.value if e.item_kind else None,
        "event_kind": e.event_kind,
        "title": e.title,
        "source": e.source,
        "time": time,
        "undated_reason": e.undated_reason or None,
        "hint_time": _capture_json(e.hint_time),
        "phase": e.phase.value,
        "phase_zh": zh,
        "phase_en": en,
        "phase_is_manual": e.phase_is_manual,
        "exhibit_no": e.exhibit_no,
        "exhibit_label": e.exhibit_label or None,
        "exhibit_provisional": e.exhibit_provisional,
        "from_exhibit": source_item.exhibit_label if source_item else None,
        "note": e.note,
        "hidden": e.hidden,
        "flags": list(e.flags),
        "raw_line": e.raw_line,
        "line_no": e.line_no,
        "payload": dict(e.payload),
    }


def citation_json(c: Citation) -> dict[str, Any]:
    """A citation as JSON (with the 'check the current rules' sentence when it applies)."""
    return c.to_json()


def deadline_json(d: Deadline) -> dict[str, Any]:
    """One deadline as JSON."""
    r = d.rule
    return {
        "rule": r.id,
        "zh": r.zh,
        "en": r.en,
        "anchor": r.anchor,
        "unit": r.unit,
        "amount": r.amount,
        "status": d.status,
        "anchor_at": d.anchor_at.isoformat() if d.anchor_at else None,
        "anchor_source": d.anchor_source,
        "due_at": d.due_at.isoformat() if d.due_at else None,
        "due_date": d.due_date.isoformat() if d.due_date else None,
        "days_left": d.days_left,
        "note_zh": r.note_zh,
        "note_en": r.note_en,
        "remark_zh": d.note_zh,
        "remark_en": d.note_en,
        **citation_json(r.citation),
    }


def check_json(c: ChecklistStatus) -> dict[str, Any]:
    """One checklist item with its state as JSON (as `list --json` and `checklist --json` show)."""
    return _check_json(c)


def _check_json(c: ChecklistStatus) -> dict[str, Any]:
    i = c.item
    return {
        "id": i.id,
        "zh": i.zh,
        "en": i.en,
        "how_zh": i.how_zh,
        "how_en": i.how_en,
        "required": i.required,
        "matcher": {"name": i.matcher.name, "params": dict(i.matcher.params)}
        if i.matcher
        else None,
        "state": c.state,
        "satisfied": c.satisfied,
        "entries": list(c.entries),
        "exhibits": list(c.exhibits),
        "detail_zh": c.detail_zh,
        "detail_en": c.detail_en,
        "manual_note": c.manual_note,
        **citation_json(i.citation),
    }


def _dispute_json(ref: DisputeRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    p = ref.profile
    return {
        "id": p.id,
        "text": ref.text,
        "role": p.role,
        "zh": p.zh,
        "en": p.en,
        "variant": {"id": ref.variant.id, "zh": ref.variant.zh, "en": ref.variant.en}
        if ref.variant
        else None,
        "summary_zh": p.summary_zh,
        "summary_en": p.summary_en,
        "burden": {
            "on": p.burden.on,
            "zh": p.burden.zh,
            "en": p.burden.en,
            **citation_json(p.burden.citation),
        },
        "mistakes": [{"zh": m.zh, "en": m.en, **citation_json(m.citation)} for m in p.mistakes],
    }


def _summary_json(s: CaseSummary) -> dict[str, Any]:
    return {
        "title": s.title,
        "role": s.role,
        "order_no": s.order_no,
        "dispute": s.dispute,
        "timezone": s.timezone,
        "shop": s.shop,
        "item_title": s.item_title,
        "amount": s.amount,
        "currency": s.currency,
        "claim": s.claim,
        "claim_zh": CLAIMS[s.claim][0] if s.claim in CLAIMS else None,
        "category": s.category,
        "statement": s.statement,
        "statement_bytes": s.statement_bytes,
        "dates": dict(s.dates),
    }


def _submission_json(s: Submission) -> dict[str, Any]:
    return {
        "id": s.id,
        "kind": s.kind,
        "submitted_at": s.submitted_at,
        "export_ref": s.export_ref,
        "entries": [{"entry": k, "exhibit_no": n} for k, n in s.entries],
        "note": s.note,
        "ruling_date": s.ruling_date,
        "ruling_outcome": s.ruling_outcome,
        "ruling_points": list(s.ruling_points),
    }
