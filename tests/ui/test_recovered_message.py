"""The window says when opening a case kept originals aside in recovered/ (issue 15, point 7)."""

from __future__ import annotations

from pathlib import Path

from tests.evidence.store.test_restore_recovery import _restored_case


def test_opening_a_restored_case_names_the_recovered_originals(
    window, tmp_path: Path, language
) -> None:
    root, _ = _restored_case(tmp_path)
    language("en")
    messages: list[str] = []
    window.controller.message.connect(messages.append)
    assert window.open_case(root)
    assert any("1 original(s) not in case.sqlite" in m and "recover" in m for m in messages)
    assert "recovered/" in window.statusBar().currentMessage()
