"""Archive tables: times in the reader's language, sorted by the real time."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from app.ui.archive_model import (  # noqa: E402
    Column,
    RecordTableModel,
    SortProxy,
    short_time,
    time_sort_key,
)


@pytest.mark.parametrize(
    ("lang", "iso", "shown"),
    [
        ("zh_CN", "2025-06-09T18:00:00+08:00", "2025年6月9日 18:00"),
        ("en", "2025-06-09T18:00:00+08:00", "9 Jun 2025 18:00"),
        ("zh_CN", "2025-06-09 18:00:00", "2025年6月9日 18:00"),  # an order export's form
        ("en", "2025-06-09", "9 Jun 2025"),  # a date alone stays a date
        ("en", None, "—"),
        ("zh_CN", "下周一", "下周一"),  # not a time: shown as the export wrote it
    ],
)
def test_short_time_in_each_language(language, lang: str, iso: str | None, shown: str) -> None:
    language(lang)
    assert short_time(iso) == shown


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_time_columns_sort_by_the_real_time(qapp, qtmodeltester, language, lang: str) -> None:
    language(lang)
    times = ["2025-06-10T09:00:00", None, "2025-06-09T18:00:00+08:00", "2024-12-31 23:59:00"]
    model: RecordTableModel[str | None] = RecordTableModel(
        [Column("when", short_time, time_sort_key)]
    )
    model.set_records(times)
    qtmodeltester.check(model)
    proxy = SortProxy(model)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    shown = [proxy.index(row, 0).data() for row in range(proxy.rowCount())]
    # as text, "10 Jun" / "6月10日" would come before "9 Jun" / "6月9日"
    assert shown == [short_time(t) for t in (times[3], times[2], times[0], None)]
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, 0).data() == "—"  # unknown times sort after every known one
