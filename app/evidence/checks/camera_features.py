"""What phones and cameras write into their own files besides the picture: recognised as such.

A camera's own extras are not edits and not "appended data":

    motion photo (Google MotionPhoto / MicroVideo XMP, Samsung SEF MotionPhoto_Data, the
        Samsung HEIC `mpvd` box): a short video stored after the picture
    Samsung SEF trailer (Image_UTC_Data, MCC_Data, Camera_Capture_Mode_Info ...)
    Ultra HDR / Apple HDR gain map (XMP hdrgm, Apple HDRGainMap, MPF secondary image)
    MPF images (a camera's large preview or second picture declared in APP2 "MPF")
    Apple HEIC auxiliary images (depth map, portrait matte, HDR gain map)

`known_trailer` is the small function the structure check calls on the bytes after a JPEG's end
marker (see /work/notes/camera_features_api.md). `feature_findings` reports the features of a
photo as info findings; `sef_entries` lists a Samsung trailer's entry names (gallery edits use it).
Nothing here raises on malformed input: what cannot be parsed is simply not recognised.
"""

from __future__ import annotations

import logging
import mmap
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.evidence.checks.model import FileCheck, Finding, Severity
from app.evidence.checks.photo_input import PhotoInput
from app.evidence.checks.texts import finding
from app.evidence.readers.image import open_image

logger = logging.getLogger(__name__)

MOTION_PHOTO = "motion_photo"
SAMSUNG_DATA = "samsung_data"
GAIN_MAP = "gain_map"
MPF_IMAGE = "mpf_image"

TRAILER_TEXTS: dict[str, tuple[str, str]] = {
    MOTION_PHOTO: (
        "动态照片的视频（手机相机写入）",
        "a motion photo's video (written by the camera)",
    ),
    SAMSUNG_DATA: ("三星相机的附加信息（SEF）", "Samsung camera data (SEF)"),
    GAIN_MAP: (
        "HDR 增益图（Ultra HDR / 苹果 HDR，相机写入）",
        "an HDR gain map (Ultra HDR / Apple HDR, written by the camera)",
    ),
    MPF_IMAGE: (
        "多图格式（MPF）声明的第二张图片",
        "a second picture declared in the multi-picture format (MPF)",
    ),
}
"""Kind -> (Chinese, English) words for what follows the picture."""

_MAX_SEF_ENTRIES = 256
_GAIN_MAP_MARKS = (
    b"http://ns.adobe.com/hdr-gain-map/1.0/",
    b"hdrgm:Version",
    b"http://ns.apple.com/HDRGainMap/1.0/",
    b"urn:com:apple:photo:2020:aux:hdrgainmap",
    b"GainMap",
)


class _Bytes(Protocol):
    def __len__(self) -> int: ...
    def __getitem__(self, key: slice) -> bytes: ...


class Window:
    """The bytes of `data` from `start` on, sliced without copying the rest (e.g. an mmap)."""

    def __init__(self, data: _Bytes, start: int) -> None:
        self._data, self._start = data, start

    def __len__(self) -> int:
        return max(0, len(self._data) - self._start)

    def __getitem__(self, key: slice) -> bytes:
        begin, end, _ = key.indices(len(self))
        return bytes(self._data[self._start + begin : self._start + max(begin, end)])


@dataclass(frozen=True)
class SefEntry:
    """One entry of a Samsung SEF trailer: its name, type code and data length."""

    name: str
    type: int
    length: int
    data: bytes = b""  # the first bytes of the entry's data (at most `keep`)


