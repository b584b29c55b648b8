"""Every visible text of the Chinese window, its dialogs and the archive window: no untranslated
English, no internal identifiers (snake_case, dotted.names, raw metadata keys).

The walk reads what a person sees: labels, buttons, menus and their actions, tab titles,
placeholders, combo box entries, table and list cells (the details table, the timeline), the
side panel, window titles and Qt's own file dialog. User data is taken out first (file names,
the case title); what remains may contain ASCII only from the allow-list (format and standard
names, key names, numbers).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from app.evidence.store.case import Case  # noqa: E402
from app.ui.dialogs import CaseDetailsDialog, EventDialog, NewCaseDialog, SettingsDialog  # noqa: E402
from app.ui.item_actions import PasteKindDialog, RemovedDialog  # noqa: E402
from app.ui.main import install_language  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.timeline_model import TimelineModel  # noqa: E402

ALLOWED = {
    # formats, standards and names a Chinese user reads as they are
    "EXIF",
    "XMP",
    "PNG",
    "JPEG",
    "JPG",
    "HEIC",
    "PDF",
    "ZIP",
    "SHA",
    "OCR",
    "UTC",
    "GPS",
    "MP4",
    "MOV",
    "IPTC",
    "ICC",
    "C2PA",
    "CSV",
    "GMT",
    "HDR",
    "RGB",
    "AVIF",
    "WebP",
    "TIFF",
    "URL",
    "QuickTime",
    "DateTimeOriginal",
    "DateTime",
    "Photoshop",
    "GIMP",
    "Lightroom",
    "Snapseed",
    "iPhone",
    "Android",
    "Apple",
    "Canon",
    "Nikon",
    "Sony",
    "Huawei",
    "Xiaomi",
    "Samsung",
    "WeChat",
    "Taobao",
    "EvidenceDesk",
    "Ctrl",
    "Shift",
    "Alt",
    "Del",
    "Delete",
    "Tab",
    "Esc",
    "Enter",
    "Space",
    "Home",
    "End",
    "PgUp",
    "PgDown",
    "Backspace",
    "Up",
    "Down",
    "Left",
    "Right",
    "Ins",
    "Meta",
    "SF",
    "ZTO",
    "YTO",
    "STO",
    "EMS",
    "JD",
    "Qt",
    "Windows",
    "Explorer",
    "YYYY",
    "MM",
    "DD",
    "HH",
    "AM",
    "PM",
    "FFmpeg",
    "libjpeg",
    "isom",
    "Code128",
    "Code",
    "QR",
    "EAN",
    "PS",
}
USER_DATA = re.compile(
    r"[\w\-. ()\u4e00-\u9fff]+\.(?:jpe?g|png|heic|mp4|mov|txt|pdf|zip|csv|avif|webp)", re.I
)
SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
DOTTED = re.compile(r"\b[A-Za-z][A-Za-z0-9]*\.[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*\b")
WORD = re.compile(r"[A-Za-z][A-Za-z]+")
HEX = re.compile(r"\b[0-9a-f]{12,}\b")
PATHS = re.compile(r"(?:/[\w.\-\u4e00-\u9fff]+)+/?")


def problems_in(text: str, where: str, user: Iterable[str] = ()) -> list[str]:
    """What a Chinese reader should not see in `text` (empty: fine)."""
    plain = re.sub(r"<[^>]+>", " ", text)
    for value in user:
        plain = plain.replace(value, " ")
    plain = USER_DATA.sub(" ", plain)
    plain = PATHS.sub(" ", HEX.sub(" ", plain))
    found = [
        f"{where}: identifier {m!r} in {text[:80]!r}"
        for m in SNAKE.findall(plain) + DOTTED.findall(plain)
    ]
    words = [w for w in WORD.findall(plain) if w not in ALLOWED and not re.fullmatch(r"F\d+", w)]
    found += [
        f"{where}: English {w!r} in …{plain[max(0, plain.find(w) - 40) : plain.find(w) + 40]!r}…"
        for w in words
    ]
    return found


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of everything readable in `root` and its visible children."""
    out: list[tuple[str, str]] = []
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if w is not root and not w.isVisibleTo(root):
            continue
        name = type(w).__name__
        if w.isWindow() and w.windowTitle():
            out.append((f"{name} title", w.windowTitle()))
        if isinstance(w, (QLabel, QAbstractButton)):
            out.append((name, w.text()))
        elif isinstance(w, QGroupBox):
            out.append((name, w.title()))
        elif isinstance(w, (QLineEdit, QPlainTextEdit)):
            out.append((f"{name} placeholder", w.placeholderText()))
        elif isinstance(w, QTextEdit):
            out.append((name, w.toPlainText()))
        elif isinstance(w, QComboBox):
            out += [(f"{name} item", w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QTabWidget):
            out += [(f"{name} tab", w.tabText(i)) for i in range(w.count())]
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model: one column
                columns = 1
            for r in range(min(model.rowCount(QModelIndex()), 300)):
                for c in range(columns):
                    value = model.index(r, c).data(Qt.ItemDataRole.DisplayRole)
                    if isinstance(value, str):
                        out.append((f"{name} cell", value))
            for c in range(columns):
                header = model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
                if isinstance(header, str):
                    out.append((f"{name} header", header))
        for act in w.actions() if isinstance(w, QMenu) else ():
            out.append(("menu action", act.text()))
    return out


def menu_texts(window: MainWindow) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(menu: QMenu) -> None:
        for act in menu.actions():
            out.append(("menu", act.text()))
            if act.menu() is not None:
                walk(act.menu())

    for act in window.menuBar().actions():
        out.append(("menu bar", act.text()))
        if act.menu() is not None:
            walk(act.menu())
    return out


@pytest.fixture
def chinese(qapp, language):
    language("zh_CN")
    install_language(qapp, "zh_CN")  # our texts and Qt's own (file dialog)
    yield


def _case(qtbot, window: MainWindow, tmp_path: Path, corpus: Path) -> list[str]:
    case_dir = tmp_path / "外套颜色不符"
    Case.create(case_dir, "外套颜色不符", order_no="3958216640123456789").close()
    assert window.open_case(case_dir)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    Image.new("RGB", (120, 90), "grey").save(inputs / "开箱照片.jpg")
    shutil.copyfile(corpus / "synthetic/videos/packing_android_sf.mp4", inputs / "打包视频.mp4")
    shutil.copyfile(corpus / "synthetic/tracking/sf_not_received.txt", inputs / "物流.txt")
    with qtbot.waitSignal(window.controller.import_finished, timeout=180_000):
        window.import_paths([inputs])
    qtbot.waitUntil(
        lambda: window.snapshot is not None and len(window.snapshot.items) == 3, timeout=60_000
    )
    return ["外套颜色不符", "3958216640123456789"]


def test_the_chinese_window_shows_no_english_or_identifiers(
    qtbot, chinese, window: MainWindow, corpus: Path, tmp_path: Path
) -> None:
    found: list[str] = []
    for where, text in visible_texts(window) + menu_texts(window):
        found += problems_in(text, f"start page {where}")
    user = _case(qtbot, window, tmp_path, corpus)
    for where, text in menu_texts(window):
        found += problems_in(text, where, user)
    for row in range(window.model.rowCount()):  # every entry, in the inspector
        index = window.model.index(row)
        if index.data(TimelineModel.EntryRole) is None:
            continue
        window.timeline.setCurrentIndex(index)
        qtbot.wait(20)
        for where, text in visible_texts(window):
            found += problems_in(text, f"entry {row} {where}", user)
    window.statusBar().showMessage("")
    assert not found, "\n".join(dict.fromkeys(found))


def test_the_dialogs_in_chinese(qtbot, chinese, window: MainWindow, tmp_path: Path) -> None:
    overview = {"summary": {"role": "buyer", "dates": {}}}
    dialogs: list[QWidget] = [
        NewCaseDialog(window),
        CaseDetailsDialog(overview, window),
        EventDialog("添加事件", window),
        SettingsDialog(window.settings, window),
        RemovedDialog([], window),
        PasteKindDialog("你好", window),
    ]
    files = QFileDialog(window, "导入文件")
    files.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialogs.append(files)
    found: list[str] = []
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        for where, text in visible_texts(dialog):
            if isinstance(dialog, QFileDialog) and ("cell" in where or "header" in where):
                continue  # the folder's own file names
            if isinstance(dialog, SettingsDialog) and text == "English":
                continue  # the language choice names itself
            found += problems_in(
                text, f"{type(dialog).__name__} {where}", [str(tmp_path), str(Path.home())]
            )
        dialog.close()
    assert QCoreApplication.translate("QFileDialog", "&Look in:") != "&Look in:"
    assert not found, "\n".join(dict.fromkeys(found))


def test_the_archive_window_in_chinese(
    qtbot, chinese, window: MainWindow, corpus: Path, tmp_path: Path
) -> None:
    from app.evidence import archive as core
    from app.ui.archive_view import ArchiveView

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copyfile(corpus / "synthetic/videos/packing_android_sf.mp4", inputs / "打包视频.mp4")
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "订单编号,买家会员名,宝贝标题,物流单号,物流公司,订单创建时间\n"
        "3958216640123456789,买家小李,蓝牙耳机,SF1234567890123,顺丰速运,2025-06-08 10:00:00\n",
        encoding="utf-8",
    )
    root = tmp_path / "archive"
    core.init_archive(root)
    core.import_into_archive(root, [inputs / "打包视频.mp4"], orders)
    view = ArchiveView()
    qtbot.addWidget(view)
    view.resize(1200, 720)
    view.show()
    with qtbot.waitSignal(view.controller.inbox_ready, timeout=20_000):
        view.open_archive(root)
    view.search.setText("SF1234567890123")
    qtbot.wait(800)
    found = [
        p
        for where, text in visible_texts(view)
        for p in problems_in(
            text, f"archive {where}", ["3958216640123456789", "SF1234567890123", str(root)]
        )
    ]
    view.controller.close()
    assert not found, "\n".join(dict.fromkeys(found))


def test_the_check_catches_english_and_identifiers() -> None:
    assert problems_in("no time zone in the file", "x")
    assert problems_in("export.prepare 0/7", "x")
    assert problems_in("(camera_metadata)", "x")
    assert problems_in("General.Encoded_Date", "x")
    assert not problems_in("拍摄时间（EXIF）· 2025-06-08 20:00 · 开箱照片.jpg", "x")
    assert not problems_in("撤销 删除 证据3 Ctrl+Z", "x")
