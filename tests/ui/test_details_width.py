"""The details table keeps room for the values (issue 19, point 9): at 1024x640 a long field name
took the width and the time read "11 Apr 2015 0…"; the field column now stops at 40 %."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from app.ui.inspector import Inspector  # noqa: E402
from app.ui.worker import TaskRunner  # noqa: E402


def test_a_long_field_name_leaves_the_value_most_of_the_width(qtbot) -> None:
    inspector = Inspector(TaskRunner())
    qtbot.addWidget(inspector)
    inspector.resize(420, 640)  # the middle column of a 1024x640 window
    inspector.show()
    inspector.tabs.setCurrentWidget(inspector.table)
    qtbot.wait(20)
    inspector.metadata.set_rows(
        [
            ("com.apple.quicktime.location.ISO6709 (QuickTime metadata key)", "+30.2741+120.1551/"),
            ("时间线", "2025年6月12日 19:03 北京时间 · 视频元数据"),
        ]
    )
    width = inspector.table.viewport().width()
    assert inspector.table.columnWidth(0) <= 0.4 * width + 1
    inspector.metadata.set_rows([("时间线", "2025年6月12日 19:03 北京时间")])
    assert inspector.table.columnWidth(0) < 0.4 * width  # short names: only as wide as needed
