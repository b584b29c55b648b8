"""Gallery edits named by app: Samsung SEF editor entries, iOS IMG_E copies, app names."""

from __future__ import annotations

import json
from pathlib import Path

from app.evidence.checks import Severity, Verdict, check_file
from app.evidence.checks.camera_features import SefEntry
from app.evidence.checks.gallery_edits import genai_type
from app.evidence.checks.model import FileCheck
from tests.evidence.checks import phonefiles as pf

CAMERA = [(0x0A01, "Image_UTC_Data", b"1705124333853"), (0x0AA1, "MCC_Data", b"460")]
RE_EDIT = json.dumps({"originalPath": "/storage/emulated/0/DCIM/Camera/a.jpg", "rotation": 1})


def _codes(check: FileCheck) -> dict[str, Severity]:
    return {f.code: f.severity for f in check.findings}


def _samsung(tmp_path: Path, entries: list[tuple[int, str, bytes]], name: str) -> FileCheck:
    data = pf.camera_jpeg() + pf.sef_block(entries)
    return check_file(pf.write(tmp_path / name, data))


def test_samsung_camera_trailer_is_no_edit(tmp_path: Path) -> None:
    check = _samsung(tmp_path, CAMERA, "cam.jpg")
    assert not {"gallery_edit", "gallery_edit_content"} & set(_codes(check))
    assert check.verdict != Verdict.EDITED


def test_samsung_gallery_editor_save_is_a_warning(tmp_path: Path) -> None:
    entries = [*CAMERA, (0x0BA1, "PhotoEditor_Re_Edit_Data", RE_EDIT.encode()),
               (0x0BA1, "Original_Path_Hash_Key", b"ab12/77")]  # fmt: skip
    check = _samsung(tmp_path, entries, "edited.jpg")
    assert _codes(check).get("gallery_edit") == Severity.WARNING
    f = next(f for f in check.findings if f.code == "gallery_edit")
    assert f.params["app"] == "Samsung Gallery"
    assert "三星相册" in f.title_zh
    assert check.verdict != Verdict.EDITED  # the edit may be a rotation only


def test_samsung_sticker_or_ai_edit_is_an_alert(tmp_path: Path) -> None:
    sticker = [*CAMERA, (0x0BA1, "PhotoEditor_Re_Edit_Data", RE_EDIT.encode()),
               (0x0BA1, "deco_sticker_bitmap", b"\x89PNG....")]  # fmt: skip
    check = _samsung(tmp_path, sticker, "sticker.jpg")
    assert _codes(check).get("gallery_edit_content") == Severity.ALERT
    assert "gallery_edit" not in _codes(check)
    assert check.verdict == Verdict.EDITED
    ai_json = json.dumps({"genAIType": 2, "rotation": 0}).encode()
    ai = _samsung(tmp_path, [*CAMERA, (0x0BA1, "PhotoEditor_Re_Edit_Data", ai_json)], "ai.jpg")
    f = next(f for f in ai.findings if f.code == "gallery_edit_content")
    assert "Galaxy AI" in f.title_en or "Galaxy AI" in f.explanation_en
    assert ai.verdict == Verdict.EDITED


def test_genai_type_values() -> None:
    assert genai_type(SefEntry("PhotoEditor_Re_Edit_Data", 0x0BA1, 10, b'{"genAIType":0}')) == 0
    assert genai_type(SefEntry("x", 0, 10, b'{"genAIType": "4", "cut')) == 4
    assert genai_type(SefEntry("x", 0, 10, b"not json")) is None


def test_ios_edited_copy_by_name(tmp_path: Path) -> None:
    data = pf.camera_jpeg(pf.camera_exif("Apple", "iPhone 15 Pro"))
    edited = check_file(pf.write(tmp_path / "IMG_E4321.JPG", data))
    assert _codes(edited).get("gallery_edited_copy") == Severity.WARNING
    assert edited.verdict != Verdict.EDITED
    original = check_file(pf.write(tmp_path / "IMG_4321.JPG", data))
    assert "gallery_edited_copy" not in _codes(original)
    android = pf.camera_jpeg(pf.camera_exif("samsung", "SM-S918B"))
    assert "gallery_edited_copy" not in _codes(
        check_file(pf.write(tmp_path / "IMG_E1.jpg", android))
    )


def test_app_name_in_user_comment(tmp_path: Path) -> None:
    data = pf.camera_jpeg(pf.camera_exif(user_comment="Meitu MTXX 10.3"))
    check = check_file(pf.write(tmp_path / "m.jpg", data))
    found = [f for f in check.findings if f.code == "app_name_in_text"]
    assert found and found[0].params["field"] == "UserComment"
    assert found[0].severity == Severity.ALERT  # editors.json: Meitu is an editor
    plain = check_file(
        pf.write(tmp_path / "p.jpg", pf.camera_jpeg(pf.camera_exif(user_comment="hi")))
    )
    assert "app_name_in_text" not in _codes(plain)


def test_samsung_heic_editor_entries(tmp_path: Path) -> None:
    """One UI HEIC: the SEF entries live in a top-level `sefd` box, not after an end marker."""
    import io
    import struct

    import pillow_heif

    pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    pf.noise_image().save(buf, format="HEIF", quality=80, exif=pf.camera_exif().tobytes())
    sef = pf.sef_block([*CAMERA, (0x0BA1, "deco_text_bitmap", b"\x89PNG")])
    box = struct.pack(">I4s", len(sef) + 8, b"sefd") + sef
    check = check_file(pf.write(tmp_path / "edited.heic", buf.getvalue() + box))
    f = next(f for f in check.findings if f.code == "gallery_edit_content")
    assert f.severity == Severity.ALERT and "deco_text_bitmap" in f.params["entries"]
