"""Window: remove, exclude and re-kind items with undo; pasted text asks what it is."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402

from app.evidence.models import ItemKind  # noqa: E402
from app.evidence.store.case import Case  # noqa: E402
from app.ui import item_actions  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.timeline_model import TimelineModel  # noqa: E402


def _entries(window: MainWindow) -> list:
    return [
        e
        for e in (
            window.model.index(r).data(TimelineModel.EntryRole)
            for r in range(window.model.rowCount())
        )
        if e is not None
    ]


def _case_with_photos(qtbot, window: MainWindow, tmp_path: Path, n: int = 2) -> Path:
    case_dir = tmp_path / "case"
    Case.create(case_dir, "外套颜色不符").close()
    window.open_case(case_dir)
    src = tmp_path / "in"
    src.mkdir()
    for i in range(n):
        Image.new("RGB", (80, 60), ("red", "blue", "green")[i]).save(src / f"p{i}.jpg")
    with qtbot.waitSignal(window.controller.import_finished, timeout=60_000):
        window.import_paths([src])
    qtbot.waitUntil(lambda: sum(e.is_item for e in _entries(window)) == n, timeout=30_000)
    return case_dir


def _select_first_item(window: MainWindow):
    entry = next(e for e in _entries(window) if e.is_item)
    window.timeline.setCurrentIndex(window.model.index(window.model.row_of_key(entry.key)))
    return entry


def test_delete_key_removes_and_undo_names_it(qtbot, window: MainWindow, tmp_path: Path) -> None:
    _case_with_photos(qtbot, window, tmp_path)
    entry = _select_first_item(window)
    window.timeline.setFocus()
    assert window.remove_action in window.timeline.actions()
    window.remove_action.trigger()
    qtbot.waitUntil(
        lambda: all(e.item_id != entry.item_id for e in _entries(window)), timeout=10_000
    )
    assert window.undo_action.text() == f"撤销 删除 {entry.exhibit_label}"
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert {k.toString() for k in window.redo_action.shortcuts()} == {"Ctrl+Y", "Ctrl+Shift+Z"}
    window.undo_action.trigger()
    qtbot.waitUntil(
        lambda: any(e.item_id == entry.item_id for e in _entries(window)), timeout=10_000
    )
    qtbot.waitUntil(lambda: window.redo_action.text().startswith("重做 删除"), timeout=10_000)
    window.redo_action.trigger()
    qtbot.waitUntil(
        lambda: all(e.item_id != entry.item_id for e in _entries(window)), timeout=10_000
    )


def test_exclude_and_kind_from_the_menu(qtbot, window: MainWindow, tmp_path: Path) -> None:
    case_dir = _case_with_photos(qtbot, window, tmp_path)
    entry = _select_first_item(window)
    window.toggle_excluded()
    qtbot.waitUntil(
        lambda: any(e.item_id == entry.item_id and "excluded" in e.flags for e in _entries(window)),
        timeout=10_000,
    )
    _select_first_item(window)
    window.change_kind(ItemKind.SCREENSHOT)
    qtbot.waitUntil(
        lambda: window.snapshot.items[entry.item_id].kind is ItemKind.SCREENSHOT, timeout=10_000
    )
    window.undo_action.trigger()
    qtbot.waitUntil(
        lambda: window.snapshot.items[entry.item_id].kind is ItemKind.PHOTO, timeout=10_000
    )
    window.controller.close()
    with Case.open(case_dir, writable=False) as case:
        actions = [a.action for a in case.audit_entries()]
    assert "item.exclude" in actions and "item.kind" in actions and "undo" in actions


def test_chat_text_paste_asks_and_tracking_does_not(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    case_dir = tmp_path / "case"
    Case.create(case_dir, "未收到货").close()
    window.open_case(case_dir)
    asked: list[str] = []

    def ask(text: str) -> str:
        asked.append(text)
        return item_actions.PASTE_CHAT

    monkeypatch.setattr(window, "ask_paste_kind", ask)
    QGuiApplication.clipboard().setText(
        "2025-06-12 20:14 我：你好，颜色不对\n2025-06-12 20:16 客服：亲，发一下照片哦"
    )
    with qtbot.waitSignal(window.controller.import_finished, timeout=60_000):
        window.paste()
    assert len(asked) == 1
    qtbot.waitUntil(
        lambda: window.snapshot is not None and len(window.snapshot.items) == 1, timeout=20_000
    )
    assert next(iter(window.snapshot.items.values())).kind is ItemKind.DOCUMENT
    QGuiApplication.clipboard().setText(
        "顺丰速运 运单号：SF1234567890123\n2025-06-10 08:02:09 快件已由【丰巢智能柜】代收\n"
        "2025-06-09 21:40:11 快件到达【杭州西湖营业点】\n2025-06-08 20:31:05 顺丰速运已收取快件"
    )
    with qtbot.waitSignal(window.controller.import_finished, timeout=60_000):
        window.paste()
    assert len(asked) == 1  # clearly tracking: not asked
    qtbot.waitUntil(
        lambda: any(i.kind is ItemKind.TRACKING for i in window.snapshot.items.values()),
        timeout=20_000,
    )
