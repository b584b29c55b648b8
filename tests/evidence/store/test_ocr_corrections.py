"""Migration 6: OCR corrections move from derived/ocr (a cache) into case.sqlite (user data)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from app.evidence.store import audit
from app.evidence.store.case import Case
from app.evidence.store.migrations import LATEST, migrate, schema_version
from app.evidence.store.ocr_corrections import LineCorrection, corrections_of

SHA_A, SHA_B, SHA_GONE = "a" * 64, "b" * 64, "c" * 64
FIX = {
    "line": 2,
    "ocr_text": "138 1234 5678",
    "text": "13812345678",
    "corrected_at": "2025-06-14T02:00:00+00:00",
}


def _schema5_case(root: Path) -> Path:
    """A case as version 5 wrote it: two screenshots, their corrections beside the OCR cache."""
    (root / "originals").mkdir(parents=True)
    conn = sqlite3.connect(root / "case.sqlite", isolation_level=None)
    assert migrate(conn, target=5) == 5
    conn.execute(
        "INSERT INTO case_info (id, title, role, created_at)"
        " VALUES (1, '旧案件', 'buyer', '2025-06-01T00:00:00+00:00')"
    )
    for sha in (SHA_A, SHA_B):
        conn.execute(
            "INSERT INTO items (sha256, size, kind, format, vault_path, original_name,"
            " imported_at, metadata_json)"
            " VALUES (?, 3, 'screenshot', 'png', ?, ?, '2025-06-01T00:00:00+00:00', '{}')",
            (sha, f"originals/{sha[:2]}/{sha}.png", f"{sha[:4]}.png"),
        )
    audit.append(conn, "2025-06-01T00:00:00+00:00", "case.create", None, {"title": "旧案件"})
    conn.close()
    ocr = root / "derived" / "ocr"
    ocr.mkdir(parents=True)
    for sha in (SHA_A, SHA_GONE):
        (ocr / f"{sha}.corrections.json").write_text(
            json.dumps({"schema": 1, "sha256": sha, "corrections": [FIX]}, ensure_ascii=False),
            encoding="utf-8",
        )
    (ocr / f"{SHA_B}.corrections.json").write_text("{damaged", encoding="utf-8")
    return ocr


def test_a_schema5_case_read_only_still_reads_the_files(tmp_path: Path) -> None:
    _schema5_case(tmp_path / "old")
    with Case.open(tmp_path / "old", writable=False) as case:
        assert schema_version(case.connection) == 5
        assert corrections_of(case, SHA_A) == (LineCorrection(**FIX),)
        assert corrections_of(case, SHA_B) == ()  # damaged: nothing, and no crash


def test_opening_writable_moves_the_files_into_the_table_once(tmp_path: Path) -> None:
    ocr = _schema5_case(tmp_path / "old")
    with Case.open(tmp_path / "old") as case:
        assert schema_version(case.connection) == LATEST >= 6
        assert corrections_of(case, SHA_A) == (LineCorrection(**FIX),)
        assert not (ocr / f"{SHA_A}.corrections.json").exists()  # in the case now
        assert (ocr / f"{SHA_B}.corrections.json").exists()  # unreadable: left for a person
        assert (ocr / f"{SHA_GONE}.corrections.json").exists()  # not this case's bytes
        (row,) = [e for e in case.audit_entries() if e.action == "ocr.correct.adopt"]
        assert row.item_id is None and row.detail["corrections"] == [
            {"item": 1, "line": 2, "ocr_text": "138 1234 5678", "text": "13812345678"}
        ]
        assert audit.check_chain(case.connection) == []
    with Case.open(tmp_path / "old") as again:
        assert [e.action for e in again.audit_entries()].count("ocr.correct.adopt") == 1
        assert corrections_of(again, SHA_A) == (LineCorrection(**FIX),)
