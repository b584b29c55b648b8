"""Offline OCR of screenshots: a thin wrapper around RapidOCR (PP-OCR models on onnxruntime).

The models ship inside the `rapidocr` wheel. The backend is built with explicit model paths,
so RapidOCR never reaches its download code, and the recognition dictionary is read from the
model's own metadata: nothing touches the network. onnxruntime's own telemetry (on by
default in its Linux/macOS builds since 1.29, uploaded from C++) is switched off before the
module is first imported (app.evidence.offline, run from app/__init__.py) and again through its
API here. Loading the models takes about a second and half a gigabyte, so one backend is made
lazily per process (`default_backend`) and shared;
tests and callers pass their own object with a `recognize` method instead.

Results are plain frozen dataclasses in image pixels, so the cache, the chat parser, the
stitcher and the GUI share them without knowing about RapidOCR.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from app.evidence import offline
from app.evidence.errors import EvidenceError
from app.evidence.ocr.image import ImageSource, iter_tiles, open_image, plan_tiles
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress

log = logging.getLogger(__name__)

Box = tuple[int, int, int, int]
RawLine = tuple[Any, str, float]
"""What a backend returns per text line: a box (four corner points, or x0, y0, x1, y1) in the
pixels of the array it was given, the text, and a confidence score between 0 and 1."""

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
# Detection runs on a copy whose longer side is at most this. Phone chat text stays 20+ px tall
# there, it is twice as fast as full size, and on the corpus it reads every line (full size
# also "reads" round avatars as the letter O). Recognition always uses full-size crops.
DET_LIMIT_SIDE = 1280
BLANK_RANGE = 8  # a tile whose pixel values span no more than this holds no legible text


class OcrUnavailable(EvidenceError):
    """The OCR engine cannot run here (package or bundled models missing)."""


@dataclass(frozen=True)
class OcrLine:
    """One line of text found in an image.

    Attributes:
        text: the text; the user's correction when there is one.
        box: (x0, y0, x1, y1) in image pixels, x1 and y1 exclusive.
        score: the recogniser's confidence, 0..1.
        corrected_from: what the OCR read, when the user corrected the text; None otherwise.
    """

    text: str
    box: Box
    score: float
    corrected_from: str | None = None

    @property
    def height(self) -> int:
        """Height of the box in pixels."""
        return self.box[3] - self.box[1]

    @property
    def center_y(self) -> float:
        """Vertical centre of the box."""
        return (self.box[1] + self.box[3]) / 2


@dataclass(frozen=True)
class OcrResult:
    """Everything OCR found in one image, top to bottom.

    Attributes:
        width: image width in pixels (upright, after EXIF orientation).
        height: image height in pixels.
        lines: the text lines, sorted top to bottom, then left to right.
        engine_version: which engine and models read the image.
        seconds: wall time of the OCR run (0 for a result built by hand).
    """

    width: int
    height: int
    lines: tuple[OcrLine, ...]
    engine_version: str
    seconds: float = 0.0

    @property
    def text(self) -> str:
        """All lines, one per row."""
        return "\n".join(line.text for line in self.lines)


class OcrBackend(Protocol):
    """Anything that reads text lines from a BGR uint8 array."""

    version: str

    def recognize(self, bgr: np.ndarray) -> Sequence[RawLine]:
        """Text lines in the array, boxes in the array's pixels."""
        ...


class RapidOcrBackend:
    """RapidOCR 3.x with the PP-OCRv6 small models bundled in its wheel, fully offline.

    Calls are serialised: RapidOCR keeps per-call state on the instance, and on two cores a
    second concurrent OCR would not finish sooner anyway.
    """

    def __init__(self, det_limit_side: int = DET_LIMIT_SIDE) -> None:
        offline.disable_telemetry()  # before rapidocr imports onnxruntime (no-op when done)
        try:
            import onnxruntime
            import rapidocr
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise OcrUnavailable("the OCR package rapidocr is not installed") from exc
        offline.disable_onnxruntime_events(onnxruntime)  # before the first InferenceSession
        if not offline.telemetry_disabled_in_time():
            log.warning(
                "onnxruntime was imported before its telemetry could be switched off; "
                "import app first (app/evidence/offline.py)"
            )
        models = Path(rapidocr.__file__).parent / "models"
        paths = {name: models / name for name in (DET_MODEL, REC_MODEL, CLS_MODEL)}
        missing = [name for name, path in paths.items() if not path.is_file()]
        if missing:
            raise OcrUnavailable(
                f"OCR models missing from the rapidocr package: {', '.join(missing)}"
            )
        params = {
            "Global.log_level": "error",
            # screenshots are upright: the angle classifier would only cost time
            "Global.use_cls": False,
            "Global.use_preprocess_img": False,  # tiling already bounds the size
            "Global.model_root_dir": str(models),
            "Det.model_path": str(paths[DET_MODEL]),
            "Det.limit_type": "max",
            "Det.limit_side_len": det_limit_side,
            "Rec.model_path": str(paths[REC_MODEL]),
            "Cls.model_path": str(paths[CLS_MODEL]),
        }
        self._ocr = RapidOCR(params=params)
        self._lock = threading.Lock()
        self.version = (
            f"rapidocr {_dist_version('rapidocr')} PP-OCRv6 det/rec small, "
            f"onnxruntime {_dist_version('onnxruntime')}, det max {det_limit_side}"
        )

    def recognize(self, bgr: np.ndarray) -> Sequence[RawLine]:
        """Run detection and recognition on one BGR array."""
        with self._lock:
            out: Any = self._ocr(bgr)  # a RapidOCROutput when detection and recognition both run
        if out.boxes is None or out.txts is None or out.scores is None:
            return []
        return list(zip(out.boxes, out.txts, out.scores, strict=True))


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


