"""The side panel shows which exhibit numbers were submitted, and when (issue 18, point 5).

A case of three photos: two were sent by hand on 14 June (首次举证, recorded at a fixed moment),
then all three are exported for the reviewer (recorded as 补充举证 by the export's own path, at
the case clock's now), and a fourth photo is added after. The panel lists both rounds with the
day and time in the case's zone (the zone named), their kind and numbers, each exhibit with
the rounds that sent it, and the exhibits not sent yet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from app.evidence.disputes.rounds import record_submission  # noqa: E402
from app.evidence.i18n import current_language, set_language  # noqa: E402
from app.evidence.ingest.importer import import_files  # noqa: E402
from app.evidence.service.exporting import export_case, record_export  # noqa: E402
from app.evidence.service.submitted import submitted_numbers  # noqa: E402
from app.evidence.service.view import read_case_view  # noqa: E402
from app.evidence.store.case import Case  # noqa: E402
from app.ui.side_panel import SidePanel, render_overview  # noqa: E402
from tests.evidence.export.reviewer_case import photo  # noqa: E402

INITIAL_AT = datetime(2025, 6, 14, 1, 30, tzinfo=UTC)  # 6月14日 09:30 Beijing time


@pytest.fixture(scope="module")
def submitted_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("submitted")
    (base / "in").mkdir()
    colours = [(40, 90, 160), (150, 60, 50), (60, 130, 70), (120, 120, 40)]
    files = [
        photo(base / "in" / f"p{n}.jpg", f"2025:06:1{n} 10:0{n}:00", "+08:00", colour, (800, 600))
        for n, colour in enumerate(colours, start=1)
    ]
    root = base / "case"
    with Case.create(root, "颜色不符", order_no="3301234567890") as case:
        assert import_files(case, files[:3]).count("failed") == 0
        record_submission(case, "initial", INITIAL_AT, entries=["item:1", "item:2"])
        result = export_case(case, pdf=base / "out.pdf")
        assert record_export(case, result) is not None  # the export is the second round
        assert import_files(case, files[3:]).count("failed") == 0
    return root


@pytest.fixture
def zh() -> Iterator[None]:
    before = current_language()
    set_language("zh")
    yield
    set_language(before)


def test_the_rounds_and_numbers_read_from_the_service(submitted_case: Path) -> None:
    view = read_case_view(submitted_case)
    sent = submitted_numbers(view.overview)
    assert [r.kind for r in sent.rounds] == ["initial", "supplement"]
    assert [r.numbers for r in sent.rounds] == [(1, 2), (1, 2, 3)]
    assert sent.rounds[0].when_zh == "2025年6月14日 09:30 北京时间"
    assert sent.rounds[0].when_en == "14 Jun 2025 09:30 Beijing time"
    assert sent.rounds[0].day_zh == "6月14日" and sent.rounds[0].day_en == "14 Jun"
    assert sent.not_sent == (4,)
    later = sent.rounds[1].day_zh
    assert sent.exhibit_line(3) == f"证据3 · 已提交 {later} 补充举证"
    assert sent.exhibit_line(1) == f"证据1 · 已提交 6月14日 首次举证、{later} 补充举证"
    assert sent.exhibit_line(4) == ""
    assert sent.exhibit_line(2, "en").startswith("Exhibit 2 · submitted 14 Jun initial evidence")


def test_the_side_panel_shows_the_submitted_numbers(
    submitted_case: Path, qtbot, tmp_path: Path, zh: None
) -> None:
    view = read_case_view(submitted_case)
    panel = SidePanel()
    qtbot.addWidget(panel)
    panel.resize(420, 900)
    panel.show_overview(view.overview, editable=False)
    panel.show()
    text = panel.toPlainText()
    assert "已提交的证据编号" in text
    assert "首次举证 · 2025年6月14日 09:30 北京时间" in text, text
    assert re.search(r"补充举证 · \d{4}年\d+月\d+日 \d\d:\d\d 北京时间", text), text
    assert "证据 1、2、3" in text
    assert re.search(r"证据3 · 已提交 \d+月\d+日 补充举证", text), text
    assert re.search(r"证据1 · 已提交 6月14日 首次举证、\d+月\d+日 补充举证", text), text
    assert "未提交（编号可能变动）：证据 4" in text
    assert "证据4 · 已提交" not in text
    panel.grab().save(str(tmp_path / "side_panel.png"))


def test_english_and_no_rounds(submitted_case: Path) -> None:
    view = read_case_view(submitted_case)
    before = current_language()
    set_language("en")
    try:
        html = render_overview(view.overview)
    finally:
        set_language(before)
    assert "Exhibit numbers submitted" in html
    assert "Initial evidence</b> · 14 Jun 2025 09:30 Beijing time" in html, html
    assert "exhibits 1, 2, 3" in html
    assert "Not submitted yet (numbers may change): exhibits 4" in html
    empty = dict(view.overview)
    empty["submissions"] = []
    assert "已提交的证据编号" not in render_overview(empty)
    assert "Exhibit numbers submitted" not in render_overview(empty)
