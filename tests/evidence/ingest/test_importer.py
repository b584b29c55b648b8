"""Import: byte-exact originals, idempotence, bad input, cancel and crash consistency."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.evidence.ingest.importer import import_files, iter_import
from app.evidence.models import ItemKind
from app.evidence.progress import CancelToken, Progress
from app.evidence.service.verifying import verify_case
from app.evidence.store.case import Case

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def case(tmp_path: Path):
    with Case.create(tmp_path / "case", "test case") as c:
        yield c


def test_import_keeps_originals_byte_exact_and_read_only(case: Case, corpus_copy) -> None:
    folder = corpus_copy("photos/originals")
    report = import_files(case, [folder])
    assert report.count("imported") == 4 and report.count("failed") == 0
    for item in case.items():
        source = folder / item.original_name
        vault_copy = case.path_of(item)
        assert vault_copy.read_bytes() == source.read_bytes()
        assert not vault_copy.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
        assert (
            vault_copy.relative_to(case.root).as_posix()
            == f"originals/{item.sha256[:2]}/{item.sha256}.{vault_copy.suffix[1:]}"
        )
    kinds = {i.original_name: i.kind for i in case.items()}
    assert kinds["orientation_6.heic"] == ItemKind.PHOTO
    assert verify_case(case).ok


def test_reimport_same_bytes_makes_no_second_item(case: Case, corpus_copy, tmp_path: Path) -> None:
    folder = corpus_copy("photos/originals")
    import_files(case, [folder])
    renamed = tmp_path / "改名 copy.jpg"
    shutil.copyfile(folder / "sanyo-vpcsx550.jpg", renamed)
    report = import_files(case, [folder, renamed])
    assert report.count("duplicate") == 5 and report.count("imported") == 0
    assert len(case.items()) == 4
    assert not any((case.root / "originals" / ".incoming").iterdir())


def test_kind_is_sniffed_from_content_not_name(case: Case, corpus: Path, tmp_path: Path) -> None:
    fake = tmp_path / "really_a_png.jpg"
    shutil.copyfile(corpus / "synthetic/screenshots/chat_part1.png", fake)
    (result,) = list(iter_import(case, [fake]))
    item = case.item(result.item_id)
    assert (item.format, item.kind) == ("png", ItemKind.SCREENSHOT)
    assert item.vault_path.endswith(".png")


def test_forced_kind_is_recorded_as_users_choice(case: Case, corpus: Path, tmp_path: Path) -> None:
    src = tmp_path / "x.png"
    shutil.copyfile(corpus / "synthetic/screenshots/chat_part2.png", src)
    (result,) = list(iter_import(case, [src], kind=ItemKind.PHOTO))
    item = case.item(result.item_id)
    assert (item.kind, item.kind_source) == (ItemKind.PHOTO, "user")


def test_bad_inputs_get_per_file_errors_and_the_batch_goes_on(
    case: Case, corpus: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.jpg").write_bytes(b"")
    (bad / "random.jpg").write_bytes(os.urandom(4096))
    good = bad / "照片 最终版 🙂.jpg"
    shutil.copyfile(corpus / "photos/originals/sanyo-vpcsx550.jpg", good)
    truncated = bad / "truncated.jpg"
    truncated.write_bytes((corpus / "photos/originals/canon-ixus.jpg").read_bytes()[:40000])
    paths = [bad, tmp_path / "does-not-exist.jpg"]
    if sys.platform.startswith("linux"):
        paths.append(
            Path("/proc/self/mem")
        )  # open() works, read() fails with EIO: a truly unreadable file
    results = {Path(r.path).name: r for r in iter_import(case, paths)}
    assert results["empty.jpg"].error_code == "empty_file"
    assert results["random.jpg"].error_code == "unsupported_format"
    assert results["does-not-exist.jpg"].error_code == "not_found"
    if sys.platform.startswith("linux"):
        assert results["mem"].error_code == "unreadable_file"
    assert results[good.name].status == "imported"
    # a damaged file of a known format is kept: it is the user's evidence, flagged, never dropped
    assert results["truncated.jpg"].status == "imported"
    names = {i.original_name for i in case.items()}
    assert names == {good.name, "truncated.jpg"}
    assert verify_case(case).ok


def test_hostile_corpus_never_crashes(case: Case, corpus_copy) -> None:
    folder = corpus_copy("hostile")
    results = list(iter_import(case, [folder]))
    assert len(results) == len(list(folder.iterdir()))
    assert all(r.status in ("imported", "failed") for r in results)
    assert verify_case(case).ok


def test_progress_and_cancel_leave_the_case_consistent(
    case: Case, corpus: Path, tmp_path: Path
) -> None:
    src = tmp_path / "many"
    src.mkdir()
    data = (corpus / "photos/originals/sanyo-vpcsx550.jpg").read_bytes()
    for n in range(30):
        (src / f"p{n:03}.jpg").write_bytes(
            data + n.to_bytes(4, "big")
        )  # distinct bytes, still a JPEG
    seen: list[Progress] = []
    cancel = CancelToken()

    def on_progress(p: Progress) -> None:
        seen.append(p)
        if p.done == 10:
            cancel.cancel()

    results = list(iter_import(case, [src], progress=on_progress, cancel=cancel))
    assert len(results) == 10
    assert seen[0] == Progress("import", 0, 30, total_bytes=30 * (len(data) + 4))  # + bytes (MB/s)
    assert len(case.items()) == 10
    assert not any((case.root / "originals" / ".incoming").iterdir())
    assert verify_case(case).ok
    report = import_files(case, [src])  # running again completes the work
    assert report.count("imported") == 20 and report.count("duplicate") == 10


def test_kill_9_during_import_leaves_an_openable_consistent_case(
    corpus: Path, tmp_path: Path
) -> None:
    src = tmp_path / "many"
    src.mkdir()
    data = (corpus / "photos/originals/canon-ixus.jpg").read_bytes()
    for n in range(150):
        (src / f"IMG_{n:04}.jpg").write_bytes(data + n.to_bytes(4, "big"))
    root = tmp_path / "case"
    Case.create(root, "crash").close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "add", str(root), str(src)],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    count = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            conn = sqlite3.connect(f"file:{root / 'case.sqlite'}?mode=ro", uri=True, timeout=1)
            count = conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
            conn.close()
        except sqlite3.Error:
            pass
        if count >= 20:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < count < 150, "the import should have been killed part-way"
    with Case.open(root) as case:
        assert verify_case(case).ok
        assert conn_integrity(root) == "ok"
        for item in case.items():
            assert case.path_of(item).stat().st_size == item.size
        leftovers = [p for p in (root / "originals").rglob("*") if p.is_file()]
        assert len(leftovers) == len(case.items())
        report = import_files(case, [src])
        assert len(case.items()) == 150
        assert report.count("failed") == 0
        assert verify_case(case).ok


def conn_integrity(root: Path) -> str:
    conn = sqlite3.connect(root / "case.sqlite")
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
