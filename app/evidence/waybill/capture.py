"""Opening videos with OpenCV: through a Python file object, in decode or raw (packet) mode.

A file object rather than a path: OpenCV's path handling breaks on non-ASCII Windows paths
(a seller's "D:\\打包视频\\..."), a file object does not. The handle is closed with the capture.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import IO, cast

import cv2

from app.evidence.waybill.keyframes import codec_of

log = logging.getLogger(__name__)


class OpenVideo:
    """An OpenCV capture and the file handle it reads from; close() releases both."""

    def __init__(self, capture: cv2.VideoCapture, handle: IO[bytes] | None) -> None:
        self.capture = capture
        self._handle = handle

    def close(self) -> None:
        """Release the capture and close the file."""
        self.capture.release()
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> OpenVideo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def duration_ms(self) -> float | None:
        """Frame count over frame rate as the container declares them (None when unknown)."""
        frames = self.capture.get(cv2.CAP_PROP_FRAME_COUNT)
        fps = self.capture.get(cv2.CAP_PROP_FPS)
        if frames > 0 and fps > 0:
            return frames / fps * 1000.0
        return None


def open_capture(path: Path, params: list[int] | None = None) -> OpenVideo | None:
    """Open a video for reading, or None when OpenCV cannot open it."""
    params = params or []
    try:
        handle: IO[bytes] | None = open(path, "rb")  # noqa: SIM115 - closed by OpenVideo.close
    except OSError as exc:
        log.debug("cannot open %s: %s", path, exc)
        return None
    try:
        capture = cv2.VideoCapture(cast("cv2.IStreamReader", handle), cv2.CAP_FFMPEG, params)
    except (cv2.error, TypeError):  # an OpenCV without stream input: fall back to the path
        assert handle is not None
        handle.close()
        handle = None
        capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG, params)
    video = OpenVideo(capture, handle)
    if not capture.isOpened():
        video.close()
        return None
    return video


def open_raw(path: Path) -> tuple[OpenVideo, str] | None:
    """A raw-mode (packet) capture and its codec ("h264"/"hevc"), or None when it does not apply."""
    video = open_capture(path, [cv2.CAP_PROP_FORMAT, -1])
    if video is None:
        return None
    codec = codec_of(video.capture.get(cv2.CAP_PROP_FOURCC))
    if codec is None or video.capture.get(cv2.CAP_PROP_FORMAT) != -1:
        video.close()
        return None
    return video, codec


def orientation(path: Path) -> tuple[int, float | None]:
    """Display rotation OpenCV applies when decoding (degrees) and the declared duration."""
    video = open_capture(path)
    if video is None:
        return 0, None
    with video:
        return int(video.capture.get(cv2.CAP_PROP_ORIENTATION_META)) % 360, video.duration_ms()
