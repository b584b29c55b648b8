"""Plain data of redaction: rectangles, why they hide what they hide, and their review state.

A redaction is stored per item, in the pixels of the *upright original* (the picture as a viewer
shows it after EXIF orientation, at full size: the space OCR boxes are in). Video regions are in
the pixels of a decoded frame (container rotation applied) and name the keyframe time they were
drawn on. A redaction never changes the original; it is applied to exported copies only.

Errors::

    EvidenceError
    └── PrivacyError            a redaction cannot be made as asked (bad rectangle, wrong kind)
        └── RedactionNotFound   no redaction with that id in the case
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from app.evidence.errors import EvidenceError

Box = tuple[int, int, int, int]
"""(x0, y0, x1, y1) in pixels, x1 and y1 exclusive (the OCR engine's convention)."""


class PrivacyError(EvidenceError):
    """A redaction cannot be made as asked (a bad rectangle, an item kind that has no pixels)."""


class RedactionNotFound(PrivacyError):
    """No redaction with this id in the case."""


class Reason(enum.StrEnum):
    """What a redaction hides."""

    PHONE = "phone"
    ID_CARD = "id_card"
    BANK_CARD = "bank_card"
    ADDRESS = "address"
    NAME = "name"
    OTHER = "other"


REASON_LABELS: dict[Reason, tuple[str, str]] = {
    Reason.PHONE: ("电话号码", "phone number"),
    Reason.ID_CARD: ("身份证号", "ID card number"),
    Reason.BANK_CARD: ("银行卡号", "bank card number"),
    Reason.ADDRESS: ("详细地址", "detailed address"),
    Reason.NAME: ("姓名", "name"),
    Reason.OTHER: ("其他", "other"),
}


class Origin(enum.StrEnum):
    """Who drew a redaction (the `kind` column): the user, or a suggestion from the text."""

    MANUAL = "manual"
    SUGGESTED = "suggested"


class State(enum.StrEnum):
    """Review state: only accepted redactions are applied to an export."""

    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


_RECT = re.compile(r"^\s*(-?\d+)\s*,\s*(-?\d+)\s*,\s*(-?\d+)\s*,\s*(-?\d+)\s*$")


@dataclass(frozen=True)
class Rect:
    """A rectangle in pixels: top-left corner, width and height."""

    x: int
    y: int
    w: int
    h: int

    @classmethod
    def parse(cls, text: str) -> Rect:
        """Read "X,Y,W,H" (the command line's form).

        Raises:
            PrivacyError: not four integers, or an empty or negative rectangle.
        """
        match = _RECT.match(text)
        if not match:
            raise PrivacyError(f"a rectangle is X,Y,W,H in pixels, not {text!r}")
        return cls(*(int(v) for v in match.groups())).checked()

    @classmethod
    def from_box(cls, box: Box) -> Rect:
        """The rectangle of an (x0, y0, x1, y1) box."""
        x0, y0, x1, y1 = box
        return cls(x0, y0, x1 - x0, y1 - y0)

    @property
    def box(self) -> Box:
        """(x0, y0, x1, y1), x1 and y1 exclusive."""
        return (self.x, self.y, self.x + self.w, self.y + self.h)

    def checked(self) -> Rect:
        """This rectangle, when it has a size and starts inside the picture's quadrant.

        Raises:
            PrivacyError: width or height below 1, or a negative corner.
        """
        if self.w < 1 or self.h < 1:
            raise PrivacyError(f"a redaction needs a width and a height of at least 1 px: {self}")
        if self.x < 0 or self.y < 0:
            raise PrivacyError(f"a redaction cannot start left of or above the picture: {self}")
        return self

    def overlap(self, box: Box) -> int:
        """Area shared with a box, in square pixels."""
        x0, y0, x1, y1 = self.box
        w = min(x1, box[2]) - max(x0, box[0])
        h = min(y1, box[3]) - max(y0, box[1])
        return max(0, w) * max(0, h)

    def __str__(self) -> str:
        return f"{self.x},{self.y},{self.w},{self.h}"


@dataclass(frozen=True)
class Redaction:
    """One stored redaction.

    Attributes:
        rect: where, in the upright original's pixels; None for a text-only redaction
            (a pasted tracking record has text but no pixels).
        kind: manual (drawn by the user) or suggested (found in the text).
        state: suggested (waiting for review), accepted (applied to exports) or rejected.
        text: the text it covers, when read by OCR or found in a text record.
        masked: how that text is shown in the export ("138****5678").
        page: page of a multi-page item (a PDF document); None otherwise.
        frame_ms: the video keyframe it was drawn on; None means every keyframe.
    """

    id: int
    item_id: int
    rect: Rect | None
    kind: Origin
    state: State
    reason: Reason
    text: str | None = None
    masked: str | None = None
    page: int | None = None
    frame_ms: int | None = None
    created_at: str = ""
    updated_at: str = ""

    @property
    def applied(self) -> bool:
        """True when exports apply it."""
        return self.state is State.ACCEPTED


@dataclass(frozen=True)
class Suggestion:
    """A redaction proposed from text, before it is stored.

    Attributes:
        rect: the sub-box to fill, None for text-only records.
        line: the whole OCR line or text line it was found in (for the reviewer's context).
    """

    item_id: int
    rect: Rect | None
    reason: Reason
    text: str
    masked: str
    line: str = ""
    frame_ms: int | None = None
