"""The window follows --lang / EVIDENCE_DESK_LANG when given, else its own saved setting."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings  # noqa: E402

from app.evidence.i18n import ENV_VAR, current_language  # noqa: E402
from app.ui.main import open_window, window_language  # noqa: E402
from app.ui.settings import Settings  # noqa: E402


@pytest.fixture
def saved_chinese(tmp_path: Path, monkeypatch) -> Settings:
    """A saved setting of zh_CN, also what Settings() reads inside window_language()."""
    path = str(tmp_path / "settings.ini")
    settings = Settings(QSettings(path, QSettings.Format.IniFormat))
    settings.language = "zh_CN"
    monkeypatch.setattr(
        "app.ui.main.Settings", lambda: Settings(QSettings(path, QSettings.Format.IniFormat))
    )
    return settings


def _menus(window) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def test_environment_variable_gives_an_english_window(
    qtbot, saved_chinese: Settings, monkeypatch, language
) -> None:
    language("zh_CN")
    monkeypatch.setenv(ENV_VAR, "en")
    window = open_window(settings=saved_chinese)
    qtbot.addWidget(window)
    assert current_language() == "en"
    assert window.windowTitle() == "EvidenceDesk"
    assert _menus(window)[:3] == ["Case", "Evidence", "Edit"]
    assert saved_chinese.language == "zh_CN"  # an override for this run, not a new setting


def test_lang_option_beats_the_environment_and_the_setting(
    qtbot, saved_chinese: Settings, monkeypatch, language
) -> None:
    monkeypatch.setenv(ENV_VAR, "zh")
    window = open_window(language="en", settings=saved_chinese)
    qtbot.addWidget(window)
    assert window.windowTitle() == "EvidenceDesk" and _menus(window)[0] == "Case"


def test_without_either_the_saved_setting_decides(
    qtbot, saved_chinese: Settings, monkeypatch, language
) -> None:
    language("en")
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")  # the locale does not override the window's setting
    window = open_window(settings=saved_chinese)
    qtbot.addWidget(window)
    assert current_language() == "zh_CN"
    assert window.windowTitle() == "举证助手" and _menus(window)[0] == "案件"


def test_window_language_order(saved_chinese: Settings) -> None:
    assert window_language("en", {ENV_VAR: "zh"}) == "en"
    assert window_language(None, {ENV_VAR: "en_GB"}) == "en"
    assert window_language(None, {ENV_VAR: "klingon"}) == "zh_CN"  # ignored: the setting
    assert window_language("fr", {}) == "zh_CN"
    assert window_language(None, {"LANG": "en_US.UTF-8"}) == "zh_CN"
