"""Start the desktop application."""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Mapping
from importlib.resources import as_file, files
from pathlib import Path
from typing import cast

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from app.evidence.i18n import ENV_VAR, normalise_language, set_language
from app.evidence.service.system import case_root_of
from app.ui.main_window import MainWindow
from app.ui.settings import Settings

log = logging.getLogger(__name__)
APP_FONT = "wqy-microhei.ttc"


def register_fonts() -> str | None:
    """Register the bundled CJK font (Chinese renders without a system one); returns its family."""
    resource = files("resources").joinpath("fonts", APP_FONT)
    with as_file(resource) as path:
        font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        log.warning("the bundled font could not be loaded")
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    return families[0] if families else None


def install_language(app: QApplication, language: str) -> None:
    """Use `language` for our texts and Qt's own dialogs (qtbase translations ship with Qt)."""
    set_language(language)
    if language == "zh_CN":
        translator = QTranslator(app)
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(
            QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", path
        ):
            app.installTranslator(translator)
        else:
            log.info("Qt's own Chinese translations were not found in %s", path)
        from app.ui.qt_texts import MissingQtTexts

        app.installTranslator(MissingQtTexts(parent=app))  # texts qtbase_zh_CN lacks (file dialog)


def make_app(argv: list[str] | None = None, language: str | None = None) -> QApplication:
    """The QApplication, the bundled font as the fallback for Chinese, in the chosen language."""
    # instance() is typed as the QCoreApplication; the app only ever makes a QApplication
    app = cast(QApplication, QApplication.instance() or QApplication(argv or sys.argv))
    app.setApplicationName("EvidenceDesk")
    app.setOrganizationName("EvidenceDesk")
    install_language(app, language or Settings().language)
    with as_file(files("resources").joinpath("icons", "app.png")) as icon:
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
    family = register_fonts()
    if family:
        font = QFont(app.font())
        font.setFamilies([app.font().family(), family])
        app.setFont(font)
    freeze_long_lived_objects(collect=True)
    return app


def freeze_long_lived_objects(collect: bool = False) -> None:
    """Leave the objects alive now (modules, classes, Qt wrappers: ~140,000 at start) out of
    Python's cyclic garbage collector.

    A full collection walks every tracked object while holding the GIL: 35 ms on an idle
    machine, up to 170 ms on a busy one, and the window cannot repaint meanwhile, whichever
    thread (a worker building a snapshot, say) happened to trigger it. Frozen objects are
    still freed by reference counting; only cyclic garbage among them would stay.
    """
    if collect:
        gc.collect()  # at start-up only: a stall nobody sees, and nothing collectable is frozen
    gc.freeze()


def window_language(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The window's language: `--lang`, then EVIDENCE_DESK_LANG, then the saved setting.

    Only a language asked for on purpose overrides the window's own setting (chosen in its menu
    and remembered); the locale (LANG) does not, unlike the command line's, because the window
    has a setting of its own. An unknown value is ignored with a warning. The saved setting is
    left as it was: the override lasts for this run only.
    """
    env = os.environ if environ is None else environ
    for where, value in (("--lang", explicit), (ENV_VAR, env.get(ENV_VAR))):
        if not value:
            continue
        chosen = normalise_language(value)
        if chosen is not None:
            return chosen
        log.warning("%s %r is not a language the window knows (zh, en); ignored", where, value)
    return Settings().language


def open_window(
    case_path: Path | None = None,
    language: str | None = None,
    settings: Settings | None = None,
) -> MainWindow:
    """Make the application in the language `window_language(language)` chooses, and its window."""
    make_app(language=window_language(language))
    window = MainWindow(settings) if settings is not None else MainWindow()
    if case_path is not None:  # a case folder, or its marker file (a double-click in Explorer)
        window.open_case(case_root_of(case_path))
    return window


def run_gui(case_path: Path | None, language: str | None = None) -> int:
    """Run the application until its window closes (`language`: the command line's --lang)."""
    from app.ui.log import install_logging

    make_app(language=window_language(language))  # QStandardPaths needs the application's name
    install_logging()  # a rotating file in the user's data folder; Qt messages, warnings, crashes
    window = open_window(case_path, language)
    app = QApplication.instance()
    assert app is not None
    window.show()
    if smoke := os.environ.get("EVIDENCE_DESK_SMOKE_SECONDS"):  # packaging smoke test: auto-quit
        QTimer.singleShot(int(float(smoke) * 1000), app.quit)
    return int(app.exec())
