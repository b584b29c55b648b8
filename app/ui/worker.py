"""One adapter that runs core calls off the GUI thread and reports back through signals.

`Worker` wraps a callable taking (progress, cancel) keyword arguments; its `signals` object lives
on the GUI thread, so results, errors and progress arrive there as queued signals. Progress is
throttled to about ten redraws a second. Writes to a case go through `TaskRunner.write`, a pool
of one thread, so they are serialised; reads use the shared pool and run in parallel.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.evidence.errors import Cancelled
from app.evidence.service import CancelToken, Progress

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.1


class WorkerSignals(QObject):
    """Signals a worker emits; connect before starting it."""

    progress = Signal(object)  # Progress
    result = Signal(object)
    error = Signal(str)
    cancelled = Signal()
    finished = Signal()


class Worker(QRunnable):
    """Run `fn(progress=..., cancel=...)` on a pool thread."""

    def __init__(self, fn: Callable[..., Any], *, wants_progress: bool = True) -> None:
        super().__init__()
        self.fn = fn
        self.wants_progress = wants_progress
        self.signals = WorkerSignals()
        self.cancel_token = CancelToken()
        self._last_emit = 0.0
        self.setAutoDelete(True)

    def _progress(self, p: Progress) -> None:
        now = time.monotonic()
        if p.done >= p.total or now - self._last_emit >= PROGRESS_INTERVAL_S:
            self._last_emit = now
            self.signals.progress.emit(p)

    def cancel(self) -> None:
        """Ask the work to stop at its next step."""
        self.cancel_token.cancel()

    def run(self) -> None:  # noqa: D102 - QRunnable API
        try:
            if self.wants_progress:
                value = self.fn(progress=self._progress, cancel=self.cancel_token)
            else:
                value = self.fn()
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # every failure reaches the user as a message, never a crash
            log.error("background task failed:\n%s", traceback.format_exc())
            self.signals.error.emit(str(exc) or type(exc).__name__)
        else:
            if self.cancel_token.cancelled:
                self.signals.cancelled.emit()
            self.signals.result.emit(value)
        finally:
            self.signals.finished.emit()


class TaskRunner(QObject):
    """Owns the thread pools: parallel reads, one serial writer."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reads = QThreadPool(self)
        self.reads.setMaxThreadCount(max(2, QThreadPool.globalInstance().maxThreadCount()))
        self.writes = QThreadPool(self)
        self.writes.setMaxThreadCount(1)
        self._alive: set[Worker] = set()

    def _start(self, pool: QThreadPool, worker: Worker) -> Worker:
        self._alive.add(worker)  # keep the Python wrapper alive until it finished
        worker.signals.finished.connect(lambda: self._alive.discard(worker))
        pool.start(worker)
        return worker

    def read(self, worker: Worker) -> Worker:
        """Run a read-only task in parallel with others."""
        return self._start(self.reads, worker)

    def write(self, worker: Worker) -> Worker:
        """Run a task that writes to the case, after any earlier write."""
        return self._start(self.writes, worker)

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for every task (used when the window closes)."""
        return self.writes.waitForDone(msecs) and self.reads.waitForDone(msecs)
