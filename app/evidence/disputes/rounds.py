"""Submission rounds (首次举证, 补充举证, 申诉), rulings and the appeal window.

Each round records which exhibits went to the platform, with the numbers they had then; the
provisional numbers of the exhibits sent are fixed in the same edit, so what the reviewer saw
as 证据5 stays 证据5. An appeal must rest on new evidence or a procedural problem, usually
once (seed guide G1, seller rule S17): `appeal_status` lists the exhibits not sent in any
earlier round and the points the ruling gave, and warns when an appeal was already made.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from app.evidence.disputes.deadlines import apply_rule
from app.evidence.disputes.model import Deadline, Submission
from app.evidence.disputes.profiles import deadline_rules
from app.evidence.i18n import Text, both
from app.evidence.store.case import Case
from app.evidence.store.undo import edit, has_timeline_tables
from app.evidence.timeline.build import build_timeline
from app.evidence.timeline.dates import case_dates
from app.evidence.timeline.errors import DisputeError, EntryNotFound
from app.evidence.timeline.model import Timeline
from app.evidence.timeline.times import case_zone

SUBMISSION_KINDS: dict[str, tuple[str, str]] = {
    "initial": ("首次举证", "Initial evidence"),
    "supplement": ("补充举证", "Supplementary evidence"),
    "appeal": ("申诉", "Appeal"),
}


@dataclass(frozen=True)
class AppealStatus:
    """Where the case stands for an appeal.

    Attributes:
        ruled: the latest round with a ruling, or None.
        window: the appeal deadline for the case's role, or None before a ruling.
        appeals_made: appeal rounds already recorded (usually only one is allowed).
        new_entries: visible exhibits never sent in an earlier round (what an appeal can add).
        points: the ruling's stated points, to address one by one.
    """

    ruled: Submission | None
    window: Deadline | None
    appeals_made: int
    new_entries: tuple[str, ...]
    points: tuple[str, ...]
    warning_zh: str = ""
    warning_en: str = ""


def submissions(case: Case) -> tuple[Submission, ...]:
    """Every round, oldest first."""
    if not has_timeline_tables(case.connection):
        return ()
    rows = case.connection.execute(
        "SELECT id, kind, submitted_at, export_ref, entries_json, note, ruling_date,"
        " ruling_outcome, ruling_points FROM submissions ORDER BY submitted_at, id"
    )
    return tuple(
        Submission(
            r[0],
            r[1],
            r[2],
            r[3],
            tuple((k, n) for k, n in json.loads(r[4])),
            r[5],
            r[6],
            r[7],
            tuple(p for p in r[8].splitlines() if p.strip()),
        )
        for r in rows
    )


def record_submission(
    case: Case,
    kind: str,
    submitted_at: datetime | None = None,
    *,
    entries: Sequence[str] | None = None,
    export_ref: str | None = None,
    note: str = "",
) -> int:
    """Record a round sent to the platform; returns its id.

    Args:
        submitted_at: naive = case local time; None = now by the case clock.
        entries: the exhibits sent (entry keys); None = every visible exhibit.
        export_ref: the export it came from (a path under exports/ or a manifest id).
    """
    if kind not in SUBMISSION_KINDS:
        raise DisputeError(f"submission kind must be one of {', '.join(SUBMISSION_KINDS)}")
    zone = case_zone(case.info().timezone)
    timeline = build_timeline(case)
    keys = (
        list(entries) if entries is not None else [e.key for e in timeline.visible() if e.is_item]
    )
    sent = []
    for key in keys:
        entry = timeline.get(key)
        if entry is None:
            raise EntryNotFound(f"no timeline entry {key!r}")
        sent.append(entry)
    at = (
        (submitted_at if submitted_at.tzinfo else submitted_at.replace(tzinfo=zone)).isoformat()
        if submitted_at
        else case.now()
    )
    pairs = [[e.key, e.exhibit_no] for e in sent]
    detail = {"kind": kind, "entries": pairs, "export": export_ref}
    with edit(case, "submission.add", f"记录{SUBMISSION_KINDS[kind][0]}", detail) as (conn, rec):
        for e in sent:
            if e.exhibit_provisional:
                rec.touch("timeline_entries", e.key)
                conn.execute("INSERT OR IGNORE INTO timeline_entries (entry) VALUES (?)", (e.key,))
                conn.execute(
                    "UPDATE timeline_entries SET exhibit_no = ? WHERE entry = ?",
                    (e.exhibit_no, e.key),
                )
        cur = conn.execute(
            "INSERT INTO submissions (kind, submitted_at, export_ref, entries_json, note,"
            " created_at) VALUES (?,?,?,?,?,?)",
            (kind, at, export_ref, json.dumps(pairs), note.strip(), case.now()),
        )
        submission_id = int(cur.lastrowid or 0)
        rec.created("submissions", submission_id)
    return submission_id


def record_export_round(
    case: Case, sent: Sequence[tuple[str, int]], export_ref: str | None = None
) -> int | None:
    """Record an export as a submission round (首次举证 the first time, 补充举证 after) and fix
    the numbers of the exhibits it sent; returns the round's id.

    Nothing is recorded (None) when the last round sent the same exhibits with the same
    numbers (an export made again), or when a number changed since the export (the timeline
    was edited meanwhile: the export no longer matches it, so it is not taken as submitted).

    Args:
        sent: (entry key, exhibit number) of every exhibit the export showed.
    """
    rounds = submissions(case)
    if not sent:
        return None
    wanted = [(k, n) for k, n in sent]
    if rounds and sorted(rounds[-1].entries) == sorted(wanted):
        return None
    timeline = build_timeline(case)
    for key, number in wanted:
        entry = timeline.get(key)
        if entry is None or entry.exhibit_no != number:
            return None
    kind = "supplement" if rounds else "initial"
    return record_submission(case, kind, entries=[k for k, _ in wanted], export_ref=export_ref)


def record_ruling(
    case: Case,
    submission_id: int,
    ruling_date: date | datetime,
    outcome: str,
    points: Sequence[str] | str = (),
) -> None:
    """Record the platform's ruling on a round (date, outcome, the points it gave)."""
    if not any(s.id == submission_id for s in submissions(case)):
        raise DisputeError(f"no submission {submission_id}")
    if isinstance(ruling_date, datetime):
        zone = case_zone(case.info().timezone)
        value = (
            ruling_date if ruling_date.tzinfo else ruling_date.replace(tzinfo=zone)
        ).isoformat()
    else:
        value = ruling_date.isoformat()
    lines = points.splitlines() if isinstance(points, str) else list(points)
    text = "\n".join(p.strip() for p in lines if p.strip())
    detail = {
        "submission": submission_id,
        "ruling_date": value,
        "outcome": outcome.strip(),
        "points": text,
    }
    with edit(case, "submission.ruling", "记录处理结果", detail) as (conn, rec):
        rec.touch("submissions", submission_id)
        conn.execute(
            "UPDATE submissions SET ruling_date = ?, ruling_outcome = ?, ruling_points = ?"
            " WHERE id = ?",
            (value, outcome.strip(), text, submission_id),
        )


