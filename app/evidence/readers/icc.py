"""ICC colour profiles: the profile's description text."""

from __future__ import annotations

import struct

_MAX_RAW_VALUE = 256


def icc_description(icc: bytes) -> str | None:
    """The profile's 'desc' text (ICC v2 textDescription or v4 multiLocalizedUnicode)."""
    try:
        count = min(struct.unpack_from(">I", icc, 128)[0], 256)
        for i in range(count):
            sig, offset, size = struct.unpack_from(">4sII", icc, 132 + 12 * i)
            if sig != b"desc":
                continue
            tag = icc[offset : offset + min(size, 65536)]
            if tag[:4] == b"desc":
                length = struct.unpack_from(">I", tag, 8)[0]
                text = tag[12 : 12 + length].split(b"\x00")[0].decode("latin-1")
            elif tag[:4] == b"mluc":
                length, start = struct.unpack_from(">II", tag, 20)
                text = tag[start : start + length].decode("utf-16-be", "replace")
            else:
                return None
            return text.strip()[:_MAX_RAW_VALUE] or None
    except (struct.error, UnicodeDecodeError):
        return None
    return None
