"""Keyframes of a video for its contact sheet: evenly spaced, first and last included.

Frames are decoded with OpenCV (FFmpeg backend, container rotation applied). Each frame is also
searched for a waybill barcode with zxing-cpp when it is installed, so the sheet can mark the
frames where the tracking number is legible (the platform asks for that in unboxing videos).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from app.evidence.errors import DamagedFile
from app.evidence.export.images import save_clean_jpeg
from app.evidence.readers.image import check_input_file

log = logging.getLogger(__name__)

FRAME_COUNT = 9
FRAME_PX = 480
_BACKTRACK = 30  # frames to step back when the container's last frame does not decode


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

    @property
    def timecode(self) -> str:
        """ "00:01:23.47" (hundredths, truncated: a frame is never shown later than it is)."""
        whole, hundredths = divmod(int(self.seconds * 100 + 1e-6), 100)
        return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}.{hundredths:02d}"


def extract_keyframes(src: Path, work: Path, stem: str, count: int = FRAME_COUNT) -> list[Keyframe]:
    """Decode `count` frames (first, last and evenly between) into small clean JPEGs.

    Raises:
        DamagedFile: the video cannot be opened or no frame decodes.
    """
    check_input_file(src)
    capture = cv2.VideoCapture(str(src), cv2.CAP_FFMPEG)
    try:
        if not capture.isOpened():
            raise DamagedFile("the video cannot be opened for decoding", str(src))
        capture.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
        total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        fps = float(capture.get(cv2.CAP_PROP_FPS) or 0) or 25.0
        wanted = _positions(total, count)
        frames: list[Keyframe] = []
        for n, index in enumerate(wanted):
            got = _read_at(capture, index, backtrack=_BACKTRACK if n == len(wanted) - 1 else 0)
            if got is None:
                continue
            found, frame = got
            frames.append(_save(frame, work / f"{stem}-f{n:02d}.jpg", found / fps))
    finally:
        capture.release()
    if not frames:
        raise DamagedFile("no frame of the video could be decoded", str(src))
    return frames


def _positions(total: int, count: int) -> list[int]:
    if total <= 1:
        return [0]
    count = min(count, total)
    return sorted({round(i * (total - 1) / (count - 1)) for i in range(count)})


def _read_at(
    capture: cv2.VideoCapture, index: int, backtrack: int
) -> tuple[int, np.ndarray] | None:
    for candidate in range(index, max(-1, index - backtrack - 1), -1):
        capture.set(cv2.CAP_PROP_POS_FRAMES, candidate)
        ok, frame = capture.read()
        if ok and frame is not None and frame.size:
            return candidate, frame
    return None


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
