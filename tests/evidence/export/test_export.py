"""export_case: exhibit order and numbering, the feeds seam, cancel and write-then-rename."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.evidence.errors import Cancelled
from app.evidence.export import (
    Assessment,
    ChecklistLine,
    CoverFact,
    ExhibitFinding,
    ExhibitPlan,
    ExportError,
    ExportFeeds,
    collect_exhibits,
    export_case,
)
from app.evidence.export.fonts import SUBSTITUTE, printable
from app.evidence.export.images import load_upright
from app.evidence.models import TimeSource
from app.evidence.progress import CancelToken, Progress
from app.evidence.store.case import Case
from tests.evidence.export.conftest import fixed_clock


def test_exhibits_follow_capture_time_with_undated_last(small_case: Path) -> None:
    with Case.open(small_case, writable=False) as case:
        exhibits = collect_exhibits(case)
    assert [e.label for e in exhibits] == ["证据1", "证据2", "证据3"]
    dated = [e for e in exhibits if e.time is not None]
    assert [e.title for e in dated] == ["sanyo-vpcsx550.jpg", "DSCN0010.jpg"]  # 2000 before 2008
    undated = exhibits[-1]
    assert undated.title == "sf_not_received.txt" and undated.time is None
    assert undated.hint_time is not None and undated.hint_time.source is TimeSource.FILE_TIME
    assert exhibits[0].note.startswith("外包装破损")  # the note is on sanyo-vpcsx550.jpg


def test_feeds_reorder_number_and_assess(small_case: Path, tmp_path: Path) -> None:
    with Case.open(small_case, writable=False) as case:
        items = {i.original_name: i for i in case.items()}
        plan = [
            ExhibitPlan(
                items["sf_not_received.txt"].id, 1, title="顺丰物流记录", note="签收前已放入快递柜"
            ),
            ExhibitPlan(items["sanyo-vpcsx550.jpg"].id, 2),
        ]
        finding = ExhibitFinding(
            "exif_software",
            "warning",
            "照片经软件处理过",
            "Edited by software",
            "Software 标签写着 GIMP。",
            "The Software tag names GIMP.",
            "用 GIMP 只调整过大小也会留下此标签。",
            "Resizing alone in GIMP leaves the tag too.",
        )
        feeds = ExportFeeds(
            plan=lambda c: plan,
            assess=lambda c, item: (
                Assessment("edited", (finding,))
                if item.original_name == "sanyo-vpcsx550.jpg"
                else None
            ),
            checklist=lambda c: [
                ChecklistLine("开箱视频", "Unboxing video", "missing"),
                ChecklistLine("物流记录", "Tracking record", "present", ("证据1",)),
            ],
            facts=lambda c: [CoverFact("店铺", "Shop", "某某旗舰店")],
        )
        result = export_case(
            case, pdf=tmp_path / "out.pdf", feeds=feeds, clock=fixed_clock, my_checklist=True
        )
    text = "\n".join(p.extract_text() for p in PdfReader(result.pdf).pages)
    assert result.exhibits == 2  # DSCN0010 was left out by the plan
    assert "证据1 物流记录 Tracking\n顺丰物流记录" in text and "签收前已放入快递柜" in text
    assert "有编辑迹象" in text and "照片经软件处理过" in text and "Software 标签写着 GIMP" in text
    assert "可能误导的情况：用 GIMP 只调整过大小也会留下此标签。" in text
    assert "× 缺少" in text and "开箱视频" in text and "某某旗舰店" in text
    manifest = json.loads(next((small_case / "exports").glob("*.manifest.json")).read_text())
    assert [e["label"] for e in manifest["exhibits"]] == ["证据1", "证据2"]
    assert (
        manifest["exhibits"][1]["verdict"] == "edited"
        and manifest["exhibits"][1]["findings"][0]["code"] == "exif_software"
    )


def test_cancel_leaves_no_half_written_file(small_case: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "chain.pdf"
    target.parent.mkdir()
    target.write_bytes(b"an earlier export")
    token = CancelToken()

    def progress(p: Progress) -> None:
        if p.stage == "export.pdf" and p.done == 1:
            token.cancel()

    with Case.open(small_case, writable=False) as case, pytest.raises(Cancelled):
        export_case(
            case,
            pdf=target,
            zip_path=tmp_path / "out" / "b.zip",
            progress=progress,
            cancel=token,
            clock=fixed_clock,
        )
    assert target.read_bytes() == b"an earlier export"
    assert sorted(p.name for p in target.parent.iterdir()) == ["chain.pdf"]  # no temp file, no ZIP


def test_outputs_appear_complete_under_their_names(small_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    seen: list[list[str]] = []

    def progress(p: Progress) -> None:
        seen.append(sorted(x.name for x in out.iterdir()))

    with Case.open(small_case, writable=False) as case:
        export_case(
            case,
            pdf=out / "chain.pdf",
            zip_path=out / "b.zip",
            progress=progress,
            clock=fixed_clock,
        )
    writing_pdf = [names for names in seen if any(n.startswith(".chain.pdf.") for n in names)]
    assert writing_pdf and all(
        "chain.pdf" not in names for names in writing_pdf
    )  # only the temp name so far
    assert sorted(p.name for p in out.iterdir()) == ["b.zip", "chain.pdf"]


def test_nothing_to_export_is_refused(small_case: Path) -> None:
    with Case.open(small_case, writable=False) as case, pytest.raises(ExportError):
        export_case(case)


def test_missing_glyphs_become_one_visible_box() -> None:
    assert printable("好评👍🏻👨‍👩‍👧谢谢") == f"好评{SUBSTITUTE}{SUBSTITUTE}谢谢"
    assert printable("普通文字 ABC 123 ￥12.50 “顺丰”") == "普通文字 ABC 123 ￥12.50 “顺丰”"
    assert printable("a\tb\x00c") == "a    bc"


def test_previews_are_upright(corpus: Path) -> None:
    picture = load_upright(corpus / "photos/orientation/portrait_6.jpg", 1600, 1600)
    assert picture.width < picture.height  # stored 600x450 with orientation 6
    assert not picture.info


def test_an_original_changed_in_the_case_is_flagged_not_hidden(
    small_case: Path, tmp_path: Path
) -> None:
    with Case.open(small_case) as case:
        victim = next(i for i in case.items() if i.original_name == "sanyo-vpcsx550.jpg")
        path = case.path_of(victim)
        path.chmod(0o600)
        path.write_bytes(path.read_bytes()[:-10])
        result = export_case(
            case, pdf=tmp_path / "out.pdf", zip_path=tmp_path / "b.zip", clock=fixed_clock
        )
    assert any("sanyo-vpcsx550.jpg" in p and "no longer match" in p for p in result.problems)
    text = "\n".join(p.extract_text() for p in PdfReader(result.pdf).pages)
    assert "原件的字节与导入时记录的 SHA-256 不一致" in text
    from app.evidence.export import verify_zip

    check = verify_zip(tmp_path / "b.zip")  # the ZIP keeps the recorded hash: the change shows
    assert [p.code for p in check.problems] == ["original_changed"]
