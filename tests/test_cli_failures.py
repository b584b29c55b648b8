"""What goes wrong under the command line is one line that says what happened and what to do:
a damaged case.sqlite (every command, verify included), a thumbnail that cannot be made, a
disk that fills up in the middle of `add` (every file not imported is named)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from app import cli
from app.evidence.store.case import Case
from tests.test_cli import REPO, run


def _photos(folder: Path, count: int, size: int = 64) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        Image.effect_noise((size, size), 40 + n).convert("RGB").save(folder / f"p{n:02d}.png")
    return folder


@pytest.fixture
def damaged_case(tmp_path: Path) -> Path:
    root = tmp_path / "case"
    Case.create(root, "t").close()
    assert cli.main(["add", str(root), str(_photos(tmp_path / "in", 2))]) == 0
    for extra in ("case.sqlite-wal", "case.sqlite-shm"):
        (root / extra).unlink(missing_ok=True)
    (root / "case.sqlite").write_bytes(os.urandom(8192))
    return root


COMMANDS = [
    ("list", "{case}"),
    ("list", "{case}", "--json"),
    ("timeline", "{case}"),
    ("verify", "{case}"),
    ("export", "{case}", "--pdf", "{tmp}/out.pdf"),
    ("add", "{case}", "{tmp}/in"),
    ("note", "{case}", "1", "x"),
    ("event", "{case}", "called", "--at", "2025-06-01 10:00"),
    ("date", "{case}", "signed", "2025-06-01"),
    ("undo", "{case}"),
    ("redo", "{case}"),
    ("dispute", "{case}", "not_received"),
    ("checklist", "{case}"),
    ("renumber", "{case}"),
    ("redact", "{case}", "--suggest"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:1] + a[2:3]))
def test_a_damaged_case_sqlite_is_one_line_for_every_command(
    damaged_case: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    r = run(*(a.format(case=damaged_case, tmp=tmp_path) for a in args))
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "case.sqlite is damaged" in lines[0] and "backup" in lines[0]
    assert r.returncode == (1 if args[0] == "verify" else 2)
    assert len(list((damaged_case / "originals").rglob("*.png"))) == 2  # never touched


def test_a_damaged_case_in_chinese(damaged_case: Path) -> None:
    r = run("--lang", "zh", "verify", str(damaged_case))
    assert r.returncode == 1 and "已损坏" in r.stderr and "Traceback" not in r.stderr


def test_a_thumbnail_that_fails_is_a_one_line_warning_and_the_item_imports(
    tmp_path: Path,
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    Image.effect_noise((640, 480), 50).convert("RGB").save(src / "good.jpg", quality=90)
    data = (src / "good.jpg").read_bytes()
    scan = data.find(b"\xff\xda")
    (src / "cut.jpg").write_bytes(data[: scan + 400])  # the picture stops after its header
    root = tmp_path / "case"
    assert run("new", str(root), "--title", "t").returncode == 0
    r = run("add", str(root), str(src))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    warned = [line for line in r.stderr.splitlines() if "no thumbnail" in line]
    assert len(warned) == 1 and "cut.jpg" in warned[0], r.stderr
    with Case.open(root, writable=False) as case:
        assert sorted(i.original_name for i in case.items()) == ["cut.jpg", "good.jpg"]


def test_a_decoder_crash_in_a_thumbnail_prints_no_traceback(tmp_path: Path) -> None:
    """A bug-like exception inside the decoder (not an OSError) used to log a traceback."""
    src = _photos(tmp_path / "in", 2)
    root = tmp_path / "case"
    Case.create(root, "t").close()
    script = (
        "import sys\n"
        "import app.evidence.ingest.thumbnails as t\n"
        "def boom(src, max_px, keep=None):\n"
        "    raise RuntimeError('decoder exploded')\n"
        "t._picture_thumbnail = boom\n"
        "from app.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "add", str(root), str(src)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    warned = [line for line in done.stderr.splitlines() if "no thumbnail" in line]
    assert len(warned) == 2 and all("decoder exploded" in line for line in warned)


def test_database_full_mid_add_names_every_remaining_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite says "database or disk is full" on the 4th item: 3 imported, 7 named as not."""
    src = _photos(tmp_path / "in", 10)
    root = tmp_path / "case"
    Case.create(root, "t").close()
    real = Case.add_item
    calls = {"n": 0}

    def filling(self: Case, *args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] > 3:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Case, "add_item", filling)
    code = cli.main(["--lang", "en", "add", str(root), str(src)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in err
    not_imported = [line for line in err.splitlines() if "not imported, the disk is full" in line]
    assert len(not_imported) == 7, err
    named = {line.split("error: ")[1].split(":")[0] for line in not_imported}
    assert named == {f"p{n:02d}.png" for n in range(3, 10)}
    assert "imported 3, already present 0, failed 7" in out
    monkeypatch.undo()
    with Case.open(root, writable=False) as case:
        assert len(case.items()) == 3
    # after space is freed, the same command finishes the job
    assert cli.main(["add", str(root), str(src)]) == 0
    with Case.open(root, writable=False) as case:
        assert len(case.items()) == 10


def _tmpfs(folder: Path, size: str) -> bool:
    if os.geteuid() != 0 or not Path("/bin/mount").exists() and not Path("/usr/bin/mount").exists():
        return False
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def test_disk_full_mid_add_on_a_real_small_disk(tmp_path: Path) -> None:
    """A 1.5 MB tmpfs (root only): the case fills up; every file is either imported or named."""
    disk = tmp_path / "small"
    if not _tmpfs(disk, "1536k"):
        pytest.skip("cannot mount a tmpfs here (not root, or no mount permission)")
    try:
        src = _photos(tmp_path / "in", 16, size=256)  # ~200 KB each: about half fit
        root = disk / "case"
        assert run("new", str(root), "--title", "t").returncode == 0
        r = run("add", str(root), str(src))
        assert "Traceback" not in r.stderr, r.stderr
        assert r.returncode == 2
        summary = r.stdout.strip().splitlines()[-1]
        imported = int(summary.split("imported ")[1].split(",")[0])
        failed = int(summary.split("failed ")[1].split()[0])
        assert imported + failed == 16 and failed > 0, summary
        named = [line for line in r.stderr.splitlines() if "not imported, the disk is full" in line]
        assert len(named) == failed, r.stderr  # every file not imported is named, once
        assert all(line.startswith("error: p") for line in named)
        assert "cannot read" not in r.stderr  # the source files were readable all along
        verify = run("verify", str(root))
        assert verify.returncode == 0, verify.stdout + verify.stderr
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True, check=False)
