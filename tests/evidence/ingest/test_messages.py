"""Per-file import and verify messages read in the user's language; codes stay English."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.evidence.checks.run import check_file
from app.evidence.errors import EmptyFile
from app.evidence.ingest.importer import iter_import
from app.evidence.readers.sniff import sniff
from app.evidence.service.verifying import verify_case
from app.evidence.store.case import Case


@pytest.fixture
def bad_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "noise.jpg").write_bytes(b"\x00\x01" * 2048)
    return [folder, tmp_path / "gone.jpg"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh_CN",
            {
                "empty.jpg": "empty.jpg 是空文件（0 字节）",
                "noise.jpg": "noise.jpg：不是举证助手能读取的图片、视频、PDF 或文本文件",
                "gone.jpg": "：文件或文件夹不存在",
            },
        ),
        (
            "en",
            {
                "empty.jpg": "empty.jpg is empty (0 bytes)",
                "noise.jpg": "noise.jpg: not an image, video, PDF or text file",
                "gone.jpg": ": no such file or folder",
            },
        ),
    ],
)
def test_failed_files_say_why_in_the_current_language(
    tmp_path: Path, bad_files: list[Path], language, lang: str, expected: dict[str, str]
) -> None:
    language(lang)
    with Case.create(tmp_path / "case", "t") as case:
        results = {Path(r.path).name: r for r in iter_import(case, bad_files)}
    for name, text in expected.items():
        assert text in results[name].message, results[name].message
    codes = {name: results[name].error_code for name in expected}
    assert codes == {  # the machine-readable part is the same in every language
        "empty.jpg": "empty_file",
        "noise.jpg": "unsupported_format",
        "gone.jpg": "not_found",
    }


def test_an_error_keeps_both_languages_until_it_is_shown(language) -> None:
    with pytest.raises(Exception) as caught:
        sniff(b"\x00\x01" * 256, "x.bin")
    language("en")
    assert str(caught.value).startswith("x.bin: not an image")
    language("zh_CN")
    assert str(caught.value).startswith("x.bin：不是举证助手能读取的")
    assert EmptyFile("plain text").args == ("plain text",)  # a plain str still works


def test_unreadable_finding_carries_the_reason_in_each_language(tmp_path: Path, language) -> None:
    """`check --json` is the same in every language: each explanation has its own reason."""
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    noise = tmp_path / "noise.jpg"
    noise.write_bytes(os.urandom(16) + b"\x00" * 64)
    for path in (empty, noise):
        language("zh_CN")
        in_chinese = check_file(path).to_json()
        language("en")
        in_english = check_file(path).to_json()
        assert in_chinese == in_english
        (finding,) = in_english["findings"]
        assert finding["code"] == "unreadable"
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in finding["explanation_en"])
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in finding["params"]["reason"])
        reason_zh = finding["explanation_zh"].split("。", 1)[0]
        assert "是空的" in reason_zh or "不是举证助手能读取的" in reason_zh, reason_zh


def test_verify_problems_in_both_languages(tmp_path: Path, corpus: Path, language) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes((corpus / "photos/originals/sanyo-vpcsx550.jpg").read_bytes())
    with Case.create(tmp_path / "case", "t") as case:
        list(iter_import(case, [photo]))
        (item,) = case.items()
        original = case.path_of(item)
        original.chmod(0o644)
        original.write_bytes(original.read_bytes() + b"x")
        language("en")
        (problem_en,) = verify_case(case).problems
        language("zh_CN")
        (problem_zh,) = verify_case(case).problems
    assert problem_en.code == problem_zh.code == "original_changed"
    assert "item 1 (photo.jpg): the original's bytes changed" in problem_en.message
    assert "第 1 项（photo.jpg）：原件的内容变了" in problem_zh.message
