"""Hostile inputs at scale: every file gets a verdict or a clear per-file error, in time and memory.

One batch, run by `hostile_worker` in a process of its own (address space capped with
RLIMIT_AS, a watchdog on each file) so a hang or a blow-up fails these tests instead of taking
the suite down. It imports and checks, one by one, as `evidence-desk add` and `check` do:
  - a subset of Pillow's malformed and unusual test images (tests/robustness/data/pillow, with
    Pillow's licence): corrupt, truncated, huge declared sizes, odd modes, broken EXIF and PNG
    chunks, TIFF oddities, animations, CMYK, 16-bit, and formats EvidenceDesk does not take;
  - the corpus's hostile/ folder;
  - the generated cases of `hostile_files` (cut short, bit-flipped, lying headers, bombs, EXIF
    loops, bogus PNG chunk lengths, MP4 boxes past the end and 1000 deep, a 0-frame video,
    tracking text in two dozen encodings).
The case holds an item with a note and tracking events before the batch; afterwards it verifies
and that item, its note, its events and the audit log up to then are exactly as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.evidence.checks.case_checks import check_case_items
from app.evidence.ingest.analyse import analyse_case
from app.evidence.ingest.importer import import_files
from app.evidence.service.verifying import verify_case
from app.evidence.store.case import Case
from tests.robustness.hostile_files import Expect, write_generated
from tests.robustness.support import REPO, cli_env, integrity, run_cli

PILLOW = Path(__file__).parent / "data" / "pillow"
PER_FILE_SECONDS = 10
"""CPU seconds of the worker process per file (all its threads): wall time on a shared
two-core machine at load 20 is not the file's cost (87_OSError.jpg: 0.6 s CPU, 25 s wall)."""
PER_FILE_MB = 1024
ADDRESS_SPACE_MB = 2048  # RLIMIT_AS: what the loaded libraries map, plus this much
HANG_SECONDS = 90  # a file still running after this stops the batch (the test then fails)
BATCH_SECONDS = 600

CONTROL = ("photos/originals/sanyo-vpcsx550.jpg", "synthetic/tracking/sf_not_received.txt")


@dataclass
class Batch:
    """The batch's outcome: one record per input file, the end-of-batch record, the case."""

    records: dict[str, dict[str, Any]]
    end: dict[str, Any]
    expectations: dict[str, Expect]
    inputs: list[Path]
    case: Path
    before: dict[str, Any]
    control_ids: list[int]


def pillow_files() -> list[Path]:
    """The vendored Pillow test images (not the licence and readme next to them)."""
    return sorted(
        p
        for p in PILLOW.iterdir()
        if p.is_file() and p.name not in ("LICENSE", "README.md", "BMPSUITE-README.txt")
    )


def snapshot(root: Path, control_ids: list[int]) -> dict[str, Any]:
    """What must not change: the control items' rows, notes, events and non-cross findings,
    the audit log and undo log so far, and the control originals' bytes and modes."""
    conn = sqlite3.connect(f"file:{root / 'case.sqlite'}?mode=ro", uri=True)
    marks = ",".join("?" * len(control_ids))
    try:
        shot = {
            "items": conn.execute(
                f"SELECT * FROM items WHERE id IN ({marks}) ORDER BY id", control_ids
            ).fetchall(),
            "notes": conn.execute(
                f"SELECT * FROM notes WHERE item_id IN ({marks})", control_ids
            ).fetchall(),
            "events": conn.execute(
                f"SELECT * FROM events WHERE item_id IN ({marks}) ORDER BY id", control_ids
            ).fetchall(),
            "findings": conn.execute(
                f"SELECT item_id, origin, code, severity, params_json FROM findings "
                f"WHERE item_id IN ({marks}) AND origin != 'cross' ORDER BY id",
                control_ids,
            ).fetchall(),
            "audit": conn.execute("SELECT * FROM audit_log ORDER BY seq").fetchall(),
            "undo": conn.execute("SELECT * FROM undo_log ORDER BY id").fetchall(),
            "case_info": conn.execute("SELECT * FROM case_info").fetchall(),
        }
        paths = [
            r[0]
            for r in conn.execute(
                f"SELECT vault_path FROM items WHERE id IN ({marks})", control_ids
            )
        ]
    finally:
        conn.close()
    shot["originals"] = {
        rel: (
            hashlib.sha256((root / rel).read_bytes()).hexdigest(),
            stat.S_IMODE((root / rel).stat().st_mode),
        )
        for rel in paths
    }
    return shot


