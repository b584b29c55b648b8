"""Tell what a file is from its first bytes, never from its name.

`sniff` returns the container format and the family of kinds it can be (an image may still turn
out to be a photo or a screenshot once its metadata is read: see `decide_kind`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from app.evidence.errors import EmptyFile, UnreadableFile, UnsupportedFormat
from app.evidence.i18n import both
from app.evidence.models import ItemKind, MediaMetadata

HEADER_BYTES = 512

_HEIF_BRANDS = {
    b"heic",
    b"heix",
    b"heim",
    b"heis",
    b"hevc",
    b"hevx",
    b"mif1",
    b"msf1",
    b"avif",
    b"avis",
    b"mif2",
}
_QT_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


@dataclass(frozen=True)
class Sniffed:
    """What the first bytes say.

    Attributes:
        format: short format name ("jpeg", "png", "heif", "mp4", "mov", "3gp", ...).
        family: "image", "video", "text" or "document".
        ext: the extension the vault copy gets.
        mime: MIME type.
    """

    format: str
    family: str
    ext: str
    mime: str


_IMAGE = {
    "jpeg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
    "heif": ("heic", "image/heic"),
    "webp": ("webp", "image/webp"),
    "gif": ("gif", "image/gif"),
    "tiff": ("tif", "image/tiff"),
    "bmp": ("bmp", "image/bmp"),
}
_VIDEO = {
    "mp4": ("mp4", "video/mp4"),
    "mov": ("mov", "video/quicktime"),
    "3gp": ("3gp", "video/3gpp"),
    "avi": ("avi", "video/x-msvideo"),
    "mkv": ("mkv", "video/x-matroska"),
}


def _make(fmt: str) -> Sniffed:
    if fmt in _IMAGE:
        return Sniffed(fmt, "image", *_IMAGE[fmt])
    if fmt in _VIDEO:
        return Sniffed(fmt, "video", *_VIDEO[fmt])
    if fmt == "pdf":
        return Sniffed("pdf", "document", "pdf", "application/pdf")
    return Sniffed("text", "text", "txt", "text/plain")


def sniff(head: bytes, name: str = "") -> Sniffed:
    """Identify a file from its first bytes (at least HEADER_BYTES when the file is that long).

    Raises:
        UnsupportedFormat: the bytes match nothing EvidenceDesk handles.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return _make("jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _make("png")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _make("webp")
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return _make("avi")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _make("gif")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return _make("tiff")
    if head[:2] == b"BM" and len(head) >= 26:
        return _make("bmp")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _make("mkv")
    if head.startswith(b"%PDF-"):
        return _make("pdf")
    if head[4:8] == b"ftyp":
        return _make(_iso_bmff(head))
    if head[4:8] in _QT_ATOMS and int.from_bytes(head[:4], "big") >= 8:
        return _make("mov")  # old QuickTime files start straight with an atom, no ftyp
    graphic = _text_graphic(head)
    if graphic is not None:
        raise UnsupportedFormat(
            both(
                "{name}：这是 {what} 图形文件，不是文字记录；请先转换成 PNG、JPEG 或 PDF 再导入",
                "{name}: this is a {what} graphics file, not a text record; convert it to PNG, "
                "JPEG or PDF first",
                name=name or "?",
                what=graphic,
            ),
            name,
        )
    if _looks_like_text(head):
        return _make("text")
    if name:
        raise UnsupportedFormat(
            both(
                "{name}：不是举证助手能读取的图片、视频、PDF 或文本文件",
                "{name}: not an image, video, PDF or text file EvidenceDesk can read",
                name=name,
            ),
            name,
        )
    raise UnsupportedFormat(
        both(
            "不是举证助手能读取的图片、视频、PDF 或文本文件",
            "not an image, video, PDF or text file EvidenceDesk can read",
        ),
        name,
    )


def _iso_bmff(head: bytes) -> str:
    major = head[8:12]
    size = max(16, min(int.from_bytes(head[:4], "big"), len(head)))
    brands = {major} | {head[i : i + 4] for i in range(16, size - 3, 4)}
    if major in _HEIF_BRANDS or (
        brands & _HEIF_BRANDS and not brands & {b"isom", b"mp41", b"mp42", b"qt  "}
    ):
        return "heif"
    if major == b"qt  ":
        return "mov"
    if major.startswith(b"3g"):
        return "3gp"
    return "mp4"


# Graphics and data formats that are plain ASCII at the start: readable, but not a text a person
# wrote. Each is recognised by its own magic, as the format's specification defines it.
_TEXT_GRAPHICS: tuple[tuple[re.Pattern[bytes], str], ...] = (
    (re.compile(rb"%!"), "PostScript/EPS"),  # %!PS-Adobe-3.0 [EPSF-3.0]
    (re.compile(rb"\xc5\xd0\xd3\xc6"), "EPS"),  # DOS EPS binary header
    (re.compile(rb"/\* XPM \*/|! XPM2\b"), "XPM"),
    (re.compile(rb"SIMPLE  = {20}[TF]"), "FITS"),  # the first 80-byte card of every FITS file
    (
        re.compile(rb"P[1-7][ \t\r\n]+(?:#[^\n]{0,200}\n[ \t\r\n]*){0,20}\d"),
        "PNM (PBM/PGM/PPM/PAM)",
    ),
    (re.compile(rb"#define [A-Za-z_][A-Za-z0-9_]{0,80}_width "), "XBM"),
    (
        re.compile(rb"(?:<\?xml[^>]{0,200}\?>\s{0,20}(?:<!--.{0,300}?-->\s{0,20})?)?<svg\b", re.S),
        "SVG",
    ),
)
_WORD_BREAK = re.compile(r"[\s\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]")
"""Spaces and CJK characters: what separates the "words" of a person's text."""
_TEXT_MIN_PRINTABLE = 0.95
"""Share of printable characters (letters, digits, punctuation, spaces, breaks) a text needs."""
_TEXT_MAX_RUN = 160
"""Longest run without a space or CJK character in a head that has no line break: a person's
text (even tracking lines pasted as one line) has words or Chinese; base64 and hex do not."""


def _text_graphic(head: bytes) -> str | None:
    """The name of an ASCII graphics/data format the head starts with, else None."""
    start = head.lstrip(b"\xef\xbb\xbf")
    for pattern, what in _TEXT_GRAPHICS:
        if pattern.match(start):
            return what
    return None


def _looks_like_text(head: bytes) -> bool:
    """True when the head decodes as text a person wrote (or pasted)."""
    if not head:
        return False
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    sample = head[:HEADER_BYTES]
    for encoding in ("utf-8", "gb18030", "big5"):  # what Chinese phones and PCs write
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # a multi-byte character cut by the sample's end
                text = sample[: exc.start].decode(encoding, errors="ignore")
            else:
                continue
        if _written_by_a_person(text):
            return True
    return False


def _written_by_a_person(text: str) -> bool:
    if not text.strip():
        return False
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
    if printable < _TEXT_MIN_PRINTABLE * len(text):
        return False
    if "\n" not in text and "\r" not in text:
        longest = max(len(run) for run in _WORD_BREAK.split(text))
        if longest > _TEXT_MAX_RUN:
            return False
    return True


_CAMERA_TAGS = (
    "ExposureTime",
    "FNumber",
    "ISOSpeedRatings",
    "PhotographicSensitivity",
    "FocalLength",
    "LensModel",
)


def decide_kind(sniffed: Sniffed, meta: MediaMetadata | None) -> ItemKind:
    """Choose the item kind from the format family and, for images, the metadata.

    An image is a photo when anything in it speaks of a camera (maker, model, exposure); it is a
    screenshot when it says so (iOS writes "Screenshot" into UserComment / XMP) or when it has no
    camera origin and is a PNG or has the tall shape of a phone screen. A JPEG without camera
    metadata and of ordinary proportions stays a photo: most often a photo recompressed by a chat
    app, which the integrity checks then say.
    """
    if sniffed.family == "video":
        return ItemKind.VIDEO
    if sniffed.family == "document":
        return ItemKind.DOCUMENT
    if sniffed.family == "text":
        return ItemKind.TRACKING
    if meta is None:
        return ItemKind.PHOTO if sniffed.format in ("jpeg", "heif") else ItemKind.SCREENSHOT
    said = " ".join(
        [
            meta.raw.get("UserComment", ""),
            meta.xmp or "",
            " ".join(meta.png_text.values()),
            meta.software or "",
        ]
    ).lower()
    if "screenshot" in said or "截屏" in said or "截图" in said:
        return ItemKind.SCREENSHOT
    if meta.make or meta.model or any(tag in meta.raw for tag in _CAMERA_TAGS):
        return ItemKind.PHOTO
    if sniffed.format in ("png", "gif", "bmp"):
        return ItemKind.SCREENSHOT
    if meta.width and meta.height:
        long_side, short_side = max(meta.width, meta.height), min(meta.width, meta.height)
        if short_side and long_side / short_side >= 1.9:
            return ItemKind.SCREENSHOT
    return ItemKind.PHOTO


def read_head(source: Path) -> tuple[bytes, os.stat_result]:
    """The first HEADER_BYTES of a file to sniff, and its stat.

    Raises:
        UnreadableFile: it cannot be opened or read.
        EmptyFile: it has no bytes.
    """
    try:
        with open(source, "rb") as handle:
            head = handle.read(HEADER_BYTES)
            info = os.fstat(handle.fileno())
    except OSError as exc:
        raise UnreadableFile(
            both(
                "无法读取 {name}：{error}",
                "cannot read {name}: {error}",
                name=source.name,
                error=exc.strerror or exc,
            ),
            str(source),
        ) from exc
    if not head:
        raise EmptyFile(
            both("{name} 是空文件（0 字节）", "{name} is empty (0 bytes)", name=source.name),
            str(source),
        )
    return head, info
