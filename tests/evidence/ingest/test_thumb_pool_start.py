"""How the thumbnail pool's workers start: as forks of a server process that stays up (never of
the app itself), and ahead of a batch that is known to come (`warm_pool`)."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.evidence.ingest import thumbnails
from app.evidence.ingest.thumbnails import ThumbnailJob, make_thumbnails, shutdown_pool, warm_pool
from app.evidence.worker_pool import pool_context
from tests.evidence.ingest.test_thumb_sources import picture

POSIX_SERVER = pytest.mark.skipif(
    "forkserver" not in multiprocessing.get_all_start_methods(),
    reason="no fork server here (Windows): workers are spawned",
)


@pytest.fixture(autouse=True)
def _fresh_pool() -> Iterator[None]:
    shutdown_pool()
    yield
    shutdown_pool()


@POSIX_SERVER
def test_workers_are_forks_of_one_server_that_outlives_the_pool(tmp_path: Path) -> None:
    """Not children of the app (a fork of it would copy its threads' locks), and a second pool
    after the first one ended starts from the same server (nothing imported again)."""
    src = tmp_path / "in.jpg"
    picture(800, 600).save(src, quality=85)
    parents = set()
    for round_ in range(2):
        jobs = [ThumbnailJob(src, tmp_path / f"{round_}-{n}.jpg", "photo") for n in range(3)]
        results = make_thumbnails(jobs, workers=2, processes=True)
        assert all(r.error is None and r.path and r.path.exists() for r in results)
        executor = thumbnails._POOL._executor
        assert executor is not None
        parents.add(executor.submit(os.getppid).result(timeout=120))
        shutdown_pool()
    assert len(parents) == 1 and os.getpid() not in parents


def test_warm_pool_starts_the_workers_before_any_job(tmp_path: Path) -> None:
    warm_pool(2)
    deadline = time.monotonic() + 120
    while True:
        executor = thumbnails._POOL._executor
        processes = getattr(executor, "_processes", None) or {}
        if len(processes) == 2 and all(p.is_alive() for p in processes.values()):
            break
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.05)
    src = tmp_path / "in.jpg"
    picture(800, 600).save(src, quality=85)
    jobs = [ThumbnailJob(src, tmp_path / f"{n}.jpg", "photo") for n in range(3)]
    results = make_thumbnails(jobs, workers=2)  # a small batch: the pool, since it is up
    assert all(r.error is None and r.path and r.path.exists() for r in results)
    assert thumbnails._POOL._executor is executor  # the same workers did the batch


@POSIX_SERVER
def test_the_pool_adds_its_module_to_what_the_server_preloads() -> None:
    """Never in place of what another pool (the export's pictures) asked the server to load."""
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    server: Any = getattr(forkserver, "_forkserver")  # noqa: B009 - private, as pool_context reads it
    before = list(server._preload_modules)
    try:
        context.set_forkserver_preload(["json"])
        assert pool_context(thumbnails.__name__) is context
        assert server._preload_modules == ["json", thumbnails.__name__]
        pool_context(thumbnails.__name__)  # asked again: listed once
        assert server._preload_modules == ["json", thumbnails.__name__]
    finally:
        context.set_forkserver_preload(before)
