"""Which exhibit numbers went to the platform, and when, as a window shows them.

Read from a case overview (`CaseView.overview`, the `disputes.list_json` shape): each round
recorded by an export or by hand (`disputes.rounds`) with its day in the case's zone, the zone
named, its kind (首次举证, 补充举证, 申诉) and the numbers it sent; and per exhibit number, the
rounds that sent it ("证据3 · 已提交 6月14日 首次举证"). Both languages are given; the window
picks one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.evidence.disputes.rounds import SUBMISSION_KINDS
from app.evidence.locale_format import MONTHS_EN
from app.evidence.timeline.clock import moment_clock
from app.evidence.timeline.times import case_zone

__all__ = ["RoundShown", "SubmittedNumbers", "submitted_numbers"]


@dataclass(frozen=True)
class RoundShown:
    """One submission round.

    Attributes:
        when_zh, when_en: the moment in the case's zone with the zone named
            ("2025年6月14日 11:00 北京时间").
        day_zh, day_en: its day in that zone, short ("6月14日", "14 Jun").
        numbers: the exhibit numbers it sent, ascending.
    """

    id: int
    kind: str
    kind_zh: str
    kind_en: str
    when_zh: str
    when_en: str
    day_zh: str
    day_en: str
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class SubmittedNumbers:
    """The rounds, oldest first, the rounds of each submitted number, and the exhibits no
    round has sent yet (their numbers can still change)."""

    rounds: tuple[RoundShown, ...]
    by_number: Mapping[int, tuple[RoundShown, ...]]
    not_sent: tuple[int, ...]

    def exhibit_line(self, number: int, language: str = "zh") -> str:
        """ "证据3 · 已提交 6月14日 首次举证" ("" when no round sent it)."""
        rounds = self.by_number.get(number, ())
        if not rounds:
            return ""
        if language == "zh":
            said = "、".join(f"{r.day_zh} {r.kind_zh}" for r in rounds)
            return f"证据{number} · 已提交 {said}"
        said = ", ".join(f"{r.day_en} {r.kind_en.lower()}" for r in rounds)
        return f"Exhibit {number} · submitted {said}"


def submitted_numbers(overview: Mapping[str, Any]) -> SubmittedNumbers:
    """The submission rounds of a case overview, as the window shows them."""
    zone_name = overview.get("timezone")
    zone = case_zone(zone_name)
    rounds = []
    for s in overview.get("submissions") or ():
        kind = str(s.get("kind") or "")
        zh, en = SUBMISSION_KINDS.get(kind, (kind, kind))
        at = str(s.get("submitted_at") or "")
        numbers = tuple(
            sorted({int(e["exhibit_no"]) for e in s.get("entries") or () if e.get("exhibit_no")})
        )
        day_zh = day_en = at[:10]
        try:
            moment = datetime.fromisoformat(at)
            local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)
            day_zh = f"{local.month}月{local.day}日"
            day_en = f"{local.day} {MONTHS_EN[local.month - 1]}"
        except ValueError:
            pass
        rounds.append(
            RoundShown(
                int(s.get("id") or 0),
                kind,
                zh,
                en,
                moment_clock(at, zone_name, language="zh"),
                moment_clock(at, zone_name, language="en"),
                day_zh,
                day_en,
                numbers,
            )
        )
    by_number: dict[int, tuple[RoundShown, ...]] = {}
    for r in rounds:
        for n in r.numbers:
            by_number[n] = (*by_number.get(n, ()), r)
    exhibits = overview.get("exhibits") or ()
    not_sent = tuple(
        sorted(
            int(e["no"])
            for e in exhibits
            if e.get("no") and rounds and int(e["no"]) not in by_number
        )
    )
    return SubmittedNumbers(tuple(rounds), by_number, not_sent)
