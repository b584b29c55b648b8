"""Fills that leave nothing to recover; metadata stripped byte by byte, pixels untouched."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, PngImagePlugin

from app.evidence.export.images import jpeg_bytes, load_upright
from app.evidence.privacy.burn import FILL, burn
from app.evidence.privacy.metadata import metadata_in, strip_jpeg, strip_png
from app.evidence.privacy.model import Rect

SECRET = (255, 0, 0)


def test_a_region_is_filled_before_scaling_so_no_hidden_pixel_reaches_the_copy(
    tmp_path: Path,
) -> None:
    big = Image.new("RGB", (4000, 3000), (200, 200, 200))
    big.paste(SECRET, (1000, 1000, 1400, 1200))  # what must not survive, not even blended
    path = tmp_path / "big.png"
    big.save(path)
    rect = Rect(1000, 1000, 400, 200)
    copy = load_upright(path, 800, 800, [rect])
    pixels = np.asarray(copy).astype(int)
    assert copy.size == (800, 600)
    # no pixel anywhere is even slightly red: the fill happened at full size
    assert (pixels[..., 0] - pixels[..., 1]).max() < 8
    inside = pixels[202:238, 202:278]  # the region at 1/5 scale, 2 px in
    assert (inside == FILL).all()


def test_burn_clips_to_the_picture_and_counts_what_it_filled() -> None:
    im = Image.new("RGB", (100, 50), "white")
    assert burn(im, [(90, 40, 200, 200), (300, 300, 310, 310)]) == 1
    assert im.getpixel((99, 49)) == FILL and im.getpixel((89, 39)) == (255, 255, 255)


def test_jpeg_stripping_keeps_the_scan_byte_for_byte(corpus: Path) -> None:
    for name in ("photos/gps/DSCN0010.jpg", "photos/originals/canon-ixus.jpg"):
        data = (corpus / name).read_bytes()
        assert {"exif", "gps"} <= set(metadata_in(data))
        clean = strip_jpeg(data)
        assert metadata_in(clean) == []
        with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(clean)) as b:
            assert np.array_equal(np.asarray(a), np.asarray(b))
            assert not b.getexif()


def test_png_stripping_drops_text_exif_and_icc_chunks() -> None:
    im = Image.new("RGB", (20, 10), (10, 20, 30))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "张三")
    info.add_text("XML:com.adobe.xmp", "<x:xmpmeta/>")
    exif = Image.Exif()
    exif[0x010F] = "Maker"
    buffer = io.BytesIO()
    im.save(buffer, "PNG", pnginfo=info, exif=exif)
    data = buffer.getvalue()
    assert {"exif", "comments", "xmp"} <= set(metadata_in(data))
    clean = strip_png(data)
    assert metadata_in(clean) == [] and "张三".encode() not in clean
    with Image.open(io.BytesIO(clean)) as back:
        assert np.array_equal(np.asarray(back), np.asarray(im)) and not back.text


def test_export_jpegs_carry_nothing_but_pixels() -> None:
    im = Image.new("RGB", (16, 16), (1, 2, 3))
    im.info["exif"] = b"Exif\x00\x00II*\x00"
    im.info["icc_profile"] = b"x" * 20
    assert metadata_in(jpeg_bytes(im, 85)) == []
