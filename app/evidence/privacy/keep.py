"""Metadata the user chose to keep: the original's EXIF and XMP, carried into a clean JPEG copy.

Off by default (see `metadata`): an export keeps metadata only when the user opts in for that
export. Then an upload page showing a photo or screenshot carries its original's EXIF block
(with the GPS position, the capture time, the maker notes and the EXIF thumbnail, byte for byte)
and its XMP packet, inserted as APP1 segments after the pixels were encoded. The one value
changed is the orientation: the copy's pixels are already upright, so it is set to 1 (a viewer
that honoured the original's "rotate 90°" would otherwise turn the page on its side).

Never for a picture with an accepted redaction: its EXIF thumbnail (and XMP previews some
editors embed) show the picture as it was, hidden area included, so the copy keeps nothing;
the privacy page says so.
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass
from pathlib import Path

from app.evidence.errors import InputError
from app.evidence.readers.image import open_image

log = logging.getLogger(__name__)

EXIF_HEADER = b"Exif\x00\x00"
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
_SEGMENT_MAX = 65533  # an APPn payload's length field is 16 bits and counts itself
_ORIENTATION = 0x0112


@dataclass(frozen=True)
class KeptMetadata:
    """The original's EXIF payload ("Exif\\0\\0" + TIFF) and XMP packet, either may be absent."""

    exif: bytes | None = None
    xmp: bytes | None = None

    def __bool__(self) -> bool:
        return bool(self.exif or self.xmp)


def read_kept(path: Path) -> KeptMetadata:
    """The EXIF and XMP of an image original (JPEG, PNG, HEIC, WebP); empty when it has none."""
    try:
        with open_image(path) as im:
            exif = im.info.get("exif")
            xmp = im.info.get("xmp") or im.info.get("XML:com.adobe.xmp")
    except InputError:
        log.info("%s: unreadable, no metadata kept", path.name, exc_info=True)
        return KeptMetadata()
    if isinstance(exif, bytes) and exif and not exif.startswith(EXIF_HEADER):
        exif = EXIF_HEADER + exif  # PNG eXIf and some HEIC readers give the bare TIFF block
    if isinstance(xmp, str):
        xmp = xmp.encode("utf-8")
    return KeptMetadata(
        exif if isinstance(exif, bytes) and exif else None,
        xmp if isinstance(xmp, bytes) and xmp else None,
    )


def with_kept(jpeg: bytes, kept: KeptMetadata) -> bytes:
    """The JPEG with the kept EXIF (orientation set to upright) and XMP inserted after SOI/JFIF.

    A block too large for one JPEG segment (a HEIC's EXIF with a big preview) is left out.
    """
    if not kept or not jpeg.startswith(b"\xff\xd8"):
        return jpeg
    segments = b""
    if kept.exif:
        segments += _segment(upright_exif(kept.exif), "EXIF")
    if kept.xmp:
        segments += _segment(XMP_HEADER + kept.xmp, "XMP")
    pos = 2
    if jpeg[2:4] == b"\xff\xe0":  # JFIF APP0 stays first, as readers expect
        pos = 4 + struct.unpack(">H", jpeg[4:6])[0]
    return jpeg[:pos] + segments + jpeg[pos:]


def upright_exif(exif: bytes) -> bytes:
    """The EXIF payload with IFD0's orientation set to 1 (unchanged when it has none)."""
    tiff = len(EXIF_HEADER)
    data = bytearray(exif)
    try:
        order = {b"II": "<", b"MM": ">"}[bytes(data[tiff : tiff + 2])]
        ifd = tiff + struct.unpack(order + "I", data[tiff + 4 : tiff + 8])[0]
        count = struct.unpack(order + "H", data[ifd : ifd + 2])[0]
        for n in range(count):
            entry = ifd + 2 + 12 * n
            tag, kind = struct.unpack(order + "HH", data[entry : entry + 4])
            if tag == _ORIENTATION and kind == 3:  # SHORT, stored in the entry itself
                data[entry + 8 : entry + 10] = struct.pack(order + "H", 1)
                break
    except (KeyError, struct.error, IndexError):
        log.debug("EXIF without a readable IFD0; orientation left as is")
    return bytes(data)


def _segment(payload: bytes, what: str) -> bytes:
    if len(payload) > _SEGMENT_MAX:
        log.info("%s block of %d bytes does not fit one JPEG segment; not kept", what, len(payload))
        return b""
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
