"""Edits of timeline entries: time by hand, phase, order in a minute, notes, hiding, exhibits.

Each function is one undoable edit (`undo.edit`): one transaction, one audit row, one undo
step. Entries are addressed by key (``item:3``, ``event:7``, ``date:signed``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.evidence.store.case import Case
from app.evidence.store.submissions import submitted_numbers
from app.evidence.store.undo import EditRecorder, edit
from app.evidence.timeline.build import build_timeline
from app.evidence.timeline.errors import EntryNotFound, TimelineError
from app.evidence.timeline.model import Phase, Timeline, TimelineEntry
from app.evidence.timeline.times import case_zone, to_recorded


def set_entry_time(case: Case, key: str, when: datetime, reason: str) -> None:
    """Set an entry's time by hand; the original time stays visible next to it.

    Args:
        when: naive = the case's local time; aware keeps its offset.
        reason: why (required): "watermark in the photo shows 6月12日 20:14", ...

    Raises:
        TimelineError: no reason given, or the entry is a case date (use set_case_date).
    """
    _require(case, key)
    if key.startswith("date:"):
        raise TimelineError("a case date is changed with set_case_date")
    if not reason.strip():
        raise TimelineError("say why the time is set by hand (the reason is shown with the time)")
    local, offset = to_recorded(when, case_zone(case.info().timezone))
    detail = {
        "entry": key,
        "time": local.isoformat(),
        "offset_min": offset,
        "reason": reason.strip(),
    }
    with edit(case, "timeline.time", "手动设置时间", detail, _item_id(key)) as (conn, rec):
        # a new time leaves the old minute, so the manual order there no longer applies
        _set_state(
            conn,
            rec,
            key,
            manual_local=local.isoformat(),
            manual_offset_min=offset,
            manual_reason=reason.strip(),
            manual_set_at=case.now(),
            sort_key=None,
        )


def clear_entry_time(case: Case, key: str) -> None:
    """Drop a hand-set time; the entry's own time (or the undated lane) applies again."""
    _require(case, key)
    with edit(
        case, "timeline.time", "恢复原始时间", {"entry": key, "time": None}, _item_id(key)
    ) as (conn, rec):
        _set_state(
            conn,
            rec,
            key,
            manual_local=None,
            manual_offset_min=None,
            manual_reason=None,
            manual_set_at=None,
            sort_key=None,
        )


def set_entry_phase(case: Case, key: str, phase: Phase | str | None) -> None:
    """Put an entry in a phase by hand; None returns it to the automatic phase."""
    _require(case, key)
    value = None
    if phase is not None:
        try:
            value = Phase(phase).value
        except ValueError as exc:
            raise TimelineError(f"unknown phase {phase!r}") from exc
    with edit(
        case, "timeline.phase", "设置阶段", {"entry": key, "phase": value}, _item_id(key)
    ) as (conn, rec):
        _set_state(conn, rec, key, phase=value)


def set_entry_hidden(case: Case, key: str, hidden: bool) -> None:
    """Leave an entry out of the chain (or bring it back); its exhibit number is kept."""
    _require(case, key)
    label = "从证据链移除" if hidden else "恢复到证据链"
    with edit(case, "timeline.hidden", label, {"entry": key, "hidden": hidden}, _item_id(key)) as (
        conn,
        rec,
    ):
        _set_state(conn, rec, key, hidden=1 if hidden else 0)


def set_entry_note(case: Case, key: str, text: str) -> None:
    """Set (or clear, with empty text) the short note (简要文字说明) of any entry."""
    _require(case, key)
    text = text.strip()
    kind, _, ident = key.partition(":")
    with edit(
        case,
        "item.note" if kind == "item" else f"{kind}.note",
        "修改说明",
        {"entry": key, "text": text},
        _item_id(key),
    ) as (conn, rec):
        now = case.now()
        if kind == "date":
            rec.touch("case_dates", ident)
            conn.execute("UPDATE case_dates SET note = ? WHERE name = ?", (text, ident))
            return
        table, column = ("notes", "item_id") if kind == "item" else ("event_notes", "event_id")
        rec.touch(table, int(ident))
        if text:
            conn.execute(
                f"INSERT INTO {table} ({column}, text, updated_at) VALUES (?,?,?)"
                f" ON CONFLICT({column}) DO UPDATE SET text = excluded.text,"
                " updated_at = excluded.updated_at",
                (int(ident), text, now),
            )
        else:
            conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (int(ident),))


