"""A video that came in without thumbnail and checks (an archive order case) gets them when the
window opens the case, and an export never prints "未检查"."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from app.evidence.ingest.importer import import_files  # noqa: E402
from app.evidence.store.case import Case  # noqa: E402
from app.evidence.store.findings import verdicts  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.timeline_model import TimelineModel  # noqa: E402

VIDEO = "synthetic/videos/packing_android_sf.mp4"


def test_plain_import_gets_thumbnail_and_verdict_when_opened(
    qtbot, window: MainWindow, corpus_copy, tmp_path: Path
) -> None:
    case_dir = tmp_path / "case"
    Case.create(case_dir, "发货证明", role="seller").close()
    with Case.open(
        case_dir
    ) as case:  # as the archive's open_order_case does: no thumbnails, no checks
        import_files(case, [corpus_copy(VIDEO)])
        item = case.items()[0]
        assert item.id not in verdicts(case)
    window.open_case(case_dir)
    qtbot.waitUntil(
        lambda: window.snapshot is not None and item.id in window.snapshot.verdicts, timeout=120_000
    )
    assert (case_dir / "derived" / "thumbs" / item.sha256[:2] / f"{item.sha256}.jpg").is_file()
    assert window.unchecked_items() == []
    row = next(
        r
        for r in range(window.model.rowCount())
        if (window.model.index(r).data(TimelineModel.EntryRole) or None) is not None
        and window.model.index(r).data(TimelineModel.EntryRole).is_item
    )
    window.timeline.setCurrentIndex(window.model.index(row))
    qtbot.waitUntil(
        lambda: window.inspector._keyframes.get(item.sha256) is not None, timeout=60_000
    )
    assert len(window.inspector._keyframes.get(item.sha256)) >= 3


def test_export_runs_missing_checks_first(
    qtbot, window: MainWindow, corpus_copy, tmp_path: Path, monkeypatch
) -> None:
    from app.evidence.export.wording import NOT_CHECKED

    case_dir = tmp_path / "case"
    Case.create(case_dir, "发货证明", role="seller").close()
    with Case.open(case_dir) as case:
        import_files(case, [corpus_copy(VIDEO)])
    monkeypatch.setattr(
        window, "finish_missing", lambda then=None: None
    )  # not at open: only the export's run
    window.open_case(case_dir)
    qtbot.waitUntil(
        lambda: window.snapshot is not None and len(window.snapshot.items) == 1, timeout=30_000
    )
    assert len(window.unchecked_items()) == 1
    monkeypatch.undo()
    exported: list[dict] = []
    monkeypatch.setattr(window.controller, "export", lambda targets: exported.append(targets))

    class FakeExport:
        def __init__(self, *a, **k):
            pass

        def exec(self):
            return True

        def targets(self):
            return {"pdf": tmp_path / "out.pdf", "pack": None, "zip_path": None}

    from app.ui import main_window as mw

    monkeypatch.setattr(mw, "ExportDialog", FakeExport)
    window.export_dialog()
    qtbot.waitUntil(lambda: bool(exported), timeout=120_000)
    with Case.open(case_dir, writable=False) as case:
        assert len(verdicts(case)) == 1  # checked before the export started
    assert NOT_CHECKED[0] == "未检查"
