"""How findings become a verdict: the one place that decides.

Severities mean the same everywhere:

    alert    what the picture shows may have changed after capture (a crop, a thumbnail showing
             other content, an editor's own history, generated content, a cut video)
    warning  this file is not the camera's own file, but nothing shows a change of what the
             picture shows: a rotation, a metadata-only rewrite (rating, tags, dates), a re-save
             by a viewer, converter, photo manager or transfer tool, a chat app's
             recompression, a downscale, camera EXIF in a format cameras do not write
                                                                      -> recompressed
    ok       positive evidence of a camera origin (camera metadata / device keys)
    info     context for the expert view; never moves a verdict

An alert decides `edited` for a photo or screenshot only when its code is in `EDIT_DECIDERS`
with a precision of at least `MIN_PRECISION` measured on labelled real files, or is the file's
own statement of the change (an editor's history, an AI-content label); the figures and the
date they were measured are in app/evidence/checks/edit_deciders.py. A weaker alert is still
shown with its explanation but counts as a warning. Video alerts are listed in
`VIDEO_ALERTS` and still decide until the video calibration (issue 16 point 6) measures them.

The verdict of a file, first rule that applies:

    1. the file could not be read                                    -> unreadable
    2. a deciding alert                                              -> edited
    3. a screenshot: any alert -> edited (until labelled real screenshots measure them),
       otherwise unknown (no camera metadata is expected of a screenshot, and a screenshot
       tool's re-save does not count against it)
    4. any warning, or an alert that does not decide                 -> recompressed
       (shown as "不是原始文件，但内容未见改动 / not the original file, content shows no
       sign of change", with the findings that say which)
    5. an ok finding (camera origin), and every check completed      -> camera_original
    6. otherwise (nothing establishes an origin)                     -> unknown

Cross-item findings (checks/cross.py) are reported for the case and never change a file's
verdict: they say two files disagree, not which one is wrong.

The category tables below map signature-table categories (resources/signatures/*.json) to
severities, so a new row in a table needs no code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from app.evidence.checks.edit_deciders import EDIT_DECIDERS, MIN_PRECISION, VIDEO_ALERTS
from app.evidence.checks.model import Finding, Severity, Verdict
from app.evidence.labels import RECOMPRESSED_WITH_ALERT, VERDICT, verdict_words
from app.evidence.models import ItemKind

__all__ = [
    "RECOMPRESSED_WORDS",
    "recompressed_words",
    "EDIT_DECIDERS",
    "MIN_PRECISION",
    "VIDEO_ALERTS",
    "decide_verdict",
    "may_decide_edited",
    "strongest_first",
]

PROGRAM_SEVERITY: dict[str, Severity] = {
    "editor": Severity.ALERT,
    "ai_generator": Severity.ALERT,
    "metadata_tool": Severity.WARNING,  # rewrote metadata: not the original, content unknown
    "photo_manager": Severity.WARNING,  # ratings, tags, rotations written back by a manager
    "chat_app": Severity.WARNING,
    "converter": Severity.WARNING,
    "vendor_transfer": Severity.WARNING,
    "screenshot_tool": Severity.INFO,
    "os": Severity.INFO,
    "unknown": Severity.INFO,
}
"""Photo/screenshot program names (editors.json categories) -> severity."""

PROGRAM_CODE: dict[str, str] = {
    "editor": "editor_trace",
    "ai_generator": "ai_generator_trace",
    "metadata_tool": "metadata_tool_trace",
    "photo_manager": "photo_manager_trace",
    "chat_app": "chat_app_trace",
    "converter": "converter_trace",
    "vendor_transfer": "vendor_software_trace",
    "screenshot_tool": "screenshot_tool_trace",
    "os": "os_software",
    "unknown": "unknown_program",
}
"""Photo/screenshot program category -> finding code."""

VIDEO_TOOL_SEVERITY: dict[str, Severity] = {
    "muxer": Severity.WARNING,
    "software_encoder": Severity.ALERT,
    "editor": Severity.ALERT,
    "ai_generator": Severity.ALERT,
}
"""Video tool categories (video_tools.json) -> severity; "phone" rows raise no finding."""

VIDEO_TOOL_CODE: dict[str, str] = {
    "muxer": "video_muxer_trace",
    "software_encoder": "video_software_encoder",
    "editor": "video_editor_trace",
    "ai_generator": "video_ai_trace",
}

RECOMPRESSED_WORDS: dict[str, tuple[str, str]] = {
    "clean": VERDICT[Verdict.RECOMPRESSED],
    "alert": RECOMPRESSED_WITH_ALERT,
}
"""How a recompressed verdict is worded (the words live in app/evidence/labels.py): "content
shows no sign of change" is only said when no alert (a non-deciding one) fired."""


def recompressed_words(severities: Iterable[str]) -> tuple[str, str]:
    """(Chinese, English) words of a recompressed verdict, given its findings' severities."""
    return verdict_words(Verdict.RECOMPRESSED, severities)


_RANK = {Severity.ALERT: 0, Severity.WARNING: 1, Severity.OK: 2, Severity.INFO: 3}


def may_decide_edited(code: str, kind: ItemKind | None = None) -> bool:
    """Whether an alert with this code may by itself make the file `edited`."""
    if kind == ItemKind.VIDEO:
        return code in VIDEO_ALERTS
    row = EDIT_DECIDERS.get(code)
    return row is not None and row.decides


class Judged(Protocol):
    """What a verdict reads of a finding: a check's `Finding` or a case's stored finding."""

    @property
    def code(self) -> str: ...

    @property
    def severity(self) -> str: ...


def decide_verdict(kind: ItemKind | None, findings: Iterable[Judged], readable: bool) -> Verdict:
    """Apply the rules of this module's docstring.

    The one derivation: `check` stores its result with the item's findings in one transaction,
    and the stored verdict is this function of the item's stored `check` findings (an
    unreadable file's finding is `unreadable`); cross-item and stitching findings never enter.
    """
    if not readable:
        return Verdict.UNREADABLE
    findings = list(findings)
    severities = {f.severity for f in findings}
    alerts = [f for f in findings if f.severity == Severity.ALERT]
    if any(may_decide_edited(f.code, kind) for f in alerts):
        return Verdict.EDITED
    if kind == ItemKind.SCREENSHOT:
        return Verdict.EDITED if alerts else Verdict.UNKNOWN
    if alerts or Severity.WARNING in severities:
        return Verdict.RECOMPRESSED
    if Severity.OK in severities and not any(f.code == "check_incomplete" for f in findings):
        return Verdict.CAMERA_ORIGINAL
    return Verdict.UNKNOWN


def strongest_first(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings ordered alert, warning, ok, info (stable within a severity)."""
    return tuple(sorted(findings, key=lambda f: _RANK[f.severity]))
