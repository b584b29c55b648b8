"""The PDF read back: pages, outline, links, hashes, fonts, text, metadata, images."""

from __future__ import annotations

import getpass
import hashlib
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.evidence.store.case import Case
from tests.evidence.export.conftest import ExportedCase

needs_poppler = pytest.mark.skipif(
    shutil.which("pdffonts") is None, reason="poppler-utils not installed"
)


@pytest.fixture(scope="module")
def reader(exported: ExportedCase) -> PdfReader:
    return PdfReader(exported.pdf)


@pytest.fixture(scope="module")
def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def _exhibits(exported: ExportedCase) -> list[dict]:
    import json

    return json.loads((exported.root / "exports").glob("*.manifest.json").__next__().read_text())[
        "exhibits"
    ]


def test_every_exhibit_has_an_outline_entry_on_its_own_pages(
    exported: ExportedCase, reader: PdfReader
) -> None:
    assert len(reader.pages) == exported.result.pdf_pages
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    titles = [title for title, _ in outline]
    assert titles[:3] == ["封面 Cover", "目录 Index", "隐私处理 Privacy"]
    # "my checklist" is the user's: only when asked for (issue 18)
    assert titles[-2:] == ["时间线 Chronology", "附录 Appendix"]
    labels = [t.split()[0] for t in titles[3:-2]]
    assert labels == [f"证据{n}" for n in range(1, exported.result.exhibits + 1)]
    pages = [page for _, page in outline]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)


def test_index_entries_link_to_the_exhibit_pages(reader: PdfReader) -> None:
    outline = {
        item.title.split()[0]: reader.get_destination_page_number(item) for item in reader.outline
    }
    index_page = outline["目录"]
    links = [a.get_object() for a in reader.pages[index_page].get("/Annots", [])]
    targets = [
        reader.get_page_number(link["/Dest"][0].get_object()) for link in links if link.get("/Dest")
    ]
    exhibit_pages = [page for label, page in outline.items() if label.startswith("证据")]
    assert targets == exhibit_pages


def test_every_exhibit_hash_and_the_page_furniture_are_in_the_text(
    exported: ExportedCase, page_texts: list[str]
) -> None:
    text = "\n".join(page_texts)
    with Case.open(exported.root, writable=False) as case:
        hashes = [item.sha256 for item in case.items()]
    assert len(hashes) == exported.result.exhibits
    for sha in hashes:
        assert sha in text
    total = len(page_texts)
    short = exported.result.bundle_hash[:16]
    for n, page in enumerate(page_texts, start=1):
        assert f"第 {n} 页 / 共 {total} 页" in page
        assert short in page
        assert "耳机少件" in page  # the case title in the header
    assert exported.result.bundle_hash in page_texts[0]  # in full on the cover


def test_page_headers_name_the_exhibit(reader: PdfReader, page_texts: list[str]) -> None:
    for item in reader.outline:
        label = item.title.split()[0]
        if label.startswith("证据"):
            assert f"{label} · " in page_texts[reader.get_destination_page_number(item)]


def test_characters_the_font_lacks_become_a_visible_box(
    exported: ExportedCase, page_texts: list[str]
) -> None:
    text = "\n".join(page_texts)
    # two emoji, the second with a skin tone: one box each; markup characters stay plain text
    assert "外包装破损□□，<b>内件</b> & 配件缺失" in text
    assert "😀" not in text
    assert any("□" in p for p in exported.result.problems)


def test_long_screenshot_is_cut_across_pages(page_texts: list[str]) -> None:
    parts = [p for p in page_texts if "part " in p and " of 3" in p]
    assert any("part 2 of 3" in p for p in parts) and any("part 3 of 3" in p for p in parts)


def test_metadata_names_no_path_user_or_machine(exported: ExportedCase, reader: PdfReader) -> None:
    raw = exported.pdf.read_bytes()
    for secret in {str(exported.out), str(exported.root), str(Path.home())}:
        assert secret.encode() not in raw
    user = getpass.getuser().encode()
    host = socket.gethostname().encode()
    meta = reader.metadata
    fields = " ".join(str(v) for v in meta.values()).encode()
    assert user not in fields and host not in fields
    assert meta["/Creator"].startswith("EvidenceDesk")
    assert meta["/Author"] == "张三"
    assert exported.result.bundle_hash in meta["/Keywords"]
    assert meta["/CreationDate"].startswith("D:20250614")


def test_pdf_carries_its_manifest_as_an_attachment(
    exported: ExportedCase, reader: PdfReader
) -> None:
    data = reader.attachments["manifest.json"][0]
    assert hashlib.sha256(data).hexdigest() == exported.result.bundle_hash


def test_images_are_downscaled_jpegs_without_metadata(
    exported: ExportedCase, reader: PdfReader
) -> None:
    seen = 0
    for page in reader.pages:
        for image in page.images:
            seen += 1
            assert image.data[:2] == b"\xff\xd8", "JPEG passed through, not re-encoded raw"
            head = image.data[:65536]
            assert (
                b"Exif\x00\x00" not in head
                and b"http://ns.adobe.com/xap" not in head
                and b"ICC_PROFILE" not in head
            )
            with image.image as pil:
                assert max(pil.size) <= 1600 or pil.width <= 1080
    assert seen >= 10
    originals = sum(
        p.stat().st_size for p in (exported.root / "originals").rglob("*") if p.is_file()
    )
    assert exported.pdf.stat().st_size < originals


@needs_poppler
def test_every_font_is_embedded_and_chinese_comes_back(exported: ExportedCase) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(exported.pdf)], capture_output=True, text=True, check=True
    ).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    for row in rows:
        assert re.search(r"TrueType\s+\S+\s+yes\s+yes\s+yes", row), row
    text = subprocess.run(
        ["pdftotext", str(exported.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "电子证据链" in text and "证据目录" in text and "顺丰速运" in text


@needs_poppler
def test_pages_render_with_pictures(
    exported: ExportedCase, reader: PdfReader, tmp_path: Path
) -> None:
    from PIL import Image

    page = next(
        reader.get_destination_page_number(i)
        for i in reader.outline
        if i.title.startswith("证据1 ")
    )
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            str(page + 1),
            "-l",
            str(page + 1),
            str(exported.pdf),
            str(tmp_path / "page"),
        ],
        check=True,
        capture_output=True,
    )
    rendered = next(tmp_path.glob("page*.png"))
    with Image.open(rendered) as im:
        colours = im.convert("RGB").resize((40, 60)).getcolors(4000) or []
    assert len(colours) > 50  # a photo, not an empty page
