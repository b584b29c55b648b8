"""Verification: of a case folder against its records, and of an exported PDF or ZIP."""

from __future__ import annotations

from app.evidence.checks.case_checks import check_again
from app.evidence.export import verify_pdf, verify_zip
from app.evidence.store import verify as store_verify
from app.evidence.store.case import Case
from app.evidence.store.verify import CaseVerification

__all__ = ["CaseVerification", "verify_case", "verify_pdf", "verify_zip"]


def verify_case(case: Case, *, recheck: bool = True) -> CaseVerification:
    """Re-hash every original, recompute the audit chain, compare the recorded fields with the
    audit log and (with `recheck`) the stored verdicts with the integrity checks run again."""
    return store_verify.verify_case(case, recheck=check_again if recheck else None)
