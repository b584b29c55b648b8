"""Several screenshots of one chat into one transcript, with a finding where overlaps differ.

Screenshots are placed by their pixel overlaps (`overlap.find_overlap`); when two share no
pixels but their OCR text lines up (the same messages, redrawn), they are placed by the text
and that is itself a finding. Messages seen in two screenshots are kept once, and every
message is dated by the nearest time separator above it in the joined chat, so a message at
the top of the second screenshot gets the separator seen in the first.

`seam` joins the pictures themselves (the upload pack's tall chat images): only where the
pixels prove it, never by the text.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from app.evidence.ocr.chat import ChatMessage, ChatTranscript, TimeSeparator
from app.evidence.ocr.chat_time import normalise
from app.evidence.ocr.engine import Box
from app.evidence.ocr.image import ImageSource, open_image
from app.evidence.ocr.overlap import (
    Overlap,
    compare_at,
    find_overlap,
    plain_rows,
    rows_of,
    shown_elsewhere,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StitchFinding:
    """What stitching saw that a reviewer should know, in the shape of an integrity finding.

    Attributes:
        code: "stitch.overlap_differs", "stitch.overlap_rerendered" or "stitch.overlap_rescaled".
        severity: "warning" or "info".
        upper, lower: the screenshots concerned (input indexes).
        upper_boxes, lower_boxes: where they differ, each in its own pixels; the rows of a box
            are the y ranges involved.
        parameters: the numbers behind the finding (offset, scale, method).
    """

    code: str
    severity: str
    title_zh: str
    title_en: str
    explanation_zh: str
    explanation_en: str
    false_positives_zh: str
    false_positives_en: str
    upper: int
    lower: int
    upper_boxes: tuple[Box, ...]
    lower_boxes: tuple[Box, ...]
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StitchResult:
    """The joined chat.

    Attributes:
        order: input indexes, top of the chat first.
        overlaps: the overlaps used to place the screenshots.
        transcript: messages once each, top to bottom; each keeps its `shot` and its box there.
        findings: differing overlaps.
    """

    order: tuple[int, ...]
    overlaps: tuple[Overlap, ...]
    transcript: ChatTranscript
    findings: tuple[StitchFinding, ...]


def stitch(images: Sequence[ImageSource], transcripts: Sequence[ChatTranscript]) -> StitchResult:
    """Order screenshots of one chat, join their transcripts and check their overlaps.

    Args:
        images: the screenshots (paths, bytes or PIL images), any order.
        transcripts: `parse_chat` of each, same order (their `shot` is replaced by the index).
    """
    if len(images) != len(transcripts):
        raise ValueError("one transcript per screenshot")
    opened = [open_image(image) for image in images]
    shots = [_with_shot(t, i) for i, t in enumerate(transcripts)]
    overlaps: list[Overlap] = []
    for i in range(len(opened)):
        for j in range(i + 1, len(opened)):
            found = find_overlap(opened[i], opened[j], (i, j)) or _text_overlap(opened, shots, i, j)
            if found is not None:
                overlaps.append(found)
    place, used = _place(len(opened), overlaps, shots)
    order = tuple(sorted(range(len(opened)), key=lambda i: (place[i][0], i)))
    transcript = _join(shots, place, order)
    findings = tuple(f for ov in used if (f := _finding(ov)) is not None)
    return StitchResult(order, tuple(used), transcript, findings)


@dataclass(frozen=True)
class Seam:
    """Where two consecutive screenshots of one chat join into one picture.

    Rows [0, upper_row) of the upper screenshot, then rows [lower_row, height) of the lower one
    show every row of both once: upper_row - overlap.offset == lower_row, on a plain row
    between messages next to the end of the shared stretch.
    """

    upper_row: int
    lower_row: int
    overlap: Overlap


SEAM_MIN_GAP = 6  # plain rows a seam needs between two messages


def seam(upper: ImageSource, lower: ImageSource) -> Seam | None:
    """The join of `lower` under `upper` when their pixels prove it, else None (keep both whole).

    Proved means: `lower` continues `upper` down the chat (a pixel overlap, the same width, no
    differing block in the shared stretch), there is a gap between messages at the end of the
    shared stretch to join at, and everything the join leaves out is shown by the other
    screenshot: the upper one's rows below the seam (the rest of the shared stretch, plain
    background, its input bar, which the lower one ends with too) and the lower one's rows
    above it (its status and title bars, the same as the upper one's, and the shared stretch).
    A differing status bar clock, a typed draft in the input bar or another chat's title is
    content, so such screenshots are not joined.
    """
    a, b = open_image(upper), open_image(lower)
    found = find_overlap(a, b, (0, 1))
    if (
        found is None
        or found.upper != 0
        or found.method != "pixels"
        or found.differences
        or found.scale != 1.0
        or found.offset <= 0  # the same screen twice: both kept whole
        or a.width != b.width
    ):
        return None
    ra, rb = rows_of(a), rows_of(b)
    row = _gap_after(found, plain_rows(ra), plain_rows(rb))
    if row is None:
        return None
    (_, u1), (l0, _), d = found.upper_range, found.lower_range, found.offset
    # each left-out band is compared where it can only be the same thing: the shared stretch
    # at the scroll offset, the bars above and below it at the same place on the screen
    checks = (
        (ra, rb, (row, max(row, u1)), d),  # the rest of the shared stretch
        (ra, rb, (max(row, u1), a.height), a.height - b.height),  # below it: the bottom bar
        (rb, ra, (0, l0), 0),  # above the shared stretch: the status and title bars
        (rb, ra, (l0, row - d), -d),  # the shared stretch down to the seam
    )
    if not all(shown_elsewhere(x, y, rows, (offset,)) for x, y, rows, offset in checks):
        return None
    return Seam(row, row - d, found)


def _gap_after(found: Overlap, plain_a: Any, plain_b: Any) -> int | None:
    """A row of the upper screenshot in the gap between messages that ends the shared stretch
    (plain in both): the middle of the last such gap starting inside the stretch."""
    y0, y1 = found.upper_range
    d = found.offset
    end = min(len(plain_a), len(plain_b) + d)
    rows = [y for y in range(max(y0, d), end) if plain_a[y] and plain_b[y - d]]
    best: tuple[int, int] | None = None
    run: list[int] = []
    for y in [*rows, -1]:
        if run and y == run[-1] + 1:
            run.append(y)
            continue
        if len(run) >= SEAM_MIN_GAP and run[0] <= y1:
            best = (run[0], run[-1])
        run = [y] if y >= 0 else []
    if best is None:
        return None
    return best[0] + min((best[1] - best[0]) // 2, 48)


def _with_shot(transcript: ChatTranscript, shot: int) -> ChatTranscript:
    return replace(
        transcript,
        messages=tuple(replace(m, shot=shot) for m in transcript.messages),
        separators=tuple(replace(s, shot=shot) for s in transcript.separators),
    )


def _text_overlap(opened: list[Any], shots: list[ChatTranscript], i: int, j: int) -> Overlap | None:
    """Line two screenshots up by identical messages when their pixels do not line up."""
    a, b = shots[i], shots[j]
    scale = a.width / b.width if a.width and b.width else 1.0
    pairs = [
        (m, n)
        for m in a.messages
        for n in b.messages
        if m.side == n.side and len(key := normalise(m.text)) >= 4 and key == normalise(n.text)
    ]
    votes = Counter(round((m.box[1] - n.box[1] * scale) / 4) for m, n in pairs)
    if not votes:
        return None
    vote, count = votes.most_common(1)[0]
    agreeing = [
        (m, n) for m, n in pairs if abs(round((m.box[1] - n.box[1] * scale) / 4) - vote) <= 1
    ]
    if count < 2 and max(len(m.text) for m, _ in agreeing) < 10:
        return None
    offset = round(vote * 4)
    if offset < 0:
        swapped = _text_overlap(opened, shots, j, i)
        return swapped if swapped is not None and swapped.offset >= 0 else None
    y0 = min(m.box[1] for m, _ in agreeing)
    y1 = max(m.box[3] for m, _ in agreeing)
    differences = compare_at(opened[i], opened[j], offset, (y0, y1))
    lower_range = (round((y0 - offset) / scale), round((y1 - offset) / scale))
    log.info("screenshots %d and %d line up by text only (offset %d)", i, j, offset)
    return Overlap(i, j, offset, (y0, y1), lower_range, 0, differences, scale, "text")


def _place(
    count: int, overlaps: list[Overlap], shots: list[ChatTranscript]
) -> tuple[list[tuple[float, float]], list[Overlap]]:
    """(top, factor) per screenshot in joined coordinates: joined y = top + own y * factor.

    The strongest overlaps first (pixels before text); screenshots that overlap nothing are
    put below the others, in input order.
    """
    place: list[tuple[float, float] | None] = [None] * count
    group = list(range(count))

    def root(k: int) -> int:
        while group[k] != k:
            k = group[k]
        return k

    used: list[Overlap] = []
    ranked = sorted(overlaps, key=lambda o: (o.method != "pixels", -o.matched_rows))
    for ov in ranked:
        if root(ov.upper) != root(ov.lower):
            group[root(ov.lower)] = root(ov.upper)
            used.append(ov)
    components: list[list[int]] = []
    for start in range(count):
        if place[start] is None:
            place[start] = (0.0, 1.0)
            components.append(_spread(start, used, place))
    # chat parts that share nothing: earliest dated message first, else as given
    components.sort(key=lambda members: (_earliest(members, shots), min(members)))
    bottom = 0.0
    for members in components:
        placed = [(k, p) for k in members if (p := place[k]) is not None]
        shift = bottom - min(p[0] for _, p in placed)
        for k, (top, factor) in placed:
            place[k] = (top + shift, factor)
        bottom = max(top + shift + shots[k].height * factor for k, (top, factor) in placed)
    return [p if p is not None else (0.0, 1.0) for p in place], used


def _spread(start: int, used: list[Overlap], place: list[tuple[float, float] | None]) -> list[int]:
    """Place every screenshot linked to `start` by the chosen overlaps; return them."""
    members = [start]
    changed = True
    while changed:
        changed = False
        for ov in used:
            up, low = place[ov.upper], place[ov.lower]
            if up is not None and low is None:
                place[ov.lower] = (up[0] + ov.offset * up[1], up[1] * ov.scale)
                members.append(ov.lower)
                changed = True
            elif low is not None and up is None:
                factor = low[1] / ov.scale
                place[ov.upper] = (low[0] - ov.offset * factor, factor)
                members.append(ov.upper)
                changed = True
    return members


def _earliest(members: list[int], shots: list[ChatTranscript]) -> datetime:
    times = [m.time.local for k in members for m in shots[k].messages if m.time is not None]
    return min(times, default=datetime.max)


def _join(
    shots: list[ChatTranscript], place: list[tuple[float, float]], order: tuple[int, ...]
) -> ChatTranscript:
    def span(item: ChatMessage | TimeSeparator) -> tuple[float, float]:
        top, factor = place[item.shot]
        return top + item.box[1] * factor, top + item.box[3] * factor

    messages: list[ChatMessage] = []
    separators: list[TimeSeparator] = []
    for shot in order:
        for message in shots[shot].messages:
            twin = next(
                (
                    k
                    for k, m in enumerate(messages)
                    if m.shot != message.shot
                    and m.side == message.side
                    and _same(span(m), span(message))
                ),
                None,
            )
            if twin is None:
                messages.append(message)
            elif len(normalise(message.text)) > len(normalise(messages[twin].text)):
                messages[twin] = message  # the other screenshot cut this bubble at its edge
        for sep in shots[shot].separators:
            if not any(_same(span(s), span(sep)) for s in separators):
                separators.append(sep)
    messages.sort(key=lambda m: span(m)[0])
    separators.sort(key=lambda s: span(s)[0])
    dated = []
    for message in messages:
        above = [s for s in separators if sum(span(s)) / 2 < span(message)[0]]
        nearest = above[-1] if above else None
        dated.append(
            replace(
                message,
                time=nearest.time if nearest else None,
                time_text=nearest.text if nearest else "",
            )
        )
    first, last = shots[order[0]], shots[order[-1]]
    height = max(round(place[k][0] + shots[k].height * place[k][1]) for k in order)
    title = next((s.title for s in shots if s.title), "")
    return ChatTranscript(
        tuple(dated), tuple(separators), title, last.status_clock, first.width, height
    )


def _same(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Two vertical spans in joined coordinates are the same bubble (mostly overlapping)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0.5 * min(a[1] - a[0], b[1] - b[0])


def _finding(ov: Overlap) -> StitchFinding | None:
    if ov.method == "pixels" and not ov.differences and ov.scale == 1.0:
        return None
    lower_boxes = tuple(
        (round(x0 / ov.scale), round(ov.to_lower(y0)), round(x1 / ov.scale), round(ov.to_lower(y1)))
        for x0, y0, x1, y1 in ov.differences
    )
    params = {
        "offset": ov.offset,
        "scale": round(ov.scale, 4),
        "method": ov.method,
        "areas": len(ov.differences),
    }
    kind = "rescaled" if ov.method == "pixels" and ov.scale != 1.0 else ov.method
    code = {
        "pixels": "stitch.overlap_differs",
        "text": "stitch.overlap_rerendered",
        "rescaled": "stitch.overlap_rescaled",
    }
    severity = "info" if kind == "rescaled" else "warning"
    return StitchFinding(
        code[kind], severity, *_TEXTS[kind], ov.upper, ov.lower, ov.differences, lower_boxes, params
    )


_COMMON_FP_ZH = (
    "两张截图之间消息状态变了（撤回、已读、图片加载、语音播放）、"
    "应用更新换了字体，或截图被聊天软件压缩过。"
)
_COMMON_FP_EN = (
    "A message changed state between the two screenshots (recalled, read mark, an image still "
    "loading, a voice message playing), an app update changed the font, or a chat app "
    "recompressed a screenshot."
)
_TEXTS: dict[str, tuple[str, str, str, str, str, str]] = {
    "pixels": (
        "两张截图的重叠部分不一致",
        "The overlapping part of two screenshots differs",
        "这两张截图显示的是同一段聊天，但重叠部分有些地方像素不同。"
        "通常说明其中一张在截图后被修改或重新生成过。",
        "Both screenshots show the same stretch of the chat, but some areas of it are not the same "
        "pixels in both. Usually one of the two was edited or re-created after it was taken.",
        _COMMON_FP_ZH,
        _COMMON_FP_EN,
    ),
    "text": (
        "同样的消息，画面却不同",
        "Same messages, different pixels",
        "两张截图里有相同的消息文字，但画面对不上："
        "其中一张很可能是重新排版或重新生成的，而不是原始截图。",
        "The two screenshots contain the same messages, but their pixels do not line up: one of "
        "them was probably redrawn or re-created rather than captured.",
        _COMMON_FP_ZH,
        _COMMON_FP_EN,
    ),
    "rescaled": (
        "两张截图尺寸不同",
        "The two screenshots have different sizes",
        "这两张截图显示同一段聊天，但其中一张被缩放过，只能粗略比较重叠部分。"
        "请尽量提供手机里的原始截图。",
        "Both show the same stretch of the chat, but one was resized, so the overlap can only be "
        "compared roughly. Ask for the original screenshots from the phone.",
        "聊天软件或网盘发送图片时常会缩小尺寸。",
        "Chat apps and cloud drives often shrink images when sending them.",
    ),
}
