"""A seller's case opens the export on a seller preset, even right after a buyer's case was
exported with the buyer preset (issue 19, point 9: the one remembered preset was the buyer's)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings  # noqa: E402

from app.evidence.store.case import Case  # noqa: E402
from app.ui import main_window as mw  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.settings import Settings  # noqa: E402


def test_presets_are_remembered_per_role(tmp_path: Path) -> None:
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert settings.export_preset("buyer") == "taobao-buyer"
    assert settings.export_preset("seller") == "tmall-seller"
    settings.set_export_preset("buyer", "pdd")
    assert settings.export_preset("seller") == "tmall-seller"
    settings.set_export_preset("seller", "taobao-seller-api")
    assert (settings.export_preset("buyer"), settings.export_preset("seller")) == (
        "pdd",
        "taobao-seller-api",
    )


def test_seller_case_export_starts_on_the_seller_preset(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    window.settings.set_export_preset("buyer", "taobao-buyer")  # the last buyer export
    offered: list[str] = []

    class Dialog:
        def __init__(self, root, title, verdicts, names, preset, parent, **kw) -> None:  # noqa: ANN001
            offered.append(preset)

        def exec(self) -> bool:
            return False

    monkeypatch.setattr(mw, "ExportDialog", Dialog)
    case_dir = tmp_path / "case"
    Case.create(case_dir, "买家称未收到", role="seller").close()
    window.open_case(case_dir)
    qtbot.waitUntil(lambda: window.snapshot is not None, timeout=20_000)
    window.export_dialog()
    assert offered == ["tmall-seller"]
