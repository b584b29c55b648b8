"""The PDF writes money and dates the Chinese way: ¥189.00, 2025年6月11日 21:40."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from app.evidence.disputes import set_summary
from app.evidence.export import export_case
from app.evidence.export.case_feeds import case_feeds
from app.evidence.i18n import current_language, set_language
from app.evidence.store.case import Case
from app.evidence.timeline import set_case_date
from tests.evidence.export.conftest import fixed_clock


def cover_text(pdf: Path) -> str:
    """The first page's text: pdftotext (what a reviewer's tools see) when installed, else pypdf."""
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    from pypdf import PdfReader

    return PdfReader(pdf).pages[0].extract_text()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_cover_shows_yuan_and_chinese_dates(
    small_case: Path, tmp_path: Path, language: str
) -> None:
    """The PDF is bilingual, Chinese first: its values look the same whatever the UI language."""
    with Case.open(small_case) as case:
        set_summary(case, shop="某某旗舰店", amount="1289.5")
        set_case_date(case, "signed", datetime.fromisoformat("2025-06-11T21:40:00+08:00"))
        set_case_date(case, "order", date(2025, 6, 1))
    before = current_language()
    set_language(language)
    try:
        with Case.open(small_case, writable=False) as case:
            result = export_case(
                case, pdf=tmp_path / "chain.pdf", feeds=case_feeds(case), clock=fixed_clock
            )
    finally:
        set_language(before)
    assert result.pdf is not None
    cover = cover_text(result.pdf)
    flat = re.sub(r"\s+", "", cover)
    assert "¥1,289.50" in flat, cover
    assert "2025年6月11日21:40" in flat and "2025年6月1日" in flat, cover
    # exported at 03:00 UTC, shown in the case's zone, which the cover names once
    assert "2025年6月14日11:00:00" in flat and "北京时间" in flat, cover
    assert not re.search(r"2025-06-1[14]", cover), cover
