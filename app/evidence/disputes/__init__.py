"""Dispute profiles as data: checklists, burden of proof, deadlines, summary, appeal rounds.

Public API:

    profiles() / profile(ref) / resolve(text) -> DisputeRef
    case_dispute(case) / set_dispute(case, text) / set_case_timezone(case, name)
    case_summary(case) / set_summary(case, **fields)
    evaluate_checklist(case, ref) / tick(case, ref, check_id, state, note)
    case_deadlines(case, today, ref, category) / compute_deadlines(...) / case_today(case)
    check_wording(text) / neutral_version(text) / case_wording(case)
    record_submission / record_ruling / submissions / new_since_last_submission / appeal_status
    case_overview(case, today) / list_json(case, today)
"""

from app.evidence.disputes.checklist import evaluate_checklist, tick
from app.evidence.disputes.deadlines import case_deadlines, case_today, compute_deadlines
from app.evidence.disputes.model import (
    CHECK_RULES_EN,
    CHECK_RULES_ZH,
    CaseSummary,
    ChecklistItem,
    ChecklistStatus,
    Citation,
    Deadline,
    DeadlineRule,
    DisputeProfile,
    DisputeRef,
    Submission,
    WordingFlag,
)
from app.evidence.disputes.overview import CaseOverview, case_overview, list_json, overview_json
from app.evidence.disputes.profiles import (
    categories,
    deadline_rules,
    profile,
    profiles,
    resolve,
    sources,
)
from app.evidence.disputes.rounds import (
    AppealStatus,
    appeal_status,
    new_since_last_submission,
    record_ruling,
    record_submission,
    submissions,
)
from app.evidence.disputes.summary import (
    CLAIMS,
    case_dispute,
    case_summary,
    set_case_timezone,
    set_dispute,
    set_summary,
)
from app.evidence.disputes.wording import case_wording, check_wording, neutral_version

__all__ = [
    "CHECK_RULES_EN",
    "CHECK_RULES_ZH",
    "CLAIMS",
    "AppealStatus",
    "CaseOverview",
    "CaseSummary",
    "ChecklistItem",
    "ChecklistStatus",
    "Citation",
    "Deadline",
    "DeadlineRule",
    "DisputeProfile",
    "DisputeRef",
    "Submission",
    "WordingFlag",
    "appeal_status",
    "case_deadlines",
    "case_dispute",
    "case_overview",
    "case_summary",
    "case_today",
    "case_wording",
    "categories",
    "check_wording",
    "compute_deadlines",
    "deadline_rules",
    "evaluate_checklist",
    "list_json",
    "neutral_version",
    "new_since_last_submission",
    "overview_json",
    "profile",
    "profiles",
    "record_ruling",
    "record_submission",
    "resolve",
    "set_case_timezone",
    "set_dispute",
    "set_summary",
    "sources",
    "submissions",
    "tick",
]
