"""The upload guide names each step's source and date in Chinese: the preset data keeps
"undated (about 2018-2020)" in English, the guide printed "来源 S8，undated (about 2018-2020)"."""

from __future__ import annotations

from app.evidence.export.pack.guide import _source, platform_steps


def test_every_step_source_reads_in_chinese() -> None:
    lines = [_source(step) for steps in platform_steps().values() for step in steps]
    assert lines
    assert not [line for line in lines if "undated" in line or "about" in line], lines
    assert "来源 S8，未注明日期（约 2018-2020）" in lines
