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


def test_a_phase_that_comes_back_says_it_continues(qtbot, tmp_path: Path) -> None:
    """Time order wins over grouping: 物流, then a chat (沟通), then 物流 again shows the second
    物流 heading as 物流（续）, not as a repeated heading (issue 19, point 9)."""
    from app.evidence.i18n import current_language, set_language
    from app.evidence.models import ItemKind
    from app.evidence.timeline import build_timeline
    from app.evidence.tracking.model import EventKind
    from tests.evidence.timeline.factory import STANDARD_TRACKING, add, add_tracking, new_case

    case = new_case(tmp_path)
    add_tracking(case, STANDARD_TRACKING[:2])  # 6-09 18:42 and 20:05: 发货, 物流
    add(case, "聊天.png", ItemKind.SCREENSHOT, "2025-06-10 08:00:00")
    later = [(EventKind.TRANSIT, "2025-06-10 12:00:00", "快件已到达【杭州文三】")]
    add_tracking(case, later, number="SF9876543210987", name="b.txt")
    model = TimelineModel()
    before = current_language()
    set_language("zh_CN")
    try:
        model.set_timeline(build_timeline(case), {}, None)
    finally:
        set_language(before)
    headers = [
        model.index(r).data(TimelineModel.HeaderRole)
        for r in range(model.rowCount())
        if model.index(r).data(TimelineModel.HeaderRole)
    ]
    assert len(headers) == len(set(headers)), headers
    assert any(h.endswith("（续）") for h in headers), headers
