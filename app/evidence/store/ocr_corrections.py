"""The user's corrections of OCR lines: user data, kept in case.sqlite (migration 6).

What the OCR read is a cache (``derived/ocr/<sha256>.json``, rebuilt at will); what the user
typed over it is not, so it lives in the ``ocr_corrections`` table, one row per corrected line,
changed only through `app.evidence.ingest.corrections.correct_line` (one transaction, an audit
row, one undo step). Cases from before migration 6 kept corrections beside the cache, in
``derived/ocr/<sha256>.corrections.json``; `adopt_legacy_files` moves those into the table
when the case is opened writable, and a case read without migrating (read-only) still reads them.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.evidence.store import audit

if TYPE_CHECKING:
    from app.evidence.store.case import Case

log = logging.getLogger(__name__)

TABLE = "ocr_corrections"
LEGACY_SUFFIX = ".corrections.json"


@dataclass(frozen=True)
class LineCorrection:
    """The user's text for one OCR line.

    Attributes:
        line: index of the line in the OCR result.
        ocr_text: what the OCR read there when the user corrected it (a correction applies
            only while the line still reads this).
        text: what the user says the line reads.
        corrected_at: UTC ISO 8601.
    """

    line: int
    ocr_text: str
    text: str
    corrected_at: str


def has_table(conn: sqlite3.Connection) -> bool:
    """True when migration 6 was applied (a case opened read-only may be older)."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).fetchone()
    return row is not None


def corrections_of(case: Case, sha256: str) -> tuple[LineCorrection, ...]:
    """Every correction of the item with these bytes, by line (legacy files on an old schema)."""
    conn = case.connection
    if not has_table(conn):
        return read_legacy_file(case.root / "derived" / "ocr" / f"{sha256}{LEGACY_SUFFIX}") or ()
    rows = conn.execute(
        "SELECT c.line, c.ocr_text, c.text, c.corrected_at FROM ocr_corrections c"
        " JOIN items i ON i.id = c.item_id WHERE i.sha256 = ? ORDER BY c.line",
        (sha256,),
    )
    return tuple(LineCorrection(int(r[0]), r[1], r[2], r[3]) for r in rows)


def read_legacy_file(path: Path) -> tuple[LineCorrection, ...] | None:
    """The corrections in a pre-migration-6 ``<sha256>.corrections.json``: empty when there is
    no file, None when it cannot be read (logged, never a crash; the file is left as it is)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ()
    except (OSError, ValueError):
        log.warning("unreadable corrections file %s", path.name)
        return None
    try:
        rows: list[dict[str, Any]] = data.get("corrections", []) if isinstance(data, dict) else []
        return tuple(
            LineCorrection(
                int(r["line"]), str(r["ocr_text"]), str(r["text"]), str(r["corrected_at"])
            )
            for r in rows
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        log.warning("ignoring a malformed corrections file %s", path.name)
        return None


def adopt_legacy_files(case: Case) -> int:
    """Move corrections kept under derived/ocr by an older version into the table.

    One transaction with one audit row ("ocr.correct.adopt"); a line already corrected in the
    table keeps the table's text. The files are removed only after the commit, so a crash in
    between leaves them to be adopted (again, harmlessly) at the next open. Files of bytes that
    are not in the case, and files that cannot be read, are left alone.

    Returns:
        The number of corrections adopted.
    """
    folder = case.root / "derived" / "ocr"
    if not folder.is_dir() or not has_table(case.connection):
        return 0
    files = sorted(folder.glob(f"*{LEGACY_SUFFIX}"))
    if not files:
        return 0
    adopted: list[dict[str, Any]] = []
    done: list[Path] = []
    with case.transaction() as conn:
        for path in files:
            sha256 = path.name[: -len(LEGACY_SUFFIX)]
            row = conn.execute("SELECT id FROM items WHERE sha256 = ?", (sha256,)).fetchone()
            if row is None:
                continue
            fixes = read_legacy_file(path)
            if fixes is None:  # damaged: left where it is for a person (or a later version)
                continue
            for fix in fixes:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO ocr_corrections"
                    " (item_id, line, ocr_text, text, corrected_at) VALUES (?,?,?,?,?)",
                    (row[0], fix.line, fix.ocr_text, fix.text, fix.corrected_at),
                )
                if cur.rowcount:
                    adopted.append(
                        {
                            "item": row[0],
                            "line": fix.line,
                            "ocr_text": fix.ocr_text,
                            "text": fix.text,
                        }
                    )
            done.append(path)
        if adopted:
            audit.append(
                conn,
                case.now(),
                "ocr.correct.adopt",
                None,
                {"corrections": adopted, "from": "derived/ocr"},
            )
    for path in done:
        try:
            path.unlink()
        except OSError:
            log.warning("could not remove %s after adopting it", path.name)
    if adopted:
        log.info("moved %d OCR correction(s) from derived/ocr into the case", len(adopted))
    return len(adopted)
