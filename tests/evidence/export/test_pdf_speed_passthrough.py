"""The PDF's page images: a fitting JPEG goes in as its own coded picture with no metadata left;
a redacted one never does; a large one is drawn from a reduced decode at the same quality.

Everything is generated here (no shared corpus); the PDFs are read back with poppler's
pdfimages, the way a reviewer's tools would pull the pictures out.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms, ImageDraw

from app.evidence.export import export_case
from app.evidence.export.images import clean_jpeg, passthrough_jpeg, shrink
from app.evidence.ingest.importer import import_files
from app.evidence.privacy.metadata import metadata_in
from app.evidence.privacy.model import Rect
from app.evidence.privacy.store import add_redaction
from app.evidence.store.case import Case

needs_poppler = pytest.mark.skipif(shutil.which("pdfimages") is None, reason="poppler missing")
# in the pictures' own segments; the make and model are shown in the PDF's metadata table
SECRETS = (b"SECRET-COMMENT", b"SECRET-XMP", b"TRAILER-SECRET", b"Exif\x00\x00", b"ICC_PROFILE")


def busy_picture(size: tuple[int, int], seed: int = 1, noise: float = 18) -> Image.Image:
    """Detail a resampler can get wrong: noise, gradients, fine lines and blocks of colour."""
    rng = np.random.default_rng(seed)
    w, h = size
    x = np.linspace(0, 255, w)[None, :, None]
    y = np.linspace(0, 255, h)[:, None, None]
    base = np.concatenate([x + 0 * y, y + 0 * x, (x + y) / 2], axis=2)
    noisy = base + rng.normal(0, noise, (h, w, 3))
    picture = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(picture)
    for n in range(0, w, max(8, w // 60)):
        draw.line([(n, 0), (n + h // 3, h)], fill=(20, 20, 20), width=2)
    for n in range(12):
        x0, y0 = (n * 97) % (w - 80), (n * 61) % (h - 60)
        draw.rectangle([x0, y0, x0 + 70, y0 + 50], fill=((n * 40) % 256, 200, (n * 90) % 256))
    return picture


def phone_jpeg(path: Path, picture: Image.Image, orientation: int = 1) -> bytes:
    """A JPEG the way phones write one: EXIF with GPS, XMP, an sRGB profile, a comment and an
    MPF-style second picture (with its own EXIF) after the first one's end."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "PhoneModel"
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (31.0, 14.0, 5.0), "E", (121.0, 28.0, 9.0)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    picture.save(
        buffer,
        "JPEG",
        quality=90,
        exif=exif,
        icc_profile=srgb,
        comment=b"SECRET-COMMENT",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SECRET-XMP</x:xmpmeta>',
    )
    trailer = io.BytesIO()
    picture.resize((160, 120)).save(trailer, "JPEG", exif=exif, comment=b"TRAILER-SECRET")
    data = buffer.getvalue() + trailer.getvalue()
    path.write_bytes(data)
    return data


def export_one(tmp_path: Path, source: Path, rect: Rect | None = None) -> Path:
    """Import one photo into a fresh case (with a drawn region when given) and export the PDF."""
    with Case.create(tmp_path / "case", "passthrough") as case:
        report = import_files(case, [source])
        if rect is not None:
            item_id = report.results[0].item_id
            assert item_id is not None
            add_redaction(case, item_id, rect)
    pdf = tmp_path / "out.pdf"
    with Case.open(tmp_path / "case", writable=False) as case:
        export_case(case, pdf=pdf, clock=lambda: datetime(2025, 6, 14, 3, tzinfo=UTC))
    return pdf


def pdf_jpegs(pdf: Path, folder: Path) -> list[bytes]:
    """Every DCT-coded image in the PDF, byte for byte (poppler's pdfimages -all)."""
    folder.mkdir()
    subprocess.run(["pdfimages", "-all", str(pdf), str(folder / "img")], check=True)
    return [p.read_bytes() for p in sorted(folder.glob("img-*.jpg"))]


def pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("RGB")).astype(np.int16)


@needs_poppler
def test_a_fitting_jpeg_goes_in_as_its_own_picture_with_no_metadata(tmp_path: Path) -> None:
    source = tmp_path / "IMG_0001.jpg"
    original = phone_jpeg(source, busy_picture((1200, 900)))
    assert {"exif", "gps", "xmp", "icc", "comments"} <= set(metadata_in(original))
    pdf = export_one(tmp_path, source)
    raw = pdf.read_bytes()
    for secret in SECRETS:
        assert secret not in raw, secret
    (image,) = pdf_jpegs(pdf, tmp_path / "images")
    assert metadata_in(image) == []
    # the coded picture itself, untouched: no second JPEG generation
    assert image == clean_jpeg(original)
    assert image.endswith(b"\xff\xd9") and b"\xff\xd8" not in image[2:-2].split(b"\xff\xda")[0]
    with Image.open(io.BytesIO(original)) as im:
        reference = np.asarray(im.convert("RGB")).astype(np.int16)
    assert np.array_equal(pixels(image), reference)


