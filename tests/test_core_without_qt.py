"""The core imports and runs with PySide6 unavailable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROGRAM = r"""
import importlib, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith(("PySide6.", "app.ui")):
            raise ImportError(f"blocked: {name}")
sys.meta_path.insert(0, Block())
import app.evidence
for mod in pkgutil.walk_packages(app.evidence.__path__, "app.evidence."):
    importlib.import_module(mod.name)
import app.cli
assert "PySide6" not in sys.modules
print("ok")
"""


def test_core_imports_without_qt() -> None:
    r = subprocess.run(
        [sys.executable, "-c", PROGRAM], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"
