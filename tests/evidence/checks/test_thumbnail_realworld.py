"""The EXIF thumbnail comparison on the classes real cameras and viewers produce (issue 16).

Every file is generated here: a textured scene, an EXIF block written byte by byte the way a
camera lays it out (IFD0 with Make/Model, the EXIF sub-IFD with DateTimeOriginal, IFD1 with
the JPEG thumbnail), and the picture saved after it. Originals must not be flagged, whatever
their thumbnail looks like (letterbox bars on a dark scene, dark picture content at the edge,
a centred 94 % or bordered view, a 4:3 thumbnail of a 3:2 frame, blocky text); a viewer's
lossless turn is a warning, never an edit; a crop or a content change stays an alert.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from app.evidence.checks import FileCheck, Verdict
from app.evidence.checks.model import Severity
from app.evidence.checks.run import check_file
from app.evidence.checks.thumbnail import compare_thumbnail, makernote_preview
from app.evidence.readers.jpeg import read_jpeg_structure
from app.evidence.readers.tiff_layout import exif_layout, exif_thumbnail

THUMB = (160, 120)
CODES = {
    "thumbnail_matches",
    "thumbnail_turned",
    "thumbnail_shows_more",
    "thumbnail_content_mismatch",
    "thumbnail_preview_mismatch",
}


# ------------------------------------------------------------------------------ generators


def scene(size: tuple[int, int], seed: int = 1, dark: bool = False) -> Image.Image:
    """A textured scene: smooth noise, shapes of many sizes and colours, a little grain."""
    rng = np.random.default_rng(seed)
    w, h = size
    coarse = rng.uniform(0, 1, (h // 40 + 2, w // 40 + 2, 3)).astype(np.float32)
    base = np.asarray(
        Image.fromarray((coarse * 255).astype(np.uint8)).resize(size, Image.Resampling.BICUBIC),
        dtype=np.float32,
    )
    im = Image.fromarray(base.astype(np.uint8))
    draw = ImageDraw.Draw(im)
    for _ in range(60):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = int(rng.integers(w // 60, w // 8))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        box = (x - r, y - r, x + r, y + r)
        if rng.random() < 0.5:
            draw.ellipse(box, fill=colour)
        else:
            draw.rectangle(box, fill=colour)
    im = im.filter(ImageFilter.GaussianBlur(w / 800))
    arr = np.asarray(im, dtype=np.float32) + rng.normal(0, 3, (h, w, 3))
    if dark:  # a night scene: mostly dark, a few lights, the lower-left edge near black
        arr = arr * 0.18
        yy, xx = np.mgrid[0:h, 0:w]
        arr *= np.clip((xx / w) * 2.0 + (1 - yy / h) * 0.5, 0.08, 1.0)[..., None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def jpeg_bytes(im: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def exif_block(thumbnail: bytes | None, makernote: bytes = b"", orientation: int = 0) -> bytes:
    """TIFF bytes (little-endian) as a camera lays them out: IFD0, EXIF IFD, IFD1, thumbnail."""
    make, model, when = b"Canon\x00", b"Canon PowerShot G7\x00", b"2025:06:12 19:31:05\x00"
    # IFD0: Make, Model, (Orientation), ExifIFD pointer
    ifd0_off = 8
    ifd0_entries = 4 if orientation else 3
    ifd0_size = 2 + 12 * ifd0_entries + 4
    data_off = ifd0_off + ifd0_size
    make_off, model_off = data_off, data_off + len(make)
    exif_off = model_off + len(model)
    exif_entries = 2 if makernote else 1
    exif_size = 2 + 12 * exif_entries + 4
    when_off = exif_off + exif_size
    note_off = when_off + len(when)
    ifd1_off = note_off + len(makernote)
    ifd1_size = 2 + 12 * 2 + 4
    thumb_off = ifd1_off + ifd1_size
    out = bytearray(b"II*\x00" + struct.pack("<L", ifd0_off))
    out += struct.pack("<H", ifd0_entries)
    out += struct.pack("<HHLL", 0x010F, 2, len(make), make_off)
    out += struct.pack("<HHLL", 0x0110, 2, len(model), model_off)
    if orientation:
        out += struct.pack("<HHLHH", 0x0112, 3, 1, orientation, 0)
    out += struct.pack("<HHLL", 0x8769, 4, 1, exif_off)
    out += struct.pack("<L", ifd1_off if thumbnail else 0)
    out += make + model
    out += struct.pack("<H", exif_entries)
    out += struct.pack("<HHLL", 0x9003, 2, len(when), when_off)
    if makernote:
        out += struct.pack("<HHLL", 0x927C, 7, len(makernote), note_off)
    out += struct.pack("<L", 0)
    out += when + makernote
    if thumbnail:
        out += struct.pack("<H", 2)
        out += struct.pack("<HHLL", 0x0201, 4, 1, thumb_off)
        out += struct.pack("<HHLL", 0x0202, 4, 1, len(thumbnail))
        out += struct.pack("<L", 0)
        out += thumbnail
    return bytes(out)


def camera_file(path: Path, picture: Image.Image, tiff: bytes, quality: int = 92) -> Path:
    """The picture saved with `tiff` as its EXIF block, EXIF first and no JFIF (as cameras)."""
    buf = io.BytesIO()
    picture.convert("RGB").save(buf, "JPEG", quality=quality, exif=b"Exif\x00\x00" + tiff)
    data = buf.getvalue()
    if data[2:4] == b"\xff\xe0":  # drop the JFIF segment Pillow writes first
        length = struct.unpack_from(">H", data, 4)[0]
        data = data[:2] + data[4 + length :]
    path.write_bytes(data)
    return path


def thumb_of(picture: Image.Image, quality: int = 85) -> bytes:
    return jpeg_bytes(picture.resize(THUMB, Image.Resampling.BOX), quality)


def letterboxed(picture: Image.Image, fill: int = 0) -> bytes:
    """A 160x120 thumbnail of a wider picture: the frame fitted in, bars above and below."""
    w, h = picture.size
    inner = (THUMB[0], round(THUMB[0] * h / w))
    canvas = Image.new("RGB", THUMB, (fill, fill, fill))
    canvas.paste(picture.resize(inner, Image.Resampling.BOX), (0, (THUMB[1] - inner[1]) // 2))
    return jpeg_bytes(canvas, 85)


def thumbnail_finding(check: FileCheck):  # noqa: ANN201
    found = [f for f in check.findings if f.code in CODES]
    assert len(found) == 1, [f.code for f in check.findings]
    return found[0]


def assert_not_flagged(path: Path) -> None:
    check = check_file(path)
    f = thumbnail_finding(check)
    assert (f.code, f.severity) == ("thumbnail_matches", Severity.INFO), f.params
    assert check.verdict == Verdict.CAMERA_ORIGINAL, [
        (x.code, x.severity.value) for x in check.findings
    ]


# ------------------------------------------------------------------------- originals pass


def test_dark_scene_with_letterbox_thumbnail_is_not_flagged(tmp_path: Path) -> None:
    picture = scene((1500, 1000), seed=2, dark=True)  # 3:2 night scene, 4:3 thumbnail with bars
    path = camera_file(tmp_path / "IMG_0001.jpg", picture, exif_block(letterboxed(picture)))
    assert_not_flagged(path)
    f = thumbnail_finding(check_file(path))
    assert f.params["bars"] is True  # the bars were found as bars, against the picture


def test_dark_edged_scene_with_full_thumbnail_is_not_flagged(tmp_path: Path) -> None:
    """Dark picture content at the thumbnail's edges is not a bar (the old check trimmed it)."""
    picture = scene((1200, 900), seed=3, dark=True)
    arr = np.asarray(picture, dtype=np.float32)
    arr[:, :220] *= 0.25  # a dark foreground along the left edge, still picture content
    arr[-150:] *= 0.3
    picture = Image.fromarray(arr.astype(np.uint8))
    path = camera_file(tmp_path / "IMG_0002.jpg", picture, exif_block(thumb_of(picture)))
    assert_not_flagged(path)


