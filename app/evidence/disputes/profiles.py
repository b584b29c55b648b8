"""Load dispute profiles, deadline rules and sources from resources/disputes/.

Layout (found with importlib.resources, so it works in the frozen build)::

    resources/disputes/sources.json        S1, S4, ... -> kind (primary/secondary), title, date
    resources/disputes/deadlines.json      rules + categories (category -> extra rules, window)
    resources/disputes/wording.json        neutral-wording rules
    resources/disputes/profiles/<id>.json  one dispute type each

A profile file holds: id (ascii slug), order (position in pickers), role, zh/en names,
aliases, summary, optional variants, burden {on, zh, en, source, ref, confidence},
media_phase, inspection_window_hours, complaint_needs_delivery, deadlines (rule ids),
checklist [{id, zh, en, how_zh, how_en, required, variants?, matcher {name, params} | null,
source, ref?, confidence}], mistakes [{zh, en, source, confidence}].
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from importlib.resources import files
from typing import Any

from app.evidence.disputes.model import (
    Burden,
    ChecklistItem,
    Citation,
    DeadlineRule,
    DisputeProfile,
    DisputeRef,
    MatcherSpec,
    Mistake,
    Source,
    Variant,
)
from app.evidence.timeline.errors import DisputeError, UnknownProfile

log = logging.getLogger(__name__)


def read_json(*parts: str) -> Any:
    """Parse one JSON file under resources/disputes/."""
    node = files("resources").joinpath("disputes")
    for part in parts:
        node = node.joinpath(part)
    return json.loads(node.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def sources() -> dict[str, Source]:
    """Every source by id."""
    return {
        key: Source(key, v["kind"], v["zh"], v["en"], v.get("date", ""), v.get("url", ""))
        for key, v in read_json("sources.json").items()
        if not key.startswith("_")
    }


def citation(data: dict[str, Any]) -> Citation:
    """A Citation from a JSON object with source / ref / confidence."""
    try:
        source = sources()[data["source"]]
    except KeyError as exc:
        raise DisputeError(f"unknown source {data.get('source')!r} in dispute data") from exc
    confidence = data.get("confidence", "medium")
    if confidence not in ("high", "medium", "low"):
        raise DisputeError(f"confidence must be high, medium or low, not {confidence!r}")
    return Citation(source, data.get("ref", ""), confidence)


@lru_cache(maxsize=1)
def deadline_rules() -> dict[str, DeadlineRule]:
    """Every deadline rule by id."""
    out = {}
    for r in read_json("deadlines.json")["rules"]:
        if r["unit"] not in ("days", "hours"):
            raise DisputeError(f"deadline rule {r['id']}: unit must be days or hours")
        out[r["id"]] = DeadlineRule(
            r["id"],
            r["anchor"],
            r["unit"],
            int(r["amount"]),
            r["zh"],
            r["en"],
            r.get("note_zh", ""),
            r.get("note_en", ""),
            citation(r),
        )
    return out


@lru_cache(maxsize=1)
def categories() -> dict[str, dict[str, Any]]:
    """Category id -> {zh, en, rules, inspection_window_hours?}."""
    return dict(read_json("deadlines.json")["categories"])


@lru_cache(maxsize=1)
def profiles() -> dict[str, DisputeProfile]:
    """Every profile by id: buyer profiles first, each role in the files' `order`."""
    folder = files("resources").joinpath("disputes").joinpath("profiles")
    loaded = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            loaded.append(_profile(json.loads(entry.read_text(encoding="utf-8")), entry.name))
    loaded.sort(key=lambda p: (0 if p.role == "buyer" else 1, p.order, p.id))
    return {p.id: p for p in loaded}


def load_profiles() -> tuple[DisputeProfile, ...]:
    """Every profile, buyer ones first (for pickers such as the new-case dialog)."""
    return tuple(profiles().values())


def profile(ref: str) -> DisputeProfile:
    """A profile by id, alias or name (zh or en).

    Raises:
        UnknownProfile: nothing matches.
    """
    return resolve(ref).profile


def resolve(text: str) -> DisputeRef:
    """Parse a case's dispute text: "not_as_described:size", "描述不符", "未收到货" ...

    Raises:
        UnknownProfile: no profile or variant matches.
    """
    head, _, tail = text.strip().partition(":")
    wanted = head.strip().lower()
    for p in profiles().values():
        names = {p.id, p.zh.lower(), p.en.lower(), *(a.lower() for a in p.aliases)}
        if wanted in names:
            variant = None
            if tail:
                variant = next(
                    (v for v in p.variants if tail.strip().lower() in (v.id, v.zh, v.en.lower())),
                    None,
                )
                if variant is None:
                    known = ", ".join(v.id for v in p.variants)
                    raise UnknownProfile(f"{p.id} has no variant {tail!r}; known: {known}")
            return DisputeRef(p, variant)
    if not tail:  # a variant named alone: "颜色不符", "颜色", "colour"
        for p in profiles().values():
            for v in p.variants:
                if wanted in (v.id, v.zh, v.zh + "不符", v.en.lower()):
                    return DisputeRef(p, v)
    known = ", ".join(profiles())
    raise UnknownProfile(f"no dispute profile {text!r}; known: {known}")


def _profile(d: dict[str, Any], file_name: str) -> DisputeProfile:
    if f"{d['id']}.json" != file_name:
        raise DisputeError(f"profile file {file_name} holds id {d['id']!r}")
    b = d["burden"]
    checklist = tuple(
        ChecklistItem(
            c["id"],
            c["zh"],
            c["en"],
            c["how_zh"],
            c["how_en"],
            bool(c.get("required", True)),
            MatcherSpec(c["matcher"]["name"], dict(c["matcher"].get("params", {})))
            if c.get("matcher")
            else None,
            citation(c),
            tuple(c.get("variants", ())),
        )
        for c in d["checklist"]
    )
    return DisputeProfile(
        id=d["id"],
        role=d["role"],
        zh=d["zh"],
        en=d["en"],
        summary_zh=d.get("summary_zh", ""),
        summary_en=d.get("summary_en", ""),
        burden=Burden(b["on"], b["zh"], b["en"], citation(b)),
        checklist=checklist,
        mistakes=tuple(Mistake(m["zh"], m["en"], citation(m)) for m in d.get("mistakes", ())),
        deadlines=tuple(d.get("deadlines", ())),
        aliases=tuple(d.get("aliases", ())),
        variants=tuple(Variant(v["id"], v["zh"], v["en"]) for v in d.get("variants", ())),
        media_phase=d.get("media_phase"),
        inspection_window_hours=int(d.get("inspection_window_hours", 72)),
        complaint_needs_delivery=bool(d.get("complaint_needs_delivery", True)),
        order=int(d.get("order", 999)),
    )
