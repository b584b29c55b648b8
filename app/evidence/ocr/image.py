"""Open a screenshot for OCR or pixel comparison, and cut it into overlapping tiles.

Screenshots come as PNG, JPEG, WebP or HEIC, sometimes as "long screenshots" 20 000 pixels
tall. Opening validates the file once and turns every failure into an `InputError` subclass;
tiling keeps the memory of one OCR pass bounded by the tile, not by the whole image.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from app.evidence.errors import (
    DamagedFile,
    DecompressionBomb,
    EmptyFile,
    UnreadableFile,
    UnsupportedFormat,
)

log = logging.getLogger(__name__)

ImageSource = Path | str | bytes | Image.Image
"""What the OCR and stitching functions accept: a path, the file's bytes or an opened image."""

MAX_PIXELS = 80_000_000  # 1080 x 74 000: far beyond any long screenshot a phone makes


@dataclass(frozen=True)
class Tile:
    """One horizontal band of an image.

    Attributes:
        top: first row of the band in the image.
        bottom: row after the last one.
        keep_from: lines whose vertical centre lies in [keep_from, keep_to) belong to this tile;
            the halves of an overlap go to the tiles on either side, so no line is kept twice.
        keep_to: see keep_from.
    """

    top: int
    bottom: int
    keep_from: int
    keep_to: int


def open_image(source: ImageSource) -> Image.Image:
    """Open, validate and decode a screenshot, upright (EXIF orientation applied).

    Raises:
        EmptyFile: zero bytes.
        UnreadableFile: the path cannot be read.
        UnsupportedFormat: not an image Pillow can decode.
        DecompressionBomb: more than MAX_PIXELS pixels.
        DamagedFile: truncated or corrupt image data.
    """
    if isinstance(source, Image.Image):
        return source
    name = str(source) if isinstance(source, (str, Path)) else None
    if isinstance(source, bytes):
        data = source
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise UnreadableFile(f"cannot read {source}: {exc.strerror or exc}", name) from exc
    if not data:
        raise EmptyFile("the file is empty", name)
    if data[4:8] == b"ftyp":
        _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise DecompressionBomb(
                    f"{width}x{height} pixels is more than any screenshot", name
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise DecompressionBomb(f"image too large: {exc}", name) from exc
    except UnidentifiedImageError as exc:
        raise UnsupportedFormat("not an image format EvidenceDesk can read", name) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise DamagedFile(f"the image data is damaged: {exc}", name) from exc
    if width == 0 or height == 0:
        raise DamagedFile("the image has no pixels", name)
    return ImageOps.exif_transpose(image) or image


def _register_heif() -> None:
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:  # pragma: no cover - pillow-heif is a declared dependency
        log.warning("pillow-heif is not installed: HEIC screenshots cannot be read")


def to_rgb(image: Image.Image) -> Image.Image:
    """The image as RGB; transparent pixels become white, as a chat app would show them."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def bgr_array(image: Image.Image, top: int = 0, bottom: int | None = None) -> np.ndarray:
    """Rows [top, bottom) of the image as a contiguous BGR uint8 array (what OpenCV expects)."""
    bottom = image.height if bottom is None else bottom
    band = image.crop((0, top, image.width, bottom))
    rgb = np.asarray(to_rgb(band))
    return np.ascontiguousarray(rgb[:, :, ::-1])


def plan_tiles(width: int, height: int) -> list[Tile]:
    """Cut an image into horizontal bands that a phone-screen OCR pass handles well.

    An ordinary phone screenshot (up to about 2.4 times as tall as wide) is one tile. Taller
    images are cut into bands twice as tall as wide that overlap by a fifth of the width, more
    than twice the height of any chat text line, so every line lies whole in at least one band.
    """
    single = max(1600, int(2.4 * width))
    if height <= single:
        return [Tile(0, height, 0, height)]
    band = max(1200, 2 * width)
    step = band - max(160, width // 5)
    tops = list(range(0, height - band + 1, step))
    if tops[-1] + band < height:
        tops.append(height - band)
    bottoms = [top + band for top in tops]
    # a line belongs to the tile whose half of the overlap holds its centre
    splits = [0] + [(top + bottom) // 2 for top, bottom in zip(tops[1:], bottoms, strict=False)]
    ends = splits[1:] + [height]
    return [Tile(*parts) for parts in zip(tops, bottoms, splits, ends, strict=True)]


def iter_tiles(image: Image.Image) -> Iterator[tuple[Tile, np.ndarray]]:
    """Each tile of the image with its BGR pixels; one tile's pixels are alive at a time."""
    for tile in plan_tiles(image.width, image.height):
        yield tile, bgr_array(image, tile.top, tile.bottom)
