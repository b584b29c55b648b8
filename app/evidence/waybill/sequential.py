"""Sequential frames: decode in order with grab(), convert only the frames the plan wants.

Used when packets cannot be decoded on their own (MPEG-4 Part 2, VP9, MJPEG ...). grab()
decodes without the colour conversion; retrieve() converts the sampled frames only. Once the
waybill is confirmed the scan seeks to the tail instead of decoding the middle. OpenCV turns
rotated phone videos upright itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import cv2
import numpy as np

from app.evidence.waybill.planner import Planner, TimeLog

log = logging.getLogger(__name__)


class SequentialSource:
    """Frames of any video OpenCV can decode, in order."""

    strategy = "sequential"

    def __init__(
        self,
        capture: cv2.VideoCapture,
        planner: Planner,
        times: TimeLog,
        on_position: Callable[[float], None],
    ) -> None:
        self._cap = capture
        self._planner = planner
        self._times = times
        self._on_position = on_position

    def frames(self) -> Iterator[tuple[float, np.ndarray]]:
        """Yield (time in ms, BGR frame) for every frame the plan wants, in time order."""
        reported = float("-inf")
        seeked = False
        t_ms = 0.0
        while True:
            target = None if seeked else self._planner.skip_target_ms(t_ms)
            if target is not None:
                seeked = True
                if self._seek(target):
                    self._times.split()
            if not self._cap.grab():
                return
            t_ms = float(self._cap.get(cv2.CAP_PROP_POS_MSEC))
            self._times.add(t_ms)
            if t_ms - reported >= 1000:
                self._on_position(t_ms)
                reported = t_ms
            if self._planner.due(t_ms):
                ok, frame = self._cap.retrieve()
                if ok and frame is not None:
                    yield t_ms, frame

    def _seek(self, target_ms: float) -> bool:
        try:
            moved = bool(self._cap.set(cv2.CAP_PROP_POS_MSEC, target_ms))
        except cv2.error as exc:
            log.debug("seek to %.0f ms failed: %s", target_ms, exc)
            return False
        return moved
