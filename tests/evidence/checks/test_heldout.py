"""The generated held-out-style set: no original called anything else, no edit passed."""

from __future__ import annotations

from app.evidence.checks import FileCheck, Verdict
from tests.evidence.checks.heldout import Case
from tests.evidence.checks.scoring import confusion


def _report(heldout: list[tuple[Case, FileCheck]]) -> str:
    lines = [confusion((c.truth, r.verdict.value) for c, r in heldout), ""]
    for case, result in heldout:
        codes = ",".join(
            f.code for f in result.findings if f.severity.value in ("alert", "warning")
        )
        lines.append(f"{case.name:<34} {case.truth:<16} {result.verdict.value:<16} {codes}")
    return "\n".join(lines)


def test_originals_stay_camera_original(heldout: list[tuple[Case, FileCheck]]) -> None:
    originals = [(c, r) for c, r in heldout if c.truth == "camera_original"]
    assert len(originals) >= 6
    wrong = [c.name for c, r in originals if r.verdict != Verdict.CAMERA_ORIGINAL]
    assert not wrong, f"{wrong}\n{_report(heldout)}"


def test_no_edit_or_copy_passes_as_original(heldout: list[tuple[Case, FileCheck]]) -> None:
    others = [(c, r) for c, r in heldout if c.truth in ("edited", "recompressed")]
    assert len(others) >= 30
    wrong = [c.name for c, r in others if r.verdict == Verdict.CAMERA_ORIGINAL]
    assert not wrong, f"{wrong}\n{_report(heldout)}"


def test_edits_are_called_edited(heldout: list[tuple[Case, FileCheck]]) -> None:
    """Beyond the bar: every generated edit is recognised as an edit, not only as a copy."""
    wrong = [c.name for c, r in heldout if c.truth == "edited" and r.verdict.value != c.expect]
    assert not wrong, f"{wrong}\n{_report(heldout)}"


def test_chat_copies_are_not_called_edited(heldout: list[tuple[Case, FileCheck]]) -> None:
    chat = [(c, r) for c, r in heldout if c.truth == "recompressed"]
    assert chat
    wrong = [c.name for c, r in chat if r.verdict == Verdict.EDITED]
    assert not wrong, _report(heldout)


def test_screenshots_through_editors(heldout: list[tuple[Case, FileCheck]]) -> None:
    shots = {c.name: r for c, r in heldout if c.name.lower().startswith("screenshot")}
    assert shots["Screenshot_copy.png"].verdict == Verdict.UNKNOWN
    edited = [name for name in shots if name != "Screenshot_copy.png"]
    assert len(edited) >= 4
    assert all(shots[name].verdict == Verdict.EDITED for name in edited), _report(heldout)
