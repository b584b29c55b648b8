"""PDF receipts in the evidence chain and the upload packs: every page drawn (up to the bound,
which is said), hashed like any exhibit, and a note instead of a failure when a PDF is locked
or damaged."""

from __future__ import annotations

import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from app.evidence.export import ExportResult, export_case
from app.evidence.export.fonts import SANS, register_pdf_fonts
from app.evidence.export.receipts import MAX_PAGES
from app.evidence.ingest.importer import import_files
from app.evidence.models import ItemKind
from app.evidence.store.case import Case
from tests.evidence.export.conftest import fixed_clock

INVOICE_LINES = [
    "电子发票（普通发票）",
    "购买方：张三",
    "项目：无线蓝牙耳机 × 1",
    "价税合计：¥299.00",
]


def _receipt(path: Path, pages: int = 2, password: str | None = None) -> Path:
    """A receipt in Chinese (the bundled font, embedded), one heading and a table per page."""
    register_pdf_fonts()
    encrypt = StandardEncryption(password, canPrint=0) if password else None
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    for n in range(1, pages + 1):
        pdf.setFont(SANS, 28)
        pdf.drawString(60, 760, INVOICE_LINES[0] if n == 1 else f"维修单 第{n}页")
        pdf.setFont(SANS, 16)
        for i, line in enumerate(INVOICE_LINES[1:]):
            pdf.drawString(60, 700 - 30 * i, line)
        pdf.setLineWidth(2)
        pdf.rect(50, 520, 480, 80)
        pdf.showPage()
    pdf.save()
    return path


def _case(tmp_path: Path, files: list[Path]) -> Path:
    root = tmp_path / "case"
    with Case.create(root, "维修收据：卖家举证", order_no="3301234567890") as case:
        report = import_files(case, files)
        assert report.count("failed") == 0, [r.message for r in report.results]
        assert all(i.kind is ItemKind.DOCUMENT for i in case.items())
    return root


def _export(root: Path, out: Path, pack: str | None = None) -> ExportResult:
    with Case.open(root, writable=False) as case:
        return export_case(
            case,
            pdf=out / "chain.pdf",
            pack=(pack, out / "pack") if pack else None,
            clock=fixed_clock,
        )


def _export_and_workers_peak(root: Path, out: Path, pack: str) -> tuple[ExportResult, int]:
    import resource

    from app.evidence.export import pdf_worker

    result = _export(root, out, pack)
    pdf_worker.worker().stop()  # reaped, so its peak is counted
    return result, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def _export_measuring_workers(root: Path, out: Path, pack: str) -> tuple[ExportResult, int | None]:
    """The export in a forked child, so the peak memory read afterwards is that of the PDF workers
    this export started: RUSAGE_CHILDREN of the test process itself counts every child any earlier
    test in the same pytest worker started (ffmpeg, the frozen build…)."""
    if not sys.platform.startswith("linux"):
        return _export(root, out, pack), None
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=fork) as pool:
        result, peak = pool.submit(_export_and_workers_peak, root, out, pack).result()
    return result, peak


def _sha(root: Path) -> dict[str, str]:
    with Case.open(root, writable=False) as case:
        return {i.original_name: i.sha256 for i in case.items()}


