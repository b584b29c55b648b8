"""Thumbnails made while the import records the files (service.importing + derived.ThumbnailFeed):
made during the import, progress in order on the caller's thread, one bad file costs only its own
thumbnail, cancel / Ctrl+C / a full disk stop the feed and leave the case whole."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from app.evidence.ingest import derived
from app.evidence.ingest.derived import ThumbnailFeed, build_thumbnails
from app.evidence.ingest.thumbnails import POOL_MIN_JOBS, shutdown_pool
from app.evidence.progress import CancelToken, Progress
from app.evidence.service import create_case, import_paths, open_case
from app.evidence.service.checks import verdicts
from app.evidence.service.importing import import_with_thumbnails
from app.evidence.store.case import Case


@pytest.fixture(autouse=True)
def _fresh_pool() -> Iterator[None]:
    shutdown_pool()
    yield
    shutdown_pool()


def _photos(folder: Path, count: int) -> list[Path]:
    """`count` distinct small JPEGs, in import order."""
    folder.mkdir(exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"p{n:02d}.jpg"
        Image.new("RGB", (96, 64), (10 * n % 256, 90, 200 - 5 * n % 200)).save(path, quality=90)
        paths.append(path)
    return paths


def _thumb(case_root: Path, photo: Path) -> Path:
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    return case_root / "derived" / "thumbs" / sha[:2] / f"{sha}.jpg"


def _feed_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "thumbnail-feed"]


def _whole_thumbnails(case_root: Path) -> list[Path]:
    """The thumbnails written: no temporary file left, every one a complete JPEG."""
    folder = case_root / "derived" / "thumbs"
    assert not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]
    made = sorted(folder.rglob("*.jpg"))
    for path in made:
        with Image.open(path) as im:
            assert im.format == "JPEG"
            im.load()
    return made


def test_thumbnails_are_made_while_the_import_still_records(tmp_path: Path) -> None:
    """When the 5th of 6 files is recorded, the first file's thumbnail is already made (it used
    to start only once every file was in)."""
    photos = _photos(tmp_path / "in", 6)
    root = tmp_path / "case"
    first = _thumb(root, photos[0])
    seen_during_import: list[bool] = []

    def progress(p: Progress) -> None:
        if p.stage == "import" and p.done == 5:  # files 1-4 are recorded and handed over
            deadline = time.monotonic() + 60
            while not first.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            seen_during_import.append(first.exists())

    with create_case(root, "t") as case:
        outcome = import_paths(case, photos, progress=progress)
    assert outcome.count("imported") == 6 and not outcome.thumbnails
    assert seen_during_import == [True]
    assert len(_whole_thumbnails(root)) == 6


def test_progress_comes_stage_after_stage_on_the_callers_thread(tmp_path: Path) -> None:
    photos = _photos(tmp_path / "in", 5)
    (tmp_path / "in" / "notes.txt").write_text("no thumbnail for a text", encoding="utf-8")
    reports: list[tuple[Progress, int]] = []
    with create_case(tmp_path / "case", "t") as case:
        outcome = import_paths(
            case,
            [*photos, tmp_path / "in" / "notes.txt"],
            progress=lambda p: reports.append((p, threading.get_ident())),
        )
    assert outcome.count("imported") == 6
    assert {ident for _, ident in reports} == {threading.get_ident()}
    stages = [p.stage for p, _ in reports]
    order = ["import", "thumbnails", "check"]
    shown = [s for s in stages if s in order]
    assert shown == sorted(shown, key=order.index), shown  # never back to an earlier stage
    thumbs = [p for p, _ in reports if p.stage == "thumbnails"]
    assert thumbs and {p.total for p in thumbs} == {5}  # the pictures, not the text
    assert [p.done for p in thumbs] == sorted(p.done for p in thumbs)
    assert thumbs[-1].done == 5
    imports = [p for p, _ in reports if p.stage == "import"]
    assert imports[-1].done == imports[-1].total == 6


def test_one_bad_file_costs_only_its_thumbnail_in_a_pool_sized_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large import goes to the process pool; a damaged JPEG in the middle is imported and
    named without a thumbnail, every other file has one."""
    photos = _photos(tmp_path / "in", POOL_MIN_JOBS)
    bad = tmp_path / "in" / "p07b-damaged.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x13\x37" * 500)
    chosen: list[bool | None] = []
    real = derived.make_thumbnails

    def spy(*args: object, **kwargs: object) -> object:
        chosen.append(kwargs.get("processes"))  # type: ignore[arg-type]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(derived, "make_thumbnails", spy)
    root = tmp_path / "case"
    with create_case(root, "t") as case:
        outcome = import_with_thumbnails(case, [*photos[:8], bad, *photos[8:]])
    assert outcome.count("imported") == POOL_MIN_JOBS + 1
    assert [t.name for t in outcome.thumbnails] == ["p07b-damaged.jpg"]
    assert chosen and set(chosen) == {True}  # the pool, for every batch
    made = _whole_thumbnails(root)
    assert sorted(made) == sorted(_thumb(root, p) for p in photos)


