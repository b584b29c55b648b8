"""Integrity checks: of a case's items, and of loose files (`evidence-desk check`)."""

from __future__ import annotations

from app.evidence.checks import CheckOptions, exit_code, iter_check_paths, report_json
from app.evidence.checks.case_checks import CHECKED_KINDS, check_case_items
from app.evidence.checks.missing import Finished, finish_missing, unchecked_ids
from app.evidence.checks.texts.stored import load_findings  # texts in the current wording
from app.evidence.checks.verdict import recompressed_words
from app.evidence.store.findings import StoredFinding, verdicts

__all__ = [
    "CHECKED_KINDS",
    "Finished",
    "CheckOptions",
    "StoredFinding",
    "check_case_items",
    "exit_code",
    "finish_missing",
    "iter_check_paths",
    "load_findings",
    "recompressed_words",
    "report_json",
    "unchecked_ids",
    "verdicts",
]