def sef_entries(data: _Bytes, keep: int = 64) -> list[SefEntry]:
    """The entries of a Samsung SEF trailer at the end of `data`, or [] when there is none.

    Layout (ExifTool Samsung.pm, checked on a One UI 6 file): each entry's data is
    `u16 0, u16 type, u32 name length, name, payload`; then the directory `SEFH, u32 version,
    u32 count, count x (u16 0, u16 type, u32 offset back from SEFH, u32 length)`, its u32
    length, and `SEFT` as the last four bytes (all little-endian).
    """
    size = len(data)
    if size < 24 or data[size - 4 : size] != b"SEFT":
        return []
    dir_len = struct.unpack("<I", data[size - 8 : size - 4])[0]
    sefh = size - 8 - dir_len
    if dir_len < 12 or sefh < 0 or data[sefh : sefh + 4] != b"SEFH":
        return []
    count = struct.unpack("<I", data[sefh + 8 : sefh + 12])[0]
    out: list[SefEntry] = []
    for i in range(min(count, _MAX_SEF_ENTRIES)):
        rec = sefh + 12 + 12 * i
        if rec + 12 > size - 8:
            break
        _, typ, back, length = struct.unpack("<HHII", data[rec : rec + 12])
        start = sefh - back
        if start < 0 or length < 8 or start + length > sefh:
            continue
        name_len = struct.unpack("<I", data[start + 4 : start + 8])[0]
        if name_len > min(length - 8, 200):
            continue
        name = bytes(data[start + 8 : start + 8 + name_len]).decode("latin-1")
        payload = data[start + 8 + name_len : start + min(length, 8 + name_len + keep)]
        out.append(SefEntry(name, typ, length - 8 - name_len, bytes(payload)))
    return out


def known_trailer(data_after_eoi: _Bytes, xmp: str | None, *, mpf: bool = False) -> str | None:
    """What camera feature the bytes after a JPEG's end marker are, or None if none is known.

    Args:
        data_after_eoi: the bytes after the main picture's FF D9 (bytes, memoryview or an
            mmap slice; only the head, the tail and the places the XMP names are read).
        xmp: the file's XMP packet as text (MediaMetadata.xmp), or None.
        mpf: the file has an APP2 "MPF" segment.

    Returns:
        "motion_photo", "samsung_data", "gain_map", "mpf_image" (keys of TRAILER_TEXTS), or
        None when the bytes are none of these (then they may be anything, e.g. an older copy).
    """
    size = len(data_after_eoi)
    if size == 0:
        return None
    head = bytes(data_after_eoi[:64])
    sef = sef_entries(data_after_eoi)
    if sef:
        names = {e.name for e in sef}
        if "MotionPhoto_Data" in names:
            return MOTION_PHOTO
        return SAMSUNG_DATA
    motion = motion_photo_xmp(xmp)
    if motion is not None and _video_where_xmp_says(data_after_eoi, motion):
        return MOTION_PHOTO
    if head.startswith(b"\xff\xd8"):
        probe = bytes(data_after_eoi[: 1 << 16])
        xmp_bytes = (xmp or "").encode("utf-8", "replace")
        if any(m in probe or m in xmp_bytes for m in _GAIN_MAP_MARKS):
            return GAIN_MAP
        if mpf:
            return MPF_IMAGE
    return None


@dataclass(frozen=True)
class MotionPhotoXmp:
    """What the XMP says about a motion photo: the video's length or its offset from the end."""

    flavour: str  # "MotionPhoto" (2021+ Google/Samsung) or "MicroVideo" (Pixel 2018-2020)
    video_length: int | None  # Container:Directory item with Semantic MotionPhoto
    presentation_us: int | None


def motion_photo_xmp(xmp: str | None) -> MotionPhotoXmp | None:
    """The Google motion-photo fields of an XMP packet, or None when it declares none."""
    if not xmp:
        return None
    flag = re.search(r"GCamera:(MotionPhoto|MicroVideo)\s*(?:=\s*[\"']|>)\s*1", xmp)
    if flag is None:
        return None
    length = None
    if flag.group(1) == "MicroVideo":
        m = re.search(r"GCamera:MicroVideoOffset\s*(?:=\s*[\"']|>)\s*(\d{1,12})", xmp)
        length = int(m.group(1)) if m else None
    else:
        for item in re.finditer(r"<Container:Item\b[^>]*>", xmp):
            text = item.group(0)
            if re.search(r"Semantic\s*=\s*[\"']MotionPhoto", text):
                m = re.search(r"Length\s*=\s*[\"'](\d{1,12})", text)
                length = int(m.group(1)) if m else None
    ts = re.search(r"GCamera:(?:MotionPhoto|MicroVideo)PresentationTimestampUs\s*(?:=\s*[\"']|>)"
                   r"\s*(-?\d{1,15})", xmp)  # fmt: skip
    return MotionPhotoXmp(flag.group(1), length, int(ts.group(1)) if ts else None)