def test_a_small_import_stays_off_the_pool_unless_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen: list[object] = []
    real = derived.make_thumbnails

    def spy(*args: object, **kwargs: object) -> object:
        chosen.append(kwargs.get("processes"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(derived, "make_thumbnails", spy)
    with create_case(tmp_path / "case", "t") as case:
        outcome = import_with_thumbnails(case, _photos(tmp_path / "in", 3))
    assert outcome.count("imported") == 3 and not outcome.thumbnails
    assert chosen and set(chosen) == {None}  # make_thumbnails decides (threads: no pool up)


def test_cancel_while_recording_stops_the_thumbnails_and_leaves_the_case_whole(
    tmp_path: Path,
) -> None:
    photos = _photos(tmp_path / "in", 8)
    cancel = CancelToken()

    def progress(p: Progress) -> None:
        if p.stage == "import" and p.done == 4:
            cancel.cancel()

    root = tmp_path / "case"
    with create_case(root, "t") as case:
        outcome = import_paths(case, photos, progress=progress, cancel=cancel)
    assert outcome.cancelled
    assert not _feed_threads()  # the feed ended with the import
    made = _whole_thumbnails(root)
    with open_case(root, writable=False) as case:
        assert verdicts(case) == {}  # nothing checked after a cancel
    with Case.open(root, writable=True) as case:
        recorded = case.items()
        assert len(recorded) == outcome.count("imported") == 4
        assert len(made) <= 4
        # what the cancel left undone is made later, for the recorded items only
        later = build_thumbnails(case)
    assert all(r.error is None for r in later)
    assert len(_whole_thumbnails(root)) == 4


def test_ctrl_c_while_recording_stops_the_feed(tmp_path: Path) -> None:
    photos = _photos(tmp_path / "in", 6)

    def progress(p: Progress) -> None:
        if p.stage == "import" and p.done == 3:
            raise KeyboardInterrupt

    root = tmp_path / "case"
    with create_case(root, "t") as case:
        outcome = import_paths(case, photos, progress=progress)
    assert outcome.cancelled
    assert not _feed_threads()
    _whole_thumbnails(root)


def test_a_full_disk_while_recording_stops_the_feed_and_names_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photos = _photos(tmp_path / "in", 8)
    real = Case.add_item
    calls = {"n": 0}

    def filling(self: Case, *args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] > 3:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Case, "add_item", filling)
    root = tmp_path / "case"
    with create_case(root, "t") as case:
        outcome = import_paths(case, photos)
    assert outcome.count("imported") == 3
    assert [r.error_code for r in outcome.results if r.status == "failed"] == ["disk_full"] * 5
    assert not outcome.cancelled and not _feed_threads()
    assert len(_whole_thumbnails(root)) <= 3


def test_the_feed_alone_counts_from_what_the_import_made(tmp_path: Path) -> None:
    """finish() starts the thumbnails stage at the number made while recording and ends at the
    number handed over; a feed given nothing finishes at once with nothing."""
    photos = _photos(tmp_path / "in", 4)
    root = tmp_path / "case"
    with create_case(root, "t") as case:
        results = import_with_thumbnails(case, photos).results
        for photo in photos:
            _thumb(root, photo).unlink()
        with ThumbnailFeed(case) as feed:
            handed = [feed.add(r) for r in results]
            deadline = time.monotonic() + 60
            while not all(_thumb(root, p).exists() for p in photos[:2]):
                assert time.monotonic() < deadline
                time.sleep(0.02)
            reports: list[Progress] = []
            made = feed.finish(reports.append)
        assert handed == [True] * 4
        assert reports[0].done >= 2 and reports[-1].done == reports[-1].total == 4
        assert sorted(r.job.dest for r in made) == sorted(_thumb(root, p) for p in photos)
        with ThumbnailFeed(case) as empty:
            assert [empty.add(r) for r in results] == [False] * 4  # they have thumbnails now
            assert empty.finish() == []
