"""The export warning names each non-original's likely route and what to do instead (issue 22);
window test, offscreen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QLabel  # noqa: E402

from app.evidence.i18n import current_language, set_language  # noqa: E402
from app.evidence.service.cases import create_case  # noqa: E402
from app.evidence.service.importing import import_paths  # noqa: E402
from app.evidence.service.view import read_case_view  # noqa: E402
from app.ui.export_dialog import ExportDialog  # noqa: E402
from tests.evidence.checks.routefiles import write_all  # noqa: E402


@pytest.fixture(scope="module")
def case_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("routes_export")
    files = write_all(folder / "in")
    root = folder / "case"
    with create_case(root, "路线") as case:
        picked = (
            "wechat_saved_android",
            "shot_iphone_landscape_photo",
            "wx_camera_capture_stripped",
        )
        import_paths(case, [files[r] for r in picked], ocr=False)
    return root


def _warning(qtbot, root: Path, with_findings: bool = True) -> str:
    view = read_case_view(root)
    names = {i: item.original_name for i, item in view.items.items()}
    dialog = ExportDialog(
        root,
        view.info.title,
        view.verdicts,
        names,
        "taobao",
        findings=view.findings if with_findings else None,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    label = dialog.findChild(QLabel, "originals_warning")
    assert label is not None
    if os.environ.get("ROUTES_SHOT"):  # a look at it: ROUTES_SHOT=/tmp/x.png
        dialog.grab().save(os.environ["ROUTES_SHOT"])
    return label.text()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_export_warning_names_the_route_and_the_way_to_the_original(
    qtbot, case_root: Path, language: str
) -> None:
    before = current_language()
    set_language(language)
    try:
        text = _warning(qtbot, case_root)
    finally:
        set_language(before)
    if language == "en":
        assert "mmexport1717221600123.jpg: not the original" in text
        assert "Most likely a compressed copy saved from WeChat" in text
        assert "IMG_0002.PNG: Most likely a screenshot of a photo" in text
        assert "screenshot of a photo on a phone screen" in text
        assert "What to do instead:" in text and "ticked in WeChat" in text
        assert "Keep Originals" in text
    else:
        assert "很可能是从微信保存下来的压缩副本" in text
        assert "很可能是照片在手机屏幕上的截图" in text
        assert "换成原件的办法" in text and "在微信里发送时勾选“原图”" in text
    # a stripped copy under the name of WeChat's own camera: listed, no route is claimed
    line = next(li for li in text.split("<li>") if li.startswith("wx_camera_1717221600123.jpg"))
    assert "—" not in line


def test_without_findings_the_warning_lists_the_files_only(qtbot, case_root: Path) -> None:
    before = current_language()
    set_language("en")
    try:
        text = _warning(qtbot, case_root, with_findings=False)
    finally:
        set_language(before)
    assert "mmexport1717221600123.jpg: not the original" in text
    assert "Most likely" not in text and "What to do instead" not in text
