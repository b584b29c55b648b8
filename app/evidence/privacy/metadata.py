"""Metadata in exported copies: strip it at the byte level, and say what the originals carried.

The export draws every image from pixels, so its copies start clean; `strip_jpeg` and
`strip_png` are the last step before bytes are written anyway (defence in depth: a future
Pillow that copies more `info` into a save must not put a GPS position into an upload pack).
A JPEG keeps only what decoding needs (SOI, DQT, SOF, DHT, DRI, SOS and the scan, EOI, and the
JFIF APP0 marker); every APPn segment that carries EXIF and its GPS block, maker notes and
thumbnail (APP1), XMP (APP1), ICC (APP2), MPF preview images (APP2), Photoshop/IPTC (APP13),
C2PA/JUMBF (APP11) and comments (COM) is dropped. A PNG keeps IHDR, PLTE, tRNS, IDAT and IEND.

`original_metadata` lists what an exhibit's original carries that its exported copies do not,
for the export's privacy page; the originals themselves stay byte-exact in the case and the ZIP.
"""

from __future__ import annotations

import logging
import struct
from pathlib import Path
from typing import Any

from app.evidence.models import Item, ItemKind

log = logging.getLogger(__name__)

CATEGORIES: dict[str, tuple[str, str]] = {
    "gps": ("GPS 位置", "GPS position"),
    "exif": ("EXIF 拍摄信息", "EXIF camera data"),
    "maker_notes": ("厂商私有数据（MakerNote）", "maker notes"),
    "xmp": ("XMP 编辑记录", "XMP metadata"),
    "thumbnail": ("内嵌缩略图", "embedded thumbnails"),
    "c2pa": ("内容凭证（C2PA）", "Content Credentials (C2PA)"),
    "icc": ("ICC 色彩配置", "ICC colour profile"),
    "comments": ("注释文字", "comments and text chunks"),
    "device": ("视频设备与软件标签", "video device and software tags"),
}
_PNG_KEEP = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
# SOFn, DHT (C4), DAC (CC), DQT (DB), DRI (DD); C8 is reserved
_JPEG_KEEP = (set(range(0xC0, 0xD0)) - {0xC8}) | {0xDB, 0xDD}
_HEAD = 1024 * 1024  # where C2PA manifests sit in the files phones and editors write


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG with only decoding segments (and JFIF APP0) before its scan; unchanged if odd."""
    if not data.startswith(b"\xff\xd8"):
        return data
    out = bytearray(b"\xff\xd8")
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            log.debug("unexpected byte in a JPEG header at %d; left as is", pos)
            return data
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        segment = data[pos : pos + 2 + length]
        if marker == 0xDA:  # start of scan: the rest is image data up to EOI
            out += data[pos:]
            return bytes(out)
        if marker in _JPEG_KEEP or (marker == 0xE0 and segment[4:9] == b"JFIF\x00"):
            out += segment
        pos += 2 + length
    return data


def strip_png(data: bytes) -> bytes:
    """The PNG with only IHDR, PLTE, tRNS, IDAT and IEND chunks; unchanged if not a PNG."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return data
    out = bytearray(data[:8])
    pos = 8
    while pos + 12 <= len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            break
        if kind in _PNG_KEEP:
            out += data[pos:end]
        if kind == b"IEND":
            return bytes(out)
        pos = end
    log.debug("a PNG without a readable chunk list; left as is")
    return data


def strip_image(data: bytes) -> bytes:
    """`strip_jpeg` or `strip_png` by the bytes' signature (other formats unchanged)."""
    return strip_png(strip_jpeg(data))


def metadata_in(data: bytes) -> list[str]:
    """What metadata a JPEG or PNG carries, as category names (empty when clean).

    Used by tests and by the export as a last check of what it writes.
    """
    found: set[str] = set()
    if data.startswith(b"\xff\xd8"):
        for marker, payload in _jpeg_segments(data):
            if marker == 0xE1 and payload.startswith(b"Exif\x00"):
                found.add("exif")
                if b"GPS" in payload or _has_gps_ifd(payload):
                    found.add("gps")
            elif marker == 0xE1:
                found.add("xmp")
            elif marker == 0xE2:
                found.add("icc" if payload.startswith(b"ICC_PROFILE") else "thumbnail")
            elif marker == 0xEB:
                found.add("c2pa")
            elif 0xE1 <= marker <= 0xEF or marker == 0xFE:
                found.add("comments")
    elif data.startswith(b"\x89PNG"):
        pos = 8
        while pos + 12 <= len(data):
            length = struct.unpack(">I", data[pos : pos + 4])[0]
            kind = data[pos + 4 : pos + 8]
            if kind == b"eXIf":
                found.add("exif")
            elif kind == b"iCCP":
                found.add("icc")
            elif kind == b"caBX":
                found.add("c2pa")
            elif kind in (b"tEXt", b"iTXt", b"zTXt"):
                found.add("xmp" if b"XML:com.adobe.xmp" in data[pos + 8 : pos + 30] else "comments")
            pos += 12 + length
    return sorted(found)


