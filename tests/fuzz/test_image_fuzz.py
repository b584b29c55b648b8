"""Fuzz EXIF and XMP handling: `read_image` and `check_file` on generated metadata.

Hypothesis builds EXIF blocks entry by entry (known and unknown tags, every value type and some
that do not exist, counts up to 2^32-1, offsets inside, past and around the block, IFD chains
that loop) and XMP packets from pieces of real ones (entities, DOCTYPEs, deep nesting, UTF-16,
NULs), and puts them where phones and editors put them: a JPEG's APP1 segments, a PNG's eXIf
and iTXt chunks. The properties are what an import relies on:
  - `read_image` returns metadata or raises an `InputError`, nothing else;
  - the metadata is stored as JSON in SQLite, so it must serialise to valid UTF-8 JSON and come
    back through `metadata_from_json`;
  - `check_file` gives one of the five verdicts.
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from app.evidence.checks import check_file
from app.evidence.checks.metajson import metadata_from_json
from app.evidence.checks.model import Verdict
from app.evidence.errors import InputError
from app.evidence.models import MediaMetadata
from app.evidence.readers.image import read_image
from app.evidence.readers.xmp import read_xmp
from tests.fuzz.support import fuzz_settings


def _base_jpeg() -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((32, 24)).convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def _base_png_chunks() -> tuple[bytes, bytes]:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 100, 50)).save(out, "PNG")
    data = out.getvalue()
    return data[:33], data[33:]  # signature + IHDR, then IDAT + IEND


JPEG = _base_jpeg()
PNG_HEAD, PNG_TAIL = _base_png_chunks()
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"

TAGS = [
    0x010F, 0x0110, 0x0112, 0x0131, 0x0132, 0x013B, 0x0201, 0x0202, 0x02BC, 0x8769, 0x8825,
    0xA005, 0x9003, 0x9004, 0x9010, 0x9011, 0x9291, 0x927C, 0x9286, 0xA002, 0xA003, 0x0103,
    0x0100, 0x0101, 0x0000, 0xFFFF, 0x0001, 0x0002, 0x0004, 0x0006, 0x0007, 0x001D, 0x0011,
]  # fmt: skip
COUNTS = st.one_of(
    st.integers(0, 40), st.sampled_from([0x7FFF, 0xFFFF, 0x40000000, 0x7FFFFFFF, 0xFFFFFFFF])
)
DATES = [
    b"2025:06:12 19:03:11\x00",
    b"0000:00:00 00:00:00\x00",
    b"9999:99:99 99:99:99\x00",
    b"+08:00\x00",
    b"    \x00",
]


@st.composite
def exif_blocks(draw: st.DrawFn) -> bytes:
    """A TIFF block: byte order, IFD0 (and maybe more IFDs), then a data area offsets point into."""
    big = draw(st.booleans())
    order = ">" if big else "<"
    data_area = b"".join(
        draw(st.lists(st.one_of(st.sampled_from(DATES), st.binary(max_size=24)), max_size=6))
    )
    ifd_count = draw(st.integers(1, 3))
    entries_per_ifd = [draw(st.integers(0, 12)) for _ in range(ifd_count)]
    sizes = [2 + 12 * n + 4 for n in entries_per_ifd]
    starts = [8 + sum(sizes[:i]) for i in range(ifd_count)]
    total = 8 + sum(sizes) + len(data_area)
    pointer = st.one_of(
        st.sampled_from(starts), st.integers(0, total + 16), st.sampled_from([0, 0xFFFFFFFF])
    )
    body = b""
    for index, count in enumerate(entries_per_ifd):
        declared = draw(st.one_of(st.just(count), st.integers(0, 0xFFFF)))
        ifd = struct.pack(order + "H", declared)
        for _ in range(count):
            tag = draw(st.sampled_from(TAGS))
            kind = draw(st.one_of(st.integers(0, 13), st.sampled_from([99, 0xFFFF])))
            value = draw(
                st.one_of(
                    pointer.map(lambda p: struct.pack(order + "I", p)),
                    st.binary(min_size=4, max_size=4),
                )
            )
            ifd += struct.pack(order + "HHI", tag, kind, draw(COUNTS)) + value
        next_ifd = draw(st.one_of(st.just(0), pointer))
        body += ifd + struct.pack(order + "I", next_ifd)
        assert len(ifd) + 4 == sizes[index]
    head = (b"MM\x00\x2a" if big else b"II\x2a\x00") + struct.pack(
        order + "I", draw(st.one_of(st.just(8), pointer))
    )
    return head + body + data_area


XMP_PIECES = [
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>', '<?xpacket end="w"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">', "</x:xmpmeta>",
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', "</rdf:RDF>",
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    'xmp:CreatorTool="Adobe Photoshop 25.0">',
    '<rdf:Description xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#" '
    'stEvt:action="saved">',
    "</rdf:Description>", "<xmp:CreateDate>2025-06-12T19:03:11+08:00</xmp:CreateDate>",
    "<xmp:ModifyDate>garbage</xmp:ModifyDate>", "<tiff:Make>Apple</tiff:Make>", "&amp;", "&#0;",
    "&#xD800;", "&undefined;", "&b;",
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
    "<![CDATA[ <not a tag> ]]>", "<!-- comment -->", "<a>" * 50, "</a>" * 50, "\x00", "\ufffe",
    "é中文",
    "<", ">", '"', "=", " ", "\n",
]  # fmt: skip


@st.composite
def xmp_packets(draw: st.DrawFn) -> bytes:
    """XMP-like text from real pieces and random text, encoded as phones and editors do."""
    parts = draw(
        st.lists(st.one_of(st.sampled_from(XMP_PIECES), st.text(max_size=20)), max_size=40)
    )
    text = "".join(parts)
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "utf-16-le", "latin-1"]))
    return text.encode(encoding, errors="replace")


def jpeg_with(segments: list[bytes]) -> bytes:
    """The base JPEG with APP1 segments (each body at most 65533 bytes) after SOI."""
    out = JPEG[:2]
    for body in segments:
        body = body[:65533]
        out += b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    return out + JPEG[2:]


def png_with(chunks: list[tuple[bytes, bytes]]) -> bytes:
    """The base PNG with extra chunks between IHDR and IDAT."""
    extra = b"".join(
        struct.pack(">I", len(body))
        + kind
        + body
        + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        for kind, body in chunks
    )
    return PNG_HEAD + extra + PNG_TAIL


def assert_reads_safely(path: Path) -> None:
    """The properties an import relies on (see the module docstring)."""
    try:
        meta = read_image(path)
    except InputError:
        meta = None
    if meta is not None:
        assert isinstance(meta, MediaMetadata)
        stored = json.dumps(meta.to_json(), ensure_ascii=False)
        stored.encode("utf-8")  # SQLite refuses text with lone surrogates
        again = metadata_from_json(json.loads(stored))
        assert again is not None and again.format == meta.format
    assert check_file(path).verdict in set(Verdict)


@fuzz_settings(800)
@given(block=exif_blocks(), in_png=st.booleans())
def test_generated_exif_blocks(tmp_path_factory, block: bytes, in_png: bool) -> None:
    path = tmp_path_factory.mktemp("exif") / ("f.png" if in_png else "f.jpg")
    path.write_bytes(
        png_with([(b"eXIf", block)]) if in_png else jpeg_with([b"Exif\x00\x00" + block])
    )
    assert_reads_safely(path)


@fuzz_settings(500)
@given(packet=xmp_packets(), where=st.sampled_from(["jpeg", "png_itxt", "png_itxt_z", "exif_700"]))
def test_generated_xmp_packets(tmp_path_factory, packet: bytes, where: str) -> None:
    warns: list[str] = []
    read_xmp(packet, warns)  # the parser alone, then where files carry it
    if where == "jpeg":
        data = jpeg_with([XMP_HEADER + packet])
    elif where.startswith("png_itxt"):
        compressed = where.endswith("_z")
        text = zlib.compress(packet) if compressed else packet
        data = png_with(
            [(b"iTXt", b"XML:com.adobe.xmp\x00" + bytes([compressed, 0]) + b"\x00\x00" + text)]
        )
    else:  # EXIF tag 700 (XMP) pointing at the packet right after IFD0
        ifd = struct.pack(">H", 1) + struct.pack(">HHII", 0x02BC, 1, len(packet), 26) + b"\x00" * 4
        data = jpeg_with([b"Exif\x00\x00" + b"MM\x00\x2a\x00\x00\x00\x08" + ifd + packet])
    path = tmp_path_factory.mktemp("xmp") / ("f.png" if where.startswith("png") else "f.jpg")
    path.write_bytes(data)
    assert_reads_safely(path)


@fuzz_settings(400)
@given(
    chunks=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    b"tEXt",
                    b"zTXt",
                    b"iTXt",
                    b"eXIf",
                    b"tIME",
                    b"iCCP",
                    b"acTL",
                    b"fcTL",
                    b"IHDR",
                    b"IEND",
                    b"zzZz",
                ]
            ),
            st.binary(max_size=64),
        ),
        max_size=8,
    ),
    cut=st.one_of(st.none(), st.integers(8, 200)),
)
def test_generated_png_chunk_streams(
    tmp_path_factory, chunks: list[tuple[bytes, bytes]], cut: int | None
) -> None:
    data = png_with(chunks)
    path = tmp_path_factory.mktemp("png") / "f.png"
    path.write_bytes(data[:cut] if cut else data)
    assert_reads_safely(path)