def new_since_last_submission(case: Case, timeline: Timeline | None = None) -> tuple[str, ...]:
    """Visible exhibits (entry keys) that no earlier round sent, in timeline order."""
    timeline = timeline or build_timeline(case)
    sent = {key for s in submissions(case) for key, _ in s.entries}
    return tuple(e.key for e in timeline.visible() if e.is_item and e.key not in sent)


def appeal_status(case: Case, today: date, timeline: Timeline | None = None) -> AppealStatus:
    """The appeal window after the latest ruling, and what an appeal could add."""
    rounds = submissions(case)
    ruled = next((s for s in reversed(rounds) if s.ruling_date), None)
    appeals = sum(1 for s in rounds if s.kind == "appeal")
    new = new_since_last_submission(case, timeline)
    if ruled is None:
        return AppealStatus(None, None, appeals, new, ())
    info = case.info()
    rule = deadline_rules()["appeal_seller" if info.role == "seller" else "appeal_buyer"]
    window = apply_rule(rule, case_dates(case).get("ruling"), case_zone(info.timezone), today)
    warning = Text("", "")
    if appeals:
        warning = both(
            "已经申诉过：同一纠纷通常只有一次申诉机会。",
            "Already appealed: a dispute usually allows only one appeal.",
        )
    elif not new:
        warning = both(
            "没有新的证据：申诉须基于新证据或程序问题，单纯表示不满不会被受理。",
            "No new evidence: an appeal must rest on new evidence or a procedural problem; "
            "disagreeing alone is not accepted.",
        )
    return AppealStatus(ruled, window, appeals, new, ruled.ruling_points, warning.zh, warning.en)
