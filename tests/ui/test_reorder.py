"""Dragging timeline entries, or Alt+Up/Alt+Down: reordered within a minute (undoable), refused
across minutes."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, QPointF, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.evidence.store.case import Case  # noqa: E402
from app.ui.dialogs import parse_when  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.settings import Settings  # noqa: E402
from app.ui.timeline_model import TimelineModel  # noqa: E402


@pytest.fixture
def window(qtbot, tmp_path: Path):
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    case_dir = tmp_path / "case"
    Case.create(case_dir, "顺序").close()
    win.open_case(case_dir)
    for text, when in (
        ("甲", "2025-06-12 10:00"),
        ("乙", "2025-06-12 10:00"),
        ("丙", "2025-06-12 10:00"),
        ("丁", "2025-06-12 11:00"),
    ):
        win.controller.add_manual_event(text, parse_when(when, with_time=True))
    qtbot.waitUntil(lambda: titles(win) == ["甲", "乙", "丙", "丁"], timeout=20_000)
    yield win
    win.close()


def titles(win: MainWindow) -> list[str]:
    model = win.model
    out = []
    for r in range(model.rowCount()):
        entry = model.index(r).data(TimelineModel.EntryRole)
        if entry is not None:
            out.append(entry.title)
    return out


def row_of(win: MainWindow, title: str) -> int:
    return next(
        r
        for r in range(win.model.rowCount())
        if (e := win.model.index(r).data(TimelineModel.EntryRole)) and e.title == title
    )


def drop(win: MainWindow, title: str, before: str | None, after: str | None = None) -> None:
    """Drop `title` on the upper edge of `before` (or the lower edge of `after`), via the view."""
    view = win.timeline
    model = win.model
    mime = model.mimeData([model.index(row_of(win, title))])
    rect = view.visualRect(model.index(row_of(win, before or after)))
    y = rect.top() + 2 if before else rect.bottom() - 2
    point = QPoint(rect.center().x(), y)
    buttons, modifiers, move = (
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.DropAction.MoveAction,
    )
    # the sequence a drag delivers: enter (makes the view the drop target), move, drop
    QApplication.sendEvent(
        view.viewport(), QDragEnterEvent(QPointF(point), move, mime, buttons, modifiers)
    )
    QApplication.sendEvent(
        view.viewport(), QDragMoveEvent(QPointF(point), move, mime, buttons, modifiers)
    )
    event = QDropEvent(QPointF(point), move, mime, buttons, modifiers)
    event.setAccepted(False)
    QApplication.sendEvent(view.viewport(), event)


def test_drag_within_a_minute_reorders_and_undo_restores(
    qtbot, window: MainWindow, qtmodeltester
) -> None:
    qtmodeltester.check(window.model)
    drop(window, "丙", before="甲")
    qtbot.waitUntil(lambda: titles(window) == ["丙", "甲", "乙", "丁"], timeout=10_000)
    drop(window, "丙", before=None, after="乙")
    qtbot.waitUntil(lambda: titles(window) == ["甲", "乙", "丙", "丁"], timeout=10_000)
    qtmodeltester.check(window.model)
    window.controller.undo()
    qtbot.waitUntil(lambda: titles(window) == ["丙", "甲", "乙", "丁"], timeout=10_000)
    window.controller.undo()
    qtbot.waitUntil(lambda: titles(window) == ["甲", "乙", "丙", "丁"], timeout=10_000)


def test_drag_across_minutes_is_refused_with_a_message(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.model.drop_refused, timeout=2_000) as refused:
        drop(window, "丁", before="乙")
    assert "同一分钟" in refused.args[0] or "same minute" in refused.args[0]
    assert (
        "分钟" in window.statusBar().currentMessage()
        or "minute" in window.statusBar().currentMessage()
    )
    with qtbot.waitSignal(window.model.drop_refused, timeout=2_000):
        drop(window, "甲", before=None, after="丁")
    window.controller.runner.wait()
    qtbot.wait(50)
    assert titles(window) == ["甲", "乙", "丙", "丁"]
    # dropping an entry back where it is asks for nothing
    with qtbot.assertNotEmitted(window.model.reorder_requested):
        drop(window, "乙", before="丙")


def alt(win: MainWindow, key: Qt.Key) -> None:
    """Alt+Up / Alt+Down typed on the timeline, as the user presses them."""
    QTest.keyClick(win.timeline, key, Qt.KeyboardModifier.AltModifier)


def select(qtbot, win: MainWindow, title: str) -> None:
    win.activateWindow()
    win.timeline.setFocus()
    win.timeline.setCurrentIndex(win.model.index(row_of(win, title)))
    qtbot.waitUntil(win.timeline.hasFocus, timeout=2_000)


def test_alt_up_and_down_move_the_selected_entry_within_its_minute(
    qtbot, window: MainWindow, qtmodeltester
) -> None:
    select(qtbot, window, "甲")
    alt(window, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: titles(window) == ["乙", "甲", "丙", "丁"], timeout=10_000)
    current = window.timeline.currentIndex().data(TimelineModel.EntryRole)
    assert current is not None and current.title == "甲"  # the moved entry stays selected
    alt(window, Qt.Key.Key_Down)  # again, without selecting anew
    qtbot.waitUntil(lambda: titles(window) == ["乙", "丙", "甲", "丁"], timeout=10_000)
    alt(window, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: titles(window) == ["乙", "甲", "丙", "丁"], timeout=10_000)
    qtmodeltester.check(window.model)
    window.controller.undo()  # each move is one undo step
    qtbot.waitUntil(lambda: titles(window) == ["乙", "丙", "甲", "丁"], timeout=10_000)
    window.controller.undo()
    window.controller.undo()
    qtbot.waitUntil(lambda: titles(window) == ["甲", "乙", "丙", "丁"], timeout=10_000)


def test_alt_down_out_of_the_minute_is_refused_like_a_drop(qtbot, window: MainWindow) -> None:
    select(qtbot, window, "丙")
    with (
        qtbot.assertNotEmitted(window.model.move_requested),
        qtbot.waitSignal(window.model.drop_refused, timeout=2_000) as refused,
    ):
        alt(window, Qt.Key.Key_Down)  # 丁 is at 11:00: another minute
    assert "同一分钟" in refused.args[0] or "same minute" in refused.args[0]
    assert window.statusBar().currentMessage() == refused.args[0]  # what a refused drag says
    select(qtbot, window, "丁")
    with qtbot.waitSignal(window.model.drop_refused, timeout=2_000):
        alt(window, Qt.Key.Key_Up)
    window.controller.runner.wait()
    qtbot.wait(50)
    assert titles(window) == ["甲", "乙", "丙", "丁"]
