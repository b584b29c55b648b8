"""The EXIF thumbnail comparison from the import's one decode of a photo (issue 20).

An import makes each photo's thumbnail in a worker process by decoding the JPEG at 1/2..1/8
scale (ingest.thumbnails); the thumbnail comparison (checks.thumbnail) needs the same picture
at the same scale. `compare_at_import` is the job's `examine` function: in the worker, it runs
the comparison on that decode and returns its findings, which the import's check then uses
(CheckOptions.thumbnail_found) instead of decoding the file a second time.

The findings are the ones a check of the file alone would give, to the byte: the decode is used
only when it is the very reduction the comparison would choose for itself (PhotoInput.offered),
otherwise the file is decoded here at that reduction; and the metadata is read by the import's
own reader. `verify` re-checks files from scratch and compares
the verdicts, so the two ways must never differ (tests/checks/test_import_decode.py).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from app.evidence.checks.model import CheckOptions, Finding
from app.evidence.checks.photo_input import Picture, load_photo_input
from app.evidence.checks.thumbnail import thumbnail_findings
from app.evidence.models import ItemKind
from app.evidence.readers.dispatch import read_metadata
from app.evidence.readers.jpeg import read_jpeg_structure
from app.evidence.readers.sniff import HEADER_BYTES, sniff


def compare_at_import(
    path: Path, decoded: Image.Image, stored: tuple[int, int]
) -> tuple[Finding, ...] | None:
    """The thumbnail comparison's findings for the JPEG at `path`, from `decoded`.

    Args:
        path: the original (in the case's vault).
        decoded: its picture as the thumbnail decoded it (RGB, stored orientation, reduced).
        stored: the picture's stored size.

    Returns:
        The findings (empty: nothing to compare), or None when this file is not a JPEG photo
        as the checks see it (the check then compares as usual).

    Raises:
        InputError, OSError, ValueError: as the check itself (the job logs it and the import's
            check compares as usual).
    """
    with path.open("rb") as fh:
        head = fh.read(HEADER_BYTES)
    sniffed = sniff(head, path.name)
    if sniffed.format != "jpeg":
        return None
    jpeg = read_jpeg_structure(path)
    if jpeg is None or not jpeg.exif_tiff:  # nothing to compare (as thumbnail_findings says)
        return ()
    meta = read_metadata(path, sniffed)
    if meta.format != "jpeg" or not meta.width:
        return None
    reduce = max(1, round(stored[0] / max(1, decoded.width)))  # as decode_picture says it
    offered = Picture(decoded, stored, reduce)
    photo = load_photo_input(path, ItemKind.PHOTO, meta, CheckOptions(), offered, jpeg)
    return tuple(thumbnail_findings(photo))
