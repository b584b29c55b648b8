"""Import never follows a link out of the folder being imported (issue 15, point 6).

A folder handed over by someone else (an unpacked archive) can hold a link to /etc/shadow or to
the user's own files: before the fix its target was imported and printed in the PDF.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from app import cli
from app.evidence.ingest.importer import collect_files, import_files
from app.evidence.store.case import Case

TRACKING = "2025-06-12 10:00 【杭州市】快件已揽收\n"


@pytest.fixture
def folder_with_links(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An import folder with a real file, links to it, and links leading out of it."""
    outside = tmp_path / "home"
    (outside / "private").mkdir(parents=True)
    secret = outside / "shadow"
    secret.write_text("root:$6$secret-hash:19000:0:99999:7:::\n", encoding="utf-8")
    (outside / "private" / "diary.txt").write_text("2025-06-01 my own notes\n", encoding="utf-8")
    folder = tmp_path / "received"
    (folder / "sub").mkdir(parents=True)
    (folder / "tracking.txt").write_text(TRACKING, encoding="utf-8")
    os.symlink(secret, folder / "shadow.txt")  # absolute link out
    os.symlink(Path("..") / ".." / "home" / "shadow", folder / "sub" / "relative.txt")  # relative
    os.symlink(outside / "private", folder / "private")  # a folder out
    os.symlink(folder / "tracking.txt", folder / "sub" / "same.txt")  # inside: imported once
    os.symlink(folder / "gone.txt", folder / "broken.txt")
    return folder, secret, outside


def test_links_out_of_the_folder_are_skipped_with_a_message(
    tmp_path: Path, folder_with_links: tuple[Path, Path, Path]
) -> None:
    folder, secret, outside = folder_with_links
    with Case.create(tmp_path / "case", "t") as case:
        report = import_files(case, [folder])
        hashes = {item.sha256 for item in case.items()}
        items = case.items()
    assert hashlib.sha256(secret.read_bytes()).hexdigest() not in hashes
    diary = (outside / "private" / "diary.txt").read_bytes()
    assert hashlib.sha256(diary).hexdigest() not in hashes
    assert [i.original_name for i in items] == ["tracking.txt"]  # the inside link: once
    outside_links = {Path(r.path).name for r in report.results if r.error_code == "link_outside"}
    assert outside_links == {"shadow.txt", "relative.txt", "private"}
    for r in report.results:
        if r.error_code == "link_outside":
            assert ("skipped" in r.message or "已跳过" in r.message) and "\n" not in r.message
    broken = [r for r in report.results if r.path.endswith("broken.txt")]
    assert [r.error_code for r in broken] == ["unreadable_file"]


def test_a_link_named_on_the_command_line_imports_its_target(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "tracking.txt"
    target.parent.mkdir()
    target.write_text(TRACKING, encoding="utf-8")
    link = tmp_path / "link.txt"
    os.symlink(target, link)
    files, failed = collect_files([link])
    assert files == [link] and not failed  # the user pointed at it: followed
    with Case.create(tmp_path / "case", "t") as case:
        import_files(case, [link])
        assert [i.sha256 for i in case.items()] == [hashlib.sha256(target.read_bytes()).hexdigest()]


def test_cli_add_says_which_link_was_skipped(
    tmp_path: Path, folder_with_links: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _, _ = folder_with_links
    assert cli.main(["--lang", "en", "new", str(tmp_path / "case"), "--title", "t"]) == 0
    cli.main(["--lang", "en", "add", str(tmp_path / "case"), str(folder), "--no-ocr"])
    captured = capsys.readouterr()
    skipped = [line for line in captured.err.splitlines() if "outside the folder" in line]
    assert len(skipped) == 3
    assert "imported 1," in captured.out
