"""From many per-frame reads to one answer: the consistent waybill, the carrier, the doubts.

A misread is rare and random (one frame, a few symbols off); a second label is read again and
again. So the waybill is the number read in most frames (on a tie, the one seen last: the
label goes on last), a different number read in two or more frames is a second waybill, and a
number read once is reported as a misread of the waybill or as an unconfirmed read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.evidence.tracking.carriers import carrier_table, rank_candidates
from app.evidence.waybill import model as m
from app.evidence.waybill.decode import FrameResult, looks_like_waybill
from app.evidence.waybill.model import CodeRead, ScanFlag, WaybillNumber

_ORDER_NUMBER = re.compile(r"\d{16,20}")
_TOKEN = re.compile(r"[A-Za-z0-9]{10,22}")


class ReadCollector:
    """Collects the reads of every looked-at frame."""

    def __init__(self) -> None:
        self.reads: list[CodeRead] = []
        self.frames_sampled = 0
        self._frames: dict[str, list[int | None]] = {}

    def add(self, t_ms: float | None, result: FrameResult) -> bool:
        """Record one looked-at frame; True when it showed a waybill-like number."""
        self.frames_sampled += 1
        time = None if t_ms is None else int(round(t_ms))
        found = False
        for code in result.codes:
            self.reads.append(CodeRead(time, code.format, code.text, code.position, code.method))
            for number in waybill_numbers_in(code.text):
                times = self._frames.setdefault(number, [])
                if time not in times:
                    times.append(time)
                found = True
        return found

    def confirmed(self, frames: int) -> bool:
        """True when one number leads with at least `frames` frames and twice the runner-up."""
        counts = sorted((len(t) for t in self._frames.values()), reverse=True)
        if not counts or counts[0] < frames:
            return False
        return len(counts) == 1 or counts[0] >= 2 * counts[1]

    def rival_in(self, result: FrameResult) -> bool:
        """True when the picture shows a waybill number other than the one read most so far."""
        if not self._frames:
            return False
        leader = max(self._frames, key=lambda number: len(self._frames[number]))
        return any(
            number != leader for code in result.codes for number in waybill_numbers_in(code.text)
        )

    def frames_by_number(self) -> dict[str, list[int | None]]:
        """Each waybill-like number with the frame times it was read at."""
        return {k: list(v) for k, v in self._frames.items()}


def waybill_numbers_in(text: str) -> list[str]:
    """Waybill numbers in a code's text: the text itself, or numbers inside a QR payload."""
    clean = text.strip().upper()
    if _ORDER_NUMBER.fullmatch(clean) and len(clean) >= 18:
        return []  # an 18-20 digit number is a platform order number, not a waybill
    if looks_like_waybill(clean):
        return [clean]
    found = []
    for token in _TOKEN.findall(clean):
        if looks_like_waybill(token) and carrier_of(token)[0] is not None:
            found.append(token)
    return found


def carrier_of(number: str) -> tuple[str | None, str, tuple[str, ...]]:
    """The carrier a number's shape suggests: (code, confidence, other carriers)."""
    ranked = rank_candidates([(1, number, True)], carrier_table())
    carriers = [c for c in ranked.candidates if c.number == number and c.carrier_code]
    if not carriers:
        return None, "weak", ()
    best = carriers[0]
    others = tuple(c.carrier_code for c in carriers[1:] if c.carrier_code)
    return best.carrier_code, best.confidence, others