@pytest.mark.parametrize("quality", [40, 60])
def test_dark_room_with_a_low_quality_thumbnail_is_not_flagged(
    tmp_path: Path, quality: int
) -> None:
    """Little contrast and coarse JPEG colour: the noise must not count as a change."""
    picture = scene((1500, 1000), seed=4, dark=True)
    small = picture.resize((160, 107), Image.Resampling.BOX)
    path = camera_file(tmp_path / "IMG_0014.jpg", picture, exif_block(jpeg_bytes(small, quality)))
    assert_not_flagged(path)


def test_black_frame_is_not_flagged(tmp_path: Path) -> None:
    """A pocket shot: nothing to register by, nothing changed."""
    rng = np.random.default_rng(17)
    arr = np.clip(rng.normal(6, 1.5, (900, 1200, 3)), 0, 255).astype(np.uint8)
    picture = Image.fromarray(arr)
    path = camera_file(tmp_path / "IMG_0015.jpg", picture, exif_block(thumb_of(picture, 60)))
    assert_not_flagged(path)


def test_change_in_a_dark_scene_is_an_alert(tmp_path: Path) -> None:
    picture = scene((1500, 1000), seed=4, dark=True)
    tiff = exif_block(jpeg_bytes(picture.resize((160, 107), Image.Resampling.BOX), 60))
    changed = picture.copy()
    ImageDraw.Draw(changed).rectangle((700, 400, 1000, 650), fill=(70, 20, 20))  # a dim object
    f = thumbnail_finding(check_file(camera_file(tmp_path / "IMG_0016.jpg", changed, tiff)))
    assert (f.code, f.severity) == ("thumbnail_content_mismatch", Severity.ALERT), f.params


