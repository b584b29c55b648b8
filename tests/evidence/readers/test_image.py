"""read_image on the corpus and phone files (their metadata as the phones wrote it), on generated
edge cases and on hostile bytes."""

from __future__ import annotations

import contextlib
import io
import struct
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from app.evidence.errors import (
    DamagedFile,
    DecompressionBomb,
    EmptyFile,
    InputError,
    UnreadableFile,
    UnsupportedFormat,
)
from app.evidence.models import MediaMetadata, TimeSource
from app.evidence.readers.image import read_image
from tests.conftest import CORPUS

HOSTILE = sorted((CORPUS / "hostile").glob("*")) if (CORPUS / "hostile").is_dir() else []
CORPUS_JPEGS = [
    "photos/originals/canon-ixus.jpg",
    "photos/originals/fujifilm-dx10.jpg",
    "photos/originals/sanyo-vpcsx550.jpg",
    "photos/edited/Canon_40D.jpg",
    "photos/gps/DSCN0010.jpg",
    "photos/no_exif/no_exif.jpg",
]


# --------------------------------------------------------------------------- camera originals


def test_iphone_13_heic_camera_and_time(phone: Path) -> None:
    meta = read_image(phone / "photos/originals/iphone_13_pro_max.heic")
    assert (meta.format, meta.mime) == ("heif", "image/heic")
    assert (meta.make, meta.model, meta.software) == ("Apple", "iPhone 13 Pro Max", "15.2.1")
    assert meta.datetime_original == "2022:02:16 12:55:41"
    assert (meta.exif_width, meta.exif_height) == (4032, 3024)
    # Stored landscape with orientation 6 (pillow-heif would report the rotated 3024x4032).
    assert (meta.width, meta.height, meta.orientation) == (4032, 3024, 6)
    assert meta.capture_time is not None
    assert meta.capture_time.isoformat() == "2022-02-16T12:55:41.762000+01:00"
    assert (meta.capture_time.source, meta.capture_time.confidence) == (TimeSource.EXIF, "high")
    assert meta.icc_profile == "Display P3"
    assert meta.raw["Orientation"] == "6"


def test_nokia_offset_is_kept(phone: Path) -> None:
    meta = read_image(phone / "photos/originals/hmd_nokia_8.3_5g.jpg")
    assert (meta.make, meta.model) == ("HMD Global", "Nokia 8.3 5G")
    assert meta.software == "00WW_3_380_SP02"
    assert meta.offset_time_original == "+03:00"
    assert meta.capture_time is not None
    assert meta.capture_time.isoformat().endswith("+03:00")
    assert meta.capture_time.utc() == datetime(2022, 8, 14, 11, 12, 31, tzinfo=UTC)
    assert meta.gps is not None and meta.gps.utc_time == datetime(
        2022, 8, 14, 11, 12, 32, tzinfo=UTC
    )
    assert meta.gps.latitude == pytest.approx(60.1467, abs=1e-3)
    assert meta.gps.longitude == pytest.approx(24.9068, abs=1e-3)


def test_iphone_6_thumbnail_and_gps_derived_zone(phone: Path) -> None:
    meta = read_image(phone / "photos/originals/iphone_6.jpg")
    assert meta.has_exif_thumbnail and meta.exif_thumbnail_size == (160, 120)
    assert meta.subsec_original == "016" and meta.offset_time_original is None
    ct = meta.capture_time
    assert ct is not None and ct.source is TimeSource.EXIF
    # No OffsetTimeOriginal, but the GPS clock sits 2 h (+1 s) behind the camera clock.
    assert ct.offset_minutes == 120 and ct.confidence == "medium" and "GPS" in ct.note
    assert ct.isoformat() == "2015-04-10T20:12:23.016000+02:00"
    assert meta.gps is not None and meta.gps.altitude_m == pytest.approx(639.59, abs=0.01)
    assert meta.gps.longitude < 0  # Ref W


