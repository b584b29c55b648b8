"""Correcting what the OCR read in a case: one line at a time, and everything read from it follows.

The user's text is kept in the OCR cache's corrections file (`OcrCache.correct`, apart from
what the engine read). A screenshot's chat messages are events in case.sqlite made from the
effective (corrected) lines, so after a correction the chats are read again: the timeline,
the transcript and the export show the corrected text. Giving back the text the OCR read
removes the correction.
"""

from __future__ import annotations

import logging

from app.evidence.errors import EvidenceError
from app.evidence.models import ItemKind
from app.evidence.ocr.cache import LineCorrection, OcrCache
from app.evidence.ocr.engine import OcrResult
from app.evidence.store.case import Case

log = logging.getLogger(__name__)

MAX_LINE_CHARS = 2000


class OcrCorrectionError(EvidenceError):
    """A line cannot be corrected: the item was never read, or there is no such line."""


def read_lines(case: Case, item: str | int) -> OcrResult | None:
    """The item's OCR result with the user's corrections, or None when it was not read yet."""
    target = case.item(item)
    return OcrCache.for_case(case).effective(target.sha256)


def correct_line(
    case: Case, item: str | int, line: int, text: str, *, me_on_right: bool = True
) -> LineCorrection | None:
    """Say what one OCR line of an item really reads, then re-read the chats made from it.

    Args:
        item: item id or SHA-256 prefix.
        line: index of the line in the OCR result (`read_lines(...).lines`).
        text: the user's text; the text the OCR read (or an empty text) removes the correction.
        me_on_right: which side of a chat screenshot is the user (as at import).

    Returns:
        The stored correction, or None when the line is back to what the OCR read.

    Raises:
        OcrCorrectionError: the item has no OCR result, or no such line.
    """
    target = case.item(item)
    cache = OcrCache.for_case(case)
    read = cache.get(target.sha256)
    if read is None:
        raise OcrCorrectionError(f"{target.original_name}: no recognised text to correct")
    if not 0 <= line < len(read.lines):
        raise OcrCorrectionError(
            f"{target.original_name}: line {line} out of range (0..{len(read.lines) - 1})"
        )
    text = " ".join(text.split())[:MAX_LINE_CHARS]  # one line: no line breaks inside
    fix: LineCorrection | None = None
    if not text or text == read.lines[line].text:
        cache.forget_correction(target.sha256, line)
    else:
        fix = cache.correct(target.sha256, line, text, at=None)
    log.info("%s: OCR line %d corrected", target.original_name, line)  # never the text itself
    if target.kind is ItemKind.SCREENSHOT:
        from app.evidence.ingest.analyse import sync_chats

        sync_chats(case, me_on_right=me_on_right)
    return fix
