"""Chat screenshots that overlap are stitched in the upload pack with the repeated stretch once.

The screenshots are made here: one long chat (23 messages "第00条" … "第22条") drawn once, and
phone screens cut from it, each with the status bar, the title bar and the input bar a phone
draws over the chat. A and B overlap (B scrolled 4 messages on: messages 4-6 repeated), B and
C share nothing (messages 11 was never taken), C and D overlap but D's copy of message 17 was
edited: that overlap is not proved, so C and D stay whole.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from app.evidence.export.assets import prepare_assets
from app.evidence.export.collect import build_export_input
from app.evidence.export.manifest import build_manifest
from app.evidence.export.model import PackResult
from app.evidence.export.pack import load_preset, reviewer, write_pack
from app.evidence.ingest.importer import import_files
from app.evidence.ocr.stitch import seam
from app.evidence.store.case import Case
from tests.evidence.export.conftest import ExportedCase

WIDTH = 1080
PITCH = 250  # one message: a 100 px bubble and a 150 px gap
TOP_BARS, BOTTOM_BAR = 200, 150
SCREEN = 2000  # a phone screen: 1650 rows of chat between the bars
PHRASES = ["收到货了颜色不对", "图片是燕麦色", "实物是灰色", "袖口有脱线", "请给个说法", "可以退货"]
MESSAGES = [f"第{n:02d}条 {PHRASES[n % len(PHRASES)]}" for n in range(23)]
WINDOWS = {"A": 0, "B": 4 * PITCH, "C": 12 * PITCH, "D": 16 * PITCH}  # chat row at the top


def _font(px: int):
    from app.evidence.export.fonts import pil_font

    return pil_font(px)


def chat_tape(edits: dict[int, str] | None = None) -> Image.Image:
    """The whole conversation as one picture (what the phone scrolls over)."""
    tape = Image.new("RGB", (WIDTH, PITCH * len(MESSAGES)), (237, 237, 237))
    draw = ImageDraw.Draw(tape)
    font = _font(44)
    for n, text in enumerate(MESSAGES):
        text = (edits or {}).get(n, text)
        y = n * PITCH + 50
        width = int(font.getlength(text)) + 60
        me = n % 2 == 1
        x = WIDTH - 170 - width if me else 170
        draw.ellipse(
            (30 if not me else WIDTH - 130, y, 130 if not me else WIDTH - 30, y + 100),
            fill=(80, 140, 220) if me else (250, 120, 40),
        )
        draw.rounded_rectangle(
            (x, y, x + width, y + 100), 16, fill=(255, 226, 180) if me else (255, 255, 255)
        )
        draw.text((x + 30, y + 24), text, font=font, fill=(20, 20, 20))
    return tape


def screen(tape: Image.Image, top: int, path: Path, clock: str = "19:45", draft: str = "") -> Path:
    """A phone screenshot of the chat scrolled to `top`: bars drawn over it, as a phone does."""
    image = Image.new("RGB", (WIDTH, SCREEN), (237, 237, 237))
    image.paste(tape.crop((0, top, WIDTH, top + SCREEN - TOP_BARS - BOTTOM_BAR)), (0, TOP_BARS))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, TOP_BARS), fill=(248, 248, 248))
    draw.text((40, 24), clock, font=_font(36), fill=(20, 20, 20))
    draw.text((860, 24), "5G 87%", font=_font(36), fill=(20, 20, 20))
    draw.text((430, 110), "某某旗舰店", font=_font(48), fill=(20, 20, 20))
    draw.rectangle((0, SCREEN - BOTTOM_BAR, WIDTH, SCREEN), fill=(248, 248, 248))
    draw.rounded_rectangle((30, SCREEN - 120, 860, SCREEN - 30), 14, fill=(255, 255, 255))
    draw.text((60, SCREEN - 100), draft, font=_font(40), fill=(20, 20, 20))
    draw.rounded_rectangle((890, SCREEN - 120, 1050, SCREEN - 30), 14, fill=(7, 193, 96))
    draw.text((925, SCREEN - 100), "发送", font=_font(40), fill=(255, 255, 255))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG")
    return path


def shots(folder: Path) -> list[Path]:
    """A, B, C and D (D's message 17 edited), dated a minute apart in that order."""
    tape, edited = chat_tape(), chat_tape({17: "第17条 商家同意全额退款"})
    paths = []
    for n, (name, top) in enumerate(WINDOWS.items()):
        path = screen(edited if name == "D" else tape, top, folder / f"shot{n + 1}{name}.png")
        stamp = datetime(2025, 6, 12, 11, 45 + n, tzinfo=UTC).timestamp()
        os.utime(path, (stamp, stamp))
        paths.append(path)
    return paths


def test_only_a_proved_continuation_has_a_seam(tmp_path: Path) -> None:
    a, b, c, d = (Image.open(p) for p in shots(tmp_path))
    joined = seam(a, b)
    assert joined is not None
    assert joined.overlap.offset == WINDOWS["B"] - WINDOWS["A"]
    # the join is in the last gap between shared messages: after 5, as 6 touches A's input bar
    chat_row = joined.upper_row - TOP_BARS + WINDOWS["A"]
    assert 5 * PITCH + 150 <= chat_row < 6 * PITCH + 50, chat_row
    assert joined.lower_row == joined.upper_row - joined.overlap.offset
    assert seam(b, a) is None  # A is higher up the chat: B never goes above it
    assert seam(b, c) is None  # nothing shared
    assert seam(c, d) is None  # shared, but message 17 differs
    assert seam(a, a) is None  # the same screen twice: both kept


def test_a_screenshot_whose_bars_differ_is_not_joined(tmp_path: Path) -> None:
    tape = chat_tape()
    a = screen(tape, 0, tmp_path / "a.png")
    assert seam(a, screen(tape, 1000, tmp_path / "b.png")) is not None
    # the status bar clock of the second one would be lost: kept whole
    assert seam(a, screen(tape, 1000, tmp_path / "b2.png", clock="19:46")) is None
    # a draft typed in the first one's input bar would be lost: kept whole
    drafted = screen(tape, 0, tmp_path / "a2.png", draft="我要投诉")
    assert seam(drafted, screen(tape, 1000, tmp_path / "b3.png")) is None


@pytest.fixture(scope="module")
def stitched(tmp_path_factory: pytest.TempPathFactory) -> tuple[PackResult, list]:
    base = tmp_path_factory.mktemp("stitch")
    root = base / "case"
    with Case.create(
        root, "聊天截图", order_no="3301234567890", dispute="not_as_described"
    ) as case:
        report = import_files(case, shots(base / "in"))
        assert report.count("failed") == 0, [r.message for r in report.results]
    with Case.open(root, writable=False) as case:
        inp = build_export_input(case, clock=lambda: datetime(2025, 6, 14, 3, tzinfo=UTC))
        (base / "work").mkdir()
        assets = prepare_assets(inp.exhibits, base / "work")
    names = [a.exhibit.item.original_name for a in assets if a.exhibit.item is not None]
    assert names == [f"shot{n}{x}.png" for n, x in enumerate("ABCD", start=1)], names
    bundle = build_manifest(inp, "test").bundle_hash
    pack = write_pack(inp, assets, bundle, load_preset("taobao-buyer"), base / "pack")
    return pack, assets


def test_the_pack_plans_the_repeated_stretch_once(stitched) -> None:
    pack, assets = stitched
    seams = reviewer.chat_seams(assets)
    assert [s is not None for s in seams] == [True, False, False]
    joined = seams[0]
    assert joined is not None
    limit = load_preset("taobao-buyer").max_long_edge_px
    bands = [b for image in reviewer.plan_chat(assets, limit, None, seams) for b in image]
    rows = {
        n: [(b.top, b.bottom) for b in bands if b.asset.exhibit.number == n] for n in range(1, 5)
    }
    # A up to the seam, B from its seam row on: every row once, nothing of either left out
    assert rows[1][0][0] == 0 and rows[1][-1][1] == joined.upper_row
    assert rows[2][0][0] == joined.lower_row and rows[2][-1][1] == SCREEN
    assert all(r[0][0] == 0 and r[-1][1] == SCREEN for r in (rows[3], rows[4]))  # whole
    for n in range(1, 5):  # each band follows on from the last: no gap, no repeat
        assert all(x[1] == y[0] for x, y in zip(rows[n], rows[n][1:], strict=False))
    preset = load_preset("taobao-buyer")
    for page in pack.pages:
        assert max(page.width, page.height) <= preset.max_long_edge_px
        assert page.size <= preset.max_bytes


def test_the_stitched_chat_reads_back_each_message_once(stitched) -> None:
    engine = pytest.importorskip("app.evidence.ocr.engine")
    try:
        backend = engine.default_backend()
    except engine.OcrUnavailable as exc:
        pytest.skip(str(exc))
    pack, _ = stitched
    text = "".join(
        "".join(engine.recognize(p.path, backend=backend).text.split()) for p in pack.pages
    )
    seen = Counter(re.findall(r"第(\d\d)条", text))
    # A and B joined: the repeated messages 4-6 once, every message of both present
    for n in range(0, 11):
        assert seen[f"{n:02d}"] == 1, (n, seen, text)
    # C and D not joined (D's copy of message 17 was edited): both whole, 16-18 twice
    for n in (12, 13, 14, 15, 19, 20, 21, 22):
        assert seen[f"{n:02d}"] == 1, (n, seen)
    for n in (16, 18):
        assert seen[f"{n:02d}"] == 2, (n, seen)
    assert "商家同意全额退款" in text  # the edited copy is shown, never dropped
    for n in range(1, 5):
        assert f"证据{n}" in text
    assert "接证据1" in text  # B's caption says it continues A
    assert text.count("某某旗舰店") == 3  # the title bar: A+B once, C and D each


def test_the_exported_case_stitches_the_corpus_chat_legibly(exported: ExportedCase) -> None:
    """The legibility check of the export fixture's pack (tests/evidence/export/test_pack.py),
    on the stitched image: the corpus's two chat screenshots overlap by the 19:31 block, so
    part 2 follows part 1 from the gap after it, and both read back."""
    engine = pytest.importorskip("app.evidence.ocr.engine")
    try:
        backend = engine.default_backend()
    except engine.OcrUnavailable as exc:
        pytest.skip(str(exc))
    pack = exported.result.pack
    assert pack is not None
    with Case.open(exported.root, writable=False) as case:
        numbers = {
            e.item.original_name: e.number
            for e in build_export_input(case).exhibits
            if e.item is not None
        }
    one, two = numbers["chat_part1.png"], numbers["chat_part2.png"]
    assert two == one + 1  # consecutive: the seam applies
    pages = [p for p in pack.pages if one in p.exhibits or two in p.exhibits]
    read = {p.path: "".join(engine.recognize(p.path, backend=backend).text.split()) for p in pages}
    text = "".join(read.values())
    assert f"证据{one}" in text and f"证据{two}（接证据{one}" in text, text
    assert "颜色差很" in text and "13812345678" in text and "随便" in text, text
    # the shared 19:31 block once; a page that also starts the long screenshot (which begins
    # with part 1 again) may show it there too
    shared = "那您留个电话"
    again = sum(read[p.path].count(shared) for p in pages if set(p.exhibits) - {one, two})
    assert text.count(shared) == 1 + again, text
