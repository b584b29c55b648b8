"""Progress reporting and cancellation for long core operations.

Long work (import, checks, OCR, export) takes an optional `ProgressCallback` and `CancelToken`.
The core calls the callback between steps and checks the token there; the GUI's worker adapter
turns callbacks into signals, the CLI draws a bar on stderr.

`PaceEstimator` turns the successive reports into a rate (files or MB a second) and a time left,
smoothed, in the user's language; the CLI's bar and the window's status bar both show it.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.evidence.errors import Cancelled
from app.evidence.i18n import tr


@dataclass(frozen=True)
class Progress:
    """Where a long operation stands.

    Attributes:
        stage: short machine name of the step ("import", "thumbnails", "check", ...).
        done: units finished.
        total: units in all (0 when not yet known).
        current: what is being worked on now (a file name), for display.
        done_bytes: bytes of the finished units (0 when the operation does not count bytes).
        total_bytes: bytes in all (0 when not counted): with big files (videos) the rate is
            shown in MB/s and the time left follows the bytes, not the file count.
    """

    stage: str
    done: int
    total: int
    current: str = ""
    done_bytes: int = 0
    total_bytes: int = 0


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


BIG_FILE_BYTES = 16 * 1024 * 1024
"""From this average size of a unit on, the pace is counted in bytes (MB/s), not files."""
_FILE_STAGES = frozenset({"import", "archive_import", "archive_verify", "thumbnails"})
_LONGEST_ESTIMATE_S = 100 * 3600.0
"""A time left beyond this is not an estimate worth showing (a stalled start, a clock jump)."""


@dataclass(frozen=True)
class Pace:
    """How fast a long operation goes and, when it can be told, how long it still needs.

    Attributes:
        per_second: units a second: files (or items) a second, or bytes a second when by_bytes.
        by_bytes: the units are bytes (big files), shown as MB/s.
        seconds_left: the estimated time left, or None when it cannot be estimated (no total,
            already done, or an estimate too far out to mean anything).
        noun: "files" or "items", what the units are when not bytes.
    """

    per_second: float
    by_bytes: bool
    seconds_left: float | None
    noun: str = "files"

    def rate_text(self) -> str:
        """ "12 个文件/秒" / "12 files/s", or "35.2 MB/秒" / "35.2 MB/s" for big files."""
        if self.by_bytes:
            return tr("{rate} MB/秒", "{rate} MB/s", rate=_number(self.per_second / 1e6))
        if self.noun == "files":
            return tr("{rate} 个文件/秒", "{rate} files/s", rate=_number(self.per_second))
        return tr("{rate} 项/秒", "{rate} items/s", rate=_number(self.per_second))

    def left_text(self) -> str:
        """The time left in words ("约剩 1 分 20 秒" / "about 1 min 20 s left"), or ""."""
        if self.seconds_left is None:
            return ""
        return time_left_text(self.seconds_left)

    def text(self) -> str:
        """Rate and time left, as one short line for a progress display."""
        left = self.left_text()
        return f"{self.rate_text()} · {left}" if left else self.rate_text()


def _by_bytes(p: Progress) -> bool:
    """Count bytes when the units are big files on average (videos), else count the units."""
    return p.total_bytes > 0 and p.total_bytes >= BIG_FILE_BYTES * max(1, p.total)


def _number(value: float) -> str:
    if value >= 10:
        return f"{value:.0f}"
    if value >= 0.1:
        return f"{value:.1f}"
    return f"{value:.2f}"


def time_left_text(seconds: float) -> str:
    """A time left, rounded as a person says it: "约剩 45 秒" / "about 45 s left"."""
    if seconds < 10:
        return tr("即将完成", "almost done")
    if seconds < 60:
        return tr("约剩 {s} 秒", "about {s} s left", s=max(10, 5 * round(seconds / 5)))
    if seconds < 600:
        minutes, rest = divmod(10 * round(seconds / 10), 60)
        if rest == 0:
            return tr("约剩 {m} 分钟", "about {m} min left", m=minutes)
        return tr("约剩 {m} 分 {s} 秒", "about {m} min {s} s left", m=minutes, s=rest)
    if seconds < 3600:
        return tr("约剩 {m} 分钟", "about {m} min left", m=round(seconds / 60))
    hours, minutes = divmod(round(seconds / 60), 60)
    return tr("约剩 {h} 小时 {m} 分", "about {h} h {m} min left", h=hours, m=minutes)


class PaceEstimator:
    """Rate and time left from successive `Progress` reports of one operation.

    Nothing is estimated before a few units are done and a moment has passed (the first files
    of an import include opening the case and warming caches). The first estimate is the mean
    rate so far; later reports move it with a time-weighted exponential average (half-life
    `half_life` seconds), so one slow file does not make the time left jump. A new stage, a
    new total or a count that goes back starts over. A clock may be injected (tests).

    Not thread-safe: feed it from one thread (the CLI's callback, the window's slot).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        min_units: int = 3,
        min_seconds: float = 1.0,
        half_life: float = 5.0,
    ) -> None:
        self._clock = clock
        self._min_units = min_units
        self._min_seconds = min_seconds
        self._tau = half_life / math.log(2)
        self._key: tuple[str, int, int] | None = None
        self._start_t = 0.0
        self._start_done = 0
        self._start_bytes = 0
        self._last_t = 0.0
        self._last_x = 0
        self._seen = (0, 0)
        self._rate: float | None = None

    def reset(self) -> None:
        """Forget the operation (the next report starts a new one)."""
        self._key = None
        self._rate = None

    def update(self, p: Progress) -> Pace | None:
        """Take a report; the pace so far, or None while it cannot be told yet."""
        now = self._clock()
        key = (p.stage, p.total, p.total_bytes)
        going_back = p.done < self._seen[0] or p.done_bytes < self._seen[1]
        self._seen = (p.done, p.done_bytes)
        if key != self._key or going_back:
            self._start(key, now, p)
            return None
        by_bytes = _by_bytes(p)
        x = p.done_bytes if by_bytes else p.done
        start_x = self._start_bytes if by_bytes else self._start_done
        elapsed = now - self._start_t
        enough = 1 if by_bytes else self._min_units
        if self._rate is None:
            if p.done - self._start_done < enough or elapsed < self._min_seconds or x <= start_x:
                return None
            self._rate = (x - start_x) / elapsed  # the mean so far seeds the average
        else:
            dt = now - self._last_t
            if dt > 0:
                instant = (x - self._last_x) / dt
                weight = 1.0 - math.exp(-dt / self._tau)
                self._rate += weight * (instant - self._rate)
            else:  # several reports at once: the next one with time passed counts them all
                return self._pace(p, by_bytes, x)
        self._last_t, self._last_x = now, x
        return self._pace(p, by_bytes, x)

    def _start(self, key: tuple[str, int, int], now: float, p: Progress) -> None:
        self._key = key
        self._start_t = self._last_t = now
        self._start_done = p.done
        self._start_bytes = p.done_bytes
        self._last_x = p.done_bytes if _by_bytes(p) else p.done
        self._rate = None

    def _pace(self, p: Progress, by_bytes: bool, x: int) -> Pace | None:
        rate = self._rate or 0.0
        if rate <= 0:
            return None
        total = p.total_bytes if by_bytes else p.total
        left: float | None = None
        if total > x:
            left = (total - x) / rate
            if left > _LONGEST_ESTIMATE_S:
                left = None
        noun = "files" if p.stage in _FILE_STAGES else "items"
        return Pace(rate, by_bytes, left, noun)
