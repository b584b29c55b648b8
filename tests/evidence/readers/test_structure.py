"""Structure readers the integrity checks rely on: JPEG markers, EXIF layout, XMP, MP4 boxes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

from app.evidence.readers.jpeg import image_data_hash, read_jpeg_structure
from app.evidence.readers.mp4box import read_mp4_structure
from app.evidence.readers.tiff_layout import exif_layout, exif_thumbnail, ifd0_size
from app.evidence.readers.xmp import parse_xmp_details

CANON = "photos/originals/canon-ixus.jpg"
NOKIA = "photos/originals/hmd_nokia_8.3_5g.jpg"  # in `phone`: its own head, a small scan


def test_jpeg_marker_inventory(corpus: Path) -> None:
    canon = read_jpeg_structure(corpus / CANON)
    assert canon is not None
    assert (canon.app_order(), canon.skeleton()) == ("exif", "DQT2 SOF0 DHT4 SOS")
    assert canon.exif_blocks == 1 and canon.after_eoi == 0 and not canon.libjpeg_layout()
    blue = read_jpeg_structure(corpus / "photos/edited/BlueSquare.jpg")
    assert blue is not None and 0x0406 in blue.photoshop_resources
    assert blue.photoshop_quality == 0
    assert read_jpeg_structure(corpus / "synthetic/screenshots/chat_part1.png") is None


def test_data_after_the_picture_and_pillow_layout(tmp_path: Path, corpus: Path) -> None:
    data = (corpus / CANON).read_bytes()
    appended = tmp_path / "appended.jpg"
    appended.write_bytes(data + data[:5000])
    structure = read_jpeg_structure(appended)
    assert structure is not None and (structure.after_eoi, structure.trailer) == (5000, "jpeg")
    resaved = tmp_path / "resaved.jpg"
    Image.open(corpus / CANON).save(resaved, exif=Image.open(corpus / CANON).info["exif"])
    pillow = read_jpeg_structure(resaved)
    assert pillow is not None and pillow.app_order() == "jfif_first" and pillow.libjpeg_layout()
    assert image_data_hash(corpus / CANON) != image_data_hash(resaved)


def test_scan_hash_ignores_metadata(tmp_path: Path, corpus: Path) -> None:
    data = (corpus / CANON).read_bytes()
    renamed = tmp_path / "other.jpg"
    renamed.write_bytes(data.replace(b"Canon DIGITAL IXUS", b"Canon DIGITAL IXUZ", 1))
    assert image_data_hash(renamed) == image_data_hash(corpus / CANON)


def test_exif_layout(corpus: Path) -> None:
    canon = read_jpeg_structure(corpus / CANON)
    assert canon is not None and canon.exif_tiff
    layout = exif_layout(canon.exif_tiff)
    assert layout is not None
    assert layout.order() == "IFD0,ExifIFD,MakerNote,Interop,IFD1,Thumbnail"
    assert layout.unsorted_ifds() == []
    thumb = exif_thumbnail(canon.exif_tiff, layout)
    assert thumb is not None and thumb[:2] == b"\xff\xd8"
    no_exif = read_jpeg_structure(corpus / "photos/no_exif/no_exif.jpg")
    assert no_exif is not None and no_exif.exif_tiff
    assert ifd0_size(no_exif.exif_tiff) == (4134, 5906)
    assert exif_layout(b"II*\x00\xff\xff\xff\xff") is not None  # pointer out of range: empty
    assert exif_layout(b"garbage") is None


def test_qualcomm_phone_layout(phone: Path) -> None:
    nokia = read_jpeg_structure(phone / NOKIA)
    assert nokia is not None and nokia.app_order() == "exif_first" and nokia.libjpeg_layout()
    assert nokia.exif_tiff
    layout = exif_layout(nokia.exif_tiff)
    assert layout is not None and layout.unsorted_ifds() == ["IFD0", "ExifIFD", "GPS"]


def test_xmp_details(corpus: Path) -> None:
    from app.evidence.readers.image import read_image

    meta = read_image(corpus / "photos/no_exif/no_exif.jpg")
    details = parse_xmp_details(meta.xmp or "")
    assert details.get("xmp:CreatorTool") == "Adobe Photoshop CS5.1 Macintosh"
    assert len(details.history) > 10 and details.history[0].action == "created"
    assert details.derived_from and details.ancestors > 100
    cut = '<x:xmpmeta><rdf:RDF xap:CreatorTool="GIMP 2.10" stEvt:action="saved"'
    broken = parse_xmp_details(cut)
    assert broken.malformed and broken.get("xmp:CreatorTool") == "GIMP 2.10"
    assert broken.history[0].action == "saved"
    dtd = parse_xmp_details('<!DOCTYPE x [<!ENTITY a "b">]><x/>')
    assert dtd.malformed


def test_mp4_boxes(corpus: Path) -> None:
    android = read_mp4_structure(corpus / "synthetic/videos/packing_android_sf.mp4")
    assert android.created == datetime(2025, 6, 9, 2, 15, 7, tzinfo=UTC)
    assert android.keys["com.android.version"] == "14"
    track = android.video_track()
    assert track is not None and track.handler_name == "VideoHandle"
    assert track.media_seconds == 10.0 and track.edits[0].media_time == 1024
    trimmed = read_mp4_structure(corpus / "synthetic/videos/unboxing_trimmed_copy.mov")
    assert trimmed.created is None and trimmed.tags == {"©swr": "Lavf59.27.100"}
    t = trimmed.video_track()
    assert t is not None and round(t.media_seconds or 0, 1) == 7.1
    assert t.edits[0].media_time / (t.media_timescale or 1) > 3
    lavf = read_mp4_structure(corpus / "synthetic/videos/packing_reencoded_lavf.mp4")
    assert lavf.tags["©too"].startswith("Lavf")
    lavf_track = lavf.video_track()
    assert lavf_track is not None and lavf_track.compressor == "Lavc59.37.100 libx264"
