"""All checks of one photo or screenshot, and the camera-origin and PNG-origin findings.

Order of work: program names and edit history, recorded sizes, compression, times, file
structure, the EXIF thumbnail (the only check that decodes pixels: once per file, through
PhotoInput.picture), then what the file says about its origin: camera metadata for a photo,
the PNG chunk inventory for a screenshot.
"""

from __future__ import annotations

import logging
from pathlib import Path

from app.evidence.checks.aigc import aigc_findings
from app.evidence.checks.camera_features import feature_findings
from app.evidence.checks.dimensions import size_findings
from app.evidence.checks.editors import history_findings, program_findings
from app.evidence.checks.gallery_edits import gallery_edit_findings
from app.evidence.checks.model import CheckOptions, Finding, Severity
from app.evidence.checks.photo_input import PhotoInput, load_photo_input
from app.evidence.checks.provenance import c2pa_findings, c2pa_present_in
from app.evidence.checks.quant import quant_findings
from app.evidence.checks.signatures import classify_program
from app.evidence.checks.structure import structure_findings
from app.evidence.checks.texts import finding
from app.evidence.checks.thumbnail import thumbnail_findings
from app.evidence.checks.times import time_findings
from app.evidence.models import ItemKind, MediaMetadata
from app.evidence.readers.capture_time import parse_exif_datetime

logger = logging.getLogger(__name__)

_PLAIN_PNG = {"IHDR", "IDAT", "IEND"}
_MAX_WARNINGS = 5


def check_photo(
    path: Path, kind: ItemKind, meta: MediaMetadata, options: CheckOptions
) -> tuple[list[Finding], PhotoInput]:
    """Run every photo/screenshot check on one picture.

    Returns:
        The findings (unordered) and the inputs they were computed from.
    """
    photo = load_photo_input(path, kind, meta, options)
    findings: list[Finding] = []
    for check in (
        program_findings,
        history_findings,
        size_findings,
        quant_findings,
        time_findings,
        structure_findings,
        _thumbnail,
        aigc_findings,
        feature_findings,
        gallery_edit_findings,
    ):
        findings.extend(check(photo))
    present = bool(photo.jpeg and photo.jpeg.c2pa) or "caBX" in meta.png_chunks
    present = present or (meta.format in ("heif", "webp") and c2pa_present_in(path, meta.format))
    findings.extend(c2pa_findings(path, present, options.c2pa and present))
    if meta.format == "png":
        findings.append(_png_chunks(photo))
    concerns = any(f.severity in (Severity.ALERT, Severity.WARNING) for f in findings)
    findings.extend(_origin(photo, concerns))
    if meta.warnings:
        params = {"warnings": list(meta.warnings[:_MAX_WARNINGS])}
        findings.append(finding("reader_warnings", Severity.INFO, params))
    return findings, photo


def _thumbnail(photo: PhotoInput) -> list[Finding]:
    """The thumbnail comparison, or its findings as the import made them from the same decode."""
    found = photo.options.thumbnail_found
    if found is not None and photo.options.thumbnail:
        return list(found)
    return thumbnail_findings(photo)


# Formats cameras and phones write their photos in; camera EXIF in any other format (WebP, PNG,
# GIF, AVIF, BMP) was carried over by a conversion.
_CAMERA_FORMATS = {"jpeg", "heif", "tiff", "dng"}
# Exposure facts only a capture writes: with them, a device that recorded no usable date is
# still a camera (phones that write no dates, placeholder dates, clocks never set).
_EXPOSURE_TAGS = ("ExposureTime", "FNumber", "ISOSpeedRatings", "PhotographicSensitivity")


def _origin(photo: PhotoInput, concerns: bool) -> list[Finding]:
    meta = photo.meta
    if photo.is_screenshot:
        if meta.make or meta.model:
            return []
        return [finding("no_camera_metadata_screenshot", Severity.INFO, {})]
    if not (meta.make or meta.model):
        firmware = _phone_firmware(photo) or _maker_block_only(photo)
        if firmware is not None:
            device, when = firmware
            code = "camera_metadata_seen" if concerns else "camera_metadata"
            severity = Severity.INFO if concerns else Severity.OK
            return [finding(code, severity, {"device": device, "time": when})]
        missing = {"has_exif": meta.has_exif, "format": meta.format}
        return [finding("no_camera_metadata", Severity.WARNING, missing)]
    if meta.format not in _CAMERA_FORMATS:
        converted = {"device": photo.device, "format": meta.format}
        return [finding("camera_exif_in_other_format", Severity.WARNING, converted)]
    scratch: list[str] = []
    moment = parse_exif_datetime(meta.datetime_original, "DateTimeOriginal", scratch)
    text = meta.datetime_original
    if moment is None:
        moment = parse_exif_datetime(meta.datetime_digitized, "CreateDate", scratch)
        text = meta.datetime_digitized
    exposure = [t for t in _EXPOSURE_TAGS if t in meta.raw]
    if moment is None and ("MakerNote" not in meta.raw and len(exposure) < 2):
        return [finding("camera_metadata_incomplete", Severity.WARNING, {"device": photo.device})]
    params = {"device": photo.device, "time": text.strip() if moment and text else None}
    undated = {"time_zh": "未记录可用的拍摄时间", "time_en": "no usable capture time recorded"}
    shown: dict[str, str] = {} if moment else undated
    if concerns:  # the camera's metadata is there, but other findings speak against the file
        return [finding("camera_metadata_seen", Severity.INFO, params, **shown)]
    return [finding("camera_metadata", Severity.OK, params, **shown)]


