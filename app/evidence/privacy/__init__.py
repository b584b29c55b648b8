"""Privacy: redaction regions that really remove, and nothing personal leaking out of an export.

Typical use (the window draws rectangles over a picture; every call is one undoable edit)::

    from app.evidence import privacy

    r = privacy.add_redaction(case, item_id, privacy.Rect(708, 868, 102, 48),
                              reason=privacy.Reason.PHONE)
    privacy.set_rect(case, r.id, privacy.Rect(700, 868, 110, 48))   # end of a drag
    report = privacy.suggest_redactions(case, progress=cb, cancel=token)  # a worker thread
    privacy.accept(case, [s.id for s in report.added])       # or reject(...)
    privacy.list_redactions(case, item_id)                    # to draw them
    undo(case)                                                # app.evidence.store.undo

Regions live in case.sqlite (migration 5), in the upright original's pixels; `export_case`
fills accepted ones with solid black in every exported picture and keyframe, masks the text
they hide wherever the export prints it, and strips every exported copy of its metadata.

Modules: `model` (data), `store` (edits), `patterns` (personal data in text and masking norms),
`geometry` (characters to pixels), `suggest` (OCR -> suggestions), `burn` (solid fills),
`textmask` (the text side), `metadata` (byte-level stripping, what originals carry),
`summary` (the export's privacy page), `cli` (`evidence-desk redact`).
"""

from __future__ import annotations

from app.evidence.privacy.model import (
    REASON_LABELS,
    Origin,
    PrivacyError,
    Reason,
    Rect,
    Redaction,
    RedactionNotFound,
    State,
    Suggestion,
)
from app.evidence.privacy.patterns import PiiMatch, find_pii, mask_value
from app.evidence.privacy.store import (
    accept,
    accept_all,
    add_redaction,
    add_suggestions,
    add_text_redaction,
    get_redaction,
    list_redactions,
    move_redaction,
    reject,
    remove_redaction,
    resize_redaction,
    set_reason,
    set_rect,
)
from app.evidence.privacy.suggest import (
    SuggestReport,
    suggest_redactions,
    suggestions_in_ocr,
    suggestions_in_text,
)

__all__ = [
    "REASON_LABELS",
    "Origin",
    "PiiMatch",
    "PrivacyError",
    "Reason",
    "Rect",
    "Redaction",
    "RedactionNotFound",
    "State",
    "SuggestReport",
    "Suggestion",
    "accept",
    "accept_all",
    "add_redaction",
    "add_suggestions",
    "add_text_redaction",
    "find_pii",
    "get_redaction",
    "list_redactions",
    "mask_value",
    "move_redaction",
    "reject",
    "remove_redaction",
    "resize_redaction",
    "set_reason",
    "set_rect",
    "suggest_redactions",
    "suggestions_in_ocr",
    "suggestions_in_text",
]
