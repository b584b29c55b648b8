"""Verification: of a case folder against its records, and of an exported PDF or ZIP."""

from __future__ import annotations

from app.evidence.export import verify_pdf, verify_zip
from app.evidence.store.verify import CaseVerification, verify_case

__all__ = ["CaseVerification", "verify_case", "verify_pdf", "verify_zip"]
