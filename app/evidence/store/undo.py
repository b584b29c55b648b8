"""Undo and redo for every timeline, dispute and summary edit.

Each edit runs inside `edit()`: one SQLite transaction that records the rows it touches
before and after the change (row snapshots, not commands), appends an audit row, and pushes
one step onto the undo log. `undo` writes the "before" snapshots back, `redo` the "after"
ones; both are themselves one transaction with an audit row. A new edit discards the steps
that were undone (the usual linear history). Because steps restore rows, an undo refuses to
run (UndoConflict) when a row was changed since by something outside this mechanism, e.g.
`Case.set_note` called directly, rather than overwrite that change.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from app.evidence.errors import TimelineError, UndoConflict
from app.evidence.store import audit
from app.evidence.store.case import Case

# Tables an edit may touch, with their primary key columns.
TABLES: dict[str, tuple[str, ...]] = {
    "events": ("id",),
    "event_notes": ("event_id",),
    "notes": ("item_id",),
    "timeline_entries": ("entry",),
    "phase_labels": ("phase",),
    "case_dates": ("name",),
    "case_summary": ("id",),
    "case_info": ("id",),
    "submissions": ("id",),
    "checklist_ticks": ("profile", "check_id"),
    "redactions": ("id",),  # app.evidence.privacy (migration 5)
    "ocr_corrections": ("item_id", "line"),  # app.evidence.ocr.corrections (migration 6)
    "item_states": ("item_id",),  # removed / excluded items (migration 8, store.item_state)
    "items": ("id",),  # a kind corrected by hand (store.item_state.set_item_kind)
}

Row = dict[str, Any]


@dataclass(frozen=True)
class UndoStep:
    """One entry of the undo history.

    Attributes:
        state: "done" (can be undone), "undone" (can be redone), "discarded" (a newer edit
            replaced it) or "stale" (its rows were changed elsewhere; it can no longer apply).
    """

    id: int
    at: str
    action: str
    label: str
    state: str


class EditRecorder:
    """Collects before/after snapshots of the rows one edit touches."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._order: list[tuple[str, tuple[Any, ...]]] = []
        self._before: dict[tuple[str, tuple[Any, ...]], Row | None] = {}

    def touch(self, table: str, *key: Any) -> None:
        """Snapshot a row before changing it (call before the UPDATE/DELETE/INSERT)."""
        ref = (table, tuple(key))
        if ref not in self._before:
            self._before[ref] = read_row(self._conn, table, ref[1])
            self._order.append(ref)

    def created(self, table: str, *key: Any) -> None:
        """Record a row that did not exist before (call after an INSERT with a new rowid)."""
        ref = (table, tuple(key))
        if ref not in self._before:
            self._before[ref] = None
            self._order.append(ref)

    def changes(self) -> list[dict[str, Any]]:
        """The touched rows whose content actually changed, in touch order."""
        out = []
        for ref in self._order:
            after = read_row(self._conn, ref[0], ref[1])
            if after != self._before[ref]:
                out.append(
                    {
                        "table": ref[0],
                        "key": list(ref[1]),
                        "before": self._before[ref],
                        "after": after,
                    }
                )
        return out


@contextmanager
def edit(
    case: Case, action: str, label: str, detail: dict[str, Any], item_id: int | None = None
) -> Iterator[tuple[sqlite3.Connection, EditRecorder]]:
    """One undoable edit: a transaction, an audit row and an undo step.

    Nothing is logged when the edit changed no row (setting a value to what it already was).

    Args:
        action: audit action name, e.g. "timeline.time".
        label: short zh text for the GUI's Edit menu ("撤销：设置时间").
        detail: the audit row's detail.
    """
    with case.transaction() as conn:
        recorder = EditRecorder(conn)
        yield conn, recorder
        changes = recorder.changes()
        if not changes:
            return
        at = case.now()
        conn.execute("UPDATE undo_log SET state = 'discarded' WHERE state = 'undone'")
        conn.execute(
            "INSERT INTO undo_log (at, action, label, changes_json) VALUES (?,?,?,?)",
            (at, action, label, json.dumps(changes, ensure_ascii=False)),
        )
        audit.append(conn, at, action, item_id, detail)


@contextmanager
def one_step(case: Case) -> Iterator[None]:
    """The edits made inside the block become one undo step, the first one's (as Qt's
    QUndoStack.beginMacro): for one user action that goes on into further edits, e.g. an OCR
    correction and the chat messages read again from it, undone and redone together.

    Each edit keeps its own transaction and audit row; only the undo log is folded, after the
    block (also when it raises, so what was done stays undoable as one step).
    """
    row = case.connection.execute("SELECT COALESCE(MAX(id), 0) FROM undo_log").fetchone()
    try:
        yield
    finally:
        _fold_steps_after(case, int(row[0]))


