"""Screenshots as text: offline OCR, its cache, chat transcripts and stitching.

Typical use (a worker thread; OCR takes about a second per phone screenshot)::

    cache = OcrCache.for_case(case)
    result = recognize_cached(case.root / item.vault_path, cache, sha256=item.sha256)
    transcript = parse_chat(result, reference=date(2025, 6, 14))
    joined = stitch([path1, path2], [transcript1, transcript2])
    joined.findings  # overlaps whose pixels differ

Modules: `engine` (RapidOCR wrapper, tiles), `image` (opening, tiling), `cache` (results by
SHA-256, with the case's corrections applied), `chat` (bubbles, sides, times, tags),
`chat_time` (separator formats), `tags` (phone/order/tracking numbers), `overlap` (pixel
overlap of two screenshots), `stitch` (joined transcript and findings). Correcting a line
(kept in case.sqlite, audited, undoable, the chats read again) is
`app.evidence.ingest.corrections`.
"""

from __future__ import annotations

from app.evidence.ocr.cache import LineCorrection, OcrCache, apply_corrections, recognize_cached
from app.evidence.ocr.chat import (
    ChatMessage,
    ChatOptions,
    ChatTranscript,
    Side,
    TimeSeparator,
    parse_chat,
)
from app.evidence.ocr.chat_time import SeparatorTime, parse_separator
from app.evidence.ocr.engine import (
    OcrBackend,
    OcrLine,
    OcrResult,
    OcrUnavailable,
    RapidOcrBackend,
    default_backend,
    recognize,
)
from app.evidence.ocr.overlap import Overlap, find_overlap
from app.evidence.ocr.stitch import StitchFinding, StitchResult, stitch
from app.evidence.ocr.tags import TagKind, TextTag, find_tags

__all__ = [
    "ChatMessage",
    "ChatOptions",
    "ChatTranscript",
    "LineCorrection",
    "OcrBackend",
    "OcrCache",
    "OcrLine",
    "OcrResult",
    "OcrUnavailable",
    "Overlap",
    "RapidOcrBackend",
    "SeparatorTime",
    "Side",
    "StitchFinding",
    "StitchResult",
    "TagKind",
    "TextTag",
    "TimeSeparator",
    "apply_corrections",
    "default_backend",
    "find_overlap",
    "find_tags",
    "parse_chat",
    "parse_separator",
    "recognize",
    "recognize_cached",
    "stitch",
]
