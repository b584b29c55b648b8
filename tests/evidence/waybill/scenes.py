"""Generated packing-video scenes: a waybill label on a cardboard background, written as video.

H.264 goes through the ffmpeg command line (libx264, as phones write it); MPEG-4 Part 2
through OpenCV's own writer (no ffmpeg needed).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

import cv2
import numpy as np

from tests.evidence.waybill.code128 import label_image

SIZE = (640, 360)  # width, height
FFMPEG = shutil.which("ffmpeg")


def cardboard(size: tuple[int, int] = SIZE, seed: int = 1) -> np.ndarray:
    """A brown, slightly noisy background."""
    rng = np.random.default_rng(seed)
    width, height = size
    base = np.empty((height, width, 3), np.uint8)
    base[:] = (60, 110, 160)
    noise = rng.normal(0, 6, (height, width, 1))
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def place(
    background: np.ndarray,
    label: np.ndarray,
    *,
    center: tuple[float, float],
    angle: float = 0.0,
    scale: float = 1.0,
    blur: float = 0.0,
) -> np.ndarray:
    """The background with the label pasted at `center`, turned by `angle` degrees."""
    frame = background.copy()
    h, w = label.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    matrix[0, 2] += center[0] - w / 2
    matrix[1, 2] += center[1] - h / 2
    size = (frame.shape[1], frame.shape[0])
    warped = cv2.warpAffine(label, matrix, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpAffine(np.full((h, w), 255, np.uint8), matrix, size, flags=cv2.INTER_LINEAR)
    frame[mask > 127] = warped[mask > 127]
    if blur > 0:
        frame = cv2.GaussianBlur(frame, (0, 0), blur)
    return frame


Scene = Callable[[int, float], np.ndarray]  # (frame index, seconds) -> BGR frame


def label_scene(
    number: str,
    *,
    visible: tuple[float, float] = (0.0, 1e9),
    angle: float = 0.0,
    blur: float = 0.0,
    module: int = 2,
    seed: int = 1,
    wobble: float = 6.0,
) -> Scene:
    """A scene where the label of `number` is in view during `visible` (seconds)."""
    background = cardboard(seed=seed)
    label = label_image(number, module)
    scale = min(1.0, (SIZE[0] * 0.8) / label.shape[1])

    def frame(index: int, t: float) -> np.ndarray:
        if not visible[0] <= t < visible[1]:
            return background.copy()
        center = (SIZE[0] / 2 + wobble * np.sin(t * 1.3), SIZE[1] / 2 + wobble * np.cos(t))
        return place(background, label, center=center, angle=angle, scale=scale, blur=blur)

    return frame


def write_h264(
    path: Path,
    scene: Scene,
    seconds: float,
    *,
    fps: int = 15,
    gop: int = 15,
    codec: str = "libx264",
    extra: Iterable[str] = (),
) -> Path:
    """Render `scene` with ffmpeg (H.264 by default; ultrafast; a keyframe every `gop` frames)."""
    assert FFMPEG is not None
    width, height = SIZE
    source = ["-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{width}x{height}", "-r", str(fps)]
    encode = ["-c:v", codec, "-preset", "ultrafast", "-g", str(gop), "-pix_fmt", "yuv420p"]
    command = [FFMPEG, "-v", "error", "-y", *source, "-i", "-", *encode, *extra, str(path)]
    frames = b"".join(scene(i, i / fps).tobytes() for i in range(int(seconds * fps)))
    subprocess.run(command, input=frames, check=True)
    return path


def write_mp4v(path: Path, scene: Scene, seconds: float, *, fps: int = 15) -> Path:
    """Render `scene` with OpenCV's MPEG-4 Part 2 writer (packets not decodable alone)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, SIZE)
    assert writer.isOpened()
    for i in range(int(seconds * fps)):
        writer.write(scene(i, i / fps))
    writer.release()
    return path


def remux(source: Path, target: Path, *args: str) -> Path:
    """Stream-copy a video with extra ffmpeg options (rotation metadata, timestamps ...)."""
    assert FFMPEG is not None
    subprocess.run(
        [FFMPEG, "-v", "error", "-y", "-i", str(source), "-c", "copy", *args, str(target)],
        check=True,
    )
    return target
