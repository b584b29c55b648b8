"""What the operating system asks of a front end: case folders opened by their marker file, and a
console (Windows cp936) that cannot show every file name."""

from __future__ import annotations

from app.evidence.winpaths import case_root_of, safe_console

__all__ = ["case_root_of", "safe_console"]
