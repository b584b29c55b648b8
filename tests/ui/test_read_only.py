"""A second window on a case is read-only: a banner says so and no editing control takes input."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")


from app.evidence.store.case import Case  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402


def test_read_only_window_has_a_banner_and_no_edits(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    case_dir = tmp_path / "case"
    Case.create(case_dir, "t").close()
    holder = Case.open(case_dir)  # the other window
    try:
        assert window.open_case(case_dir) and window.controller.read_only
        assert window.readonly_banner.isVisible() and "只读" in window.readonly_banner.text()
        assert window.inspector.note.isReadOnly()
        assert window.edit_actions and not any(a.isEnabled() for a in window.edit_actions)
        assert (
            not window.remove_action.isEnabled() and not window.kind_menu.menuAction().isEnabled()
        )
        window.inspector.note.setEnabled(True)
        qtbot.keyClicks(window.inspector.note, "typed")
        assert window.inspector.note.toPlainText() == ""  # nothing typed to be dropped later
    finally:
        holder.close()
    other = tmp_path / "other"
    Case.create(other, "t2").close()
    assert window.open_case(other) and not window.controller.read_only
    assert not window.readonly_banner.isVisible() and not window.inspector.note.isReadOnly()
    assert all(a.isEnabled() for a in window.edit_actions)
