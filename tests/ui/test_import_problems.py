"""The window says what an import could not finish: the analysis' problems (a chat screenshot that
cannot be read) and items without a thumbnail reach the status line; before the one import
pipeline the window dropped them."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from app.evidence.models import ItemKind  # noqa: E402
from app.ui.controller import CaseController  # noqa: E402
from app.ui.worker import TaskRunner  # noqa: E402

BROKEN_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x02" + b"junk" * 40
)


def test_import_problems_reach_the_status_line(qtbot, tmp_path: Path) -> None:
    broken = tmp_path / "chat-broken.png"
    broken.write_bytes(BROKEN_PNG)
    controller = CaseController(TaskRunner())
    messages: list[str] = []
    controller.message.connect(messages.append)
    assert controller.create(tmp_path / "case", "t")
    with qtbot.waitSignal(controller.import_finished, timeout=120_000) as blocker:
        controller.import_paths([broken], ItemKind.SCREENSHOT)
    results, cancelled = blocker.args
    assert [r.status for r in results] == ["imported"] and not cancelled
    qtbot.waitUntil(lambda: any("chat-broken.png" in m for m in messages), timeout=10_000)
    said = " ".join(messages)
    assert "not an image format" in said or "无法" in said  # the analysis' own words
    controller.close()
