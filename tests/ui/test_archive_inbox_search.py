"""The archive's search box filters the inbox too (issue 19, point 9)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from app.evidence import archive as core  # noqa: E402
from app.ui.archive_view import ArchiveView  # noqa: E402

VIDEOS = "synthetic/videos"


def test_search_filters_the_inbox(qtbot, corpus: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in ("packing_android_sf.mp4", "unboxing_iphone_zto.mov"):
        shutil.copyfile(corpus / VIDEOS / name, inputs / name)
    root = tmp_path / "archive"
    core.init_archive(root)
    core.import_into_archive(
        root, sorted(inputs.iterdir()), None
    )  # no order list: both in the inbox
    view = ArchiveView()
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.controller.inbox_ready, timeout=30_000):
        view.open_archive(root)
    assert view.inbox.rowCount() == 2
    view.search.setText("iphone")
    assert view.inbox.rowCount() == 1
    view.search.setText("")
    assert view.inbox.rowCount() == 2
    view.controller.close()
