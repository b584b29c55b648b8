"""Faults: kill -9 at random points, a full disk, a read-only case, two writers, files changed
behind the app's back. Nothing the user gathered may be lost or half-present, ever.

Kill trials: `evidence-desk add`, `check` and `export` run as processes of their own (through
`cli_runner`, which imports first and starts on a go, so the kill lands in the command's work)
and get SIGKILL after a random delay between 0 and the time an uninterrupted run takes. After
each kill: `PRAGMA integrity_check` is ok, the case opens for writing (which tidies what a crash
leaves), `evidence-desk verify CASE` passes, every item is complete (its original present, of
the recorded size and hash, with its audit row), no partial PDF, ZIP or pack sits under a target
name, and running the command again completes the work.

EVIDENCE_FAULT_TRIALS sets the trials per command (the issue's 50 under `make fuzz`; a smaller
number keeps the normal suite quick), EVIDENCE_FAULT_SEED the random delays (a failure message
names the seed and the trial).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from app.evidence.errors import CaseInUse
from app.evidence.export import verify_pdf, verify_zip
from app.evidence.store.case import Case
from tests.robustness.support import REPO, cli_env, integrity, run_cli

TRIALS = int(os.environ.get("EVIDENCE_FAULT_TRIALS", "12"))
SEED = int(os.environ.get("EVIDENCE_FAULT_SEED", "11"))
ADD_INPUTS = (
    "photos/orientation/landscape_1.jpg",
    "photos/orientation/landscape_3.jpg",
    "photos/orientation/portrait_6.jpg",
    "photos/originals/sanyo-vpcsx550.jpg",
    "synthetic/tracking/zto_newest_first.txt",
    "synthetic/videos/packing_android_sf.mp4",
)
EXPORT_INPUTS = (
    "photos/orientation/landscape_1.jpg",
    "photos/orientation/portrait_6.jpg",
    "synthetic/tracking/sf_not_received.txt",
)


# ------------------------------------------------------------------------------ processes


class Prepared:
    """One `cli_runner` process: imported and waiting for its go."""

    def __init__(self, args: list[str], logs: Path) -> None:
        read_end, write_end = os.pipe()
        logs.mkdir(parents=True, exist_ok=True)
        self.out: IO[bytes] = (logs / "stdout").open("wb")
        self.err: IO[bytes] = (logs / "stderr").open("wb")
        self.logs = logs
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.robustness.cli_runner", *args],
            stdin=subprocess.PIPE,
            stdout=self.out,
            stderr=self.err,
            pass_fds=(write_end,),
            env={**cli_env(), "EVIDENCE_READY_FD": str(write_end)},
            cwd=REPO,
        )
        os.close(write_end)
        self._ready = read_end

    def go(self) -> float:
        """Wait until imported, start the command; returns the start time."""
        ready, _, _ = select.select([self._ready], [], [], 120)
        assert ready and os.read(self._ready, 16) == b"ready\n", "the runner did not start"
        os.close(self._ready)
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"go\n")
        self.proc.stdin.flush()
        return time.monotonic()

    def finish(self, timeout: float = 300) -> int:
        """Wait for the command to end; its exit code."""
        code = self.proc.wait(timeout)
        self._close()
        return code

    def kill_after(self, delay: float) -> bool:
        """Start, SIGKILL after `delay` seconds; True when it was still running then."""
        started = self.go()
        while time.monotonic() - started < delay and self.proc.poll() is None:
            time.sleep(0.005)
        killed = self.proc.poll() is None
        if killed:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(60)
        self._close()
        return killed

    def output(self) -> str:
        return (self.logs / "stdout").read_text(errors="replace") + (
            self.logs / "stderr"
        ).read_text(errors="replace")

    def _close(self) -> None:
        for handle in (self.out, self.err, self.proc.stdin):
            if handle is not None:
                handle.close()


class Trials:
    """Runs one command again and again, the next process always started one trial ahead."""

    def __init__(self, args: list[str], root: Path) -> None:
        self.args, self.root, self.count = args, root, 0
        self._next = self._prepare()

    def _prepare(self) -> Prepared:
        self.count += 1
        return Prepared(self.args, self.root / "logs" / str(self.count))

    def take(self) -> Prepared:
        current, self._next = self._next, self._prepare()
        return current

    def close(self) -> None:
        self._next.proc.kill()
        self._next.proc.wait()
        self._next._close()


def calibrate(trials: Trials, reset: Callable[[], None], runs: int = 2) -> tuple[float, int]:
    """Seconds an uninterrupted run takes from its go (the kill window), and its exit code.

    The fastest of `runs` runs: the first one also warms the page cache, and a window longer
    than the later runs would let too many kills land after the command has ended.
    """
    seconds, code = [], 0
    for _ in range(runs):
        reset()
        run = trials.take()
        started = run.go()
        code = run.finish()
        assert code in (0, 1, 2), run.output()
        seconds.append(time.monotonic() - started)
    return min(seconds), code


# ------------------------------------------------------------------------------ invariants


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_case_whole(root: Path, where: str) -> None:
    """What must hold after any crash (see the module docstring)."""
    assert integrity(root) == "ok", where
    with Case.open(root) as case:  # writable: takes the lock and sweeps crash leftovers
        assert not case.damaged_originals, where
    assert run_in_process("verify", root) == 0, where
    with Case.open(root, writable=False) as case:
        imported = {
            e.item_id: e.detail.get("sha256")
            for e in case.audit_entries()
            if e.action == "item.import"
        }
        for item in case.items():
            original = case.path_of(item)
            assert original.is_file() and original.stat().st_size == item.size, (
                f"{where}: item {item.id} is half-present"
            )
            assert sha256(original) == item.sha256 and imported.get(item.id) == item.sha256, where
    leftovers = [
        p for p in (root / "originals").rglob("*") if p.is_file() and ".incoming" in p.parts
    ]
    assert not leftovers, f"{where}: staged copies left after a writable open: {leftovers}"


def run_in_process(*args: str | Path) -> int:
    """`evidence-desk ARGS` in this process (the same code path, without a start-up)."""
    from app import cli

    return cli.main([str(a) for a in args])


@dataclass
class Outcome:
    """What the kill trials saw: how many runs were killed, and what they left behind."""

    killed: int = 0
    finished: int = 0
    temp_leftovers: int = 0
    work_dirs_left: int = 0


def trial_delays(window: float, salt: str) -> Iterator[float]:
    rng = random.Random(f"{SEED}-{salt}")
    for _ in range(TRIALS):
        yield rng.uniform(0.0, window * 1.05)


# ------------------------------------------------------------------------------ kill -9


@pytest.fixture
def template(tmp_path: Path, corpus: Path) -> Path:
    """An empty case to copy for every trial."""
    root = tmp_path / "template"
    Case.create(root, "kill -9 举证").close()
    return root


def test_kill_9_during_add(tmp_path: Path, corpus: Path, template: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for rel in ADD_INPUTS:
        shutil.copyfile(corpus / rel, inputs / Path(rel).name)
    expected = {sha256(p) for p in inputs.iterdir()}
    case = tmp_path / "case"

    def reset() -> None:
        shutil.rmtree(case, ignore_errors=True)
        shutil.copytree(template, case)

    trials = Trials(["add", str(case), str(inputs), "--no-ocr"], tmp_path)
    try:
        window, _ = calibrate(trials, reset)
        outcome = Outcome()
        for n, delay in enumerate(trial_delays(window, "add")):
            where = f"add trial {n} (seed {SEED}, kill after {delay:.2f} s of {window:.2f} s)"
            reset()
            killed = trials.take().kill_after(delay)
            outcome.killed += killed
            assert_case_whole(case, where)
            with Case.open(case, writable=False) as opened:
                assert {i.sha256 for i in opened.items()} <= expected, where
            assert run_in_process("add", case, inputs, "--no-ocr") == 0, where  # re-run completes
            with Case.open(case, writable=False) as opened:
                assert {i.sha256 for i in opened.items()} == expected, where
            assert_case_whole(case, where + ", after the re-run")
    finally:
        trials.close()
    assert outcome.killed >= TRIALS // 3, (
        f"only {outcome.killed} of {TRIALS} runs were still running when killed"
    )


def test_kill_9_during_check(tmp_path: Path, corpus: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for rel in (*ADD_INPUTS, "synthetic/screenshots/chat_part1.png", "hostile/corrupted.jpg"):
        shutil.copyfile(corpus / rel, inputs / Path(rel).name)
    before = {p.name: (sha256(p), p.stat().st_mtime_ns) for p in inputs.iterdir()}
    trials = Trials(["check", str(inputs), "--json"], tmp_path)
    try:
        window, code = calibrate(trials, lambda: None)
        reference = json.loads((trials.root / "logs" / "2" / "stdout").read_text())
        killed = 0
        for n, delay in enumerate(trial_delays(window, "check")):
            where = f"check trial {n} (seed {SEED}, kill after {delay:.2f} s of {window:.2f} s)"
            killed += trials.take().kill_after(delay)
            now = {p.name: (sha256(p), p.stat().st_mtime_ns) for p in inputs.iterdir()}
            assert now == before, f"{where}: check changed or added files next to its inputs"
        rerun = trials.take()
        rerun.go()
        assert rerun.finish() == code
        assert json.loads((rerun.logs / "stdout").read_text()) == reference
    finally:
        trials.close()
    assert killed >= TRIALS // 3


@pytest.fixture
def export_case_root(tmp_path: Path, corpus: Path) -> Path:
    """A small case to export: two photos and a tracking text, checked and analysed."""
    root = tmp_path / "export-template"
    Case.create(root, "导出 kill -9").close()
    assert run_in_process("add", root, *(corpus / rel for rel in EXPORT_INPUTS), "--no-ocr") == 0
    return root


def assert_outputs_whole(out: Path, case: Path, where: str) -> None:
    """Each target is absent or complete; nothing partial is visible under a target name."""
    pdf, bundle, pack = out / "chain.pdf", out / "bundle.zip", out / "pack"
    if pdf.exists():
        check = verify_pdf(pdf, against_case=case)
        assert check.ok, f"{where}: partial or wrong PDF: {check.problems}"
    if bundle.exists():
        check = verify_zip(bundle)
        assert check.ok, f"{where}: partial or wrong ZIP: {check.problems}"
    if pack.exists():
        listing = json.loads((pack / "pack.json").read_text(encoding="utf-8"))
        for page in listing["pages"]:
            assert (pack / page["file"]).stat().st_size == page["bytes"], f"{where}: partial pack"
    visible = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert visible <= {"chain.pdf", "bundle.zip", "pack"}, f"{where}: {visible}"


def test_kill_9_during_export(
    tmp_path: Path,
    export_case_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    record_property: Callable[[str, object], None],
) -> None:
    case, out = export_case_root, tmp_path / "out"
    args = [
        "export",
        str(case),
        "--pdf",
        str(out / "chain.pdf"),
        "--pack",
        "taobao-buyer",
        "--out",
        str(out / "pack"),
        "--zip",
        str(out / "bundle.zip"),
    ]
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))  # the export's work folder, in the runners too
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # and in this process (cached)
    before = {
        p.relative_to(case).as_posix(): sha256(p)
        for p in case.rglob("*")
        if p.is_file() and "originals" in p.parts
    }

    def reset() -> None:
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()

    trials = Trials(args, tmp_path)
    outcome = Outcome()
    try:
        window, _ = calibrate(trials, reset)
        for n, delay in enumerate(trial_delays(window, "export")):
            where = f"export trial {n} (seed {SEED}, kill after {delay:.2f} s of {window:.2f} s)"
            reset()
            outcome.killed += trials.take().kill_after(delay)
            assert_outputs_whole(out, case, where)
            assert_case_whole(case, where)
            outcome.temp_leftovers += sum(1 for p in out.iterdir() if p.name.startswith("."))
            if (
                n % 2 == 0 or TRIALS >= 20
            ):  # re-run: every other trial here, every one under make fuzz
                assert run_in_process(*args) == 0, where
                assert_outputs_whole(out, case, where + ", after the re-run")
                assert {"chain.pdf", "bundle.zip", "pack"} <= {p.name for p in out.iterdir()}, where
    finally:
        trials.close()
    after = {
        p.relative_to(case).as_posix(): sha256(p)
        for p in case.rglob("*")
        if p.is_file() and "originals" in p.parts
    }
    assert after == before
    assert outcome.killed >= TRIALS // 3
    # A kill leaves its work folder (previews of the evidence: personal data) in TMPDIR; the
    # next export removes those whose process has ended.
    assert run_in_process(*args) == 0
    outcome.work_dirs_left = len(list(scratch.glob("evidence-export-*")))
    record_property("export_kill_outcome", str(outcome))
    assert outcome.work_dirs_left == 0, f"previews of the evidence left in TMPDIR: {outcome}"


# ------------------------------------------------------------------------------ disk full


def tmpfs(folder: Path, size: str) -> bool:
    """Mount a small tmpfs on `folder` (root only); False when this machine does not allow it."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def unmount(folder: Path) -> None:
    subprocess.run(["umount", str(folder)], capture_output=True, check=False)


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KB file system (a tmpfs, when this machine lets root mount one)."""
    folder = tmp_path / "full"
    if not tmpfs(folder, "512k"):
        pytest.skip("cannot mount a tmpfs here (not root, or no mount permission)")
    try:
        yield folder
    finally:
        unmount(folder)


def test_disk_full_during_export_loses_nothing(
    tmp_path: Path, export_case_root: Path, full_disk: Path
) -> None:
    before = {
        p.name: sha256(p)
        for p in export_case_root.rglob("*")
        if p.is_file() and "originals" in p.parts
    }
    targets = (
        "--pdf",
        full_disk / "chain.pdf",
        "--zip",
        full_disk / "bundle.zip",
        "--pack",
        "taobao-buyer",
        "--out",
        full_disk / "pack",
    )
    done = run_cli("export", export_case_root, *targets, timeout=300)
    assert done.returncode != 0, "an export that did not fit reported success"
    assert not any(full_disk.iterdir()) or all(
        p.name == "chain.pdf" and verify_pdf(p).ok for p in full_disk.iterdir()
    ), f"partial output left on the full disk: {list(full_disk.iterdir())}"
    after = {
        p.name: sha256(p)
        for p in export_case_root.rglob("*")
        if p.is_file() and "originals" in p.parts
    }
    assert after == before
    assert_case_whole(export_case_root, "after the disk filled up")
    roomy = tmp_path / "roomy"
    assert (
        run_in_process(
            "export", export_case_root, "--pdf", roomy / "chain.pdf", "--zip", roomy / "bundle.zip"
        )
        == 0
    )
    assert verify_zip(roomy / "bundle.zip").ok


def test_disk_full_is_a_clear_error(export_case_root: Path, full_disk: Path) -> None:
    done = run_cli("export", export_case_root, "--zip", full_disk / "bundle.zip", timeout=300)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "space" in done.stderr.lower()


def test_write_failure_mid_export_leaves_no_partial_file(
    tmp_path: Path, export_case_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same without a tmpfs: the ZIP's second member fails to write with ENOSPC."""
    import zipfile

    from app.evidence.export import export_case

    original = zipfile.ZipFile.writestr
    calls = {"n": 0}

    def failing_writestr(self: zipfile.ZipFile, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] >= 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing_writestr)
    out = tmp_path / "out"
    with Case.open(export_case_root, writable=False) as case, pytest.raises(OSError):
        export_case(case, pdf=out / "chain.pdf", zip_path=out / "bundle.zip")
    assert sorted(p.name for p in out.iterdir()) == ["chain.pdf"], "a partial ZIP was left"
    assert verify_pdf(out / "chain.pdf").ok
    assert_case_whole(export_case_root, "after a failed write")