def original_metadata(item: Item, path: Path | None) -> frozenset[str]:
    """Categories of metadata the original carries that the export's copies leave out."""
    if item.kind not in (ItemKind.PHOTO, ItemKind.SCREENSHOT, ItemKind.VIDEO):
        return frozenset()
    meta: dict[str, Any] = item.metadata
    raw = meta.get("raw") or {}
    found = set()
    if meta.get("gps") or any(str(k).startswith("GPS") for k in raw):
        found.add("gps")
    if meta.get("has_exif"):
        found.add("exif")
    if "MakerNote" in raw:
        found.add("maker_notes")
    if meta.get("xmp"):
        found.add("xmp")
    if meta.get("has_exif_thumbnail"):
        found.add("thumbnail")
    if meta.get("icc_profile"):
        found.add("icc")
    if meta.get("jpeg_comment") or meta.get("png_text"):
        found.add("comments")
    if meta.get("quicktime_keys") or meta.get("android_keys") or meta.get("encoder"):
        found.add("device")
    if "caBX" in (meta.get("png_chunks") or ()) or (path is not None and _c2pa_in(path)):
        found.add("c2pa")
    return frozenset(found)


def _c2pa_in(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD)
    except OSError:
        return False
    return b"jumb" in head and b"c2pa" in head


def _jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    segments = []
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xDA:
            break
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        segments.append((marker, data[pos + 4 : pos + 2 + length]))
        pos += 2 + length
    return segments


def _has_gps_ifd(payload: bytes) -> bool:
    # GPSInfo IFD pointer tag 0x8825 in either byte order
    return b"\x88\x25" in payload or b"\x25\x88" in payload


# MP4/MOV boxes whose children are boxes (the path to every place a tag can hide)
_MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"udta", b"meta"}
# what a phone or an editor leaves: location (Android ©xyz, 3GPP loci, Apple keys), device and
# software names, dates and titles in udta/meta; "meta" itself holds Apple's keys and item list
_MP4_TAGS = {
    b"\xa9xyz": "gps",
    b"loci": "gps",
    b"keys": "device",  # Apple's metadata keys (make, model, software, ISO6709 location)
    b"ilst": "device",  # the item list; FFmpeg leaves an empty one, which is clean
    b"\xa9mak": "device",
    b"\xa9mod": "device",
    b"\xa9swr": "device",
    b"\xa9too": "device",
    b"\xa9day": "comments",
    b"\xa9nam": "comments",
    b"XMP_": "xmp",
    b"uuid": "xmp",  # XMP in MP4 sits in a uuid box (BE7ACFCB...); other uuid boxes are rare
}
_MP4_HEAD = 64 * 1024 * 1024  # moov is at the start or the end; a box walk skips mdat


def video_metadata_in(path: Path) -> list[str]:
    """What metadata an MP4/MOV file carries in its boxes, as category names (empty when clean).

    Walks the box tree (never reading the media data) and reports location tags (©xyz, loci,
    Apple's ISO6709 key), device and software tags, user data and meta boxes. Used as the last
    check of an exported video copy and by the tests; a file that is not MP4/MOV gives [].
    """
    found: set[str] = set()
    try:
        with open(path, "rb") as handle:
            _walk_mp4(handle, 0, path.stat().st_size, found, depth=0)
    except (OSError, struct.error):
        log.debug("could not walk the boxes of %s", path, exc_info=True)
    return sorted(found)


def _walk_mp4(
    handle: Any, start: int, end: int, found: set[str], depth: int, parent: bytes = b""
) -> None:
    pos = start
    while pos + 8 <= end and depth < 8:
        handle.seek(pos)
        size, kind = struct.unpack(">I4s", handle.read(8))
        header = 8
        if size == 1:
            size = struct.unpack(">Q", handle.read(8))[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header:
            return
        if kind in _MP4_TAGS and (kind not in (b"ilst", b"keys") or size > header + 8):
            found.add(_MP4_TAGS[kind])
        elif parent == b"udta" and kind != b"meta":
            found.add("device")  # any other user data: Samsung's manu/modl, FIRM, a title...
        elif parent == b"meta" and kind not in (b"hdlr", b"ilst", b"keys"):
            found.add("device")
        if kind in (b"udta", b"meta"):
            body = handle.read(min(size - header, _MP4_HEAD))
            if b"ISO6709" in body or b"\xa9xyz" in body or b"loci" in body:
                found.add("gps")
        if kind in _MP4_CONTAINERS:
            # a QuickTime "meta" is a plain container, an ISO one has 4 bytes of version/flags
            skip = 4 if kind == b"meta" and _is_full_box(handle, pos + header) else 0
            _walk_mp4(handle, pos + header + skip, pos + size, found, depth + 1, kind)
        pos += size


def _is_full_box(handle: Any, at: int) -> bool:
    handle.seek(at)
    return handle.read(4) == b"\x00\x00\x00\x00"
