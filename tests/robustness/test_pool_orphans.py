"""The core's process pools (import thumbnails, export page pictures) never outlive the app: after
`kill -9` of the process that started them, their workers and the fork server end on their own
(before, they waited for a next job forever, 135 MB each, an hour after the app was gone); and a
process that used them exits (before, a multiprocessing child that ran an import, as the scaling
benchmark does, waited at its exit for workers nobody had told to stop)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kill -9 and /proc are POSIX")

APP = r"""
import json, os, sys
from app.evidence.ingest import thumbnails
from app.evidence.export import picture_pool
from app.evidence.worker_pool import pool_context

pids = set()
thumbs = thumbnails._POOL.get(2)
pids.update(thumbs.submit(os.getpid).result() for _ in range(4))
pictures = picture_pool.ProcessPoolExecutor(
    max_workers=2,
    mp_context=pool_context(picture_pool.__name__),
    initializer=picture_pool._worker_start,
    initargs=(30,),
)
pids.update(pictures.submit(os.getpid).result() for _ in range(4))
from multiprocessing import forkserver
server = getattr(forkserver._forkserver, "_forkserver_pid", None)
print(json.dumps({"workers": sorted(pids), "server": server}), flush=True)
sys.stdin.read()  # until killed
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def test_workers_and_fork_server_end_after_the_app_is_killed(tmp_path: Path) -> None:
    app = subprocess.Popen(
        [sys.executable, "-c", APP],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
        text=True,
    )
    try:
        line = app.stdout.readline() if app.stdout else ""
        started = json.loads(line)
        workers: list[int] = started["workers"]
        assert len(workers) >= 2 and all(_alive(pid) for pid in workers)
        others = [*workers, *([started["server"]] if started["server"] else [])]
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait()
    deadline = time.monotonic() + 60  # a bound for a loaded machine; they go in milliseconds
    while time.monotonic() < deadline and any(_alive(pid) for pid in others):
        time.sleep(0.1)
    left = [pid for pid in others if _alive(pid)]
    for pid in left:  # don't leave them to the next test either
        os.kill(pid, signal.SIGKILL)
    assert not left, f"still running after the app was killed: {left}"


CHILD = r"""
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context


def use_both_pools(_: int) -> int:
    from app.evidence.export import picture_pool
    from app.evidence.ingest import thumbnails
    from app.evidence.worker_pool import new_pool

    pictures = new_pool(2, picture_pool.__name__, picture_pool._worker_start, 30)
    pids = {thumbnails._POOL.get(2).submit(os.getpid).result(), pictures.submit(os.getpid).result()}
    if "--busy" in sys.argv:  # a worker that will not take its stop for an hour
        pictures.submit(time.sleep, 3600)
        time.sleep(1)
    return len(pids)


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        print(pool.submit(use_both_pools, 0).result(), flush=True)
    print("exited", flush=True)
"""


@pytest.mark.parametrize("busy", [False, True], ids=["idle", "busy"])
def test_a_multiprocessing_child_that_used_the_pools_exits(tmp_path: Path, busy: bool) -> None:
    """Idle workers are told to stop; a busy one (or one that never takes its stop) is daemonic
    and terminated at that exit."""
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    command = [sys.executable, str(script), *(["--busy"] if busy else [])]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    except subprocess.TimeoutExpired as stuck:  # a bound for a loaded machine; it takes 1 s
        raise AssertionError(
            "the child never exited: its pool workers were never stopped"
        ) from stuck
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "exited"]
