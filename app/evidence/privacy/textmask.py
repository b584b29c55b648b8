"""What the export's text must not say: the text under redactions, in every place it is printed.

A redaction hides pixels; the same words also reach the PDF's text layer through the chat
transcript, the chronology, tracking tables, notes and titles. `TextMasker` replaces each of
them with its masked form ("13812345678" -> "138****5678") wherever it occurs, in one pass.

Rules come from three places:
- a redaction's own text and masked form (suggestions, text masks);
- OCR lines under a region, drawn by hand or moved: the characters the rectangle covers are
  replaced by "*" in that line's text, so a transcript shows what the picture shows;
- when an item's OCR cache was deleted, chat messages whose bubble a region touches are
  replaced whole (the export never runs OCR itself).
Masking too much is the safe side: the same words elsewhere in the export are masked too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.evidence.models import ItemKind
from app.evidence.ocr.cache import OcrCache
from app.evidence.privacy.geometry import covered_characters
from app.evidence.privacy.model import Rect, Redaction
from app.evidence.store.case import Case

log = logging.getLogger(__name__)

WHOLE = "[已遮盖 redacted]"
MIN_RULE = 2  # a single covered character is not masked everywhere it occurs


@dataclass(frozen=True)
class TextMasker:
    """Replaces every rule's text by its masked form; longest rules first.

    Attributes:
        hits: the rule texts `apply` has replaced so far (for the export's privacy page).
    """

    rules: Mapping[str, str] = field(default_factory=dict)
    hits: set[str] = field(default_factory=set, compare=False, repr=False)

    def __post_init__(self) -> None:
        keys = sorted((k for k in self.rules if k), key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(k) for k in keys)) if keys else None
        object.__setattr__(self, "_pattern", pattern)

    def __bool__(self) -> bool:
        return bool(self.rules)

    def apply(self, text: str) -> str:
        """The text with every rule applied."""
        pattern: re.Pattern[str] | None = getattr(self, "_pattern", None)
        if pattern is None or not text:
            return text
        return pattern.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        self.hits.add(match.group())
        return self.rules[match.group()]

    def apply_all(self, texts: Iterable[str]) -> tuple[str, ...]:
        """`apply` to each."""
        return tuple(self.apply(t) for t in texts)

    def merged(self, more: Mapping[str, str]) -> TextMasker:
        """A masker with more rules (the new ones win on the same text)."""
        return TextMasker({**self.rules, **more})


def build_masker(
    case: Case, redactions: Sequence[Redaction], *, extra: Mapping[str, str] | None = None
) -> TextMasker:
    """Rules for the accepted redactions of a case (see the module docstring).

    Args:
        redactions: the case's redactions; only accepted ones count.
        extra: more replacements (the export adds original file names when they are withheld).
    """
    rules: dict[str, str] = dict(extra or {})
    applied = [r for r in redactions if r.applied]
    for r in applied:
        if r.text and r.masked and r.text != r.masked:
            rules[r.text] = r.masked
    by_item: dict[int, list[Rect]] = {}
    for r in applied:
        if r.rect is not None and r.frame_ms is None and r.page is None:
            by_item.setdefault(r.item_id, []).append(r.rect)
    if by_item:
        rules.update(_ocr_rules(case, by_item))
    return TextMasker({k: v for k, v in rules.items() if len(k.strip()) >= MIN_RULE})


def _ocr_rules(case: Case, by_item: dict[int, list[Rect]]) -> dict[str, str]:
    cache = OcrCache.for_case(case)
    items = {item.id: item for item in case.items()}
    rules: dict[str, str] = {}
    for item_id, rects in by_item.items():
        item = items.get(item_id)
        if item is None or item.kind not in (ItemKind.SCREENSHOT, ItemKind.PHOTO):
            continue
        result = cache.effective(item.sha256)
        if result is None:
            rules.update(_event_rules(case, item_id, rects))
            continue
        for line in result.lines:
            hidden: set[int] = set()
            for rect in rects:
                hidden.update(covered_characters(line.text, line.box, rect))
            if hidden:
                masked = "".join(
                    "*" if n in hidden and not ch.isspace() else ch
                    for n, ch in enumerate(line.text)
                )
                rules[line.text] = masked
                if line.corrected_from:
                    rules[line.corrected_from] = masked
    return rules


def _event_rules(case: Case, item_id: int, rects: list[Rect]) -> dict[str, str]:
    """No OCR cache: chat messages of the item whose bubble a region touches go whole."""
    from app.evidence.timeline.events import events

    rules = {}
    for event in events(case, include_deleted=True):
        box = event.payload.get("box") if event.item_id == item_id else None
        if (
            isinstance(box, list)
            and len(box) == 4
            and event.text
            and any(rect.overlap((box[0], box[1], box[2], box[3])) for rect in rects)
        ):
            rules[event.text] = WHOLE
    if rules:
        log.info("item %d: no OCR cache; %d chat message(s) masked whole", item_id, len(rules))
    return rules