def _fold_steps_after(case: Case, last: int) -> None:
    with case.transaction() as conn:
        rows = conn.execute(
            "SELECT id, changes_json FROM undo_log WHERE id > ? AND state = 'done' ORDER BY id",
            (last,),
        ).fetchall()
        if len(rows) < 2:
            return
        merged: dict[tuple[str, tuple[Any, ...]], dict[str, Any]] = {}
        for _, text in rows:
            for change in json.loads(text):
                ref = (change["table"], tuple(change["key"]))
                if ref in merged:
                    merged[ref]["after"] = change["after"]  # the first "before", the last "after"
                else:
                    merged[ref] = dict(change)
        changes = [c for c in merged.values() if c["before"] != c["after"]]
        conn.execute(
            "UPDATE undo_log SET changes_json = ? WHERE id = ?",
            (json.dumps(changes, ensure_ascii=False), rows[0][0]),
        )
        conn.executemany("DELETE FROM undo_log WHERE id = ?", [(r[0],) for r in rows[1:]])


def undo(case: Case) -> UndoStep | None:
    """Revert the latest edit still in effect; None when there is nothing to undo.

    Raises:
        UndoConflict: the edit's rows were changed since by something outside undo; the step
            is marked stale and the next undo goes on with the one before it.
    """
    return _step(case, "done", "before", "undone", "undo")


def redo(case: Case) -> UndoStep | None:
    """Re-apply the edit undone last; None when there is nothing to redo."""
    return _step(case, "undone", "after", "done", "redo")


def history(case: Case) -> list[UndoStep]:
    """Every undo step, oldest first (empty for a case from before the timeline)."""
    if not has_timeline_tables(case.connection):
        return []
    rows = case.connection.execute("SELECT id, at, action, label, state FROM undo_log ORDER BY id")
    return [UndoStep(*r) for r in rows]


def _step(case: Case, state: str, side: str, new_state: str, verb: str) -> UndoStep | None:
    order = "DESC" if verb == "undo" else "ASC"
    stale: UndoStep | None = None
    with case.transaction() as conn:
        row = conn.execute(
            "SELECT id, at, action, label, changes_json FROM undo_log WHERE state = ?"
            f" ORDER BY id {order} LIMIT 1",
            (state,),
        ).fetchone()
        if row is None:
            return None
        step = UndoStep(row[0], row[1], row[2], row[3], new_state)
        changes = json.loads(row[4])
        expected = "after" if side == "before" else "before"
        if any(read_row(conn, c["table"], tuple(c["key"])) != c[expected] for c in changes):
            conn.execute("UPDATE undo_log SET state = 'stale' WHERE id = ?", (step.id,))
            audit.append(
                conn, case.now(), f"{verb}.stale", None, {"step": step.id, "action": step.action}
            )
            stale = step
        else:
            _apply(conn, changes, side)
            conn.execute("UPDATE undo_log SET state = ? WHERE id = ?", (new_state, step.id))
            audit.append(
                conn,
                case.now(),
                verb,
                None,
                {"step": step.id, "action": step.action, "label": step.label},
            )
    if stale is not None:
        raise UndoConflict(
            f"cannot {verb} “{stale.label}”: what it changed was edited elsewhere since"
        )
    return step


def _apply(conn: sqlite3.Connection, changes: list[dict[str, Any]], side: str) -> None:
    # Deletes child-first (reverse touch order), then writes parent-first (touch order), so
    # foreign keys hold at every statement.
    for change in reversed(changes):
        if change[side] is None:
            table, keys = _checked(conn, change["table"])
            where = " AND ".join(f"{k} = ?" for k in keys)
            conn.execute(f"DELETE FROM {table} WHERE {where}", change["key"])
    for change in changes:
        row = change[side]
        if row is None:
            continue
        table, keys = _checked(conn, change["table"], row)
        where = " AND ".join(f"{k} = ?" for k in keys)
        if conn.execute(f"SELECT 1 FROM {table} WHERE {where}", change["key"]).fetchone():
            sets = ", ".join(f"{c} = ?" for c in row)
            conn.execute(
                f"UPDATE {table} SET {sets} WHERE {where}", [*row.values(), *change["key"]]
            )
        else:
            cols = ", ".join(row)
            marks = ",".join("?" for _ in row)
            conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))


def _checked(
    conn: sqlite3.Connection, table: str, row: Row | None = None
) -> tuple[str, tuple[str, ...]]:
    # Names come from the undo log; only known tables and their real columns are accepted.
    if table not in TABLES:
        raise TimelineError(f"undo log names an unknown table {table!r}")
    if row is not None:
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        unknown = set(row) - columns
        if unknown:
            raise TimelineError(f"undo log names unknown columns {sorted(unknown)} of {table}")
    return table, TABLES[table]


def read_row(conn: sqlite3.Connection, table: str, key: tuple[Any, ...]) -> Row | None:
    """One row as a column -> value dict, or None."""
    _, keys = _checked(conn, table)
    where = " AND ".join(f"{k} = ?" for k in keys)
    cur = conn.execute(f"SELECT * FROM {table} WHERE {where}", key)
    row = cur.fetchone()
    if row is None:
        return None
    return {d[0]: v for d, v in zip(cur.description, row, strict=True)}


def has_timeline_tables(conn: sqlite3.Connection) -> bool:
    """True when migration 3 was applied (a case opened read-only may still be on schema 2)."""
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'"
        ).fetchone()
        is not None
    )
