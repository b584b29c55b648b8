"""Session fixtures: the corpus checked once, and the generated held-out-style set."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from app.evidence.checks import FileCheck, check_file
from tests.evidence.checks.heldout import SCREENSHOT, VIDEOS, Case, build


@pytest.fixture(scope="session")
def labels(corpus: Path) -> list[dict[str, str]]:
    """The rows of the corpus's labels.csv."""
    with (corpus / "labels.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def corpus_checks(corpus: Path, labels: list[dict[str, str]]) -> dict[str, FileCheck]:
    """Every labelled corpus file checked once (relative path -> result)."""
    return {row["path"]: check_file(corpus / row["path"]) for row in labels}


@pytest.fixture(scope="session")
def heldout(
    corpus: Path, phone: Path, tmp_path_factory: pytest.TempPathFactory
) -> list[tuple[Case, FileCheck]]:
    """The generated set, written once per session, with each file's result.

    Its edits start from the phone originals (the `phone` stand-ins: the phones' own metadata,
    tables and marker layout), the chat screenshot and the two phone-style videos of `corpus`.
    """
    sources = tmp_path_factory.mktemp("heldout_sources")
    shutil.copytree(phone, sources, dirs_exist_ok=True)
    for rel in (SCREENSHOT, *VIDEOS.values()):
        (sources / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / rel, sources / rel)
    cases = build(sources, tmp_path_factory.mktemp("heldout"))
    return [(case, check_file(case.path)) for case in cases]
