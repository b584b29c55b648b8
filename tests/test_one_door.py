"""The front ends (the window, the CLI, the demo) reach the core through app.evidence.service only.

pyproject's import-linter contract says the same for `lint-imports`; this test reads the sources
itself so it runs everywhere the tests run.
"""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
ALLOWED = (
    "app.evidence.service",
    "app.evidence.models",
    "app.evidence.errors",
    "app.evidence.i18n",
)


def _front_end_files() -> list[Path]:
    files = sorted((APP / "ui").rglob("*.py")) + [APP / "evidence" / "demo.py"]
    cli = APP / "cli"
    files += sorted(cli.rglob("*.py")) if cli.is_dir() else sorted(APP.glob("cli*.py"))
    return files


def _core_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = (
                [node.module]
                if node.module != "app.evidence"
                else [f"app.evidence.{a.name}" for a in node.names]
            )
            found.update(n for n in names if n.startswith("app.evidence"))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("app.evidence"))
    return found


def test_front_ends_import_only_the_service() -> None:
    wrong = {
        f"{path.relative_to(APP.parent)}: {module}"
        for path in _front_end_files()
        for module in _core_imports(path)
        if not module.startswith(ALLOWED) and module != "app.evidence.demo"
    }
    assert not wrong, "\n".join(sorted(wrong))
