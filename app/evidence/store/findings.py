"""Findings stored in a case: what the integrity checks, stitching and cross-item checks saw.

Findings are derived: each origin's findings for an item are replaced as a whole when that
check runs again. The verdict of an item is stored beside it for quick listing.

A finding is stored as its code and params (every value its texts name) with the texts as they
read when it was written. `load_findings` here returns the row as stored; readers use
app.evidence.checks.texts.stored.load_findings, which renders the texts of a code the catalog
knows from its params (the catalog's current wording) and keeps the stored text as the fallback.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.evidence.store import audit
from app.evidence.store.case import Case


@dataclass(frozen=True)
class StoredFinding:
    """One finding as stored (the shape every check produces)."""

    code: str
    severity: str  # ok | info | warning | alert
    title_zh: str
    title_en: str
    explanation_zh: str
    explanation_en: str
    false_positives: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    origin: str = "check"  # check | stitch | cross
    item_id: int | None = None


def join_false_positives(zh: str, en: str) -> str:
    """The stored `false_positives` column: the Chinese line, then the English one."""
    return "\n".join(v for v in (zh, en) if v)


def replace_findings(
    case: Case,
    origin: str,
    item_id: int | None,
    findings: Iterable[StoredFinding],
    verdict: str | None = None,
) -> None:
    """Replace one origin's findings of one item (or of the case when item_id is None)."""
    rows = list(findings)
    with case.transaction() as conn:
        if item_id is None:
            conn.execute("DELETE FROM findings WHERE origin = ? AND item_id IS NULL", (origin,))
        else:
            conn.execute("DELETE FROM findings WHERE origin = ? AND item_id = ?", (origin, item_id))
        for f in rows:
            conn.execute(
                "INSERT INTO findings (item_id, origin, code, severity, title_zh, title_en, "
                "explanation_zh,"
                " explanation_en, false_positives, params_json, created_at) VALUES "
                "(?,?,?,?,?,?,?,?,?,?,?)",
                (
                    item_id,
                    origin,
                    f.code,
                    f.severity,
                    f.title_zh,
                    f.title_en,
                    f.explanation_zh,
                    f.explanation_en,
                    f.false_positives,
                    json.dumps(f.params, ensure_ascii=False, default=str),
                    case.now(),
                ),
            )
        if verdict is not None and item_id is not None:
            conn.execute("UPDATE items SET verdict = ? WHERE id = ?", (verdict, item_id))
        audit.append(
            conn,
            case.now(),
            f"findings.{origin}",
            item_id,
            {"codes": sorted({f.code for f in rows}), "verdict": verdict},
        )


def load_findings(case: Case, item_id: int | None = None) -> list[StoredFinding]:
    """Findings of one item, or of the whole case when item_id is None, texts as stored."""
    sql = (
        "SELECT code, severity, title_zh, title_en, explanation_zh, explanation_en, "
        "false_positives,"
        " params_json, origin, item_id FROM findings"
    )
    try:
        rows = case.connection.execute(
            sql + (" WHERE item_id = ?" if item_id is not None else "") + " ORDER BY id",
            (item_id,) if item_id is not None else (),
        ).fetchall()
    except sqlite3.OperationalError:  # an older schema opened read-only has no findings table yet
        return []
    return [
        StoredFinding(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7] or "{}"), r[8], r[9]
        )
        for r in rows
    ]


def verdicts(case: Case) -> dict[int, str]:
    """item id -> stored verdict, for items that have one."""
    try:
        return {
            r[0]: r[1]
            for r in case.connection.execute(
                "SELECT id, verdict FROM items WHERE verdict IS NOT NULL"
            )
        }
    except sqlite3.OperationalError:
        return {}
