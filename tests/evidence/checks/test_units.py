"""The building blocks: signature tables, quantization tables, thumbnails, ELA."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from app.evidence.checks import error_level_image
from app.evidence.checks.quant import estimate_quality, ijg_quality, ijg_tables
from app.evidence.checks.signatures import classify_program, match_video_tool
from app.evidence.checks.thumbnail import compare_thumbnail
from app.evidence.readers.image import read_image
from app.evidence.readers.jpeg import read_jpeg_structure
from app.evidence.readers.tiff_layout import exif_thumbnail


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("8.3", "os"),
        ("15.2.1", "os"),
        ("14.4.2", "os"),
        ("00WW_3_380_SP02", "os"),
        ("Ver.1.00", "os"),
        ("G973FXXU3ASG8", "os"),
        ("HDR+ 1.0.345618096zd", "os"),
        ("GIMP 2.4.5", "editor"),
        ("Adobe Photoshop CS2 Macintosh", "editor"),
        ("Adobe Photoshop Lightroom Classic 12.0 (Windows)", "editor"),
        ("Snapseed 2.0", "editor"),
        ("美图秀秀", "editor"),
        ("醒图", "editor"),
        ("PicsArt", "editor"),
        ("Canva", "editor"),
        ("Image::ExifTool 12.76", "metadata_tool"),
        ("WeChat", "chat_app"),
        ("Nikon Transfer 1.1 W", "vendor_transfer"),
        ("Snipaste", "screenshot_tool"),
        ("Midjourney", "ai_generator"),
        ("Some Camera Firmware X", "os"),
        ("Unheard Of Program", "unknown"),
    ],
)
def test_program_names(text: str, category: str) -> None:
    assert classify_program(text).category == category


def test_video_tool_table() -> None:
    assert match_video_tool("Lavf59.27.100", "encoder").category == "muxer"
    assert (
        match_video_tool("x264 - core 164 r3095 baee400", "library").category == "software_encoder"
    )
    assert match_video_tool("Lavc libx264", "compressor").category == "software_encoder"
    assert match_video_tool("LvMetaInfo", "key").category == "editor"
    assert match_video_tool("HandBrake 1.6.1 2023012300", "encoder").category == "software_encoder"
    assert match_video_tool("Core Media Video", "handler").category == "phone"
    assert match_video_tool("17.5.1", "value") is None
    assert match_video_tool("com.apple.quicktime.make", "key") is None


def test_ijg_tables_and_quality(corpus: Path, tmp_path: Path) -> None:
    assert ijg_quality(ijg_tables(75)) == 75
    nikon = read_image(corpus / "photos/gps/DSCN0040.jpg").quantization_tables
    gimp = read_image(corpus / "photos/edited/Canon_40D_photoshop_import.jpg").quantization_tables
    canon = read_image(corpus / "photos/originals/canon-ixus.jpg").quantization_tables
    assert (ijg_quality(nikon), ijg_quality(gimp), ijg_quality(canon)) == (95, 85, None)
    assert 90 <= estimate_quality(canon) <= 99  # Canon's own tables: no IJG quality, an estimate
    saved = tmp_path / "q62.jpg"
    Image.new("RGB", (32, 32)).save(saved, "JPEG", quality=62)
    assert ijg_quality(read_image(saved).quantization_tables or ()) == 62


def test_thumbnail_comparison_sees_edits(tmp_path: Path, corpus: Path) -> None:
    source = corpus / "photos/originals/canon-ixus.jpg"
    structure = read_jpeg_structure(source)
    assert structure is not None and structure.exif_tiff
    thumb = exif_thumbnail(structure.exif_tiff)
    assert thumb is not None
    same = compare_thumbnail(source, thumb)
    assert same.block_diff is not None and same.block_diff < 0.3
    im = Image.open(source)
    im.paste((0, 0, 0), (0, 0, im.width // 3, im.height // 3))
    edited = tmp_path / "edited.jpg"
    im.save(edited, exif=im.info["exif"])
    changed = compare_thumbnail(edited, thumb)
    assert changed.block_diff is not None and changed.block_diff > 1.0
    Image.open(source).crop((0, 0, im.width, im.height // 2)).save(edited)
    assert compare_thumbnail(edited, thumb).verdict == "shows_more"  # half the frame cut


def test_error_level_image(corpus: Path) -> None:
    ela = error_level_image(corpus / "photos/edited/Canon_40D.jpg")
    assert ela.mode == "RGB" and ela.size == (100, 68)
    assert max(high for _, high in ela.getextrema()) == 255