# Software values only a phone's own camera pipeline writes (editors.json "not_editors" rows):
# some phones (HMD Nokia HEIF) record no Make or Model but their firmware build and a date.
_PHONE_FIRMWARE = {
    "a phone firmware build",
    "a Samsung firmware build (e.g. G973FXXU3ASG8)",
    "Google Pixel camera pipeline",
    "a Xiaomi MIUI / HyperOS build (e.g. V14.0.6.0.TMGCNXM)",
}


def _phone_firmware(photo: PhotoInput) -> tuple[str, str] | None:
    """(device words, the date written) for a camera-format file named only by phone firmware."""
    meta = photo.meta
    if meta.format not in ("heif", "jpeg") or not meta.software:
        return None
    match = classify_program(meta.software)
    if match.category != "os" or match.name not in _PHONE_FIRMWARE:
        return None
    for text in (meta.datetime_original, meta.datetime_digitized, meta.datetime_modified):
        if parse_exif_datetime(text, "date", []) is not None and text:
            return f"firmware {meta.software.strip()[:40]}", text.strip()
    return None


# Camera blocks written before or beside EXIF without a Make tag: Canon's CIFF heap in APP0
# (PowerShot A5 and other 1998-2000 Canons) and the PictureInfo block Olympus, Agfa and Epson
# cameras wrote in APP12 (not "Ducky", which is Photoshop's Save for Web).
_APP12_CAMERAS = ("OLYMPUS", "AGFA", "EPSON", "SANYO", "KONICA")
_EXPOSURE_MIN = 2


def _maker_block_only(photo: PhotoInput) -> tuple[str, str | None] | None:
    """(device words, date) for a camera file whose maker is named only in a maker's block.

    A maker note with exposure tags but no Make (Reconyx trail cameras), a Canon CIFF heap or
    an APP12 PictureInfo block: programs that re-save a picture drop these blocks.
    """
    meta, jpeg = photo.meta, photo.jpeg
    if meta.format not in ("jpeg", "heif"):
        return None
    when = (meta.datetime_original or "").strip() or None
    exposure = [t for t in _EXPOSURE_TAGS if t in meta.raw]
    if "MakerNote" in meta.raw and len(exposure) >= _EXPOSURE_MIN:
        return "maker note without Make/Model", when
    if jpeg is None:
        return None
    for seg in jpeg.segments:
        if seg.marker == "APP12" and any(m in seg.label.upper() for m in _APP12_CAMERAS):
            return seg.label.strip()[:40], when
        if seg.marker == "APP0" and seg.label == "II" and _is_ciff(photo, seg.offset):
            return "Canon CIFF", when
    return None


def _is_ciff(photo: PhotoInput, offset: int) -> bool:
    try:
        with photo.path.open("rb") as fh:
            fh.seek(offset + 4)
            head = fh.read(14)
    except OSError:
        return False
    return head[:2] == b"II" and head[6:10] == b"HEAP"  # HEAPJPGM in JPEGs, HEAPCCDR in CRW


def _png_chunks(photo: PhotoInput) -> Finding:
    chunks = list(dict.fromkeys(photo.meta.png_chunks))
    kinds = set(chunks)
    if "iDOT" in kinds:
        hint = (
            "含有苹果设备截图特有的 iDOT 块，与 iPhone、iPad 或 Mac 的截图一致。",
            "It has the iDOT chunk Apple devices write into screenshots: consistent with an "
            "iPhone, iPad or Mac screenshot.",
        )
    elif kinds <= _PLAIN_PNG:
        hint = (
            "只有图像数据，没有任何附加信息；安卓手机截图和很多程序导出的图片都是这样。",
            "Only picture data and no other information: how Android screenshots and many "
            "programs' exports look.",
        )
    else:
        extra = sorted(kinds - _PLAIN_PNG)
        hint = (
            f"除图像数据外还有：{'、'.join(extra)}（文本、颜色配置等，内容见其他发现）。",
            f"Besides the picture it has: {', '.join(extra)} (text, colour profile and the "
            "like; see the other findings).",
        )
    params = {"chunks": chunks[:40], "text_keys": sorted(photo.meta.png_text)[:20]}
    return finding("png_chunks", Severity.INFO, params, hint_zh=hint[0], hint_en=hint[1])
