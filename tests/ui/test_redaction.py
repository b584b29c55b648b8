"""Redaction in the inspector: draw, move, resize, delete and undo regions; review suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from app.evidence.privacy import Rect, State, list_redactions  # noqa: E402
from app.evidence.store.case import Case  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.redaction_view import RegionItem, region_menu  # noqa: E402
from app.ui.timeline_model import TimelineModel  # noqa: E402


def _open_with(qtbot, win: MainWindow, tmp_path: Path, paths: list[Path]) -> Path:
    case_dir = tmp_path / "case"
    Case.create(case_dir, "隐私").close()
    assert win.open_case(case_dir)
    with qtbot.waitSignal(win.controller.import_finished, timeout=120_000):
        win.import_paths(paths)
    qtbot.waitUntil(lambda: _item_rows(win) == len(paths), timeout=30_000)
    return case_dir


def _item_rows(win: MainWindow) -> int:
    model = win.model
    rows = (model.index(r).data(TimelineModel.EntryRole) for r in range(model.rowCount()))
    return sum(1 for e in rows if e is not None and e.is_item)


def _select(qtbot, win: MainWindow, name: str) -> int:
    model = win.model
    for r in range(model.rowCount()):
        entry = model.index(r).data(TimelineModel.EntryRole)
        if (
            entry is not None
            and entry.is_item
            and win.snapshot.items[entry.item_id].original_name == name
        ):
            win.timeline.setCurrentIndex(model.index(r))
            qtbot.waitUntil(lambda: win.inspector.canvas.has_picture(), timeout=20_000)
            return entry.item_id
    shown = [model.index(r).data() for r in range(model.rowCount())]
    raise AssertionError(
        f"{name} not among {shown}; items {[i.original_name for i in win.snapshot.items.values()]}"
    )


def _stored(win: MainWindow, item_id: int) -> list:
    return [r for r in win.snapshot.redactions.get(item_id, []) if r.state is not State.REJECTED]


def _drag(canvas, start: QPoint, end: QPoint) -> None:
    viewport = canvas.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for n in range(1, 5):
        QTest.mouseMove(viewport, start + (end - start) * (n / 4))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_draw_move_resize_delete_and_undo_a_region(
    qtbot, window: MainWindow, corpus_copy, tmp_path: Path
) -> None:
    # landscape_6 is stored 450 x 600 with EXIF "rotate 90": upright it is 600 x 450, the space
    # the core stores regions in and the export burns them in
    photo = corpus_copy("photos/orientation/landscape_6.jpg")
    case_dir = _open_with(qtbot, window, tmp_path, [photo])
    item_id = _select(qtbot, window, "landscape_6.jpg")
    canvas = window.inspector.canvas
    assert canvas.editable and (canvas.full_size().width(), canvas.full_size().height()) == (
        600,
        450,
    )

    _drag(canvas, canvas.map_from_image(100, 80), canvas.map_from_image(300, 200))
    qtbot.waitUntil(lambda: len(_stored(window, item_id)) == 1, timeout=10_000)
    rect = _stored(window, item_id)[0].rect
    tolerance = 600 / canvas.viewport().width() * 2 + 1  # a screen pixel or two, in image pixels
    assert abs(rect.x - 100) <= tolerance and abs(rect.y - 80) <= tolerance
    assert abs(rect.x + rect.w - 300) <= tolerance and abs(rect.y + rect.h - 200) <= tolerance
    with Case.open(case_dir, writable=False) as case:
        assert [r.rect for r in list_redactions(case, item_id)] == [rect]
    qtbot.waitUntil(lambda: len(canvas.regions()) == 1, timeout=5_000)

    # move: drag the middle of the region 50 image pixels right
    region_id = next(iter(canvas.regions()))
    _drag(canvas, canvas.map_from_image(200, 140), canvas.map_from_image(250, 140))
    qtbot.waitUntil(
        lambda: _stored(window, item_id)[0].rect.x >= rect.x + 50 - tolerance, timeout=10_000
    )
    moved = _stored(window, item_id)[0].rect
    assert (moved.w, moved.h) == (rect.w, rect.h) and abs(moved.y - rect.y) <= tolerance

    # resize: the region is selected; drag its bottom-right handle
    assert canvas.regions()[region_id].isSelected()
    corner = canvas.map_from_image(moved.x + moved.w, moved.y + moved.h)
    _drag(canvas, corner, canvas.map_from_image(500, 400))
    qtbot.waitUntil(lambda: _stored(window, item_id)[0].rect.w > moved.w + 100, timeout=10_000)
    resized = _stored(window, item_id)[0].rect
    assert abs(resized.x - moved.x) <= tolerance and abs(resized.x + resized.w - 500) <= tolerance

    # undo (the case's undo history) brings back the size before the resize
    window.controller.undo()
    qtbot.waitUntil(lambda: _stored(window, item_id)[0].rect == moved, timeout=10_000)

    # Del deletes the selected region; undo brings it back, undo again removes the first draw
    qtbot.waitUntil(lambda: region_id in canvas.regions(), timeout=5_000)
    canvas.regions()[region_id].setSelected(True)
    canvas.setFocus()
    QTest.keyClick(canvas, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not _stored(window, item_id), timeout=10_000)
    window.controller.undo()
    qtbot.waitUntil(lambda: len(_stored(window, item_id)) == 1, timeout=10_000)
    for _ in range(3):  # the move and the drawing
        window.controller.undo()
    qtbot.waitUntil(lambda: not _stored(window, item_id), timeout=10_000)
    qtbot.waitUntil(lambda: not canvas.regions(), timeout=5_000)
    window.controller.close()
    with Case.open(case_dir, writable=False) as case:
        assert list_redactions(case, item_id) == []


def test_a_click_draws_nothing(qtbot, window: MainWindow, corpus_copy, tmp_path: Path) -> None:
    _open_with(qtbot, window, tmp_path, [corpus_copy("photos/originals/sanyo-vpcsx550.jpg")])
    item_id = _select(qtbot, window, "sanyo-vpcsx550.jpg")
    canvas = window.inspector.canvas
    point = canvas.map_from_image(10, 10)
    _drag(canvas, point, point + QPoint(1, 1))
    window.controller.runner.wait()
    assert not _stored(window, item_id) and not canvas.regions()


def test_suggested_phone_number_is_shown_and_accepted(
    qtbot, window: MainWindow, corpus_copy, tmp_path: Path
) -> None:
    case_dir = _open_with(
        qtbot, window, tmp_path, [corpus_copy("synthetic/screenshots/chat_part2.png")]
    )
    item_id = _select(qtbot, window, "chat_part2.png")
    inspector = window.inspector
    assert inspector.suggest_button.isVisible()
    inspector.suggest_button.click()
    qtbot.waitUntil(
        lambda: any(r.state is State.SUGGESTED for r in _stored(window, item_id)), timeout=120_000
    )
    suggestion = next(r for r in _stored(window, item_id) if r.state is State.SUGGESTED)
    assert suggestion.text == "13812345678" and suggestion.masked == "138****5678"
    qtbot.waitUntil(lambda: suggestion.id in inspector.canvas.regions(), timeout=5_000)
    assert inspector.accept_button.isVisible()
    item: RegionItem = inspector.canvas.regions()[suggestion.id]
    accept = region_menu(inspector.canvas, item).actions()[0]
    accept.trigger()
    qtbot.waitUntil(lambda: _stored(window, item_id)[0].state is State.ACCEPTED, timeout=10_000)
    qtbot.waitUntil(lambda: not inspector.accept_button.isVisible(), timeout=5_000)
    window.controller.close()
    with Case.open(case_dir, writable=False) as case:
        (stored,) = list_redactions(case, item_id)
        assert stored.state is State.ACCEPTED and stored.rect == suggestion.rect
        assert isinstance(stored.rect, Rect)


def test_a_rejected_suggestion_disappears(
    qtbot, window: MainWindow, corpus_copy, tmp_path: Path
) -> None:
    _open_with(qtbot, window, tmp_path, [corpus_copy("synthetic/screenshots/chat_part2.png")])
    item_id = _select(qtbot, window, "chat_part2.png")
    window.controller.suggest_redactions([item_id])
    qtbot.waitUntil(lambda: bool(window.inspector.canvas.regions()), timeout=120_000)
    rid = next(iter(window.inspector.canvas.regions()))
    window.inspector.canvas.regions()[rid].setSelected(True)
    window.inspector.canvas.setFocus()
    QTest.keyClick(window.inspector.canvas, Qt.Key.Key_Delete)  # Del on a suggestion rejects it
    qtbot.waitUntil(
        lambda: window.snapshot.redactions[item_id][0].state is State.REJECTED, timeout=10_000
    )
    qtbot.waitUntil(lambda: not window.inspector.canvas.regions(), timeout=5_000)


def test_video_keyframes_strip_and_a_region_on_one_frame(
    qtbot, window: MainWindow, corpus_copy, tmp_path: Path
) -> None:
    from app.ui.video_view import multimedia

    _open_with(qtbot, window, tmp_path, [corpus_copy("synthetic/videos/packing_android_sf.mp4")])
    model = window.model
    row = next(
        r
        for r in range(model.rowCount())
        if (e := model.index(r).data(TimelineModel.EntryRole)) and e.is_item
    )
    window.timeline.setCurrentIndex(model.index(row))
    inspector = window.inspector
    strip = inspector.strip
    qtbot.waitUntil(lambda: strip.list.count() > 2, timeout=60_000)
    assert strip.isVisible()
    assert strip.play_button.isVisible() == (
        multimedia() is not None
    )  # playback only with QtMultimedia
    item_id = model.index(row).data(TimelineModel.EntryRole).item_id
    strip.list.setCurrentRow(2)
    frame = inspector._frames[2]
    canvas = inspector.canvas
    qtbot.waitUntil(lambda: canvas.editable and canvas.full_size() == frame.full, timeout=5_000)
    w, h = frame.full.width(), frame.full.height()
    _drag(canvas, canvas.map_from_image(w * 0.2, h * 0.2), canvas.map_from_image(w * 0.5, h * 0.4))
    qtbot.waitUntil(lambda: len(_stored(window, item_id)) == 1, timeout=10_000)
    assert _stored(window, item_id)[0].frame_ms == frame.ms
    qtbot.waitUntil(lambda: len(canvas.regions()) == 1, timeout=5_000)
    strip.list.setCurrentRow(6)  # another keyframe: that region is not drawn there
    qtbot.waitUntil(
        lambda: canvas.full_size() == inspector._frames[6].full and not canvas.regions(),
        timeout=5_000,
    )
    strip.every_frame.setChecked(True)
    _drag(canvas, canvas.map_from_image(w * 0.6, h * 0.6), canvas.map_from_image(w * 0.9, h * 0.9))
    qtbot.waitUntil(lambda: len(_stored(window, item_id)) == 2, timeout=10_000)
    assert _stored(window, item_id)[1].frame_ms is None
    qtbot.waitUntil(lambda: len(canvas.regions()) == 1, timeout=5_000)


def test_video_player_plays_offscreen_when_qtmultimedia_is_installed(qtbot, corpus: Path) -> None:
    from app.ui.video_view import VideoPlayer, multimedia

    if multimedia() is None:
        pytest.skip(
            "PySide6.QtMultimedia is not installed (PySide6-Essentials): the keyframes stand in"
        )
    player = VideoPlayer()
    qtbot.addWidget(player)
    player.show()
    player.play(corpus / "synthetic/videos/packing_android_sf.mp4")
    qtbot.waitUntil(
        lambda: (
            player.player.duration() > 0 or player.player.error() != player.player.Error.NoError
        ),
        timeout=10_000,
    )
    player.stop()
