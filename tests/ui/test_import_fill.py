"""The timeline fills while an import runs and the import's summary stays (issue 19, point 9):
a buyer who drops 200 photos saw an empty timeline until the very end, and the one-line summary
was gone from the status bar ten seconds later."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402

from app.evidence.store.case import Case  # noqa: E402
from app.ui import main_window as mw  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402

COUNT = 12


def _photos(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for n in range(COUNT):
        exif = Image.Exif()
        exif[0x8769] = {0x9003: f"2025:06:12 10:{n:02d}:00"}  # DateTimeOriginal
        path = folder / f"IMG_{n:04d}.jpg"
        Image.new("RGB", (640, 480), (n * 20 % 256, 90, 160)).save(path, exif=exif, quality=90)
        paths.append(path)
    return paths


def test_timeline_fills_during_import_and_summary_stays(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(mw, "IMPORT_REFRESH_S", 0.0)  # every progress step may re-read
    case_dir = tmp_path / "case"
    Case.create(case_dir, "t").close()
    window.open_case(case_dir)
    qtbot.waitUntil(lambda: window.snapshot is not None, timeout=20_000)
    photos = _photos(tmp_path / "photos")
    seen_before_end: list[int] = []
    finished: list[bool] = []
    window.controller.snapshot_ready.connect(
        lambda snap: None if finished else seen_before_end.append(len(snap.items))
    )
    window.controller.import_finished.connect(lambda *_: finished.append(True))
    window.import_paths(photos)
    qtbot.waitUntil(lambda: bool(finished), timeout=180_000)
    # a snapshot with the new photos reached the window before the import (thumbnails, checks)
    # was over: the timeline was filling, not empty until the end
    assert any(n > 0 for n in seen_before_end), seen_before_end
    qtbot.wait(200)
    lines = [window.problems.item(r).text() for r in range(window.problems.count())]
    assert window.problems.isVisible() and lines, lines
    assert str(COUNT) in lines[0] and ("上次导入" in lines[0] or "Last import" in lines[0])
