"""Keyframes of a video for its contact sheet: evenly spaced, first and last included.

Frames are decoded with OpenCV (FFmpeg backend, container rotation applied); accepted redaction
regions are filled at full size before anything else sees the frame. Each frame is also
searched for a waybill barcode with zxing-cpp when it is installed, so the sheet can mark the
frames where the tracking number is legible (the platform asks for that in unboxing videos).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from app.evidence.errors import DamagedFile
from app.evidence.export.images import save_clean_jpeg
from app.evidence.privacy.burn import burn_array, frame_rects
from app.evidence.privacy.model import Redaction
from app.evidence.readers.frames import FRAME_COUNT, iter_keyframes

log = logging.getLogger(__name__)

FRAME_PX = 480


@dataclass(frozen=True)
class Keyframe:
    """One frame on the contact sheet.

    Attributes:
        seconds: position in the video.
        barcode: the barcode text read in this frame ("" when none).
    """

    path: Path
    width: int
    height: int
    seconds: float
    barcode: str = ""
    redactions: tuple[int, ...] = ()  # ids of the regions filled in this frame

    @property
    def timecode(self) -> str:
        """ "00:01:23.47" (hundredths, truncated: a frame is never shown later than it is)."""
        whole, hundredths = divmod(int(self.seconds * 100 + 1e-6), 100)
        return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}.{hundredths:02d}"


def extract_keyframes(
    src: Path,
    work: Path,
    stem: str,
    count: int = FRAME_COUNT,
    redactions: Sequence[Redaction] = (),
) -> list[Keyframe]:
    """Decode `count` frames (first, last and evenly between) into small clean JPEGs.

    Args:
        redactions: the video's regions; the accepted ones matching a frame's time are filled
            at full size before the frame is scaled down or searched for a barcode.

    Raises:
        DamagedFile: the video cannot be opened or no frame decodes.
    """
    frames: list[Keyframe] = []
    for n, seconds, frame in iter_keyframes(src, count):
        regions = frame_rects(redactions, seconds)
        if regions:
            burn_array(frame, [r.rect.box for r in regions if r.rect is not None])
        keyframe = _save(frame, work / f"{stem}-f{n:02d}.jpg", seconds)
        frames.append(replace(keyframe, redactions=tuple(r.id for r in regions)))
    if not frames:
        raise DamagedFile("no frame of the video could be decoded", str(src))
    return frames


def _save(frame: np.ndarray, dest: Path, seconds: float) -> Keyframe:
    rgb = (
        cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
        if frame.ndim == 3
        else cv2.cvtColor(frame, cv2.COLOR_GRAY2RGB)
    )
    barcode = _barcode(rgb)
    picture = Image.fromarray(rgb)
    picture.thumbnail((FRAME_PX, FRAME_PX), Image.Resampling.LANCZOS)
    save_clean_jpeg(picture, dest, quality=82)
    return Keyframe(dest, picture.width, picture.height, seconds, barcode)


def _barcode(rgb: np.ndarray) -> str:
    try:
        import zxingcpp
    except ImportError:
        return ""
    try:
        found = zxingcpp.read_barcodes(rgb)
    except Exception:  # noqa: BLE001 - a decoder failure only costs the mark
        log.debug("barcode reading failed", exc_info=True)
        return ""
    texts = [b.text for b in found if getattr(b, "valid", True) and b.text]
    return texts[0] if texts else ""
