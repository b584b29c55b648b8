"""verify_archive: moved, changed and missing originals, kept in place or copied."""

from __future__ import annotations

import os
from pathlib import Path

from app.evidence.archive import import_into_archive, inbox_files, init_archive, verify_archive


def test_moved_changed_and_missing_in_place_files(tmp_path: Path, day: Path) -> None:
    archive = init_archive(tmp_path / "archive", storage="in_place")
    import_into_archive(
        archive, [day / "VID_20250609_101500.mp4", day / "IMG_0421.MOV", day / "IMG_0422.jpg"]
    )
    assert verify_archive(archive).ok
    (day / "sorted").mkdir()
    os.replace(day / "VID_20250609_101500.mp4", day / "sorted" / "SF1234567890123.mp4")
    with open(day / "IMG_0421.MOV", "r+b") as handle:  # same size, other bytes
        handle.seek(5000)
        handle.write(b"\xff" * 16)
    (day / "IMG_0422.jpg").unlink()
    result = verify_archive(archive)
    problems = {p.name: p for p in result.problems}
    assert {n: p.code for n, p in problems.items()} == {
        "VID_20250609_101500.mp4": "moved",
        "IMG_0421.MOV": "changed",
        "IMG_0422.jpg": "missing",
    }
    assert problems["VID_20250609_101500.mp4"].found_path == str(
        day / "sorted" / "SF1234567890123.mp4"
    )
    assert "移动" in problems["VID_20250609_101500.mp4"].zh
    relinked = verify_archive(archive, relink=True)
    assert relinked.relinked == 1
    after = {p.name: p.code for p in verify_archive(archive).problems}
    assert after == {"IMG_0421.MOV": "changed", "IMG_0422.jpg": "missing"}
    moved = next(f for f in inbox_files(archive) if f.name == "VID_20250609_101500.mp4")
    assert moved.path == str(day / "sorted" / "SF1234567890123.mp4")


def test_copies_are_checked_by_full_rehash(tmp_path: Path, day: Path) -> None:
    archive = init_archive(tmp_path / "archive")
    import_into_archive(archive, [day / "IMG_0422.jpg"])
    stored = Path(inbox_files(archive)[0].path)
    stored.chmod(0o644)
    with open(stored, "r+b") as handle:
        handle.seek(2000)
        handle.write(b"\x00" * 8)
    assert [p.code for p in verify_archive(archive, full=True).problems] == ["changed"]
    stored.unlink()
    assert [p.code for p in verify_archive(archive).problems] == ["missing"]
