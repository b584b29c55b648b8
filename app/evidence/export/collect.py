"""Gather an `ExportInput` from a case and the optional feeds of other modules.

Without feeds the export stands on what the case store has today: every item, in capture-time
order with undated items last (a file-system time alone counts as undated: copying changes it),
numbered 证据1..N in that order, with the item notes. The feeds in `ExportFeeds` replace each
part when the timeline, the checks and the dispute profiles provide it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from app.evidence.errors import UnsafeStoredPath
from app.evidence.export.model import (
    ChronologyLine,
    Exhibit,
    ExhibitPlan,
    ExportFeeds,
    ExportInput,
)
from app.evidence.export.tracking_table import key_events
from app.evidence.export.wording import zone
from app.evidence.i18n import tr
from app.evidence.models import CaptureTime, Item, ItemKind, TimeSource
from app.evidence.store.case import Case, Clock, utc_now
from app.evidence.store.item_state import export_skipped_ids

log = logging.getLogger(__name__)

WEAK_SOURCES = {TimeSource.FILE_TIME}


def collect_exhibits(
    case: Case, feeds: ExportFeeds | None = None, refused: list[str] | None = None
) -> tuple[Exhibit, ...]:
    """The case's exhibits in bundle order.

    Args:
        case: an open case (read-only is enough).
        feeds: `plan` orders and numbers the exhibits, `assess` adds verdicts and findings,
            `transcript` adds OCR chat lines; each is optional.
        refused: gets one line per item left out because its recorded path leaves the case's
            originals/ folder or goes through a link (a crafted case): never read, never copied.

    Returns:
        One Exhibit per planned entry (default: per item), ordered by number.
    """
    feeds = feeds or ExportFeeds()
    skipped = export_skipped_ids(case.connection)  # removed or left out by the user
    items = {item.id: item for item in case.items() if item.id not in skipped}
    plans = list(feeds.plan(case)) if feeds.plan else default_plan(case, list(items.values()))
    exhibits: list[Exhibit] = []
    for plan in sorted(plans, key=lambda p: p.number):
        item = items.get(plan.item_id) if plan.item_id is not None else None
        if plan.item_id is not None and item is None:
            if plan.item_id in skipped:
                continue
            log.warning(
                "exhibit %s refers to item %s, which is not in the case", plan.number, plan.item_id
            )
            continue
        try:
            path = case.path_of(item) if item is not None else None
        except UnsafeStoredPath as exc:
            line = tr(
                "{label}（{name}）：已拒绝，未导出：{reason}",
                "{label} ({name}): refused, not exported: {reason}",
                label=plan.label or f"证据{plan.number}",
                name=item.original_name if item else "",
                reason=exc,
            )
            log.log(logging.INFO if refused is not None else logging.WARNING, "%s", line)
            if refused is not None:  # the caller shows it with the export's problems
                refused.append(line)
            continue
        exhibits.append(_exhibit(case, plan, item, feeds, path))
    return tuple(exhibits)


def default_plan(case: Case, items: Sequence[Item]) -> list[ExhibitPlan]:
    """Items in capture-time order (UTC; unknown offsets in the case's zone), undated last."""
    case_zone = zone(case.info().timezone)
    dated = [
        (_instant(i.capture_time, case_zone), i.id, i)
        for i in items
        if i.capture_time is not None and _trusted(i.capture_time)
    ]
    undated = [i for i in items if not _trusted(i.capture_time)]
    ordered = [i for _, _, i in sorted(dated, key=lambda t: (t[0], t[1]))] + sorted(
        undated, key=lambda i: i.id
    )
    return [
        ExhibitPlan(
            item_id=item.id,
            number=n,
            time=item.capture_time if _trusted(item.capture_time) else None,
        )
        for n, item in enumerate(ordered, start=1)
    ]


def build_export_input(
    case: Case,
    feeds: ExportFeeds | None = None,
    *,
    preparer: str | None = None,
    clock: Clock = utc_now,
    refused: list[str] | None = None,
) -> ExportInput:
    """Everything the writers need, read from the case once (`refused`: see collect_exhibits)."""
    feeds = feeds or ExportFeeds()
    exhibits = collect_exhibits(case, feeds, refused)
    chronology = (
        tuple(feeds.chronology(case)) if feeds.chronology else default_chronology(case, exhibits)
    )
    entries = case.audit_entries()
    return ExportInput(
        info=case.info(),
        exhibits=exhibits,
        exported_at=clock(),
        preparer=preparer or None,
        facts=tuple(feeds.facts(case)) if feeds.facts else (),
        chronology=chronology,
        checklist=tuple(feeds.checklist(case)) if feeds.checklist else None,
        audit_head=entries[-1].hash if entries else None,
    )


def default_chronology(case: Case, exhibits: Sequence[Exhibit]) -> tuple[ChronologyLine, ...]:
    """Dated exhibits plus the key lines of tracking records (pickup, signed, refused, ...)."""
    lines = [
        ChronologyLine(e.time, e.title, e.label, e.time.source.value, kind=e.kind)
        for e in exhibits
        if e.time is not None
    ]
    for exhibit in exhibits:
        if exhibit.kind is ItemKind.TRACKING and exhibit.path is not None:
            for time, text in key_events(exhibit.path, exhibit.item):
                lines.append(ChronologyLine(time, text, exhibit.label, "tracking"))
    case_zone = zone(case.info().timezone)
    dated = [(_instant(line.time, case_zone), line) for line in lines if line.time is not None]
    return tuple(line for _, line in sorted(dated, key=lambda pair: pair[0]))


def _instant(time: CaptureTime, case_zone: tzinfo) -> datetime:
    """The UTC instant (naive) for ordering; a time without offset is placed in the case's zone."""
    if time.offset_minutes is not None:
        return time.local - timedelta(minutes=time.offset_minutes)
    return time.local - (case_zone.utcoffset(time.local) or timedelta(0))


def _trusted(time: CaptureTime | None) -> bool:
    return time is not None and time.source not in WEAK_SOURCES


def _exhibit(
    case: Case, plan: ExhibitPlan, item: Item | None, feeds: ExportFeeds, path: Path | None
) -> Exhibit:
    assessment = feeds.assess(case, item) if (feeds.assess and item is not None) else None
    transcript = (
        tuple(feeds.transcript(case, item)) if (feeds.transcript and item is not None) else ()
    )
    hint = item.capture_time if item is not None and not _trusted(item.capture_time) else None
    return Exhibit(
        number=plan.number,
        label=plan.label or f"证据{plan.number}",
        title=plan.title or (item.original_name if item else ""),
        item=item,
        time=plan.time,
        time_note=plan.time_note,
        hint_time=hint,
        note=plan.note if plan.note is not None else (item.note if item else ""),
        verdict=assessment.verdict if assessment else None,
        findings=assessment.findings if assessment else (),
        transcript=transcript,
        path=path,
    )
