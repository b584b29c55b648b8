"""Error level analysis (research §9.1 J6): a picture for the expert view, never a verdict.

The picture is saved again as JPEG at a fixed quality and the difference is amplified: areas
with another compression history than their surroundings may stand out. Recompression by chat
apps, flat versus textured areas and repeated saves all change the result, so the app shows it
with that caveat and no check ever reads it.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops

from app.evidence.readers.image import open_image

MAX_SIDE = 4096


def error_level_image(path: Path, quality: int = 90, max_side: int = MAX_SIDE) -> Image.Image:
    """The ELA picture of `path` (RGB, differences stretched to the full range).

    Args:
        path: a photo or screenshot.
        quality: the JPEG quality of the comparison save.
        max_side: larger pictures are reduced first (memory stays bounded).

    Raises:
        InputError: the picture cannot be opened.
    """
    with open_image(path) as im:
        im.draft("RGB", (max_side, max_side))
        picture = im.convert("RGB")
    if max(picture.size) > max_side:
        picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as resaved:
        difference = ImageChops.difference(picture, resaved.convert("RGB"))
    top = int(np.asarray(difference).max()) or 1
    return difference.point(lambda v: min(255, v * 255 // top))
