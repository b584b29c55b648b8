"""What `verify CASE` proves about case.sqlite (issue 15, point 8): a field edited outside the
app (verdict, findings, capture time, note, event, original name, order number), audit rows
removed from the end, an outside edit folded into a later change, stored verdicts that the
originals no longer give, and cases from before the audit state was recorded."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from app.evidence.checks.case_checks import check_case_items
from app.evidence.ingest.importer import import_files
from app.evidence.service.verifying import verify_case
from app.evidence.store import audit
from app.evidence.store.case import Case
from app.evidence.store.findings import StoredFinding, replace_findings
from app.evidence.store.migrations import migrate, schema_version
from app.evidence.timeline import add_manual_event, set_entry_time


def _build(root: Path) -> Path:
    source = root.parent / "in"
    source.mkdir(parents=True)
    for n in range(3):
        Image.new("RGB", (48 + n, 32), (60 * n, 90, 200)).save(source / f"p{n}.jpg", quality=88)
    with Case.create(root, "字段覆盖", order_no="3301234567890") as case:
        assert import_files(case, sorted(source.iterdir())).count("failed") == 0
        case.set_note(1, "外包装破损")
        add_manual_event(case, "联系了快递", datetime(2025, 6, 2, 10, 0))
        set_entry_time(case, "item:2", datetime(2025, 6, 1, 9, 30), "拍摄时相机时间不准")
        check_case_items(case)
    return root


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("fields") / "case")


@pytest.fixture
def case_root(pristine: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "case"
    shutil.copytree(pristine, copy)
    yield copy


def _verify(root: Path):  # type: ignore[no-untyped-def]
    with Case.open(root, writable=False) as case:
        return verify_case(case)


def _sql(root: Path, *statements: str) -> None:
    conn = sqlite3.connect(root / "case.sqlite")
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def test_an_untouched_case_verifies_with_what_it_covers(case_root: Path) -> None:
    result = _verify(case_root)
    assert result.ok, result.problems
    assert result.fields_checked > 10
    assert result.rechecked == 3  # every checked photo's verdict recomputed
    assert any("审计" in n for n in result.notes), result.notes


EDITS = {
    "verdict": (
        "UPDATE items SET verdict = 'camera_original' WHERE id = 1",
        "field_changed",
        "verdict",
    ),
    "findings": ("DELETE FROM findings WHERE item_id = 1", "row_removed", "finding"),
    "capture time": (
        "UPDATE items SET capture_local = '2020-01-01T08:00:00' WHERE id = 2",
        "field_changed",
        "capture_local",
    ),
    "timeline time": (
        "UPDATE timeline_entries SET manual_local = '2019-01-01T08:00:00' WHERE entry = 'item:2'",
        "field_changed",
        "manual_local",
    ),
    "note": ("UPDATE notes SET text = '完好无损' WHERE item_id = 1", "field_changed", "text"),
    "event": ("UPDATE events SET text = '从未联系' WHERE kind = 'manual'", "field_changed", "text"),
    "event added": (
        "INSERT INTO events (kind, source, text, created_at) VALUES ('manual', 'user', 'x', "
        "'2025')",
        "row_added",
        "event",
    ),
    "original name": (
        "UPDATE items SET original_name = 'other.jpg' WHERE id = 3",
        "field_changed",
        "original_name",
    ),
    "order number": ("UPDATE case_info SET order_no = '999'", "field_changed", "order_no"),
}


@pytest.mark.parametrize("what", sorted(EDITS))
def test_a_field_edited_in_case_sqlite_is_named(case_root: Path, what: str, language) -> None:  # type: ignore[no-untyped-def]
    language("en")
    statement, code, word = EDITS[what]
    _sql(case_root, statement)
    result = _verify(case_root)
    found = [p for p in result.problems if p.code == code]
    assert found, result.problems
    assert any(word in p.message for p in found), found


def test_an_outside_edit_is_not_folded_into_the_next_change(case_root: Path, language) -> None:  # type: ignore[no-untyped-def]
    """Edited with sqlite3, then the app changes the same rows: the edit stays reported."""
    language("en")
    _sql(
        case_root,
        "UPDATE notes SET text = '完好无损' WHERE item_id = 1",
        "UPDATE items SET original_name = 'other.jpg' WHERE id = 2",
    )
    with Case.open(case_root) as case:
        case.set_note(1, "the user's new note")
        replace_findings(case, "check", 2, [], verdict="recompressed")
    result = _verify(case_root)
    outside = [p for p in result.problems if p.code == "changed_outside"]
    assert {p.item_id for p in outside} == {1, 2}, result.problems
    assert any("original_name" in p.message for p in outside)


def test_audit_rows_removed_from_the_end_are_seen_after_an_export(
    case_root: Path, tmp_path: Path
) -> None:
    from app.evidence.export import export_case

    with Case.open(case_root, writable=False) as case:
        export_case(case, pdf=tmp_path / "out.pdf", clock=lambda: datetime(2025, 6, 14, tzinfo=UTC))
    assert _verify(case_root).ok
    _sql(case_root, "DELETE FROM audit_log WHERE seq > (SELECT MAX(seq) - 2 FROM audit_log)")
    codes = {p.code for p in _verify(case_root).problems}
    assert "audit_truncated" in codes


def test_without_an_export_truncation_is_said_not_covered(case_root: Path, language) -> None:  # type: ignore[no-untyped-def]
    language("en")
    result = _verify(case_root)
    assert any("removed from the end" in n for n in result.notes), result.notes


def test_stored_verdict_that_the_original_does_not_give_is_reported(case_root: Path) -> None:
    """An audited change (as a re-chained log would be) claims a camera original."""
    fake = StoredFinding("exif_camera", "ok", "相机", "camera", "", "")
    with Case.open(case_root) as case:
        replace_findings(case, "check", 1, [fake], verdict="camera_original")
    result = _verify(case_root)
    assert [p.code for p in result.problems] == ["derived_differs"], result.problems
    assert result.problems[0].item_id == 1
    with Case.open(case_root, writable=False) as case:
        assert verify_case(case, recheck=False).ok  # the chain alone cannot see it


def _schema6_case(root: Path) -> Path:
    """A case as version 6 wrote it: no state recorded in its audit rows."""
    root.mkdir(parents=True)
    for sub in ("originals", "derived", "exports"):
        (root / sub).mkdir()
    conn = sqlite3.connect(root / "case.sqlite", isolation_level=None)
    migrate(conn, target=6)
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO case_info (id, title, order_no, role, created_at)"
        " VALUES (1, '旧', '123', 'buyer', '2025-01-01T00:00:00+00:00')"
    )
    audit.append(conn, "2025-01-01T00:00:00+00:00", "case.create", None, {"title": "旧"})
    conn.execute("COMMIT")
    conn.close()
    return root


def test_an_older_case_says_fields_are_not_covered_until_upgraded(tmp_path: Path, language) -> None:  # type: ignore[no-untyped-def]
    language("en")
    root = _schema6_case(tmp_path / "old")
    result = _verify(root)
    assert result.ok and result.fields_checked == 0
    assert any("before schema 7" in n for n in result.notes), result.notes
    with Case.open(root) as case:  # the upgrade records the state the case has now
        assert schema_version(case.connection) >= audit.STATE_SCHEMA  # later migrations too
        assert case.audit_entries()[-1].action == "audit.state_recorded"
    upgraded = _verify(root)
    assert upgraded.ok, upgraded.problems
    assert any("from audit row 2" in n for n in upgraded.notes), upgraded.notes
    _sql(root, "UPDATE case_info SET order_no = '999'")
    assert {p.code for p in _verify(root).problems} == {"field_changed"}


def test_state_is_covered_by_the_chain(case_root: Path) -> None:
    """Rewriting a recorded state to match an edit breaks the row's hash."""
    _sql(
        case_root,
        "UPDATE audit_log SET state = replace(state, 'a', 'b') WHERE action = 'item.note'",
    )
    codes = {p.code for p in _verify(case_root).problems}
    assert "audit_broken" in codes


def test_an_item_excluded_from_exports_outside_the_app_is_named(case_root: Path, language) -> None:  # type: ignore[no-untyped-def]
    """item_states (migration 8) is covered from migration 9 on."""
    language("en")
    with Case.open(case_root) as case:  # upgraded by this version: the triggers are there
        assert schema_version(case.connection) >= 9
    assert _verify(case_root).ok
    _sql(
        case_root,
        "INSERT INTO item_states (item_id, state, changed_at) VALUES (1, 'excluded', '2025')",
    )
    found = [p for p in _verify(case_root).problems if p.code == "row_added"]
    assert [p.item_id for p in found] == [1], found
    assert "excluded" in found[0].message
