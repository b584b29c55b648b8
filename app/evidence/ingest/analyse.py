"""After import: turn tracking text and chat screenshots into timeline events.

Runs after the originals are safely recorded (it is slow for screenshots: OCR takes about a
second each) and only for items not analysed yet, so it can be interrupted and re-run. The
results are derived data: OCR text is cached under derived/ocr, events live in case.sqlite.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.evidence.errors import InputError
from app.evidence.models import Item, ItemKind
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress
from app.evidence.store.case import Case
from app.evidence.store.findings import StoredFinding, replace_findings
from app.evidence.store.undo import edit
from app.evidence.timeline import NewEvent, sync_tracking_items
from app.evidence.timeline.events import insert_event

log = logging.getLogger(__name__)


@dataclass
class AnalysisReport:
    """What the analysis found."""

    tracking_events: dict[int, int] = field(default_factory=dict)  # item id -> events
    chat_messages: dict[int, int] = field(default_factory=dict)  # item id -> messages
    problems: list[str] = field(default_factory=list)


def analyse_case(
    case: Case,
    *,
    ocr: bool = True,
    me_on_right: bool = True,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> AnalysisReport:
    """Parse tracking items and OCR chat screenshots that have no events yet."""
    report = AnalysisReport()
    report.tracking_events = sync_tracking_items(case)
    if not ocr:
        return report
    try:
        report.chat_messages = sync_chats(
            case,
            me_on_right=me_on_right,
            progress=progress,
            cancel=cancel,
            problems=report.problems,
        )
    except Exception as exc:  # OCR trouble must never lose or block the import itself
        log.warning("chat screenshots could not be read", exc_info=True)
        report.problems.append(f"chat screenshots could not be read: {exc}")
    return report


def sync_chats(
    case: Case,
    *,
    me_on_right: bool = True,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    problems: list[str] | None = None,
) -> dict[int, int]:
    """OCR every screenshot (cached), stitch overlapping ones, and store their messages as events.

    A message seen in two overlapping screenshots is kept once (in the upper one); the copy is
    kept as a deleted event so its identity survives re-runs. Where an overlap's pixels differ,
    a stitching finding is stored on both screenshots. Returns item id -> messages kept.
    """
    from app.evidence.ocr import ChatOptions, OcrCache, parse_chat, recognize_cached, stitch

    cache = OcrCache.for_case(case)
    shots = [i for i in case.items() if i.kind is ItemKind.SCREENSHOT]
    transcripts = []
    readable: list[Item] = []
    for n, item in enumerate(shots):
        if cancel is not None and cancel.cancelled:
            return {}
        progress(Progress("ocr", n, len(shots), item.original_name))
        try:
            result = recognize_cached(case.path_of(item), cache, sha256=item.sha256)
        except InputError as exc:
            if problems is not None:
                problems.append(f"{item.original_name}: {exc}")
            continue
        if _store_if_tracking_page(case, item, result):
            continue
        options = ChatOptions(me_on_right=me_on_right)
        transcripts.append(
            parse_chat(result, reference=_reference_day(item), options=options, shot=len(readable))
        )
        readable.append(item)
    if shots:
        progress(Progress("ocr", len(shots), len(shots)))
    chats = [(item, t) for item, t in zip(readable, transcripts, strict=True) if t.messages]
    if not chats:
        return {}
    joined = None
    if len(chats) > 1:
        joined = stitch([case.path_of(item) for item, _ in chats], [t for _, t in chats])
        kept = {(m.shot, m.box): m for m in joined.transcript.messages}
    else:
        kept = {(0, m.box): m for m in chats[0][1].messages}
    counts: dict[int, int] = {}
    for shot, (item, transcript) in enumerate(chats):
        counts[item.id] = _store_chat(case, item, shot, transcript.messages, kept)
    if joined is not None:
        _store_stitch_findings(case, [item for item, _ in chats], joined.findings)
    return counts


def _store_if_tracking_page(case: Case, item: Item, result: Any) -> bool:
    """A screenshot of a courier's tracking page goes through the tracking parser instead."""
    from app.evidence.timeline import record_tracking
    from app.evidence.tracking import parse_tracking

    text = "\n".join(line.text for line in result.lines)
    if not text.strip():
        return False
    try:
        record = parse_tracking(text, reference_date=_reference_day(item))
    except InputError:
        return False
    timed = [
        e for e in record.events if e.time is not None and e.kind.value not in ("text", "other")
    ]
    # several timed scans of known kinds and few lines left over: a tracking page, not a chat
    if len(timed) < 3 or len(timed) < len(record.events) // 3:
        return False
    record_tracking(case, item.id, record)
    return True