def test_jolla_zone_from_xmp_copy_of_the_same_time(phone: Path) -> None:
    meta = read_image(phone / "photos/originals/jolla.jpg")
    assert meta.datetime_original == meta.datetime_modified == "2014:09:21 16:00:56"
    assert meta.capture_time is not None and meta.capture_time.offset_minutes == 120
    assert "XMP" in meta.capture_time.note


# -------------------------------------------------------------------------------- edited files


def test_cropped_heic_pixels_differ_from_exif_size(phone: Path) -> None:
    meta = read_image(phone / "photos/edited/iphone_11_pro_max_cropped.heic")
    assert (meta.width, meta.height) == (2566, 3313)
    assert (meta.exif_width, meta.exif_height) == (4032, 3024)
    assert meta.software == "14.4.2" and meta.orientation is None
    assert meta.capture_time is not None and meta.capture_time.isoformat().endswith("-05:00")
    assert meta.xmp is not None and meta.raw["XMP:xmp:CreatorTool"] == "14.4.2"


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("Canon_40D.jpg", "Canon"),
        ("Nikon_D70.jpg", "NIKON CORPORATION"),
        ("PaintTool_sample.jpg", None),
    ],
)
def test_gimp_software_tag(corpus: Path, name: str, make: str | None) -> None:
    meta = read_image(corpus / "photos/edited" / name)
    assert meta.software == "GIMP 2.4.5"
    assert meta.make == make


def test_exif_time_without_zone_is_never_utc(corpus: Path) -> None:
    meta = read_image(corpus / "photos/edited/Canon_40D.jpg")
    ct = meta.capture_time
    assert ct is not None and ct.local == datetime(2008, 5, 30, 15, 56, 1)
    assert ct.offset_minutes is None and ct.utc() is None
    assert (ct.confidence, ct.note) == ("medium", "no time zone in the file")


def test_photoshop_xmp_and_comment(corpus: Path) -> None:
    blue = read_image(corpus / "photos/edited/BlueSquare.jpg")
    assert blue.software == "Adobe Photoshop CS2 Macintosh"
    assert blue.raw["XMP:xmp:CreatorTool"] == "Adobe Photoshop CS2 Macintosh"
    assert blue.capture_time is not None and blue.capture_time.source is TimeSource.XMP
    assert blue.capture_time.isoformat() == "2005-09-07T15:07:40-07:00"
    assert blue.capture_time.confidence == "low"
    nikon = read_image(corpus / "photos/edited/Nikon_D70.jpg")
    assert nikon.jpeg_comment == "comment in GIMP 2.4.5"


@pytest.mark.parametrize("name", ["DSCN0010.jpg", "DSCN0021.jpg", "DSCN0040.jpg"])
def test_dscn_gps(corpus: Path, name: str) -> None:
    meta = read_image(corpus / "photos/gps" / name)
    assert meta.software == "Nikon Transfer 1.1 W"
    assert meta.gps is not None
    assert 43.4 < meta.gps.latitude < 43.5 and 11.8 < meta.gps.longitude < 11.95
    # The GPS clock is ~22 h away from the camera clock: no zone may be derived from it.
    assert meta.capture_time is not None and meta.capture_time.offset_minutes is None
    assert "GPS" in meta.capture_time.note


def test_no_exif_file_has_no_camera_metadata_but_xmp(corpus: Path) -> None:
    meta = read_image(corpus / "photos/no_exif/no_exif.jpg")
    assert meta.make is None and meta.model is None and meta.datetime_original is None
    assert meta.xmp is not None and "Adobe Photoshop CS5.1" in meta.xmp
    # The file does carry a Photoshop-written EXIF block (Software, DateTime), just no camera.
    assert meta.software == "Adobe Photoshop CC (Macintosh)"
    ct = meta.capture_time
    assert ct is not None and ct.source is TimeSource.XMP and ct.confidence == "low"
    assert ct.isoformat() == "2013-09-23T10:09:46+02:00"


@pytest.mark.parametrize("rel", CORPUS_JPEGS)
def test_quantization_tables_as_stored(corpus: Path, rel: str) -> None:
    meta = read_image(corpus / rel)
    assert meta.quantization_tables == _dqt_tables((corpus / rel).read_bytes())