# ------------------------------------------------------- read-only, two writers, damaged originals


@pytest.fixture
def read_only(tmp_path: Path, export_case_root: Path) -> Iterator[Path]:
    """The case, read-only: a read-only bind mount as root, file modes otherwise."""
    view = tmp_path / "ro-view"
    view.mkdir()
    if os.geteuid() == 0:
        bound = subprocess.run(
            ["mount", "--bind", str(export_case_root), str(view)], capture_output=True, check=False
        )
        if bound.returncode != 0:
            pytest.skip("cannot bind-mount here")
        remounted = subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(view)], capture_output=True, check=False
        )
        if remounted.returncode != 0:
            unmount(view)
            pytest.skip("cannot remount read-only here")
        try:
            yield view
        finally:
            unmount(view)
    else:
        view.rmdir()
        shutil.copytree(export_case_root, view)
        for path in [view, *view.rglob("*")]:
            path.chmod(path.stat().st_mode & ~0o222)
        yield view


def test_read_only_case_folder(tmp_path: Path, corpus: Path, read_only: Path) -> None:
    before = {
        p.relative_to(read_only).as_posix(): sha256(p) for p in read_only.rglob("*") if p.is_file()
    }
    added = run_cli("add", read_only, corpus / "photos/orientation/landscape_2.jpg", "--no-ocr")
    assert added.returncode == 2 and "Traceback" not in added.stderr, added.stderr
    assert "read-only" in added.stderr
    for command in (
        ("list", read_only),
        ("verify", read_only),
        ("export", read_only, "--pdf", tmp_path / "ro.pdf"),
    ):
        done = run_cli(*command)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (command, done.stderr)
    assert verify_pdf(tmp_path / "ro.pdf", against_case=read_only).ok
    after = {
        p.relative_to(read_only).as_posix(): sha256(p) for p in read_only.rglob("*") if p.is_file()
    }
    assert after == before


