"""What every command shares: exit codes, the progress bar on stderr, output helpers.

What they print goes through `tr()`, so it is Chinese or English as app/cli chose; `--json`
output is the same in both (English keys, machine values).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from app.evidence.i18n import tr
from app.evidence.service import Progress

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class StderrBar:
    """A one-line progress bar on stderr, redrawn at most ten times a second (TTY only)."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._last = 0.0

    def __call__(self, p: Progress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if p.done < p.total and now - self._last < 0.1:
            return
        self._last = now
        width = 30
        filled = int(width * p.done / p.total) if p.total else 0
        sys.stderr.write(
            f"\r{stage_label(p.stage)} [{'#' * filled}{'.' * (width - filled)}] "
            f"{p.done}/{p.total} {p.current[:40]:<40}"
        )
        if p.total and p.done >= p.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


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
