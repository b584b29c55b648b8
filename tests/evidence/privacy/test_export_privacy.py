"""What leaves the machine: filled regions in every picture, masked text, no metadata, no names."""

from __future__ import annotations

import getpass
import io
import json
import shutil
import socket
import subprocess
import zipfile
from pathlib import Path

import cv2
import exifread
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from app.evidence.export import export_case
from app.evidence.privacy.metadata import metadata_in
from app.evidence.store.case import Case
from tests.evidence.privacy.conftest import FILES, ORDER_NO, PHOTO_RECT, Pipeline

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils not installed",
)
PHONE_ASPECT = 104 / 48  # the phone suggestion's rectangle on chat_part2 (w / h)
PHOTO_ASPECT = PHOTO_RECT[2] / PHOTO_RECT[3]


def black_boxes(
    picture: Image.Image, min_area: int = 80, stroke: int = 5
) -> list[tuple[int, int, int, int]]:
    """Solid near-black rectangles: (x, y, w, h) of components that fill >= 90 % of their box.

    Dark areas thinner than `stroke` px (text touching a box's edge) are opened away first.
    """
    rgb = np.asarray(picture.convert("RGB"))
    dark = (rgb.max(axis=2) < 48).astype(np.uint8)
    dark = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((stroke, stroke), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=4)
    boxes = []
    for x, y, w, h, area in stats[1:count]:
        if area >= min_area and area >= 0.9 * w * h and min(w, h) >= 6:
            boxes.append((int(x), int(y), int(w), int(h)))
    return boxes


def assert_filled(picture: Image.Image, box: tuple[int, int, int, int]) -> None:
    """Every pixel inside the box (2 px in from its edges) is the fill colour, JPEG noise aside."""
    x, y, w, h = box
    inside = np.asarray(picture.convert("RGB"))[y + 2 : y + h - 2, x + 2 : x + w - 2]
    assert inside.size and inside.max() <= 40 and inside.mean() <= 8, (inside.max(), inside.mean())


def with_aspect(
    boxes: list[tuple[int, int, int, int]], aspect: float
) -> list[tuple[int, int, int, int]]:
    return [b for b in boxes if abs(b[2] / b[3] - aspect) / aspect < 0.2]


@pytest.fixture(scope="module")
def manifest(pipeline: Pipeline) -> dict:
    with zipfile.ZipFile(pipeline.zip) as archive:
        return json.loads(archive.read("manifest.json"))


def _label(manifest: dict, kind: str) -> str:
    return next(e["label"] for e in manifest["exhibits"] if e.get("kind") == kind)


def _pdf_page(pipeline: Pipeline, label: str, tmp_path: Path) -> Image.Image:
    reader = PdfReader(pipeline.pdf)
    page = next(
        reader.get_destination_page_number(i)
        for i in reader.outline
        if i.title.startswith(label + " ")
    )
    tmp_path.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-f", str(page + 1), "-l", str(page + 1),
         str(pipeline.pdf), str(tmp_path / "page")],
        check=True, capture_output=True,
    )  # fmt: skip
    with Image.open(next(tmp_path.glob("page*.png"))) as im:
        return im.convert("RGB")


def test_pack_pictures_carry_solid_fills(pipeline: Pipeline, manifest: dict) -> None:
    listing = json.loads((pipeline.pack / "pack.json").read_text(encoding="utf-8"))
    pages = {p["label"]: pipeline.pack / p["file"] for p in listing["pages"]}
    shot = pages[_label(manifest, "screenshot")]
    photo = pages[_label(manifest, "photo")]
    assert shot.suffix == ".jpg" and photo.suffix == ".jpg"
    for path, aspect in ((shot, PHONE_ASPECT), (photo, PHOTO_ASPECT)):
        with Image.open(path) as im:
            found = with_aspect(black_boxes(im), aspect)
            assert len(found) == 1, (path.name, black_boxes(im))
            assert_filled(im, found[0])


@needs_poppler
def test_pdf_pages_carry_solid_fills(pipeline: Pipeline, manifest: dict, tmp_path: Path) -> None:
    for kind, aspect in (("screenshot", PHONE_ASPECT), ("photo", PHOTO_ASPECT)):
        page = _pdf_page(pipeline, _label(manifest, kind), tmp_path / kind)
        found = with_aspect(black_boxes(page), aspect)
        assert len(found) == 1, (kind, black_boxes(page))
        assert_filled(page, found[0])
    # the waybill address suggested on the video's first keyframe is filled on the contact sheet
    sheet = _pdf_page(pipeline, _label(manifest, "video"), tmp_path / "video")
    found = with_aspect(black_boxes(sheet, min_area=30, stroke=3), 157 / 66)
    assert found, black_boxes(sheet, min_area=30, stroke=3)


