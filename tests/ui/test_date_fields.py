"""Case details and event dialogs: dates typed as people type them, a calendar, bad ones marked."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QDate  # noqa: E402
from PySide6.QtWidgets import QDialog  # noqa: E402

from app.ui.dialogs import CaseDetailsDialog, EventDialog  # noqa: E402

OVERVIEW = {"summary": {"role": "buyer", "shop": "", "dates": {}}}


def _dialog(qtbot) -> CaseDetailsDialog:
    dialog = CaseDetailsDialog(OVERVIEW)
    qtbot.addWidget(dialog)
    return dialog


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2025/6/8", date(2025, 6, 8)),
        ("2025-6-8", date(2025, 6, 8)),
        ("2025-06-08", date(2025, 6, 8)),
        ("2025年6月8日 20:00", datetime(2025, 6, 8, 20, 0)),
        ("2025.6.8 9:05", datetime(2025, 6, 8, 9, 5)),
    ],
)
def test_every_form_is_accepted(qtbot, typed: str, expected: object) -> None:
    dialog = _dialog(qtbot)
    dialog.shop.setText("某某旗舰店")
    dialog.dates["order"].setText(typed)
    dialog._accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.parsed_dates() == {"order": expected}


def test_relative_and_month_day_forms(qtbot) -> None:
    dialog = _dialog(qtbot)
    dialog.dates["signed"].setText("昨天 20:00")
    dialog.dates["order"].setText("1月2日")
    dialog._accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    parsed = dialog.parsed_dates()
    assert parsed["signed"] == datetime.combine(
        date.today() - timedelta(days=1), datetime.min.time()
    ).replace(hour=20)
    assert (parsed["order"].month, parsed["order"].day) == (1, 2)


def test_bad_date_is_marked_in_place_and_nothing_is_lost(qtbot) -> None:
    dialog = _dialog(qtbot)
    dialog.show()
    dialog.shop.setText("某某旗舰店")
    dialog.amount.setText("128.50")
    dialog.statement.setText("收到的外套颜色与页面不符")
    dialog.dates["order"].setText("2025/6/8")
    dialog.dates["shipped"].setText("2025/13/40")
    dialog._accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    field = dialog.dates["shipped"]
    assert field.error.isVisible() and "2025/13/40" in field.error.text()
    assert not field.error.text().startswith(
        "无法识别的日期："
    )  # the parser's line, no doubled prefix
    assert "red" in field.edit.styleSheet() or "#c62828" in field.edit.styleSheet()
    assert not dialog.dates["order"].error.isVisible()  # the good one is not marked
    assert (dialog.shop.text(), dialog.amount.text(), dialog.statement.text()) == (
        "某某旗舰店",
        "128.50",
        "收到的外套颜色与页面不符",
    )
    assert field.text() == "2025/13/40"  # what was typed stays
    field.edit.setText("2025/6/9")
    field.edit.textEdited.emit("2025/6/9")
    assert not field.error.isVisible() and field.edit.styleSheet() == ""
    dialog._accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_calendar_picker_fills_the_field_and_keeps_the_time(qtbot) -> None:
    dialog = _dialog(qtbot)
    field = dialog.dates["signed"]
    assert field.button.menu() is not None
    field.setText("2025-06-01 21:40")
    field._picked(QDate(2025, 6, 11))
    assert field.text() == "2025-06-11 21:40"
    empty = dialog.dates["order"]
    empty._picked(QDate(2025, 6, 8))
    assert empty.text() == "2025-06-08"


def test_event_dialog_marks_a_bad_time(qtbot) -> None:
    dialog = EventDialog("添加事件")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.text.setText("给快递员打电话")
    dialog.when.setText("25:00")
    dialog._accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.when.error.isVisible()
    dialog.when.setText("2025/6/12 10:00")
    dialog._accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.when.value() == datetime(2025, 6, 12, 10, 0)
