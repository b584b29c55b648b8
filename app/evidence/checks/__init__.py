"""Integrity checks: findings and one verdict per photo, screenshot and video.

Public API (what the CLI and the GUI call)::

    check_file(path, *, kind_hint=None, options=CheckOptions()) -> FileCheck
    iter_check_paths(paths, *, kind_hint=None, options=..., progress=..., cancel=None)
        -> Iterator[FileCheck]
    check_item(case, item, *, options=...) -> FileCheck
    report_json(checks) -> {"files": [...]};  exit_code(checks) -> 0 | 2
    cross_check(checks, *, story=()) -> list[CrossFinding]
    error_level_image(path, quality=90) -> PIL image (expert view only, never a verdict)

How a verdict is reached is documented in one place: `app.evidence.checks.verdict`.
"""

from __future__ import annotations

from app.evidence.checks.cross import CrossFinding, StoryStep, cross_check
from app.evidence.checks.ela import error_level_image
from app.evidence.checks.model import (
    CheckOptions,
    FileCheck,
    Finding,
    Severity,
    Traits,
    Verdict,
)
from app.evidence.checks.run import (
    check_file,
    check_item,
    exit_code,
    iter_check_paths,
    report_json,
)

__all__ = [
    "CheckOptions",
    "CrossFinding",
    "FileCheck",
    "Finding",
    "Severity",
    "StoryStep",
    "Traits",
    "Verdict",
    "check_file",
    "check_item",
    "cross_check",
    "error_level_image",
    "exit_code",
    "iter_check_paths",
    "report_json",
]
