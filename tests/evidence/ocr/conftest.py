"""OCR fixtures: the real engine, made and run once per session with the network blocked."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.evidence.ocr.engine import OcrResult, RawLine

SHOTS = ("chat_part1.png", "chat_part2.png")


NETWORK_ATTEMPTS: list[str] = []
"""Connections or name lookups tried while `no_network` was on (the tests expect none)."""


@contextmanager
def no_network() -> Iterator[None]:
    """Refuse and record every socket connection and name lookup inside the block."""
    patch = pytest.MonkeyPatch()

    def refuse(name: str):
        def blocked(*args: object, **kwargs: object) -> None:
            NETWORK_ATTEMPTS.append(f"{name}{args[1:2]}")
            raise OSError(f"network blocked in OCR tests ({name})")

        return blocked

    patch.setattr(socket.socket, "connect", refuse("connect"))
    patch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    patch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    try:
        yield
    finally:
        patch.undo()


@pytest.fixture(scope="session")
def backend():
    """The shared RapidOCR backend, its models loaded with the network blocked."""
    pytest.importorskip("rapidocr")
    from app.evidence.ocr.engine import default_backend

    with no_network():
        return default_backend()


@pytest.fixture(scope="session")
def screenshots(corpus: Path) -> dict[str, Path]:
    """The synthetic chat screenshots (read-only)."""
    return {name: corpus / "synthetic" / "screenshots" / name for name in SHOTS}


@pytest.fixture(scope="session")
def corpus_ocr(backend, screenshots: dict[str, Path]) -> dict[str, OcrResult]:
    """Real OCR of each corpus screenshot, once per session."""
    from app.evidence.ocr.engine import recognize

    with no_network():
        return {name: recognize(path, backend=backend) for name, path in screenshots.items()}


@pytest.fixture(scope="session")
def corpus_images(screenshots: dict[str, Path]) -> dict[str, Image.Image]:
    """The corpus screenshots decoded, RGB."""
    return {name: Image.open(path).convert("RGB") for name, path in screenshots.items()}


class CountingBackend:
    """A fake backend: finds dark horizontal bars and names them by their colour.

    Each bar of grey level g (< 100) drawn on a light image comes back as one line with the
    text f"bar{g}", boxed where it is, in the pixels of the array it was given.
    """

    version = "fake 1"

    def __init__(self, lines: list[RawLine] | None = None) -> None:
        self.calls = 0
        self.largest_tile = 0
        self.fixed = lines

    def recognize(self, bgr: np.ndarray) -> list[RawLine]:
        self.calls += 1
        self.largest_tile = max(self.largest_tile, bgr.nbytes)
        if self.fixed is not None:
            return list(self.fixed)
        grey = bgr[:, :, 1]
        dark_rows = np.flatnonzero((grey < 100).any(axis=1))
        found: list[RawLine] = []
        if len(dark_rows) == 0:
            return found
        for run in np.split(dark_rows, np.flatnonzero(np.diff(dark_rows) > 1) + 1):
            y0, y1 = int(run[0]), int(run[-1]) + 1
            if y0 == 0 or y1 == bgr.shape[0]:
                continue  # cut by the tile edge: a real detector would not read it either
            cols = np.flatnonzero((grey[y0:y1] < 100).any(axis=0))
            level = int(grey[y0, cols[0]])
            found.append(
                (
                    [[cols[0], y0], [cols[-1] + 1, y0], [cols[-1] + 1, y1], [cols[0], y1]],
                    f"bar{level}",
                    0.99,
                )
            )
        return found


@pytest.fixture
def counting_backend() -> CountingBackend:
    """A fresh fake backend that counts its calls."""
    return CountingBackend()
