"""The window, offscreen: open a case, import with progress, edit a note, paste tracking text."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from app.evidence.store.case import Case  # noqa: E402
from app.ui.main import register_fonts  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.timeline_model import TimelineModel  # noqa: E402


def _import(qtbot, win: MainWindow, paths: list[Path]) -> list:
    with qtbot.waitSignal(win.controller.import_finished, timeout=120_000) as blocker:
        win.import_paths(paths)
    return blocker.args[0]


def test_bundled_font_registers(qapp) -> None:
    assert register_fonts() == "WenQuanYi Micro Hei"


def test_open_import_select_and_note(
    qtbot, window: MainWindow, corpus_copy, tmp_path: Path, qtmodeltester
) -> None:
    case_dir = tmp_path / "case"
    Case.create(case_dir, "外套颜色不符").close()
    assert window.open_case(case_dir)
    assert window.stack.currentIndex() == 1
    results = _import(
        qtbot, window, [corpus_copy("photos/originals"), corpus_copy("synthetic/videos")]
    )
    assert sum(r.status == "imported" for r in results) == 8
    qtbot.waitUntil(lambda: len(entries(window)) == 8, timeout=20_000)
    qtmodeltester.check(window.model)
    # phase headers are rows too, but not selectable
    headers = [
        r
        for r in range(window.model.rowCount())
        if window.model.index(r).data(TimelineModel.HeaderRole)
    ]
    assert headers and all(
        not window.model.flags(window.model.index(r)) & Qt.ItemFlag.ItemIsSelectable
        for r in headers
    )
    first = next(
        r
        for r in range(window.model.rowCount())
        if window.model.index(r).data(TimelineModel.EntryRole)
    )
    # the thumbnails arrive asynchronously
    qtbot.waitUntil(
        lambda: window.model.index(first).data(TimelineModel.ThumbnailRole) is not None,
        timeout=20_000,
    )
    window.timeline.setCurrentIndex(window.model.index(first))
    entry = window.model.index(first).data(TimelineModel.EntryRole)
    assert window.inspector.metadata.rowCount() > 5
    qtmodeltester.check(window.inspector.metadata)
    assert "证据" in window.side.toPlainText() or "时限" in window.side.toPlainText()
    window.inspector.note.setPlainText("开箱前外包装完好")
    qtbot.waitUntil(lambda: note_of(window, entry.key) == "开箱前外包装完好", timeout=10_000)
    # undo (Ctrl+Z goes to the core's undo) takes the note back
    window.controller.undo()
    qtbot.waitUntil(lambda: note_of(window, entry.key) == "", timeout=10_000)
    window.controller.redo()
    qtbot.waitUntil(lambda: note_of(window, entry.key) == "开箱前外包装完好", timeout=10_000)
    window.controller.close()
    with Case.open(case_dir, writable=False) as case:
        assert case.item(entry.item_id).note == "开箱前外包装完好"


def entries(window: MainWindow) -> list:
    model = window.model
    return [
        model.index(r).data(TimelineModel.EntryRole)
        for r in range(model.rowCount())
        if model.index(r).data(TimelineModel.EntryRole)
    ]


def note_of(window: MainWindow, key: str) -> str | None:
    return next((e.note for e in entries(window) if e.key == key), None)


def test_cancel_import_keeps_case_consistent(
    qtbot, window: MainWindow, corpus: Path, tmp_path: Path
) -> None:
    src = tmp_path / "many"
    src.mkdir()
    data = (corpus / "photos/originals/sanyo-vpcsx550.jpg").read_bytes()
    for n in range(60):
        (src / f"p{n:03}.jpg").write_bytes(data + n.to_bytes(4, "big"))
    case_dir = tmp_path / "case"
    Case.create(case_dir, "t").close()
    window.open_case(case_dir)
    with qtbot.waitSignal(window.controller.import_finished, timeout=120_000) as blocker:
        worker = window.import_paths([src])
        assert worker is not None
        worker.signals.progress.connect(lambda p: worker.cancel() if p.done >= 5 else None)
    results, cancelled = blocker.args
    assert cancelled and 5 <= len(results) < 60
    window.controller.close()
    from app.evidence.service.verifying import verify_case

    with Case.open(case_dir, writable=False) as case:
        assert len(case.items()) == len(results)
        assert verify_case(case).ok


def test_paste_tracking_text(
    qtbot, window: MainWindow, corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    case_dir = tmp_path / "case"
    Case.create(case_dir, "未收到货").close()
    window.open_case(case_dir)
    QGuiApplication.clipboard().setText(
        (corpus / "synthetic/tracking/sf_not_received.txt").read_text(encoding="utf-8")
    )
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.controller.import_finished, timeout=60_000):
        window.paste()
    qtbot.waitUntil(
        lambda: any(e.source == "tracking" and not e.is_item for e in entries(window)),
        timeout=20_000,
    )
    kinds = {e.item_kind.value for e in entries(window) if e.is_item}
    assert kinds == {"tracking"}
    row = window.model.row_of_key(next(e.key for e in entries(window) if e.is_item))
    window.timeline.setCurrentIndex(window.model.index(row))
    table = window.inspector.metadata
    cells = [table.index(r, 0).data() for r in range(table.rowCount())]
    assert any("物流提示" in c for c in cells)  # the SF record was left at a locker: flagged
    assert (
        sum(1 for c in cells if c[:1].isdigit() and "日" in c) >= 7
    )  # the lines read from the record ("6月10日 08:02")


def test_second_window_opens_read_only(qtbot, window: MainWindow, tmp_path: Path) -> None:
    case_dir = tmp_path / "case"
    Case.create(case_dir, "t").close()
    holder = Case.open(case_dir)
    try:
        assert window.open_case(case_dir)
        assert window.controller.read_only
    finally:
        holder.close()


def test_case_details_event_and_hand_set_time(
    qtbot, window: MainWindow, corpus_copy, tmp_path: Path, monkeypatch
) -> None:
    from app.ui import main_window as mw

    case_dir = tmp_path / "case"
    Case.create(case_dir, "未收到货").close()
    window.open_case(case_dir)
    _import(qtbot, window, [corpus_copy("photos/originals/sanyo-vpcsx550.jpg")])
    qtbot.waitUntil(
        lambda: window.snapshot is not None and len(entries(window)) == 1, timeout=20_000
    )

    class FakeDetails:
        def __init__(self, overview, parent):
            self.dispute = type("C", (), {"currentData": staticmethod(lambda: "not_received")})()

        def exec(self):
            return True

        def summary_fields(self):
            return {
                "shop": "某某旗舰店",
                "amount": "128.50",
                "claim": "refund",
                "item_title": None,
                "statement": None,
            }

        def changed_dates(self):
            return {"signed": "2025-06-11 21:40", "order": "2025-06-01"}

    monkeypatch.setattr(mw, "CaseDetailsDialog", FakeDetails)
    window.edit_details()
    qtbot.waitUntil(
        lambda: (window.snapshot.overview.get("summary") or {}).get("shop") == "某某旗舰店",
        timeout=10_000,
    )
    summary = window.snapshot.overview["summary"]
    assert summary["dates"]["signed"].startswith("2025-06-11T21:40")
    assert summary["dispute"].startswith("not_received")

    window.controller.add_manual_event(
        "给快递员打电话，说没收到", mw.parse_when("2025-06-12 10:00", with_time=True)
    )
    qtbot.waitUntil(
        lambda: any(e.title.startswith("给快递员打电话") for e in entries(window)), timeout=10_000
    )
    photo = next(e for e in entries(window) if e.is_item)
    window.controller.set_entry_time(
        photo.key, mw.parse_when("2025-06-12 20:14", with_time=True), "照片水印显示 6月12日 20:14"
    )
    qtbot.waitUntil(
        lambda: "manual_time" in next(e for e in entries(window) if e.key == photo.key).flags,
        timeout=10_000,
    )
    moved = next(e for e in entries(window) if e.key == photo.key)
    assert moved.time.original is not None and moved.time.manual_reason.startswith("照片水印")


def test_export_from_the_window(
    qtbot, window: MainWindow, corpus_copy, tmp_path: Path, monkeypatch
) -> None:
    from app.ui import main_window as mw

    case_dir = tmp_path / "case"
    Case.create(case_dir, "颜色不符").close()
    window.open_case(case_dir)
    _import(
        qtbot,
        window,
        [
            corpus_copy("photos/originals/sanyo-vpcsx550.jpg"),
            corpus_copy("photos/edited/Canon_40D.jpg"),
        ],
    )
    qtbot.waitUntil(
        lambda: window.snapshot is not None and len(window.snapshot.verdicts) == 2, timeout=30_000
    )
    out = tmp_path / "out"
    seen: dict = {}

    class FakeExport:
        def __init__(self, root, title, verdicts, names, preset, parent, **kw):
            seen["warned"] = {
                names[i] for i, v in verdicts.items() if v in ("edited", "recompressed")
            }

        def exec(self):
            return True

        def targets(self):
            return {
                "pdf": out / "chain.pdf",
                "pack": ("wechat-complaint", out / "pack"),
                "zip_path": None,
                "preparer": None,
            }

    monkeypatch.setattr(mw, "ExportDialog", FakeExport)
    results: list = []
    window.controller.export_finished.connect(results.append)
    with qtbot.waitSignal(window.controller.submission_recorded, timeout=120_000):
        window.export_dialog()
    result = results[0]
    # the export is a submission round, as from the command line: its numbers are fixed
    from app.evidence.disputes.rounds import submissions
    from app.evidence.store.case import Case as StoreCase

    with StoreCase.open(case_dir, writable=False) as case:
        assert len(submissions(case)) == 1
    assert seen["warned"] == {"Canon_40D.jpg"}
    assert (out / "chain.pdf").is_file() and result.exhibits == 2
    assert all(p.stat().st_size <= 2 * 1024 * 1024 for p in (out / "pack").rglob("*.jpg"))
