"""Everything the photo and screenshot checks look at, read once per file."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from app.evidence.checks.model import CheckOptions
from app.evidence.models import ItemKind, MediaMetadata
from app.evidence.readers.image import open_image
from app.evidence.readers.jpeg import JpegStructure, read_jpeg_structure
from app.evidence.readers.tiff_layout import ExifLayout, exif_layout
from app.evidence.readers.xmp import XmpDetails, parse_xmp_details

logger = logging.getLogger(__name__)

_REDUCTIONS = (8, 4, 2, 1)  # what a JPEG decoder's DCT scaling offers


@dataclass(frozen=True)
class Picture:
    """The picture's pixels, decoded at a reduced size.

    Attributes:
        image: RGB pixels, 1/`reduce` of the stored size on each side (rounded up).
        size: the stored size (width, height).
        reduce: the decoder's reduction: 8, 4, 2 or 1 for a JPEG (DCT scaling inside libjpeg:
            the entropy decoding is the same, the inverse DCT and colour work shrink); 1 for
            other formats, which are decoded whole.
    """

    image: Image.Image
    size: tuple[int, int]
    reduce: int


def reduction_for(size: tuple[int, int], side: int) -> int:
    """The largest DCT reduction that keeps at least `side` pixels on each side (Pillow's draft)."""
    most = min(size[0] // max(1, side), size[1] // max(1, side))
    return next(r for r in _REDUCTIONS if most >= r or r == 1)


def decode_picture(path: Path, side: int) -> Picture:
    """Decode `path` once, reduced by DCT scaling to just above `side` pixels a side.

    Raises:
        InputError: the file cannot be opened as a supported image.
        OSError, ValueError, Image.DecompressionBombError: the pixels cannot be decoded.
    """
    with open_image(path) as im:
        size = im.size
        im.draft("RGB", (side, side))  # a JPEG's DCT scaling; other formats decode whole
        image = im.convert("RGB")
    return Picture(image, size, max(1, round(size[0] / max(1, image.width))))


@dataclass(frozen=True)
class PhotoInput:
    """One picture as the checks see it.

    Attributes:
        path: the file (for pixels: thumbnail comparison, ELA).
        kind: photo or screenshot.
        meta: the reader's metadata.
        jpeg: the JPEG marker inventory (None for other formats).
        layout: the EXIF block's layout (JPEG only).
        xmp: the XMP packet's tool and history facts (None without XMP).
        options: what to run.
        decoded: the pixels decoded so far (see `picture`), shared by every check.
        offered: a decode made before the checks (the import's thumbnail, issue 20), used when
            it is exactly the reduction the first decode here would make.
    """

    path: Path
    kind: ItemKind
    meta: MediaMetadata
    jpeg: JpegStructure | None
    layout: ExifLayout | None
    xmp: XmpDetails | None
    options: CheckOptions
    decoded: dict[str, Picture | Exception] = field(default_factory=dict, compare=False, repr=False)
    offered: Picture | None = field(default=None, compare=False, repr=False)

    def picture(self, side: int) -> Picture:
        """The picture's pixels, decoded once per file, at least `side` pixels a side.

        The first check that needs pixels decides the reduction (JPEG DCT scaling just above
        what it needs); later checks get the same decode when it is at least as fine as they
        ask for and reduce it themselves. A file that cannot be decoded is tried once: later
        calls raise the same error.

        Raises:
            InputError, OSError, ValueError, Image.DecompressionBombError: as decode_picture.
        """
        held = self.decoded.get("picture")
        if isinstance(held, Exception):
            raise held
        if held is not None and held.reduce <= reduction_for(held.size, side):
            return held
        offered = self.offered  # used when it is what the decode below would make
        if held is None and offered and offered.reduce == reduction_for(offered.size, side):
            self.decoded["picture"] = offered
            return offered
        try:
            picture = decode_picture(self.path, side)
        except Exception as exc:
            self.decoded["picture"] = exc
            raise
        self.decoded["picture"] = picture
        return picture

    @property
    def device(self) -> str | None:
        """ "Make Model" as written, or None when the file names no device."""
        parts = [p for p in (self.meta.make, self.meta.model) if p]
        if len(parts) == 2 and parts[1].lower().startswith(parts[0].lower()):
            parts = parts[1:]  # "Canon" + "Canon EOS 40D"
        return " ".join(parts) or None

    def software_save_signs(self) -> list[str]:
        """Layout traces of a general-purpose JPEG writer around a camera's EXIF block.

        "jfif": a JFIF segment next to the EXIF block (cameras write EXIF alone);
        "no_thumbnail": an EXIF block without the thumbnail cameras put in IFD1;
        "no_maker_note": an EXIF block without the maker's private notes;
        "libjpeg_layout": one table per DQT and four standard Huffman tables in separate
        segments (libjpeg's default writer).
        Each alone is seen on some genuine camera files; together they describe a re-encode
        that carried the metadata over.
        """
        jpeg, meta = self.jpeg, self.meta
        if jpeg is None or not meta.has_exif:
            return []
        signs = []
        if any(s.label == "JFIF" for s in jpeg.segments):
            signs.append("jfif")
        if not meta.has_exif_thumbnail:
            signs.append("no_thumbnail")
        if "MakerNote" not in meta.raw:
            signs.append("no_maker_note")
        if jpeg.libjpeg_layout():
            signs.append("libjpeg_layout")
        return signs

    @property
    def is_screenshot(self) -> bool:
        """True for the screenshot kind (no camera metadata is expected)."""
        return self.kind == ItemKind.SCREENSHOT


def load_photo_input(
    path: Path,
    kind: ItemKind,
    meta: MediaMetadata,
    options: CheckOptions,
    offered: Picture | None = None,
    jpeg: JpegStructure | None = None,
) -> PhotoInput:
    """Read the structure facts the metadata reader does not keep (bounded, never raises).

    `jpeg`: the JPEG's structure when the caller has read it already.
    """
    if meta.format != "jpeg":
        jpeg = None
    elif jpeg is None:
        jpeg = read_jpeg_structure(path)
    layout = exif_layout(jpeg.exif_tiff) if jpeg and jpeg.exif_tiff else None
    xmp = parse_xmp_details(meta.xmp) if meta.xmp else None
    return PhotoInput(path, kind, meta, jpeg, layout, xmp, options, offered=offered)