def run_worker(case: Path, inputs: list[Path], results: Path) -> None:
    """Run the batch; stop it when one file runs past HANG_SECONDS or the batch past its limit."""
    command = [
        sys.executable, "-m", "tests.robustness.hostile_worker", str(case), str(results),
        "--memory-mb", str(ADDRESS_SPACE_MB), *map(str, inputs),
    ]  # fmt: skip
    log = results.with_suffix(".log")
    with log.open("wb") as err:
        proc = subprocess.Popen(
            command, cwd=REPO, env=cli_env(), stdout=err, stderr=subprocess.STDOUT
        )
        started = last_change = time.monotonic()
        last_size = -1
        while proc.poll() is None:
            time.sleep(0.5)
            size = results.stat().st_size if results.exists() else 0
            now = time.monotonic()
            if size != last_size:
                last_size, last_change = size, now
            if now - last_change > HANG_SECONDS or now - started > BATCH_SECONDS:
                proc.kill()
                proc.wait()
                lines = results.read_text(encoding="utf-8").splitlines() if results.exists() else []
                pytest.fail(f"the batch hung; last record: {lines[-1] if lines else 'none'}")
    if proc.returncode != 0:
        lines = results.read_text(encoding="utf-8").splitlines() if results.exists() else []
        tail = log.read_bytes()[-3000:].decode("utf-8", "replace")
        last = lines[-1] if lines else "nothing"
        pytest.fail(f"the batch process died (exit {proc.returncode}) after {last}:\n{tail}")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Batch:
    """Build the inputs and the case, run the batch once for every test here."""
    root = tmp_path_factory.mktemp("hostile")
    generated = root / "generated"
    generated.mkdir()
    expectations = write_generated(generated, corpus)
    inputs = sorted(generated.iterdir()) + pillow_files() + sorted((corpus / "hostile").iterdir())
    case_root = root / "case"
    with Case.create(case_root, "hostile 举证") as case:
        report = import_files(case, [corpus / rel for rel in CONTROL])
        control_ids = [r.item_id for r in report.results if r.item_id is not None]
        assert len(control_ids) == len(CONTROL)
        case.set_note(control_ids[0], "开箱前拍的 / before unboxing")
        check_case_items(case, control_ids)
        analyse_case(case, ocr=False)
    before = snapshot(case_root, control_ids)
    assert before["events"], "the control tracking text should have become events"
    results = root / "results.jsonl"
    run_worker(case_root, inputs, results)
    lines = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    records = {r["name"]: r for r in lines if "name" in r}
    return Batch(records, lines[-1], expectations, inputs, case_root, before, control_ids)


def test_every_file_gets_an_answer_in_time_and_memory(batch: Batch) -> None:
    assert batch.end.get("done"), "the batch did not run to its end"
    missing = [p.name for p in batch.inputs if p.name not in batch.records]
    assert not missing, f"no record for {missing[:10]}"
    escaped = {n: r["exception"][-800:] for n, r in batch.records.items() if "exception" in r}
    assert not escaped, f"exceptions escaped for {len(escaped)} file(s): {escaped}"
    slow = {
        n: r["cpu_seconds"]
        for n, r in batch.records.items()
        if r.get("cpu_seconds", 0) > PER_FILE_SECONDS
    }
    assert not slow, f"over {PER_FILE_SECONDS} s of CPU: {slow}"
    heavy = {n: r["peak_mb"] for n, r in batch.records.items() if r["peak_mb"] > PER_FILE_MB}
    assert not heavy, f"over {PER_FILE_MB} MB: {heavy}"
    assert "exception" not in batch.end, batch.end["exception"]
    assert batch.end["peak_mb"] < PER_FILE_MB
    hidden = {
        n: r["thumbnail_causes"]
        for n, r in batch.records.items()
        if "MemoryError" in r.get("thumbnail_causes", [])
    }
    assert not hidden, f"ran out of memory (shown as a damaged file): {hidden}"
    for name, record in batch.records.items():
        assert record["import_status"] in ("imported", "duplicate", "failed"), name
        assert record["check_verdict"] in (
            "camera_original",
            "recompressed",
            "edited",
            "unknown",
            "unreadable",
        ), name


def test_per_file_errors_are_clear(batch: Batch) -> None:
    """A file that fails names itself and says why; a kept damaged file is marked unreadable."""
    for name, record in batch.records.items():
        if record["import_status"] == "failed":
            assert record["import_error"] and name in record["message"], record
            assert record["check_verdict"] == "unreadable" and record["check_error"], record
        if record.get("read_error"):
            code = record["read_error"].split(":")[0]
            assert code in (
                "damaged_file",
                "unsupported_format",
                "decompression_bomb",
                "unreadable_file",
            ), record
            assert batch.end.get("verdicts", {}).get(name) == "unreadable", record
        if record["check_verdict"] == "unreadable":
            assert record["check_error"], record


