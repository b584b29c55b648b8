"""The tracking table on the one clock (issue 18, point 1): each courier line's time in the case's
zone, the courier's own wall clock beside it only when it recorded another offset."""

from __future__ import annotations

from pathlib import Path

from app.evidence.export.tracking_table import read_table

RECORD = (
    "顺丰速运 SF1234567890123\n"
    "2025-06-09 18:42:11 顺丰速运 已收取快件\n"
    "2025-06-11 21:40:05 您的快件已签收，签收人在【文三路丰巢柜】领取\n"
)


def _times(tmp_path: Path, zone: str | None) -> list[str]:
    path = tmp_path / "tracking.txt"
    path.write_text(RECORD, encoding="utf-8")
    return [row.time for row in read_table(path, None, zone).rows if row.time]


def test_beijing_case_shows_the_courier_times_as_they_are(tmp_path: Path) -> None:
    assert _times(tmp_path, "Asia/Shanghai") == ["2025年6月9日 18:42", "2025年6月11日 21:40"]
    assert _times(tmp_path, None) == _times(tmp_path, "Asia/Shanghai")  # the default zone


def test_case_in_another_zone_shows_its_clock_and_the_recorded_one_beside(tmp_path: Path) -> None:
    signed = _times(tmp_path, "Europe/Berlin")[-1]
    assert signed.startswith("2025年6月11日 15:40")  # 21:40 +08:00 is 15:40 in Berlin (CEST)
    assert "文件记录：21:40 UTC+08:00" in signed