@pytest.mark.parametrize("share", [0.86, 0.90, 0.94, 0.96])
def test_centred_camera_view_is_not_flagged(tmp_path: Path, share: float) -> None:
    picture = scene((1024, 768), seed=4)
    w, h = picture.size
    mx, my = round(w * (1 - share) / 2), round(h * (1 - share) / 2)
    view = picture.crop((mx, my, w - mx, h - my))
    path = camera_file(tmp_path / "IMG_0003.jpg", picture, exif_block(thumb_of(view)))
    assert_not_flagged(path)
    f = thumbnail_finding(check_file(path))
    assert abs(f.params["field"] - share) < 0.02


def test_bordered_thumbnail_is_not_flagged(tmp_path: Path) -> None:
    """A grey frame around a slightly smaller picture, as some cameras draw it."""
    picture = scene((1024, 768), seed=5)
    canvas = Image.new("RGB", THUMB, (128, 128, 128))
    canvas.paste(picture.resize((148, 111), Image.Resampling.BOX), (6, 5))
    path = camera_file(tmp_path / "IMG_0004.jpg", picture, exif_block(jpeg_bytes(canvas, 85)))
    assert_not_flagged(path)


@pytest.mark.parametrize("how", ["sides_cut", "squashed"])
@pytest.mark.parametrize("frame", [(1500, 1000), (1600, 900), (2000, 900)])
def test_four_three_thumbnail_of_a_wider_frame_is_not_flagged(
    tmp_path: Path, how: str, frame: tuple[int, int]
) -> None:
    """3:2, 16:9 and 20:9 frames (cameras, phones) with a 4:3 thumbnail."""
    picture = scene(frame, seed=6)
    w, h = frame
    cut = round((w - h * 4 / 3) / 2)
    # the centre 4:3 of the frame, or the whole frame pressed into 4:3
    view = picture.crop((cut, 0, w - cut, h)) if how == "sides_cut" else picture
    path = camera_file(tmp_path / "IMG_0005.jpg", picture, exif_block(thumb_of(view)))
    assert_not_flagged(path)


def text_page(seed: int = 7) -> Image.Image:
    """A photographed page: 50 lines of dark words with letter gaps on off-white paper."""
    rng = np.random.default_rng(seed)
    paper = Image.new("RGB", (1600, 1200), (236, 232, 222))
    draw = ImageDraw.Draw(paper)
    for row in range(40, 1160, 22):
        x = 60
        while x < 1520:
            word = int(rng.integers(20, 120))
            draw.rectangle((x, row, x + word, row + 10), fill=(30, 30, 35))
            for k in range(x + 4, x + word, 9):  # gaps between letters
                draw.line((k, row, k, row + 10), fill=(236, 232, 222), width=2)
            x += word + int(rng.integers(14, 30))
    return paper


@pytest.mark.parametrize("scaler", ["decimated", "sharpened"])
def test_photographed_text_with_a_blocky_thumbnail_is_not_flagged(
    tmp_path: Path, scaler: str
) -> None:
    """Text turns into blocks and aliasing in a small, low-quality camera thumbnail.

    "decimated": a cheap scaler that picks every tenth pixel (the letters alias into
    patterns the picture does not show at that size); "sharpened": a filtered scaler
    followed by strong sharpening. Both at JPEG quality 20.
    """
    picture = text_page()
    if scaler == "decimated":
        small = picture.resize(THUMB, Image.Resampling.NEAREST)
    else:
        small = picture.resize(THUMB, Image.Resampling.BILINEAR).filter(
            ImageFilter.UnsharpMask(2, 150, 0)
        )
    tiff = exif_block(jpeg_bytes(small, 20))
    assert_not_flagged(camera_file(tmp_path / "IMG_0006.jpg", picture, tiff))


