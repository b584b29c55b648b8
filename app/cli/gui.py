"""Opening the window from the command line (Qt is imported only then)."""

from __future__ import annotations

from pathlib import Path


def cmd_gui(case: str | None, language: str | None = None) -> int:
    from app.ui.main import run_gui  # Qt only when the window is asked for

    return run_gui(Path(case) if case else None, language)
