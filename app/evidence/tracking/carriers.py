"""Carrier data (resources/tracking/carriers.json) and tracking-number ranking.

Numeric waybill formats overlap (ZTO, Yunda, STO and Best all issue 12-15 digit numbers),
so a number's shape is only a hint. Candidates are ranked from the shape, a carrier named
in the text, a 运单号 label and where the number stands; the best one is offered to the
user to confirm, never asserted.
"""

from __future__ import annotations

import bisect
import functools
import importlib.resources
import itertools
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.evidence.tracking.model import CandidateReason, CarrierInfo, TrackingNumberCandidate

log = logging.getLogger(__name__)

# Whole runs of letters/digits/masks; runs holding "*" are masked phones, not numbers.
# (A charset-led pattern lets re skip ahead fast; a leading lookbehind would not.)
_RUN = re.compile(r"[A-Za-z0-9*]{10,}")
_MAX_NUMBER_LEN = 30
_TOKEN_SHAPE = re.compile(r"[A-Za-z]{0,4}\d[A-Za-z0-9]*")
_NOT_A_NUMBER = re.compile(r"1[3-9]\d{9}|20\d{12}")  # a mobile number, a compact timestamp
_MAX_TOKENS = 1000  # a tracking text names a handful of numbers; junk may hold thousands
_LABEL_WINDOW = 12


@dataclass(frozen=True)
class NumberPattern:
    """One waybill-number shape for a carrier, with how distinctive it is (0..1)."""

    regex: re.Pattern[str]
    weight: float
    note: str


@dataclass(frozen=True)
class Carrier:
    """A carrier, station network or locker brand with its keywords and number shapes."""

    info: CarrierInfo
    keywords: tuple[str, ...]
    patterns: tuple[NumberPattern, ...]


@dataclass(frozen=True)
class CarrierTable:
    """Everything loaded from carriers.json, compiled once."""

    carriers: tuple[Carrier, ...]
    locker_words: tuple[str, ...]
    station_words: tuple[str, ...]
    number_labels: tuple[str, ...]
    order_labels: tuple[str, ...]
    by_code: dict[str, Carrier] = field(default_factory=dict)
    keyword_re: re.Pattern[str] | None = None
    keyword_owner: dict[str, str] = field(default_factory=dict)


def load_carrier_table(text: str) -> CarrierTable:
    """Build a table from carriers.json text (tests may pass their own)."""
    data = json.loads(text)
    carriers = tuple(
        Carrier(
            info=CarrierInfo(c["code"], c["kind"], c["name_zh"], c["name_en"]),
            keywords=tuple(c["keywords"]),
            patterns=tuple(
                NumberPattern(re.compile(p["regex"]), float(p["weight"]), p.get("note", ""))
                for p in c["number_patterns"]
            ),
        )
        for c in data["carriers"]
    )
    owner = {kw: c.info.code for c in carriers for kw in c.keywords}
    # Longest first so "SF Express" wins over a shorter keyword at the same place; ASCII
    # keywords must stand alone ("EMS" is not inside "SYSTEMS"). The lookbehind goes after
    # the keyword: a pattern that starts with a literal lets re skip ahead fast.
    pieces = []
    for keyword in sorted(owner, key=len, reverse=True):
        literal = re.escape(keyword)
        if keyword.isascii():
            literal = rf"{literal}(?<![A-Za-z]{literal})(?![A-Za-z])"
        pieces.append(literal)
    return CarrierTable(
        carriers=carriers,
        locker_words=tuple(data["locker_words"]),
        station_words=tuple(data["station_words"]),
        number_labels=tuple(data["number_labels"]),
        order_labels=tuple(data["order_number_labels"]),
        by_code={c.info.code: c for c in carriers},
        keyword_re=re.compile("|".join(pieces)) if pieces else None,
        keyword_owner=owner,
    )


@functools.cache
def carrier_table() -> CarrierTable:
    """The bundled carrier table, found through the `resources` package (works when frozen)."""
    resource = importlib.resources.files("resources").joinpath("tracking/carriers.json")
    return load_carrier_table(resource.read_text(encoding="utf-8"))


def known_carriers() -> tuple[CarrierInfo, ...]:
    """Carriers, station networks and locker brands the parser knows, in table order."""
    return tuple(c.info for c in carrier_table().carriers)


@dataclass(frozen=True)
class RankedNumbers:
    """The outcome of ranking: candidates, the chosen number and carrier, and how sure."""

    candidates: tuple[TrackingNumberCandidate, ...]
    tracking_number: str | None
    carrier_code: str | None
    basis: str  # "named", "number_pattern" or "unknown"
    number_flag_needed: bool
    station_brands: tuple[str, ...]  # codes of station/locker brands named in the text


@dataclass
class _TokenStats:
    count: int = 0
    line_nos: list[int] = field(default_factory=list)
    labelled: bool = False
    order_labelled: bool = False
    on_header: bool = False


