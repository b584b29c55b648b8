"""Neutral wording: flag emotional or accusatory phrases in notes and suggest plain ones.

Rule-based and offline (resources/disputes/wording.json). The reviewer judges "based on an
ordinary person's understanding" and looks for facts; insults, threats, absolutes and runs of
exclamation marks do not help and can read as bad faith. The helper only suggests: it never
changes a note by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.evidence.disputes.model import WordingFlag
from app.evidence.disputes.profiles import read_json
from app.evidence.disputes.summary import case_summary
from app.evidence.store.case import Case
from app.evidence.timeline.build import build_timeline
from app.evidence.timeline.model import Timeline


@dataclass(frozen=True)
class _Rule:
    id: str
    category: str
    pattern: re.Pattern[str]
    replace_zh: str | None
    transform: str | None
    why_zh: str
    why_en: str


@lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    out = []
    for r in read_json("wording.json")["rules"]:
        if "regex" in r:
            pattern = re.compile(r["regex"])
        else:
            words = sorted(r["words"], key=len, reverse=True)  # 大骗子 before 骗子
            pattern = re.compile("|".join(re.escape(w) for w in words), re.I)
        out.append(
            _Rule(
                r["id"],
                r["category"],
                pattern,
                r.get("replace_zh"),
                r.get("transform"),
                r["why_zh"],
                r["why_en"],
            )
        )
    return tuple(out)


def check_wording(text: str, where: str = "") -> tuple[WordingFlag, ...]:
    """Every flagged phrase in `text`, in text order (overlaps: the earlier rule wins).

    Args:
        where: what the text belongs to ("item:3", "statement"), echoed in each flag.
    """
    flags: list[WordingFlag] = []
    taken: list[tuple[int, int]] = []
    for rule in _rules():
        for m in rule.pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append((m.start(), m.end()))
            suggestion = (
                m.group(0).lower() if rule.transform == "lower" else (rule.replace_zh or "")
            )
            flags.append(
                WordingFlag(
                    rule.id,
                    rule.category,
                    m.group(0),
                    m.start(),
                    m.end(),
                    suggestion,
                    rule.why_zh,
                    rule.why_en,
                    where,
                )
            )
    return tuple(sorted(flags, key=lambda f: f.start))


def neutral_version(text: str) -> str:
    """`text` with every flagged phrase replaced by its suggestion (for the user to review)."""
    out = text
    for flag in sorted(check_wording(text), key=lambda f: f.start, reverse=True):
        out = out[: flag.start] + flag.suggestion_zh + out[flag.end :]
    out = re.sub(r"[ \t]{2,}", " ", out)
    out = re.sub(r"([，。；、])\1+", r"\1", out)
    out = re.sub(r"^[，。；、\s]+", "", out)
    return out.strip()


def case_wording(case: Case, timeline: Timeline | None = None) -> tuple[WordingFlag, ...]:
    """Flags in every note of the case and in the summary's statement."""
    flags: list[WordingFlag] = []
    for entry in (timeline or build_timeline(case)).all_entries():
        if entry.note:
            flags += check_wording(entry.note, entry.key)
        if entry.source == "manual" and entry.key.startswith("event:"):
            flags += check_wording(entry.title, entry.key)
    flags += check_wording(case_summary(case).statement, "statement")
    return tuple(flags)
