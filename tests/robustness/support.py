"""Helpers shared by the robustness tests: the CLI in a process of its own, SQLite checks."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def cli_env() -> dict[str, str]:
    """The environment for a CLI subprocess: this checkout first on the path, no Qt display."""
    return {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}


def run_cli(
    *args: str | Path, timeout: float = 120, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `evidence-desk ARGS` as a separate process and return its outcome."""
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        errors="replace",  # a file name that is not UTF-8 is printed as the bytes it is
        timeout=timeout,
        env=cli_env(),
        cwd=REPO,
        check=False,
    )


def integrity(case_root: Path) -> str:
    """SQLite's own `PRAGMA integrity_check` of a case database (read-only)."""
    conn = sqlite3.connect(f"file:{case_root / 'case.sqlite'}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()
