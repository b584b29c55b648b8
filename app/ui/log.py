"""The window's log file, Qt's messages and warnings routed into it, and the crash dialog.

The packaged app has no console: without a file, a traceback in a worker or a Qt warning is
lost. `install_logging` writes everything at INFO and above to a rotating file in the user's
data folder (QStandardPaths AppDataLocation/logs/evidence-desk.log, 1 MB x 4), routes
qInstallMessageHandler and Python warnings there, and sets an excepthook that logs the
traceback and shows a dialog naming the log file with a button copying the details.
"""

from __future__ import annotations

import logging
import logging.handlers
import platform
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QStandardPaths, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.evidence.i18n import tr

LOG_NAME = "evidence-desk.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

_installed: dict[str, object] = {}
_qt_log = logging.getLogger("qt")
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def default_log_dir() -> Path:
    """<AppDataLocation>/logs (e.g. %APPDATA%/EvidenceDesk/EvidenceDesk/logs on Windows)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".evidence-desk") / "logs"


def file_handler(path: Path) -> logging.Handler:
    """A rotating UTF-8 log file handler (also used by the command line's --log)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.INFO)
    return handler


def log_path() -> Path | None:
    """The window's log file once installed."""
    path = _installed.get("path")
    return path if isinstance(path, Path) else None


def install_logging(folder: Path | None = None, *, excepthook: bool = True) -> Path:
    """Log to a rotating file in `folder` (default: the user's data folder); idempotent."""
    path = (folder or default_log_dir()) / LOG_NAME
    if log_path() == path:
        return path
    uninstall_logging()
    handler = file_handler(path)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    logging.captureWarnings(True)  # warnings.warn(...) -> the "py.warnings" logger -> the file
    _installed.update(path=path, handler=handler, qt=qInstallMessageHandler(_qt_message))
    if excepthook:
        _installed.update(sys_hook=sys.excepthook, thread_hook=threading.excepthook)
        sys.excepthook = _excepthook
        threading.excepthook = _thread_excepthook
    logging.getLogger(__name__).info(
        "EvidenceDesk started (Python %s, %s)", platform.python_version(), platform.platform()
    )
    return path


def uninstall_logging() -> None:
    """Take the handler, the Qt message handler and the hooks back (tests)."""
    handler = _installed.pop("handler", None)
    if isinstance(handler, logging.Handler):
        logging.getLogger().removeHandler(handler)
        handler.close()
    if "qt" in _installed:
        qInstallMessageHandler(_installed.pop("qt"))  # type: ignore[arg-type]
    if "sys_hook" in _installed:
        sys.excepthook = _installed.pop("sys_hook")  # type: ignore[assignment]
        threading.excepthook = _installed.pop("thread_hook")  # type: ignore[assignment]
    logging.captureWarnings(False)
    _installed.pop("path", None)


def _qt_message(kind: QtMsgType, context: object, message: str) -> None:
    where = getattr(context, "category", None) or "qt"
    _qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s: %s", where, message)


def crash_text(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> str:
    return "".join(traceback.format_exception(kind, value, tb))


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    details = crash_text(kind, value, tb)
    logging.getLogger("crash").critical("unexpected error:\n%s", details)
    app = QApplication.instance()
    if app is not None and threading.current_thread() is threading.main_thread():
        CrashDialog(details, log_path()).exec()


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    details = crash_text(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)
    logging.getLogger("crash").critical(
        "unexpected error in thread %s:\n%s", getattr(args.thread, "name", "?"), details
    )


class CrashDialog(QMessageBox):
    """Something went wrong: where the log is, and a button that copies the details."""

    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(tr("举证助手出错了", "EvidenceDesk ran into a problem"))
        where = str(log_file) if log_file else tr("（未写入日志文件）", "(no log file)")
        self.setText(
            tr(
                "程序遇到意外错误。你的案件和原件没有受到影响；未保存的输入可能丢失。",
                "Something unexpected went wrong. Your cases and originals are not affected; "
                "unsaved typing may be lost.",
            )
        )
        self.setInformativeText(
            tr(
                "详细信息已写入日志：\n{path}\n反馈问题时请附上它。",
                "The details are in the log:\n{path}\nPlease attach it when reporting the problem.",
                path=where,
            )
        )
        self.details = f"{details}\nlog: {where}\n"
        self.setDetailedText(self.details)
        self.copy_button = self.addButton(
            tr("复制详细信息", "Copy the details"), QMessageBox.ButtonRole.ActionRole
        )
        self.copy_button.clicked.disconnect()
        self.copy_button.clicked.connect(self.copy_details)
        self.addButton(tr("关闭", "Close"), QMessageBox.ButtonRole.RejectRole)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details)