_default_backend: OcrBackend | None = None
_default_lock = threading.Lock()


def default_backend() -> OcrBackend:
    """The process-wide RapidOCR backend, made on first use (about a second, ~500 MB)."""
    global _default_backend
    if _default_backend is None:
        with _default_lock:
            if _default_backend is None:
                started = time.perf_counter()
                _default_backend = RapidOcrBackend()
                log.info("OCR engine ready in %.2f s", time.perf_counter() - started)
    return _default_backend


def recognize(
    source: ImageSource,
    *,
    backend: OcrBackend | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> OcrResult:
    """Read the text lines of a screenshot, tile by tile for long screenshots.

    Args:
        source: a path, the file's bytes or an opened PIL image.
        backend: the OCR backend; the shared RapidOCR backend when None.
        progress: called after each tile with stage "ocr".
        cancel: checked before each tile.

    Returns:
        The lines in image pixels; an image without text gives no lines.

    Raises:
        InputError: the image cannot be read (EmptyFile, DamagedFile, ...).
        OcrUnavailable: the OCR engine is not installed.
        Cancelled: the token was cancelled.
    """
    image = open_image(source)
    engine = backend if backend is not None else default_backend()
    started = time.perf_counter()
    total = len(plan_tiles(image.width, image.height))
    kept: list[OcrLine] = []
    for done, (tile, bgr) in enumerate(iter_tiles(image)):
        if cancel is not None:
            cancel.raise_if_cancelled()
        if int(bgr.max()) - int(bgr.min()) <= BLANK_RANGE:
            progress(Progress("ocr", done + 1, total))
            continue  # plain colour: nothing to read, and detection would cost a second
        for raw in engine.recognize(bgr):
            line = _to_line(raw, tile.top, image.width, image.height)
            if line is not None and tile.keep_from <= line.center_y < tile.keep_to:
                kept.append(line)
        progress(Progress("ocr", done + 1, total))
    lines = _drop_duplicates(sorted(kept, key=lambda ln: (ln.box[1], ln.box[0])))
    seconds = time.perf_counter() - started
    log.debug("OCR %dx%d: %d lines in %.2f s", image.width, image.height, len(lines), seconds)
    return OcrResult(image.width, image.height, tuple(lines), engine.version, round(seconds, 3))


def _to_line(raw: RawLine, dy: int, width: int, height: int) -> OcrLine | None:
    box, text, score = raw
    text = " ".join(str(text).split())
    if not text:
        return None
    points = np.asarray(box, dtype=np.float64).reshape(-1, 2)
    x0, y0 = np.floor(points.min(axis=0))
    x1, y1 = np.ceil(points.max(axis=0))
    clipped = (
        int(max(0, x0)),
        int(max(0, y0 + dy)),
        int(min(width, x1)),
        int(min(height, y1 + dy)),
    )
    if clipped[2] <= clipped[0] or clipped[3] <= clipped[1]:
        return None
    return OcrLine(text, clipped, round(float(score), 4))


def _drop_duplicates(lines: list[OcrLine]) -> list[OcrLine]:
    """Drop a line read twice by neighbouring tiles (same text, boxes mostly overlapping)."""
    kept: list[OcrLine] = []
    for line in lines:
        if any(other.text == line.text and _iou(other.box, line.box) > 0.5 for other in kept[-8:]):
            continue
        kept.append(line)
    return kept


def _iou(a: Box, b: Box) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0
