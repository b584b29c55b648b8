"""Append-only audit log whose rows are chained by SHA-256, and what each change left behind.

Each row's hash covers its own fields and the previous row's hash, so editing a row, deleting
one from the middle, or reordering rows breaks the chain at that point.

From schema 7 on, each row also records the state its change left: for every covered row it
touched (an item, a note, an event, a finding, ...), a short hash of each field's new value, or
null for a row removed (`state`, covered by the row's hash). SQLite triggers note which rows a
transaction touched in `audit_pending`; `append` hashes those rows as they are at that moment.
`replay` folds these records into what every covered row must look like now, so `verify` can
tell a field edited in case.sqlite without the app (the triggers do not make an edit honest: a
changed value no longer matches the hash its last audited change recorded).

Deleting rows from the end cannot be seen from the chain alone: `verify` compares the chain
with the head each export recorded (the manifest copy kept in exports/) and requires an import
row for every item. Nothing here is keyed: someone who rewrites case.sqlite can recompute every
hash; only a copy kept elsewhere (an earlier export) shows that.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.evidence.i18n import tr

GENESIS = "0" * 64
STATE_SCHEMA = 7  # the first schema whose audit rows record the state they left

# The rows and fields the audit state covers: table -> (the columns of its key, the fields
# hashed). This is the set migration 7's triggers were made from: a later migration that
# covers more adds its own triggers and its own entries, never edits these.
COVERED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "case_info": (
        ("id",),
        ("id", "title", "order_no", "dispute", "role", "created_at", "timezone"),
    ),
    "items": (
        ("id",),
        (
            "id",
            "sha256",
            "size",
            "kind",
            "format",
            "vault_path",
            "original_name",
            "imported_at",
            "file_mtime",
            "capture_local",
            "capture_offset_min",
            "capture_source",
            "capture_confidence",
            "capture_note",
            "metadata_json",
            "read_error",
            "kind_source",
            "verdict",
        ),
    ),
    "notes": (("item_id",), ("item_id", "text", "updated_at")),
    "events": (
        ("id",),
        (
            "id",
            "item_id",
            "kind",
            "source",
            "time_local",
            "time_offset_min",
            "time_confidence",
            "text",
            "raw_line",
            "line_no",
            "payload_json",
            "created_at",
            "deleted_at",
        ),
    ),
    "event_notes": (("event_id",), ("event_id", "text", "updated_at")),
    "timeline_entries": (
        ("entry",),
        (
            "entry",
            "phase",
            "manual_local",
            "manual_offset_min",
            "manual_reason",
            "manual_set_at",
            "sort_key",
            "exhibit_no",
            "hidden",
        ),
    ),
    "phase_labels": (("phase",), ("phase", "zh", "en")),
    "case_dates": (("name",), ("name", "local", "offset_min", "has_time", "note", "updated_at")),
    "case_summary": (
        ("id",),
        (
            "id",
            "shop",
            "item_title",
            "amount",
            "currency",
            "claim",
            "category",
            "statement",
            "updated_at",
        ),
    ),
    "submissions": (
        ("id",),
        (
            "id",
            "kind",
            "submitted_at",
            "export_ref",
            "entries_json",
            "note",
            "ruling_date",
            "ruling_outcome",
            "ruling_points",
            "created_at",
        ),
    ),
    "checklist_ticks": (
        ("profile", "check_id"),
        ("profile", "check_id", "state", "note", "updated_at"),
    ),
    "redactions": (
        ("id",),
        (
            "id",
            "item_id",
            "page",
            "frame_ms",
            "x",
            "y",
            "w",
            "h",
            "kind",
            "state",
            "reason",
            "text",
            "masked",
            "created_at",
            "updated_at",
        ),
    ),
    "ocr_corrections": (
        ("item_id", "line"),
        ("item_id", "line", "ocr_text", "text", "corrected_at"),
    ),
    "findings": (
        ("id",),
        (
            "id",
            "item_id",
            "origin",
            "code",
            "severity",
            "title_zh",
            "title_en",
            "explanation_zh",
            "explanation_en",
            "false_positives",
            "params_json",
            "created_at",
        ),
    ),
}
# Covered from schema 9 on (migration 9 adds its triggers): items removed or left out of
# exports by the user (app.evidence.store.item_state, migration 8).
COVERED["item_states"] = (("item_id",), ("item_id", "state", "changed_at"))
# Covered from schema 10 on (migration 10 adds the table and its triggers): the phone folder
# each item came from, a hint kept beside the item, never evidence (store/folder_hints.py).
COVERED["item_folder_hints"] = (
    ("item_id",),
    ("item_id", "folder", "source_class", "recorded_at"),
)
# the schema whose migration added each covered table's triggers
COVERED_FROM: dict[str, int] = {table: STATE_SCHEMA for table in COVERED} | {
    "item_states": 9,
    "item_folder_hints": 10,
}
OUTSIDE = "_outside"  # state key: rows found changed outside the app when the app changed them


def key_sql(columns: tuple[str, ...], row: str = "") -> str:
    """The SQL text of a covered row's key ("id", or "profile || char(31) || check_id")."""
    return " || char(31) || ".join(f"{row}{c}" for c in columns)


