"""One clock: every output a person reads shows the same local minute, with the zone named.

The case holds a video whose file records UTC only, a photo recorded at +02:00 and a photo with
no offset (reviewer_case). Beijing time is the case's zone; the file's own value is a detail.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.evidence.export import export_case
from app.evidence.ingest.importer import import_files
from app.evidence.models import CaptureTime, TimeSource
from app.evidence.store.case import Case
from app.evidence.timeline.clock import clock_text, zone_label
from tests.evidence.export.reviewer_case import LOCAL_MINUTES, RECORDED, clock_inputs


@pytest.fixture(scope="module")
def clock_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("clock")
    files = clock_inputs(base / "in")
    root = base / "case"
    with Case.create(
        root, "颜色不符", order_no="3301234567890", dispute="not_as_described"
    ) as case:
        report = import_files(case, files)
        assert report.count("failed") == 0
    out = base / "out"
    with Case.open(root, writable=False) as case:
        export_case(
            case,
            pdf=out / "chain.pdf",
            pack=("taobao-buyer", out / "pack"),
            clock=lambda: datetime(2025, 6, 14, 3, 0, tzinfo=UTC),
        )
    return root, out


def test_clock_text_rules() -> None:
    utc = CaptureTime(datetime(2025, 6, 9, 11, 2), 0, TimeSource.CONTAINER)
    assert clock_text(utc, "Asia/Shanghai", language="zh") == (
        "2025年6月9日 19:02 北京时间（文件记录：11:02 UTC）"
    )
    plus2 = CaptureTime(datetime(2025, 6, 9, 20, 12), 120, TimeSource.EXIF)
    assert clock_text(plus2, "Asia/Shanghai", language="zh") == (
        "2025年6月10日 02:12 北京时间（文件记录：2025年6月9日 20:12 UTC+02:00）"
    )
    naive = CaptureTime(datetime(2025, 6, 9, 15, 30), None, TimeSource.EXIF)
    assert clock_text(naive, "PRC", language="zh") == (
        "2025年6月9日 15:30 北京时间（时区按案件推定）"
    )
    same = CaptureTime(datetime(2025, 6, 9, 15, 30), 480, TimeSource.EXIF)
    assert clock_text(same, "Asia/Chongqing", language="zh") == "2025年6月9日 15:30 北京时间"
    assert clock_text(same, "Europe/Berlin", language="en") == (
        "9 Jun 2025 09:30 Europe/Berlin (recorded: 15:30 UTC+08:00)"
    )
    assert zone_label("Asia/Shanghai", "zh") == "北京时间"
    assert zone_label("Mars/Olympus", "zh") == "UTC+08:00"  # unknown here: the fallback offset


def _flat(text: str) -> str:
    return "".join(text.split())


def test_pdf_shows_local_minutes_with_zone(clock_case: tuple[Path, Path]) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    _, out = clock_case
    text = subprocess.run(
        ["pdftotext", "-layout", str(out / "chain.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    flat = _flat(text)
    for minute in LOCAL_MINUTES.values():
        assert _flat(minute) in flat, minute
    for recorded in RECORDED.values():
        assert _flat(recorded) in flat, recorded
    assert "北京时间" in flat and "时区按案件推定" in flat
    # the recorded wall clock never stands alone in place of the local one
    assert "2025年6月9日11:02" not in flat


def test_description_and_pack_json(clock_case: tuple[Path, Path]) -> None:
    _, out = clock_case
    description = (out / "pack" / "description.txt").read_text(encoding="utf-8")
    assert description.count("北京时间") == 1
    for minute in LOCAL_MINUTES.values():
        short = minute.split(" ")[1]
        assert short in description, (short, description)
    assert "11:02 " not in description.replace("11:02 UTC", "")  # only ever as the detail


def test_window_and_timeline_text(clock_case: tuple[Path, Path]) -> None:
    pytest.importorskip("PySide6")
    from app.cli.timeline_view import timeline_text
    from app.evidence.service.view import case_view
    from app.evidence.timeline import build_timeline
    from app.ui.models import time_text
    from app.ui.timeline_model import entry_time_text

    root, _ = clock_case
    with Case.open(root, writable=False) as case:
        items = {i.original_name: i for i in case.items()}
        timeline = build_timeline(case)
        story = timeline_text(case_view(case))
    entries = {e.title: e for e in timeline.entries}
    for name, minute in LOCAL_MINUTES.items():
        window = time_text(items[name], "Asia/Shanghai")
        entry = next(e for e in timeline.entries if e.item_id == items[name].id)
        row = entry_time_text(entry)
        for shown in (window, row):
            assert "北京时间" in shown or "Beijing time" in shown, shown
        # the window speaks the UI language: compare the clock part
        hhmm = minute.split(" ")[1]
        assert hhmm in window and hhmm in row, (window, row)
        day = minute.split(" ")[0].replace("年", "-").replace("月", "-").replace("日", "")
        y, m, d = (int(x) for x in day.split("-"))
        assert f"{y}-{m:02d}-{d:02d} {hhmm}" in story, story
    assert entries  # the timeline has the three entries dated


def test_pack_images_read_back_local_minutes(clock_case: tuple[Path, Path]) -> None:
    engine = pytest.importorskip("app.evidence.ocr.engine")
    try:
        backend = engine.default_backend()
    except engine.OcrUnavailable:
        pytest.skip("no OCR backend")
    _, out = clock_case
    listing = json.loads((out / "pack" / "pack.json").read_text(encoding="utf-8"))
    seen = ""
    for page in listing["pages"]:
        if page["label"].startswith("证据"):
            seen += _flat(engine.recognize(out / "pack" / page["file"], backend=backend).text)
    for name in ("jacket_plus2.jpg", "jacket_naive.jpg"):
        hhmm = LOCAL_MINUTES[name].split(" ")[1]
        assert hhmm in seen, (name, seen)
    assert "北京时间" in seen
