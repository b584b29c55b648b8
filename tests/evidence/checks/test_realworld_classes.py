"""Issue 16: the classes of real phone and camera files that were misjudged, as generated files.

Each test writes a small file the way the device or program writes it (no ../shared needed) and
checks the verdict and the finding that explains it. The last tests hold the verdict rule: only
alert codes in edit_deciders.py may decide `edited`, and every alert a photo check can raise is
listed there.
"""

from __future__ import annotations

import ast
import io
import struct
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageDraw
from PIL.TiffImagePlugin import IFDRational

from app.evidence.checks import FileCheck, Verdict
from app.evidence.checks.edit_deciders import EDIT_DECIDERS, VIDEO_ALERTS
from app.evidence.checks.model import Severity
from app.evidence.checks.run import check_file
from app.evidence.checks.texts import finding
from app.evidence.checks.verdict import PROGRAM_CODE, PROGRAM_SEVERITY, decide_verdict
from app.evidence.models import ItemKind
from app.evidence.readers.capture_time import date_problem, parse_exif_datetime
from tests.evidence.checks import exifbytes

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DTO, DTD, MODIFY = 0x9003, 0x9004, 0x0132
MAKER_NOTE = 0x927C
POINTER = b"\xde\xad\xbe\xef"  # replaced by the preview's offset


