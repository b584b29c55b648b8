"""The pack's description fits each preset's limit and still names the exhibits (issue 18).

A long statement used to fill Taobao's 400 bytes and push the exhibit list out entirely; now
the list is kept with the fewest words, the statement cut at a clause to make room, and a list
too long for the field names its first exhibits and how many there are in all.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.evidence.export.collect import build_export_input
from app.evidence.export.model import CoverFact, Exhibit, ExportInput
from app.evidence.export.pack import load_preset, preset_ids
from app.evidence.export.pack.description import pack_description
from app.evidence.ingest.importer import import_files
from app.evidence.store.case import Case
from tests.evidence.export.reviewer_case import TRACKING_TEXT, photo

STATEMENT = (
    "收到的开衫颜色为灰色，与商品页展示的燕麦色明显不符，袖口另有一处约两厘米的脱线，"
    "联系客服后对方坚持是显示器色差，并要求我承担退货运费，我认为这是商品质量问题，"
    "运费应由商家承担，因此申请平台介入处理，请审核人员查看附上的照片、聊天记录与物流信息。"
)
LONG_NOTE = "外包装完好但内件颜色与页面不符，袖口脱线明显，拍摄时使用自然光未做任何调整"


@pytest.fixture(scope="module")
def base_input(tmp_path_factory: pytest.TempPathFactory) -> ExportInput:
    """A real case's export input: one photo and one tracking record."""
    base = tmp_path_factory.mktemp("describe")
    (base / "in").mkdir()
    files = [photo(base / "in" / "p.jpg", "2025:06:10 11:01:00", "+08:00", (40, 90, 160))]
    tracking = base / "in" / "t.txt"
    tracking.write_text(TRACKING_TEXT, encoding="utf-8")
    files.append(tracking)
    with Case.create(base / "case", "颜色不符", order_no="3301234567890") as case:
        assert import_files(case, files).count("failed") == 0
    with Case.open(base / "case", writable=False) as case:
        inp = build_export_input(case, clock=lambda: datetime(2025, 6, 14, 3, tzinfo=UTC))
    facts = (
        CoverFact("诉求", "Claim", "退货退款 / Return and refund"),
        CoverFact("纠纷类型", "Dispute", "描述不符 / Not as described"),
        CoverFact("陈述", "Statement", STATEMENT),
    )
    return replace(inp, facts=facts)


def exhibits(inp: ExportInput, count: int, note: str = LONG_NOTE) -> list[Exhibit]:
    """`count` exhibits made from the case's two (photos and tracking in turn), numbered."""
    made = []
    for n in range(1, count + 1):
        e = inp.exhibits[(n - 1) % len(inp.exhibits)]
        made.append(replace(e, number=n, label=f"证据{n}", note=note))
    return made


def named(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"证据(\d+)", text)]


def size(text: str, preset_id: str) -> int:
    preset = load_preset(preset_id)
    return len(text.encode("utf-8")) if preset.description_unit == "bytes" else len(text)


@pytest.mark.parametrize("preset_id", sorted(preset_ids()))
def test_a_few_exhibits_are_all_named_beside_a_long_statement(
    base_input: ExportInput, preset_id: str
) -> None:
    shown = exhibits(base_input, 5)
    inp = replace(base_input, exhibits=tuple(shown))
    text = pack_description(inp, "ab" * 32, shown, None, load_preset(preset_id))
    assert size(text, preset_id) <= load_preset(preset_id).description_limit, text
    assert text.startswith("诉求：退货退款；纠纷：描述不符。"), text
    assert named(text) == [1, 2, 3, 4, 5], text  # each once, in order, never cut
    assert "等" not in text.split("证据：", 1)[-1], text


