"""The case folder: creation, locking, migrations, audit chain and verify."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from app.evidence.errors import CaseExists, CaseInUse, CaseNotFound, SchemaTooNew
from app.evidence.models import ItemKind
from app.evidence.service.verifying import verify_case
from app.evidence.store import vault
from app.evidence.store.case import Case, NewItem
from app.evidence.store.migrations import LATEST, migrate, schema_version


def _add_blob(case: Case, data: bytes, name: str = "a.txt") -> int:
    src = case.root.parent / f"src-{name}"
    src.write_bytes(data)
    staged = vault.stage_copy(src, case.root)
    rel = vault.commit_copy(staged, case.root, "txt")
    return case.add_item(
        NewItem(
            staged.sha256,
            staged.size,
            ItemKind.TRACKING,
            "sniffed",
            "text",
            rel,
            name,
            None,
            None,
            {},
            None,
        )
    )


def test_create_open_and_info(tmp_path: Path) -> None:
    with Case.create(tmp_path / "c", "退款纠纷", order_no="123", dispute="not_received") as case:
        assert (case.root / "case.sqlite").is_file()
        for sub in ("originals", "derived", "exports"):
            assert (case.root / sub).is_dir()
    with Case.open(tmp_path / "c") as case:
        info = case.info()
    assert (info.title, info.order_no, info.role, info.timezone) == (
        "退款纠纷",
        "123",
        "buyer",
        "Asia/Shanghai",
    )
    conn = sqlite3.connect(tmp_path / "c" / "case.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_create_twice_and_open_missing(tmp_path: Path) -> None:
    Case.create(tmp_path / "c", "t").close()
    with pytest.raises(CaseExists):
        Case.create(tmp_path / "c", "t")
    with pytest.raises(CaseNotFound):
        Case.open(tmp_path / "nothing")


def test_second_writer_is_told_the_case_is_in_use(tmp_path: Path) -> None:
    first = Case.create(tmp_path / "c", "t")
    with pytest.raises(CaseInUse):
        Case.open(tmp_path / "c")
    reader = Case.open(tmp_path / "c", writable=False)  # reading alongside is fine
    assert reader.info().title == "t"
    reader.close()
    first.close()
    Case.open(tmp_path / "c").close()  # free again once the first closed


def test_case_made_by_first_schema_opens_after_migration(tmp_path: Path) -> None:
    root = tmp_path / "old"
    (root / "originals").mkdir(parents=True)
    conn = sqlite3.connect(root / "case.sqlite", isolation_level=None)
    assert migrate(conn, target=1) == 1
    conn.execute(
        "INSERT INTO case_info (id, title, role, created_at) VALUES (1, 'old case', 'buyer', "
        "'2025-01-01T00:00:00+00:00')"
    )
    conn.execute(
        "INSERT INTO items (sha256, size, kind, format, vault_path, original_name, imported_at, "
        "metadata_json) "
        "VALUES ('ab', 3, 'photo', 'jpeg', 'originals/ab/ab.jpg', 'x.jpg', "
        "'2025-01-01T00:00:00+00:00', '{}')"
    )
    conn.close()
    with Case.open(root) as case:
        assert schema_version(case.connection) == LATEST
        (item,) = case.items()
        assert case.info().timezone == "Asia/Shanghai"
    assert (item.original_name, item.kind_source, item.note) == ("x.jpg", "sniffed", "")


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    Case.create(tmp_path / "c", "t").close()
    conn = sqlite3.connect(tmp_path / "c" / "case.sqlite")
    conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    conn.close()
    with pytest.raises(SchemaTooNew):
        Case.open(tmp_path / "c")


def test_notes_and_kind_correction_are_audited(tmp_path: Path) -> None:
    with Case.create(tmp_path / "c", "t") as case:
        item_id = _add_blob(case, b"hello")
        case.set_note(item_id, "  快递柜代收，未经同意  ")
        case.set_kind(item_id, ItemKind.DOCUMENT)
        item = case.item(item_id)
        assert item.note == "快递柜代收，未经同意"
        assert (item.kind, item.kind_source) == (ItemKind.DOCUMENT, "user")
        assert case.item(item.sha256[:8]).id == item_id
        actions = [e.action for e in case.audit_entries()]
        assert actions == ["case.create", "item.import", "item.note", "item.kind"]
        assert verify_case(case).ok


def test_verify_catches_edited_and_deleted_audit_rows(tmp_path: Path, language) -> None:
    with Case.create(tmp_path / "c", "t") as case:
        first = _add_blob(case, b"one", "1.txt")
        _add_blob(case, b"two", "2.txt")
        case.set_note(first, "note")
    db = tmp_path / "c" / "case.sqlite"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute(
        "UPDATE audit_log SET detail = replace(detail, 'note', 'changed') WHERE action = "
        "'item.note'"
    )
    conn.close()
    with Case.open(tmp_path / "c", writable=False) as case:
        codes = {p.code for p in verify_case(case).problems}
    assert codes == {"audit_broken"}

    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DELETE FROM audit_log WHERE seq = 2")
    conn.close()
    with Case.open(tmp_path / "c", writable=False) as case:
        language("en")
        problems = verify_case(case).problems
        language("zh_CN")
        problems_zh = verify_case(case).problems
    assert any("rows 2..2 are missing" in p.message for p in problems if p.code == "audit_broken")
    assert any("审计日志第 2–2 行缺失" in p.message for p in problems_zh)
    assert [p.code for p in problems] == [p.code for p in problems_zh]  # codes stay English
    assert any(p.code == "audit_missing" for p in problems)  # item 1 lost its import record


def test_verify_catches_changed_missing_and_removed_originals(tmp_path: Path) -> None:
    with Case.create(tmp_path / "c", "t") as case:
        a = _add_blob(case, b"original a", "a.txt")
        b = _add_blob(case, b"original b", "b.txt")
        c = _add_blob(case, b"original c", "c.txt")
        path_a, path_b = case.path_of(case.item(a)), case.path_of(case.item(b))
        assert not path_a.stat().st_mode & stat.S_IWUSR  # originals are read-only
    path_a.chmod(0o644)
    path_a.write_bytes(b"original A")
    path_b.chmod(0o644)
    path_b.unlink()
    conn = sqlite3.connect(tmp_path / "c" / "case.sqlite", isolation_level=None)
    conn.execute("DELETE FROM items WHERE id = ?", (c,))
    conn.close()
    with Case.open(tmp_path / "c", writable=False) as case:
        problems = {(p.code, p.item_id) for p in verify_case(case).problems}
    assert ("original_changed", a) in problems
    assert ("original_missing", b) in problems
    assert ("item_removed", c) in problems
    # the removed item's original is evidence of tampering, not a crash leftover: never swept
    with Case.open(tmp_path / "c") as case:
        assert any(p.code == "unexpected_file" for p in verify_case(case).problems)


def test_open_sweeps_crash_leftovers(tmp_path: Path) -> None:
    Case.create(tmp_path / "c", "t").close()
    root = tmp_path / "c"
    (root / "originals" / ".incoming").mkdir(parents=True, exist_ok=True)
    (root / "originals" / ".incoming" / "x.part").write_bytes(b"half")
    orphan = root / "originals" / "ff" / ("f" * 64 + ".jpg")
    orphan.parent.mkdir()
    orphan.write_bytes(b"renamed but never recorded")
    # the marker commit_copy leaves until the row is written: what makes it a crash leftover
    (root / "originals" / ".incoming" / f"{orphan.name}.committing").touch()
    with Case.open(root) as case:
        assert verify_case(case).ok
    assert not orphan.exists()
    assert not (root / "originals" / ".incoming" / "x.part").exists()
