"""What every command shares: exit codes, the progress bar on stderr, output helpers.

What they print goes through `tr()`, so it is Chinese or English as app/cli chose; `--json`
output is the same in both (English keys, machine values).
"""

from __future__ import annotations

import json
import math
import shutil
import sys
import time
import unicodedata
from collections.abc import Callable
from typing import Any, TextIO

from app.evidence.i18n import tr
from app.evidence.service import Pace, PaceEstimator, Progress

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class StderrBar:
    """Progress on stderr with the rate and the time left.

    On a terminal: one line, redrawn in place at most ten times a second. Elsewhere (a log, a
    pipe, a CI job): a plain line now and then, the first once the work has run for a few
    seconds, then at most one every `plain_every` seconds, and a last one when the work that
    printed ends, so a quick command prints nothing extra. `tty` (default: whether stderr is a
    terminal), the stream and the clock may be given (tests).
    """

    def __init__(
        self,
        tty: bool | None = None,
        *,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        plain_every: float = 10.0,
        plain_after: float = 3.0,
    ) -> None:
        self._stream = stream
        self.tty = self.stream.isatty() if tty is None else tty
        self._clock = clock
        self._pace = PaceEstimator(clock=clock)
        self._plain_every = plain_every
        self._plain_after = plain_after
        self._last = -math.inf
        self._began: float | None = None
        self._key: tuple[str, int] | None = None
        self._printed = False

    @property
    def stream(self) -> TextIO:
        """Where the bar goes (stderr as it is at the time of writing)."""
        return self._stream or sys.stderr

    def __call__(self, p: Progress) -> None:
        now = self._clock()
        if (p.stage, p.total) != self._key:  # a new operation (or a new stage of one)
            self._key, self._began, self._printed = (p.stage, p.total), now, False
            self._last = -math.inf
        pace = self._pace.update(p)
        finished = bool(p.total) and p.done >= p.total
        if self.tty:
            self._draw(p, pace, now, finished)
        else:
            self._plain(p, pace, now, finished)

    def _draw(self, p: Progress, pace: Pace | None, now: float, finished: bool) -> None:
        if not finished and now - self._last < 0.1:
            return
        self._last = now
        width = 20
        filled = int(width * p.done / p.total) if p.total else 0
        told = f" {pace.text()}" if pace else ""
        line = (
            f"{stage_label(p.stage)} [{'#' * filled}{'.' * (width - filled)}] "
            f"{p.done}/{p.total}{told}  {p.current}"
        )
        columns = shutil.get_terminal_size((80, 24)).columns - 1  # the last column wraps
        self.stream.write("\r" + _fit(line, columns))
        if finished:
            self.stream.write("\n")
        self.stream.flush()

    def _plain(self, p: Progress, pace: Pace | None, now: float, finished: bool) -> None:
        began = self._began if self._began is not None else now
        if finished:
            if not self._printed:
                return
        elif now - began < self._plain_after or now - self._last < self._plain_every:
            return
        self._last, self._printed = now, True
        parts = [f"{stage_label(p.stage)} {p.done}/{p.total}" if p.total else stage_label(p.stage)]
        if pace is not None:
            parts.append(pace.text())
        self.stream.write(" · ".join(parts) + "\n")
        self.stream.flush()


def _fit(text: str, columns: int) -> str:
    """`text` cut or padded to `columns` terminal cells (a Chinese character takes two)."""
    out, used = [], 0
    for ch in text:
        cells = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if used + cells > columns:
            break
        out.append(ch)
        used += cells
    return "".join(out) + " " * (columns - used)


def stage_label(stage: str) -> str:
    """The name of a progress stage in the current language (the core reports machine names)."""
    from app.evidence.service.labels import stage_text  # the one table: app/evidence/labels.py

    return stage_text(stage)


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")


def json_out(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _verdict_word(ok: bool) -> str:
    """ "OK" / "FAILED" lead a verify summary in both languages (scripts look for them)."""
    return tr("OK 通过", "OK") if ok else tr("FAILED 未通过", "FAILED")
