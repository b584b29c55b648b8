"""What a dispute profile changes about the timeline, and what matchers get to look at."""

from __future__ import annotations

from app.evidence.disputes.matchers import MatchContext
from app.evidence.disputes.model import CaseSummary, DisputeRef
from app.evidence.disputes.profiles import categories
from app.evidence.store.case import Case
from app.evidence.timeline.build import TimelineOptions
from app.evidence.timeline.dates import case_dates
from app.evidence.timeline.events import events
from app.evidence.timeline.findings import FindingOptions
from app.evidence.timeline.model import Phase, Timeline
from app.evidence.timeline.times import case_zone


def timeline_options(ref: DisputeRef | None) -> TimelineOptions:
    """Photos and videos go to the profile's phase (else by role)."""
    phase = ref.profile.media_phase if ref else None
    if phase is None or phase not in Phase._value2member_map_:
        return TimelineOptions()
    return TimelineOptions(media_phase=Phase(phase))


def finding_options(ref: DisputeRef | None, category: str | None = None) -> FindingOptions:
    """The unboxing window (the category's when it is shorter) and whether complaining
    before delivery is a contradiction for this dispute."""
    window = ref.profile.inspection_window_hours if ref else 72
    cat = categories().get(category or "", {})
    if "inspection_window_hours" in cat:
        window = min(window, int(cat["inspection_window_hours"]))
    return FindingOptions(
        inspection_window_hours=window,
        complaint_needs_delivery=ref.profile.complaint_needs_delivery if ref else True,
    )


def tracking_numbers(case: Case) -> frozenset[str]:
    """Waybill numbers the case's tracking records name (upper case)."""
    numbers = {
        str(e.payload.get("tracking_number", "")).strip().upper()
        for e in events(case)
        if e.source == "tracking"
    }
    return frozenset(n for n in numbers if n)


def match_context(case: Case, timeline: Timeline, summary: CaseSummary) -> MatchContext:
    """Everything the matchers look at, read once."""
    return MatchContext(
        timeline=timeline,
        dates=case_dates(case),
        zone=case_zone(timeline.timezone),
        summary=summary,
        items={i.id: i for i in case.items()},
        tracking_numbers=tracking_numbers(case),
    )
