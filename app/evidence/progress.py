"""Progress reporting and cancellation for long core operations.

Long work (import, checks, OCR, export) takes an optional `ProgressCallback` and `CancelToken`.
The core calls the callback between steps and checks the token there; the GUI's worker adapter
turns callbacks into signals, the CLI draws a bar on stderr.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.evidence.errors import Cancelled


@dataclass(frozen=True)
class Progress:
    """Where a long operation stands.

    Attributes:
        stage: short machine name of the step ("import", "thumbnails", "check", ...).
        done: units finished.
        total: units in all (0 when not yet known).
        current: what is being worked on now (a file name), for display.
    """

    stage: str
    done: int
    total: int
    current: str = ""


ProgressCallback = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    """A callback that ignores progress."""


class CancelToken:
    """Set from any thread to ask a running operation to stop at its next step."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the operation to stop."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """True once cancel() was called."""
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        """Raise Cancelled when cancel() was called."""
        if self._event.is_set():
            raise Cancelled("cancelled by the user")
