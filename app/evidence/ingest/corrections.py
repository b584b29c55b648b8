"""Correcting what the OCR read in a case: one line at a time, and everything read from it follows.

The user's text is user data: it is kept in case.sqlite (`app.evidence.store.ocr_corrections`),
apart from what the engine read (the rebuildable cache under derived/ocr), so deleting
derived/ never loses it. A correction is one undoable edit with an audit row. A screenshot's
chat messages are events in case.sqlite made from the effective (corrected) lines, so after a
correction the chats are read again, and that re-reading belongs to the same undo step: undo
gives back the OCR text and the messages as they were. The timeline, the transcript and the
export show the corrected text. Giving back the text the OCR read removes the correction.
"""

from __future__ import annotations

import logging

from app.evidence.errors import EvidenceError
from app.evidence.i18n import tr
from app.evidence.ingest.analyse import sync_chats
from app.evidence.models import ItemKind
from app.evidence.ocr.cache import OcrCache
from app.evidence.ocr.engine import OcrResult
from app.evidence.store.case import Case
from app.evidence.store.ocr_corrections import LineCorrection
from app.evidence.store.undo import edit, one_step

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

    One undo step (the correction and the chat messages it changed) with an audit row
    ("ocr.correct"); nothing is recorded when the line already reads so.

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
    read = OcrCache.for_case(case).get(target.sha256)
    if read is None:
        raise OcrCorrectionError(
            tr(
                "{name}：还没有识别出的文字可改",
                "{name}: no recognised text to correct",
                name=target.original_name,
            )
        )
    if not 0 <= line < len(read.lines):
        raise OcrCorrectionError(
            tr(
                "{name}：没有第 {line} 行（0–{last}）",
                "{name}: line {line} out of range (0..{last})",
                name=target.original_name,
                line=line,
                last=len(read.lines) - 1,
            )
        )
    text = " ".join(text.split())[:MAX_LINE_CHARS]  # one line: no line breaks inside
    ocr_text = read.lines[line].text
    keep = bool(text) and text != ocr_text
    label = "修改识别文字" if keep else "恢复识别文字"
    detail = {"item": target.id, "line": line, "ocr_text": ocr_text, "text": text if keep else None}
    with one_step(case):
        with edit(case, "ocr.correct", label, detail, target.id) as (conn, rec):
            rec.touch("ocr_corrections", target.id, line)
            before = conn.execute(
                "SELECT ocr_text, text FROM ocr_corrections WHERE item_id = ? AND line = ?",
                (target.id, line),
            ).fetchone()
            changed = before != ((ocr_text, text) if keep else None)
            if keep and changed:
                conn.execute(
                    "INSERT INTO ocr_corrections (item_id, line, ocr_text, text, corrected_at)"
                    " VALUES (?,?,?,?,?) ON CONFLICT(item_id, line) DO UPDATE SET"
                    " ocr_text = excluded.ocr_text, text = excluded.text,"
                    " corrected_at = excluded.corrected_at",
                    (target.id, line, ocr_text, text, case.now()),
                )
            elif not keep and changed:
                conn.execute(
                    "DELETE FROM ocr_corrections WHERE item_id = ? AND line = ?", (target.id, line)
                )
        if changed:
            log.info("%s: OCR line %d corrected", target.original_name, line)  # never the text
            if target.kind is ItemKind.SCREENSHOT:
                sync_chats(case, me_on_right=me_on_right)
    if not keep:
        return None
    return next(c for c in OcrCache.for_case(case).corrections(target.sha256) if c.line == line)
