"""How an EXIF (TIFF) block is laid out: where each IFD sits and in what order its tags come.

A camera writes its EXIF block in one pass with a fixed layout; a metadata tool that rewrites
the block (exiftool, piexif, Pillow's `Exif.tobytes`) lays it out its own way. `exif_layout`
records the layout without interpreting values, so checks can compare it with what a given
camera model writes. `exif_thumbnail` returns the embedded thumbnail's bytes. Bounded and
loop-safe: nothing raises on malformed input.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

_MAX_ENTRIES = 1000
_POINTERS = {0x8769: "ExifIFD", 0x8825: "GPS", 0xA005: "Interop"}


@dataclass(frozen=True)
class IfdInfo:
    """One IFD: its name, byte offset, number of entries and tags in stored order."""

    name: str
    offset: int
    tags: tuple[int, ...]

    @property
    def sorted(self) -> bool:
        """TIFF 6.0 requires ascending tag order; camera firmware and careful tools keep it."""
        return list(self.tags) == sorted(self.tags)


@dataclass(frozen=True)
class ExifLayout:
    """The layout of an EXIF block.

    Attributes:
        byte_order: "II" (little-endian) or "MM" (big-endian).
        ifds: every IFD found, in the order of their byte offsets.
        makernote_offset: where the maker note starts (None when there is none).
        thumbnail: (offset, length) of the JPEG thumbnail, when declared and inside the block.
        size: length of the block in bytes.
    """

    byte_order: str
    ifds: tuple[IfdInfo, ...]
    makernote_offset: int | None
    thumbnail: tuple[int, int] | None
    size: int

    def order(self) -> str:
        """IFD names in byte order, with the maker note and thumbnail placed among them."""
        places = [(i.offset, i.name) for i in self.ifds]
        if self.makernote_offset is not None:
            places.append((self.makernote_offset, "MakerNote"))
        if self.thumbnail:
            places.append((self.thumbnail[0], "Thumbnail"))
        return ",".join(name for _, name in sorted(places))

    def unsorted_ifds(self) -> list[str]:
        """Names of IFDs whose tags are not in ascending order."""
        return [i.name for i in self.ifds if not i.sorted]


def exif_layout(tiff: bytes) -> ExifLayout | None:
    """Walk IFD0, its sub-IFDs and IFD1 of an EXIF block (the bytes after "Exif\\0\\0")."""
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return None
    end = "<" if tiff[:2] == b"II" else ">"
    ifds: list[IfdInfo] = []
    seen: set[int] = set()
    makernote = None
    thumb_offset = thumb_length = None

    def walk(name: str, offset: int) -> int | None:
        nonlocal makernote, thumb_offset, thumb_length
        if offset in seen or offset < 8 or offset + 2 > len(tiff):
            return None
        seen.add(offset)
        count = min(struct.unpack_from(end + "H", tiff, offset)[0], _MAX_ENTRIES)
        tags: list[int] = []
        children: list[tuple[str, int]] = []
        for i in range(count):
            entry = offset + 2 + 12 * i
            if entry + 12 > len(tiff):
                break
            tag, kind, _n, value = struct.unpack_from(end + "HHLL", tiff, entry)
            tags.append(tag)
            if tag in _POINTERS and kind in (4, 13):
                children.append((_POINTERS[tag], value))
            elif tag == 0x927C:
                makernote = value
            elif tag == 0x0201 and name == "IFD1":
                thumb_offset = value
            elif tag == 0x0202 and name == "IFD1":
                thumb_length = value
        ifds.append(IfdInfo(name, offset, tuple(tags)))
        for child_name, child_offset in children:
            walk(child_name, child_offset)
        next_pos = offset + 2 + 12 * count
        if next_pos + 4 > len(tiff):
            return None
        return int(struct.unpack_from(end + "L", tiff, next_pos)[0])

    first = struct.unpack_from(end + "L", tiff, 4)[0]
    next_ifd = walk("IFD0", first)
    if next_ifd:
        walk("IFD1", next_ifd)
    thumbnail = None
    if thumb_offset and thumb_length and thumb_offset + thumb_length <= len(tiff):
        thumbnail = (thumb_offset, thumb_length)
    return ExifLayout(
        byte_order=tiff[:2].decode("ascii"),
        ifds=tuple(sorted(ifds, key=lambda i: i.offset)),
        makernote_offset=makernote,
        thumbnail=thumbnail,
        size=len(tiff),
    )


def exif_thumbnail(tiff: bytes, layout: ExifLayout | None = None) -> bytes | None:
    """The embedded JPEG thumbnail's bytes, or None when there is no readable one."""
    layout = layout or exif_layout(tiff)
    if layout is None or layout.thumbnail is None:
        return None
    offset, length = layout.thumbnail
    data = tiff[offset : offset + length]
    return data if data.startswith(b"\xff\xd8") else None


def ifd0_size(tiff: bytes) -> tuple[int, int] | None:
    """IFD0 ImageWidth/ImageLength (what the writing program said the picture measured)."""
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return None
    end = "<" if tiff[:2] == b"II" else ">"
    offset = struct.unpack_from(end + "L", tiff, 4)[0]
    if offset < 8 or offset + 2 > len(tiff):
        return None
    count = min(struct.unpack_from(end + "H", tiff, offset)[0], _MAX_ENTRIES)
    found: dict[int, int] = {}
    for i in range(count):
        entry = offset + 2 + 12 * i
        if entry + 12 > len(tiff):
            break
        tag, kind, n = struct.unpack_from(end + "HHL", tiff, entry)
        if tag in (0x0100, 0x0101) and n == 1 and kind in (3, 4):
            fmt = end + ("H" if kind == 3 else "L")
            found[tag] = struct.unpack_from(fmt, tiff, entry + 8)[0]
    if found.get(0x0100) and found.get(0x0101):
        return found[0x0100], found[0x0101]
    return None
