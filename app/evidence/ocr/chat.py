"""Chat screenshots (旺旺, 千牛, WeChat, JD, PDD) from OCR lines to a transcript.

Layout is read from the boxes alone, as every phone chat app draws it: the other party's
bubbles hang from the left edge, the user's from the right, time separators and system notices
are centred and narrow, the status bar and the chat's title sit at the top. Lines closer
than about half a line height with the same left edge belong to one bubble. A bubble wide enough
to reach both halves is given to the side whose usual margin it keeps (learned from the clear
cases on the same screen). Each message is dated by the nearest separator above it.
"""

from __future__ import annotations

import enum
import logging
import re
import statistics
from dataclasses import dataclass, replace
from datetime import date

from app.evidence.models import CaptureTime
from app.evidence.ocr.chat_time import BEIJING_MINUTES, parse_separator
from app.evidence.ocr.engine import Box, OcrLine, OcrResult
from app.evidence.ocr.tags import TextTag, find_tags

log = logging.getLogger(__name__)

_STATUS_CLOCK = re.compile(r"^\d{1,2}[:：]\d{2}$")
STATUS_BAR = 0.075  # height of the phone's status bar (clock, signal, battery) / image width


class Side(enum.StrEnum):
    """Who a message is from."""

    ME = "me"
    OTHER = "other"
    SYSTEM = "system"  # a centred notice of the app (撤回, 以下为新消息, ...)


@dataclass(frozen=True)
class ChatOptions:
    """How to read a chat screenshot.

    Attributes:
        me_on_right: the user's own messages are on the right (every major app); False swaps.
        offset_minutes: UTC offset the app shows times in; +08:00 by default, None if unknown.
        top_band: height of the status bar + app bar, as a fraction of the image width; a
            centred line there is the chat's title, not a notice.
    """

    me_on_right: bool = True
    offset_minutes: int | None = BEIJING_MINUTES
    top_band: float = 0.21


@dataclass(frozen=True)
class TimeSeparator:
    """A centred time line between messages, as read and resolved."""

    text: str
    form: str
    time: CaptureTime | None
    box: Box
    shot: int = 0


@dataclass(frozen=True)
class ChatMessage:
    """One bubble (or system notice).

    Attributes:
        side: who sent it.
        text: the bubble's lines joined (no break where a line wrapped inside a word or number).
        time: from the nearest separator above (source OCR, confidence medium or low), or None.
        box: (x0, y0, x1, y1) around its text lines, in the pixels of screenshot `shot`.
        tags: phone, order and tracking numbers in the text, with the boxes of their lines.
        time_text: the separator the time was read from, as printed.
        shot: which screenshot it was read from (0 unless stitched).
    """

    side: Side
    text: str
    time: CaptureTime | None
    box: Box
    tags: tuple[TextTag, ...] = ()
    time_text: str = ""
    shot: int = 0


@dataclass(frozen=True)
class ChatTranscript:
    """The messages of one screenshot (or of stitched screenshots), top to bottom."""

    messages: tuple[ChatMessage, ...]
    separators: tuple[TimeSeparator, ...]
    title: str = ""
    status_clock: str = ""  # the phone's clock in the status bar when the screenshot was taken
    width: int = 0
    height: int = 0

    @property
    def tags(self) -> tuple[TextTag, ...]:
        """Every tag of every message."""
        return tuple(tag for message in self.messages for tag in message.tags)