def _video_where_xmp_says(data: _Bytes, motion: MotionPhotoXmp) -> bool:
    size = len(data)
    starts = [0]
    if motion.video_length and motion.video_length <= size:
        starts.append(size - motion.video_length)
    return any(bytes(data[s + 4 : s + 8]) == b"ftyp" for s in starts)


# --------------------------------------------------------------------- HEIF / ISO-BMFF features


@dataclass(frozen=True)
class HeifFeatures:
    """What a HEIF file's top-level boxes and item references show.

    Attributes:
        motion_video: bytes of a Samsung `mpvd` (motion photo video) box, 0 when none.
        sef: Samsung SEF entry names (from the `sefd` box).
        aux_types: auxiliary image types (`auxC`), e.g. "urn:com:apple:photo:2020:aux:hdrgainmap".
        sef_data: the SEF entries with the first `keep` bytes of their data.
    """

    motion_video: int = 0
    sef: tuple[str, ...] = ()
    aux_types: tuple[str, ...] = ()
    sef_data: tuple[SefEntry, ...] = ()


def heif_features(path: Path, keep: int = 64) -> HeifFeatures:
    """Read the top-level boxes and `auxC` types of a HEIF file (bounded; never raises)."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(0)
            pos, motion, meta = 0, 0, b""
            sef: list[SefEntry] = []
            for _ in range(64):
                if pos + 8 > size:
                    break
                fh.seek(pos)
                header = fh.read(16)
                box_size, kind = struct.unpack(">I4s", header[:8])
                if box_size == 1 and len(header) >= 16:
                    box_size = struct.unpack(">Q", header[8:16])[0]
                elif box_size == 0:
                    box_size = size - pos
                if box_size < 8:
                    break
                if kind == b"meta" and box_size < 4 << 20:
                    fh.seek(pos)
                    meta = fh.read(box_size)
                elif kind == b"mpvd":
                    motion = box_size - 8
                elif kind == b"sefd" and box_size < 1 << 20:
                    fh.seek(pos + 8)
                    body = fh.read(box_size - 8)
                    sef = sef_entries(body, keep)
                pos += box_size
    except (OSError, struct.error, ValueError):
        return HeifFeatures()
    return HeifFeatures(motion, tuple(e.name for e in sef), tuple(_aux_types(meta)), tuple(sef))


def _aux_types(meta: bytes) -> list[str]:
    out: list[str] = []
    pos = 0
    while len(out) < 16:
        i = meta.find(b"auxC", pos)
        if i < 4:
            break
        box_size = struct.unpack(">I", meta[i - 4 : i])[0]
        body = meta[i + 8 : i - 4 + box_size]  # after version/flags
        urn = body.split(b"\x00", 1)[0].decode("latin-1", "replace")
        if urn and urn not in out:
            out.append(urn)
        pos = i + 4
    return out


AUX_NAMES: dict[str, tuple[str, str]] = {
    "urn:com:apple:photo:2020:aux:hdrgainmap": ("HDR 增益图", "HDR gain map"),
    "urn:mpeg:hevc:2015:auxid:2": ("深度图", "depth map"),
    "urn:mpeg:mpegB:cicp:systems:auxiliary:depth": ("深度图", "depth map"),
    "urn:com:apple:photo:2018:aux:portraiteffectsmatte": ("人像蒙版", "portrait matte"),
    "urn:com:apple:photo:2019:aux:semanticskinmatte": ("皮肤蒙版", "skin matte"),
    "urn:com:apple:photo:2019:aux:semantichairmatte": ("头发蒙版", "hair matte"),
    "urn:com:apple:photo:2019:aux:semanticteethmatte": ("牙齿蒙版", "teeth matte"),
    "urn:com:apple:photo:2023:aux:semanticskymatte": ("天空蒙版", "sky matte"),
    "urn:mpeg:hevc:2015:auxid:1": ("透明通道", "alpha channel"),
    "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha": ("透明通道", "alpha channel"),
}
"""Known `auxC` types -> (Chinese, English) names."""


def aux_names(types: Sequence[str]) -> tuple[list[str], list[str]]:
    """Chinese and English names of auxiliary image types (unknown ones as written)."""
    zh = [AUX_NAMES.get(t, (t, t))[0] for t in types]
    en = [AUX_NAMES.get(t, (t, t))[1] for t in types]
    return list(dict.fromkeys(zh)), list(dict.fromkeys(en))


# ------------------------------------------------------------------------ Apple Live Photo pairing


def apple_content_identifier(tiff: bytes | None) -> str | None:
    """Apple's ContentIdentifier (MakerNote tag 0x0011) from an EXIF TIFF block, or None.

    The Live Photo's still and its MOV (key com.apple.quicktime.content.identifier) carry the
    same value. Apple MakerNote: "Apple iOS\\0", u16 version, "MM", then an IFD whose value
    offsets count from the MakerNote's start (ExifTool Apple.pm).
    """
    if not tiff or len(tiff) < 8 or tiff[:2] not in (b"MM", b"II"):
        return None
    order = ">" if tiff[:2] == b"MM" else "<"
    try:
        ifd0 = struct.unpack(order + "I", tiff[4:8])[0]
        exif_ifd = _ifd_value(tiff, order, ifd0, 0x8769)
        if exif_ifd is None:
            return None
        note = _ifd_entry(tiff, order, exif_ifd[0], 0x927C)
        if note is None:
            return None
        start, count = note
        blob = tiff[start : start + count]
        if not blob.startswith(b"Apple iOS\x00") or blob[12:14] != b"MM":
            return None
        entry = _ifd_entry(blob, ">", 14, 0x0011)
        if entry is None:
            return None
        text = blob[entry[0] : entry[0] + entry[1]].split(b"\x00")[0].decode("ascii", "replace")
        return text.strip() or None
    except (struct.error, IndexError, ValueError):
        return None


def _ifd_entry(data: bytes, order: str, offset: int, tag: int) -> tuple[int, int] | None:
    """(value offset, byte count) of `tag` in the IFD at `offset` (ASCII/UNDEFINED/LONG)."""
    count = struct.unpack(order + "H", data[offset : offset + 2])[0]
    for i in range(min(count, 512)):
        pos = offset + 2 + 12 * i
        t, typ, n = struct.unpack(order + "HHI", data[pos : pos + 8])
        if t != tag:
            continue
        size = n * {1: 1, 2: 1, 3: 2, 4: 4, 7: 1}.get(typ, 1)
        if size <= 4:
            return pos + 8, size
        return struct.unpack(order + "I", data[pos + 8 : pos + 12])[0], size
    return None


def _ifd_value(data: bytes, order: str, offset: int, tag: int) -> tuple[int] | None:
    entry = _ifd_entry(data, order, offset, tag)
    if entry is None:
        return None
    return (struct.unpack(order + "I", data[entry[0] : entry[0] + 4])[0],)


# -------------------------------------------------------------------------------- the findings


def feature_findings(photo: PhotoInput) -> list[Finding]:
    """Info findings naming the camera features of one photo (never a warning or an alert)."""
    meta = photo.meta
    out: list[Finding] = []
    features: list[tuple[str, str, str]] = []  # (key, zh, en)
    params: dict[str, object] = {}
    if photo.jpeg is not None and photo.jpeg.after_eoi > 0 and photo.jpeg.eoi_offset is not None:
        mpf = any(s.label == "MPF" for s in photo.jpeg.segments)
        kind, sef = _jpeg_trailer(photo.path, photo.jpeg.eoi_offset + 2, meta.xmp, mpf)
        if kind is not None:
            zh, en = TRAILER_TEXTS[kind]
            features.append((kind, zh, en))
            params["trailer_bytes"] = photo.jpeg.after_eoi
        if sef:
            params["samsung_entries"] = sef[:20]
    if meta.format == "heif":
        heif = heif_features(photo.path)
        if heif.motion_video:
            features.append((MOTION_PHOTO, *TRAILER_TEXTS[MOTION_PHOTO]))
            params["video_bytes"] = heif.motion_video
        if heif.sef:
            params["samsung_entries"] = list(heif.sef[:20])
            if not heif.motion_video:
                features.append((SAMSUNG_DATA, *TRAILER_TEXTS[SAMSUNG_DATA]))
        if heif.aux_types:
            zh_names, en_names = aux_names(heif.aux_types)
            features.append(
                ("auxiliary_images", f"辅助图像：{'、'.join(zh_names)}",
                 f"auxiliary images: {', '.join(en_names)}")
            )  # fmt: skip
            params["aux_types"] = list(heif.aux_types)
    motion = motion_photo_xmp(meta.xmp)
    if motion is not None and not any(k == MOTION_PHOTO for k, _, _ in features):
        # The XMP declares a motion photo but its video was not found where it says: a
        # re-save dropped the video. Say what the XMP declares, nothing more.
        params["motion_photo_declared"] = motion.flavour
    if (
        meta.xmp
        and _GAIN_MAP_MARKS[1].decode() in meta.xmp
        and GAIN_MAP not in (k for k, _, _ in features)
    ):
        features.append((GAIN_MAP, *TRAILER_TEXTS[GAIN_MAP]))
    if features:
        params["features"] = [k for k, _, _ in features]
        out.append(
            finding(
                "camera_feature",
                Severity.INFO,
                params,
                list_zh="；".join(zh for _, zh, _ in features),
                list_en="; ".join(en for _, _, en in features),
            )
        )
    elif "motion_photo_declared" in params:
        out.append(finding("motion_photo_video_missing", Severity.INFO, params))
    content_id = _content_identifier(photo)
    if content_id:
        out.append(finding("live_photo_still", Severity.INFO, {"content_identifier": content_id}))
    return out


def _jpeg_trailer(
    path: Path, start: int, xmp: str | None, mpf: bool
) -> tuple[str | None, list[str]]:
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            view = Window(mm, start)
            return known_trailer(view, xmp, mpf=mpf), [e.name for e in sef_entries(view)]
    except (OSError, ValueError, struct.error):
        return None, []


def _content_identifier(photo: PhotoInput) -> str | None:
    if (photo.meta.make or "").strip().lower() != "apple":
        return None
    if photo.jpeg is not None:
        return apple_content_identifier(photo.jpeg.exif_tiff)
    if photo.meta.format != "heif":
        return None
    try:
        with open_image(photo.path) as im:
            blob = im.info.get("exif")
    except Exception:  # the reader already read this file; a failure here only loses the pairing
        return None
    if not isinstance(blob, bytes):
        return None
    return apple_content_identifier(blob[6:] if blob.startswith(b"Exif\x00\x00") else blob)


LIVE_PHOTO_KEY = "com.apple.quicktime.content.identifier"


def live_photo_pairs(checks: Sequence[FileCheck]) -> list[tuple[Finding, tuple[str, ...]]]:
    """Stills and videos sharing an Apple ContentIdentifier: the two halves of a Live Photo.

    Returns (finding, the files' sha256 or path) pairs; cross.py wraps them as CrossFindings.
    """
    groups: dict[str, list[FileCheck]] = {}
    for check in checks:
        ident = None
        for f in check.findings:
            if f.code == "live_photo_still":
                ident = str(f.params.get("content_identifier") or "") or None
        if ident is None and check.metadata is not None:
            ident = check.metadata.quicktime_keys.get(LIVE_PHOTO_KEY)
        if ident:
            groups.setdefault(ident.strip().upper(), []).append(check)
    out = []
    for ident, members in groups.items():
        kinds = {c.kind for c in members}
        if len(members) < 2 or "video" not in kinds or not kinds & {"photo", "screenshot"}:
            continue
        names = [Path(c.path).name for c in members]
        params = {"content_identifier": ident, "files": names[:6]}
        out.append(
            (
                finding("live_photo_pair", Severity.INFO, params),
                tuple(c.sha256 or c.path for c in members),
            )
        )
    return out