def rank_candidates(lines: Sequence[tuple[int, str, bool]], table: CarrierTable) -> RankedNumbers:
    """Rank waybill-number candidates and pick the carrier.

    Args:
        lines: (line number, normalised text, line has no time) for each non-blank line.
        table: the carrier table.
    """
    # One scan over the joined text instead of one per line: per-line calls dominate
    # the cost on long pastes.
    joined = "\n".join(text for _, text, _ in lines)
    starts = list(itertools.accumulate((len(text) + 1 for _, text, _ in lines), initial=0))
    hits: dict[str, int] = {}
    if table.keyword_re is not None:
        for match in table.keyword_re.finditer(joined):
            owner = table.keyword_owner[match[0]]
            hits[owner] = hits.get(owner, 0) + 1
    tokens: dict[str, _TokenStats] = {}
    for match in _RUN.finditer(joined):
        if len(match[0]) > _MAX_NUMBER_LEN or "*" in match[0]:
            continue
        index = bisect.bisect_right(starts, match.start()) - 1
        line_no, _, untimed = lines[index]
        _note_token(match, joined, starts[index], line_no, untimed, tokens, table)
    named = {code for code in hits if table.by_code[code].info.kind == "carrier"}
    candidates = _score(tokens, named, table)
    top = candidates[0] if candidates else None
    number = top.number if top and top.score >= 0.3 else None
    order = [c.info.code for c in table.carriers]
    carrier: str | None = None
    basis = "unknown"  # a station or locker brand (菜鸟驿站, 丰巢) alone is not a carrier
    if named:
        best = max(hits[c] for c in named)
        tied = [c for c in named if hits[c] == best]
        in_tie = top is not None and top.carrier_code in tied
        carrier = top.carrier_code if in_tie and top else min(tied, key=order.index)
        basis = "named"
    elif top and top.carrier_code and number:
        carrier, basis = top.carrier_code, "number_pattern"
    needs_flag = bool(candidates) and (
        number is None or basis != "named" or candidates[0].confidence != "likely"
    )
    stations = tuple(sorted((c for c in hits if c not in named), key=order.index))
    return RankedNumbers(candidates, number, carrier, basis, needs_flag, stations)


def _note_token(
    match: re.Match[str],
    text: str,
    line_start: int,
    line_no: int,
    untimed: bool,
    tokens: dict[str, _TokenStats],
    table: CarrierTable,
) -> None:
    token = match[0]
    if sum(ch.isdigit() for ch in token) < 8 or not _TOKEN_SHAPE.fullmatch(token):
        return
    if _NOT_A_NUMBER.fullmatch(token):
        return
    stats = tokens.get(token)
    if stats is None:
        if len(tokens) >= _MAX_TOKENS:
            return
        stats = tokens[token] = _TokenStats()
    stats.count += 1
    if len(stats.line_nos) < 10:
        stats.line_nos.append(line_no)
    stats.on_header |= untimed
    before = text[max(line_start, match.start() - _LABEL_WINDOW) : match.start()]
    if any(label in before for label in table.order_labels):
        stats.order_labelled = True
    elif any(label in before.lower() for label in table.number_labels):
        stats.labelled = True


_REASONS: dict[str, tuple[str, str]] = {
    "labelled": ("前面标注了“运单号/单号”", "labelled as a waybill number"),
    "order_label": (
        "前面标注的是“订单号”，通常是平台订单号而不是运单号",
        "labelled as an order number, not a waybill number",
    ),
    "order_like": (
        "18–19 位纯数字，更像平台订单号",
        "18-19 digits: looks like a platform order number",
    ),
    "header_line": ("出现在没有时间的标题行", "stands on a header line, not inside a scan"),
    "repeated": ("出现了 {count} 次", "appears {count} times"),
    "pattern": ("号码格式符合{name_zh}（{note}）", "shape matches {name_en} ({note})"),
    "carrier_named": ("文本中提到了{name_zh}", "the text names {name_en}"),
    "no_pattern": ("不符合任何已知快递公司的单号格式", "matches no known carrier's number format"),
}


def _reason(code: str, shown_code: str | None = None, **values: object) -> CandidateReason:
    zh, en = _REASONS[code]
    return CandidateReason(shown_code or code, zh.format(**values), en.format(**values))


def _score(
    tokens: dict[str, _TokenStats], named: set[str], table: CarrierTable
) -> tuple[TrackingNumberCandidate, ...]:
    scored: list[TrackingNumberCandidate] = []
    for token, stats in tokens.items():
        common: list[tuple[float, CandidateReason]] = []
        if stats.labelled:
            common.append((0.3, _reason("labelled")))
        if stats.order_labelled:
            common.append((-0.6, _reason("order_label")))
        if token.isdigit() and len(token) in (18, 19):
            common.append((-0.3, _reason("order_like")))
        if stats.on_header:
            common.append((0.05, _reason("header_line")))
        if stats.count > 1:
            common.append((0.05, _reason("repeated", count=stats.count)))
        matched = False
        for carrier in table.carriers:
            # Patterns are listed most distinctive first, so the first match is the best.
            pattern = next((p for p in carrier.patterns if p.regex.fullmatch(token)), None)
            if pattern is None:
                continue
            matched = True
            info = carrier.info
            names = {"name_zh": info.name_zh, "name_en": info.name_en}
            shape = _reason("pattern", f"pattern:{info.code}", note=pattern.note, **names)
            parts = [(pattern.weight, shape)]
            if info.code in named:
                parts.append((0.35, _reason("carrier_named", **names)))
            scored.append(_candidate(token, info.code, parts + common, stats))
        if not matched:
            unknown = [(0.05, _reason("no_pattern")), *common]
            scored.append(_candidate(token, None, unknown, stats))
    scored.sort(key=lambda c: (-c.score, c.number, c.carrier_code or ""))
    return tuple(scored[:10])


def _candidate(
    token: str, code: str | None, parts: list[tuple[float, CandidateReason]], stats: _TokenStats
) -> TrackingNumberCandidate:
    score = round(min(1.0, max(0.0, sum(weight for weight, _ in parts))), 3)
    confidence = "likely" if score >= 0.8 else "possible" if score >= 0.4 else "weak"
    reasons = tuple(r for _, r in parts)
    return TrackingNumberCandidate(token, code, score, confidence, reasons, tuple(stats.line_nos))
