"""A phone's folder dropped on the window: the offer, the camera's files, the hint shown."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtGui import QFont  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

from app.evidence.i18n import set_language  # noqa: E402
from app.evidence.store.case import Case  # noqa: E402
from app.evidence.timeline.dates import set_case_date  # noqa: E402
from app.ui.main import register_fonts  # noqa: E402
from app.ui.phone_import_dialog import (  # noqa: E402
    PhoneImportDialog,
    folder_hint_row,
    import_with_phone_offer,
)
from tests.evidence.ingest import phone_trees  # noqa: E402

SHOTS = os.environ.get("EVIDENCE_DESK_SHOTS")  # a folder to keep the screenshots in (optional)


def _case(tmp_path: Path) -> Path:
    root = tmp_path / "case"
    with Case.create(root, "外套颜色不符") as case:
        set_case_date(case, "order", phone_trees.ORDER)
        set_case_date(case, "signed", phone_trees.SIGNED)
    return root


def _dialog(qtbot, window) -> PhoneImportDialog:
    found: list[PhoneImportDialog] = []

    def look() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, PhoneImportDialog)]
        found[:] = [w for w in found if w.isVisible()]
        return bool(found)

    qtbot.waitUntil(look, timeout=60_000)
    return found[0]


def _cjk(widget) -> None:
    """The bundled CJK font the app registers at start (main.register_fonts), set before the
    widgets are laid out so the screenshots show what a user sees."""
    family = register_fonts()
    if family:
        font = QFont(widget.font())
        font.setFamily(family)
        widget.setFont(font)


def _shot(widget, tmp_path: Path, name: str) -> Path:
    QApplication.processEvents()
    path = tmp_path / name
    assert widget.grab().save(str(path))
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(SHOTS) / name)
    return path


def test_drop_phone_folder_offers_camera_files_and_shows_hint(qtbot, window, tmp_path) -> None:
    phone = tmp_path / "HUAWEI P40" / "内部存储"
    phone_trees.build(phone, "huawei")
    assert window.open_case(_case(tmp_path))
    _cjk(window)
    window.import_paths([phone.parent])
    dialog = _dialog(qtbot, window)
    assert dialog.camera_button.text() == "只导入相机拍的 2 个文件（2025年6月5日–2025年6月12日）"
    left = dialog.left_out.text()
    assert "截图和录屏：2 个" in left and "微信、QQ 等聊天软件保存的：4 个" in left
    assert "相机拍的，但不在纠纷日期内：1 个" in left
    assert dialog.all_button.text() == "全部导入（9 个文件）"
    assert _shot(dialog, tmp_path, "phone_import_zh.png").stat().st_size > 0

    with qtbot.waitSignal(window.controller.import_finished, timeout=120_000) as blocker:
        dialog.camera_button.click()
    results, _ = blocker.args
    assert sorted(Path(r.path).name for r in results) == [
        "IMG_20250609_101500.jpg",
        "VID_20250609_101800.mp4",
    ]
    items = window.controller.items()
    assert len(items) == 2
    photo = next(i for i in items if i.original_name.endswith(".jpg"))
    hint = window.controller.folder_hint(photo.id)
    assert hint is not None and "DCIM/Camera" in hint and "不作为证据" in hint

    # selecting the photo shows the hint in its details, beside (not among) the evidence
    qtbot.waitUntil(lambda: window.snapshot is not None and len(window.snapshot.items) == 2)
    role = window.model.EntryRole

    def photo_row() -> int | None:
        for r in range(window.model.rowCount()):
            entry = window.model.index(r, 0).data(role)
            if entry is not None and entry.is_item and entry.item_id == photo.id:
                return r
        return None

    qtbot.waitUntil(lambda: photo_row() is not None, timeout=30_000)
    row = photo_row()
    window.timeline.setCurrentIndex(window.model.index(row, 0))
    rows = window.inspector.metadata._rows
    assert folder_hint_row(hint) in rows
    table = next(
        t
        for t in window.inspector.findChildren(QTableView)
        if t.model() is window.inspector.metadata
    )
    QApplication.processEvents()
    table.scrollTo(table.model().index(table.model().rowCount() - 1, 0))
    _shot(window.inspector, tmp_path, "phone_hint_inspector_zh.png")


def test_dialog_in_english_and_cancel_imports_nothing(qtbot, window, tmp_path) -> None:
    phone = tmp_path / "iPhone" / "Internal Storage"
    phone_trees.build(phone, "iphone")
    assert window.open_case(_case(tmp_path))
    _cjk(window)
    set_language("en")
    try:
        import_with_phone_offer(window, window.controller, [phone / "DCIM"])
        dialog = _dialog(qtbot, window)
        assert dialog.camera_button.text() == "Import only the 3 camera files from 5–12 June 2025"
        assert "1 of them have no date that can be read" in dialog.left_out.text()
        assert "screenshots and screen recordings: 1" in dialog.left_out.text()
        _shot(dialog, tmp_path, "phone_import_en.png")
        dialog.cancel_button.click()
    finally:
        set_language("zh_CN")
    qtbot.wait(300)
    window.controller.runner.wait()
    assert window.controller.items() == []


def test_a_plain_folder_imports_as_before(qtbot, window, tmp_path) -> None:
    folder = tmp_path / "photos"
    phone_trees.jpeg(folder / "a.jpg", phone_trees.IN)
    assert window.open_case(_case(tmp_path))
    with qtbot.waitSignal(window.controller.import_finished, timeout=120_000):
        worker = window.import_paths([folder])
    assert worker is not None
    assert [i.original_name for i in window.controller.items()] == ["a.jpg"]
    assert window.controller.folder_hint(window.controller.items()[0].id) is None
