"""The product's goals (issue 16) on the repository's labelled real camera and phone files.

tests/data/realworld/: 45 files cameras, phones and photo programs wrote (labels.csv says what
each one is and why). A genuine photo called edited makes a buyer drop true evidence; an edited
photo passed as a camera original misleads the reviewer.
"""

from __future__ import annotations

import pytest

from bench.accuracy import Entry, check_sources, realworld_sources


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return check_sources(realworld_sources(corpus=None))


def _listing(rows: list[Entry]) -> str:
    return "\n".join(
        f"{e.path}: {e.truth} -> {e.verdict} "
        f"({', '.join(dict.fromkeys(c for c, s in e.findings if s in ('alert', 'warning')))})"
        for e in rows
    )


def test_no_camera_original_is_called_edited(entries: list[Entry]) -> None:
    originals = [e for e in entries if e.truth == "camera_original"]
    assert len(originals) >= 9
    wrong = [e for e in originals if e.verdict == "edited"]
    assert not wrong, _listing(wrong)


def test_no_edited_file_is_called_camera_original(entries: list[Entry]) -> None:
    edited = [e for e in entries if e.truth == "edited"]
    assert len(edited) >= 10
    wrong = [e for e in edited if e.verdict == "camera_original"]
    assert not wrong, _listing(wrong)


def test_no_recompressed_file_is_called_camera_original(entries: list[Entry]) -> None:
    recompressed = [e for e in entries if e.truth == "recompressed"]
    assert len(recompressed) >= 20
    wrong = [e for e in recompressed if e.verdict == "camera_original"]
    assert not wrong, _listing(wrong)
