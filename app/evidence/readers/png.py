"""PNG chunks: the inventory in file order, text chunks, eXIf and tIME (bounded reads).

Text chunks are key/value pairs anyone can write, and most standard keys hold a person's words:
Author, Comment (often a home-folder path), Description, Copyright, Title, Source, Disclaimer,
and any key a program invents. Their values never leave this reader: the key is kept (so the
checks and the privacy summary know the chunk is there) with an empty value. Values are kept
only for keys that name software (Software and equivalents), creation times, and AIGC labels.
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from app.evidence.readers.exif import fix_mojibake

_MAX_TEXT_VALUE = 8192
_MAX_PNG_CHUNKS = 20_000
_MAX_PNG_TEXTS = 64
_MAX_PNG_META_CHUNK = 4_000_000
SOFTWARE_KEYS = frozenset({"software", "creator tool", "creatortool", "producer", "encoder"})
"""Keys whose value names the program that wrote the file: the only values reported as such."""
TIME_KEYS = frozenset({"creation time", "date:create", "creationtime", "create-date"})
TECHNICAL_KEYS = TIME_KEYS | {"date:modify", "date:timestamp", "aigc"}
"""Keys whose value is a date or a machine label, kept for the time and AIGC checks."""


@dataclass
class PngInfo:
    chunks: list[str] = field(default_factory=list)
    text: dict[str, str] = field(default_factory=dict)
    times: list[tuple[str, str]] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)
    exif: bytes | None = None
    xmp: bytes | None = None


def walk_png(path: Path, warns: list[str]) -> PngInfo:
    """List every chunk in file order and read the text, eXIf and time chunks (bounded)."""
    png = PngInfo()
    with path.open("rb", buffering=0) as fh:  # unbuffered: one small read per chunk header
        size = os.fstat(fh.fileno()).st_size
        pos = fh.seek(8)
        while True:
            if len(png.chunks) >= _MAX_PNG_CHUNKS:
                warns.append("The PNG has an unusual number of chunks; only the first were listed.")
                return png
            head = fh.read(8)
            if len(head) < 8:
                warns.append("The PNG ends without its end chunk (IEND): it may be cut short.")
                return png
            length, ctype = struct.unpack(">I4s", head)
            if not ctype.isalpha():
                warns.append(f"The PNG is damaged after byte {pos} (invalid chunk).")
                return png
            name = ctype.decode("ascii")
            png.chunks.append(name)
            if pos + 12 + length > size:
                warns.append(f"The PNG chunk {name} runs past the end of the file (cut short).")
                return png
            if name in ("tEXt", "zTXt", "iTXt", "eXIf", "tIME") and length <= _MAX_PNG_META_CHUNK:
                _png_meta(png, name, fh.read(length), warns)
                fh.seek(4, os.SEEK_CUR)
            else:
                fh.seek(length + 4, os.SEEK_CUR)
            pos += 12 + length
            if name == "IEND":
                if size > pos:
                    png.raw["PNG:BytesAfterIEND"] = str(size - pos)
                return png


def _png_meta(png: PngInfo, name: str, data: bytes, warns: list[str]) -> None:
    if name == "eXIf":
        if png.exif is None:
            png.exif = data
        return
    if name == "tIME":
        if len(data) == 7:
            y, mo, d, h, mi, s = struct.unpack(">HBBBBB", data)
            value = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}+00:00"
            # tIME is the last-modified time, not a creation time: kept for the expert view only
            png.raw["PNG:tIME"] = value
        return
    key_bytes, _, rest = data.partition(b"\x00")
    key = key_bytes.decode("latin-1")[:79]
    try:
        if name == "tEXt":
            text = fix_mojibake(rest.decode("latin-1"))
        elif name == "zTXt":
            text = fix_mojibake(_inflate(rest[1:]).decode("latin-1"))
        else:
            compressed, rest = rest[:1] == b"\x01", rest[2:]
            _lang, _, rest = rest.partition(b"\x00")
            _translated, _, rest = rest.partition(b"\x00")
            text = (_inflate(rest) if compressed else rest).decode("utf-8", "replace")
    except zlib.error:
        warns.append(f"The PNG text chunk '{key}' is damaged.")
        return
    if key == "XML:com.adobe.xmp":
        png.xmp = png.xmp or text.encode("utf-8")
        return
    if len(png.text) < _MAX_PNG_TEXTS and key not in png.text:
        png.text[key] = text[:_MAX_TEXT_VALUE] if _value_kept(key, text) else ""
        if key.lower() in TIME_KEYS:
            png.times.insert(0, (key, text))


def _value_kept(key: str, text: str) -> bool:
    """Whether a text chunk's value may be reported; personal and unknown fields never are."""
    lowered = key.strip().lower()
    if lowered in SOFTWARE_KEYS or lowered in TECHNICAL_KEYS:
        return True
    return "Label" in text and "ContentProducer" in text  # a TC260 AIGC label under another key


def _inflate(data: bytes) -> bytes:
    return zlib.decompressobj().decompress(data, _MAX_TEXT_VALUE * 4)
