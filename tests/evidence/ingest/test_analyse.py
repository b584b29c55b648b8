"""After import: tracking lines and chat screenshots become timeline events, overlaps once."""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.evidence.ingest.analyse import analyse_case
from app.evidence.ingest.importer import import_files
from app.evidence.store.case import Case
from app.evidence.store.findings import load_findings
from app.evidence.timeline import events


def test_tracking_and_overlapping_chats_become_events_once(corpus_copy, tmp_path: Path) -> None:
    with Case.create(tmp_path / "case", "t") as case:
        import_files(
            case,
            [
                corpus_copy("synthetic/screenshots"),
                corpus_copy("synthetic/tracking/sf_not_received.txt"),
            ],
        )
        report = analyse_case(case)
        assert sum(report.tracking_events.values()) >= 7
        chat = [e for e in events(case) if e.kind == "chat_message"]
        texts = [e.text for e in chat]
        assert (
            len(texts) == len(set(texts)) or texts.count("亲可以申请退货退款，运费需要您承担") == 1
        )
        assert texts.count("质量问题为什么要我承担运费？") == 1  # in both screenshots, kept once
        assert any("SF1234567890123" in t for t in texts)
        assert all(e.time is not None for e in chat if e.text != "[图片]")
        again = analyse_case(case)  # re-running changes nothing
        assert again.chat_messages == report.chat_messages
        assert len([e for e in events(case) if e.kind == "chat_message"]) == len(chat)
        assert not [f for f in load_findings(case) if f.origin == "stitch" and f.severity != "info"]


def test_altered_overlap_is_a_finding_on_both_screenshots(corpus: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copyfile(corpus / "synthetic/screenshots/chat_part2.png", src / "part2.png")
    altered = Image.open(corpus / "synthetic/screenshots/chat_part1.png").convert("RGB")
    draw = ImageDraw.Draw(altered)
    # the 19:31 separator inside the overlap becomes 19:34
    background = altered.getpixel((600, 1050))
    draw.rectangle((638, 1000, 664, 1036), fill=background)
    draw.text((641, 1003), "4", fill=(153, 153, 153), font=ImageFont.load_default(size=27))
    altered.save(src / "part1.png")
    with Case.create(tmp_path / "case", "t") as case:
        import_files(case, [src])
        analyse_case(case)
        stitched = [f for f in load_findings(case) if f.origin == "stitch"]
    assert {f.params["other_name"] for f in stitched} == {"part1.png", "part2.png"}
    assert all(f.code.startswith("stitch.") for f in stitched)


def test_a_tracking_page_screenshot_goes_through_the_tracking_parser(
    corpus: Path, tmp_path: Path
) -> None:
    from importlib.resources import files

    lines = [
        line
        for line in (corpus / "synthetic/tracking/sf_not_received.txt")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip()
    ]
    font = ImageFont.truetype(str(files("resources").joinpath("fonts", "wqy-microhei.ttc")), 30)
    page = Image.new("RGB", (1080, 140 + 110 * len(lines)), "white")
    draw = ImageDraw.Draw(page)
    y = 60
    for line in lines:
        time_part, _, text = line.partition("  ")
        draw.text((40, y), time_part, fill=(90, 90, 90), font=font)
        draw.text((40, y + 42), text[:30], fill=(20, 20, 20), font=font)
        y += 110
    src = tmp_path / "in"
    src.mkdir()
    page.save(src / "物流截图.png")
    with Case.create(tmp_path / "case", "t") as case:
        import_files(case, [src])
        analyse_case(case)
        found = [e for e in events(case) if e.source == "tracking"]
    kinds = {e.kind for e in found}
    assert len([e for e in found if e.time is not None]) >= 5
    assert "pickup" in kinds and ("signed" in kinds or "station_dropoff" in kinds)
