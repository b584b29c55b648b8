"""The OCR cache: hits skip the engine; the user's corrections come from elsewhere and win."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from app.evidence.ocr.cache import LineCorrection, OcrCache, recognize_cached
from app.evidence.ocr.engine import OcrLine, OcrResult
from app.evidence.store.case import Case
from tests.evidence.ocr.conftest import CountingBackend

LINES = [
    ([[10, 10], [300, 10], [300, 50], [10, 50]], "订单号3958216640123456789", 0.98),
    ([10, 80, 200, 120], "退款¥128.50", 0.91),
]


@pytest.fixture
def screenshot(tmp_path: Path, screenshots: dict[str, Path]) -> Path:
    target = tmp_path / "shot.png"
    target.write_bytes(screenshots["chat_part1.png"].read_bytes())
    return target


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_second_open_comes_from_the_cache_without_the_engine(
    tmp_path: Path, screenshot: Path
) -> None:
    backend = CountingBackend(lines=LINES)
    cache = OcrCache(tmp_path / "ocr")
    first = recognize_cached(screenshot, cache, backend=backend)
    again = recognize_cached(screenshot, cache, backend=backend)
    known = recognize_cached(screenshot, cache, sha256=sha(screenshot), backend=backend)
    assert backend.calls == 1
    assert again == first == known
    assert [line.text for line in again.lines] == ["订单号3958216640123456789", "退款¥128.50"]
    assert again.lines[0].box == (10, 10, 300, 50)
    assert (again.width, again.height) == (1080, 2340)
    stored = json.loads((tmp_path / "ocr" / f"{sha(screenshot)}.json").read_text(encoding="utf-8"))
    assert stored["sha256"] == sha(screenshot) and stored["engine"] == "fake 1"


def test_corrections_are_kept_apart_and_win(tmp_path: Path, screenshot: Path) -> None:
    backend = CountingBackend(lines=LINES)
    digest = sha(screenshot)
    fixes = {
        digest: (LineCorrection(1, "退款¥128.50", "退款¥126.50", "2025-06-14T02:00:00+00:00"),)
    }
    cache = OcrCache(tmp_path / "ocr", lambda key: fixes.get(key, ()))
    recognize_cached(screenshot, cache, backend=backend)

    effective = recognize_cached(screenshot, cache, backend=backend)
    assert effective.lines[1] == OcrLine(
        "退款¥126.50", (10, 80, 200, 120), 0.91, corrected_from="退款¥128.50"
    )
    assert effective.lines[0].corrected_from is None
    # what the OCR read is untouched; the cache folder holds no user data
    assert cache.get(digest).lines[1].text == "退款¥128.50"
    assert [p.name for p in (tmp_path / "ocr").iterdir()] == [f"{digest}.json"]
    # storing an effective result again does not turn the correction into OCR text
    cache.put(digest, effective)
    assert cache.get(digest).lines[1].text == "退款¥128.50"
    assert backend.calls == 1

    fixes.clear()
    assert cache.effective(digest).lines[1].text == "退款¥128.50"
    assert OcrCache(tmp_path / "ocr").effective(digest).lines[1].text == "退款¥128.50"


def test_a_correction_for_a_line_that_now_reads_differently_is_not_applied(tmp_path: Path) -> None:
    digest = "ab" * 32
    fix = LineCorrection(0, "138 1234 5678", "13812345678", "2025-06-14T02:00:00+00:00")
    cache = OcrCache(tmp_path, lambda key: (fix,))
    cache.put(digest, OcrResult(100, 100, (OcrLine("138 1234 5678", (0, 0, 50, 10), 0.6),), "v1"))
    assert cache.effective(digest).lines[0].text == "13812345678"
    cache.put(digest, OcrResult(100, 100, (OcrLine("亲，在吗", (0, 0, 50, 10), 0.9),), "v2"))
    assert cache.effective(digest).lines[0].text == "亲，在吗"


def test_damaged_cache_file_is_a_miss_not_a_crash(tmp_path: Path, screenshot: Path) -> None:
    cache = OcrCache(tmp_path)
    (tmp_path / f"{sha(screenshot)}.json").write_text("{not json", encoding="utf-8")
    backend = CountingBackend(lines=LINES)
    assert len(recognize_cached(screenshot, cache, backend=backend).lines) == 2
    assert backend.calls == 1
    with pytest.raises(ValueError):
        cache.get("../../etc/passwd")


def test_case_cache_lives_in_derived_ocr(tmp_path: Path, screenshot: Path) -> None:
    with Case.create(tmp_path / "case", "开衫色差") as case:
        cache = OcrCache.for_case(case)
        recognize_cached(screenshot, cache, backend=CountingBackend(lines=LINES))
        assert (case.root / "derived" / "ocr" / f"{sha(screenshot)}.json").is_file()