def _rendered_images(pdf: Path, index: int) -> list[np.ndarray]:
    """The page rendered at 72 dpi, cut to where each of its images is drawn."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[index]
        height = page.get_height()
        picture = np.asarray(page.render(scale=1).to_pil().convert("L"))
        boxes = [obj.get_bounds() for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])]
    finally:
        document.close()
    return [
        picture[int(height - top) : int(height - bottom), int(left) : int(right)]
        for left, bottom, right, top in boxes
    ]


def test_receipt_pages_are_drawn_with_their_hash_in_the_text(tmp_path: Path) -> None:
    source = _receipt(tmp_path / "发票.pdf", pages=2)
    root = _case(tmp_path, [source])
    out = tmp_path / "out"
    result = _export(root, out, pack="taobao-buyer")
    assert result.problems == ()
    sha = _sha(root)["发票.pdf"]
    reader = PdfReader(str(result.pdf))
    texts = [page.extract_text() or "" for page in reader.pages]
    first = next(n for n, t in enumerate(texts) if "证据1" in t and sha in t.replace("\n", ""))
    # an A4 receipt would shrink beside the details: each of its pages gets a page of its own
    # each receipt page is an image on the exhibit's pages, and it is not blank
    shown = [n for n in range(first, len(texts)) if "页 / 共 2 页" in texts[n]]
    assert len(shown) == 2
    for n in shown:
        assert len(reader.pages[n].images) == 1
        embedded = np.asarray(reader.pages[n].images[0].image.convert("L"))
        assert embedded.std() > 10, "the embedded receipt page is blank"
        (drawn,) = _rendered_images(result.pdf, n)
        assert drawn.shape[0] > 400 and drawn.shape[1] > 300  # scaled to the page
        assert drawn.std() > 10 and (drawn < 128).mean() > 0.005, "the receipt renders blank"
    # the upload pack: one page per receipt page, the first with the caption
    pack = result.pack
    assert pack is not None
    labels = [p.label for p in pack.pages]
    assert labels.count("证据1") == 1 and labels.count("证据1（续）") == 1
    with Image.open(next(p.path for p in pack.pages if p.label == "证据1（续）")) as page:
        assert np.asarray(page.convert("L")).std() > 20  # a drawn page, not a blank sheet


def test_a_long_receipt_is_cut_at_the_bound_and_says_so(tmp_path: Path) -> None:
    source = _receipt(tmp_path / "long.pdf", pages=MAX_PAGES + 3)
    result = _export(_case(tmp_path, [source]), tmp_path / "out")
    text = "".join(page.extract_text() or "" for page in PdfReader(str(result.pdf)).pages)
    total = MAX_PAGES + 3
    assert f"只显示前 {MAX_PAGES} 页（共 {total} 页）" in text
    assert f"第 {MAX_PAGES} 页 / 共 {total} 页" in text
    assert f"第 {MAX_PAGES + 1} 页 / 共 {total} 页" not in text


@pytest.mark.parametrize(
    ("make", "note"),
    [
        (lambda p: _receipt(p, password="secret"), "PDF 已加密"),
        (
            lambda p: p.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage\n") and p,
            "PDF 已损坏",
        ),
    ],
    ids=["encrypted", "damaged"],
)
def test_locked_or_damaged_pdfs_get_a_note_not_a_failed_export(
    tmp_path: Path, make: object, note: str
) -> None:
    source = tmp_path / "receipt.pdf"
    make(source)  # type: ignore[operator]
    root = _case(tmp_path, [source])
    result = _export(root, tmp_path / "out", pack="1688")
    assert any(note in p for p in result.problems), result.problems
    text = "".join(page.extract_text() or "" for page in PdfReader(str(result.pdf)).pages)
    assert note in text and _sha(root)["receipt.pdf"] in text.replace("\n", "")
    # the pack still comes out; a document with no page that could be drawn gives the reviewer
    # no image (issue 18: the slots hold evidence), the note stays in the PDF and the problems
    assert result.pack is not None and (result.pack.folder / "上传指引.txt").is_file()


def _nested_forms(path: Path, depth: int = 9, copies: int = 10) -> Path:
    """A few KB of PDF whose page draws a form `copies` times, each drawing the one below it
    `copies` times, `depth` levels down to one small square: 10^10 squares at 9 levels. Drawn
    in the app itself this took 21 GB and 300 s (5 levels: 24 s and 1.9 GB, measured)."""
    objects: dict[int, bytes] = {}
    first = 5  # 1 catalog, 2 page tree, 3 page, 4 page content, 5.. the forms
    for level in range(depth + 1):
        if level == 0:
            body, resources = b"0 0 1 rg 0 0 2 2 re f", b""
        else:
            body = b" ".join(b"q 0.9 0 0 0.9 %d %d cm /X Do Q" % (i, i) for i in range(copies))
            resources = b"/Resources << /XObject << /X %d 0 R >> >>" % (first + level - 1)
        objects[first + level] = (
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] %s /Length %d >>\n"
            b"stream\n%s\nendstream" % (resources, len(body), body)
        )
    page = b" ".join(b"q 1 0 0 1 %d %d cm /X Do Q" % (i * 3, i * 3) for i in range(copies))
    objects[4] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(page), page)
    objects[3] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /X %d 0 R >> >> >>" % (first + depth)
    )
    objects[2] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    path.write_bytes(bytes(out))
    return path


@pytest.fixture
def fresh_worker():
    """The PDF worker stopped before and after the test (budgets are read when it starts)."""
    from app.evidence.export import pdf_worker

    pdf_worker.worker().stop()
    yield pdf_worker
    pdf_worker.worker().stop()


def test_hostile_nested_drawings_are_cut_off_and_the_export_goes_on(
    tmp_path: Path, fresh_worker
) -> None:
    hostile = _nested_forms(tmp_path / "nested.pdf")
    assert hostile.stat().st_size < 8000
    normal = _receipt(tmp_path / "发票.pdf", pages=2)
    root = _case(tmp_path, [hostile, normal])
    started = time.monotonic()
    result, peak = _export_measuring_workers(root, tmp_path / "out", "taobao-buyer")
    seconds = time.monotonic() - started
    # the page's budget (15 s) plus the rest of the export, on a loaded 2-core machine
    assert seconds < fresh_worker.PAGE_SECONDS + 60, seconds
    assert any("Page 1 could not be drawn" in p for p in result.problems), result.problems
    text = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(str(result.pdf)).pages
    )
    assert "第 1 页无法绘制" in text and "Page 1 could not be drawn" in text
    assert text.count("页 / 共 2 页") == 2  # the normal receipt is drawn in full
    with Case.open(root, writable=False) as case:
        assert {i.original_name: i.sha256 for i in case.items()} == _sha(root)
    if peak is not None:  # the worker stopped for the hostile page stayed within its budget
        assert 0 < peak < fresh_worker.MEMORY_BUDGET + 64 * 1024 * 1024, peak


@pytest.mark.skipif(sys.platform == "win32", reason="the memory budget is POSIX only")
def test_memory_budget_stops_a_page_and_the_preview_says_so(
    tmp_path: Path, fresh_worker, monkeypatch: pytest.MonkeyPatch, language
) -> None:
    from app.evidence.export.receipts import ReceiptError, page_preview, render_receipt

    monkeypatch.setattr(fresh_worker, "MEMORY_BUDGET", 600 * 1024 * 1024)
    monkeypatch.setattr(fresh_worker, "PAGE_SECONDS", 120.0)
    monkeypatch.setattr(fresh_worker, "DOCUMENT_SECONDS", 120.0)
    hostile = _nested_forms(tmp_path / "nested.pdf")
    started = time.monotonic()
    receipt = render_receipt(hostile, tmp_path, "r")
    assert time.monotonic() - started < 100  # memory ran out long before the time budget
    assert receipt.not_drawn == (1,) and len(receipt.pages) == 1
    with Image.open(receipt.pages[0].path) as notice:
        assert notice.size[1] > notice.size[0] > 500  # a page-shaped notice
    language("en")
    with pytest.raises(ReceiptError, match="could not be drawn"):
        page_preview(hostile, 1)
    language("zh")
    normal = _receipt(tmp_path / "ok.pdf", pages=1)
    preview = page_preview(normal, 1)  # a fresh worker draws the next PDF
    assert preview.total == 1 and np.asarray(preview.picture.convert("L")).std() > 10
