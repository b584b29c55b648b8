"""Stored findings as a reader sees them: their texts rendered from code and params on read.

A case stores each finding's code and params, and beside them the texts as they read when the
finding was written. Readers (the window, `show`, the exports) get the catalog's current
wording, so a wording fix reaches cases checked before it. The stored text is the fallback for
a code the catalog does not know (an older version's code, stitching's findings) and for a row
written before its display values were kept in params.
"""

from __future__ import annotations

from dataclasses import replace

from app.evidence.checks.texts import render
from app.evidence.store import findings as store
from app.evidence.store.case import Case
from app.evidence.store.findings import StoredFinding


def rendered(finding: StoredFinding) -> StoredFinding:
    """`finding` with the catalog's texts for its code and params (unchanged if unknown)."""
    text = render(finding.code, finding.params)
    if text is None:
        return finding
    return replace(
        finding,
        title_zh=text.title_zh,
        title_en=text.title_en,
        explanation_zh=text.explanation_zh,
        explanation_en=text.explanation_en,
        false_positives=store.join_false_positives(
            text.false_positives_zh, text.false_positives_en
        ),
    )


def load_findings(case: Case, item_id: int | None = None) -> list[StoredFinding]:
    """Findings of one item, or of the whole case when item_id is None, texts rendered."""
    return [rendered(f) for f in store.load_findings(case, item_id)]