def test_orientation_and_stored_size(corpus: Path) -> None:
    meta = read_image(corpus / "photos/orientation/landscape_6.jpg")
    assert (meta.orientation, meta.width, meta.height) == (6, 450, 600)


# ------------------------------------------------------------------------------------------ PNG


@pytest.mark.parametrize("name", ["chat_part1.png", "chat_part2.png"])
def test_chat_screenshot_png_chunks(corpus: Path, name: str) -> None:
    meta = read_image(corpus / "synthetic/screenshots" / name)
    assert (meta.format, meta.width, meta.height) == ("png", 1080, 2340)
    assert meta.png_chunks == ("IHDR", "IDAT", "IDAT", "IEND")
    assert meta.png_text == {} and not meta.has_exif and meta.capture_time is None
    assert meta.warnings == ()


def test_png_text_exif_and_creation_time(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0131] = "Screenshot"
    info = PngImagePlugin.PngInfo()
    info.add_text("Creation Time", "2025-06-12T19:31:00+08:00")
    info.add_text("Comment", "聊天记录", zip=True)
    path = tmp_path / "shot.png"
    Image.new("RGB", (40, 80), "white").save(path, pnginfo=info, exif=exif.tobytes())
    meta = read_image(path)
    assert meta.png_text["Creation Time"] == "2025-06-12T19:31:00+08:00"
    assert meta.png_text["Comment"] == ""  # a person's words: kept from every output
    assert meta.software == "Screenshot" and meta.has_exif
    # Non-Latin-1 text goes into a compressed iTXt chunk; order is as written.
    assert meta.png_chunks == ("IHDR", "tEXt", "iTXt", "eXIf", "IDAT", "IEND")
    ct = meta.capture_time
    assert ct is not None and ct.source is TimeSource.PNG_TEXT and ct.confidence == "low"
    assert ct.isoformat() == "2025-06-12T19:31:00+08:00"


def test_truncated_png_is_reported(corpus_copy) -> None:
    path = corpus_copy("synthetic/screenshots/chat_part1.png")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    meta = read_image(path)
    assert meta.png_chunks[:2] == ("IHDR", "IDAT")
    assert any("cut short" in w for w in meta.warnings)


# ------------------------------------------------------------------------ damage and refusals


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(EmptyFile):
        read_image(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile):
        read_image(tmp_path / "gone.jpg")


def test_truncated_jpeg_keeps_headers_and_warns(corpus_copy) -> None:
    path = corpus_copy("photos/originals/canon-ixus.jpg")
    data = path.read_bytes()
    # Cut inside the picture data, far enough from the EXIF thumbnail's end marker (the reader
    # looks for one in the last 64 KB).
    path.write_bytes(data[: int(len(data) * 0.9)])
    meta = read_image(path)
    assert meta.model == "Canon DIGITAL IXUS"  # the headers survive
    assert any("cut short" in w for w in meta.warnings)


def test_random_bytes_named_jpg(tmp_path: Path) -> None:
    path = tmp_path / "random.jpg"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(UnsupportedFormat):
        read_image(path)


def test_text_file_renamed_jpg(tmp_path: Path) -> None:
    path = tmp_path / "note.jpg"
    path.write_text("顺丰 SF1234567890123 已签收\n", encoding="utf-8")
    with pytest.raises(UnsupportedFormat):
        read_image(path)


def test_jpeg_with_damaged_header(tmp_path: Path) -> None:
    path = tmp_path / "broken.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64)
    with pytest.raises(DamagedFile):
        read_image(path)


def test_png_declaring_65535_square_is_a_bomb(tmp_path: Path) -> None:
    ihdr = struct.pack(">IIBBBBB", 65535, 65535, 8, 2, 0, 0, 0)
    path = tmp_path / "bomb.png"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", zlib.compress(b""))
    )
    with pytest.raises(DecompressionBomb):
        read_image(path)