# ----------------------------------------------------------------- turned, cropped, changed


def test_lossless_rotation_by_a_viewer_is_a_warning_not_an_edit(tmp_path: Path) -> None:
    picture = scene((1200, 900), seed=8)
    tiff = exif_block(thumb_of(picture))
    turned = picture.transpose(Image.Transpose.ROTATE_270)  # 90 degrees clockwise
    check = check_file(camera_file(tmp_path / "IMG_0007.jpg", turned, tiff, quality=95))
    f = thumbnail_finding(check)
    assert (f.code, f.severity) == ("thumbnail_turned", Severity.WARNING)
    assert f.params["turn"] == "rot90"
    assert check.verdict not in (Verdict.EDITED, Verdict.CAMERA_ORIGINAL)


# EXIF orientation -> how the stored picture is turned back to upright (Pillow's exif_transpose)
_TO_UPRIGHT = {
    3: Image.Transpose.ROTATE_180,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    8: Image.Transpose.ROTATE_90,
}
_INVERSE = {Image.Transpose.ROTATE_270: Image.Transpose.ROTATE_90}


@pytest.mark.parametrize("orientation", [3, 5, 6, 8])
def test_camera_thumbnail_stored_upright_is_not_a_turn(tmp_path: Path, orientation: int) -> None:
    """The picture as the sensor saw it plus an orientation tag; the thumbnail already upright."""
    upright = scene((1200, 900), seed=16)
    to_upright = _TO_UPRIGHT[orientation]
    back = {Image.Transpose.ROTATE_90: Image.Transpose.ROTATE_270, **_INVERSE}.get(
        to_upright, to_upright
    )
    stored = upright.transpose(back)
    tiff = exif_block(thumb_of(upright), orientation=orientation)
    path = camera_file(tmp_path / "IMG_0013.jpg", stored, tiff)
    assert_not_flagged(path)
    f = thumbnail_finding(check_file(path))
    assert f.params["upright_thumbnail"] is True


@pytest.mark.parametrize("side", ["right", "bottom", "centre"])
def test_fifteen_percent_crop_with_the_old_thumbnail_is_an_alert(tmp_path: Path, side: str) -> None:
    picture = scene((1200, 900), seed=9)
    tiff = exif_block(thumb_of(picture))
    w, h = picture.size
    box = {
        "right": (0, 0, round(w * 0.85), h),
        "bottom": (0, 0, w, round(h * 0.85)),
        "centre": (round(w * 0.075), round(h * 0.075), w - round(w * 0.075), h - round(h * 0.075)),
    }[side]
    check = check_file(camera_file(tmp_path / "IMG_0008.jpg", picture.crop(box), tiff))
    f = thumbnail_finding(check)
    assert (f.code, f.severity) == ("thumbnail_shows_more", Severity.ALERT), f.params
    assert f.params["shows_more"] >= 0.07
    assert check.verdict != Verdict.CAMERA_ORIGINAL


def test_crop_of_a_dark_edge_is_still_an_alert(tmp_path: Path) -> None:
    """Cutting away dark (but not uniform) picture content is a crop, not a bar."""
    picture = scene((1500, 1000), seed=10, dark=True)
    tiff = exif_block(letterboxed(picture))
    check = check_file(
        camera_file(tmp_path / "IMG_0009.jpg", picture.crop((0, 0, 1500, 850)), tiff)
    )
    f = thumbnail_finding(check)
    assert (f.code, f.severity) == ("thumbnail_shows_more", Severity.ALERT), f.params


def test_content_change_is_an_alert(tmp_path: Path) -> None:
    picture = scene((1200, 900), seed=11)
    tiff = exif_block(thumb_of(picture))
    changed = picture.copy()
    changed.paste(picture.crop((0, 0, 300, 225)), (600, 450))  # copy-move
    ImageDraw.Draw(changed).rectangle((150, 500, 420, 760), fill=(120, 60, 50))
    check = check_file(camera_file(tmp_path / "IMG_0010.jpg", changed, tiff))
    f = thumbnail_finding(check)
    assert (f.code, f.severity) == ("thumbnail_content_mismatch", Severity.ALERT), f.params
    assert check.verdict != Verdict.CAMERA_ORIGINAL


