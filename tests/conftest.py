"""Shared fixtures: the read-only corpus and copies of it in temporary folders."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The command line speaks the locale's language; tests assert its English wording unless they
# ask for Chinese (tests/test_cli.py checks both). CLI subprocesses inherit this.
os.environ.setdefault("EVIDENCE_DESK_LANG", "en")

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("EVIDENCE_CORPUS", REPO.parent / "shared" / "corpus")).resolve()


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus (read-only: copy before use)."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture
def corpus_copy(corpus: Path, tmp_path: Path):
    """Return a function that copies corpus paths (files or folders) into tmp_path, writable."""

    def copy(*relative: str) -> Path:
        target_root = tmp_path / "input"
        target_root.mkdir(exist_ok=True)
        last = target_root
        for rel in relative:
            src = corpus / rel
            dst = target_root / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst, dirs_exist_ok=True)
                for p in dst.rglob("*"):
                    p.chmod(p.stat().st_mode | stat.S_IWUSR)
            else:
                shutil.copyfile(src, dst)
            last = dst
        return last if len(relative) == 1 else target_root

    return copy


@pytest.fixture
def language():
    """set_language for one test (in-process tests run in the default, Chinese); restored after."""
    from app.evidence.i18n import current_language, set_language

    before = current_language()
    yield set_language
    set_language(before)
