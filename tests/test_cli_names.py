"""The command line names things as the user sees them: exhibits as the timeline numbers them,
dispute types and case dates by their Chinese names; and it reports what it did in words."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from app import cli
from app.evidence.store.case import Case
from app.evidence.timeline import build_timeline
from app.evidence.timeline.refs import exhibit_number


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def case(tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root = tmp_path / "case"
    assert run(capsys, "new", root, "--title", "颜色不符")[0] == 0
    photos = [
        corpus / "photos/orientation/landscape_1.jpg",
        corpus / "photos/originals/sanyo-vpcsx550.jpg",
    ]
    assert run(capsys, "add", root, *photos, "--no-ocr")[0] == 0
    return root


def exhibits(root: Path) -> dict[int, tuple[int, str]]:
    """exhibit number -> (item id, original name)."""
    with Case.open(root, writable=False) as case:
        names = {i.id: i.original_name for i in case.items()}
        return {
            e.exhibit_no: (e.item_id, names[e.item_id])
            for e in build_timeline(case).visible()
            if e.is_item and e.exhibit_no is not None and e.item_id is not None
        }


@pytest.mark.parametrize(
    ("text", "number"),
    [("证据7", 7), ("E7", 7), ("e007", 7), ("#证据 12", 12), ("7", None), ("abc123", None)],
)
def test_exhibit_labels(text: str, number: int | None) -> None:
    assert exhibit_number(text) == number


def test_note_by_exhibit_label_lands_on_that_exhibit(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    numbered = exhibits(case)
    item_id, name = numbered[1]
    assert item_id != 1, "the corpus order should make exhibit 1 differ from item 1"
    code, out, _ = run(capsys, "note", case, "证据1", "拍摄于收货当天")
    assert code == 0
    assert "证据1" in out and name in out
    with Case.open(case, writable=False) as opened:
        assert opened.item(item_id).note == "拍摄于收货当天"
    assert run(capsys, "note", case, "E1", "again")[0] == 0
    code, _, err = run(capsys, "note", case, "证据9", "x")
    assert code == 2 and "9" in err


def test_redact_by_exhibit_label(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    item_id, _ = exhibits(case)[2]
    assert run(capsys, "redact", case, "E2", "--rect", "1,1,10,10")[0] == 0
    code, out, _ = run(capsys, "redact", case, "--list", "--json")
    assert code == 0
    assert [r["item_id"] for r in json.loads(out)] == [item_id]


def test_dispute_by_name_prints_words_not_objects(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--lang", "zh", "dispute", case, "颜色不符")
    assert code == 0
    assert out.strip() == "纠纷类型：描述不符 · 颜色（not_as_described:color）"
    code, _, err = run(capsys, "dispute", case, "no-such-type")
    assert code == 2
    assert "not_received" in err and "not_as_described:size" in err
    code, out, _ = run(capsys, "dispute", "--help")
    assert code == 0 and "proof_of_shipment" in out


def test_case_date_by_chinese_name(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "zh", "date", case, "签收", "2025-06-11")
    assert code == 0
    assert out.strip() == "已设置日期：签收 = 2025年6月11日"


def test_check_lists_each_file_once(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = corpus / "photos/orientation"
    code, out, _ = run(capsys, "check", folder, folder / "landscape_1.jpg", "--json")
    assert code == 0
    checked = [Path(c["path"]).name for c in json.loads(out)["files"]]
    assert len(checked) == len(set(checked)) == len(list(folder.iterdir()))


def test_verify_accepts_folder_entries_of_a_repacked_zip(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "bundle.zip"
    assert run(capsys, "export", case, "--zip", bundle)[0] == 0
    repacked = tmp_path / "repacked.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(repacked, "w") as dst:
        folders = sorted({n.rsplit("/", 1)[0] + "/" for n in src.namelist() if "/" in n})
        for folder in folders:
            dst.writestr(folder, b"")  # what `zip -r` writes for each folder
        for info in src.infolist():
            dst.writestr(info, src.read(info))
    code, out, _ = run(capsys, "verify", repacked)
    assert code == 0, out
    shutil.copyfile(repacked, tmp_path / "extra.zip")
    with zipfile.ZipFile(tmp_path / "extra.zip", "a") as extra:
        extra.writestr("originals/added.jpg", b"not in the manifest")
    assert run(capsys, "verify", tmp_path / "extra.zip")[0] == 1


def test_native_video_libraries_are_quiet() -> None:
    import os

    import app  # noqa: F401  (sets the variables before OpenCV is imported)

    assert os.environ["OPENCV_LOG_LEVEL"] == "ERROR"
    assert os.environ["OPENCV_FFMPEG_LOGLEVEL"] == "-8"