def test_malformed_xmp_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "xmp.jpg"
    broken = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmp:CreateDate="2024-01-02T03:04:05'
    Image.new("RGB", (16, 16)).save(path, xmp=broken)
    meta = read_image(path)
    assert meta.xmp is not None and "CreateDate" in meta.xmp
    assert any("XMP" in w and "malformed" in w for w in meta.warnings)


def test_damaged_exif_sections_are_warnings(corpus: Path) -> None:
    gps_ifd = read_image(corpus / "hostile/45-gps_ifd.jpg")
    assert gps_ifd.model == "Gran Turismo 5"
    assert any("could not be read" in w for w in gps_ifd.warnings)
    broken_thumb = read_image(corpus / "hostile/87_OSError.jpg")
    assert not broken_thumb.has_exif_thumbnail
    assert any("thumbnail" in w for w in broken_thumb.warnings)
    bad_pointer = read_image(corpus / "hostile/30-type_error.jpg")
    assert any("malformed" in w for w in bad_pointer.warnings)


def test_gps_clock_reveals_half_hour_zone(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2024:01:01 17:30:05"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (28.0, 36.0, 0.0), 3: "E", 4: (77.0, 12.0, 0.0)})
    gps.update({29: "2024:01:01", 7: (12.0, 0.0, 3.0)})
    path = tmp_path / "delhi.jpg"
    Image.new("RGB", (16, 16)).save(path, exif=exif.tobytes())
    ct = read_image(path).capture_time
    assert ct is not None and ct.offset_minutes == 330  # India, +05:30
    assert ct.utc() == datetime(2024, 1, 1, 12, 0, 5, tzinfo=UTC)


def test_raw_is_bounded_text(corpus: Path) -> None:
    meta = read_image(corpus / "photos/originals/canon-ixus.jpg")
    assert meta.raw["Make"] == "Canon"
    assert meta.raw["MakerNote"].startswith("hex:")
    assert meta.raw["IFD1:Compression"] == "6"
    assert len(meta.raw) <= 600 and all(len(v) <= 300 for v in meta.raw.values())
    assert read_image(corpus / "photos/gps/DSCN0010.jpg").raw["GPSLatitudeRef"] == "N"


@pytest.mark.parametrize("path", HOSTILE, ids=[p.name for p in HOSTILE])
def test_hostile_files_return_or_raise_input_error(path: Path) -> None:
    started = time.monotonic()
    try:
        result = read_image(path)
    except InputError:
        result = None
    assert result is None or isinstance(result, MediaMetadata)
    assert time.monotonic() - started < 10  # a hang guard, not a speed benchmark


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_headers_never_escape(data: st.DataObject, tmp_path_factory) -> None:
    source = CORPUS / "photos/edited/Canon_40D.jpg"
    if not source.is_file():
        pytest.skip("corpus not found")
    original = bytearray(source.read_bytes()[:4096])
    for _ in range(data.draw(st.integers(1, 12))):
        pos = data.draw(st.integers(2, len(original) - 1))
        original[pos] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(16, len(original)))
    path = tmp_path_factory.mktemp("fuzz") / "mutated.jpg"
    path.write_bytes(bytes(original[:cut]))
    with contextlib.suppress(InputError):
        read_image(path)


# ------------------------------------------------------------------------------------ helpers


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _dqt_tables(data: bytes) -> tuple[tuple[int, ...], ...]:
    """Quantization tables straight from the DQT segments, in stored (zigzag) order."""
    tables: dict[int, tuple[int, ...]] = {}
    pos = 2
    stream = io.BytesIO(data)
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        (length,) = struct.unpack_from(">H", data, pos + 2)
        if marker == 0xDA:
            break
        if marker == 0xDB:
            stream.seek(pos + 4)
            body = stream.read(length - 2)
            while body:
                precision, table_id = body[0] >> 4, body[0] & 15
                size = 64 * (2 if precision else 1)
                raw = body[1 : 1 + size]
                values = struct.unpack(f">{64}{'H' if precision else 'B'}", raw)
                tables[table_id] = tuple(values)
                body = body[1 + size :]
        pos += 2 + length
    return tuple(tables[k] for k in sorted(tables))
