"""Byte-level metadata rewrites for test files, the way exiftool-like tools change a JPEG.

No re-encoding: only the APP1 segments change (or a value is patched in place), so the
compressed picture stays byte-identical, as in a real metadata-only edit.
"""

from __future__ import annotations

import struct

from PIL import Image

XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"


def segments(data: bytes) -> list[tuple[int, int, int]]:
    """(marker, start, end) of each header segment up to SOS."""
    out, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        length = struct.unpack_from(">H", data, pos + 2)[0]
        out.append((marker, pos, pos + 2 + length))
        if marker == 0xDA:
            break
        pos += 2 + length
    return out


def exif_segment(data: bytes) -> tuple[int, int]:
    """Start and end of the first APP1 EXIF segment."""
    for marker, start, end in segments(data):
        if marker == 0xE1 and data[start + 4 : start + 10] == b"Exif\x00\x00":
            return start, end
    raise ValueError("no EXIF segment")


def replace_exif(data: bytes, tiff: bytes) -> bytes:
    """Swap the EXIF block for `tiff` (TIFF bytes, without the Exif header)."""
    start, end = exif_segment(data)
    body = b"Exif\x00\x00" + tiff
    return data[:start] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + data[end:]


def rewrite_exif(data: bytes, ifd0: dict[int, object] | None = None) -> bytes:
    """Rebuild the EXIF block with Pillow (as piexif/exiftool would), changing IFD0 tags."""
    start, end = exif_segment(data)
    exif = Image.Exif()
    exif.load(data[start + 4 : end])
    for tag, value in (ifd0 or {}).items():
        exif[tag] = value
    rebuilt = exif.tobytes()
    return replace_exif(data, rebuilt.removeprefix(b"Exif\x00\x00"))


def insert_xmp(data: bytes, xmp: str) -> bytes:
    """Insert (or replace) an XMP APP1 segment right after the EXIF block."""
    body = XMP_HEADER + xmp.encode("utf-8")
    segment = b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    for marker, start, end in segments(data):
        if marker == 0xE1 and data[start + 4 : start + 4 + len(XMP_HEADER)] == XMP_HEADER:
            return data[:start] + segment + data[end:]
    _, end = exif_segment(data)
    return data[:end] + segment + data[end:]


def patch_exif_ascii(data: bytes, tag: int, value: str, tiff_start: int | None = None) -> bytes:
    """Overwrite an ASCII tag's value in place (same length), in IFD0 or the EXIF sub-IFD."""
    if tiff_start is None:
        start, _ = exif_segment(data)
        tiff_start = start + 10
    end = "<" if data[tiff_start : tiff_start + 2] == b"II" else ">"

    def find(ifd: int) -> int | None:
        count = struct.unpack_from(end + "H", data, tiff_start + ifd)[0]
        for i in range(count):
            entry = tiff_start + ifd + 2 + 12 * i
            t, _kind, n, offset = struct.unpack_from(end + "HHLL", data, entry)
            if t == tag:
                return tiff_start + offset if n > 4 else entry + 8
            if t == 0x8769:
                found = find(offset)
                if found is not None:
                    return found
        return None

    first = struct.unpack_from(end + "L", data, tiff_start + 4)[0]
    at = find(first)
    if at is None:
        raise ValueError(f"tag 0x{tag:04X} not found")
    raw = value.encode("ascii")
    return data[:at] + raw + data[at + len(raw) :]


def history_xmp(tool: str = "Adobe Photoshop 25.0 (Windows)") -> str:
    """An XMP packet with an Adobe-style edit history."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" '
        'xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#">'
        "<xmpMM:History><rdf:Seq>"
        f'<rdf:li stEvt:action="saved" stEvt:when="2025-06-12T20:00:00+08:00" '
        f'stEvt:softwareAgent="{tool}" stEvt:changed="/"/>'
        "</rdf:Seq></xmpMM:History></rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )
