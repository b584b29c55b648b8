"""Input files for a waybill scan: checks, kind from content, photo pixels (upright, gray)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from app.evidence.errors import (
    DamagedFile,
    EmptyFile,
    InputError,
    UnreadableFile,
    UnsupportedFormat,
)
from app.evidence.ingest.sniff import HEADER_BYTES, sniff

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
                    f"declared picture size {im.width}x{im.height} is far too large", str(path)
                )
            upright = ImageOps.exif_transpose(im) or im
            return np.asarray(upright.convert("L"))
    except InputError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise DamagedFile(f"the picture cannot be decoded: {exc}", str(path)) from exc


def check_file(path: Path) -> None:
    """Raise the matching InputError unless `path` is a readable, non-empty regular file."""
    try:
        st = path.stat()
    except OSError as exc:
        raise UnreadableFile(f"cannot access the file: {exc.strerror or exc}", str(path)) from exc
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableFile("not a regular file", str(path))
    if st.st_size == 0:
        raise EmptyFile("the file is empty (0 bytes)", str(path))
    if not os.access(path, os.R_OK):
        raise UnreadableFile("no permission to read the file", str(path))


def sniff_kind(path: Path) -> str:
    """Whether the file is a "video" or a "photo", from its first bytes (never its name).

    Raises:
        UnsupportedFormat: neither.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEADER_BYTES)
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}", str(path)) from exc
    family = sniff(head, path.name).family
    if family == "video":
        return "video"
    if family == "image":
        return "photo"
    raise UnsupportedFormat("not a video or a photo: no frames to look for a waybill in", str(path))
