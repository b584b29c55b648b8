"""Keyboard path (Tab reaches the note, F6 between panes), the Help guide, the start page's
first steps and sample case, and the empty timeline's hint."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.evidence.store.case import Case  # noqa: E402
from app.ui.help import guide_text, shortcut_rows  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.timeline_model import TimelineModel  # noqa: E402


def _open_with_photo(qtbot, window: MainWindow, tmp_path: Path) -> None:
    case_dir = tmp_path / "case"
    Case.create(case_dir, "t").close()
    window.open_case(case_dir)
    photo = tmp_path / "p.jpg"
    Image.new("RGB", (80, 60), "red").save(photo)
    with qtbot.waitSignal(window.controller.import_finished, timeout=60_000):
        window.import_paths([photo])
    qtbot.waitUntil(
        lambda: window.model.rowCount() > 0 and window.timeline.isVisible(), timeout=20_000
    )


def test_tab_reaches_the_note_without_walking_the_table(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    _open_with_photo(qtbot, window, tmp_path)
    row = next(
        r
        for r in range(window.model.rowCount())
        if window.model.index(r).data(TimelineModel.EntryRole) is not None
    )
    window.timeline.setCurrentIndex(window.model.index(row))
    window.activateWindow()
    window.timeline.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.timeline, timeout=5_000)
    visited = []
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
        if QApplication.focusWidget() is window.inspector.note:
            break
    assert QApplication.focusWidget() is window.inspector.note, visited
    assert len(visited) <= 3
    assert not window.inspector.table.tabKeyNavigation()  # the details table is one Tab stop
    qtbot.keyClick(window.inspector.note, Qt.Key.Key_Tab)
    assert window.inspector.note.toPlainText() == ""  # Tab leaves the note, types nothing


def test_f6_moves_between_panes(qtbot, window: MainWindow, tmp_path: Path) -> None:
    _open_with_photo(qtbot, window, tmp_path)
    row = next(
        r
        for r in range(window.model.rowCount())
        if window.model.index(r).data(TimelineModel.EntryRole) is not None
    )
    window.timeline.setCurrentIndex(window.model.index(row))
    window.activateWindow()
    window.timeline.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.timeline, timeout=5_000)
    window.focus_pane(1)
    assert QApplication.focusWidget() is window.inspector.note
    window.focus_pane(1)
    assert QApplication.focusWidget() is window.side
    window.focus_pane(1)
    assert QApplication.focusWidget() is window.timeline
    window.focus_pane(-1)
    assert QApplication.focusWidget() is window.side


def test_help_guide_both_languages_and_shortcuts(window: MainWindow) -> None:
    zh, en = guide_text("zh_CN"), guide_text("en")
    assert "买家" in zh and "卖家" in zh and "F6" in zh
    assert "Buyer" in en and "Seller" in en and "F6" in en
    rows = dict(shortcut_rows(window.actions() + window.timeline.actions()))
    keys = " ".join(rows)
    for key in ("F1", "F6", "Ctrl+Z", "Ctrl+Y", "Del", "Ctrl+D"):
        assert key in keys, keys
    menus = [a.text() for a in window.menuBar().actions()]
    assert "帮助" in menus


def test_start_page_first_steps_sample_and_empty_hint(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    start = window.start
    texts = " ".join(w.text() for w in start.findChildren(type(window.empty_hint)))
    assert "我是买家" in texts and "我是卖家" in texts
    assert start.sample_button.isVisible() and start.sample_button.text() == "打开示例案件"
    case_dir = tmp_path / "case"
    Case.create(case_dir, "t").close()
    window.open_case(case_dir)
    qtbot.waitUntil(lambda: window.snapshot is not None, timeout=20_000)
    assert window.empty_hint.isVisible() and not window.timeline.isVisible()
    assert "Ctrl+I" in window.empty_hint.text()