@needs_poppler
def test_pdf_text_has_the_masked_phone_and_keeps_order_and_tracking_numbers(
    pipeline: Pipeline,
) -> None:
    text = subprocess.run(
        ["pdftotext", str(pipeline.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "13812345678" not in text
    assert "138****5678" in text  # the chat transcript shows what the picture shows
    assert ORDER_NO in text and "SF1234567890123" in text
    assert "隐私处理说明" in text and "电话号码 1 处" in text and "详细地址 2 处" in text
    for name in FILES:
        assert Path(name).stem not in text


def test_no_metadata_in_any_exported_image(pipeline: Pipeline, corpus: Path) -> None:
    original = (corpus / "photos/gps/DSCN0010.jpg").read_bytes()
    assert {"exif", "gps"} <= set(metadata_in(original))  # what there was to remove
    blobs = [
        (p.name, p.read_bytes()) for p in pipeline.pack.rglob("*") if p.suffix in (".jpg", ".png")
    ]
    reader = PdfReader(pipeline.pdf)
    blobs += [
        (f"pdf p{n} {im.name}", im.data)
        for n, page in enumerate(reader.pages)
        for im in page.images
    ]
    # every exhibit with a picture (chat, tracking table, photo, video keyframes) is in the
    # pack and the PDF at least once: the loop below must see all of them
    pack_images = [n for n, _ in blobs if not n.startswith("pdf ")]
    pictured = [f for f in FILES if not f.endswith(".mp4")]  # a video goes as a video file
    assert len(pack_images) >= len(pictured) and len(blobs) - len(pack_images) >= len(FILES)
    for name, data in blobs:
        assert metadata_in(data) == [], name
        assert exifread.process_file(io.BytesIO(data), details=False) == {}, name
        with Image.open(io.BytesIO(data)) as im:
            assert not im.getexif(), name
            assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"} & set(
                im.info
            ), name


def test_pdf_metadata_names_no_path_user_or_machine(pipeline: Pipeline) -> None:
    reader = PdfReader(pipeline.pdf)
    fields = " ".join(str(v) for v in (reader.metadata or {}).values())
    for secret in (str(pipeline.root), str(pipeline.out), str(Path.home()), socket.gethostname()):
        assert secret not in fields
    assert getpass.getuser() not in fields.replace("Evidence", "")
    assert "/Metadata" not in reader.trailer["/Root"]  # no XMP packet either
    raw = pipeline.pdf.read_bytes()
    assert str(pipeline.root).encode() not in raw and str(Path.home()).encode() not in raw


def test_names_are_exhibit_based_and_the_zip_says_originals_keep_metadata(
    pipeline: Pipeline, manifest: dict
) -> None:
    entries = [e for e in manifest["exhibits"] if e.get("sha256")]
    assert all(e["original_name"] is None for e in entries)
    assert {e["archive_name"] for e in entries} == {
        f"originals/{e['label'][:2]}{int(e['label'][2:]):03d}{Path(e['archive_name']).suffix}"
        for e in entries
    }
    assert manifest["privacy"]["redactions_by_reason"] == {"phone": 1, "address": 2}
    assert manifest["privacy"]["original_file_names"] == "withheld"
    listing = (pipeline.pack / "description.txt").read_text(encoding="utf-8")
    pack_names = " ".join(p.name for p in pipeline.pack.rglob("*"))
    with zipfile.ZipFile(pipeline.zip) as archive, Case.open(pipeline.root, writable=False) as case:
        names = " ".join(archive.namelist())
        readme = archive.read("README.txt").decode("utf-8")
        for item in case.items():  # the originals themselves stay byte-exact, metadata and all
            entry = next(e for e in entries if e["sha256"] == item.sha256)
            assert archive.read(entry["archive_name"]) == case.path_of(item).read_bytes()
    for name in FILES:
        stem = Path(name).stem
        assert stem not in names and stem not in listing and stem not in pack_names
        assert stem not in json.dumps(manifest, ensure_ascii=False)
    assert "仍然保留" in readme and "still carry their metadata" in readme
    assert "pixels only" in readme


def test_the_pack_has_a_privacy_page(pipeline: Pipeline) -> None:
    """By default (issue 18) the reviewer's slots hold evidence only: no cover, no summary page;
    the privacy notes are in the PDF. With a cover they come first: on their own page after the
    index, or on the one summary page with the cover and the index."""
    listing = json.loads((pipeline.pack / "pack.json").read_text(encoding="utf-8"))
    labels = [p["label"] for p in listing["pages"]]
    if not any(label in ("目录 Index", "封面与目录 Cover and index") for label in labels):
        assert all(label.startswith("证据") or "chat" in label.lower() for label in labels), labels
        text = subprocess.run(
            ["pdftotext", str(pipeline.pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "隐私处理说明" in text
        return
    if "隐私 Privacy" in labels:
        assert labels.index("隐私 Privacy") == labels.index("目录 Index") + 1
        return
    assert labels[0] == "封面与目录 Cover and index", labels
    engine = pytest.importorskip("app.evidence.ocr.engine")
    try:
        backend = engine.default_backend()
    except engine.OcrUnavailable as exc:
        pytest.skip(str(exc))
    summary = pipeline.pack / listing["pages"][0]["file"]
    text = engine.recognize(summary, backend=backend).text.replace(" ", "")
    assert "隐私" in text, text


def test_original_names_are_kept_when_the_user_opts_in(pipeline: Pipeline, tmp_path: Path) -> None:
    with Case.open(pipeline.root, writable=False) as case:
        result = export_case(case, zip_path=tmp_path / "named.zip", original_names=True)
    assert result.privacy is not None and not result.privacy.names_withheld
    with zipfile.ZipFile(tmp_path / "named.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = archive.namelist()
    assert any("DSCN0010" in n for n in names)
    assert "DSCN0010.jpg" in {e.get("original_name") for e in manifest["exhibits"]}
    assert result.privacy.regions == 3  # the regions are applied whatever the names
