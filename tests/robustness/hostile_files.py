"""Hostile files made on the fly: cut short, bit-flipped, lying headers, bombs, loops, encodings.

`write_generated(folder, corpus)` writes every case into `folder` and returns the names it
wrote, with the outcome some of them must have (most only need "an answer, no crash"). Every
case is made from a seeded RNG, so a failure names a file that the next run makes again.
"""

from __future__ import annotations

import io
import random
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

SEED = 11

# Corpus files the cut-short and bit-flipped cases start from (small ones first: a cut or a
# flipped bit near the headers is what breaks readers; the bulk of a file is entropy-coded data).
SOURCES = {
    "jpeg": "photos/originals/sanyo-vpcsx550.jpg",
    "exif_jpeg": "photos/orientation/landscape_6.jpg",
    "heic": "photos/originals/orientation_6.heic",
    "png": "synthetic/screenshots/chat_part2.png",
    "mp4": "synthetic/videos/packing_android_sf.mp4",
    "mov": "synthetic/videos/unboxing_iphone_zto.mov",
}


@dataclass(frozen=True)
class Expect:
    """What a generated file must end as.

    Attributes:
        import_status: "imported", "failed" or None (either is fine).
        error_code: the per-file error code the import or the item must carry, when set.
        verdict: the loose-file check's verdict, when set.
    """

    import_status: str | None = None
    error_code: str | None = None
    verdict: str | None = None


ANY = Expect()
UNREADABLE_KEPT = Expect("imported", verdict="unreadable")
BOMB = Expect("imported", "decompression_bomb", "unreadable")


# ----------------------------------------------------------------------------- byte builders


def png_chunk(kind: bytes, body: bytes, length: int | None = None) -> bytes:
    """One PNG chunk; `length` overrides the declared length (the CRC stays the real one)."""
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return (
        struct.pack(">I", len(body) if length is None else length)
        + kind
        + body
        + struct.pack(">I", crc)
    )