def test_a_second_writer_is_told_the_case_is_in_use(
    tmp_path: Path, corpus: Path, export_case_root: Path
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom app.evidence.store.case import Case\n"
         f"case = Case.open({str(export_case_root)!r})\n"
         "print('open', flush=True)\nsys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=cli_env(), cwd=REPO,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"open\n"
        added = run_cli(
            "add", export_case_root, corpus / "photos/orientation/landscape_2.jpg", "--no-ocr"
        )
        assert added.returncode == 2 and "another EvidenceDesk" in added.stderr, added.stderr
        with pytest.raises(CaseInUse):
            Case.open(export_case_root)
        # readers are not writers: listing and exporting work while the case is open elsewhere
        assert run_cli("list", export_case_root).returncode == 0
        assert (
            run_cli("export", export_case_root, "--pdf", tmp_path / "while-open.pdf").returncode
            == 0
        )
    finally:
        holder.kill()
        holder.wait()
    with Case.open(export_case_root) as case:  # the lock went with the process
        assert len(case.items()) == len(EXPORT_INPUTS)


def test_originals_changed_behind_the_apps_back(
    tmp_path: Path, export_case_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with Case.open(export_case_root, writable=False) as case:
        photo, other, *_ = [i for i in case.items() if i.kind.value == "photo"] + case.items()
        deleted, grown = case.path_of(photo), case.path_of(other)
    deleted.chmod(0o644)
    deleted.unlink()
    grown.chmod(0o644)
    with grown.open("ab") as fh:
        fh.write(b"tampered")
    with caplog.at_level("WARNING"), Case.open(export_case_root) as case:
        problems = {(p.item_id, p.problem) for p in case.damaged_originals}
    assert problems == {(photo.id, "missing"), (other.id, "size_changed")}
    assert "run verify" in caplog.text
    done = run_cli("verify", export_case_root)
    assert done.returncode == 1
    assert "original_missing" in done.stdout and "original_changed" in done.stdout
    noted = run_cli("note", export_case_root, str(photo.id), "still here?")
    assert noted.returncode == 0 and "missing" in noted.stderr  # reported when opened for writing


def test_sqlite_file_is_never_left_locked_by_a_kill(export_case_root: Path) -> None:
    """A writer killed inside a transaction: the next one gets the lock and a consistent file."""
    script = (
        "import os, signal\nfrom app.evidence.store.case import Case\n"
        f"case = Case.open({str(export_case_root)!r})\n"
        "conn = case.connection\nconn.execute('BEGIN IMMEDIATE')\n"
        "conn.execute(\"UPDATE case_info SET title = 'half-written'\")\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", script], env=cli_env(), cwd=REPO, check=False)
    assert integrity(export_case_root) == "ok"
    with Case.open(export_case_root) as case:
        assert case.info().title == "导出 kill -9"
    conn = sqlite3.connect(export_case_root / "case.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
