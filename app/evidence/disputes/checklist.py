"""A dispute profile's checklist against a case: automatic matches and manual ticks.

A manual tick ("done" or "not_applicable") always wins over the matcher and can be cleared
again; both are undoable edits. Items without a matcher stay "todo" until ticked. Ticks are
stored per profile, so switching the dispute type does not carry them over by mistake.
"""

from __future__ import annotations

import logging

from app.evidence.disputes.context import match_context, timeline_options
from app.evidence.disputes.matchers import MATCHERS, MatchContext, MatchResult
from app.evidence.disputes.model import ChecklistItem, ChecklistStatus, DisputeRef
from app.evidence.disputes.summary import case_summary
from app.evidence.i18n import pick
from app.evidence.store.case import Case
from app.evidence.store.undo import edit, has_timeline_tables
from app.evidence.timeline.build import build_timeline
from app.evidence.timeline.errors import DisputeError
from app.evidence.timeline.model import Timeline

log = logging.getLogger(__name__)

TICK_STATES = ("done", "not_applicable")

CHECK_STATES: dict[str, tuple[str, str, str]] = {
    "matched": ("✔", "已找到", "found"),
    "ticked": ("☑", "已手动确认", "confirmed by hand"),
    "partial": ("◐", "找到相近的，请核对", "something close found: check it"),
    "missing": ("✘", "还缺少", "missing"),
    "todo": ("☐", "需要手动确认", "to confirm by hand"),
    "not_applicable": ("—", "不适用", "not applicable"),
}
"""Every `ChecklistStatus.state`: (mark, Chinese, English) as the window and the CLI show it."""


def check_state_label(state: str) -> tuple[str, str]:
    """(mark, words in the current language) for a checklist state; unknown states as they are."""
    mark, zh, en = CHECK_STATES.get(state, ("·", state, state))
    return mark, pick(zh, en)


def evaluate_checklist(
    case: Case, ref: DisputeRef, timeline: Timeline | None = None
) -> tuple[ChecklistStatus, ...]:
    """Every checklist item of the profile (for its variant) with its status.

    Args:
        timeline: a timeline already built with the profile's options (built when None).
    """
    timeline = timeline or build_timeline(case, timeline_options(ref))
    ctx = match_context(case, timeline, case_summary(case))
    ticks = manual_ticks(case, ref.profile.id)
    out = []
    for item in ref.profile.items_for(ref.variant.id if ref.variant else None):
        out.append(_status(item, ctx, ticks.get(item.id)))
    return tuple(out)


def manual_ticks(case: Case, profile_id: str) -> dict[str, tuple[str, str]]:
    """check id -> (state, note) ticked by hand for this profile."""
    if not has_timeline_tables(case.connection):
        return {}
    rows = case.connection.execute(
        "SELECT check_id, state, note FROM checklist_ticks WHERE profile = ?", (profile_id,)
    )
    return {r[0]: (r[1], r[2]) for r in rows}


def tick(case: Case, ref: DisputeRef, check_id: str, state: str | None, note: str = "") -> None:
    """Tick a checklist item by hand ("done", "not_applicable") or clear the tick (None).

    Raises:
        DisputeError: unknown item or state.
    """
    if check_id not in {c.id for c in ref.profile.checklist}:
        raise DisputeError(f"{ref.profile.id} has no checklist item {check_id!r}")
    if state is not None and state not in TICK_STATES:
        raise DisputeError(f"a tick is one of {TICK_STATES} (or None to clear it)")
    label = "勾选清单项" if state else "取消勾选"
    detail = {"profile": ref.profile.id, "check": check_id, "state": state, "note": note.strip()}
    with edit(case, "checklist.tick", label, detail) as (conn, rec):
        rec.touch("checklist_ticks", ref.profile.id, check_id)
        if state is None:
            conn.execute(
                "DELETE FROM checklist_ticks WHERE profile = ? AND check_id = ?",
                (ref.profile.id, check_id),
            )
        else:
            conn.execute(
                "INSERT INTO checklist_ticks (profile, check_id, state, note, updated_at)"
                " VALUES (?,?,?,?,?) ON CONFLICT(profile, check_id) DO UPDATE SET"
                " state = excluded.state, note = excluded.note, updated_at = excluded.updated_at",
                (ref.profile.id, check_id, state, note.strip(), case.now()),
            )


def _status(
    item: ChecklistItem, ctx: MatchContext, manual: tuple[str, str] | None
) -> ChecklistStatus:
    result = MatchResult("todo", (), "需要手动确认后勾选", "confirm by hand and tick")
    if item.matcher is not None:
        matcher = MATCHERS.get(item.matcher.name)
        if matcher is None:
            log.warning("checklist item %s names unknown matcher %r", item.id, item.matcher.name)
        else:
            result = matcher(ctx, item.matcher.params)
    state = result.state
    note = ""
    if manual is not None:
        state = "ticked" if manual[0] == "done" else "not_applicable"
        note = manual[1]
    exhibits = tuple(
        e.exhibit_no
        for key in result.entries
        if (e := ctx.timeline.get(key)) is not None and e.exhibit_no is not None
    )
    return ChecklistStatus(
        item,
        state,
        result.entries,
        tuple(dict.fromkeys(exhibits)),
        result.detail_zh,
        result.detail_en,
        note,
    )
