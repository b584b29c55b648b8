"""The window log file: rotating, Qt messages, Python warnings, worker tracebacks, crash dialog."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import warnings
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import qWarning  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from app.ui import log as ui_log  # noqa: E402
from app.ui.worker import TaskRunner, Worker  # noqa: E402


@pytest.fixture
def installed(tmp_path: Path):
    path = ui_log.install_logging(tmp_path / "logs")
    yield path
    ui_log.uninstall_logging()


def _text(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_log_file_gets_qt_messages_and_warnings(installed: Path) -> None:
    assert installed.name == "evidence-desk.log" and installed.is_file()
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler)
    )
    assert handler.maxBytes > 0 and handler.backupCount >= 1
    qWarning("a Qt warning for the log")
    warnings.warn("a Python warning for the log", UserWarning, stacklevel=1)
    text = _text(installed)
    assert "a Qt warning for the log" in text
    assert "a Python warning for the log" in text


def test_worker_exception_is_logged_with_traceback(qtbot, installed: Path) -> None:
    runner = TaskRunner()

    def boom() -> None:
        raise RuntimeError("worker went wrong")

    worker = Worker(boom, wants_progress=False)
    with qtbot.waitSignal(worker.signals.finished, timeout=10_000):
        runner.read(worker)
    runner.wait(5000)
    text = _text(installed)
    assert "worker went wrong" in text and "Traceback" in text and "in boom" in text


def test_crash_dialog_names_the_log_and_copies_details(qtbot, installed: Path, monkeypatch) -> None:
    shown: list[ui_log.CrashDialog] = []
    monkeypatch.setattr(ui_log.CrashDialog, "exec", lambda self: shown.append(self) or 0)
    try:
        raise ValueError("an unexpected crash")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    assert len(shown) == 1
    dialog = shown[0]
    assert str(installed) in dialog.informativeText()
    dialog.copy_button.click()
    copied = QApplication.clipboard().text()
    assert "an unexpected crash" in copied and str(installed) in copied
    assert "an unexpected crash" in _text(installed)
    assert isinstance(dialog, QMessageBox)


def test_the_cli_log_option_writes_a_file(tmp_path: Path) -> None:
    handler = ui_log.file_handler(tmp_path / "cli.log")
    logging.getLogger("app.cli").addHandler(handler)
    try:
        logging.getLogger("app.cli").warning("a CLI line")
    finally:
        logging.getLogger("app.cli").removeHandler(handler)
        handler.close()
    assert "a CLI line" in (tmp_path / "cli.log").read_text(encoding="utf-8")
