"""Typed dates on the command line, and a case poisoned by an impossible stored time.

A photo whose EXIF date is 0001:01:01 00:00:00 (what .NET tools write for "no date") used to
make timeline, export and the window fail with OverflowError for every item; `--at 2025-02-30`
printed a traceback. Here the poisoned row is written straight into case.sqlite, as an old
case (made before the readers checked the range) would hold it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from tests.test_cli import run


def _photo(path: Path, when: str, colour: tuple[int, int, int]) -> None:
    exif = Image.Exif()
    exif[0x0110] = "TestCam"
    exif.get_ifd(0x8769)[0x9003] = when  # DateTimeOriginal
    exif.get_ifd(0x8769)[0x9011] = "+08:00"  # OffsetTimeOriginal
    Image.new("RGB", (320, 240), colour).save(path, quality=90, exif=exif)


@pytest.fixture
def case(tmp_path: Path) -> Path:
    src = tmp_path / "photos"
    src.mkdir()
    _photo(src / "a.jpg", "2025:06:12 20:05:00", (200, 30, 30))
    _photo(src / "b.jpg", "2025:06:12 20:06:00", (30, 200, 30))
    _photo(src / "c.jpg", "2025:06:12 20:07:00", (30, 30, 200))
    root = tmp_path / "case"
    assert run("new", str(root), "--title", "t").returncode == 0
    r = run("add", str(root), str(src))
    assert r.returncode == 0, r.stderr
    return root


def _capture_times(root: Path) -> dict[str, str | None]:
    listing = json.loads(run("list", str(root), "--json").stdout)
    return {i["original_name"]: i["capture_time"] for i in listing["items"]}


def test_a_poisoned_capture_time_leaves_the_rest_of_the_case_working(
    case: Path, tmp_path: Path
) -> None:
    before = _capture_times(case)
    assert before["b.jpg"].startswith("2025-06-12T20:06")
    with sqlite3.connect(case / "case.sqlite") as conn:
        conn.execute(
            "UPDATE items SET capture_local = '0001-01-01T00:00:00', capture_offset_min = NULL"
            " WHERE original_name = 'b.jpg'"
        )
    r = run("timeline", str(case))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert "impossible (outside 1900-2199)" in r.stdout
    assert "20:05" in r.stdout and "20:07" in r.stdout

    pdf = tmp_path / "out.pdf"
    r = run("export", str(case), "--pdf", str(pdf))
    assert r.returncode == 0, r.stderr
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    doc.close()
    assert "超出可能的范围" in text
    assert "20:05" in text and "20:07" in text
    after = _capture_times(case)
    assert after["a.jpg"] == before["a.jpg"] and after["c.jpg"] == before["c.jpg"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("event", "{case}", "x", "--at", "0001-01-01T08:00"), "before 2000-01-01"),
        (("event", "{case}", "x", "--at", "2025-02-30"), "is not a calendar date"),
        (("event", "{case}", "x", "--at", "20:00"), "a time without a date"),
        (("event", "{case}", "x", "--at", "2999-01-01 08:00"), "in the future"),
        (("date", "{case}", "signed", "0001-01-01"), "before 2000-01-01"),
        (("date", "{case}", "signed", "2025-02-30"), "is not a calendar date"),
    ],
)
def test_bad_typed_dates_are_one_line_with_exit_2(case: Path, args, words: str) -> None:
    r = run(*(a.format(case=case) for a in args))
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0]


def test_typed_forms_are_accepted(case: Path) -> None:
    r = run("event", str(case), "called the courier", "--at", "now")
    assert r.returncode == 0, r.stderr
    r = run("event", str(case), "wrote to the seller", "--at", "2025/6/12 19:40")
    assert r.returncode == 0, r.stderr
    r = run("date", str(case), "signed", "2025年6月12日", "09:51")
    assert r.returncode == 0, r.stderr
    assert "12 Jun 2025 09:51" in r.stdout
    r = run("date", str(case), "order", "2025/6/8")
    assert r.returncode == 0, r.stderr
    r = run("--lang", "zh", "event", str(case), "x", "--at", "2025-02-30")
    assert r.returncode == 2 and "不是日历上的日期" in r.stderr
    timeline = run("timeline", str(case)).stdout
    assert "wrote to the seller" in timeline and "19:40" in timeline


def test_the_window_reads_a_poisoned_case(case: Path) -> None:
    pytest.importorskip("PySide6")
    from app.ui.controller import read_snapshot

    with sqlite3.connect(case / "case.sqlite") as conn:
        conn.execute(
            "UPDATE items SET capture_local = '0001-01-01T00:00:00' WHERE original_name = 'b.jpg'"
        )
    snapshot = read_snapshot(case)
    dated = {e.title: e.time.local.strftime("%H:%M") for e in snapshot.timeline.entries}
    assert dated == {"a.jpg": "20:05", "c.jpg": "20:07"}
    assert [e.title for e in snapshot.timeline.undated] == ["b.jpg"]
