"""Photo and screenshot metadata, read from file headers without decoding the pixels.

`read_image` is the entry point: JPEG (and MPO), PNG, HEIC/HEIF, WebP, GIF, TIFF and BMP. It
returns a `MediaMetadata` or raises an `InputError` subclass; nothing else escapes, whatever the
bytes. Damage that still leaves something readable (a broken EXIF section, malformed XMP, a file
cut short) is reported in plain words in `MediaMetadata.warnings`.

Times follow the rule of `app.evidence.models`: a capture time without a recorded UTC offset keeps
`offset_minutes=None`; it is never taken for UTC. File-system times are not used here (the
importer records them separately).

Pillow reports some EXIF damage through the `warnings` module, which is process-global and not
thread-safe to capture; instead this module compares what each EXIF section declares with what
could be read, which gives the same per-file answer without touching global state.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pillow_heif
from PIL import Image, UnidentifiedImageError
from PIL.JpegImagePlugin import zigzag_index

from app.evidence.errors import (
    DamagedFile,
    DecompressionBomb,
    EmptyFile,
    InputError,
    UnreadableFile,
    UnsupportedFormat,
)
from app.evidence.i18n import both
from app.evidence.models import MediaMetadata
from app.evidence.readers.capture_time import best_capture_time
from app.evidence.readers.exif import (
    decode_text,
    exif_str,
    gps_position,
    gps_utc,
    int_in,
    read_exif,
    read_exif_blob,
    section,
)
from app.evidence.readers.icc import icc_description
from app.evidence.readers.png import walk_png
from app.evidence.readers.xmp import read_xmp

logger = logging.getLogger(__name__)

pillow_heif.register_heif_opener()

MAX_PIXELS = 200_000_000
"""Declared pixel counts above this are refused as decompression bombs (largest cameras ~150 MP).
Pillow itself refuses above ~179 MP (2 x Image.MAX_IMAGE_PIXELS); both become DecompressionBomb."""

# Pillow format -> (our format, mime). Anything else is refused before exotic plugins run.
_FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("jpeg", "image/jpeg"),
    "MPO": ("jpeg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "HEIF": ("heif", "image/heif"),
    "WEBP": ("webp", "image/webp"),
    "AVIF": ("avif", "image/avif"),  # Pillow's own AVIF plugin (web and app exports)
    "GIF": ("gif", "image/gif"),
    "TIFF": ("tiff", "image/tiff"),
    "BMP": ("bmp", "image/bmp"),
}
# MPO files are opened by the JPEG plugin (it adopts them), so MPO is not a separate opener.
_OPEN_FORMATS = [name for name in _FORMATS if name != "MPO"]
_IMAGE_MAGIC = (b"\xff\xd8", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")

_MAX_RAW_ENTRIES = 600
_MAX_TEXT_VALUE = 8192


def check_input_file(path: Path) -> int:
    """Check that `path` is a non-empty regular file we may read; return its size in bytes.

    Raises:
        UnreadableFile: missing, not a regular file, or not readable.
        EmptyFile: zero bytes.
    """
    try:
        st = path.stat()
    except OSError as exc:
        raise UnreadableFile(
            both(
                "无法访问文件：{error}",
                "cannot access the file: {error}",
                error=exc.strerror or exc,
            ),
            str(path),
        ) from exc
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableFile(both("不是普通文件", "not a regular file"), str(path))
    if st.st_size == 0:
        raise EmptyFile(both("文件是空的（0 字节）", "the file is empty (0 bytes)"), str(path))
    if not os.access(path, os.R_OK):
        raise UnreadableFile(
            both("没有读取此文件的权限", "no permission to read the file"), str(path)
        )
    return st.st_size


def open_image(path: Path) -> Image.Image:
    """Open an image lazily (header only) with the format allow-list and the pixel cap.

    The caller closes the returned image (use it as a context manager).

    Raises:
        InputError: the matching subclass when the file cannot be opened as a supported image.
    """
    check_input_file(path)
    try:
        im = Image.open(path, formats=_OPEN_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        message = both(
            "图片声明的尺寸大得不合常理：{error}",
            "declared picture size is far too large: {error}",
            error=exc,
        )
        raise DecompressionBomb(message, str(path)) from exc
    except UnidentifiedImageError as exc:
        if _starts_like_image(path):
            raise DamagedFile(
                both(
                    "看起来是图片，但文件头已损坏", "looks like an image but its header is damaged"
                ),
                str(path),
            ) from exc
        raise UnsupportedFormat(
            both("不是支持的图片格式", "not a supported image format"), str(path)
        ) from exc
    except (PermissionError, FileNotFoundError) as exc:
        raise UnreadableFile(
            both(
                "无法读取文件：{error}", "cannot read the file: {error}", error=exc.strerror or exc
            ),
            str(path),
        ) from exc
    except Exception as exc:  # a plugin choking on hostile bytes: the file is damaged
        raise DamagedFile(
            both(
                "图片文件头无法读取：{error}", "the image header cannot be read: {error}", error=exc
            ),
            str(path),
        ) from exc
    width, height = im.size
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        im.close()
        if width <= 0 or height <= 0:
            raise DamagedFile(both("图片声明的像素为零", "the image declares no pixels"), str(path))
        message = both(
            "声明的尺寸 {width}x{height} 远超任何相机",
            "declared size {width}x{height} is far beyond any camera",
            width=width,
            height=height,
        )
        raise DecompressionBomb(message, str(path))
    return im


def read_image(path: Path) -> MediaMetadata:
    """Read a photo's or screenshot's metadata from its headers (pixels are never decoded).

    Args:
        path: the image file.

    Returns:
        Format, stored size, EXIF (camera, times, GPS, thumbnail), XMP, ICC description, JPEG
        quantization tables and comment, PNG chunks and text, the best capture time, and `raw`:
        every EXIF and GPS tag as text under its bare name ("Make", "DateTimeOriginal",
        "GPSLatitude", "UserComment"; unknown tags as "0xA420"). Thumbnail and interoperability
        tags, and a name met twice, carry their group ("IFD1:Compression", "InteropIFD:...");
        a few XMP and PNG facts are added as "XMP:xmp:CreatorTool" and "PNG:tIME".

    Raises:
        InputError: EmptyFile, UnreadableFile, UnsupportedFormat, DamagedFile or
            DecompressionBomb. No other exception escapes, whatever the input.
    """
    try:
        return _read_image(path)
    except InputError:
        raise
    except Exception as exc:  # a bug or an unforeseen malformation: one bad file, not a crash
        logger.warning("unexpected error reading %s", path, exc_info=True)
        raise DamagedFile(
            both(
                "读取图片时出现意外错误：{error}",
                "unexpected error while reading the image: {error}",
                error=exc,
            ),
            str(path),
        ) from exc


# --------------------------------------------------------------------------- the file as a whole


def _read_image(path: Path) -> MediaMetadata:
    warns: list[str] = []
    with open_image(path) as im:
        fmt, mime = _FORMATS[im.format or ""]
        if fmt == "heif":  # pillow-heif tells image/heic (iPhone) from image/heif by brand
            mime = getattr(im, "custom_mimetype", None) or mime
        width, height = im.size
        info = im.info
        png = walk_png(path, warns) if fmt == "png" else None
        if fmt == "tiff":
            exif = read_exif(section(im.getexif, warns), None, warns)
        else:
            blob = png.exif if png else info.get("exif")
            exif = read_exif_blob(blob if isinstance(blob, bytes) else None, warns)
        orientation = int_in(exif.ifd0.get(0x0112), 1, 8)
        if fmt == "heif":
            # pillow-heif applies the HEIF rotation and resets EXIF Orientation to 1: report what
            # the file declared, and the pixel grid as stored (before that rotation).
            orientation = int_in(info.get("original_orientation"), 1, 8) or orientation
            if orientation:
                exif.raw["Orientation"] = str(orientation)
            if _heif_turns(im, orientation) in (90, 270):
                width, height = height, width
        xmp_blob = png.xmp if png else (info.get("xmp") or exif.ifd0.get(700))
        xmp = read_xmp(xmp_blob, warns) if isinstance(xmp_blob, (bytes, str)) else None
        icc = info.get("icc_profile")
        quant = _quantization(im) if fmt == "jpeg" else None
        comment = _jpeg_comment(im) if fmt == "jpeg" else None
    if fmt == "jpeg":
        _check_jpeg_end(path, warns)

    e, d0 = exif.exif, exif.ifd0
    dto = exif_str(e.get(0x9003), strip=False)
    subsec = exif_str(e.get(0x9291))
    offset = exif_str(e.get(0x9011))
    dtd = exif_str(e.get(0x9004), strip=False)
    gps_time = gps_utc(exif.gps)
    capture = best_capture_time(
        dto, subsec, offset, dtd, exif_str(e.get(0x9012)), gps_time, xmp, png, warns
    )
    raw = {**exif.raw, **(xmp.fields if xmp else {}), **(png.raw if png else {})}
    return MediaMetadata(
        format=fmt,
        mime=mime,
        width=width,
        height=height,
        make=exif_str(d0.get(0x010F)),
        model=exif_str(d0.get(0x0110)),
        software=exif_str(d0.get(0x0131)),
        orientation=orientation,
        datetime_original=dto,
        datetime_digitized=dtd,
        datetime_modified=exif_str(d0.get(0x0132), strip=False),
        offset_time_original=offset,
        subsec_original=subsec,
        exif_width=int_in(e.get(0xA002), 1, 1_000_000),
        exif_height=int_in(e.get(0xA003), 1, 1_000_000),
        has_exif=exif.present,
        has_exif_thumbnail=exif.thumbnail[0],
        exif_thumbnail_size=exif.thumbnail[1],
        gps=gps_position(exif.gps, gps_time, warns),
        xmp=xmp.text if xmp else None,
        icc_profile=icc_description(icc) if isinstance(icc, bytes) else None,
        quantization_tables=quant,
        jpeg_comment=comment,
        png_text=png.text if png else {},
        png_chunks=tuple(png.chunks) if png else (),
        capture_time=capture,
        raw=dict(list(raw.items())[:_MAX_RAW_ENTRIES]),
        warnings=tuple(dict.fromkeys(warns)),
    )


def _starts_like_image(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    if head.startswith(_IMAGE_MAGIC):
        return True
    return (head[:4] == b"RIFF" and head[8:12] == b"WEBP") or head[4:8] == b"ftyp"


def _heif_turns(im: Image.Image, orientation: int | None) -> int:
    """Degrees of the HEIF `irot` transform libheif applied when decoding."""
    try:  # pillow-heif keeps the transforms on a private object; fall back if that moves
        frame = im._heif_file[im.tell()]  # type: ignore[attr-defined]
        for name, value in frame._c_image.transformations:
            if name == "irot":
                return int(value) % 360
        return 0
    except Exception:
        return 90 if orientation in (5, 6, 7, 8) else 0


def _check_jpeg_end(path: Path, warns: list[str]) -> None:
    """A JPEG ends with FF D9; phones may append data after it, so look a little further back."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 65536))
            tail = fh.read()
    except OSError:
        return
    if tail.endswith(b"\xff\xd9") or b"\xff\xd9" in tail:
        return
    warns.append(
        "No JPEG end marker near the end of the file: it may be cut short (truncated), "
        "or carry other data after the picture."
    )


def _quantization(im: Image.Image) -> tuple[tuple[int, ...], ...] | None:
    tables = getattr(im, "quantization", None) or {}
    out = []
    for table_id in sorted(tables):
        natural = list(tables[table_id])
        if len(natural) != 64:
            continue
        # Pillow hands tables over in natural (row-major) order; the model keeps the zigzag order
        # the file stores them in, which is how quality-estimation references are written.
        stored = [0] * 64
        for natural_pos, zigzag_pos in enumerate(zigzag_index):
            stored[zigzag_pos] = int(natural[natural_pos])
        out.append(tuple(stored))
    return tuple(out) or None


def _jpeg_comment(im: Image.Image) -> str | None:
    chunks = [data for marker, data in getattr(im, "applist", []) if marker == "COM"]
    text = "\n".join(t for t in (decode_text(c) for c in chunks) if t)
    return text[:_MAX_TEXT_VALUE] or None
