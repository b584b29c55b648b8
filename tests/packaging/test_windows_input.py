"""Chinese file names as Windows hands them over: a GBK (cp936) console and Explorer's drag and
drop.

- The command line on a Chinese Windows console, or with its output redirected to a file there,
  writes in cp936 (GBK). A file name with a character GBK lacks (an emoji, Korean, U+202E) used
  to end the command with UnicodeEncodeError; now such characters print as "?" and the rest,
  Chinese included, prints in GBK. (argv itself is no risk on Windows: Python and the frozen
  launcher read it as UTF-16, whatever the console's code page.) PYTHONIOENCODING=gbk gives the
  process the streams that console gives it.
- Explorer's drag and drop reaches Qt as QMimeData file:// URLs; dropping one whose name is
  Chinese on the main window imports it under that name.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
NAME = "收货照片😀한.jpg"  # Chinese, an emoji and a Hangul syllable: the last two are not in GBK


def _photo(folder: Path, name: str = NAME) -> Path:
    path = folder / name
    Image.new("RGB", (64, 48), (200, 30, 30)).save(path, quality=90)
    return path


@pytest.mark.parametrize("json_output", [False, True])
def test_cli_on_a_gbk_console_prints_chinese_names_without_crashing(
    tmp_path: Path, json_output: bool
) -> None:
    photo = _photo(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env |= {"PYTHONIOENCODING": "gbk", "PYTHONPATH": str(REPO), "EVIDENCE_DESK_LANG": "zh"}
    command = [sys.executable, "-m", "app", "check", photo.name]
    command += ["--json"] if json_output else []
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, env=env, timeout=300)
    stdout, stderr = done.stdout.decode("gbk"), done.stderr.decode("gbk", errors="replace")
    assert "UnicodeEncodeError" not in stderr, stderr
    assert done.returncode in (0, 1), stderr  # 1: findings; never 2 (an error) for this file
    assert "收货照片??.jpg" in stdout  # Chinese kept, the two characters GBK lacks replaced


def test_safe_console_leaves_utf8_streams_alone() -> None:
    import io

    from app.evidence.winpaths import safe_console

    gbk = io.TextIOWrapper(io.BytesIO(), encoding="gbk")
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    safe_console(gbk, utf8)
    assert gbk.errors == "replace" and utf8.errors == "strict"
    gbk.write("证据😀\n")
    gbk.flush()
    assert gbk.buffer.getvalue().decode("gbk") == "证据?\n"


def test_explorer_drop_of_a_chinese_named_file_imports_it(qtbot, tmp_path: Path) -> None:
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from app.evidence.store.case import Case
    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings

    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    case_dir = tmp_path / "案件"
    Case.create(case_dir, "拖放").close()
    window.open_case(case_dir)
    dropped = tmp_path / "桌面" / "聊天截图"
    dropped.mkdir(parents=True)
    photo = _photo(dropped, "卖家发货 2025年6月 (1).jpg")

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])  # what Explorer puts on the drag
    assert mime.urls()[0].toLocalFile() == str(photo)
    point = QPointF(QPoint(640, 400))
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(point, Qt.DropAction.CopyAction, mime, buttons, mods)
    drop.setAccepted(False)
    QApplication.sendEvent(window, drop)
    assert drop.isAccepted()

    def names() -> list[str]:
        snap = window.snapshot
        return [item.original_name for item in snap.items.values()] if snap else []

    qtbot.waitUntil(lambda: names() == ["卖家发货 2025年6月 (1).jpg"], timeout=30_000)
    window.close()
