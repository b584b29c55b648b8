"""Correcting OCR text in the inspector: the chat transcript on the timeline follows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QLineEdit  # noqa: E402

from app.evidence.ocr import OcrCache  # noqa: E402
from app.evidence.store.case import Case  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.ocr_view import COL_READ, COL_TEXT  # noqa: E402
from app.ui.timeline_model import TimelineModel  # noqa: E402


def _titles(win: MainWindow) -> list[str]:
    model = win.model
    out = []
    for r in range(model.rowCount()):
        entry = model.index(r).data(TimelineModel.EntryRole)
        if entry is not None and entry.event_kind == "chat_message":
            out.append(entry.title)
    return out


def test_edit_an_ocr_line_and_the_transcript_shows_it(
    qtbot, window: MainWindow, corpus_copy, tmp_path: Path, qtmodeltester
) -> None:
    case_dir = tmp_path / "case"
    Case.create(case_dir, "聊天").close()
    window.open_case(case_dir)
    with qtbot.waitSignal(window.controller.import_finished, timeout=120_000):
        window.import_paths([corpus_copy("synthetic/screenshots/chat_part2.png")])
    qtbot.waitUntil(lambda: "随便" in _titles(window), timeout=30_000)
    row = next(
        r
        for r in range(window.model.rowCount())
        if (e := window.model.index(r).data(TimelineModel.EntryRole)) is not None and e.is_item
    )
    window.timeline.setCurrentIndex(window.model.index(row))
    inspector = window.inspector
    lines = inspector.ocr_lines
    qtbot.waitUntil(lambda: lines.rowCount() > 5, timeout=10_000)
    assert inspector.tabs.isTabVisible(1)
    qtmodeltester.check(lines)
    target = next(r for r in range(lines.rowCount()) if lines.index(r, COL_TEXT).data() == "随便")

    # double-click-style edit through the view's editor, committed with Enter
    inspector.tabs.setCurrentIndex(1)
    view = inspector.ocr_view
    index = lines.index(target, COL_TEXT)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.findChild(QLineEdit)
    assert editor is not None
    editor.setText("随便吧，我申请介入")
    QTest.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop turn
    qtbot.waitUntil(
        lambda: lines.index(target, COL_TEXT).data() == "随便吧，我申请介入", timeout=5_000
    )
    assert lines.index(target, COL_READ).data() == "随便"

    # the chat message on the timeline (the transcript the export prints) follows
    qtbot.waitUntil(lambda: "随便吧，我申请介入" in _titles(window), timeout=30_000)
    assert "随便" not in _titles(window)
    rows = [inspector.metadata.index(r, 1).data() for r in range(inspector.metadata.rowCount())]
    assert "随便吧，我申请介入" in rows  # the item's transcript in the inspector
    qtmodeltester.check(lines)

    # Edit > Undo gives back what the OCR read, in the lines and on the timeline; redo again
    window.controller.undo()
    qtbot.waitUntil(lambda: lines.index(target, COL_TEXT).data() == "随便", timeout=30_000)
    qtbot.waitUntil(lambda: "随便" in _titles(window), timeout=30_000)
    assert "随便吧，我申请介入" not in _titles(window)
    window.controller.redo()
    qtbot.waitUntil(lambda: "随便吧，我申请介入" in _titles(window), timeout=30_000)
    qtbot.waitUntil(
        lambda: lines.index(target, COL_TEXT).data() == "随便吧，我申请介入", timeout=5_000
    )
    window.controller.close()
    shutil.rmtree(case_dir / "derived")  # a rebuildable cache: the user's text is not in it
    with Case.open(case_dir, writable=False) as case:
        item = case.items()[0]
        (fix,) = OcrCache.for_case(case).corrections(item.sha256)
        assert (fix.line, fix.ocr_text, fix.text) == (target, "随便", "随便吧，我申请介入")