def summarise(
    collector: ReadCollector, *, photo: bool, confirm_frames: int
) -> tuple[tuple[WaybillNumber, ...], bool, tuple[ScanFlag, ...]]:
    """The waybill numbers (consistent one first), whether it is confirmed, and the flags."""
    frames = collector.frames_by_number()
    if not frames:
        return (), False, ()
    ordered = sorted(frames, key=lambda n: (-len(frames[n]), -_last(frames[n])))
    main = ordered[0]
    kept = [main]
    flags: list[ScanFlag] = []
    for other in ordered[1:]:
        count = len(frames[other])
        if photo or count >= 2:
            kept.append(other)
        elif _similar(main, other):
            flags.append(_flag_misread(main, other, frames[other]))
        else:
            flags.append(_flag_unconfirmed(other, frames[other]))
    if len(kept) > 1:
        flags.insert(0, _flag_multiple(kept, frames))
    numbers = tuple(_number(n, frames[n]) for n in kept)
    needed = 1 if photo else confirm_frames
    return numbers, len(frames[main]) >= needed, tuple(flags)


def order_numbers_in(reads: Iterable[CodeRead]) -> tuple[str, ...]:
    """Codes that look like platform order numbers (18-20 digits), first seen first."""
    seen: dict[str, None] = {}
    for read in reads:
        text = read.text.strip()
        if _ORDER_NUMBER.fullmatch(text) and len(text) >= 18:
            seen.setdefault(text, None)
    return tuple(seen)


def other_codes_in(
    reads: Iterable[CodeRead], numbers: Iterable[str], orders: Iterable[str]
) -> tuple[str, ...]:
    """Texts of codes that are neither a kept waybill nor an order number (QR links, EANs)."""
    known = set(numbers) | set(orders)
    seen: dict[str, None] = {}
    for read in reads:
        text = read.text.strip()
        if text.upper() not in known and text not in known and not waybill_numbers_in(text):
            seen.setdefault(text[:200], None)
    return tuple(seen)


def _number(number: str, times: list[int | None]) -> WaybillNumber:
    carrier, confidence, others = carrier_of(number)
    timed = [t for t in times if t is not None]
    return WaybillNumber(
        number,
        len(times),
        min(timed) if timed else None,
        max(timed) if timed else None,
        carrier,
        confidence,
        others,
    )


def _last(times: list[int | None]) -> int:
    timed = [t for t in times if t is not None]
    return max(timed) if timed else 0


def _similar(a: str, b: str) -> bool:
    """Same length and at most half the characters differ: one code read two ways."""
    if len(a) != len(b):
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) <= len(a) // 2


def _seconds(times: Iterable[int | None]) -> str:
    return ", ".join(f"{t / 1000:.1f}s" for t in times if t is not None) or "-"


def _flag_multiple(kept: list[str], frames: dict[str, list[int | None]]) -> ScanFlag:
    listing = "、".join(f"{n}（{len(frames[n])} 帧）" for n in kept)
    listing_en = ", ".join(f"{n} ({len(frames[n])} frames)" for n in kept)
    return ScanFlag(
        m.MULTIPLE_WAYBILLS,
        "warning",
        f"画面中读到多个不同的面单号：{listing}。请确认视频对应的是哪一个包裹。",
        f"More than one waybill number was read: {listing_en}. "
        "Check which parcel this video shows.",
        {"numbers": list(kept), "frames": {n: len(frames[n]) for n in kept}},
    )


def _flag_misread(main: str, other: str, times: list[int | None]) -> ScanFlag:
    return ScanFlag(
        m.INCONSISTENT_READ,
        "info",
        f"有一帧把面单号读成了 {other}（在 {_seconds(times)}），"
        f"其余各帧一致读作 {main}，已采用 {main}。",
        f"One frame read the waybill as {other} (at {_seconds(times)}); the other frames agree on "
        f"{main}, which is used.",
        {"waybill": main, "read_as": other, "times_ms": [t for t in times if t is not None]},
    )


def _flag_unconfirmed(other: str, times: list[int | None]) -> ScanFlag:
    return ScanFlag(
        m.UNCONFIRMED_READ,
        "info",
        f"只在一帧中读到 {other}（在 {_seconds(times)}），无法确认，未采用。",
        f"{other} was read in one frame only (at {_seconds(times)}) and is not used.",
        {"number": other, "times_ms": [t for t in times if t is not None]},
    )