def parse_chat(
    result: OcrResult,
    *,
    reference: date | None = None,
    options: ChatOptions = ChatOptions(),
    shot: int = 0,
) -> ChatTranscript:
    """Turn the OCR lines of a chat screenshot into messages with sides, times and tags.

    Args:
        result: OCR of the screenshot (corrections applied, for the user's text to count).
        reference: the day the screenshot was taken, to date 昨天/星期三/06-12/bare times.
        options: layout and time-zone choices.
        shot: index stored in the messages (for stitched sets).
    """
    width = max(result.width, 1)
    band = options.top_band * width
    title: list[str] = []
    clock = ""
    separators: list[TimeSeparator] = []
    notices: list[OcrLine] = []
    body: list[OcrLine] = []
    for line in result.lines:
        x0, _, x1, y1 = line.box
        if y1 <= band and _centred(line.box, width):
            title.append(line.text)  # the chat's name in the app bar
        elif y1 <= STATUS_BAR * width:
            if not clock and _STATUS_CLOCK.match(line.text.strip()):
                clock = line.text.strip()
        elif x0 >= 0.04 * width and x1 <= 0.96 * width:
            body.append(line)
        else:
            log.debug("not a message (touches the edge, app chrome): %r", line.text)

    unit = statistics.median([ln.height for ln in result.lines]) if result.lines else 0.04 * width
    bubbles: list[list[OcrLine]] = []
    for group in _group(body, unit):
        if len(group) > 1 or not _centred(group[0].box, width):
            bubbles.append(group)
            continue
        sep = parse_separator(group[0].text, reference, options.offset_minutes)
        if sep is not None:
            separators.append(TimeSeparator(group[0].text, sep.form, sep.time, group[0].box, shot))
        else:
            notices.append(group[0])
    sides = _sides([_union([ln.box for ln in bubble]) for bubble in bubbles], width)
    mine, theirs = (Side.ME, Side.OTHER) if options.me_on_right else (Side.OTHER, Side.ME)
    drafts = [
        _bubble(b, mine if right else theirs, shot) for b, right in zip(bubbles, sides, strict=True)
    ]
    drafts += [_bubble([ln], Side.SYSTEM, shot) for ln in notices]
    drafts.sort(key=lambda m: (m.box[1], m.box[0]))
    messages = tuple(_date(m, separators) for m in drafts)
    return ChatTranscript(
        messages, tuple(separators), "".join(title), clock, result.width, result.height
    )


def _date(message: ChatMessage, separators: list[TimeSeparator]) -> ChatMessage:
    """Give a message the time of the nearest separator above it."""
    above = [s for s in separators if (s.box[1] + s.box[3]) / 2 < message.box[1]]
    if not above:
        return message
    nearest = max(above, key=lambda s: s.box[3])
    return replace(message, time=nearest.time, time_text=nearest.text)


def _centred(box: Box, width: int) -> bool:
    """Centred and narrow: a time separator, a system notice or the title."""
    x0, _, x1, _ = box
    return abs(x0 - (width - x1)) < 0.04 * width and x1 - x0 < 0.6 * width


def _group(lines: list[OcrLine], unit: float) -> list[list[OcrLine]]:
    """Bubbles: lines close below each other with the same left edge."""
    bubbles: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1], ln.box[0])):
        for bubble in reversed(bubbles[-3:]):
            last = bubble[-1]
            gap = line.box[1] - last.box[3]
            same_row = gap < -0.5 * min(line.height, last.height)
            if same_row and 0 <= line.box[0] - last.box[2] < 2 * unit:
                bubble.append(line)  # one visual line that OCR cut in two
                break
            if -0.5 * unit <= gap < 0.6 * unit and abs(line.box[0] - bubble[0].box[0]) < 0.6 * unit:
                bubble.append(line)
                break
        else:
            bubbles.append([line])
    return bubbles


def _sides(boxes: list[Box], width: int) -> list[bool]:
    """True for a right-hand bubble. Clear cases first; wide bubbles by the learned margins."""
    clear: list[bool | None] = []
    for x0, _, x1, _ in boxes:
        left, right = x0, width - x1
        clear.append(
            True if left > right + 0.1 * width else False if right > left + 0.1 * width else None
        )
    left_inset = statistics.median(
        [b[0] for b, c in zip(boxes, clear, strict=True) if c is False] or [0.17 * width]
    )
    right_inset = statistics.median(
        [width - b[2] for b, c in zip(boxes, clear, strict=True) if c] or [0.17 * width]
    )
    return [
        c if c is not None else abs((width - b[2]) - right_inset) < abs(b[0] - left_inset)
        for b, c in zip(boxes, clear, strict=True)
    ]


def _bubble(lines: list[OcrLine], side: Side, shot: int) -> ChatMessage:
    text = ""
    spans: list[tuple[int, int, Box]] = []
    for line in lines:
        if text and _needs_space(text[-1], line.text[0]):
            text += " "
        spans.append((len(text), len(text) + len(line.text), line.box))
        text += line.text
    tags = tuple(
        replace(tag, box=_union([box for s, e, box in spans if s < tag.end and tag.start < e]))
        for tag in find_tags(text)
    )
    return ChatMessage(side, text, None, _union([ln.box for ln in lines]), tags, shot=shot)


def _needs_space(before: str, after: str) -> bool:
    """Apps wrap Latin text at spaces (the space is lost) and numbers anywhere (no space)."""
    return (
        before.isascii()
        and (before.isalpha() or before in ",.!?;:")
        and after.isascii()
        and after.isalpha()
    )


def _union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
