"""The cross-item check hashes each original's picture once per case, not at every import.

Issue 20: after every import, the check of identical picture data hashed every same-size photo
of the case again (a 12 MP HEIC decoded in full: 200 photos of four pictures took 31 s at each
import). The hashes are kept in derived/pixels/hashes.json by the original's SHA-256; a finding
is still made only from hashes taken at the time, so a planted file cannot make one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.evidence.checks import cross
from app.evidence.checks.case_checks import store_cross_findings
from app.evidence.service.cases import create_case, open_case
from app.evidence.service.checks import load_findings
from app.evidence.service.importing import import_paths
from tests.evidence.checks.test_thumbnail_realworld import camera_file, exif_block, scene


def _files(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    one, two = scene((640, 480), seed=31), scene((640, 480), seed=32)
    return {
        "A": camera_file(folder / "A.jpg", one, exif_block(None)),
        "B": camera_file(folder / "B.jpg", one, exif_block(None, orientation=1)),  # A's picture
        "C": camera_file(folder / "C.jpg", two, exif_block(None, orientation=3)),
    }


def _same_pixels(case_root: Path) -> dict[str, int]:
    with open_case(case_root) as case:
        names = {item.id: item.original_name for item in case.items()}
        found = [f for f in load_findings(case) if f.code == "cross_same_pixels"]
    counts = {name: 0 for name in names.values()}
    for f in found:
        assert f.item_id is not None
        counts[names[f.item_id]] += 1
    return counts


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files whose picture data is hashed."""
    seen: list[str] = []
    original = cross._pixel_hash

    def counting(check, root):  # noqa: ANN001, ANN202
        seen.append(Path(check.path).name)
        return original(check, root)

    monkeypatch.setattr(cross, "_pixel_hash", counting)
    return seen


def test_hashes_are_kept_and_only_a_finding_is_hashed_again(
    tmp_path: Path, hashed: list[str]
) -> None:
    files = _files(tmp_path / "in")
    root = tmp_path / "case"
    with create_case(root, "t") as case:
        import_paths(case, list(files.values()), ocr=False)
        shas = {item.sha256 for item in case.items()}
    kept = json.loads((root / "derived" / "pixels" / "hashes.json").read_text("utf-8"))
    assert set(kept["hashes"]) == shas
    assert _same_pixels(root) == {"A.jpg": 1, "B.jpg": 1, "C.jpg": 0}
    hashed.clear()
    with open_case(root) as case:
        store_cross_findings(case)  # as the next import does
        vault = {Path(str(case.path_of(i))).name: i.original_name for i in case.items()}
    assert sorted(vault[name] for name in hashed) == ["A.jpg", "B.jpg"]  # C is not decoded
    assert _same_pixels(root) == {"A.jpg": 1, "B.jpg": 1, "C.jpg": 0}


def test_a_planted_hash_makes_no_finding(tmp_path: Path) -> None:
    files = _files(tmp_path / "in")
    root = tmp_path / "case"
    with create_case(root, "t") as case:
        import_paths(case, [files["A"], files["C"]], ocr=False)
        by_name = {item.original_name: item.sha256 for item in case.items()}
    path = root / "derived" / "pixels" / "hashes.json"
    kept = json.loads(path.read_text("utf-8"))
    kept["hashes"][by_name["C.jpg"]] = kept["hashes"][by_name["A.jpg"]]  # "C is A's picture"
    path.write_text(json.dumps(kept), "utf-8")
    with open_case(root) as case:
        store_cross_findings(case)
    assert _same_pixels(root) == {"A.jpg": 0, "C.jpg": 0}
    kept = json.loads(path.read_text("utf-8"))  # and the file is right again
    assert kept["hashes"][by_name["C.jpg"]] != kept["hashes"][by_name["A.jpg"]]


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"schema": 2, "hashes": {}}',
        '{"schema": 1, "hashes": []}',
        '{"schema": 1, "hashes": {"../x": "y", "%s": 5}}' % ("a" * 64),
    ],
)
def test_a_damaged_file_is_ignored(tmp_path: Path, text: str, hashed: list[str]) -> None:
    files = _files(tmp_path / "in")
    root = tmp_path / "case"
    with create_case(root, "t") as case:
        import_paths(case, list(files.values()), ocr=False)
    (root / "derived" / "pixels" / "hashes.json").write_text(text, "utf-8")
    hashed.clear()
    with open_case(root) as case:
        store_cross_findings(case)
    assert len(hashed) == 3 + 2  # all three again, then the two of the finding to confirm it
    assert _same_pixels(root) == {"A.jpg": 1, "B.jpg": 1, "C.jpg": 0}
    kept = json.loads((root / "derived" / "pixels" / "hashes.json").read_text("utf-8"))
    assert kept["schema"] == 1 and len(kept["hashes"]) == 3
