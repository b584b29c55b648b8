"""Input files for a waybill scan: checks, kind from content, photo pixels (upright, gray)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from app.evidence.errors import (
    DamagedFile,
    InputError,
    UnreadableFile,
    UnsupportedFormat,
)
from app.evidence.i18n import both
from app.evidence.readers.image import check_input_file
from app.evidence.readers.sniff import HEADER_BYTES, sniff

_MAX_PHOTO_PIXELS = 200_000_000


def photo_pixels(path: Path) -> np.ndarray:
    """The photo's pixels, turned upright by its EXIF orientation, as grayscale.

    Raises:
        DamagedFile: the picture cannot be decoded or declares an absurd size.
    """
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:  # HEIC photos then fail below with a clear error
        pass
    try:
        with Image.open(path) as im:
            if im.width * im.height > _MAX_PHOTO_PIXELS:
                raise DamagedFile(
                    both(
                        "图片声明的尺寸 {width}x{height} 大得不合常理",
                        "declared picture size {width}x{height} is far too large",
                        width=im.width,
                        height=im.height,
                    ),
                    str(path),
                )
            upright = ImageOps.exif_transpose(im) or im
            return np.asarray(upright.convert("L"))
    except InputError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise DamagedFile(
            both("图片无法解码：{error}", "the picture cannot be decoded: {error}", error=exc),
            str(path),
        ) from exc


def check_file(path: Path) -> None:
    """Raise the matching InputError unless `path` is a readable, non-empty regular file."""
    check_input_file(path)


def sniff_kind(path: Path) -> str:
    """Whether the file is a "video" or a "photo", from its first bytes (never its name).

    Raises:
        UnsupportedFormat: neither.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEADER_BYTES)
    except OSError as exc:
        raise UnreadableFile(
            both(
                "无法读取文件：{error}", "cannot read the file: {error}", error=exc.strerror or exc
            ),
            str(path),
        ) from exc
    family = sniff(head, path.name).family
    if family == "video":
        return "video"
    if family == "image":
        return "photo"
    raise UnsupportedFormat(
        both(
            "不是视频或照片：没有可以找面单的画面",
            "not a video or a photo: no frames to look for a waybill in",
        ),
        str(path),
    )
