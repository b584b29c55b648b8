"""Upload images made for the reviewer (issue 18): measured against each preset and read back.

The case is made on the spot (reviewer_case): six photos taken over three days, two chat
screenshots and a tracking record with its sign-for line.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from app.evidence.export.assets import prepare_assets
from app.evidence.export.collect import build_export_input
from app.evidence.export.manifest import build_manifest
from app.evidence.export.model import ChecklistLine, ExportInput, PackResult
from app.evidence.export.notices import review_warnings
from app.evidence.export.pack import load_preset, preset_ids, write_pack
from app.evidence.ingest.importer import import_files
from app.evidence.store.case import Case
from tests.evidence.export.reviewer_case import reviewer_inputs

VERDICT_WORDS = (
    "检查结论",
    "结论",
    "无法判断",
    "来源",
    "未检查",
    "编辑迹象",
    "不是原始",
    "原始文件",
    "Verdict",
    "verdict",
    "origin",
    "not checked",
    "editing",
)
NOTES = {1: "开衫颜色为灰色，与商品页燕麦色不符", 5: "袖口脱线，长约2厘米"}


@pytest.fixture(scope="module")
def reviewer(tmp_path_factory: pytest.TempPathFactory) -> tuple[ExportInput, list, str, Path]:
    base = tmp_path_factory.mktemp("reviewer")
    root = base / "case"
    with Case.create(
        root, "颜色不符", order_no="3301234567890", dispute="not_as_described"
    ) as case:
        report = import_files(case, reviewer_inputs(base / "in"))
        assert report.count("failed") == 0
        for n, note in NOTES.items():
            case.set_note(n, note)
    with Case.open(root, writable=False) as case:
        inp = build_export_input(case, clock=lambda: datetime(2025, 6, 14, 3, tzinfo=UTC))
        (base / "work").mkdir()
        assets = prepare_assets(inp.exhibits, base / "work")
    assert all(a.picture is not None for a in assets[:8]), [a.problem for a in assets]
    return inp, assets, build_manifest(inp, "test").bundle_hash, base


def _write(reviewer, preset_id: str, name: str, inp: ExportInput | None = None, **kw) -> PackResult:
    inp0, assets, bundle, base = reviewer
    return write_pack(inp or inp0, assets, bundle, load_preset(preset_id), base / name, **kw)


@pytest.mark.parametrize("preset_id", sorted(preset_ids()))
def test_every_preset_images_fit_bytes_pixels_and_count(reviewer, preset_id: str) -> None:
    pack = _write(reviewer, preset_id, f"p-{preset_id}")
    preset = load_preset(preset_id)
    assert pack.pages
    for page in pack.pages:
        data = page.path.read_bytes()
        assert len(data) == page.size <= preset.max_bytes, page.path.name
        with Image.open(page.path) as im:
            assert im.size == (page.width, page.height)
            assert max(im.size) <= preset.max_long_edge_px
            assert not im.getexif()
        assert not page.label.startswith(("封面", "目录")), "no cover unless asked"
    if preset.max_images is not None:
        assert len(pack.pages) <= preset.max_images
    elif preset.batch_count > 1:
        # more photos than one upload takes: related ones share collages
        assert len(pack.pages) <= preset.batch_count + 3, [p.label for p in pack.pages]
    shown = {n for p in pack.pages for n in p.exhibits}
    left = {int(label[2:]) for label in pack.left_out}
    assert shown.isdisjoint(left) and shown | left == set(range(1, 10)), (shown, left)


def test_a_photo_is_the_picture_as_large_as_the_limit(reviewer) -> None:
    pack = _write(reviewer, "taobao-seller-api", "seller")  # one image per call: no collages
    photos = [p for p in pack.pages if p.exhibits == (1,)]
    assert len(photos) == 1
    page = photos[0]
    assert max(page.width, page.height) == load_preset("taobao-seller-api").max_long_edge_px
    with Image.open(page.path) as im:  # the photo fills the width: no side column, no margin
        row = im.convert("RGB").crop((0, im.height // 3, im.width, im.height // 3 + 1))
        assert row.getpixel((2, 0)) != (255, 255, 255)
        assert row.getpixel((im.width - 3, 0)) != (255, 255, 255)


def test_few_slots_go_to_the_checklist_top_items(reviewer) -> None:
    inp, *_ = reviewer
    checklist = (
        ChecklistLine("实物照片", "Photos", "matched", ("证据6", "证据5")),
        ChecklistLine("物流签收", "Tracking", "matched", ("证据9",)),
        ChecklistLine("聊天记录", "Chat", "matched", ("证据8",), required=False),
    )
    pack = _write(reviewer, "wechat-complaint", "wechat", replace(inp, checklist=checklist))
    assert len(pack.pages) <= 4
    order = [n for p in pack.pages for n in p.exhibits]
    # the checklist's items first (5 and 6 share a collage: they answer the same item), then
    # the tracking, then the chat the optional item cites; unranked photos give way
    assert set(order[:2]) == {5, 6} and order[2] == 9 and 8 in order, order
    assert pack.left_out and set(pack.left_out) <= {f"证据{n}" for n in (1, 2, 3, 4)}
    listing = json.loads((pack.folder / "pack.json").read_text(encoding="utf-8"))
    assert [e["label"] for e in listing["left_out"]] == list(pack.left_out)


def test_cover_only_when_asked(reviewer) -> None:
    pack = _write(reviewer, "taobao-buyer", "cover", cover=True)
    assert pack.pages[0].label.startswith("封面")
    assert not any(p.label.startswith("封面") for p in pack.pages[1:])


def test_images_read_back_captions_collages_chat_and_no_verdict(reviewer) -> None:
    engine = pytest.importorskip("app.evidence.ocr.engine")
    try:
        backend = engine.default_backend()
    except engine.OcrUnavailable as exc:
        pytest.skip(str(exc))
    pack = _write(reviewer, "taobao-buyer", "read")
    texts = {}
    for page in pack.pages:
        texts[page.path.name] = "".join(engine.recognize(page.path, backend=backend).text.split())
    collages = [p for p in pack.pages if len(p.exhibits) > 1 and p.exhibits[0] <= 6]
    assert collages, [p.label for p in pack.pages]
    for page in collages:
        text = texts[page.path.name]
        for n in page.exhibits:  # each panel's caption names its exhibit, legibly
            assert f"证据{n}" in text, (n, text)
    chat = " ".join(t for p in pack.pages if 7 in p.exhibits for t in [texts[p.path.name]])
    assert "颜色和图片不一样" in chat and "证据7" in chat, chat
    tracking = next(texts[p.path.name] for p in pack.pages if 9 in p.exhibits)
    assert "签收" in tracking and "证据9" in tracking
    photo1 = next(texts[p.path.name] for p in pack.pages if 1 in p.exhibits)
    assert "北京时间" in photo1 and "11:01" in photo1
    description = (pack.folder / "description.txt").read_text(encoding="utf-8")
    for word in VERDICT_WORDS:
        assert word not in description, word
        for name, text in texts.items():
            assert word not in text, (word, name, text)


def test_the_user_is_warned_of_edited_or_not_original_exhibits(reviewer) -> None:
    inp, *_ = reviewer
    exhibits = list(inp.exhibits)
    exhibits[0] = replace(exhibits[0], verdict="edited")
    exhibits[1] = replace(exhibits[1], verdict="recompressed")
    exhibits[6] = replace(exhibits[6], verdict="unknown")  # a screenshot: nothing to ask for
    lines = review_warnings(exhibits, {})
    assert len(lines) == 2
    assert "证据1" in lines[0] or "Exhibit" in lines[0] or "证据1" in lines[0]
    assert any(word in lines[0] for word in ("原始文件", "original"))
    assert any(word in lines[1] for word in ("备注", "note"))


@pytest.mark.parametrize("preset_id", ["taobao-buyer", "taobao-seller-api", "wechat-complaint"])
def test_the_guide_lists_every_file_of_the_pack_once(reviewer, preset_id: str) -> None:
    pack = _write(reviewer, preset_id, f"guide-{preset_id}", deadlines=["举证期：测试 截止"])
    guide_file = pack.folder / "上传指引.txt"
    text = guide_file.read_text(encoding="utf-8")
    assert pack.guide is not None and pack.guide.text() == text
    files = sorted(
        p.relative_to(pack.folder).as_posix() for p in pack.folder.rglob("*") if p.is_file()
    )
    for rel in files:
        assert text.count(rel) == 1, (rel, text)
    # in upload order, each image once; the description to paste fits the preset
    order = [text.index(p.path.relative_to(pack.folder).as_posix()) for p in pack.pages]
    assert order == sorted(order)
    assert pack.description in text and "举证期：测试 截止" in text
    for step in pack.guide.steps:
        if step.section == "where":
            assert step.source.startswith(("来源 ", "来源未知")), step
    copies = [s.copy for s in pack.guide.steps if s.section == "description"]
    assert copies == [pack.description]


def test_the_window_shows_the_guide_with_copy_buttons(reviewer, qtbot) -> None:
    pytest.importorskip("PySide6")
    from PySide6.QtGui import QGuiApplication

    from app.ui.guide_dialog import GuideDialog

    pack = _write(reviewer, "taobao-buyer", "dialog")
    dialog = GuideDialog(pack.guide)
    qtbot.addWidget(dialog)
    copies = [s.copy for s in pack.guide.steps if s.copy]
    assert len(dialog.copy_buttons) == len(copies) == len(pack.pages) + 1  # images + text
    dialog.copy_buttons[-1].click()
    assert QGuiApplication.clipboard().text() == pack.description
    dialog.copy_buttons[0].click()
    assert (
        QGuiApplication.clipboard().text() == pack.pages[0].path.relative_to(pack.folder).as_posix()
    )
