"""JPEG file structure: the marker inventory, what follows the picture, and the scan data hash.

`read_jpeg_structure` walks the segments from SOI to the first SOS (never the compressed data),
then finds the end of the main picture. Integrity checks use it for traces that headers keep:
which program family wrote the file (marker order, table grouping, standard Huffman tables),
several EXIF blocks, Photoshop image resources, a C2PA manifest, and bytes after the picture.

The file is memory-mapped, so a large JPEG costs address space, not memory. Nothing raises on
malformed input: what could not be walked is reported in `JpegStructure.problems`.
"""

from __future__ import annotations

import hashlib
import logging
import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

_MAX_SEGMENTS = 4096
_MAX_RESOURCES = 256

# Annex K (ITU T.81) Huffman code-length counts: (class, is_chroma) -> BITS[1..16]. A library
# writing "standard" tables (libjpeg without optimisation, most camera firmware) uses these.
_STANDARD_BITS = {
    (0, False): (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0),
    (0, True): (0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0),
    (1, False): (0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D),
    (1, True): (0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77),
}
_SOF = {0xC0: "baseline", 0xC1: "extended", 0xC2: "progressive", 0xC3: "lossless"}
_APP_LABELS = (
    (b"JFIF\x00", "JFIF"),
    (b"JFXX\x00", "JFXX"),
    (b"Exif\x00", "Exif"),
    (b"http://ns.adobe.com/xap/1.0/\x00", "XMP"),
    (b"http://ns.adobe.com/xmp/extension/\x00", "XMP-extension"),
    (b"ICC_PROFILE\x00", "ICC"),
    (b"MPF\x00", "MPF"),
    (b"Photoshop 3.0\x00", "Photoshop"),
    (b"Adobe", "Adobe"),
    (b"Ducky", "Ducky"),
    (b"JP", "JUMBF"),
)


@dataclass(frozen=True)
class JpegSegment:
    """One marker segment before the compressed data: "APP1" with label "Exif", "DQT", ..."""

    marker: str
    label: str
    offset: int
    length: int
    tables: int = 0  # DQT / DHT: how many tables the segment carries


@dataclass(frozen=True)
class JpegStructure:
    """The layout of a JPEG file.

    Attributes:
        segments: marker segments from SOI up to and including the first SOS.
        exif_blocks: APP1 segments that start with "Exif".
        exif_tiff: the first EXIF block's TIFF bytes (after "Exif\\0\\0"), or None.
        photoshop_resources: Photoshop image-resource ids found in APP13 (8BIM blocks).
        photoshop_quality: the Photoshop save quality (0-12) when resource 0x0406 says it.
        standard_huffman: every Huffman table is the Annex K standard one (None: no DHT).
        sof: "baseline", "progressive", ...; sampling: (h, v) per component.
        c2pa: an APP11 JUMBF box labelled "c2pa" (Content Credentials) is present.
        eoi_offset: where the main picture ends (offset of FF D9), None when not found.
        after_eoi: bytes after the main picture; trailer: what they look like.
        problems: what could not be walked, in plain words.
    """

    size: int
    segments: tuple[JpegSegment, ...]
    exif_blocks: int
    exif_tiff: bytes | None
    photoshop_resources: tuple[int, ...]
    photoshop_quality: int | None
    standard_huffman: bool | None
    sof: str | None
    sampling: tuple[tuple[int, int], ...]
    c2pa: bool
    eoi_offset: int | None
    after_eoi: int
    trailer: str | None
    problems: tuple[str, ...]

    def labels(self) -> list[str]:
        """Segment names in file order, e.g. ["APP1:Exif", "APP0:JFIF", "DQT", ...]."""
        return [f"{s.marker}:{s.label}" if s.label else s.marker for s in self.segments]

    def app_order(self) -> str:
        """Which of JFIF and Exif comes first: "exif_first", "jfif_first", "exif", "jfif", ""."""
        names = [s.label for s in self.segments if s.label in ("JFIF", "Exif")]
        if "JFIF" in names and "Exif" in names:
            return "jfif_first" if names.index("JFIF") < names.index("Exif") else "exif_first"
        return names[0].lower() if names else ""

    def skeleton(self) -> str:
        """The encoder's own markers with table counts, e.g. "DQT2 DRI SOF0 DHT4 SOS"."""
        parts = []
        for s in self.segments:
            if s.marker.startswith(("APP", "COM")):
                continue
            parts.append(f"{s.marker}{s.tables}" if s.marker in ("DQT", "DHT") else s.marker)
        return " ".join(parts)

    def libjpeg_layout(self) -> bool:
        """One DQT segment per table and four standard DHT segments: libjpeg's default writer."""
        dqt = [s for s in self.segments if s.marker == "DQT"]
        dht = [s for s in self.segments if s.marker == "DHT"]
        return (
            len(dqt) >= 2
            and all(s.tables == 1 for s in dqt)
            and len(dht) == 4
            and all(s.tables == 1 for s in dht)
            and bool(self.standard_huffman)
        )


