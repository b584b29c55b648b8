"""Thumbnails from what a file already holds: used only when as large as shown and of the
picture's aspect, turned by the picture's own orientation; otherwise a scaled decode.

Every file is generated here: a JPEG with a hand-built EXIF block (IFD0 orientation, IFD1 JPEG
thumbnail), a JPEG with an MPF large thumbnail (Pillow's MPO writer, the entry's type set to
"Large Thumbnail (VGA Equivalent)"), HEICs written by pillow-heif with and without a thumbnail.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Any

import pillow_heif
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageOps, ImageStat

from app.evidence.ingest.thumbnails import (
    SOURCE_DECODE,
    SOURCE_EXIF_THUMBNAIL,
    SOURCE_HEIF_THUMBNAIL,
    SOURCE_JPEG_DRAFT,
    SOURCE_MPF_PREVIEW,
    ThumbnailJob,
    make_thumbnails,
)

pillow_heif.register_heif_opener()

SAME = 6.0  # mean grey-level difference of two renderings of one picture (measured 1-3)


def picture(width: int, height: int) -> Image.Image:
    """An asymmetric picture: a wrong turn, mirror or crop shows as a large difference."""
    im = Image.new("RGB", (width, height), (40, 60, 200))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, width // 3, height), fill=(220, 40, 40))  # red on the left
    draw.rectangle((0, 0, width, height // 5), fill=(30, 200, 60))  # green on top
    draw.ellipse((width * 2 // 3, height // 2, width - 10, height - 10), fill=(250, 250, 250))
    return im


def jpeg_bytes(im: Image.Image, **params: object) -> bytes:
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90, **params)
    return out.getvalue()


Entry = tuple[int, int, int, bytes]  # tag, type, count, value (big-endian)


def _ifd(entries: list[Entry], start: int, next_ifd: int) -> bytes:
    """A big-endian IFD at offset `start`; values over 4 bytes follow it."""
    head, tail = struct.pack(">H", len(entries)), b""
    data_at = start + 2 + 12 * len(entries) + 4
    for tag, kind, count, value in sorted(entries):
        if len(value) <= 4:
            head += struct.pack(">HHL", tag, kind, count) + value.ljust(4, b"\x00")
        else:
            head += struct.pack(">HHLL", tag, kind, count, data_at + len(tail))
            tail += value + b"\x00" * (len(value) % 2)
    return head + struct.pack(">L", next_ifd) + tail


def _ascii(tag: int, text: str) -> Entry:
    value = text.encode() + b"\x00"
    return tag, 2, len(value), value


def exif_with_thumbnail(
    orientation: int,
    thumbnail: bytes,
    *,
    taken: str | None = None,
    saved: str | None = None,
    pixels: tuple[int, int] | None = None,
) -> bytes:
    """An APP1 EXIF payload as cameras write it: IFD0 (orientation, DateTime `saved`) ->
    Exif IFD (DateTimeOriginal `taken`, pixel dimensions) and IFD1 (a JPEG thumbnail)."""
    sub: list[Entry] = []
    if taken:
        sub.append(_ascii(0x9003, taken))
    if pixels:
        sub += [(0xA002, 4, 1, struct.pack(">L", pixels[0]))]
        sub += [(0xA003, 4, 1, struct.pack(">L", pixels[1]))]
    ifd0: list[Entry] = [(0x0112, 3, 1, struct.pack(">H", orientation))]
    if saved:
        ifd0.append(_ascii(0x0132, saved))
    if sub:
        ifd0.append((0x8769, 4, 1, b"\x00\x00\x00\x00"))  # the Exif IFD, placed below
    size0 = len(_ifd(ifd0, 8, 0))
    sub_at = 8 + size0
    if sub:
        ifd0[-1] = (0x8769, 4, 1, struct.pack(">L", sub_at))
    sub_block = _ifd(sub, sub_at, 0) if sub else b""
    ifd1_at = sub_at + len(sub_block)
    ifd1: list[Entry] = [
        (0x0103, 3, 1, struct.pack(">H", 6)),  # Compression: JPEG
        (0x0201, 4, 1, b""),  # JPEGInterchangeFormat, below
        (0x0202, 4, 1, struct.pack(">L", len(thumbnail))),  # ...Length
    ]
    thumb_at = ifd1_at + len(_ifd(ifd1, ifd1_at, 0))
    ifd1[1] = (0x0201, 4, 1, struct.pack(">L", thumb_at))
    tiff = b"MM\x00\x2a" + struct.pack(">L", 8) + _ifd(ifd0, 8, ifd1_at) + sub_block
    return b"Exif\x00\x00" + tiff + _ifd(ifd1, ifd1_at, 0) + thumbnail


def camera_jpeg(
    path: Path, main: Image.Image, orientation: int, thumbnail: Image.Image, **exif_tags: Any
) -> Path:
    """`main` stored as is with EXIF `orientation` and `thumbnail` as its EXIF thumbnail."""
    exif = exif_with_thumbnail(orientation, jpeg_bytes(thumbnail), **exif_tags)
    path.write_bytes(jpeg_bytes(main, exif=exif))
    return path


def mpf_jpeg(path: Path, main: Image.Image, preview: Image.Image) -> Path:
    """`main` with `preview` as an MPF large thumbnail (VGA class)."""
    out = io.BytesIO()
    main.save(out, "MPO", save_all=True, append_images=[preview], quality=90)
    data = bytearray(out.getvalue())
    tiff = data.index(b"MPF\x00") + 4
    assert data[tiff : tiff + 4] == b"II\x2a\x00"
    first = struct.unpack_from("<L", data, tiff + 4)[0]
    count = struct.unpack_from("<H", data, tiff + first)[0]
    for n in range(count):
        tag, _, _, value = struct.unpack_from("<HHLL", data, tiff + first + 2 + 12 * n)
        if tag == 0xB002:  # MP entries, 16 bytes each: the second is the preview
            struct.pack_into("<L", data, tiff + value + 16, 0x010001)
    path.write_bytes(bytes(data))
    with Image.open(path) as check:  # what the reader will see
        assert check.format == "MPO"
        entries = getattr(check, "mpinfo", {})[0xB002]
        assert entries[1]["Attribute"]["MPType"].startswith("Large Thumbnail")
    return path


def upright_reference(path: Path, max_px: int = 320) -> Image.Image:
    """The picture decoded in full, turned upright and shrunk: what any thumbnail must show."""
    with Image.open(path) as im:
        upright = ImageOps.exif_transpose(im.convert("RGB"))
    upright.thumbnail((max_px, max_px))
    return upright


def difference(a: Image.Image, b: Image.Image) -> float:
    a, b = a.convert("L"), b.convert("L").resize(a.size)
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]


def thumbnail(src: Path, tmp_path: Path, max_px: int = 320) -> tuple[Image.Image, str]:
    (result,) = make_thumbnails(
        [ThumbnailJob(src, tmp_path / f"{src.stem}.thumb.jpg", "photo", max_px)],
        processes=False,
    )
    assert result.error is None and result.path is not None and result.source is not None
    with Image.open(result.path) as im:
        im.load()
        return im, result.source


@pytest.mark.parametrize("orientation", [1, 6])
def test_a_good_exif_thumbnail_is_used_and_turned_like_the_picture(
    tmp_path: Path, orientation: int
) -> None:
    main = picture(1280, 960)
    src = camera_jpeg(tmp_path / "good.jpg", main, orientation, main.resize((320, 240)))
    im, source = thumbnail(src, tmp_path)
    assert source == SOURCE_EXIF_THUMBNAIL
    assert im.size == ((320, 240) if orientation == 1 else (240, 320))
    assert difference(im, upright_reference(src)) < SAME


def test_a_camera_exif_with_matching_times_and_size_keeps_its_thumbnail(tmp_path: Path) -> None:
    main = picture(1280, 960)
    when = "2025:06:12 19:03:11"
    src = camera_jpeg(
        tmp_path / "cam.jpg",
        main,
        1,
        main.resize((320, 240)),
        taken=when,
        saved=when,
        pixels=(1280, 960),
    )
    _, source = thumbnail(src, tmp_path)
    assert source == SOURCE_EXIF_THUMBNAIL


@pytest.mark.parametrize(
    "tags",
    [
        {"taken": "2025:06:12 19:03:11", "saved": "2025:06:14 08:00:02"},
        {"pixels": (4000, 3000)},
    ],
    ids=["saved-after-taken", "exif-of-another-size"],
)
def test_an_exif_thumbnail_of_an_edited_file_is_not_used(
    tmp_path: Path, tags: dict[str, Any]
) -> None:
    """Same aspect, large enough, but the EXIF says the pixels were saved again (or belong to
    a picture of another size): the thumbnail may show the picture before the edit."""
    main = picture(1280, 960)
    before_edit = Image.new("RGB", (320, 240), (0, 0, 0))
    src = camera_jpeg(tmp_path / "edited.jpg", main, 1, before_edit, **tags)
    im, source = thumbnail(src, tmp_path)
    assert source == SOURCE_JPEG_DRAFT
    assert difference(im, upright_reference(src)) < SAME


def test_an_exif_thumbnail_of_the_other_orientation_is_not_used(tmp_path: Path) -> None:
    """Stored upright while the picture is stored sideways (orientation 6): stale, not used."""
    main = picture(1280, 960)
    already_upright = ImageOps.exif_transpose(main.copy()).rotate(-90, expand=True)
    assert already_upright.size == (960, 1280)
    src = camera_jpeg(tmp_path / "turned.jpg", main, 6, already_upright.resize((480, 640)))
    im, source = thumbnail(src, tmp_path)
    assert source == SOURCE_JPEG_DRAFT
    assert im.size == (240, 320)
    assert difference(im, upright_reference(src)) < SAME


@pytest.mark.parametrize(
    "preview_size",
    [(480, 300), (480, 480), (160, 120)],
    ids=["cropped", "square", "too-small"],
)
def test_an_exif_thumbnail_of_another_aspect_or_too_small_is_not_used(
    tmp_path: Path, preview_size: tuple[int, int]
) -> None:
    main = picture(1280, 960)
    # a black preview: were it used, the thumbnail would be far from the picture
    src = camera_jpeg(tmp_path / "bad.jpg", main, 1, Image.new("RGB", preview_size))
    im, source = thumbnail(src, tmp_path)
    assert source == SOURCE_JPEG_DRAFT
    assert im.size == (320, 240)
    assert difference(im, upright_reference(src)) < SAME


def test_a_good_mpf_preview_is_used(tmp_path: Path) -> None:
    main = picture(1600, 1200)
    src = mpf_jpeg(tmp_path / "mpf.jpg", main, main.resize((640, 480)))
    im, source = thumbnail(src, tmp_path)
    assert source == SOURCE_MPF_PREVIEW
    assert im.size == (320, 240)
    assert difference(im, upright_reference(src)) < SAME


def test_an_mpf_preview_of_another_aspect_is_not_used(tmp_path: Path) -> None:
    main = picture(1600, 1200)
    src = mpf_jpeg(tmp_path / "mpf_wide.jpg", main, Image.new("RGB", (640, 360)))
    im, source = thumbnail(src, tmp_path)
    assert source == SOURCE_JPEG_DRAFT
    assert difference(im, upright_reference(src)) < SAME


def _heic(path: Path, im: Image.Image, thumbnails: list[int], orientation: int = 1) -> Path:
    exif = Image.Exif()
    exif[0x0112] = orientation
    im.save(path, format="HEIF", quality=70, thumbnails=thumbnails, exif=exif.tobytes())
    return path


def test_heic_thumbnail_item_is_used_when_as_large_as_shown(tmp_path: Path) -> None:
    src = _heic(tmp_path / "thumb.heic", picture(800, 600), [320])
    with Image.open(src) as im:
        assert im.info["thumbnails"] == [320]
    small, source = thumbnail(src, tmp_path)
    assert source == SOURCE_HEIF_THUMBNAIL
    assert small.size == (320, 240)
    assert difference(small, upright_reference(src)) < SAME
    # shown larger than the item: the picture is decoded instead
    large, source = thumbnail(src, tmp_path, max_px=480)
    assert source == SOURCE_DECODE and large.size == (480, 360)


def test_heic_without_a_thumbnail_item_is_decoded(tmp_path: Path) -> None:
    src = _heic(tmp_path / "plain.heic", picture(800, 600), [])
    im, source = thumbnail(src, tmp_path)
    assert source == SOURCE_DECODE
    assert difference(im, upright_reference(src)) < SAME


def test_heic_thumbnail_item_comes_out_upright(tmp_path: Path) -> None:
    """EXIF orientation 6 in a HEIC with a thumbnail item: the thumbnail is as upright as the
    picture (pillow-heif applies the HEIF transforms to both)."""
    src = _heic(tmp_path / "turned.heic", picture(800, 600), [320], orientation=6)
    im, source = thumbnail(src, tmp_path)
    assert source == SOURCE_HEIF_THUMBNAIL
    reference = upright_reference(src)
    assert im.size == reference.size
    assert difference(im, reference) < SAME
