"""Timeline marks: a case date such as 下单 is an event, not a tracking line (issue 19, point 9)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from app.evidence.store.case import Case  # noqa: E402
from app.evidence.timeline import set_case_date  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.timeline_delegate import _kind_glyph  # noqa: E402
from app.ui.timeline_model import TimelineModel  # noqa: E402


def test_order_date_is_not_marked_as_tracking(qtbot, window: MainWindow, tmp_path: Path) -> None:
    case_dir = tmp_path / "case"
    Case.create(case_dir, "t").close()
    with Case.open(case_dir) as case:
        set_case_date(case, "order", date(2025, 6, 8))
    window.open_case(case_dir)
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=20_000)
    kinds = [
        window.model.index(r).data(TimelineModel.KindRole)
        for r in range(window.model.rowCount())
        if window.model.index(r).data(TimelineModel.EntryRole) is not None
    ]
    assert kinds and all(_kind_glyph(k) != "物流" for k in kinds)
    assert _kind_glyph("signed") == "签收" and _kind_glyph("transit") == "物流"


def test_cards_show_the_note() -> None:
    from app.ui.timeline_delegate import card_text

    assert (
        card_text("证据1  开箱.mp4", "开箱视频：运单号清晰\n第二行")
        == "证据1  开箱.mp4 — 开箱视频：运单号清晰"
    )
    assert card_text("证据1  开箱.mp4", "") == "证据1  开箱.mp4"
