"""The coded picture data of a HEIF/HEIC file, hashed without decoding it.

The cross-item check (checks.cross) looks for files with identical picture data and different
metadata. For a JPEG it hashes the scan bytes (jpeg.image_data_hash); for a HEIC it decoded the
picture in full (~0.4 s for a 12 MP photo, every same-size photo of a case). A HEIC's picture is
its primary item: for a phone, a grid whose tiles are separate HEVC items. `image_data_hash`
hashes the primary item's bytes and those of every item it is derived from (iref `dimg`, in
reference order) as the item locations (iloc) give them, from the file or from the meta box's
`idat`: a copy with edited metadata keeps them byte for byte, a re-encoded picture does not.

Bounds: the meta box is read only when smaller than MAX_META; item, reference and extent counts
are capped; every extent must lie inside the file (or the idat). Anything else -- construction
method 2, an extent of length 0 ("to the end"), a box that runs past its parent, no primary
item -- gives None, and the caller decodes the picture instead.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MAX_META = 16 * 1024 * 1024
_MAX_TOP_BOXES = 1_000
_MAX_ITEMS = 10_000
_MAX_EXTENTS = 100_000
_CHUNK = 1 << 20


@dataclass(frozen=True)
class _Extent:
    method: int  # 0: file offset, 1: offset into the meta box's idat
    offset: int
    length: int


class _Odd(Exception):
    """The file is not laid out in a way this reader follows; the caller decodes instead."""


def image_data_hash(path: Path) -> str | None:
    """SHA-256 of the primary image's coded data (and its tiles'), or None (see the module)."""
    try:
        with open(path, "rb") as fh:
            size = fh.seek(0, 2)
            meta = _meta_box(fh, size)
            primary, locations, references, idat = _parse_meta(meta)
            items = [primary, *references.get(primary, [])]
            digest = hashlib.sha256()
            for item in items:
                extents = locations.get(item)
                if not extents:
                    raise _Odd
                digest.update(struct.pack(">Q", sum(e.length for e in extents)))
                for extent in extents:
                    _feed(digest, fh, size, idat, extent)
            return digest.hexdigest()
    except (OSError, _Odd, struct.error, IndexError, ValueError):
        return None


def _meta_box(fh: BinaryIO, size: int) -> bytes:
    pos = 0
    for _ in range(_MAX_TOP_BOXES):
        if pos + 8 > size:
            break
        fh.seek(pos)
        head = fh.read(16)
        length, kind = struct.unpack_from(">I4s", head)
        header = 8
        if length == 1:
            length, header = struct.unpack_from(">Q", head, 8)[0], 16
        elif length == 0:
            length = size - pos
        if length < header or pos + length > size:
            raise _Odd
        if kind == b"meta":
            if length > MAX_META:
                raise _Odd
            fh.seek(pos + header)
            body = fh.read(length - header)
            if len(body) != length - header:
                raise _Odd
            return body
        pos += length
    raise _Odd


def _boxes(data: bytes, start: int) -> dict[bytes, bytes]:
    """The child boxes of a box body from `start` (the first of each type)."""
    found: dict[bytes, bytes] = {}
    pos = start
    while pos + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if length == 1:
            length, header = struct.unpack_from(">Q", data, pos + 8)[0], 16
        elif length == 0:
            length = len(data) - pos
        if length < header or pos + length > len(data):
            raise _Odd
        found.setdefault(kind, data[pos + header : pos + length])
        pos += length
    return found


def _parse_meta(
    meta: bytes,
) -> tuple[int, dict[int, list[_Extent]], dict[int, list[int]], bytes]:
    children = _boxes(meta, 4)  # meta is a full box: version and flags first
    pitm, iloc = children.get(b"pitm"), children.get(b"iloc")
    if pitm is None or iloc is None:
        raise _Odd
    primary = struct.unpack_from(">H" if pitm[0] == 0 else ">I", pitm, 4)[0]
    iref = children.get(b"iref")
    return primary, _iloc(iloc), _dimg(iref) if iref else {}, children.get(b"idat", b"")


def _uint(data: bytes, pos: int, size: int) -> tuple[int, int]:
    if size == 0:
        return 0, pos
    if size not in (4, 8) or pos + size > len(data):
        raise _Odd
    return int.from_bytes(data[pos : pos + size], "big"), pos + size


def _iloc(body: bytes) -> dict[int, list[_Extent]]:
    version = body[0]
    if version > 2:
        raise _Odd
    offset_size, length_size = body[4] >> 4, body[4] & 15
    base_size, index_size = body[5] >> 4, (body[5] & 15) if version else 0
    pos = 6
    wide = version == 2  # item ids and the item count in 32 bits
    count = struct.unpack_from(">I" if wide else ">H", body, pos)[0]
    pos += 4 if wide else 2
    if count > _MAX_ITEMS:
        raise _Odd
    out: dict[int, list[_Extent]] = {}
    extents_seen = 0
    for _ in range(count):
        item = struct.unpack_from(">I" if wide else ">H", body, pos)[0]
        pos += 4 if wide else 2
        method = 0
        if version:
            method, pos = struct.unpack_from(">H", body, pos)[0] & 15, pos + 2
        pos += 2  # data_reference_index
        base, pos = _uint(body, pos, base_size)
        extent_count, pos = struct.unpack_from(">H", body, pos)[0], pos + 2
        extents_seen += extent_count
        if extents_seen > _MAX_EXTENTS:
            raise _Odd
        extents = []
        for _ in range(extent_count):
            if index_size:
                _, pos = _uint(body, pos, index_size)
            offset, pos = _uint(body, pos, offset_size)
            length, pos = _uint(body, pos, length_size)
            extents.append(_Extent(method, base + offset, length))
        out[item] = extents
    return out


def _dimg(body: bytes) -> dict[int, list[int]]:
    """Item -> the items it is derived from (iref `dimg`), in reference order."""
    wide = body[0] != 0
    out: dict[int, list[int]] = {}
    pos, seen = 4, 0
    while pos + 8 <= len(body):
        length, kind = struct.unpack_from(">I4s", body, pos)
        if length < 8 or pos + length > len(body):
            raise _Odd
        if kind == b"dimg":
            at = pos + 8
            fmt, step = (">I", 4) if wide else (">H", 2)
            source = struct.unpack_from(fmt, body, at)[0]
            count = struct.unpack_from(">H", body, at + step)[0]
            seen += count
            if seen > _MAX_ITEMS or at + step + 2 + count * step > pos + length:
                raise _Odd
            out.setdefault(source, []).extend(
                struct.unpack_from(fmt, body, at + step + 2 + n * step)[0] for n in range(count)
            )
        pos += length
    return out


def _feed(digest: hashlib._Hash, fh: BinaryIO, size: int, idat: bytes, extent: _Extent) -> None:
    if extent.length == 0 or extent.method not in (0, 1):
        raise _Odd
    end = extent.offset + extent.length
    if extent.method == 1:
        if end > len(idat):
            raise _Odd
        digest.update(idat[extent.offset : end])
        return
    if end > size:
        raise _Odd
    fh.seek(extent.offset)
    left = extent.length
    while left:
        chunk = fh.read(min(left, _CHUNK))
        if not chunk:
            raise _Odd
        digest.update(chunk)
        left -= len(chunk)
