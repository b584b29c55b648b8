"""Deadlines from the case's dates, as dates with days left relative to an injected `today`.

Counting:
- "days" rules count from the day after the anchor date (day 1 = the next day), as the 7-day
  return rule says in so many words (S4 第十条) and as Chinese law counts periods in days
  (the starting day is not counted); the deadline is the end of day N in the case's zone.
  Signed on 06-25 -> the 7 days run 06-26 .. 07-02.
- "hours" rules run from the anchor instant. When only a date is known, the count starts at
  00:00 of that day, i.e. earlier than the truth: the deadline shown is never too late.

Every deadline carries its rule's source and confidence; those resting on secondary sources
or with less than high confidence carry "check the current rules on the platform".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo

from app.evidence.disputes.model import Deadline, DeadlineRule, DisputeRef
from app.evidence.disputes.profiles import categories, deadline_rules
from app.evidence.i18n import Text, both
from app.evidence.store.case import Case
from app.evidence.timeline.dates import DATE_NAMES, CaseDate, case_dates
from app.evidence.timeline.times import case_zone, end_of_day

GENERIC_BUYER = ("after_sales_15d", "unboxing_video_72h", "evidence_3d", "appeal_buyer")
GENERIC_SELLER = ("evidence_3d", "appeal_seller")
BEFORE_INTERVENTION_BUYER = ("seven_day_return", "unboxing_video_72h", "after_sales_15d")
"""What a buyer can still do before asking the platform to step in, whatever the dispute: record
the unboxing (72 h after signing, S14), return without a reason (7 days from the day after
signing, S4 art. 10) and ask for after-sales (15 days after trade success, S10). Each appears as
soon as the date that starts it is known (entered, or read from the tracking record).
A seller's case has none of these (they are the buyer's windows)."""


def rule_ids_for(ref: DisputeRef | None, role: str, category: str | None) -> tuple[str, ...]:
    """The deadline rules that apply: a buyer's pre-intervention windows first, then the
    profile's (or a generic set), then the category's."""
    ids = list(BEFORE_INTERVENTION_BUYER) if role != "seller" else []
    ids += [
        r
        for r in (
            ref.profile.deadlines
            if ref
            else (GENERIC_SELLER if role == "seller" else GENERIC_BUYER)
        )
        if r not in ids
    ]
    if category and category in categories():
        ids += [r for r in categories()[category]["rules"] if r not in ids]
    return tuple(ids)


def apply_rule(rule: DeadlineRule, anchor: CaseDate | None, zone: tzinfo, today: date) -> Deadline:
    """One rule against one anchor date."""
    if anchor is None:
        zh, en = DATE_NAMES.get(rule.anchor, (rule.anchor, rule.anchor))
        return Deadline(
            rule,
            "missing_date",
            note_zh=f"填写“{zh}”日期后才能计算",
            note_en=f"enter the “{en}” date to work it out",
        )
    note = Text("", "")
    if rule.unit == "days":
        last_day = anchor.day(zone) + timedelta(days=rule.amount)
        due_at = end_of_day(last_day, zone)
        start = anchor.instant(zone)
    else:
        start = anchor.instant(zone)
        due_at = (start + timedelta(hours=rule.amount)).astimezone(zone)
        if not anchor.has_time:
            note = both(
                "只知道日期，按当天 0 点起算（偏早，留有余量）",
                "only the date is known: counted from 00:00 that day (early, on the safe side)",
            )
    due_date = due_at.astimezone(zone).date()
    days_left = (due_date - today).days
    status = "passed" if days_left < 0 else "due_today" if days_left == 0 else "open"
    return Deadline(
        rule,
        status,
        anchor_at=start.astimezone(zone),
        anchor_source=anchor.source,
        due_at=due_at,
        due_date=due_date,
        days_left=days_left,
        note_zh=note.zh,
        note_en=note.en,
    )


def compute_deadlines(
    rule_ids: Iterable[str], dates: Mapping[str, CaseDate], zone: tzinfo, today: date
) -> tuple[Deadline, ...]:
    """Apply rules (unknown ids are skipped) to the dates in effect."""
    rules = deadline_rules()
    return tuple(
        apply_rule(rules[r], dates.get(rules[r].anchor), zone, today)
        for r in rule_ids
        if r in rules
    )


def case_deadlines(
    case: Case, today: date, ref: DisputeRef | None = None, category: str | None = None
) -> tuple[Deadline, ...]:
    """The deadlines of a case relative to `today` (a date in the case's zone).

    Args:
        ref: the dispute profile (None: a generic set for the case's role).
        category: a category id from deadlines.json adding its windows.
    """
    info = case.info()
    zone = case_zone(info.timezone)
    return compute_deadlines(rule_ids_for(ref, info.role, category), case_dates(case), zone, today)


def case_today(case: Case) -> date:
    """Today's date in the case's zone, by the case's own clock (tests inject it)."""
    return datetime.fromisoformat(case.now()).astimezone(case_zone(case.info().timezone)).date()
