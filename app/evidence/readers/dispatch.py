"""Pick the reader for a sniffed file and return its metadata."""

from __future__ import annotations

from pathlib import Path

from app.evidence.models import MediaMetadata
from app.evidence.readers.sniff import Sniffed


def read_metadata(path: Path, sniffed: Sniffed) -> MediaMetadata:
    """Read what the file says about itself, by format family.

    Raises:
        InputError: the reader could not read the file (the subclass says why).
    """
    if sniffed.family == "image":
        from app.evidence.readers.image import read_image

        return read_image(path)
    if sniffed.family == "video":
        from app.evidence.readers.video import read_video

        return read_video(path)
    return MediaMetadata(format=sniffed.format, mime=sniffed.mime)