def reorder(case: Case, keys: Sequence[str]) -> None:
    """Set the order of the entries that share one minute (or of the undated lane).

    Args:
        keys: every visible entry of that minute (or of the undated lane), in the new order.

    Raises:
        TimelineError: the keys are not exactly one minute's (or the undated lane's) entries.
    """
    timeline = build_timeline(case)
    bucket = _bucket(timeline, keys[0]) if keys else []
    if sorted(keys) != sorted(e.key for e in bucket):
        shown = ", ".join(e.key for e in bucket)
        raise TimelineError(f"reordering works inside one minute; that minute holds: {shown}")
    with edit(case, "timeline.order", "调整顺序", {"entries": list(keys)}) as (conn, rec):
        for position, key in enumerate(keys):
            _set_state(conn, rec, key, sort_key=position)


def move_entry(case: Case, key: str, steps: int) -> None:
    """Move an entry up (negative) or down (positive) among the entries of its minute.

    Raises:
        TimelineError: the move would leave the minute (change the time instead).
    """
    timeline = build_timeline(case)
    order = [e.key for e in _bucket(timeline, key)]
    position = order.index(key)
    target = position + steps
    if not 0 <= target < len(order):
        raise TimelineError(
            "an entry only moves among the entries of its minute; set its time to move further"
        )
    order.insert(target, order.pop(position))
    reorder(case, order)


def assign_exhibit_numbers(case: Case) -> dict[str, int]:
    """Fix the provisional exhibit numbers as shown (existing numbers never change).

    Returns:
        entry key -> number, for the entries numbered now.
    """
    timeline = build_timeline(case)
    new = {
        e.key: e.exhibit_no for e in timeline.visible() if e.exhibit_provisional and e.exhibit_no
    }
    with edit(case, "timeline.exhibits", "确定证据编号", {"assigned": new}) as (conn, rec):
        for key, number in new.items():
            _set_state(conn, rec, key, exhibit_no=number)
    return {k: v for k, v in new.items() if v is not None}


def renumber_exhibits(case: Case) -> dict[str, int]:
    """Number every exhibit 证据1, 证据2 ... in the current timeline order (on request only).

    Hidden entries give up their numbers. Returns entry key -> new number.
    """
    timeline = build_timeline(case)
    visible = [e for e in timeline.visible() if e.is_item]
    # a number sent to the platform never changes (issue 18); the others take the free ones
    fixed = submitted_numbers(case)
    numbers, used, free = {}, set(fixed.values()), 1
    for e in visible:
        if e.key in fixed:
            numbers[e.key] = fixed[e.key]
            continue
        while free in used:
            free += 1
        numbers[e.key], free = free, free + 1
    before = {
        e.key: e.exhibit_no
        for e in timeline.all_entries()
        if e.is_item and not e.exhibit_provisional
    }
    with edit(
        case, "timeline.renumber", "重新编号证据", {"numbers": numbers, "before": before}
    ) as (conn, rec):
        for e in timeline.hidden:
            if e.is_item and e.exhibit_no is not None and e.key not in fixed:
                _set_state(conn, rec, e.key, exhibit_no=None)
        for key, number in numbers.items():
            _set_state(conn, rec, key, exhibit_no=number)
    return numbers


def _bucket(timeline: Timeline, key: str) -> list[TimelineEntry]:
    entry = timeline.get(key)
    if entry is None or entry.hidden:
        raise EntryNotFound(f"{key} is not on the timeline (hidden entries are not ordered)")
    if entry.time is None:
        return list(timeline.undated)
    return [e for e in timeline.entries if e.time and e.time.minute == entry.time.minute]


def _set_state(conn: sqlite3.Connection, rec: EditRecorder, key: str, **values: Any) -> None:
    rec.touch("timeline_entries", key)
    conn.execute("INSERT OR IGNORE INTO timeline_entries (entry) VALUES (?)", (key,))
    sets = ", ".join(f"{column} = ?" for column in values)
    conn.execute(f"UPDATE timeline_entries SET {sets} WHERE entry = ?", (*values.values(), key))


def _item_id(key: str) -> int | None:
    kind, _, ident = key.partition(":")
    return int(ident) if kind == "item" else None


def _require(case: Case, key: str) -> None:
    kind, _, ident = key.partition(":")
    conn = case.connection
    queries = {
        "item": "SELECT 1 FROM items WHERE id = ?",
        "event": "SELECT 1 FROM events WHERE id = ? AND deleted_at IS NULL",
        "date": "SELECT 1 FROM case_dates WHERE name = ?",
    }
    if kind in queries and (kind == "date" or ident.isdigit()):
        value: int | str = ident if kind == "date" else int(ident)
        if conn.execute(queries[kind], (value,)).fetchone():
            return
    raise EntryNotFound(f"no timeline entry {key!r}")
