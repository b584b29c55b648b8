"""The tracking parser is core code: it must import and run with Qt unavailable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

_SCRIPT = """
import sys
sys.modules["PySide6"] = None  # any import of PySide6 now raises ImportError
from app.evidence.tracking import parse_tracking
record = parse_tracking("运单号：SF1402287551234 顺丰\\n2025-06-09 18:42:11 已揽收")
assert record.carrier_code == "SF", record
assert not [m for m in sys.modules if m.startswith(("PySide6.", "app.ui"))]
"""


def test_tracking_imports_and_parses_without_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