@pytest.mark.parametrize("preset_id", sorted(preset_ids()))
def test_a_long_list_names_its_first_exhibits_and_how_many(
    base_input: ExportInput, preset_id: str
) -> None:
    shown = exhibits(base_input, 40)
    inp = replace(base_input, exhibits=tuple(shown))
    preset = load_preset(preset_id)
    text = pack_description(inp, "ab" * 32, shown, None, preset)
    assert size(text, preset_id) <= preset.description_limit, text
    numbers = named(text)
    assert numbers and numbers == list(range(1, len(numbers) + 1)), text
    assert text.endswith("等40项，详见PDF。"), text
    # as many as fit: one more would not
    more = text.replace("等40项", f"；证据{len(numbers) + 1} 照片等40项")
    assert size(more, preset_id) > preset.description_limit


@pytest.mark.parametrize("preset_id", ["taobao-seller-api", "taobao-buyer"])
def test_the_short_list_uses_a_short_note_else_the_kind(
    base_input: ExportInput, preset_id: str
) -> None:
    shown = exhibits(base_input, 8)
    shown[0] = replace(shown[0], note="打包视频")
    shown[1] = replace(shown[1], note="面单，单号清晰")
    inp = replace(base_input, exhibits=tuple(shown))
    preset = load_preset(preset_id)
    text = pack_description(inp, "ab" * 32, shown, None, preset)
    assert len(text.encode("utf-8")) <= preset.description_limit == 400
    assert "证据：证据1 打包视频；证据2 面单；证据3 照片；证据4 物流记录" in text, text
    assert named(text) == list(range(1, 9)), text
    assert "…" in text  # the statement was cut at a clause to make room
    cut = text.split("。", 1)[1].split("…")[0]
    assert STATEMENT.startswith(cut) and STATEMENT[len(cut)] in "，。", cut  # at a clause


def test_text_that_fits_is_left_whole(base_input: ExportInput) -> None:
    shown = exhibits(base_input, 2, note="颜色不符")
    inp = replace(base_input, exhibits=tuple(shown), facts=base_input.facts[:2])
    text = pack_description(inp, "ab" * 32, shown, None, load_preset("taobao-buyer"))
    assert "证据（北京时间）：证据1照片 2025年6月10日 11:01：颜色不符" in text, text
    assert text.endswith("证据包 abababababababab，共 2 项。"), text


def test_every_preset_names_the_exhibits_of_a_real_pack(tmp_path: Path) -> None:
    """description.txt of the seller API pack (400 bytes) names every exhibit it shows."""
    from app.evidence.export.assets import prepare_assets
    from app.evidence.export.manifest import build_manifest
    from app.evidence.export.pack import write_pack
    from tests.evidence.export.reviewer_case import reviewer_inputs

    root = tmp_path / "case"
    with Case.create(root, "颜色不符", order_no="3301234567890") as case:
        assert import_files(case, reviewer_inputs(tmp_path / "in")).count("failed") == 0
    with Case.open(root, writable=False) as case:
        inp = build_export_input(case, clock=lambda: datetime(2025, 6, 14, 3, tzinfo=UTC))
    inp = replace(inp, facts=(CoverFact("陈述", "Statement", STATEMENT),))
    (tmp_path / "work").mkdir()
    assets = prepare_assets(inp.exhibits, tmp_path / "work")
    bundle = build_manifest(inp, "test").bundle_hash
    pack = write_pack(inp, assets, bundle, load_preset("taobao-seller-api"), tmp_path / "pack")
    text = (pack.folder / "description.txt").read_text(encoding="utf-8").rstrip("\n")
    assert len(text.encode("utf-8")) <= 400
    shown = sorted({n for p in pack.pages for n in p.exhibits})
    assert sorted(named(text)) == shown, (text, shown)


def test_the_short_list_keeps_the_bundle_hash_when_it_fits(base_input: ExportInput) -> None:
    shown = exhibits(base_input, 6)
    inp = replace(base_input, exhibits=tuple(shown), facts=base_input.facts[:2])
    text = pack_description(inp, "ab" * 32, shown, None, load_preset("taobao-buyer"))
    assert len(text.encode("utf-8")) <= 400
    assert "证据：证据1 照片；证据2 物流记录；" in text and named(text) == list(range(1, 7))
    assert text.endswith("证据包 abababababababab，共 6 项。"), text