def test_generated_cases_end_as_expected(batch: Batch) -> None:
    wrong = {}
    for name, expect in batch.expectations.items():
        record = batch.records[name]
        got_error = (
            record.get("import_error") or (record.get("read_error") or "").split(":")[0] or None
        )
        if expect.import_status and record["import_status"] != expect.import_status:
            wrong[name] = f"import {record['import_status']}, expected {expect.import_status}"
        elif expect.error_code and got_error != expect.error_code:
            wrong[name] = f"error {got_error}, expected {expect.error_code}"
        elif expect.verdict and record["check_verdict"] != expect.verdict:
            wrong[name] = f"verdict {record['check_verdict']}, expected {expect.verdict}"
    assert not wrong, wrong
    # courier text in the encodings Chinese users meet becomes timeline events
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-32", "gb18030", "big5", "cp1252"):
        name = f"gen_text_{encoding}.txt"
        record = batch.records[name]
        if record["import_status"] == "duplicate":  # same bytes as another encoding's file
            continue
        assert record.get("events", 0) >= 3, record


def test_the_case_verifies_and_nothing_else_changed(batch: Batch) -> None:
    assert integrity(batch.case) == "ok"
    with Case.open(batch.case, writable=False) as case:
        result = verify_case(case)
        assert result.ok, result.problems[:5]
        imported = {r["name"] for r in batch.records.values() if r["import_status"] == "imported"}
        assert len(case.items()) == len(imported) + len(CONTROL)
    after = snapshot(batch.case, batch.control_ids)
    for key, value in batch.before.items():
        if key == "audit":
            assert after["audit"][: len(value)] == value, "the audit log was rewritten"
        elif key == "undo":
            assert after["undo"][: len(value)] == value, "earlier undo steps changed"
        else:
            assert after[key] == value, f"{key} changed"
    allowed = {
        "case.sqlite",
        "case.sqlite-wal",
        "case.sqlite-shm",
        ".writer.lock",
        "originals",
        "derived",
        "exports",
        "举证助手案件.evidencecase",  # the marker the Windows installer associates (winpaths)
    }
    assert {p.name for p in batch.case.iterdir()} <= allowed
    assert not list((batch.case / "originals" / ".incoming").glob("*")), (
        "staged copies were left behind"
    )
    assert run_cli("verify", batch.case).returncode == 0


@pytest.mark.skipif(os.name != "posix", reason="pipes and device links are POSIX")
def test_special_files_in_a_folder_are_skipped_not_read(tmp_path: Path, corpus: Path) -> None:
    """A pipe would block the import forever and a link to /dev/zero never ends; a name that is
    not UTF-8 (GBK from a zip unpacked on Linux) used to abort the whole batch."""
    folder = tmp_path / "in"
    folder.mkdir()
    photo = (corpus / "photos/orientation/landscape_1.jpg").read_bytes()
    (folder / "a_ok.jpg").write_bytes(photo)
    os.mkfifo(folder / "b_pipe.jpg")
    (folder / "c_zero.jpg").symlink_to("/dev/zero")
    (folder / "d_dangling.jpg").symlink_to(tmp_path / "nowhere.jpg")
    (folder / "e_loop").symlink_to(folder)
    gbk_name = os.fsdecode("微信图片_2025.jpg".encode("gbk"))
    (folder / gbk_name).write_bytes(photo + b"\x00")
    case = tmp_path / "case"
    assert run_cli("new", case, "--title", "t").returncode == 0
    added = run_cli("add", case, folder, "--no-ocr", timeout=120)
    assert added.returncode == 2, added.stderr
    assert "imported 2, already present 0, failed 3" in added.stdout, added.stdout + added.stderr
    for name in ("b_pipe.jpg", "c_zero.jpg", "d_dangling.jpg"):
        assert name in added.stderr
    listed = json.loads(run_cli("list", case, "--json").stdout)
    assert sorted(i["original_name"] for i in listed["items"]) == ["a_ok.jpg", "微信图片_2025.jpg"]
    checked = run_cli("check", folder, "--json", timeout=120)
    assert checked.returncode == 2 and len(json.loads(checked.stdout)["files"]) == 5
    assert run_cli("verify", case).returncode == 0
    shutil.rmtree(folder)
