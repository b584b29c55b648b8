"""A snapshot of a case as typed, frozen data: what a window shows, read in one go.

`read_case_view(root)` reads items, timeline, overview, verdicts, findings and redactions in one
read transaction through a connection of its own (any thread), so they all come from the same
moment even while an import commits item after item on the writer (WAL lets it go on).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.evidence.checks.texts.stored import load_findings  # texts in the current wording
from app.evidence.disputes import evaluate_checklist, list_json
from app.evidence.disputes.overview import case_overview, check_json, overview_json
from app.evidence.disputes.profiles import load_profiles, profiles
from app.evidence.models import CaseInfo, Item
from app.evidence.ocr.engine import OcrLine, OcrResult
from app.evidence.privacy import Redaction, list_redactions
from app.evidence.privacy.burn import FRAME_MATCH_MS
from app.evidence.progress import CancelToken, Progress, ProgressCallback
from app.evidence.store.case import Case
from app.evidence.store.findings import StoredFinding, verdicts
from app.evidence.timeline import Timeline, TimelineEntry
from app.evidence.tracking import parse_tracking_bytes

__all__ = [
    "FRAME_MATCH_MS",
    "CancelToken",
    "CaseOverview",
    "CaseView",
    "OcrLine",
    "OcrResult",
    "Progress",
    "ProgressCallback",
    "StoredFinding",
    "Timeline",
    "TimelineEntry",
    "check_json",
    "clearly_tracking",
    "evaluate_checklist",
    "list_json",
    "load_profiles",
    "parse_tracking_bytes",
    "profiles",
    "read_case_view",
    "read_ocr",
]


@dataclass(frozen=True)
class CaseOverview(Mapping[str, Any]):
    """The case overview (summary, dispute, deadlines, checklist, findings, wording) as the
    `disputes.list_json` shape without the timeline lists; read-only, typed by its parts and
    readable as a mapping (`overview["checklist"]`) by views that render it."""

    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def summary(self) -> Mapping[str, Any]:
        """Shop, item, amount, claim, role, dispute, statement and key dates."""
        return self.data.get("summary") or {}

    @property
    def dispute(self) -> Mapping[str, Any]:
        """The dispute type's names, variant and burden of proof ({} when none is chosen)."""
        return self.data.get("dispute") or {}

    @property
    def checklist(self) -> tuple[Mapping[str, Any], ...]:
        """The evidence checklist of the dispute type, each with its state."""
        return tuple(self.data.get("checklist") or ())

    @property
    def deadlines(self) -> tuple[Mapping[str, Any], ...]:
        """The platform's deadlines counted from the case's dates."""
        return tuple(self.data.get("deadlines") or ())

    @property
    def findings(self) -> tuple[Mapping[str, Any], ...]:
        """What the timeline's checks ask the user to explain."""
        return tuple(self.data.get("findings") or ())

    @property
    def today(self) -> date:
        """The day the deadlines count from (the case clock's date in the case's zone)."""
        return date.fromisoformat(self.data["today"])

    @property
    def submissions(self) -> tuple[Mapping[str, Any], ...]:
        """The rounds sent to the platform, each with its exhibits and ruling."""
        return tuple(self.data.get("submissions") or ())

    @property
    def appeal(self) -> Mapping[str, Any]:
        """The appeal window after a ruling, the new exhibits, the points and a warning."""
        return self.data.get("appeal") or {}

    @property
    def wording(self) -> tuple[Mapping[str, Any], ...]:
        """Wording hints on the notes and the statement."""
        return tuple(self.data.get("wording") or ())

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class CaseView:
    """Everything a window shows of one case, from one moment (and what the CLI's `timeline`
    prints: app/cli/timeline_view.py)."""

    info: CaseInfo
    items: dict[int, Item]
    timeline: Timeline
    overview: CaseOverview
    verdicts: dict[int, str]
    findings: dict[int, list[StoredFinding]]
    redactions: dict[int, list[Redaction]] = field(default_factory=dict)


def read_case_view(root: Path, today: date | None = None) -> CaseView:
    """Read a case's snapshot through a read-only connection of its own (any thread).

    `today` (the day deadlines count from) defaults to the case clock's date in its zone.
    """
    with Case.open(root, writable=False) as case:
        case.connection.execute("BEGIN")  # one read transaction: everything from one moment
        try:
            return case_view(case, today)
        finally:
            case.connection.execute("ROLLBACK")


def case_view(case: Case, today: date | None = None) -> CaseView:
    """The snapshot of an open case (the caller holds the read transaction)."""
    by_item: dict[int, list[StoredFinding]] = {}
    for finding in load_findings(case):
        by_item.setdefault(finding.item_id or 0, []).append(finding)
    overview = case_overview(case, today)  # builds the timeline once for everything shown
    redactions: dict[int, list[Redaction]] = {}
    for redaction in list_redactions(case):
        redactions.setdefault(redaction.item_id, []).append(redaction)
    return CaseView(
        info=case.info(),
        items={item.id: item for item in case.items()},
        timeline=overview.timeline,
        overview=CaseOverview(MappingProxyType(overview_json(overview, entries=False))),
        verdicts=verdicts(case),
        findings=by_item,
        redactions=redactions,
    )


def read_ocr(root: Path, sha256: str) -> OcrResult | None:
    """The OCR lines of an original with the user's corrections, or None (any thread)."""
    from app.evidence.ocr import OcrCache

    with Case.open(root, writable=False) as case:
        return OcrCache.for_case(case).effective(sha256)


def clearly_tracking(text: str) -> bool:
    """True when a pasted text reads as a courier tracking record without asking the user."""
    from app.evidence.tracking import paste  # the paste rules (issue 19)

    return bool(paste.clearly_tracking(text))  # type: ignore[attr-defined]
