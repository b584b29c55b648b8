"""The phone folder hint in the case (migration 10): recorded once, audited, checked by verify."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.evidence.ingest.importer import import_files
from app.evidence.store.case import Case
from app.evidence.store.folder_hints import hints_for, record_hints
from app.evidence.store.migrations import LATEST, migrate, schema_version
from app.evidence.store.verify import verify_case


def _case_with_items(tmp_path: Path, count: int = 2) -> tuple[Case, list[int]]:
    case = Case.create(tmp_path / "case", "hints")
    files = []
    for n in range(count):
        path = tmp_path / f"track{n}.txt"
        path.write_text(f"2025-06-1{n} 10:00 【杭州市】快件已揽收 {n}\n", encoding="utf-8")
        files.append(path)
    ids = [r.item_id for r in import_files(case, files).results if r.item_id]
    return case, ids


def test_hint_recorded_once_audited_and_verify_clean(tmp_path: Path) -> None:
    case, ids = _case_with_items(tmp_path)
    with case:
        assert record_hints(case, {ids[0]: ("DCIM/Camera", "camera")}) == 1
        # a second import of the same bytes does not rewrite where the item first came from
        assert record_hints(case, {ids[0]: ("Pictures/WeiXin", "chat_app")}) == 0
        hints = hints_for(case.connection)
        assert hints[ids[0]].folder == "DCIM/Camera" and hints[ids[0]].source_class == "camera"
        assert ids[1] not in hints
        rows = [e for e in case.audit_entries() if e.action == "item.folder_hint"]
        assert len(rows) == 1 and rows[0].detail == {
            "items": {str(ids[0]): ["DCIM/Camera", "camera"]}
        }
        result = verify_case(case)
        assert result.problems == [], result.problems


def test_verify_names_a_hint_changed_or_added_outside_the_app(tmp_path: Path) -> None:
    case, ids = _case_with_items(tmp_path)
    with case:
        record_hints(case, {ids[0]: ("DCIM/Camera", "camera")})
        conn = case.connection
        conn.execute(
            "UPDATE item_folder_hints SET source_class = 'camera', folder = 'DCIM/100APPLE'"
        )
        conn.execute(
            "INSERT INTO item_folder_hints (item_id, folder, source_class, recorded_at)"
            " VALUES (?, 'DCIM/Camera', 'camera', '2025-06-12T00:00:00+00:00')",
            (ids[1],),
        )
        problems = verify_case(case).problems
    codes = {(p.code, p.item_id) for p in problems}
    assert ("field_changed", ids[0]) in codes
    assert ("row_added", ids[1]) in codes
    assert any("phone folder hint" in p.message or "手机文件夹提示" in p.message for p in problems)


def test_older_case_upgrades_to_10_and_stays_clean(tmp_path: Path) -> None:
    case, ids = _case_with_items(tmp_path)
    root = case.root
    case.close()
    conn = sqlite3.connect(root / "case.sqlite", isolation_level=None)
    for trigger in ("insert", "update", "delete"):
        conn.execute(f"DROP TRIGGER IF EXISTS audit_item_folder_hints_{trigger}")
    conn.execute("DROP TABLE item_folder_hints")
    conn.execute("PRAGMA user_version = 9")
    assert migrate(conn) == LATEST >= 10
    assert schema_version(conn) == LATEST
    conn.close()
    with Case.open(root) as opened:
        assert hints_for(opened.connection) == {}
        record_hints(opened, {ids[1]: ("Pictures/Screenshots", "screenshot")})
        assert verify_case(opened).problems == []


def test_emptying_a_removed_item_takes_its_hint_and_verify_stays_clean(tmp_path: Path) -> None:
    from app.evidence.store.item_state import empty_removed
    from app.evidence.timeline.item_edits import remove_item

    case, ids = _case_with_items(tmp_path)
    with case:
        record_hints(case, {ids[0]: ("DCIM/Camera", "camera"), ids[1]: ("DCIM/Camera", "camera")})
        remove_item(case, ids[0])
        empty_removed(case)
        assert set(hints_for(case.connection)) == {ids[1]}  # the hint went with its item
        assert verify_case(case).problems == []