def _store_chat(case: Case, item: Item, shot: int, messages: Any, kept: dict[Any, Any]) -> int:
    with edit(
        case, "ocr.chat", "识别聊天截图", {"item": item.id, "messages": len(messages)}, item.id
    ) as (conn, rec):
        existing = {
            r[1]: r[0]
            for r in conn.execute(
                "SELECT id, line_no FROM events WHERE item_id = ? AND source = 'ocr'", (item.id,)
            )
        }
        count = 0
        for line_no, message in enumerate(messages, start=1):
            final = kept.get((shot, message.box))
            chosen = final or message
            payload = {
                "side": str(chosen.side),
                "time_text": chosen.time_text,
                "box": list(message.box),
                "tags": [
                    {"kind": str(t.kind), "value": t.value, "basis": t.basis} for t in chosen.tags
                ],
                "duplicate_of_overlap": final is None,
            }
            new = NewEvent(
                kind="chat_message",
                source="ocr",
                text=chosen.text,
                time=chosen.time,
                item_id=item.id,
                raw_line=message.text,
                line_no=line_no,
                payload=payload,
            )
            if line_no in existing:
                event_id = existing[line_no]
                rec.touch("events", event_id)
                t = new.time
                conn.execute(
                    "UPDATE events SET text = ?, time_local = ?, time_offset_min = ?, "
                    "time_confidence = ?,"
                    " payload_json = ?, deleted_at = NULL WHERE id = ?",
                    (
                        new.text,
                        t.local.isoformat() if t else None,
                        t.offset_minutes if t else None,
                        t.confidence if t else None,
                        json.dumps(payload, ensure_ascii=False),
                        event_id,
                    ),
                )
            else:
                event_id = insert_event(conn, case.now(), new)
                rec.created("events", event_id)
            if (
                final is None
            ):  # the same bubble is already on the timeline from the screenshot above
                conn.execute(
                    "UPDATE events SET deleted_at = ? WHERE id = ?", (case.now(), event_id)
                )
            else:
                count += 1
    return count


def _store_stitch_findings(case: Case, items: list[Item], findings: Any) -> None:
    by_item: dict[int, list[StoredFinding]] = {item.id: [] for item in items}
    for f in findings:
        for index, boxes in ((f.upper, f.upper_boxes), (f.lower, f.lower_boxes)):
            other = items[f.lower if index == f.upper else f.upper]
            by_item[items[index].id].append(
                StoredFinding(
                    code=f.code,
                    severity=f.severity,
                    title_zh=f.title_zh,
                    title_en=f.title_en,
                    explanation_zh=f.explanation_zh,
                    explanation_en=f.explanation_en,
                    false_positives=f"{f.false_positives_zh}\n{f.false_positives_en}",
                    params={
                        **f.parameters,
                        "other_item": other.id,
                        "other_name": other.original_name,
                        "boxes": [list(b) for b in boxes],
                    },
                    origin="stitch",
                    item_id=items[index].id,
                )
            )
    for item_id, rows in by_item.items():
        replace_findings(case, "stitch", item_id, rows)


def _reference_day(item: Item) -> date | None:
    """The day a screenshot was taken, to date 昨天/星期三/bare times; None when unknown."""
    if item.capture_time is not None:
        return item.capture_time.local.date()
    try:
        return datetime.fromisoformat(item.imported_at).date()
    except ValueError:
        return None
