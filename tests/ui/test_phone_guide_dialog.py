"""The 从手机导入 / Get files from your phone dialog: every page in Chinese and English at
1024x640 without a clipped text; the phone choice and the links between pages; the diagrams
draw what they show; the start page, the Evidence menu and the inspector's hint open it at the
right page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage  # noqa: E402
from PySide6.QtGui import Qt as QtGuiNamespace  # noqa: E402
from PySide6.QtWidgets import QLabel, QPushButton  # noqa: E402

from app.evidence.i18n import current_language, set_language  # noqa: E402
from app.evidence.service.checks import StoredFinding  # noqa: E402
from app.evidence.service.phone_guide import load_guide  # noqa: E402
from app.evidence.store.case import Case  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.phone_guide_dialog import PhoneFigure, PhoneGuideDialog  # noqa: E402
from app.ui.timeline_model import TimelineModel  # noqa: E402
from tests.ui.test_pseudo_locale import clipped  # noqa: E402

ENTITIES = ("&quot;", "&#x27;", "&amp;", "&lt;")


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp) -> Iterator[str]:
    before = current_language()
    set_language(request.param)
    yield request.param
    set_language(before)


def _pages() -> list[tuple[str, str | None]]:
    guide = load_guide()
    pages: list[tuple[str, str | None]] = []
    for route in guide.routes:
        families = [f.id for f in guide.families] if route.per_family else [None]
        pages += [(route.id, family) for family in families]
    return pages


def _shown_entities(dialog: PhoneGuideDialog) -> list[str]:
    """Labels that would show an HTML entity as text (rich text not recognised)."""
    problems = []
    for label in dialog.findChildren(QLabel):
        text = label.text()
        rich = label.textFormat() == Qt.TextFormat.RichText or (
            label.textFormat() == Qt.TextFormat.AutoText and QtGuiNamespace.mightBeRichText(text)
        )
        if any(e in text for e in ENTITIES) and not rich:
            problems.append(text[:60])
    return problems


def test_every_page_fits_1024x640_in_both_languages(qtbot, language: str, tmp_path: Path) -> None:
    dialog = PhoneGuideDialog()
    qtbot.addWidget(dialog)
    dialog.resize(1024, 640)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= 1024 and dialog.height() <= 640
    problems = []
    for route, family in _pages():
        dialog.show_route(route)
        if family is not None:
            dialog.show_family(family)
        qtbot.wait(10)
        where = f"{language} {route} {family}"
        problems += [f"{where}: {p}" for p in clipped(dialog)]
        problems += [f"{where}: entity shown {p!r}" for p in _shown_entities(dialog)]
        # no sideways scroll
        assert dialog.body.width() <= dialog.page_scroll.viewport().width(), where
        assert dialog.grab().save(str(tmp_path / f"{language}-{route}-{family}.png"))
    routes = dialog.routes
    assert routes.sizeHintForColumn(0) <= routes.viewport().width(), "route titles cut"
    assert not problems, "\n".join(problems)
    # the page's words are the chosen language's
    dialog.show_route("chat_original")
    title = dialog.title.text()
    assert ("微信" in title) == (language == "zh_CN")


def test_the_phone_choice_changes_the_steps_and_the_folders(qtbot, qapp) -> None:
    before = current_language()
    set_language("en")
    try:
        dialog = PhoneGuideDialog("usb", "iphone")
        qtbot.addWidget(dialog)
        dialog.show()

        def page_text() -> str:
            return " ".join(label.text() for label in dialog.body.findChildren(QLabel))

        assert dialog.phones.isVisible()
        assert "DCIM/100APPLE" in page_text() and "Trust" in page_text()
        iphone_steps = dialog.visible_steps()
        huawei = next(
            b for b in dialog.family_buttons.buttons() if b.property("family") == "huawei"
        )
        huawei.click()
        assert dialog.family_id == "huawei" and huawei.isChecked()
        assert "DCIM/Camera" in page_text() and "100APPLE" not in page_text()
        assert "Transfer files" in page_text()
        assert set(dialog.visible_steps()).isdisjoint(
            {s for s in iphone_steps if s.families == ("iphone",)}
        )
        # a page without phone-specific steps hides the choice
        dialog.show_route("never")
        assert not dialog.phones.isVisible()
    finally:
        set_language(before)


def test_a_step_links_to_the_page_it_names_and_a_source_address_is_copied(qtbot, qapp) -> None:
    dialog = PhoneGuideDialog("usb", "iphone")
    qtbot.addWidget(dialog)
    dialog.show()
    links = [b for b in dialog.body.findChildren(QPushButton) if b.isVisibleTo(dialog)]
    assert len(links) == 1
    links[0].click()
    assert dialog.route_id == "iphone_transfer"
    assert dialog.routes.currentRow() == 2
    sources = [label for label in dialog.body.findChildren(QLabel) if "<a href=" in label.text()]
    assert sources, "no step shows its source"
    url = "https://heicsave.com/blog/why-iphone-uses-heic"
    assert any(url in label.text() for label in sources)
    sources[0].linkActivated.emit(url)
    assert QGuiApplication.clipboard().text() == url
    dialog.show_route("no_such_page")
    assert dialog.route_id == "overview"


def _count(image: QImage, colour: QColor, tolerance: int = 40) -> int:
    n = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - colour.red())
                + abs(c.green() - colour.green())
                + abs(c.blue() - colour.blue())
                <= tolerance
            ):
                n += 1
    return n


def test_the_diagrams_draw_the_choice_they_show(qtbot, qapp) -> None:
    guide = load_guide()
    figures = {
        s.figure.kind: s.figure for r in guide.routes for s in r.steps if s.figure is not None
    }
    assert set(figures) == {"cable", "folders", "menu", "tick", "cross"}
    blue, wechat_green, red = QColor("#1a73e8"), QColor("#07c160"), QColor("#c62828")
    images = {}
    for kind, figure in figures.items():
        widget = PhoneFigure(figure, guide.family("huawei"))
        qtbot.addWidget(widget)
        images[kind] = widget.grab().toImage()
    assert _count(images["menu"], blue) > 20  # the chosen option's ring and dot
    assert _count(images["tick"], wechat_green) > 50  # the ticked 原图 box and the send button
    assert _count(images["tick"], red) > 10  # the ring around 原图
    assert _count(images["cross"], red) > 20  # one cross per way that loses the original
    assert _count(images["folders"], QColor("#e6f4ea"), 15) > 200  # the camera folder's row
    assert _count(images["folders"], QColor("#fbbc04")) > 10  # and its folder icon
    assert _count(images["cable"], QColor("#fbbc04")) > 50  # the DCIM folder on the PC
    assert _count(images["menu"], wechat_green) == 0


def test_the_start_page_and_the_evidence_menu_open_the_general_page(
    qtbot, window: MainWindow
) -> None:
    window.start.phone_button.click()
    dialog = window.findChild(PhoneGuideDialog)
    assert dialog is not None and dialog.isVisible() and dialog.route_id == "overview"
    dialog.show_route("never")
    dialog.close()
    action = next(a for a in window.actions() if a.text() in ("从手机导入…", "From your phone…"))
    action.trigger()
    again = window.findChild(PhoneGuideDialog)
    assert again is dialog and again.isVisible() and again.route_id == "overview"


def _guide_of(window: MainWindow) -> PhoneGuideDialog:
    dialog = window.findChild(PhoneGuideDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def _finding(code: str, severity: str, origin: str = "check") -> StoredFinding:
    return StoredFinding(code, severity, "标题", "title", "说明", "explanation", origin=origin)


def test_the_inspector_hint_opens_the_guide_at_the_route_of_the_finding(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    case_dir = tmp_path / "case"
    Case.create(case_dir, "t").close()
    window.open_case(case_dir)
    photo = tmp_path / "p.jpg"
    Image.new("RGB", (80, 60), "red").save(photo)
    with qtbot.waitSignal(window.controller.import_finished, timeout=60_000):
        window.import_paths([photo])
    qtbot.waitUntil(lambda: window.snapshot is not None and window.model.rowCount() > 0)
    entry = next(
        e
        for r in range(window.model.rowCount())
        if (e := window.model.index(r).data(TimelineModel.EntryRole)) is not None and e.is_item
    )
    snapshot = window.snapshot
    assert snapshot is not None
    item = snapshot.items[entry.item_id]
    inspector = window.inspector

    def show(*findings: StoredFinding) -> None:
        inspector.show_entry(entry, item, None, None, list(findings))

    show(_finding("camera_metadata", "ok"))
    assert not inspector.phone_hint.isVisible()  # an original, or nothing says otherwise
    show(_finding("dimension_mismatch", "warning", origin="cross"))
    assert not inspector.phone_hint.isVisible()  # two files disagree: not this file's route
    show(_finding("chat_app_trace", "warning"))
    assert inspector.phone_hint.isVisible()
    inspector.phone_hint.click()
    dialog = window.findChild(PhoneGuideDialog)
    assert dialog is not None and dialog.isVisible() and dialog.route_id == "overview"
    show(_finding("chat_app_trace", "warning"), _finding("route_wechat_recompressed", "info"))
    inspector.phone_hint.click()
    assert _guide_of(window).route_id == "chat_original"
    show(_finding("route_iphone_transfer", "info"))  # a route finding asks on its own
    assert inspector.phone_hint.isVisible()
    inspector.phone_hint.click()
    assert _guide_of(window).route_id == "iphone_transfer"
    inspector.show_entry(None, None, None)
    assert not inspector.phone_hint.isVisible()