RowState = dict[str, str]  # field -> short hash of its value


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log.

    Attributes:
        state: {table: {key: {field: hash} or None}} the change left (None before schema 7).
    """

    seq: int
    at: str
    action: str
    item_id: int | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str
    state: dict[str, Any] | None = None


def _row_hash(
    prev_hash: str,
    seq: int,
    at: str,
    action: str,
    item_id: int | None,
    detail: str,
    state: str | None = None,
) -> str:
    fields = [prev_hash, str(seq), at, action, "" if item_id is None else str(item_id), detail]
    if state is not None:  # rows written before schema 7 hash as they always did
        fields.append(state)
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


def records_state(conn: sqlite3.Connection) -> bool:
    """True when this database has the state column and the triggers (schema 7 or later)."""
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_pending'"
        ).fetchone()
        is not None
    )


def begin(conn: sqlite3.Connection) -> None:
    """Call first in every write transaction: forget rows noted outside an audited change.

    What the triggers noted since the last audit row was written by something that appended
    none (an edit made with another SQLite tool, or an edit that changed nothing). Forgetting
    the notes keeps that out of the next row's record: the next change that touches such a row
    notes it again with its value at that moment, which `append` compares with what the log
    recorded.
    """
    if records_state(conn):
        conn.execute("DELETE FROM audit_pending")


def append(
    conn: sqlite3.Connection, at: str, action: str, item_id: int | None, detail: dict[str, Any]
) -> AuditEntry:
    """Append one row. Call inside the transaction that makes the change it records."""
    last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if not records_state(conn):
        digest = _row_hash(prev, seq, at, action, item_id, text)
        conn.execute(
            "INSERT INTO audit_log (seq, at, action, item_id, detail, prev_hash, hash)"
            " VALUES (?,?,?,?,?,?,?)",
            (seq, at, action, item_id, text, prev, digest),
        )
        return AuditEntry(seq, at, action, item_id, detail, prev, digest)
    state = _take_pending(conn)
    state_text = json.dumps(state, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = _row_hash(prev, seq, at, action, item_id, text, state_text)
    conn.execute(
        "INSERT INTO audit_log (seq, at, action, item_id, detail, prev_hash, hash, state)"
        " VALUES (?,?,?,?,?,?,?,?)",
        (seq, at, action, item_id, text, prev, digest, state_text),
    )
    return AuditEntry(seq, at, action, item_id, detail, prev, digest, state)


def _take_pending(conn: sqlite3.Connection) -> dict[str, Any]:
    """Hash the rows this transaction touched, note any found changed outside the app before
    it touched them, keep the result in audit_state and clear the list."""
    touched: dict[str, list[tuple[str, str | None]]] = {}
    for table, key, before in conn.execute(
        "SELECT tbl, key, before FROM audit_pending ORDER BY tbl, key"
    ):
        touched.setdefault(table, []).append((str(key), before))
    state: dict[str, Any] = {}
    outside: dict[str, list[str]] = {}
    for table, marks in touched.items():
        if table not in COVERED:
            continue
        fields = COVERED[table][1]
        found = dict(current_rows(conn, table, [key for key, _ in marks]))
        rows: dict[str, RowState | None] = {}
        for key, before in marks:
            then = _recorded(conn, table, key)
            was = _before_state(fields, before)
            if was != then:
                outside[f"{table}\x1f{key}"] = differing(then, was)
            now = found.get(key)
            rows[key] = now
            if now is None:
                conn.execute("DELETE FROM audit_state WHERE tbl = ? AND key = ?", (table, key))
            else:
                conn.execute(
                    "INSERT INTO audit_state (tbl, key, fields) VALUES (?,?,?)"
                    " ON CONFLICT (tbl, key) DO UPDATE SET fields = excluded.fields",
                    (table, key, json.dumps(now, sort_keys=True, separators=(",", ":"))),
                )
        state[table] = rows
    if outside:
        state[OUTSIDE] = outside
    conn.execute("DELETE FROM audit_pending")
    return state


def _recorded(conn: sqlite3.Connection, table: str, key: str) -> RowState | None:
    row = conn.execute(
        "SELECT fields FROM audit_state WHERE tbl = ? AND key = ?", (table, key)
    ).fetchone()
    if row is None:
        return None
    try:
        value = json.loads(row[0])
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _before_state(fields: tuple[str, ...], before: str | None) -> RowState | None:
    """The row as it was when this transaction first touched it (None: it did not exist)."""
    if before is None:
        return None
    try:
        values = json.loads(before)
    except json.JSONDecodeError:
        return {}
    if not isinstance(values, list) or len(values) != len(fields):
        return {}
    return {f: field_hash(v) for f, v in zip(fields, values, strict=True)}


def differing(then: RowState | None, now: RowState | None) -> list[str]:
    """The fields that differ between two states of a row (["row"]: it exists in one only)."""
    if then is None or now is None:
        return ["row"]
    return sorted(f for f in then.keys() | now.keys() if then.get(f) != now.get(f))


def field_hash(value: Any) -> str:
    """A field's value as a short hash (type-exact: 1 and "1" differ)."""
    text = json.dumps(value, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def current_rows(
    conn: sqlite3.Connection, table: str, keys: Iterable[str] | None = None
) -> Iterable[tuple[str, RowState]]:
    """(key, {field: hash}) of a covered table's rows: all of them, or those with these keys."""
    key_columns, fields = COVERED[table]
    present = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    if not present:
        return
    columns = [f for f in fields if f in present]
    key = key_sql(key_columns)
    select = f"SELECT CAST({key} AS TEXT), {', '.join(columns)} FROM {table}"
    # a one-column key is looked up through its index (the column's affinity converts '5')
    where = key if len(key_columns) == 1 else f"CAST({key} AS TEXT)"
    if keys is None:
        rows: Iterable[tuple[Any, ...]] = conn.execute(select)
    else:
        wanted = list(keys)
        found: list[tuple[Any, ...]] = []
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            marks = ",".join("?" for _ in part)
            found += conn.execute(f"{select} WHERE {where} IN ({marks})", part).fetchall()
        rows = found
    for row in rows:
        yield str(row[0]), {f: field_hash(v) for f, v in zip(columns, row[1:], strict=True)}


@dataclass
class Replay:
    """The audit log's record of the covered rows.

    Attributes:
        expected: (table, key) -> {field: hash} after the last audited change, None for a row
            that was removed.
        first: seq of the first row that recorded state (None: an older case, no record).
        outside: (seq, table, key, fields) of rows an audited change found already changed
            outside the app (before the change at row seq).
    """

    expected: dict[tuple[str, str], RowState | None]
    first: int | None
    outside: list[tuple[int, str, str, list[str]]]


def replay(conn: sqlite3.Connection) -> Replay:
    """Fold the state every audit row recorded into what each covered row must be now."""
    out = Replay({}, None, [])
    columns = {r[1] for r in conn.execute("PRAGMA table_info(audit_log)")}
    if "state" not in columns:
        return out
    for seq, text in conn.execute(
        "SELECT seq, state FROM audit_log WHERE state IS NOT NULL ORDER BY seq"
    ):
        if out.first is None:
            out.first = seq
        try:
            state = json.loads(text)
        except json.JSONDecodeError:
            continue  # the chain check reports the edited row
        if not isinstance(state, dict):
            continue
        for table, rows in state.items():
            if not isinstance(rows, dict):
                continue
            if table == OUTSIDE:
                for ref, fields in rows.items():
                    where, _, key = str(ref).partition("\x1f")
                    out.outside.append((seq, where, key, [str(f) for f in fields or []]))
                continue
            for key, fields in rows.items():
                out.expected[(table, key)] = fields if isinstance(fields, dict) else None
    return out


def entries(conn: sqlite3.Connection) -> list[AuditEntry]:
    """Every row, oldest first."""
    has_state = "state" in {r[1] for r in conn.execute("PRAGMA table_info(audit_log)")}
    rows = conn.execute(
        "SELECT seq, at, action, item_id, detail, prev_hash, hash"
        + (", state" if has_state else ", NULL")
        + " FROM audit_log ORDER BY seq"
    ).fetchall()
    return [
        AuditEntry(r[0], r[1], r[2], r[3], _load(r[4]), r[5], r[6], _load(r[7]) if r[7] else None)
        for r in rows
    ]


def _load(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {"unparsable": text}
    return value if isinstance(value, dict) else {"value": value}


def chain_head(conn: sqlite3.Connection) -> tuple[int, str] | None:
    """(row count, hash of the newest row), None for an empty log."""
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else None


def check_chain(conn: sqlite3.Connection) -> list[str]:
    """Recompute the chain; return one plain-words problem per broken place (empty when intact)."""
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    has_state = "state" in {r[1] for r in conn.execute("PRAGMA table_info(audit_log)")}
    for seq, at, action, item_id, detail, prev_hash, digest, state in conn.execute(
        "SELECT seq, at, action, item_id, detail, prev_hash, hash"
        + (", state" if has_state else ", NULL")
        + " FROM audit_log ORDER BY seq"
    ):
        if seq != expected_seq:
            problems.append(
                tr(
                    "审计日志第 {first}–{last} 行缺失",
                    "audit log rows {first}..{last} are missing",
                    first=expected_seq,
                    last=seq - 1,
                )
            )
        if prev_hash != prev:
            problems.append(
                tr(
                    "审计日志第 {seq} 行与上一行接不上（有记录被删除或替换）",
                    "audit log row {seq} does not follow the row before it "
                    "(a row was removed or replaced)",
                    seq=seq,
                )
            )
        if _row_hash(prev_hash, seq, at, action, item_id, detail, state) != digest:
            problems.append(
                tr(
                    "审计日志第 {seq} 行（{action}）写入后被改动过",
                    "audit log row {seq} ({action}) was edited after it was written",
                    seq=seq,
                    action=action,
                )
            )
        prev = digest
        expected_seq = seq + 1
    return problems
