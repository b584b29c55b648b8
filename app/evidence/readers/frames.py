"""Frames of a video at fixed, evenly spaced positions (first and last included).

Decoded with OpenCV (FFmpeg backend, container rotation applied). The contact sheet in exports
and the redaction suggestions read the same positions, so a region drawn on one frame applies to
the matching frame of every later export.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from app.evidence.errors import DamagedFile
from app.evidence.readers.image import check_input_file

FRAME_COUNT = 9
_BACKTRACK = 30  # frames to step back when the container's last frame does not decode


def iter_keyframes(src: Path, count: int = FRAME_COUNT) -> Iterator[tuple[int, float, np.ndarray]]:
    """Decode `count` frames (first, last and evenly between) at full size.

    The same positions every time for the same file: redaction suggestions read these frames,
    and a region drawn on one of them applies to the matching frame of every later export.

    Yields:
        (n, seconds, frame): position in the sheet, time in the video, BGR (or grey) array.

    Raises:
        DamagedFile: the video cannot be opened.
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
        for n, index in enumerate(wanted):
            got = _read_at(capture, index, backtrack=_BACKTRACK if n == len(wanted) - 1 else 0)
            if got is not None:
                yield n, got[0] / fps, got[1]
    finally:
        capture.release()


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
