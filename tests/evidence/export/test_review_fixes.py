"""What a user reading the export notices: a case built with the command line, exported, read back.

The case: two phone photos (one with a note), a photo without a capture time, a PDF receipt, an
unboxing video with a note, two chat screenshots (one shows a phone number), a tracking text; the
dispute is 描述不符（颜色）and the user typed the order date.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import cli
from app.evidence.disputes.states import CHECK_STATES
from app.evidence.store.case import Case
from app.evidence.timeline import build_timeline

FILES = [
    "photos/originals/canon-ixus.jpg",
    "photos/originals/sanyo-vpcsx550.jpg",
    "photos/no_exif/no_exif.jpg",
    "synthetic/videos/packing_reencoded_lavf.mp4",
    "synthetic/videos/unboxing_iphone_zto.mov",
    "synthetic/screenshots/chat_part1.png",
    "synthetic/screenshots/chat_part2.png",
]
STATEMENT = "收到的开衫是灰色，商品页写的是燕麦色，差别明显。"
PHOTO_NOTE = "实物为灰色，商品页为燕麦色；自然光下拍摄。"
VIDEO_NOTE = "开箱视频：拆封到发现颜色不符，连续未剪辑。"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@dataclass(frozen=True)
class Exported:
    root: Path
    out: Path
    run: Run

    @property
    def pdf(self) -> Path:
        return self.out / "chain.pdf"


def _cli(capsys: pytest.CaptureFixture[str] | None, *args: object) -> Run:
    code = cli.main(["--lang", "zh", *(str(a) for a in args)])
    out, err = capsys.readouterr() if capsys is not None else ("", "")
    return Run(code, out, err)


def _receipt(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.drawString(100, 700, "Receipt 189.00")
    c.save()
    return path


def build_case(root: Path, corpus: Path, inputs: Path) -> Path:
    """The case, made with the same commands a user types."""
    inputs.mkdir(parents=True, exist_ok=True)
    files = []
    for rel in FILES:
        files.append(Path(shutil.copy(corpus / rel, inputs / Path(rel).name)))
    files.append(_receipt(inputs / "receipt.pdf"))
    assert (
        _cli(
            None,
            "new",
            root,
            "--title",
            "颜色不符的开衫",
            "--order",
            "3456789012345678",
            "--claim",
            "refund",
        ).code
        == 0
    )
    assert _cli(None, "add", root, *files).code == 0
    tracking = corpus / "synthetic/tracking/zto_newest_first.txt"
    assert _cli(None, "add-tracking", root, "--text-file", tracking).code == 0
    assert _cli(None, "dispute", root, "not_as_described:color").code == 0
    assert _cli(None, "date", root, "order", "2025-06-10").code == 0
    with Case.open(root, writable=False) as case:
        names = {i.id: i.original_name for i in case.items()}
        numbers = {
            names[e.item_id]: e.exhibit_no
            for e in build_timeline(case).visible()
            if e.item_id is not None and e.exhibit_no is not None and e.is_item
        }
    photo, video = numbers["canon-ixus.jpg"], numbers["unboxing_iphone_zto.mov"]
    assert _cli(None, "note", root, f"证据{photo}", PHOTO_NOTE).code == 0
    assert _cli(None, "note", root, f"证据{video}", VIDEO_NOTE).code == 0
    return root


@pytest.fixture(scope="module")
def made(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("review")
    return build_case(base / "case", corpus, base / "input")


@pytest.fixture(scope="module")
def exported(made: Path, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    out = tmp_path_factory.mktemp("review-out")
    # capsys is function-scoped: capture by hand
    import contextlib
    import io

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(
            [
                "--lang",
                "zh",
                "export",
                str(made),
                "--pdf",
                str(out / "chain.pdf"),
                "--pack",
                "taobao-buyer",
                "--out",
                str(out / "pack"),
                "--statement",
                STATEMENT,
                "--my-checklist",
            ]
        )
    return Exported(made, out, Run(code, stdout.getvalue(), stderr.getvalue()))


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    """pdftotext -layout (what a reviewer's tools see) when installed, else pypdf."""
    if shutil.which("pdftotext"):
        pages = [] if first is None else ["-f", str(first), "-l", str(last or first)]
        return subprocess.run(
            ["pdftotext", *pages, "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    reader = PdfReader(pdf)
    chosen = reader.pages if first is None else reader.pages[first - 1 : (last or first)]
    return "\n".join(p.extract_text() for p in chosen)


def section(pdf: Path, title: str) -> str:
    """The text of the pages whose running head names this section."""
    reader = PdfReader(pdf)
    return "\n".join(
        pdf_text(pdf, n + 1) for n, page in enumerate(reader.pages) if title in page.extract_text()
    )


# -- 1. the checklist uses the timeline's states -------------------------------------------------


def test_checklist_never_calls_unconfirmed_evidence_missing(exported: Exported) -> None:
    timeline = _cli(None, "timeline", exported.root)
    assert timeline.code == 0
    text = section(exported.pdf, "我的清单 My checklist")
    assert "待确认" in text and "to confirm" in text  # the colour comparison: only the user knows
    assert "需核对" in text and "to check" in text  # the snapshot: files of the kind are there
    assert "缺少" not in text and "missing" not in text
    assert "吊牌/标签/包装文字照片（可选）" in text and "(optional)" in text
    # the same words as the timeline view, state by state
    for state in ("todo", "partial", "matched"):
        assert CHECK_STATES[state].zh.split(" ", 1)[1] in text


# -- 2. the cover says the order and the dispute once, readably ----------------------------------


def test_cover_names_order_and_dispute_once_with_the_variant(exported: Exported) -> None:
    cover = pdf_text(exported.pdf, 1)
    assert cover.count("3456789012345678") == 1, cover
    assert cover.count("纠纷类型") == 1, cover
    assert "not_as_described" not in cover
    assert re.search(r"描述不符（颜色）\s*/\s*Not as described \(Colour\)", cover), cover


# -- 3, 4. the chronology labels rows by what they are; a typed date is the user's ---------------


def test_chronology_labels_undated_rows_by_their_kind(exported: Exported) -> None:
    text = section(exported.pdf, "时间线 Chronology")
    undated = [line for line in text.splitlines() if "无可信时间" in line]
    assert undated, text
    kinds = {".mp4": "视频", ".pdf": "文档"}
    assert {Path(line.split()[-2]).suffix for line in undated} == set(kinds), undated
    for line in undated:
        assert "物流记录" not in line, line
        assert line.split()[-1] == kinds[Path(line.split()[-2]).suffix], line


def test_a_typed_date_is_shown_as_entered_by_the_user(exported: Exported) -> None:
    text = section(exported.pdf, "时间线 Chronology")
    row = next(line for line in text.splitlines() if "下单" in line)
    assert "2025年6月10日" in row and "00:00" not in row and "时区未知" not in row, row
    assert "由用户填写" in row and "可信度低" not in row, row
    assert "北京时间" in text.split(row, 1)[0], text  # the column names the case's zone once


# -- 5. the note comes right under the picture ---------------------------------------------------


@pytest.mark.parametrize("note", [PHOTO_NOTE, VIDEO_NOTE])
def test_note_is_under_the_picture_before_metadata_and_findings(
    exported: Exported, note: str
) -> None:
    reader = PdfReader(exported.pdf)
    pages = [n for n, page in enumerate(reader.pages) if note in page.extract_text()]
    exhibit_pages = [n for n in pages if "备注 Note" in reader.pages[n].extract_text()]
    assert exhibit_pages, "the note is not on an exhibit page"
    page = pdf_text(exported.pdf, exhibit_pages[0] + 1)
    assert "视频" in page or "照片" in page
    assert page.index(note) < page.index("SHA-256"), page
    # the check results are in "my checklist" (asked for here), not on the reviewer's pages
    assert "完整性检查" not in page and "结论" not in page, page


# -- 6. pack pages keep their text inside the margins --------------------------------------------


@pytest.mark.parametrize("summary", [True, False])
def test_no_pack_text_runs_past_the_margins(made: Path, tmp_path: Path, summary: bool) -> None:
    from app.evidence.export.assets import prepare_assets
    from app.evidence.export.case_feeds import case_feeds
    from app.evidence.export.collect import build_export_input
    from app.evidence.export.pack.pages import plan_pages
    from app.evidence.export.pack.sheet import BASE_W, MARGIN, Sheet

    with Case.open(made, writable=False) as case:
        inp = build_export_input(case, case_feeds(case))
        assets = prepare_assets(inp.exhibits, tmp_path)
    specs = plan_pages(inp, assets, "ab" * 32, 1.0, summary=summary)
    assert specs[0].slug == ("summary" if summary else "cover")
    outside = []
    for spec in specs:
        sheet = Sheet(1.0)
        spec.draw(sheet)
        sheet.furniture(inp.info.title, spec.label, 1, len(specs), "ab" * 32)
        assert sheet.lines, spec.slug
        left, right = sheet.px(MARGIN) - 1, sheet.px(BASE_W - MARGIN) + 1
        outside += [(spec.slug, box) for box in sheet.lines if box[0] < left or box[2] > right]
    assert not outside, outside


# -- 7. packs fit their slots; the description starts with the claim -----------------------------


def test_pack_for_four_images_keeps_the_first_exhibits_and_names_the_rest(
    made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _cli(capsys, "export", made, "--pack", "wechat-complaint", "--out", tmp_path / "wx")
    assert run.code == 0, run.err
    listing = json.loads((tmp_path / "wx" / "pack.json").read_text(encoding="utf-8"))
    pages = listing["pages"]
    assert len(pages) <= 4 and {p["batch"] for p in pages} == {1}
    # no cover by default: the four images go to the evidence, the checklist's first
    shown = [f"证据{n}" for p in pages for n in p["exhibits"]]
    left = [e["label"] for e in listing["left_out"]]
    assert not pages[0]["label"].startswith("封面")
    assert shown and left and not set(shown) & set(left)
    assert "未放入" in run.err and all(label in run.err for label in left)
    description = (tmp_path / "wx" / "description.txt").read_text(encoding="utf-8").strip()
    assert description.startswith("诉求：仅退款；纠纷：描述不符（颜色）。"), description
    assert len(description) <= 200


def test_first_batch_goes_to_evidence_and_description_is_cut_between_items(
    exported: Exported,
) -> None:
    listing = json.loads((exported.out / "pack" / "pack.json").read_text(encoding="utf-8"))
    first = [p["label"] for p in listing["pages"] if p["batch"] == 1]
    assert all(lb.startswith("证据") for lb in first), first  # no cover unless asked
    assert len(first) == 5
    text = (exported.out / "pack" / "description.txt").read_text(encoding="utf-8").strip()
    assert len(text.encode("utf-8")) <= 400
    assert text.startswith("诉求：仅退款；纠纷：描述不符（颜色）。" + STATEMENT), text
    # cut between whole items: in the full text, the next character starts another item
    from app.evidence.export.case_feeds import case_feeds
    from app.evidence.export.collect import build_export_input
    from app.evidence.export.pack.description import description_parts

    with Case.open(exported.root, writable=False) as case:
        inp = build_export_input(case, case_feeds(case))
    # the description lists the pack's exhibits in the pack's order (the checklist's first)
    by_label = {e.label: e for e in inp.exhibits}
    order = dict.fromkeys(f"证据{n}" for p in listing["pages"] for n in p["exhibits"])
    order.update(dict.fromkeys(v["exhibit"] for v in listing["videos"] if v["file"]))
    shown = [by_label[label] for label in order]
    full = "".join(description_parts(inp, listing["bundle_hash"], shown))
    # too long whole: every exhibit shown is still named, with the fewest words (issue 18)
    assert len(full.encode("utf-8")) > 400
    assert re.findall(r"证据\d+", text.split("证据：", 1)[1]) == list(order), (text, full)


def test_description_never_cuts_mid_word() -> None:
    from dataclasses import replace

    from app.evidence.export.pack.description import fit_description
    from app.evidence.export.pack.presets import load_preset

    preset = replace(load_preset("taobao-buyer"), description_limit=60)
    long = "The colour differs from the listing photo by a lot. More than that, a seam is open."
    text = fit_description([long], preset)
    assert text == "The colour differs from the listing photo by a lot.…", text
    text = fit_description(
        ["订单号 1。", "证据：证据1照片", "；证据2照片：" + "颜色不对" * 9], preset
    )
    assert text == "订单号 1。证据：证据1照片…", text
    text = fit_description(
        ["The colour differs from the listing photo in every way I can see here"], preset
    )
    assert text == "The colour differs from the listing photo in every way I…", text
    assert len(text.encode()) <= 60


# -- 8. a visible phone number is said at export -------------------------------------------------


def test_export_warns_of_an_uncovered_phone_number_until_it_is_covered(
    made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "case"
    shutil.copytree(made, case)
    run = _cli(capsys, "export", case, "--pdf", tmp_path / "a.pdf")
    assert run.code == 0, run.err
    warned = [line for line in run.err.splitlines() if "未遮盖" in line]
    assert warned and all("138****5678" in line for line in warned), run.err
    assert "13812345678" not in run.err  # named masked, never in full
    assert re.match(r"提醒：证据\d+（", warned[0]), warned
    assert _cli(capsys, "redact", case, "--suggest", "--no-ocr").code == 0
    assert _cli(capsys, "redact", case, "--accept-all").code == 0
    run = _cli(capsys, "export", case, "--pdf", tmp_path / "b.pdf")
    assert run.code == 0 and "未遮盖" not in run.err, run.err
