"""Numbers worth knowing in chat text: phone numbers, order numbers, tracking numbers.

Tags feed redaction (mask a courier's or a third party's phone before export) and cross-checks
(the tracking number in the chat is the one in the tracking record). Patterns follow
docs/research/platform_rules.md §4.4 and §5.2. Number shapes overlap between carriers and with
order numbers, so a tag says on what `basis` it was made: a label next to it ("运单号"), a
carrier prefix ("SF…"), or only its shape. Tracking-number ranking by carrier belongs to the
tracking parser; this module only finds candidates.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

# Full-width ASCII to ASCII, one character for one so text offsets stay valid.
_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


class TagKind(enum.StrEnum):
    """What a tagged piece of text is."""

    PHONE = "phone"  # an 11-digit mainland mobile number in clear
    PHONE_MASKED = "phone_masked"  # 138****5678 and the like
    ORDER_NO = "order_no"
    TRACKING_NO = "tracking_no"


@dataclass(frozen=True)
class TextTag:
    """A number found in a message.

    Attributes:
        kind: what it is.
        value: the number, digits and letters only (no spaces or dashes).
        start: offset of the first character in the message text.
        end: offset after the last character.
        basis: "label" (a word such as 运单号 names it), "prefix" (carrier letters such as SF),
            or "shape" (only its length and digits; a hint to confirm).
        box: (x0, y0, x1, y1) of the OCR line(s) holding it, in image pixels, when known.
    """

    kind: TagKind
    value: str
    start: int
    end: int
    basis: str
    box: tuple[int, int, int, int] | None = None


_TRACK_LABEL = r"(?:运单号?|快递单号?|物流单号|快递号|物流号|(?<!订)单号)"
_ORDER_LABEL = r"(?:订单编号|订单号|订单)"
_SEP = r"\s*(?:[:：是为]\s*)?"

# (kind, basis, pattern with one group "n" holding the number); earlier rules win overlaps.
_RULES: tuple[tuple[TagKind, str, re.Pattern[str]], ...] = tuple(
    (kind, basis, re.compile(pattern))
    for kind, basis, pattern in (
        (TagKind.ORDER_NO, "label", _ORDER_LABEL + _SEP + r"(?P<n>\d{10,24})(?!\d)"),
        (
            TagKind.TRACKING_NO,
            "label",
            _TRACK_LABEL + _SEP + r"(?P<n>[A-Za-z]{0,4}\d{8,20}(?:-\d{1,3})?)(?![0-9A-Za-z])",
        ),
        (
            TagKind.TRACKING_NO,
            "prefix",
            r"(?<![A-Za-z0-9])(?P<n>(?:SF|JT|YT|JD[A-Z0-9]{2}|LP|VA)\d{11,18}|E[A-Z]\d{9}CN)(?![0-9A-Za-z])",
        ),
        (TagKind.PHONE_MASKED, "shape", r"(?<!\d)(?P<n>1[3-9]\d[*xX]{4,6}\d{2,4})(?!\d)"),
        (TagKind.PHONE, "shape", r"(?<![\d*])(?P<n>1[3-9]\d[ -]?\d{4}[ -]?\d{4})(?![\d*])"),
        (TagKind.ORDER_NO, "shape", r"(?<![\dA-Za-z])(?P<n>\d{18,20})(?!\d)"),
        (TagKind.TRACKING_NO, "shape", r"(?<![\dA-Za-z])(?P<n>\d{12,15})(?!\d)"),
    )
)


def find_tags(text: str) -> tuple[TextTag, ...]:
    """Phone, order and tracking numbers in a message, in text order, never overlapping."""
    plain = text.translate(_HALF)
    found: list[TextTag] = []
    taken: list[tuple[int, int]] = []
    for kind, basis, pattern in _RULES:
        for match in pattern.finditer(plain):
            start, end = match.span("n")
            if any(start < e and s < end for s, e in taken):
                continue
            value = re.sub(r"[ -]", "", match["n"]) if kind is TagKind.PHONE else match["n"]
            found.append(TextTag(kind, value.upper(), start, end, basis))
            taken.append((start, end))
    return tuple(sorted(found, key=lambda t: t.start))