def _picture(size: tuple[int, int] = (640, 480)) -> Image.Image:
    im = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(im)
    w, h = size
    draw.ellipse((w // 4, h // 4, w // 2, h // 2), fill=(200, 60, 30))
    draw.rectangle((w // 2, h // 3, w - 20, h - 40), fill=(20, 90, 160))
    return im


def _exif(
    make: str | None = "SANYO Electric Co.,Ltd.",
    model: str | None = "VPC-T1060",
    dto: str | None = "2024:05:06 10:11:12",
    dtd: str | None = None,
    modify: str | None = None,
    size: tuple[int, int] = (640, 480),
    maker_note: bytes | None = b"SANYO\x00\x01\x00" + bytes(24),
    offset: str | None = None,
    gps: tuple[str, tuple[int, int, int]] | None = None,
) -> Image.Exif:
    exif = Image.Exif()
    if make:
        exif[0x010F] = make
    if model:
        exif[0x0110] = model
    if modify is not None or dto is not None:
        exif[MODIFY] = modify if modify is not None else dto
    sub = exif.get_ifd(EXIF_IFD)
    if dto is not None:
        sub[DTO] = dto
        sub[DTD] = dtd if dtd is not None else dto
    if offset:
        sub[0x9011] = offset
    sub[0x829A] = IFDRational(1, 120)  # ExposureTime
    sub[0x829D] = IFDRational(28, 10)  # FNumber
    sub[0x8827] = 100  # ISO
    sub[0xA002], sub[0xA003] = size
    if maker_note is not None:
        sub[MAKER_NOTE] = maker_note
    if gps is not None:
        day, (hh, mm, ss) = gps
        g = exif.get_ifd(GPS_IFD)
        g[1], g[2] = "N", (IFDRational(31, 1), IFDRational(14, 1), IFDRational(0, 1))
        g[3], g[4] = "E", (IFDRational(121, 1), IFDRational(28, 1), IFDRational(0, 1))
        g[7] = (IFDRational(hh, 1), IFDRational(mm, 1), IFDRational(ss, 1))
        g[29] = day
    return exif


def _drop_jfif(data: bytes) -> bytes:
    """Remove Pillow's APP0 JFIF segment: cameras write the EXIF block alone."""
    for marker, start, end in exifbytes.segments(data):
        if marker == 0xE0:
            return data[:start] + data[end:]
    return data


def camera_jpeg(path: Path, quality: int = 92, jfif: bool = False, **kw: object) -> bytes:
    """A JPEG laid out as a camera writes it: EXIF first, no JFIF, exposure tags, maker note."""
    size = kw.pop("pixels", (640, 480))
    buf = io.BytesIO()
    _picture(size).save(buf, "JPEG", quality=quality, exif=_exif(**kw).tobytes())  # type: ignore[arg-type]
    data = buf.getvalue() if jfif else _drop_jfif(buf.getvalue())
    path.write_bytes(data)
    return data


def _codes(check: FileCheck, severity: Severity | None = None) -> set[str]:
    return {f.code for f in check.findings if severity is None or f.severity == severity}


def _one(check: FileCheck, code: str):  # noqa: ANN202
    found = [f for f in check.findings if f.code == code]
    assert found, (code, [(f.code, f.severity.value) for f in check.findings])
    return found[0]


# ----------------------------------------------------------------------------- dates


def test_plain_camera_file_is_original(tmp_path: Path) -> None:
    """The generator's baseline: without any of the classes below, the file is an original."""
    path = tmp_path / "DSC00001.JPG"
    camera_jpeg(path)
    check = check_file(path)
    assert check.verdict == Verdict.CAMERA_ORIGINAL, [
        (f.code, f.severity.value) for f in check.findings
    ]


def test_android_placeholder_create_date_is_no_date(tmp_path: Path) -> None:
    path = tmp_path / "IMG_20240506_101112.jpg"
    camera_jpeg(path, make="Fairphone", model="FP2", dtd="2002:12:08 12:00:00")
    check = check_file(path)
    assert "dates_disagree" not in _codes(check)
    note = _one(check, "date_not_a_moment")
    assert note.severity == Severity.INFO
    assert note.params["kind"] == "placeholder" and note.params["tags"] == ["CreateDate"]
    assert check.capture_time is not None and check.capture_time.local.year == 2024
    assert check.verdict == Verdict.CAMERA_ORIGINAL


def test_blank_date_string_is_no_date(tmp_path: Path) -> None:
    path = tmp_path / "blank.jpg"
    camera_jpeg(path, dto="    :  :     :  :  ")
    check = check_file(path)
    assert check.capture_time is None
    assert _one(check, "date_not_a_moment").params["kind"] == "blank"
    # a camera that did not know the time is still a camera (exposure tags, maker note)
    assert check.verdict == Verdict.CAMERA_ORIGINAL


def test_year_one_date_is_no_date_and_no_crash(tmp_path: Path) -> None:
    path = tmp_path / "dotnet.jpg"
    camera_jpeg(path, dto="0001:01:01 00:00:00")
    check = check_file(path)
    assert check.capture_time is None
    assert _one(check, "date_not_a_moment").params["kind"] == "out_of_range"
    assert check.verdict != Verdict.EDITED


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("2002:12:08 12:00:00", "placeholder"),
        ("2000:01:01 00:00:00", "placeholder"),
        ("1970:01:01 00:00:00", "placeholder"),
        ("2004:01:01 00:00:00", "placeholder"),
        ("0000:00:00 00:00:00", "blank"),
        ("    :  :     :  :  ", "blank"),
        ("0001:01:01 00:00:00", "out_of_range"),
        ("2199:06:01 10:00:00", "out_of_range"),
    ],
)
def test_known_non_dates(text: str, kind: str) -> None:
    problem = date_problem(text)
    assert problem is not None and problem[0] == kind
    assert parse_exif_datetime(text, "DateTimeOriginal", []) is None


def test_real_dates_stay_dates() -> None:
    for text in ("2024:05:06 10:11:12", "2002:12:08 12:00:01", "1999:01:01 00:00:01"):
        assert date_problem(text) is None
        assert parse_exif_datetime(text, "DateTimeOriginal", []) is not None


def test_stale_gps_fix_a_day_off_is_context_only(tmp_path: Path) -> None:
    """The GPS time is the last fix's: a day and an hour early never marks the file."""
    path = tmp_path / "stale_gps.jpg"
    camera_jpeg(path, offset="+08:00", gps=("2024:05:05", (1, 2, 3)))
    check = check_file(path)
    gps = [f for f in check.findings if f.code.startswith("gps_")]
    assert gps and all(f.severity == Severity.INFO for f in gps)
    assert check.verdict == Verdict.CAMERA_ORIGINAL


def test_gps_fix_hours_before_the_shot_is_context_only(tmp_path: Path) -> None:
    path = tmp_path / "gps_hours.jpg"
    # the shot is 02:11:12 UTC; the last fix 5 h earlier
    camera_jpeg(path, offset="+08:00", gps=("2024:05:05", (21, 11, 0)))
    check = check_file(path)
    assert _one(check, "gps_time_mismatch").severity == Severity.INFO
    assert check.verdict == Verdict.CAMERA_ORIGINAL


def test_gps_fix_after_the_shot_is_a_warning_never_edited(tmp_path: Path) -> None:
    path = tmp_path / "gps_after.jpg"
    camera_jpeg(path, offset="+08:00", gps=("2024:05:06", (19, 40, 0)))  # 17 h after the shot
    check = check_file(path)
    assert _one(check, "gps_time_mismatch").severity == Severity.WARNING
    assert check.verdict == Verdict.RECOMPRESSED


# ------------------------------------------------------------------------ compression


def test_oem_camera_with_ijg_tables_is_original(tmp_path: Path) -> None:
    """An Olympus-branded compact built by another maker: IJG tables at q95, EXIF alone."""
    path = tmp_path / "P1010001.JPG"
    camera_jpeg(path, quality=95, make="OLYMPUS IMAGING CORP.", model="FE-230")
    check = check_file(path)
    assert _one(check, "quant_software_for_maker").severity == Severity.INFO
    assert check.verdict == Verdict.CAMERA_ORIGINAL


def test_ijg_tables_with_jfif_first_count_as_resave(tmp_path: Path) -> None:
    path = tmp_path / "resaved.jpg"
    camera_jpeg(path, quality=95, jfif=True, make="OLYMPUS IMAGING CORP.", model="FE-230")
    check = check_file(path)
    assert _one(check, "quant_software_for_maker").severity == Severity.WARNING
    assert check.verdict == Verdict.RECOMPRESSED


# ---------------------------------------------------------------------- after the EOI


def _preview(size: tuple[int, int] = (320, 240)) -> bytes:
    buf = io.BytesIO()
    _picture(size).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def test_maker_note_preview_after_eoi_is_a_camera_feature(tmp_path: Path) -> None:
    path = tmp_path / "preview.jpg"
    data = camera_jpeg(path, maker_note=b"SONY DSC \x00\x00\x00" + POINTER + bytes(16))
    start, _ = exifbytes.exif_segment(data)
    tiff_start = start + 4 + 6
    at = len(data)
    order = "<I" if data[tiff_start : tiff_start + 2] == b"II" else ">I"
    pointer = struct.pack(order, at - tiff_start)
    assert data.count(POINTER) == 1
    path.write_bytes(data.replace(POINTER, pointer) + _preview())
    check = check_file(path)
    trailer = _one(check, "data_after_image")
    assert trailer.severity == Severity.INFO and trailer.params["trailer"] == "preview"
    assert check.verdict == Verdict.CAMERA_ORIGINAL


def test_unreferenced_picture_after_eoi_is_still_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "appended.jpg"
    data = camera_jpeg(path)
    path.write_bytes(data + _preview())
    check = check_file(path)
    assert _one(check, "data_after_image").severity == Severity.WARNING
    assert check.verdict == Verdict.RECOMPRESSED


# ------------------------------------------------------------ rewrites and conversions

_RATING_XMP = """<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:MicrosoftPhoto="http://ns.microsoft.com/photo/1.0/">
<xmp:Rating>4</xmp:Rating><MicrosoftPhoto:Rating>75</MicrosoftPhoto:Rating>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def test_rating_only_rewrite_is_recompressed_not_edited(tmp_path: Path) -> None:
    path = tmp_path / "rated.jpg"
    data = camera_jpeg(path)
    path.write_bytes(exifbytes.insert_xmp(data, _RATING_XMP))
    check = check_file(path)
    assert _one(check, "metadata_rewritten").severity == Severity.WARNING
    assert check.verdict == Verdict.RECOMPRESSED


def test_photo_manager_name_is_recompressed_not_edited(tmp_path: Path) -> None:
    path = tmp_path / "picasa.jpg"
    data = camera_jpeg(path)
    path.write_bytes(exifbytes.rewrite_exif(data, {0x0131: "Picasa 3.0"}))
    check = check_file(path)
    assert _one(check, "photo_manager_trace").severity == Severity.WARNING
    assert check.verdict == Verdict.RECOMPRESSED


def test_webp_with_camera_exif_is_a_conversion(tmp_path: Path) -> None:
    path = tmp_path / "IMG_1234.webp"
    _picture().save(path, "WEBP", quality=90, exif=_exif().tobytes())
    check = check_file(path)
    assert _one(check, "camera_exif_in_other_format").severity == Severity.WARNING
    assert check.verdict == Verdict.RECOMPRESSED


def test_png_with_camera_exif_is_a_conversion(tmp_path: Path) -> None:
    path = tmp_path / "IMG_1234.png"
    _picture().save(path, "PNG", exif=_exif().tobytes())
    check = check_file(path, kind_hint=ItemKind.PHOTO)
    assert _one(check, "camera_exif_in_other_format").severity == Severity.WARNING
    assert check.verdict == Verdict.RECOMPRESSED


def test_desktop_reencoder_fingerprint_is_not_original(tmp_path: Path) -> None:
    """EXIF size rewritten to the new pixels, no thumbnail, no maker note, JFIF + sRGB added."""
    path = tmp_path / "exported.jpg"
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = _exif(size=(480, 360), maker_note=None)
    _picture((480, 360)).save(path, "JPEG", quality=90, exif=exif.tobytes(), icc_profile=srgb)
    check = check_file(path)
    assert _one(check, "camera_exif_reencoded").severity == Severity.WARNING
    assert check.verdict == Verdict.RECOMPRESSED


def test_downscale_is_not_original_and_not_edited(tmp_path: Path) -> None:
    path = tmp_path / "small.jpg"
    camera_jpeg(path, pixels=(640, 480), size=(2560, 1920))
    check = check_file(path)
    assert _one(check, "resize_detected").severity == Severity.WARNING
    assert check.verdict == Verdict.RECOMPRESSED


def test_crop_is_edited(tmp_path: Path) -> None:
    path = tmp_path / "cropped.jpg"
    camera_jpeg(path, pixels=(600, 480), size=(2560, 1920))
    check = check_file(path)
    assert _one(check, "crop_detected").severity == Severity.ALERT
    assert check.verdict == Verdict.EDITED


# ---------------------------------------------------------------------- verdict rule


def test_an_alert_that_is_not_measured_does_not_decide() -> None:
    weak = finding("xmp_history", Severity.ALERT, {"count": 1, "actions": [], "agents": []})
    ok = finding("camera_metadata", Severity.OK, {"device": "X", "time": "t"})
    assert not EDIT_DECIDERS["xmp_history"].decides
    assert decide_verdict(ItemKind.PHOTO, [weak, ok], True) == Verdict.RECOMPRESSED
    strong = finding("crop_detected", Severity.ALERT, {})
    assert decide_verdict(ItemKind.PHOTO, [strong, ok], True) == Verdict.EDITED


def test_deciding_codes_meet_the_precision_bar() -> None:
    for code, row in EDIT_DECIDERS.items():
        fired = row.fired_changed + row.fired_other
        if row.precision is not None:
            assert fired > 0, code
            assert abs(row.precision - row.fired_changed / fired) < 1e-3, code
        if row.decides and row.precision is not None:
            assert row.precision >= 0.98 and fired >= 2, code
        assert row.measured and row.basis, code
    # measured below the bar on real files: an editor's name alone is a re-save, not an edit
    assert not EDIT_DECIDERS["editor_trace"].decides
    assert EDIT_DECIDERS["crop_detected"].decides


def test_editor_name_alone_is_recompressed_for_photos_edited_for_screenshots() -> None:
    trace = finding("editor_trace", Severity.ALERT, {"where": "software", "value": "GIMP"})
    ok = finding("camera_metadata", Severity.OK, {"device": "X", "time": "t"})
    assert decide_verdict(ItemKind.PHOTO, [trace, ok], True) == Verdict.RECOMPRESSED
    assert decide_verdict(ItemKind.SCREENSHOT, [trace], True) == Verdict.EDITED
    assert decide_verdict(ItemKind.SCREENSHOT, [], True) == Verdict.UNKNOWN


def _alert_codes_in_source() -> set[str]:
    """Codes that a check module passes to `finding` with an alert severity.

    Literal calls (`finding("code", Severity.ALERT, ...)`) and the program-name categories
    mapped to alerts; a check that computes its code or severity at run time must be listed by
    hand (app_name_in_text is).
    """
    checks = Path(__file__).resolve().parents[3] / "app" / "evidence" / "checks"
    codes: set[str] = set()
    for module in checks.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "finding"):
                continue
            if len(node.args) < 2 or not isinstance(node.args[0], ast.Constant):
                continue
            severity = ast.unparse(node.args[1])
            if "ALERT" in severity:
                codes.add(node.args[0].value)
    codes |= {PROGRAM_CODE[c] for c, s in PROGRAM_SEVERITY.items() if s == Severity.ALERT}
    return codes


def test_every_alert_code_is_in_the_decider_table() -> None:
    codes = _alert_codes_in_source()
    assert {"crop_detected", "xmp_history", "editor_trace"} <= codes  # the scan works
    missing = sorted(codes - set(EDIT_DECIDERS) - VIDEO_ALERTS)
    assert not missing, f"alert codes without a measured row in edit_deciders.py: {missing}"


def test_phone_that_names_only_its_firmware_is_original(tmp_path: Path) -> None:
    """HMD Nokia HEIF files record no Make/Model, only the firmware build and ModifyDate."""
    path = tmp_path / "IMG_20220203_144407.jpg"
    exif = Image.Exif()
    exif[0x0131], exif[MODIFY] = "00WW_2_270_SP04", "2022:02:03 14:44:07"
    buf = io.BytesIO()
    _picture().save(buf, "JPEG", quality=92, exif=exif.tobytes())
    path.write_bytes(_drop_jfif(buf.getvalue()))
    check = check_file(path)
    assert _one(check, "camera_metadata").params["device"] == "firmware 00WW_2_270_SP04"
    assert check.verdict == Verdict.CAMERA_ORIGINAL
    exif[0x0131] = "15.2.1"  # a bare OS version number names no camera
    buf = io.BytesIO()
    _picture().save(buf, "JPEG", quality=92, exif=exif.tobytes())
    path.write_bytes(_drop_jfif(buf.getvalue()))
    assert check_file(path).verdict == Verdict.RECOMPRESSED


def test_maker_note_without_make_is_a_camera(tmp_path: Path) -> None:
    """Reconyx trail cameras write a maker note and exposure tags but no Make or Model."""
    path = tmp_path / "RCNX0001.JPG"
    camera_jpeg(path, make=None, model=None, maker_note=b"\x01\xf1" + bytes(60))
    check = check_file(path)
    assert _one(check, "camera_metadata").params["device"] == "maker note without Make/Model"
    assert check.verdict == Verdict.CAMERA_ORIGINAL


def _with_app_segment(data: bytes, marker: int, body: bytes) -> bytes:
    segment = bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body
    return data[:2] + segment + data[2:]


@pytest.mark.parametrize(
    ("marker", "body", "camera"),
    [
        (0xEC, b"OLYMPUS OPTICAL CO.,LTD.\x00[pict]", True),  # Olympus PictureInfo
        (0xE0, b"II\x1a\x00\x00\x00HEAPJPGM" + bytes(16), True),  # Canon CIFF
        (0xEC, b"Ducky\x00\x01\x00\x04\x00\x00\x00\x50", False),  # Photoshop Save for Web
    ],
)
def test_pre_exif_camera_blocks(tmp_path: Path, marker: int, body: bytes, camera: bool) -> None:
    path = tmp_path / "old.jpg"
    buf = io.BytesIO()
    _picture().save(buf, "JPEG", quality=90)
    path.write_bytes(_with_app_segment(buf.getvalue(), marker, body))
    verdict = check_file(path).verdict
    assert (verdict == Verdict.CAMERA_ORIGINAL) is camera, verdict


def test_recompressed_words_say_no_change_only_without_an_alert() -> None:
    from app.evidence.export.wording import verdict_label

    trace = finding("editor_trace", Severity.ALERT, {"where": "software", "value": "GIMP"})
    warning = finding("no_camera_metadata", Severity.WARNING, {})
    clean = verdict_label("recompressed", [warning])
    flagged = verdict_label("recompressed", [trace, warning])
    assert clean == (
        "不是原始文件，但内容未见改动",
        "not the original file, content shows no sign of change",
    )
    assert "内容未见改动" not in flagged[0] and "no sign of change" not in flagged[1]
    assert verdict_label("edited", [trace]) == verdict_label("edited")


def test_frame_shape_no_camera_writes_is_not_original(tmp_path: Path) -> None:
    """A crop whose EXIF size was rewritten too (GIMP): not the camera's frame, not decided."""
    path = tmp_path / "cropped_rewritten.jpg"
    camera_jpeg(path, pixels=(500, 360), size=(500, 360))
    check = check_file(path)
    assert _one(check, "shape_not_from_camera").severity == Severity.WARNING
    assert check.verdict == Verdict.RECOMPRESSED
    normal = tmp_path / "normal.jpg"
    camera_jpeg(normal, pixels=(640, 480), size=(640, 480))
    assert "shape_not_from_camera" not in _codes(check_file(normal))


def test_avif_gets_a_verdict_not_unreadable(tmp_path: Path) -> None:
    """An AVIF (web and app exports) opens with Pillow's AVIF plugin: no camera writes it."""
    plain = tmp_path / "export.avif"
    _picture().save(plain, "AVIF", quality=60)
    check = check_file(plain)
    assert check.verdict == Verdict.RECOMPRESSED, [f.code for f in check.findings]
    with_exif = tmp_path / "converted.avif"
    _picture().save(with_exif, "AVIF", quality=60, exif=_exif().tobytes())
    check = check_file(with_exif)
    assert _one(check, "camera_exif_in_other_format").severity == Severity.WARNING


def test_gps_written_in_local_time_is_not_counted(tmp_path: Path) -> None:
    """Some phones write GPSTimeStamp in local time: GPS clock = wall clock, in Shanghai."""
    path = tmp_path / "local_gps.jpg"
    camera_jpeg(path, gps=("2024:05:06", (10, 11, 12)))
    check = check_file(path)
    assert not [f for f in check.findings if f.severity != Severity.INFO and "gps" in f.code]
    assert "zone_far_from_place" not in _codes(check)
    assert check.verdict == Verdict.CAMERA_ORIGINAL
    # With the offset recorded the same clocks are what a capture time moved back by exactly
    # the offset looks like (the held-out nokia_dto_shifted case): a warning, never edited.
    camera_jpeg(path, offset="+08:00", gps=("2024:05:06", (10, 11, 12)))
    check = check_file(path)
    assert _one(check, "gps_time_mismatch").severity == Severity.WARNING
    assert check.verdict == Verdict.RECOMPRESSED


def test_preview_counted_from_the_maker_notes_own_header(tmp_path: Path) -> None:
    """Nikon/Pentax-style maker notes carry their own TIFF header; offsets count from it."""
    path = tmp_path / "nikon_preview.jpg"
    note = b"Nikon\x00\x02\x10\x00\x00MM\x00*\x00\x00\x00\x08" + POINTER + bytes(12)
    data = camera_jpeg(path, maker_note=note)
    header = data.find(b"Nikon\x00\x02\x10\x00\x00") + 10
    at = len(data)
    path.write_bytes(data.replace(POINTER, struct.pack(">I", at - header)) + _preview())
    trailer = _one(check_file(path), "data_after_image")
    assert trailer.severity == Severity.INFO and trailer.params["trailer"] == "preview"


def test_windows_stars_in_exif_alone_are_a_metadata_rewrite(tmp_path: Path) -> None:
    """Windows Explorer writes Rating/RatingPercent and its 0xEA1C padding into EXIF."""
    path = tmp_path / "starred.jpg"
    exif = _exif()
    exif[0x4746], exif[0x4749] = 4, 75
    exif[0xEA1C] = b"\x1c\xea" + bytes(30)
    buf = io.BytesIO()
    _picture().save(buf, "JPEG", quality=92, exif=exif.tobytes())
    path.write_bytes(_drop_jfif(buf.getvalue()))
    check = check_file(path)
    fields = _one(check, "metadata_rewritten").params["fields"]
    assert "EXIF Rating=4" in fields and any("0xEA1C" in f for f in fields)
    assert check.verdict == Verdict.RECOMPRESSED
