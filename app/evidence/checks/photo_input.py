"""Everything the photo and screenshot checks look at, read once per file."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from app.evidence.checks.model import CheckOptions
from app.evidence.models import ItemKind, MediaMetadata
from app.evidence.readers.jpeg import JpegStructure, read_jpeg_structure
from app.evidence.readers.tiff_layout import ExifLayout, exif_layout
from app.evidence.readers.xmp import XmpDetails, parse_xmp_details

logger = logging.getLogger(__name__)


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
    """

    path: Path
    kind: ItemKind
    meta: MediaMetadata
    jpeg: JpegStructure | None
    layout: ExifLayout | None
    xmp: XmpDetails | None
    options: CheckOptions

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
    path: Path, kind: ItemKind, meta: MediaMetadata, options: CheckOptions
) -> PhotoInput:
    """Read the structure facts the metadata reader does not keep (bounded, never raises)."""
    jpeg = read_jpeg_structure(path) if meta.format == "jpeg" else None
    layout = exif_layout(jpeg.exif_tiff) if jpeg and jpeg.exif_tiff else None
    xmp = parse_xmp_details(meta.xmp) if meta.xmp else None
    return PhotoInput(path, kind, meta, jpeg, layout, xmp, options)
