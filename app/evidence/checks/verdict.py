"""How findings become a verdict: the one place that decides.

Severities mean the same everywhere:

    alert    the content or its metadata was changed after capture (an editor's name, an edit
             history, a crop, a thumbnail showing other content, dates that contradict each
             other, a software encoder, a cut video)                          -> edited
    warning  this file is not the camera's own file, but nothing shows a change of content
             (no camera metadata, a chat app's or converter's re-save, a muxer's re-wrap,
             a layout or compression that differs from the claimed device)    -> recompressed
    ok       positive evidence of a camera origin (camera metadata / device keys with a time)
    info     context for the expert view; never moves a verdict

The verdict of a file, first rule that applies:

    1. the file could not be read                                    -> unreadable
    2. a screenshot: any alert -> edited, otherwise unknown (no camera metadata is expected of
       a screenshot, and a screenshot tool's re-save does not count against it)
    3. any alert                                                     -> edited
    4. any warning                                                   -> recompressed
    5. an ok finding (camera origin), and every check completed      -> camera_original
    6. otherwise (nothing establishes an origin)                     -> unknown

Cross-item findings (checks/cross.py) are reported for the case and never change a file's
verdict: they say two files disagree, not which one is wrong.

The category tables below map signature-table categories (resources/signatures/*.json) to
severities, so a new row in a table needs no code.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.evidence.checks.model import Finding, Severity, Verdict
from app.evidence.models import ItemKind

PROGRAM_SEVERITY: dict[str, Severity] = {
    "editor": Severity.ALERT,
    "ai_generator": Severity.ALERT,
    "metadata_tool": Severity.ALERT,
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

_RANK = {Severity.ALERT: 0, Severity.WARNING: 1, Severity.OK: 2, Severity.INFO: 3}


def decide_verdict(kind: ItemKind | None, findings: Iterable[Finding], readable: bool) -> Verdict:
    """Apply the rules of this module's docstring."""
    if not readable:
        return Verdict.UNREADABLE
    findings = list(findings)
    severities = {f.severity for f in findings}
    if Severity.ALERT in severities:
        return Verdict.EDITED
    if kind == ItemKind.SCREENSHOT:
        return Verdict.UNKNOWN
    if Severity.WARNING in severities:
        return Verdict.RECOMPRESSED
    if Severity.OK in severities and not any(f.code == "check_incomplete" for f in findings):
        return Verdict.CAMERA_ORIGINAL
    return Verdict.UNKNOWN


def strongest_first(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings ordered alert, warning, ok, info (stable within a severity)."""
    return tuple(sorted(findings, key=lambda f: _RANK[f.severity]))
