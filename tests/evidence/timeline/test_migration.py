"""Migration 3: timeline, dispute and undo tables on a case made by schema 2."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from app.evidence.disputes import list_json
from app.evidence.store.case import Case
from app.evidence.store.migrations import LATEST, migrate, schema_version
from app.evidence.timeline import add_manual_event, build_timeline, history

TABLES = {
    "events",
    "event_notes",
    "timeline_entries",
    "phase_labels",
    "case_dates",
    "case_summary",
    "submissions",
    "checklist_ticks",
    "undo_log",
}


def _schema2_case(root: Path) -> None:
    (root / "originals").mkdir(parents=True)
    conn = sqlite3.connect(root / "case.sqlite", isolation_level=None)
    assert migrate(conn, target=2) == 2
    conn.execute(
        "INSERT INTO case_info (id, title, role, created_at, dispute) "
        "VALUES (1, '旧案件', 'buyer', '2025-06-01T00:00:00+00:00', 'not_received')"
    )
    conn.execute(
        "INSERT INTO items (sha256, size, kind, format, vault_path, original_name, imported_at,"
        " metadata_json, capture_local, capture_offset_min, capture_source, capture_confidence)"
        " VALUES ('ab', 3, 'photo', 'jpeg', 'originals/ab/ab.jpg', 'old.jpg',"
        " '2025-06-01T00:00:00+00:00', '{}', '2025-06-12T20:05:00', 480, 'exif', 'high')"
    )
    conn.execute(
        "INSERT INTO notes (item_id, text, updated_at)"
        " VALUES (1, '旧说明', '2025-06-01T00:00:00+00:00')"
    )
    conn.close()


def test_schema2_case_gets_migration_3_and_keeps_its_items(tmp_path: Path) -> None:
    root = tmp_path / "old"
    _schema2_case(root)
    with Case.open(root) as case:
        assert LATEST >= 3
        assert schema_version(case.connection) == LATEST
        names = {
            r[0]
            for r in case.connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert names >= TABLES
        (entry,) = build_timeline(case).entries
        assert (entry.key, entry.note, entry.title) == ("item:1", "旧说明", "old.jpg")
        add_manual_event(case, "给快递员打电话")
        assert [s.action for s in history(case)] == ["event.add"]


def test_schema2_case_opened_read_only_lists_without_the_new_tables(tmp_path: Path) -> None:
    root = tmp_path / "old"
    _schema2_case(root)
    with Case.open(root, writable=False) as case:
        assert schema_version(case.connection) == 2
        data = list_json(case, date(2025, 6, 14))
    assert [e["key"] for e in data["timeline"]] == ["item:1"]
    assert data["dispute"]["id"] == "not_received"
    assert data["submissions"] == [] and data["checklist"]


def test_events_of_an_item_keep_a_foreign_key(tmp_path: Path) -> None:
    with Case.create(tmp_path / "c", "t") as case, pytest.raises(sqlite3.IntegrityError):
        case.connection.execute(
            "INSERT INTO events (item_id, kind, source, created_at) VALUES (99, 'x', 'manual', 'n')"
        )