def png_file(
    width: int,
    height: int,
    *chunks: bytes,
    idat: bytes | None = None,
    depth: int = 8,
    colour: int = 2,
) -> bytes:
    """A PNG with an honest IHDR (of any declared size), extra chunks before IDAT, and IEND."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    if idat is None:
        idat = zlib.compress(b"\x00" * (1 + 3 * min(width, 4)))
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + b"".join(chunks)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def small_jpeg(width: int = 64, height: int = 48, **save: object) -> bytes:
    """A small real JPEG (a gradient), made by Pillow."""
    picture = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85, **save)
    return out.getvalue()


def with_app1(jpeg: bytes, tiff: bytes) -> bytes:
    """Insert an EXIF APP1 segment holding `tiff` right after SOI."""
    body = b"Exif\x00\x00" + tiff
    if len(body) + 2 > 0xFFFF:
        raise ValueError("EXIF block too large for one segment")
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + jpeg[2:]


def ifd(entries: list[tuple[int, int, int, bytes]], next_ifd: int) -> bytes:
    """A big-endian IFD: (tag, type, count, 4-byte value or offset) entries and the next pointer."""
    out = struct.pack(">H", len(entries))
    for tag, kind, count, value in entries:
        out += struct.pack(">HHI", tag, kind, count) + value.ljust(4, b"\x00")[:4]
    return out + struct.pack(">I", next_ifd)


def tiff_block(*ifds: bytes, tail: bytes = b"") -> bytes:
    """TIFF header (MM, IFD0 at 8) followed by the IFDs and any value bytes."""
    return b"MM\x00\x2a" + struct.pack(">I", 8) + b"".join(ifds) + tail


def u32(value: int) -> bytes:
    """A big-endian 32-bit value for an IFD entry."""
    return struct.pack(">I", value)


def sof_jpeg(width: int, height: int) -> bytes:
    """A real JPEG whose SOF0 is patched to declare `width` x `height`."""
    data = bytearray(small_jpeg())
    at = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, at + 5, height, width)
    return bytes(data)


def box(kind: bytes, body: bytes = b"", size: int | None = None) -> bytes:
    """An MP4 box; `size` overrides the declared 32-bit size."""
    return struct.pack(">I", 8 + len(body) if size is None else size) + kind + body


def nested(kinds: list[bytes], inner: bytes = b"") -> bytes:
    """Boxes nested inside each other, the first outermost."""
    body = inner
    for kind in reversed(kinds):
        body = box(kind, body)
    return body


FTYP = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41")


def mvhd() -> bytes:
    """A version-0 movie header: 1000 units a second, one second long."""
    body = b"\x00" * 4 + struct.pack(">IIII", 3_700_000_000, 3_700_000_000, 1000, 1000)
    return box(
        b"mvhd",
        body + b"\x00\x01\x00\x00\x01\x00" + b"\x00" * 10 + b"\x00" * 36 + b"\x00" * 24 + u32(2),
    )


# ----------------------------------------------------------------------------- the cases


def _mutations(rng: random.Random, sources: dict[str, bytes]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for label, data in sources.items():
        ext = SOURCES[label].rsplit(".", 1)[1]
        for n in range(4):  # cut short: inside the headers, and anywhere
            limit = min(len(data) - 1, 70_000) if n < 2 else len(data) - 1
            cut = rng.randrange(1, limit)
            out[f"gen_cut_{label}_{cut}.{ext}"] = data[:cut]
        for n in range(4):  # bit flips: in the first 64 KB (headers, EXIF, moov) or anywhere
            flipped = bytearray(data)
            span = min(len(data), 65_536) if n < 3 else len(data)
            for _ in range(rng.choice((1, 4, 32))):
                at = rng.randrange(span)
                flipped[at] ^= 1 << rng.randrange(8)
            out[f"gen_flip_{label}_{n}.{ext}"] = bytes(flipped)
    return out


def _exif_cases() -> dict[str, bytes]:
    jpeg = small_jpeg()
    make = (0x010F, 2, 6, b"Canon")
    cases = {
        # IFD0 whose next-IFD pointer points back at itself
        "gen_exif_ifd0_self_loop.jpg": tiff_block(ifd([make], 8)),
        # IFD0 -> IFD1 -> IFD0
        "gen_exif_ifd1_loop.jpg": tiff_block(
            ifd([make], 26), ifd([(0x0103, 3, 1, b"\x00\x06")], 8)
        ),
        # the Exif sub-IFD pointer points at IFD0, the GPS pointer at the sub-IFD pointer's IFD
        "gen_exif_subifd_loop.jpg": tiff_block(
            ifd([make, (0x8769, 4, 1, u32(8)), (0x8825, 4, 1, u32(8))], 0)
        ),
        # the interoperability pointer of the Exif IFD points at the Exif IFD itself
        "gen_exif_interop_loop.jpg": tiff_block(
            ifd([make, (0x8769, 4, 1, u32(38))], 0),
            ifd([(0xA005, 4, 1, u32(38)), (0x9003, 2, 20, u32(8))], 0),
        ),
        # counts that promise gigabytes, and one whose byte size overflows 32 bits
        "gen_exif_huge_counts.jpg": tiff_block(
            ifd(
                [
                    (0x010F, 2, 0xFFFFFFFF, u32(8)),
                    (0x0110, 4, 0x40000001, u32(8)),
                    (0x927C, 7, 0x7FFFFFFF, u32(8)),
                    (0x0201, 4, 1, u32(0xFFFFFF00)),
                    (0x0202, 4, 1, u32(0xFFFFFFFF)),
                ],
                0,
            )
        ),
        # an IFD that says it holds 65535 entries in a 30-byte block
        "gen_exif_huge_entry_count.jpg": b"MM\x00\x2a"
        + u32(8)
        + b"\xff\xff"
        + b"\x01\x0f\x00\x02" * 4,
        # every offset points past the end of the block
        "gen_exif_offsets_past_end.jpg": tiff_block(
            ifd(
                [
                    (0x010F, 2, 40, u32(60_000)),
                    (0x8769, 4, 1, u32(0x7FFFFFFF)),
                    (0x8825, 4, 1, u32(60_000)),
                ],
                0xFFFFFFF0,
            )
        ),
        # a thumbnail (IFD1) whose offset and length run past the block
        "gen_exif_thumbnail_past_end.jpg": tiff_block(
            ifd([make], 26),
            ifd(
                [
                    (0x0103, 3, 1, b"\x00\x06"),
                    (0x0201, 4, 1, u32(100)),
                    (0x0202, 4, 1, u32(10_000_000)),
                ],
                0,
            ),
        ),
        # a value type no reader knows and a zero-count ASCII entry
        "gen_exif_bad_types.jpg": tiff_block(
            ifd([(0x010F, 99, 5, u32(0)), (0x0110, 2, 0, u32(0)), (0x0132, 0, 1, u32(0))], 0)
        ),
        # only the TIFF header, IFD0 pointing at byte 0
        "gen_exif_ifd_at_zero.jpg": b"MM\x00\x2a" + u32(0),
        # little-endian header that claims big-endian values
        "gen_exif_mixed_endian.jpg": b"II\x00\x2a" + u32(8) + ifd([make], 8)[2:],
    }
    out = {name: with_app1(jpeg, tiff) for name, tiff in cases.items()}
    # many EXIF segments, each pointing into the others
    segments = b"".join(
        b"\xff\xe1" + struct.pack(">H", 8 + 16) + b"Exif\x00\x00" + tiff_block(ifd([], 8))[:16]
        for _ in range(2000)
    )
    out["gen_exif_2000_segments.jpg"] = jpeg[:2] + segments + jpeg[2:]
    # EXIF loop inside a PNG eXIf chunk
    out["gen_png_exif_loop.png"] = png_file(
        4, 4, png_chunk(b"eXIf", tiff_block(ifd([make, (0x8769, 4, 1, u32(8))], 8)))
    )
    return out


def _size_cases() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for w, h in ((0, 0), (65535, 65535), (1, 0), (0x7FFFFFFF, 1)):
        out[f"gen_png_{w}x{h}.png"] = png_file(w, h)
    out["gen_jpeg_0x0.jpg"] = sof_jpeg(0, 0)
    out["gen_jpeg_65535x65535.jpg"] = sof_jpeg(65535, 65535)
    out["gen_jpeg_65535x1.jpg"] = sof_jpeg(65535, 1)
    for w, h in ((0, 0), (65535, 65535)):
        out[f"gen_gif_{w}x{h}.gif"] = (
            b"GIF89a"
            + struct.pack("<HH", w, h)
            + b"\x00\x00\x00"
            + b",\x00\x00\x00\x00"
            + struct.pack("<HH", w, h)
            + b"\x00\x02\x02D\x01\x00;"
        )
        bmp_header = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, 0, 2835, 2835, 0, 0)
        out[f"gen_bmp_{w}x{h}.bmp"] = (
            b"BM" + struct.pack("<IHHI", 54 + 16, 0, 0, 54) + bmp_header + b"\x00" * 16
        )
        tiff_entries = [
            (0x0100, 4, 1, u32(w)), (0x0101, 4, 1, u32(h)), (0x0102, 3, 1, b"\x00\x08"),
            (0x0103, 3, 1, b"\x00\x01"), (0x0106, 3, 1, b"\x00\x01"), (0x0111, 4, 1, u32(8)),
            (0x0115, 3, 1, b"\x00\x01"), (0x0116, 4, 1, u32(max(h, 1))), (0x0117, 4, 1, u32(16)),
        ]  # fmt: skip
        out[f"gen_tiff_{w}x{h}.tif"] = tiff_block(ifd(tiff_entries, 0), tail=b"\x00" * 16)
    # WebP VP8X canvas at its 16384x16384 maximum
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (16383).to_bytes(3, "little") * 2
    out["gen_webp_16384x16384.webp"] = b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x
    return out


def _bomb_cases() -> dict[str, bytes]:
    out: dict[str, bytes] = {}

    def zero_rows(width: int, height: int, channels: int) -> bytes:
        packer = zlib.compressobj(1)
        row = b"\x00" * (1 + width * channels)
        parts = [packer.compress(row) for _ in range(height)]
        return b"".join(parts) + packer.flush()

    # 20000 x 20000 declared and honestly compressed: refused before any decoding
    out["gen_bomb_png_20000.png"] = png_file(20_000, 20_000, idat=zero_rows(20_000, 64, 3))
    # under the readers' cap but 484 MB once decoded (no preview: it would take ~1.4 GB)
    out["gen_bomb_png_11000_rgba.png"] = png_file(
        11_000, 11_000, idat=zero_rows(11_000, 11_000, 4), colour=6
    )
    # just under Pillow's own limit: the largest picture a preview decodes in full (~0.7 GB)
    out["gen_bomb_png_9400_rgba.png"] = png_file(
        9_400, 9_400, idat=zero_rows(9_400, 9_400, 4), colour=6
    )
    # text chunks that inflate to 50 MB
    packed = zlib.compress(b"A" * 50_000_000, 9)
    ztxt = png_chunk(b"zTXt", b"Comment\x00\x00" + packed)
    itxt = png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + packed)
    iccp = png_chunk(b"iCCP", b"icc\x00\x00" + packed)
    out["gen_bomb_png_text.png"] = png_file(4, 4, ztxt, itxt)
    out["gen_bomb_png_iccp.png"] = png_file(4, 4, iccp)
    return out


def _png_chunk_cases() -> dict[str, bytes]:
    text = png_chunk(b"tEXt", b"Software\x00x")
    return {
        "gen_png_len_7fffffff.png": png_file(
            4, 4, png_chunk(b"tEXt", b"a\x00b", length=0x7FFFFFFF)
        ),
        "gen_png_len_ffffffff.png": png_file(
            4, 4, png_chunk(b"eXIf", b"MM\x00*", length=0xFFFFFFFF)
        ),
        "gen_png_ihdr_len_wrong.png": b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0), 0x100)
        + png_chunk(b"IEND", b""),
        "gen_png_idat_past_end.png": png_file(4, 4)[:33]
        + b"\x7f\xff\xff\xffIDAT"
        + b"\x78\x9c" * 8,
        "gen_png_zero_len_chunks.png": png_file(4, 4, *[png_chunk(b"tEXt", b"")] * 50),
        "gen_png_50000_chunks.png": png_file(4, 4, *[text] * 50_000),
        "gen_png_bad_chunk_name.png": png_file(4, 4, png_chunk(b"\x00\x01\x02\x03", b"xx")),
        "gen_png_no_iend.png": png_file(4, 4)[:-12],
        "gen_png_signature_only.png": b"\x89PNG\r\n\x1a\n",
    }


def _mp4_cases(sources: dict[str, bytes]) -> dict[str, bytes]:
    real = sources["mp4"]
    moov_at = real.find(b"moov") - 4
    moov_size = struct.unpack_from(">I", real, moov_at)[0]
    grown = bytearray(real)
    struct.pack_into(">I", grown, moov_at, moov_size + 1_000_000_000)
    mdat_at = real.find(b"mdat") - 4
    huge_mdat = bytearray(real)
    struct.pack_into(">I", huge_mdat, mdat_at, 0xFFFFFFF0)
    huge_tables = {}
    for kind in (b"stts", b"elst"):  # libmediainfo walked every declared entry: 90 s each
        table = bytearray(real)
        struct.pack_into(">I", table, real.find(kind) + 8, 0xFFFFFFF0)
        huge_tables[f"gen_mp4_{kind.decode()}_count_huge.mp4"] = bytes(table)
    deep_udta = nested([b"moov", *[b"udta"] * 1000])
    deep_meta = nested([b"moov", *[b"meta"] * 1000])
    deep_track = nested([b"moov", b"trak", *[b"mdia", b"minf", b"stbl", b"edts"] * 250])
    deep_unknown = nested([b"moov", *[b"zzzz"] * 1000])
    return {
        **huge_tables,
        "gen_mp4_moov_past_end.mp4": bytes(grown),
        "gen_mp4_mdat_past_end.mp4": bytes(huge_mdat),
        "gen_mp4_largesize_2e63.mp4": FTYP
        + struct.pack(">I4sQ", 1, b"mdat", 2**63 - 1)
        + b"\x00" * 64,
        "gen_mp4_largesize_below_header.mp4": FTYP
        + struct.pack(">I4sQ", 1, b"moov", 4)
        + b"\x00" * 64,
        "gen_mp4_ftyp_size_huge.mp4": box(b"ftyp", b"isom\x00\x00\x02\x00isom", size=0xFFFFFFFF)
        + b"\x00" * 32,
        "gen_mp4_ftyp_only.mp4": FTYP,
        "gen_mp4_moov_size_zero_means_rest.mp4": FTYP + struct.pack(">I4s", 0, b"moov") + mvhd(),
        "gen_mp4_nested_udta_1000.mp4": FTYP + deep_udta,
        "gen_mp4_nested_meta_1000.mp4": FTYP + deep_meta,
        "gen_mp4_nested_track_1000.mp4": FTYP + deep_track,
        "gen_mp4_nested_unknown_1000.mp4": FTYP + deep_unknown,
        "gen_mp4_100000_free_boxes.mp4": FTYP + box(b"free") * 100_000,
        "gen_mp4_empty_video_track.mp4": FTYP + _empty_track_movie(),
        "gen_mov_atoms_only.mov": box(b"wide")
        + struct.pack(">I4s", 0xFFFFFFFF, b"mdat")
        + b"\x00" * 100,
        "gen_mkv_garbage.mkv": b"\x1a\x45\xdf\xa3" + bytes(random.Random(SEED).randbytes(4000)),
        "gen_avi_huge_sizes.avi": b"RIFF"
        + struct.pack("<I", 0xFFFFFFFF)
        + b"AVI LIST"
        + b"\xff\xff\xff\x7f"
        + b"hdrlavih"
        + b"\xff" * 200,
    }


def _empty_track_movie() -> bytes:
    """A movie with one H.264 video track that holds no samples (built by hand)."""
    tkhd = box(
        b"tkhd",
        b"\x00\x00\x00\x03"
        + b"\x00" * 16
        + u32(0)
        + b"\x00" * 52
        + struct.pack(">II", 64 << 16, 48 << 16),
    )
    mdhd = box(b"mdhd", b"\x00" * 12 + struct.pack(">II", 30_000, 0) + b"\x55\xc4\x00\x00")
    hdlr = box(b"hdlr", b"\x00" * 8 + b"vide" + b"\x00" * 12 + b"VideoHandler\x00")
    avcc = box(b"avcC", bytes([1, 0x64, 0, 0x1F, 0xFF, 0xE0, 0, 0]))
    entry = box(
        b"avc1",
        b"\x00" * 6
        + b"\x00\x01"
        + b"\x00" * 16
        + struct.pack(">HH", 64, 48)
        + b"\x00\x48\x00\x00" * 2
        + b"\x00" * 4
        + b"\x00\x01"
        + b"\x00" * 32
        + b"\x00\x18\xff\xff"
        + avcc,
    )
    empty = b"\x00" * 8
    stbl = nested(
        [b"stbl"],
        box(b"stsd", b"\x00" * 4 + u32(1) + entry)
        + box(b"stts", empty)
        + box(b"stsc", empty)
        + box(b"stsz", b"\x00" * 12)
        + box(b"stco", empty),
    )
    minf = box(
        b"minf",
        box(b"vmhd", b"\x00\x00\x00\x01" + b"\x00" * 8)
        + nested([b"dinf"], box(b"dref", b"\x00" * 4 + u32(1) + box(b"url ", b"\x00\x00\x00\x01")))
        + stbl,
    )
    trak = box(b"trak", tkhd + box(b"mdia", mdhd + hdlr + minf))
    return box(b"moov", mvhd() + trak)


def _ffmpeg_cases(folder: Path) -> list[str]:
    """A 0-frame video made by ffmpeg (when installed)."""
    if shutil.which("ffmpeg") is None:
        return []
    target = folder / "gen_ffmpeg_zero_frames.mp4"
    command = [
        "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:s=64x48:r=30",
        "-frames:v", "0", "-c:v", "libx264", "-pix_fmt", "yuv420p", str(target),
    ]  # fmt: skip
    try:
        subprocess.run(command, check=True, timeout=60, capture_output=True)
    except (subprocess.SubprocessError, OSError):
        return []
    return [target.name] if target.is_file() else []


TRACKING_TEXT = (
    "运单号：SF1234567890123\n"
    "2025-06-09 18:42:11 【杭州市】顺丰速运 已收取快件\n"
    "2025-06-10 08:02:00 【上海市】快件到达 上海浦东集散中心\n"
    "2025-06-11 12:31:09 【上海市】已签收，签收人：丰巢快递柜 王**\n"
)
ENCODINGS = [
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030", "gbk", "gb2312",
    "big5", "big5hkscs", "hz", "iso2022_jp", "shift_jis", "euc_jp", "euc_kr", "cp1252", "latin-1",
    "cp437", "koi8_r", "mac_roman", "utf-7", "cp936", "cp950",
]  # fmt: skip


def _text_cases() -> dict[str, bytes]:
    out = {f"gen_text_{enc}.txt": TRACKING_TEXT.encode(enc, errors="replace") for enc in ENCODINGS}
    out["gen_text_utf16le_bom_then_gbk.txt"] = "\ufeff".encode("utf-16-le") + TRACKING_TEXT.encode(
        "gbk"
    )
    out["gen_text_invalid_utf8.txt"] = (
        TRACKING_TEXT.encode("utf-8")[:40]
        + b"\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc"
        + TRACKING_TEXT.encode("utf-8")
    )
    out["gen_text_mixed_utf8_gbk.txt"] = TRACKING_TEXT.encode("utf-8") + TRACKING_TEXT.encode("gbk")
    out["gen_text_nul_bytes.txt"] = TRACKING_TEXT.encode("utf-8").replace(b"\n", b"\x00\n")
    out["gen_text_bom_only.txt"] = b"\xef\xbb\xbf"
    out["gen_text_cr_only.txt"] = TRACKING_TEXT.replace("\n", "\r").encode("utf-8")
    out["gen_text_one_long_line.txt"] = ("2025-06-09 18:42:11 已签收 " * 60_000).encode("utf-8")
    out["gen_text_many_lines.txt"] = (TRACKING_TEXT * 5_000).encode("utf-8")
    out["gen_text_control_chars.txt"] = bytes(range(1, 32)) * 20 + TRACKING_TEXT.encode("utf-8")
    out["gen_text_csv_quotes.csv"] = (
        '时间,状态\n"2025-06-09 18:42:11","已签收,""丰巢""\n' + '"' * 5000 + "\n"
    ).encode("utf-8")
    return out


def write_generated(folder: Path, corpus: Path) -> dict[str, Expect]:
    """Write every generated hostile file into `folder`; return name -> what it must end as."""
    rng = random.Random(SEED)
    sources = {
        label: (corpus / rel).read_bytes()
        for label, rel in SOURCES.items()
        if (corpus / rel).is_file()
    }
    expectations: dict[str, Expect] = {}
    makers: list[tuple[Callable[[], dict[str, bytes]], Expect]] = [
        (lambda: _mutations(rng, sources), ANY),
        (_exif_cases, Expect("imported")),
        (_size_cases, ANY),
        (_bomb_cases, ANY),
        (_png_chunk_cases, ANY),
        (lambda: _mp4_cases(sources), ANY),
        (_text_cases, ANY),
    ]
    for make, expect in makers:
        for name, data in make().items():
            (folder / name).write_bytes(data)
            expectations[name] = expect
    (folder / "gen_zero_bytes.jpg").write_bytes(b"")
    expectations["gen_zero_bytes.jpg"] = Expect("failed", "empty_file", "unreadable")
    for name in (
        "gen_png_65535x65535.png",
        "gen_jpeg_65535x65535.jpg",
        "gen_bomb_png_20000.png",
        "gen_png_2147483647x1.png",
    ):
        expectations[name] = BOMB
    for name in ("gen_mp4_stts_count_huge.mp4", "gen_mp4_elst_count_huge.mp4"):
        expectations[name] = Expect("imported", "damaged_file", "unreadable")
    for name in _ffmpeg_cases(folder):
        expectations[name] = ANY
    return expectations