def read_jpeg_structure(path: Path) -> JpegStructure | None:
    """Walk a JPEG's markers; None when the file is not a JPEG or cannot be mapped."""
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            if mm[:2] != b"\xff\xd8":
                return None
            return _walk(mm)
    except (OSError, ValueError) as exc:
        logger.debug("cannot map %s: %s", path, exc)
        return None


def image_data_hash(path: Path) -> str | None:
    """SHA-256 of the compressed picture (first SOS to EOI): equal for equal pixels+encoding.

    Metadata edits leave it unchanged; any re-encode changes it (exiftool's ImageDataHash idea).
    """
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            structure = _walk(mm) if mm[:2] == b"\xff\xd8" else None
            sos = [s for s in structure.segments if s.marker == "SOS"] if structure else []
            if not structure or not sos:
                return None
            end = (structure.eoi_offset or len(mm) - 2) + 2
            return hashlib.sha256(mm[sos[0].offset : end]).hexdigest()
    except (OSError, ValueError):
        return None


def _walk(mm: mmap.mmap) -> JpegStructure:
    size = len(mm)
    pos = 2
    segments: list[JpegSegment] = []
    problems: list[str] = []
    exif_blocks, exif_tiff, c2pa = 0, None, False
    resources: list[int] = []
    ps_quality: int | None = None
    huffman: list[bool] = []
    sof: str | None = None
    sampling: tuple[tuple[int, int], ...] = ()
    sos_end = None
    while pos + 4 <= size and len(segments) < _MAX_SEGMENTS:
        if mm[pos] != 0xFF:
            problems.append(f"unexpected bytes at offset {pos} instead of a marker")
            break
        code = mm[pos + 1]
        if code == 0xFF:
            pos += 1
            continue
        if code in (0x01, 0xD8) or 0xD0 <= code <= 0xD7:
            pos += 2
            continue
        if code == 0xD9:
            problems.append("the picture ends before any image data")
            break
        length = struct.unpack_from(">H", mm, pos + 2)[0]
        if length < 2 or pos + 2 + length > size:
            problems.append(f"a marker segment at offset {pos} runs past the end of the file")
            break
        body = mm[pos + 4 : pos + 2 + length]
        marker, label, tables = _name(code), "", 0
        if 0xE0 <= code <= 0xEF:
            label = _app_label(body)
            if label == "Exif":
                exif_blocks += 1
                if exif_tiff is None:
                    exif_tiff = bytes(body[6:])
            elif label == "Photoshop":
                ps_quality = _photoshop(body, resources)
            elif code == 0xEB and b"c2pa" in body[:256]:
                c2pa, label = True, "C2PA"
        elif code == 0xDB:
            tables = _count_dqt(body)
        elif code == 0xC4:
            tables = _count_dht(body, huffman)
        elif code in _SOF:
            sof, sampling = _SOF[code], _sampling(body)
        segments.append(JpegSegment(marker, label, pos, length + 2, tables))
        pos += 2 + length
        if code == 0xDA:
            sos_end = pos
            break
    eoi = _find_eoi(mm, sos_end) if sos_end is not None else -1
    if sos_end is not None and eoi < 0:
        problems.append("no end-of-image marker: the file may be cut short")
    after = size - (eoi + 2) if eoi >= 0 else 0
    return JpegStructure(
        size=size,
        segments=tuple(segments),
        exif_blocks=exif_blocks,
        exif_tiff=exif_tiff,
        photoshop_resources=tuple(resources),
        photoshop_quality=ps_quality,
        standard_huffman=all(huffman) if huffman else None,
        sof=sof,
        sampling=sampling,
        c2pa=c2pa,
        eoi_offset=eoi if eoi >= 0 else None,
        after_eoi=after,
        trailer=_trailer(mm, eoi + 2) if after > 0 else None,
        problems=tuple(problems),
    )


