"""evidence-desk add --camera-only / --dry-run on a phone's folder (issue 22)."""

from __future__ import annotations

from pathlib import Path

from app.cli import main
from app.evidence.store.case import Case
from app.evidence.store.folder_hints import hints_for
from app.evidence.store.verify import verify_case
from tests.evidence.ingest import phone_trees


def _case(tmp_path: Path) -> Path:
    case_dir = tmp_path / "case"
    assert main(["new", str(case_dir), "--title", "phone"]) == 0
    assert main(["date", str(case_dir), "order", "2025-06-07"]) == 0
    assert main(["date", str(case_dir), "signed", "2025-06-10"]) == 0
    return case_dir


def test_dry_run_lists_the_plan_and_imports_nothing(tmp_path: Path, capsys) -> None:
    case_dir = _case(tmp_path)
    phone = tmp_path / "Redmi" / "Internal shared storage"
    phone_trees.build(phone, "xiaomi")
    capsys.readouterr()
    code = main(
        ["--lang", "en", "add", str(case_dir), str(phone.parent), "--camera-only", "--dry-run"]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "[import] DCIM/Camera/IMG_20250609_101500.jpg" in text
    assert "[leave out] DCIM/Screenshots/Screenshot_2025-06-09-10-20-00.png" in text
    assert "[leave out] MIUI/Gallery/cloud/owner/IMG_20250609_101500.jpg" in text
    assert "Import only the 2 camera files from 5–12 June 2025" in text
    assert "days in Asia/Shanghai" in text
    assert "would import 2 files" in text
    with Case.open(case_dir, writable=False) as case:
        assert case.items() == []


def test_camera_only_imports_camera_files_with_hints(tmp_path: Path, capsys) -> None:
    case_dir = _case(tmp_path)
    phone = tmp_path / "iPhone"
    phone_trees.build(phone, "iphone")
    assert main(["add", str(case_dir), str(phone / "DCIM"), "--camera-only", "--no-ocr"]) == 0
    with Case.open(case_dir) as case:
        names = {i.original_name for i in case.items()}
        # inside the dates, and the undated one offered; not the PNG screenshot, not May's photo
        assert names == {"IMG_0001.JPG", "IMG_0002.MOV", "IMG_0101.JPG"}
        hints = hints_for(case.connection)
        assert {h.folder for h in hints.values()} == {"DCIM/100APPLE", "DCIM/101APPLE"}
        assert verify_case(case).problems == []
    # the rest later, without --camera-only: all imported, each with its own folder as a hint
    assert main(["add", str(case_dir), str(phone), "--no-ocr"]) == 0
    with Case.open(case_dir, writable=False) as case:
        hints = hints_for(case.connection)
        by_name = {i.original_name: hints[i.id] for i in case.items()}
        assert by_name["IMG_0003.PNG"].source_class == "screenshot"
        assert by_name["IMG_0100.JPG"].folder == "DCIM/101APPLE"
        assert len(by_name) == 5


def test_camera_only_refuses_a_folder_that_is_not_a_phone(tmp_path: Path, capsys) -> None:
    case_dir = _case(tmp_path)
    plain = tmp_path / "photos"
    phone_trees.jpeg(plain / "a.jpg", phone_trees.IN)
    capsys.readouterr()
    assert main(["--lang", "en", "add", str(case_dir), str(plain), "--camera-only"]) == 2
    assert "does not look like a phone's storage or DCIM folder" in capsys.readouterr().err
    with Case.open(case_dir, writable=False) as case:
        assert case.items() == []
