"""Text exhibits print within bounds: a ~3,000-character line (tracking pasted without line
breaks) used to stop the export with reportlab's LayoutError; 20,000 short lines took 216 s and
504 pages. Long lines now continue on rows of their own, and a record prints at most
MAX_PRINTED_ROWS lines with a note saying how many were left out."""

from __future__ import annotations

import time
from pathlib import Path

import pypdfium2
import pytest

from app.evidence.export.tracking_table import (
    MAX_PRINTED_ROWS,
    MAX_ROW_CHARS,
    TrackingRow,
    printed_rows,
    split_long_text,
)
from tests.test_cli import run


def _pdf_text(path: Path) -> tuple[int, str]:
    doc = pypdfium2.PdfDocument(str(path))
    try:
        return len(doc), "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def _export(tmp_path: Path, name: str, text: str, *extra: str):
    src = tmp_path / "in"
    src.mkdir()
    (src / name).write_text(text, "utf-8")
    case = tmp_path / "case"
    assert run("new", str(case), "--title", "t").returncode == 0
    r = run("add", str(case), str(src))
    assert r.returncode == 0, r.stderr
    pdf = tmp_path / "out.pdf"
    started = time.monotonic()
    r = run("export", str(case), "--pdf", str(pdf), *extra)
    return r, pdf, time.monotonic() - started


def test_a_3000_character_line_exports(tmp_path: Path) -> None:
    # one time, then a description that never ends: one event whose text is 3,000 characters
    line = "2025-06-10 08:02 " + "".join(
        f"【杭州市】快件已到达【杭州中转中心】第{i}站，正在发往下一站；" for i in range(120)
    )
    line = line[:3000]
    r, pdf, _ = _export(
        tmp_path, "pasted.txt", line, "--pack", "taobao-buyer", "--out", str(tmp_path / "pack")
    )
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    _, text = _pdf_text(pdf)
    assert "（续）" in text  # the line continues on rows of its own
    # every character of the line is printed (PDF text drops line breaks and spaces at wraps)
    flat = "".join(text.split())
    assert "".join(line[-200:].split()) in flat
    assert sorted((tmp_path / "pack").rglob("*-E001-*.png"))


def test_20000_lines_export_in_bounded_time_with_a_note(tmp_path: Path) -> None:
    lines = [
        f"2025-06-10 {i // 60 % 24:02d}:{i % 60:02d} 快件在【杭州中转中心】扫描 {i}"
        for i in range(20_000)
    ]
    r, pdf, took = _export(tmp_path, "many.txt", "\n".join(lines))
    assert r.returncode == 0, r.stderr
    assert took < 180, f"export took {took:.0f} s"  # 216 s before; ~10 s on a loaded 2-core box
    pages, text = _pdf_text(pdf)
    assert pages < 40, pages  # 504 before
    omitted = 20_000 - MAX_PRINTED_ROWS
    assert f"余下 {omitted:,} 行未打印（共 20,000 行）" in text
    assert f"{omitted:,} more lines not printed" in text
    assert "full text is the original in the ZIP" in "".join(text.split("\r\n"))


def test_split_keeps_every_character_and_cuts_after_punctuation() -> None:
    text = "快件已到达【杭州中转中心】，正在发往下一站；" * 100
    pieces = split_long_text(text)
    assert "".join(pieces) == text
    assert all(len(p) <= MAX_ROW_CHARS for p in pieces)
    assert all(p[-1] in "；，" for p in pieces[:-1])
    unbroken = "x" * 1000
    assert split_long_text(unbroken) == ["x" * 400, "x" * 400, "x" * 200]


def test_printed_rows_mark_continuations() -> None:
    rows = printed_rows([TrackingRow("06-12 09:51", "签收", "a" * 900, highlight=True)])
    assert [r.time for r in rows] == ["06-12 09:51", "", ""]
    assert [r.status for r in rows] == ["签收", "（续）", "（续）"]
    assert [r.highlight for r in rows] == [True, False, False]


@pytest.mark.parametrize("count", [MAX_PRINTED_ROWS, MAX_PRINTED_ROWS + 1])
def test_the_cap(tmp_path: Path, count: int) -> None:
    from app.evidence.export.tracking_table import read_table

    path = tmp_path / "t.txt"
    path.write_text("\n".join(f"line {i} 快件扫描" for i in range(count)), "utf-8")
    table = read_table(path, None)
    assert table.total_lines == count
    assert table.omitted_lines == count - MAX_PRINTED_ROWS
    assert len(table.rows) == MAX_PRINTED_ROWS + (1 if count > MAX_PRINTED_ROWS else 0)


def test_tracking_pasted_without_line_breaks_is_one_event_per_time() -> None:
    from app.evidence.tracking import parse_tracking

    line = "".join(
        f"2025-06-1{i % 5} 0{i % 10}:00 【杭州市】快件已到达【杭州中转中心】，正在发往下一站；"
        for i in range(60)
    )
    record = parse_tracking(line)
    assert len(record.events) == 60
    assert all(e.time is not None for e in record.events)
    assert all(len(e.raw_line) < 80 for e in record.events)
    # two times in one long line, or several lines: left as they are
    two = "2025-06-10 08:00 " + "快件在途" * 60 + " 2025-06-11 09:00 已签收"
    assert len(parse_tracking(two).events) == 1
    lines = "2025-06-10 08:00 已揽收 2025-06-10 09:00 x 2025-06-10 10:00 y\n2025-06-11 已签收"
    assert parse_tracking(lines).line_count == 2
