"""The window in the pseudo-locale (English stretched ~40 %): no label, button or title is clipped.

A translation longer than the text a layout was tried with is the usual way a dialog ends up
showing "Expo" or "导出证…"; the pseudo-locale makes every text that long at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QFont, QImage, QPainter  # noqa: E402
from PySide6.QtGui import Qt as QtGuiNamespace  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QCheckBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionGroupBox,
    QWidget,
)

from app.evidence.demo import build_demo  # noqa: E402
from app.evidence.i18n import PSEUDO, current_language, set_language  # noqa: E402
from app.ui.dialogs import CaseDetailsDialog, EventDialog, NewCaseDialog, SettingsDialog  # noqa: E402
from app.ui.export_dialog import ExportDialog  # noqa: E402
from app.ui.main import make_app  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.settings import Settings  # noqa: E402
from app.ui.timeline_delegate import _kind_glyph, fit_text  # noqa: E402

SLACK = 1  # a pixel of rounding between font metrics and layout


@pytest.fixture(scope="module")
def sample_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample case, built once for this module."""
    return build_demo(tmp_path_factory.mktemp("demo"))["case"]


@pytest.fixture
def pseudo(qapp) -> Iterator[None]:
    """The pseudo-locale for everything built inside the test, with the app's real fonts."""
    before = current_language()
    make_app(language=PSEUDO)
    yield
    set_language(before)


@pytest.fixture
def window(qtbot, pseudo, tmp_path: Path, sample_case: Path) -> Iterator[MainWindow]:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    assert win.open_case(sample_case)
    qtbot.waitUntil(lambda: win.model.rowCount() > 5, timeout=30_000)
    yield win
    win.close()


def _plain(text: str) -> str:
    """A label's text as it is drawn: without markup and the & of a mnemonic."""
    if QtGuiNamespace.mightBeRichText(text):
        text = re.sub(r"<[^>]+>", "", text)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _describe(widget: QWidget, text: str) -> str:
    name = widget.objectName() or type(widget).__name__
    return f"{name} {text[:50]!r} ({widget.width()}x{widget.height()})"


def clipped(root: QWidget) -> list[str]:
    """Visible labels, buttons, check and radio boxes and group titles whose text does not fit."""
    problems = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel):
            text = _plain(widget.text())
            if not text.strip() or widget.pixmap() is not None and not widget.pixmap().isNull():
                continue
            room = widget.contentsRect().width() - 2 * widget.margin() - 2 * max(widget.indent(), 0)
            if widget.wordWrap():
                # wrapped text clips at the bottom: the height it needs at this width
                if widget.heightForWidth(widget.width()) > widget.height() + SLACK:
                    problems.append("cut at the bottom: " + _describe(widget, text))
                continue
            if QtGuiNamespace.mightBeRichText(widget.text()):
                needed = widget.sizeHint().width() - (
                    widget.width() - widget.contentsRect().width()
                )
            else:
                needed = max(
                    widget.fontMetrics().horizontalAdvance(line) for line in text.splitlines()
                )
            if needed > room + SLACK:
                problems.append(f"needs {needed}px: " + _describe(widget, text))
        elif isinstance(widget, (QPushButton, QCheckBox, QRadioButton)):
            button: QAbstractButton = widget
            text = _plain(button.text())
            if text.strip() and button.sizeHint().width() > button.width() + SLACK:
                problems.append(f"needs {button.sizeHint().width()}px: " + _describe(button, text))
        elif isinstance(widget, QGroupBox) and widget.title():
            option = QStyleOptionGroupBox()
            widget.initStyleOption(option)
            title = widget.style().subControlRect(
                QStyle.ComplexControl.CC_GroupBox,
                option,
                QStyle.SubControl.SC_GroupBoxLabel,
                widget,
            )
            needed = widget.fontMetrics().horizontalAdvance(_plain(widget.title()))
            if needed > title.width() + SLACK or title.right() > widget.width():
                problems.append(f"title needs {needed}px: " + _describe(widget, widget.title()))
    return problems


def test_pseudo_texts_reach_the_window(window: MainWindow) -> None:
    """The mode works: the window's own words are the stretched English, and the check has work."""
    menus = [a.text() for a in window.menuBar().actions() if a.text()]
    assert menus and all(t.startswith("[") for t in menus), menus
    labels = [w for w in window.findChildren(QLabel) if w.isVisibleTo(window) and "[" in w.text()]
    assert len(labels) >= 3


def test_main_window_on_the_sample_case_clips_nothing(qtbot, window: MainWindow) -> None:
    first = next(
        r
        for r in range(window.model.rowCount())
        if window.model.index(r).data(window.model.EntryRole)
    )
    window.timeline.setCurrentIndex(window.model.index(first))  # the inspector fills in
    qtbot.wait(50)
    assert not clipped(window), "\n".join(clipped(window))
    window.resize(1024, 640)  # a small laptop screen at 150 %
    qtbot.wait(50)
    assert not clipped(window), "\n".join(clipped(window))


def test_the_start_page_clips_nothing(qtbot, pseudo, tmp_path: Path) -> None:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    assert not clipped(win), "\n".join(clipped(win))


def test_dialogs_clip_nothing(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.snapshot is not None, timeout=30_000)
    snap = window.snapshot
    names = {item_id: item.original_name for item_id, item in snap.items.items()}
    dialogs = [
        NewCaseDialog(window),
        CaseDetailsDialog(snap.overview, window),
        EventDialog("[Åðð évéñţ ~~~]", window, text_label="[Řéåšöñ ~~]"),
        SettingsDialog(window.settings, window),
        ExportDialog(
            window.controller.root,
            snap.info.title,
            snap.verdicts,
            names,
            window.settings.export_preset("buyer"),
            window,
        ),
    ]
    problems = []
    for dialog in dialogs:
        dialog.show()
        qtbot.wait(20)
        problems += [f"{type(dialog).__name__}: {p}" for p in clipped(dialog)]
        dialog.reject()
    assert not problems, "\n".join(problems)


def test_timeline_kind_marks_fit_their_box(qapp, pseudo) -> None:
    """The mark drawn in place of a thumbnail ("物流", "Station") shrinks, then elides, to fit."""
    kinds = [
        "video",
        "tracking",
        "document",
        "screenshot",
        "chat_message",
        "manual",
        "signed",
        "pickup",
        "out_for_delivery",
        "station_dropoff",
        "refused",
        "returned",
        None,
    ]
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    for language in (PSEUDO, "en", "zh_CN"):
        set_language(language)
        for kind in kinds:
            painter = QPainter(image)
            small = QFont(qapp.font())
            small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))  # as the delegate sets it
            painter.setFont(small)
            shown = fit_text(painter, _kind_glyph(kind), 26)
            fits = painter.fontMetrics().horizontalAdvance(shown) <= 26
            painter.end()
            assert fits, (language, kind, shown)
            if language == "zh_CN":
                assert shown == _kind_glyph(kind)  # Chinese marks fit whole


def test_the_clip_check_sees_a_clipped_label(qtbot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    label = QLabel("[Éxpöřţ ţhé évîðéñçé çhåîñ ~~~~~~~~]", holder)
    button = QPushButton("[Éxpöřţ ţhé évîðéñçé çhåîñ ~~~~~~~~]", holder)
    label.setFixedWidth(40)
    button.setGeometry(0, 30, 40, 20)
    holder.show()
    assert len(clipped(holder)) == 2
    label.setFixedWidth(label.sizeHint().width())
    button.resize(button.sizeHint())
    assert not clipped(holder)