@needs_poppler
def test_a_redacted_jpeg_is_never_passed_through(tmp_path: Path) -> None:
    source = tmp_path / "IMG_0002.jpg"
    original = phone_jpeg(source, busy_picture((1200, 900), seed=2))
    pdf = export_one(tmp_path, source, Rect(100, 100, 300, 200))
    raw = pdf.read_bytes()
    for secret in SECRETS:
        assert secret not in raw, secret
    (image,) = pdf_jpegs(pdf, tmp_path / "images")
    assert image != clean_jpeg(original) and metadata_in(image) == []
    inside = pixels(image)[104:296, 104:396]  # the region, 4 px in from its edges
    assert inside.max() <= 40 and inside.mean() <= 8


@needs_poppler
def test_a_large_jpeg_is_drawn_from_a_reduced_decode_at_the_same_quality(tmp_path: Path) -> None:
    source = tmp_path / "IMG_0003.jpg"
    picture = busy_picture((3264, 2448), seed=3)
    original = phone_jpeg(source, picture)
    pdf = export_one(tmp_path, source)
    assert b"Exif\x00\x00" not in pdf.read_bytes()
    (image,) = pdf_jpegs(pdf, tmp_path / "images")
    assert metadata_in(image) == []
    shown = pixels(image)
    height, width = shown.shape[:2]
    assert max(width, height) <= 1600 and width >= 1500
    # the reference: the full decode scaled straight to the same size with Lanczos; what an
    # export can at best show is that reference saved at the export's JPEG quality (85)
    with Image.open(io.BytesIO(original)) as im:
        scaled = im.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
    reference = np.asarray(scaled).astype(np.int16)
    best = io.BytesIO()
    scaled.save(best, "JPEG", quality=85, optimize=True)
    floor = np.abs(pixels(best.getvalue()) - reference)
    error = np.abs(shown - reference)
    # the reduced decode adds well under half of what the JPEG encoding alone costs
    assert error.mean() < floor.mean() * 1.4, (error.mean(), floor.mean())
    assert psnr(error) > psnr(floor) - 2, (psnr(error), psnr(floor))


def psnr(error: np.ndarray) -> float:
    return float(10 * np.log10(255**2 / float((error.astype(np.float64) ** 2).mean())))


def test_shrinking_a_full_size_decode_in_two_steps_matches_lanczos() -> None:
    # sensor-like grain: white noise as strong as the other tests' is no photograph, and on it
    # any two filters differ by more than a JPEG encoding does
    picture = busy_picture((4032, 3024), seed=4, noise=5)
    fast = np.asarray(shrink(picture, (1600, 1600))).astype(np.int16)
    scaled = picture.resize((1600, 1200), Image.Resampling.LANCZOS)
    direct = np.asarray(scaled).astype(np.int16)
    assert fast.shape == direct.shape
    # the steps differ from one Lanczos by about half of what saving its result as the
    # export's JPEG alone changes (on a real 12 MP HEIC: 1.4 grey levels against 2.7)
    saved = io.BytesIO()
    scaled.save(saved, "JPEG", quality=85)
    floor = np.abs(pixels(saved.getvalue()) - direct).mean()
    assert np.abs(fast - direct).mean() < 0.6 * floor


def test_clean_jpeg_keeps_progressive_and_restart_coded_pictures(tmp_path: Path) -> None:
    picture = busy_picture((640, 480), seed=5)
    for options in ({"progressive": True}, {"restart_marker_blocks": 4}, {}):
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=80, comment=b"SECRET-COMMENT", **options)
        data = buffer.getvalue()
        clean = clean_jpeg(data + b"TRAILER-SECRET")
        assert clean is not None and b"SECRET" not in clean, options
        assert np.array_equal(pixels(clean), pixels(data)), options


def test_clean_jpeg_refuses_what_it_cannot_strip_safely() -> None:
    buffer = io.BytesIO()
    Image.new("CMYK", (64, 64), (10, 20, 30, 40)).save(buffer, "JPEG")  # Adobe APP14
    assert clean_jpeg(buffer.getvalue()) is None
    buffer = io.BytesIO()
    busy_picture((200, 100)).save(buffer, "JPEG")
    data = buffer.getvalue()
    assert clean_jpeg(data[: len(data) // 2]) is None  # cut short: no end of picture
    assert clean_jpeg(b"not a jpeg") is None


def test_a_turned_or_oversized_jpeg_is_not_passed_through(tmp_path: Path) -> None:
    turned = tmp_path / "turned.jpg"
    phone_jpeg(turned, busy_picture((800, 600)), orientation=6)
    assert passthrough_jpeg(turned, 1600, 1600) is None
    big = tmp_path / "big.jpg"
    phone_jpeg(big, busy_picture((2000, 1500)))
    assert passthrough_jpeg(big, 1600, 1600) is None
    upright = tmp_path / "upright.jpg"
    phone_jpeg(upright, busy_picture((800, 600)))
    kept = passthrough_jpeg(upright, 1600, 1600)
    assert kept is not None and kept[1].size == (800, 600) and metadata_in(kept[0]) == []
