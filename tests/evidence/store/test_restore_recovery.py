"""An older case.sqlite put back (a backup, a sync conflict) never costs the newer originals
(issue 15, point 7): the next writable open moves them to recovered/, says so, verify reports
them, and `recover` imports them back, audited."""

from __future__ import annotations

import hashlib
import logging
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app import cli
from app.evidence.ingest.importer import import_files, recover_files
from app.evidence.service.verifying import verify_case
from app.evidence.store.case import Case

OPENED = datetime(2025, 6, 14, 3, 0, tzinfo=UTC)


def _restored_case(tmp_path: Path) -> tuple[Path, bytes]:
    """A case whose case.sqlite was put back to a backup made before `newer.txt` was imported."""
    root = tmp_path / "case"
    older, newer = tmp_path / "older.txt", tmp_path / "newer.txt"
    older.write_text("2025-06-12 10:00 【杭州市】快件已揽收\n", encoding="utf-8")
    newer.write_text("2025-06-13 09:30 【上海市】已签收\n", encoding="utf-8")
    with Case.create(root, "t") as case:
        import_files(case, [older])
    shutil.copyfile(root / "case.sqlite", tmp_path / "backup.sqlite")
    with Case.open(root) as case:
        import_files(case, [newer])
    shutil.copyfile(tmp_path / "backup.sqlite", root / "case.sqlite")
    newer_bytes = newer.read_bytes()
    newer.unlink()  # the user's only copy is now the case's
    return root, newer_bytes


def _originals_on_disk(root: Path) -> set[str]:
    return {hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*.txt") if p.is_file()}


def test_open_after_a_restore_keeps_newer_originals_aside(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root, newer = _restored_case(tmp_path)
    sha = hashlib.sha256(newer).hexdigest()
    with caplog.at_level(logging.WARNING), Case.open(root, clock=lambda: OPENED) as case:
        problems = verify_case(case).problems
    assert sha in _originals_on_disk(root)  # never deleted
    recovered = case.recovered
    assert recovered == (f"recovered/20250614T030000Z/{sha}.txt",)
    assert (root / recovered[0]).read_bytes() == newer
    assert "evidence-desk recover" in caplog.text
    assert [p.code for p in problems] == ["recovered_file"]  # verify still says so
    with Case.open(root) as case:  # a second open neither loses nor moves it again
        assert case.recovered == recovered
        assert not verify_case(case).ok


def test_recover_imports_them_back_audited(tmp_path: Path) -> None:
    root, newer = _restored_case(tmp_path)
    sha = hashlib.sha256(newer).hexdigest()
    with Case.open(root) as case:
        report = recover_files(case)
        assert [r.status for r in report.results] == ["imported"]
        item = case.item(sha[:12])
        assert case.path_of(item).read_bytes() == newer
        recover_rows = [e for e in case.audit_entries() if e.action == "case.recover"]
        assert len(recover_rows) == 1
        assert list(recover_rows[0].detail["files"].values()) == [item.id]
        result = verify_case(case)
        assert result.ok, result.problems
        assert case.recovered  # what this open found; the folder itself is empty now
    assert not (root / "recovered").exists() or not any((root / "recovered").rglob("*"))
    with Case.open(root) as case:
        assert case.recovered == ()


def test_cli_recover(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, newer = _restored_case(tmp_path)
    assert cli.main(["--lang", "en", "recover", str(root)]) == 0
    assert "imported 1," in capsys.readouterr().out
    assert cli.main(["--lang", "en", "verify", str(root)]) == 0
    assert cli.main(["--lang", "en", "recover", str(root)]) == 0
    assert "nothing to recover" in capsys.readouterr().out


def test_a_crash_leftover_is_still_tidied(tmp_path: Path) -> None:
    """A copy renamed into originals/ whose row never came (kill -9) is not kept aside."""
    root = tmp_path / "case"
    Case.create(root, "t").close()
    leftover = root / "originals" / "ab" / ("ab" * 32 + ".txt")
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"copied, renamed, then killed")
    (root / "originals" / ".incoming").mkdir(exist_ok=True)
    (root / "originals" / ".incoming" / f"{leftover.name}.committing").touch()
    with Case.open(root) as case:
        assert verify_case(case).ok
        assert case.recovered == ()
    assert not leftover.exists()
    assert not any((root / "originals" / ".incoming").iterdir())


def test_a_row_written_removes_its_marker(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("2025-06-12 10:00 【杭州市】快件已揽收\n", encoding="utf-8")
    with Case.create(tmp_path / "case", "t") as case:
        import_files(case, [source])
    incoming = tmp_path / "case" / "originals" / ".incoming"
    assert not [p for p in incoming.iterdir() if p.name.endswith(".committing")]
    conn = sqlite3.connect(tmp_path / "case" / "case.sqlite")
    assert conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 1
    conn.close()
