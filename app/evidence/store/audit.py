"""Append-only audit log whose rows are chained by SHA-256.

Each row's hash covers its own fields and the previous row's hash, so editing a row, deleting
one from the middle, or reordering rows breaks the chain at that point. Deleting rows from the
end cannot be seen from the chain alone; `verify` closes that gap by requiring an audit row for
every item in the case.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from app.evidence.i18n import tr

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log."""

    seq: int
    at: str
    action: str
    item_id: int | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


def _row_hash(prev_hash: str, seq: int, at: str, action: str, item_id: int | None, detail: str) -> str:
    payload = "\x1f".join([prev_hash, str(seq), at, action, "" if item_id is None else str(item_id), detail])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(
    conn: sqlite3.Connection, at: str, action: str, item_id: int | None, detail: dict[str, Any]
) -> AuditEntry:
    """Append one row. Call inside the transaction that makes the change it records."""
    last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = _row_hash(prev, seq, at, action, item_id, text)
    conn.execute(
        "INSERT INTO audit_log (seq, at, action, item_id, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
        (seq, at, action, item_id, text, prev, digest),
    )
    return AuditEntry(seq, at, action, item_id, detail, prev, digest)


def entries(conn: sqlite3.Connection) -> list[AuditEntry]:
    """Every row, oldest first."""
    rows = conn.execute(
        "SELECT seq, at, action, item_id, detail, prev_hash, hash FROM audit_log ORDER BY seq"
    ).fetchall()
    return [AuditEntry(r[0], r[1], r[2], r[3], _load(r[4]), r[5], r[6]) for r in rows]


def _load(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {"unparsable": text}
    return value if isinstance(value, dict) else {"value": value}


def check_chain(conn: sqlite3.Connection) -> list[str]:
    """Recompute the chain; return one plain-words problem per broken place (empty when intact)."""
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    for seq, at, action, item_id, detail, prev_hash, digest in conn.execute(
        "SELECT seq, at, action, item_id, detail, prev_hash, hash FROM audit_log ORDER BY seq"
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
        if _row_hash(prev_hash, seq, at, action, item_id, detail) != digest:
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
