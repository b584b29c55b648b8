"""Thumbnails in the process pool: the same pictures as on threads, one bad file (even one that
kills its worker) costs only its own thumbnail, small batches and frozen builds stay in-process."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pillow_heif
import pytest
from PIL import Image

from app.evidence.errors import DamagedFile, UnsupportedFormat
from app.evidence.ingest import thumbnails
from app.evidence.ingest.thumbnails import (
    ThumbnailJob,
    ThumbnailResult,
    make_thumbnails,
    shutdown_pool,
)
from tests.evidence.ingest.test_thumb_sources import (
    camera_jpeg,
    exif_with_thumbnail,
    jpeg_bytes,
    picture,
)

pillow_heif.register_heif_opener()


@pytest.fixture(autouse=True)
def _fresh_pool() -> Iterator[None]:
    shutdown_pool()
    yield
    shutdown_pool()


@dataclass(frozen=True)
class CrashingJob(ThumbnailJob):
    """A job whose arrival kills the worker process, as a decoder crashing on a file would."""

    def __setstate__(self, state: dict[str, Any]) -> None:  # runs only in the worker
        os._exit(70)


def _sources(folder: Path) -> list[tuple[Path, str]]:
    """One file of each path through the code: JPEG (EXIF thumbnail, draft), HEIC, PNG."""
    folder.mkdir()
    main = picture(1280, 960)
    files = [camera_jpeg(folder / "exif.jpg", main, 6, main.resize((320, 240)))]
    main.save(folder / "plain.jpg", quality=90)
    main.save(folder / "item.heic", quality=60, thumbnails=[320])
    main.convert("RGBA").save(folder / "shot.png")
    files += [folder / "plain.jpg", folder / "item.heic", folder / "shot.png"]
    return [(path, "photo") for path in files]


def _jobs(sources: list[tuple[Path, str]], out: Path) -> list[ThumbnailJob]:
    return [ThumbnailJob(src, out / f"{n}.jpg", kind) for n, (src, kind) in enumerate(sources)]


def test_pool_and_threads_make_the_same_pictures(tmp_path: Path) -> None:
    sources = _sources(tmp_path / "in") * 2
    on_threads = make_thumbnails(_jobs(sources, tmp_path / "t"), processes=False)
    assert not thumbnails._POOL.running()
    in_pool = make_thumbnails(_jobs(sources, tmp_path / "p"), processes=True)
    assert thumbnails._POOL.running()  # it did run in the pool, and stays up for the next batch
    assert [r.source for r in in_pool] == [r.source for r in on_threads]
    assert {r.source for r in in_pool} == {
        "exif-thumbnail",
        "jpeg-draft",
        "heif-thumbnail",
        "decode",
    }
    for a, b in zip(on_threads, in_pool, strict=True):
        assert a.error is None and b.error is None and a.path and b.path
        assert a.path.read_bytes() == b.path.read_bytes()


def test_a_bad_file_in_a_pool_batch_gets_its_error_and_the_others_their_thumbnails(
    tmp_path: Path,
) -> None:
    good = _sources(tmp_path / "in")
    noise = tmp_path / "noise.jpg"
    noise.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(4000))
    text = tmp_path / "text.jpg"
    text.write_text("not a picture")
    sources = [*good[:2], (noise, "photo"), (tmp_path / "gone.jpg", "photo"), *good[2:]]
    sources += [(text, "photo"), (good[0][0], "tracking")]
    jobs = _jobs(sources, tmp_path / "out")
    seen: list[tuple[int, int]] = []
    results = make_thumbnails(jobs, processes=True, progress=lambda d, t: seen.append((d, t)))
    assert [r.job for r in results] == jobs
    assert [r.path is not None for r in results] == [True, True, False, False, True, True] + [
        False,
        False,
    ]
    assert isinstance(results[2].error, DamagedFile)
    assert results[3].error is not None and results[3].error.code == "unreadable_file"
    assert results[3].error.path == str(tmp_path / "gone.jpg")  # the path crosses over too
    assert isinstance(results[6].error, UnsupportedFormat)
    assert isinstance(results[7].error, UnsupportedFormat)
    assert seen == [(n, len(jobs)) for n in range(1, len(jobs) + 1)]


def test_a_worker_that_dies_costs_only_its_file(tmp_path: Path) -> None:
    sources = _sources(tmp_path / "in")
    jobs = _jobs(sources, tmp_path / "out")
    crash = CrashingJob(sources[0][0], tmp_path / "out" / "crash.jpg", "photo")
    jobs.insert(2, crash)
    seen: list[tuple[int, int]] = []
    results = make_thumbnails(jobs, processes=True, progress=lambda d, t: seen.append((d, t)))
    assert [r.job for r in results] == jobs
    assert isinstance(results[2].error, DamagedFile)
    assert "crashed" in getattr(results[2].error.args[0], "en", "")
    assert results[2].error.path == str(sources[0][0])
    assert all(
        r.error is None and r.path and r.path.exists() for i, r in enumerate(results) if i != 2
    )
    assert seen[-1] == (len(jobs), len(jobs))
    assert thumbnails._POOL.allowed()  # a crash on a file does not give up on the pool
    again = make_thumbnails(_jobs(sources, tmp_path / "again"), processes=True)
    assert all(r.error is None for r in again)


def test_small_batches_stay_in_process(tmp_path: Path) -> None:
    jobs = _jobs(_sources(tmp_path / "in")[:2], tmp_path / "out")
    results = make_thumbnails(jobs)
    assert all(r.error is None for r in results)
    assert not thumbnails._POOL.running()  # no pool started for two files


def test_a_frozen_build_uses_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The frozen app does not call freeze_support: a spawned worker would start the app."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    jobs = _jobs(_sources(tmp_path / "in") * 3, tmp_path / "out")
    results = make_thumbnails(jobs, processes=True)
    assert all(r.error is None for r in results)
    assert not thumbnails._POOL.running()


def test_thumbnails_carry_no_metadata_from_a_preview(tmp_path: Path) -> None:
    sources = _sources(tmp_path / "in")
    (result,) = make_thumbnails(_jobs(sources[:1], tmp_path / "out"), processes=False)
    assert result.source == "exif-thumbnail" and result.path is not None
    with Image.open(result.path) as im:
        assert im.size == (240, 320)
        assert len(im.getexif()) == 0 and "icc_profile" not in im.info


def test_two_batches_at_once_one_with_a_crash_both_finish(tmp_path: Path) -> None:
    """An import and a check making thumbnails on two threads share the pool; a worker dying
    under one batch costs the other nothing."""
    sources = _sources(tmp_path / "in")
    calm = _jobs(sources * 3, tmp_path / "calm")
    rough = _jobs(sources, tmp_path / "rough")
    rough.insert(1, CrashingJob(sources[1][0], tmp_path / "rough" / "crash.jpg", "photo"))
    outcome: dict[str, list[ThumbnailResult]] = {}

    def run(name: str, jobs: list[ThumbnailJob]) -> None:
        outcome[name] = make_thumbnails(jobs, processes=True)

    threads = [
        threading.Thread(target=run, args=("calm", calm)),
        threading.Thread(target=run, args=("rough", rough)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert all(r.error is None for r in outcome["calm"])
    assert [r.error is None for r in outcome["rough"]] == [True, False, True, True, True]
    assert isinstance(outcome["rough"][1].error, DamagedFile)


def test_a_workers_log_lines_reach_the_apps_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Logging is set up in the app's process only: a worker's lines (here the debug line of a
    preview that is not a JPEG, with its traceback) are logged there, as if made there."""
    caplog.set_level(logging.DEBUG, logger="app")
    folder = tmp_path / "in"
    folder.mkdir()
    main = picture(1280, 960)
    broken = b"\xff\xd8" + b"\x00" * 64  # starts like a JPEG, is not one
    bad_preview = folder / "bad_preview.jpg"
    bad_preview.write_bytes(jpeg_bytes(main, exif=exif_with_thumbnail(1, broken)))
    sources = [(bad_preview, "photo")] + _sources(tmp_path / "more")
    results = make_thumbnails(_jobs(sources, tmp_path / "out"), processes=True)
    assert all(r.error is None for r in results)
    assert results[0].source == "jpeg-draft"
    lines = [r for r in caplog.records if "embedded preview of bad_preview.jpg" in r.getMessage()]
    assert len(lines) == 1 and lines[0].levelno == logging.DEBUG
    assert "Traceback" in lines[0].getMessage()
    assert thumbnails._POOL.running()  # made in a worker