def test_picture_turned_and_cropped_is_not_passed_as_a_turn(tmp_path: Path) -> None:
    picture = scene((1200, 900), seed=12)
    tiff = exif_block(thumb_of(picture))
    turned = picture.crop((0, 0, 1000, 900)).transpose(Image.Transpose.ROTATE_90)
    check = check_file(camera_file(tmp_path / "IMG_0011.jpg", turned, tiff))
    f = thumbnail_finding(check)
    assert f.severity == Severity.ALERT, (f.code, f.params)


# ------------------------------------------------------------------------ maker-note preview


def test_maker_note_preview_is_used_without_an_exif_thumbnail(tmp_path: Path) -> None:
    picture = scene((1280, 960), seed=13)
    note = b"SAMSUNG\x00" + jpeg_bytes(picture.resize((320, 240), Image.Resampling.BOX), 80)
    tiff = exif_block(None, makernote=note)
    original = camera_file(tmp_path / "SAM_0001.jpg", picture, tiff)
    structure = read_jpeg_structure(original)
    assert structure is not None and structure.exif_tiff
    assert exif_thumbnail(structure.exif_tiff) is None
    layout = exif_layout(structure.exif_tiff)
    assert layout is not None and layout.makernote_offset is not None
    preview = makernote_preview(structure.exif_tiff, layout.makernote_offset)
    assert preview is not None
    assert compare_thumbnail(original, preview, "makernote_preview").verdict == "match"
    f = thumbnail_finding(check_file(original))
    assert (f.code, f.params["source"]) == ("thumbnail_matches", "makernote_preview")
    # not measured on enough real files: a changed picture is a warning, not an alert
    changed = picture.copy()
    ImageDraw.Draw(changed).rectangle((400, 300, 800, 650), fill=(200, 30, 30))
    f = thumbnail_finding(check_file(camera_file(tmp_path / "SAM_0002.jpg", changed, tiff)))
    assert (f.code, f.severity) == ("thumbnail_preview_mismatch", Severity.WARNING)


def test_no_thumbnail_no_finding(tmp_path: Path) -> None:
    picture = scene((800, 600), seed=14)
    check = check_file(camera_file(tmp_path / "IMG_0012.jpg", picture, exif_block(None)))
    assert not [f for f in check.findings if f.code in CODES]


def mpo_with_preview(
    path: Path, picture: Image.Image, preview: Image.Image, typed: bool = True
) -> Path:
    """Picture + MPF image (Pillow's MPO writer; typed: the entry says "large thumbnail")."""
    picture.save(
        path,
        "MPO",
        save_all=True,
        append_images=[preview],
        exif=b"Exif\x00\x00" + exif_block(None),
        quality=90,
    )
    data = bytearray(path.read_bytes())
    tiff = data.find(b"MPF\x00") + 4
    end = "<" if data[tiff : tiff + 2] == b"II" else ">"
    ifd = tiff + struct.unpack_from(end + "L", data, tiff + 4)[0]
    for i in range(struct.unpack_from(end + "H", data, ifd)[0]):
        tag, _kind, _count, value = struct.unpack_from(end + "HHLL", data, ifd + 2 + 12 * i)
        if tag == 0xB002 and typed:  # MPEntry: the second image's type -> 0x010001 (VGA)
            struct.pack_into(end + "L", data, tiff + value + 16, 0x010001)
    path.write_bytes(bytes(data))
    return path


def test_mpf_preview_is_used_without_an_exif_thumbnail(tmp_path: Path) -> None:
    picture = scene((1280, 960), seed=15)
    preview = picture.resize((640, 480), Image.Resampling.BOX)
    f = thumbnail_finding(check_file(mpo_with_preview(tmp_path / "a.jpg", picture, preview)))
    assert (f.code, f.params["source"]) == ("thumbnail_matches", "mpf_preview")
    changed = picture.copy()
    ImageDraw.Draw(changed).rectangle((400, 300, 800, 650), fill=(200, 30, 30))
    f = thumbnail_finding(check_file(mpo_with_preview(tmp_path / "b.jpg", changed, preview)))
    assert (f.code, f.severity) == ("thumbnail_preview_mismatch", Severity.WARNING)
    # an untyped second image (a gain map, a second view) is not taken as a preview
    check = check_file(mpo_with_preview(tmp_path / "c.jpg", changed, preview, typed=False))
    assert not [f for f in check.findings if f.code in CODES]
