"""Suggested redactions: personal data found in the text of screenshots, photos, video keyframes
and pasted tracking records, proposed for the user to accept or reject.

Screenshots and photos are read by OCR (cached under derived/ocr by SHA-256, so a screenshot
read at import costs nothing here); video keyframes are the ones the export shows (same
positions, see `export.keyframes.iter_keyframes`), each read once and cached under a key
derived from the video's SHA-256 and the frame time. A suggestion's rectangle is the part of
the OCR line that holds the hidden characters (`geometry.span_rect`): the middle four digits
of a phone number, the whole of an ID or bank card number, the street part of an address.

Nothing is proposed twice: a suggestion matching a stored redaction of the same item, frame,
reason and text (whatever its state: a rejected one stays rejected) is skipped.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from app.evidence.errors import InputError
from app.evidence.models import Item, ItemKind
from app.evidence.ocr.cache import OcrCache, recognize_cached
from app.evidence.ocr.engine import OcrBackend, OcrResult, OcrUnavailable, recognize
from app.evidence.privacy.geometry import span_rect
from app.evidence.privacy.model import Reason, Redaction, State, Suggestion
from app.evidence.privacy.patterns import find_pii
from app.evidence.privacy.store import add_suggestions, list_redactions
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress
from app.evidence.store.case import Case

log = logging.getLogger(__name__)

STAGE = "redact.suggest"
OCR_KINDS = (ItemKind.SCREENSHOT, ItemKind.PHOTO, ItemKind.VIDEO)
TEXT_LIMIT = 2_000_000
# what the export warns about when still visible: numbers that identify or reach a person
UNMASKED_REASONS = (Reason.PHONE, Reason.ID_CARD, Reason.BANK_CARD)


@dataclass(frozen=True)
class SuggestReport:
    """What a suggestion run found.

    Attributes:
        added: the suggestions stored by this run (state suggested).
        known: suggestions skipped because the case already has them.
        read: items whose text was read (OCR or text record).
        problems: items that could not be read, in plain words.
    """

    added: tuple[Redaction, ...]
    known: int
    read: int
    problems: tuple[str, ...] = ()


def suggestions_in_ocr(
    result: OcrResult, item_id: int, *, frame_ms: int | None = None, order_no: str | None = None
) -> list[Suggestion]:
    """One suggestion per piece of personal data in the OCR lines, boxed by its characters."""
    out = []
    for line in result.lines:
        for match in find_pii(line.text, order_no=order_no):
            rect = span_rect(line.text, line.box, match.hide)
            out.append(
                Suggestion(
                    item_id, rect, match.reason, match.text, match.masked, line.text, frame_ms
                )
            )
    return out


def suggestions_in_text(
    text: str, item_id: int, *, order_no: str | None = None
) -> list[Suggestion]:
    """Text-only suggestions for a record without pixels (a pasted tracking text)."""
    out = []
    for line in text.splitlines():
        for match in find_pii(line, order_no=order_no):
            out.append(Suggestion(item_id, None, match.reason, match.text, match.masked, line))
    return out


def suggest_redactions(
    case: Case,
    items: Iterable[str | int] | None = None,
    *,
    ocr: bool = True,
    backend: OcrBackend | None = None,
    frames: int | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> SuggestReport:
    """Find personal data in the case's items and store new suggestions (one undo step).

    Args:
        items: ids or SHA-256 prefixes; every item when None.
        ocr: read items that have no cached OCR yet (about a second per screenshot, a few per
            photo or keyframe); False uses only what is cached.
        backend: the OCR backend (tests pass a fake); the shared RapidOCR one when None.
        frames: at most this many keyframes per video (all the export shows when None).
        progress: called with stage "redact.suggest" after each item.
        cancel: checked between items and frames; nothing is stored when cancelled.
    """
    cancel = cancel or CancelToken()
    chosen = [case.item(ref) for ref in items] if items is not None else case.items()
    order_no = case.info().order_no
    cache = OcrCache.for_case(case)
    found: list[Suggestion] = []
    problems: list[str] = []
    read = 0
    for n, item in enumerate(chosen):
        cancel.raise_if_cancelled()
        progress(Progress(STAGE, n, len(chosen), item.original_name))
        try:
            got = _item_suggestions(case, item, cache, ocr, backend, frames, order_no, cancel)
        except (InputError, OcrUnavailable) as exc:
            problems.append(f"{item.original_name}: {exc}")
            continue
        if got is not None:
            read += 1
            found += got
    progress(Progress(STAGE, len(chosen), len(chosen)))
    existing = list_redactions(case)
    fresh = [s for s in _unique(found) if not any(_same(s, r) for r in existing)]
    added = add_suggestions(case, fresh)
    log.info("%d suggestion(s) added, %d already known", len(added), len(found) - len(fresh))
    return SuggestReport(tuple(added), len(found) - len(fresh), read, tuple(problems))


def unmasked(
    case: Case, items: Iterable[Item] | None = None, reasons: Iterable[Reason] = UNMASKED_REASONS
) -> dict[int, list[Suggestion]]:
    """Personal data still visible: item id -> what the finder sees and nobody has dealt with.

    Reads only text already at hand (cached OCR of screenshots and photos, tracking text): no
    new OCR, no video decoding, nothing stored, so an export on a read-only case can ask.
    A finding counts as dealt with when an accepted redaction covers it (the same text, or a
    region over at least half of it) or the user rejected that suggestion.
    """
    wanted = set(reasons)
    chosen = list(items) if items is not None else case.items()
    order_no = case.info().order_no
    cache = OcrCache.for_case(case)
    stored = list_redactions(case)
    out: dict[int, list[Suggestion]] = {}
    never = CancelToken()
    for item in chosen:
        if item.kind is ItemKind.VIDEO:
            continue
        try:
            found = _item_suggestions(case, item, cache, False, None, 0, order_no, never)
        except (InputError, OcrUnavailable, OSError):
            continue
        mine = [r for r in stored if r.item_id == item.id]
        left = [
            f
            for f in _unique(found or [])
            if f.reason in wanted and not any(_dealt_with(f, r) for r in mine)
        ]
        if left:
            out[item.id] = left
    return out


def _dealt_with(s: Suggestion, r: Redaction) -> bool:
    if r.state is State.REJECTED:
        return _same(s, r)
    if r.state is not State.ACCEPTED:
        return False
    if r.text and r.text == s.text:
        return True
    if s.rect is None or r.rect is None or r.frame_ms is not None:
        return False
    return s.rect.overlap(r.rect.box) * 2 >= s.rect.w * s.rect.h


def _item_suggestions(
    case: Case,
    item: Item,
    cache: OcrCache,
    ocr: bool,
    backend: OcrBackend | None,
    frames: int | None,
    order_no: str | None,
    cancel: CancelToken,
) -> list[Suggestion] | None:
    """Suggestions for one item; None when its text is not available (no OCR allowed)."""
    path = case.path_of(item)
    if item.kind is ItemKind.TRACKING:
        return suggestions_in_text(_read_text(path), item.id, order_no=order_no)
    if item.kind in (ItemKind.SCREENSHOT, ItemKind.PHOTO):
        result: OcrResult | None
        if ocr:
            result = recognize_cached(
                path, cache, sha256=item.sha256, backend=backend, cancel=cancel
            )
        else:
            result = cache.effective(item.sha256)
        if result is None:
            return None
        return suggestions_in_ocr(result, item.id, order_no=order_no)
    if item.kind is ItemKind.VIDEO:
        return _video_suggestions(item, path, cache, ocr, backend, frames, order_no, cancel)
    return None


def _video_suggestions(
    item: Item,
    path: Path,
    cache: OcrCache,
    ocr: bool,
    backend: OcrBackend | None,
    frames: int | None,
    order_no: str | None,
    cancel: CancelToken,
) -> list[Suggestion]:
    # Imported here: the export imports this package, and OpenCV is only needed for videos.
    import cv2

    from app.evidence.readers.frames import iter_keyframes

    out: list[Suggestion] = []
    for n, seconds, frame in iter_keyframes(path):
        if frames is not None and n >= frames:
            break
        cancel.raise_if_cancelled()
        ms = round(seconds * 1000)
        key = frame_cache_key(item.sha256, ms)
        result = cache.effective(key)
        if result is None and ocr:
            code = cv2.COLOR_BGR2RGB if frame.ndim == 3 else cv2.COLOR_GRAY2RGB
            result = recognize(Image.fromarray(cv2.cvtColor(frame, code)), backend=backend)
            cache.put(key, result)
        if result is not None:
            out += suggestions_in_ocr(result, item.id, frame_ms=ms, order_no=order_no)
    return out


def frame_cache_key(sha256: str, frame_ms: int) -> str:
    """The OCR cache key of one keyframe of a video (a SHA-256 of the video's and the time)."""
    return hashlib.sha256(f"{sha256}:frame:{frame_ms}".encode()).hexdigest()


def _read_text(path: Path) -> str:
    with open(path, "rb") as handle:
        data = handle.read(TEXT_LIMIT)
    try:
        from app.evidence.tracking import decode_text

        return decode_text(data)
    except Exception:  # noqa: BLE001 - an odd encoding still gets a best-effort reading
        return data.decode("utf-8", errors="replace")


def _unique(found: Sequence[Suggestion]) -> list[Suggestion]:
    out: list[Suggestion] = []
    for s in found:
        if not any(_same_suggestion(s, t) for t in out):
            out.append(s)
    return out


def _same_suggestion(a: Suggestion, b: Suggestion) -> bool:
    return (a.item_id, a.frame_ms, a.reason, a.text, a.rect) == (
        b.item_id,
        b.frame_ms,
        b.reason,
        b.text,
        b.rect,
    ) or (a.rect is None and b.rect is None and (a.item_id, a.text) == (b.item_id, b.text))


def _same(s: Suggestion, r: Redaction) -> bool:
    """A stored redaction that already stands for this suggestion."""
    if (s.item_id, s.frame_ms, s.reason, s.text) != (r.item_id, r.frame_ms, r.reason, r.text):
        return False
    if s.rect is None or r.rect is None:
        return s.rect is None and r.rect is None
    overlap = s.rect.overlap(r.rect.box)
    return overlap * 2 >= min(s.rect.w * s.rect.h, r.rect.w * r.rect.h)