_EOI_CHUNK = 1 << 22


def _find_eoi(mm: mmap.mmap, start: int) -> int:
    """Where the first FF D9 at or after `start` begins, or -1: `mm.find(b"\xff\xd9", start)`.

    Entropy-coded data holds an FF every few hundred bytes (each followed by a stuffed 00 or a
    restart marker), and a byte search stops at each: comparing a chunk at a time with numpy
    takes a quarter of the time (1.1 against 4.6 ms for a 4.3 MB 12 MP photo). Chunks are
    copied out of the map (no numpy view keeps it open) and bound the memory a huge file takes.
    """
    size = len(mm)
    pos = start
    while pos < size - 1:
        end = min(size, pos + _EOI_CHUNK + 1)  # one byte of overlap: a pair across chunks
        data = np.frombuffer(mm[pos:end], dtype=np.uint8)
        marks = np.flatnonzero(data[:-1] == 0xFF)
        hits = marks[data[marks + 1] == 0xD9]
        if hits.size:
            return pos + int(hits[0])
        pos = end - 1
    return -1


def _name(code: int) -> str:
    if 0xE0 <= code <= 0xEF:
        return f"APP{code - 0xE0}"
    if code in (0xC0, 0xC1, 0xC2, 0xC3):
        return f"SOF{code - 0xC0}"
    return {0xDB: "DQT", 0xC4: "DHT", 0xDA: "SOS", 0xDD: "DRI", 0xFE: "COM"}.get(
        code, f"0x{code:02X}"
    )


def _app_label(body: bytes) -> str:
    for prefix, label in _APP_LABELS:
        if body.startswith(prefix):
            return label
    head = bytes(body[:24]).split(b"\x00")[0]
    return "".join(chr(b) for b in head if 32 <= b < 127)[:24]


def _photoshop(body: bytes, resources: list[int]) -> int | None:
    """Collect 8BIM resource ids; return the save quality from resource 0x0406 if present."""
    pos, quality = 14, None
    while pos + 12 <= len(body) and len(resources) < _MAX_RESOURCES:
        if body[pos : pos + 4] != b"8BIM":
            break
        rid = struct.unpack_from(">H", body, pos + 4)[0]
        name_len = body[pos + 6]
        pos += 7 + name_len + ((name_len + 1) % 2)
        if pos + 4 > len(body):
            break
        data_len = struct.unpack_from(">I", body, pos)[0]
        data = body[pos + 4 : pos + 4 + data_len]
        resources.append(rid)
        if rid == 0x0406 and len(data) >= 2:  # ExifTool: PhotoshopQuality = int16s + 4
            quality = struct.unpack(">h", bytes(data[:2]))[0] + 4
        pos += 4 + data_len + (data_len % 2)
    return quality


def _count_dqt(body: bytes) -> int:
    pos, count = 0, 0
    while pos < len(body) and count < 8:
        precision = body[pos] >> 4
        pos += 1 + (128 if precision else 64)
        count += 1
    return count


def _count_dht(body: bytes, standard: list[bool]) -> int:
    pos, count = 0, 0
    while pos + 17 <= len(body) and count < 8:
        cls, ident = body[pos] >> 4, body[pos] & 0x0F
        bits = tuple(body[pos + 1 : pos + 17])
        standard.append(_STANDARD_BITS.get((cls, ident != 0)) == bits)
        pos += 17 + sum(bits)
        count += 1
    return count


def _sampling(body: bytes) -> tuple[tuple[int, int], ...]:
    if len(body) < 6:
        return ()
    count = body[5]
    return tuple(
        (body[6 + 3 * i + 1] >> 4, body[6 + 3 * i + 1] & 0x0F)
        for i in range(count)
        if 6 + 3 * i + 2 < len(body)
    )


def _trailer(mm: mmap.mmap, start: int) -> str:
    """What the bytes after the picture look like."""
    head = mm[start : start + 64]
    tail = mm[max(start, len(mm) - 64) :]
    if head.startswith(b"\xff\xd8"):
        return "jpeg"
    if b"ftyp" in head[:16]:
        return "mp4"
    if b"SEFT" in tail or b"SEFH" in tail:
        return "samsung"
    if not head.strip(b"\x00\xff"):
        return "padding"
    return "unknown"
