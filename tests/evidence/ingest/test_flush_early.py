"""The new originals go to disk a batch at a time while the import still copies (the disk writes
them meanwhile, not all at the end), and the import still returns only once every one of them
is flushed."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

import pytest
from PIL import Image

from app.evidence.ingest import importer
from app.evidence.ingest.importer import iter_import
from app.evidence.store import vault
from app.evidence.store.case import Case

REAL_FLUSH = vault.flush


def _photos(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"p{n:02d}.jpg"
        Image.new("RGB", (120, 80), (9 * n % 256, 70, 150)).save(path, quality=90)
        paths.append(path)
    return paths


class _Flushes:
    """Stands in front of vault.flush: what was flushed, on which thread, how many results the
    import had handed out by then, and whether each flush had finished."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str], int]] = []
        self.finished = 0
        self.handed = 0
        self.started = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, case_root: Path, relative_paths: Iterable[str]) -> None:
        paths = list(relative_paths)
        with self._lock:
            self.calls.append((threading.current_thread().name, paths, self.handed))
        self.started.set()
        REAL_FLUSH(case_root, paths)
        with self._lock:
            self.finished += 1


def test_originals_are_flushed_while_the_import_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photos = _photos(tmp_path / "in", 10)
    flushes = _Flushes()
    monkeypatch.setattr(importer, "FLUSH_EVERY", 4)
    monkeypatch.setattr(importer.vault, "flush", flushes)
    with Case.create(tmp_path / "case", "t") as case:
        results = []
        for result in iter_import(case, photos):
            results.append(result)
            flushes.handed += 1
            if flushes.handed == 5:  # the first 4 are recorded; the import waits here for us
                # so their flush can only run now if it runs beside the import (the bound is
                # for a loaded machine; it starts in milliseconds)
                assert flushes.started.wait(60), "nothing flushed while the import ran"
        # every flush had finished when the import returned
        assert flushes.finished == len(flushes.calls)
        recorded = sorted(i.vault_path for i in case.items())
    assert [r.status for r in results] == ["imported"] * 10
    flushed = sorted(p for _, paths, _ in flushes.calls for p in paths)
    assert flushed == recorded  # each original flushed once
    # two batches of 4 while the import ran, the last 2 at its end (on the importing thread,
    # maybe before the second batch's flush began: the order of those two is free)
    background = [(name, len(n)) for name, n, _ in flushes.calls if name != "MainThread"]
    assert [n for _, n in background] == [4, 4]
    assert all(name.startswith("import-flush") for name, _ in background)
    assert [len(n) for name, n, _ in flushes.calls if name == "MainThread"] == [2]
    assert flushes.calls[0][2] < 10  # the first flush began before the last file was handed


def test_no_flush_when_not_durable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    photos = _photos(tmp_path / "in", 6)
    flushes = _Flushes()
    monkeypatch.setattr(importer, "FLUSH_EVERY", 2)
    monkeypatch.setattr(importer.vault, "flush", flushes)
    with Case.create(tmp_path / "case", "t") as case:
        results = list(iter_import(case, photos, durable=False))
    assert [r.status for r in results] == ["imported"] * 6
    assert flushes.calls == []
