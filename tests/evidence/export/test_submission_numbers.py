"""A submission freezes the numbers (issue 18): an export records a round and fixes every
exported exhibit's number; a later item takes the next free number; renumbering never changes a
submitted number."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import cli
from app.evidence.disputes.rounds import submissions
from app.evidence.store.case import Case
from app.evidence.store.submissions import submitted_numbers
from app.evidence.timeline import build_timeline
from app.evidence.timeline.edits import renumber_exhibits
from tests.evidence.export.reviewer_case import photo


def _cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = cli.main(["--lang", "zh", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    return code, out, err


def _numbers(root: Path) -> dict[str, int | None]:
    with Case.open(root, writable=False) as case:
        items = {f"item:{i.id}": i.original_name for i in case.items()}
        timeline = build_timeline(case)
    return {items[e.key]: e.exhibit_no for e in timeline.visible() if e.key in items}


def test_numbers_stay_across_an_export_a_later_import_and_a_renumber(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    first = [
        photo(inputs / "a.jpg", "2025:06:12 10:00:00", "+08:00", (40, 90, 160), (800, 600)),
        photo(inputs / "b.jpg", "2025:06:12 11:00:00", "+08:00", (150, 60, 50), (800, 600)),
    ]
    root = tmp_path / "case"
    assert _cli(capsys, "new", root, "--title", "编号")[0] == 0
    assert _cli(capsys, "add", root, *first)[0] == 0
    code, out, err = _cli(
        capsys, "export", root, "--pack", "taobao-buyer", "--out", tmp_path / "pack1"
    )
    assert code == 0, err
    assert "编号已固定" in out, out
    assert _numbers(root) == {"a.jpg": 1, "b.jpg": 2}
    with Case.open(root, writable=False) as case:
        rounds = submissions(case)
    assert [r.kind for r in rounds] == ["initial"]
    # the same export again is not a new round
    assert _cli(capsys, "export", root, "--pack", "taobao-buyer", "--out", tmp_path / "p1b")[0] == 0
    with Case.open(root, writable=False) as case:
        assert len(submissions(case)) == 1
    # a photo taken earlier than both: it comes first on the timeline, yet takes number 3
    early = photo(inputs / "c.jpg", "2025:06:11 09:00:00", "+08:00", (60, 130, 70), (800, 600))
    assert _cli(capsys, "add", root, early)[0] == 0
    assert _numbers(root) == {"c.jpg": 3, "a.jpg": 1, "b.jpg": 2}
    with Case.open(root) as case:
        renumber_exhibits(case)  # time order would make c 1: submitted numbers do not move
    assert _numbers(root) == {"c.jpg": 3, "a.jpg": 1, "b.jpg": 2}
    code, out, err = _cli(
        capsys, "export", root, "--pack", "taobao-buyer", "--out", tmp_path / "pack2"
    )
    assert code == 0, err
    with Case.open(root, writable=False) as case:
        rounds = submissions(case)
        assert submitted_numbers(case) == {key: n for key, n in rounds[0].entries} | {
            key: n for key, n in rounds[1].entries
        }
    assert [r.kind for r in rounds] == ["initial", "supplement"]
    assert sorted(n for _, n in rounds[1].entries) == [1, 2, 3]
    # the pack's images carry the same numbers
    listing = (tmp_path / "pack2" / "上传指引.txt").read_text(encoding="utf-8")
    assert "证据3 照片" in listing and "证据1 照片" in listing
