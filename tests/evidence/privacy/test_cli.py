"""`evidence-desk redact`: add, list, accept, remove; bad usage exits 2 with a message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.evidence.ingest.importer import import_files
from app.evidence.store.case import Case
from tests.evidence.privacy.conftest import redact


@pytest.fixture
def case_root(corpus: Path, tmp_path: Path) -> Path:
    with Case.create(tmp_path / "case", "命令行") as case:
        import_files(
            case,
            [corpus / "photos/gps/DSCN0010.jpg", corpus / "synthetic/tracking/sf_not_received.txt"],
        )
        return case.root


def test_add_list_remove(case_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert redact(str(case_root), "1", "--rect", "10,20,30,40", "--reason", "name") == 0
    assert redact(str(case_root), "2", "--text", "13912345678", "--reason", "phone") == 0
    capsys.readouterr()
    assert redact(str(case_root), "--list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["rect"], r["reason"], r["state"], r["kind"]) for r in listed] == [
        ([10, 20, 30, 40], "name", "accepted", "manual"),
        (None, "phone", "accepted", "manual"),
    ]
    assert listed[1]["masked"] == "139****5678"
    assert redact(str(case_root), "--remove", str(listed[0]["id"])) == 0
    assert redact(str(case_root), "--list") == 0
    removed, *rest = capsys.readouterr().out.splitlines()
    assert "10,20,30,40" in removed  # what was removed is said
    assert len(rest) == 1 and "139****5678" in rest[0]


@pytest.mark.parametrize(
    "argv",
    [
        [],  # nothing to do
        ["--rect", "1,2,3,4"],  # no item
        ["1", "--rect", "1,2,3"],  # not a rectangle
        ["1", "--rect", "1,2,0,4"],  # empty
        ["2", "--rect", "1,2,3,4"],  # a text record has no pixels
        ["1", "--rect", "1,2,3,4", "--frame", "100"],  # a photo has no frames
        ["--remove", "99"],  # no such redaction
    ],
)
def test_bad_usage_exits_2(
    case_root: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert redact(str(case_root), *argv) == 2
    assert capsys.readouterr().err.strip()
