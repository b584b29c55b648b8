"""Plain data of dispute profiles, checklists, deadlines, the case summary and submissions.

Profiles and rules are data (resources/disputes/*.json); these frozen classes are what the
loader turns them into and what the checklist, deadline and appeal functions return.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

CHECK_RULES_ZH = "请以平台当前规则为准"
CHECK_RULES_EN = "Check the current rules on the platform"


@dataclass(frozen=True)
class Source:
    """Where a rule comes from (resources/disputes/sources.json).

    Attributes:
        kind: "primary" (rule or statute text seen verbatim) or "secondary".
    """

    id: str
    kind: str
    zh: str
    en: str
    date: str = ""
    url: str = ""


@dataclass(frozen=True)
class Citation:
    """A source reference with its confidence ("high", "medium", "low")."""

    source: Source
    ref: str = ""
    confidence: str = "medium"

    @property
    def check_rules(self) -> bool:
        """True when the UI and PDF must add "check the current rules on the platform"."""
        return self.source.kind != "primary" or self.confidence != "high"

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form, with the reminder sentence when it applies."""
        out: dict[str, Any] = {
            "source": self.source.id,
            "source_zh": self.source.zh,
            "source_en": self.source.en,
            "source_kind": self.source.kind,
            "source_date": self.source.date,
            "ref": self.ref,
            "confidence": self.confidence,
        }
        if self.check_rules:
            out["check_rules_zh"], out["check_rules_en"] = CHECK_RULES_ZH, CHECK_RULES_EN
        return out


@dataclass(frozen=True)
class MatcherSpec:
    """An automatic matcher by name with its parameters (see `matchers.MATCHERS`)."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ChecklistItem:
    """One piece of evidence the reviewer expects, and how to provide it.

    Attributes:
        variants: the profile variants it applies to (empty: all).
        matcher: None when only a manual tick can satisfy it.
    """

    id: str
    zh: str
    en: str
    how_zh: str
    how_en: str
    required: bool
    matcher: MatcherSpec | None
    citation: Citation
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mistake:
    """A typical mistake for this kind of dispute."""

    zh: str
    en: str
    citation: Citation


@dataclass(frozen=True)
class Burden:
    """Who must prove what. `on`: buyer, seller, buyer_first, seller_first or shared."""

    on: str
    zh: str
    en: str
    citation: Citation


@dataclass(frozen=True)
class Variant:
    """A sub-type of a profile (描述不符: 颜色/尺寸/功能)."""

    id: str
    zh: str
    en: str


@dataclass(frozen=True)
class DisputeProfile:
    """One dispute type, loaded from resources/disputes/profiles/<id>.json.

    Attributes:
        media_phase: timeline phase for this case's photos and videos.
        inspection_window_hours: longest expected signing-to-unboxing gap.
        complaint_needs_delivery: False when complaining before delivery is the point.
        deadlines: ids of deadline rules in resources/disputes/deadlines.json.
    """

    id: str
    role: str
    zh: str
    en: str
    summary_zh: str
    summary_en: str
    burden: Burden
    checklist: tuple[ChecklistItem, ...]
    mistakes: tuple[Mistake, ...]
    deadlines: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()
    media_phase: str | None = None
    inspection_window_hours: int = 72
    complaint_needs_delivery: bool = True
    order: int = 999

    @property
    def name_zh(self) -> str:
        """The Chinese name (alias of `zh`, as the new-case dialog asks for it)."""
        return self.zh

    @property
    def name_en(self) -> str:
        """The English name (alias of `en`)."""
        return self.en

    def items_for(self, variant: str | None) -> tuple[ChecklistItem, ...]:
        """The checklist for one variant (items without variants apply to all)."""
        return tuple(c for c in self.checklist if not c.variants or (variant in c.variants))


@dataclass(frozen=True)
class DisputeRef:
    """A case's dispute: the profile and, when it has variants, which one."""

    profile: DisputeProfile
    variant: Variant | None = None

    @property
    def text(self) -> str:
        """ "not_as_described:size" as stored in case_info.dispute."""
        return self.profile.id + (f":{self.variant.id}" if self.variant else "")


@dataclass(frozen=True)
class ChecklistStatus:
    """How far one checklist item is satisfied.

    Attributes:
        state: "matched" (found automatically), "ticked" (by hand), "partial" (something
            close was found: check by hand), "missing", "todo" (manual-only, not ticked yet),
            "not_applicable" (the user said so).
        entries: timeline entry keys that satisfy (or nearly satisfy) it.
        detail_zh / detail_en: what was found or not.
    """

    item: ChecklistItem
    state: str
    entries: tuple[str, ...] = ()
    exhibits: tuple[int, ...] = ()
    detail_zh: str = ""
    detail_en: str = ""
    manual_note: str = ""

    @property
    def satisfied(self) -> bool:
        """True when matched, ticked or not applicable."""
        return self.state in ("matched", "ticked", "not_applicable")


@dataclass(frozen=True)
class DeadlineRule:
    """A time limit: `amount` days (counted from the next day) or hours after `anchor`."""

    id: str
    anchor: str
    unit: str
    amount: int
    zh: str
    en: str
    note_zh: str
    note_en: str
    citation: Citation


@dataclass(frozen=True)
class Deadline:
    """A rule applied to this case's dates, relative to `today`.

    Attributes:
        status: "open", "due_today", "passed" or "missing_date" (the anchor date is unknown).
        due_at: the last moment (aware, case zone); None when the anchor is missing.
        days_left: calendar days from today to the due date (negative once passed).
        anchor_source: "manual", "tracking" or "ruling".
    """

    rule: DeadlineRule
    status: str
    anchor_at: datetime | None = None
    anchor_source: str | None = None
    due_at: datetime | None = None
    due_date: date | None = None
    days_left: int | None = None
    note_zh: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class CaseSummary:
    """The case at a glance (订单号、店铺、商品、金额、日期、诉求、陈述).

    Attributes:
        claim: refund, return_refund, exchange, compensation, repair or resend.
        amount: decimal text as entered ("199.00"), never a float.
        statement_bytes: UTF-8 length; the platform's refund message holds 400 bytes.
    """

    title: str
    role: str
    order_no: str | None
    dispute: str | None
    timezone: str
    shop: str | None = None
    item_title: str | None = None
    amount: str | None = None
    currency: str = "CNY"
    claim: str | None = None
    category: str | None = None
    statement: str = ""
    statement_bytes: int = 0
    dates: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Submission:
    """One round sent to the platform (首次举证, 补充, 申诉) and its ruling.

    Attributes:
        kind: "initial", "supplement" or "appeal".
        entries: the timeline entries sent, with the exhibit numbers they had then.
    """

    id: int
    kind: str
    submitted_at: str
    export_ref: str | None
    entries: tuple[tuple[str, int | None], ...]
    note: str
    ruling_date: str | None
    ruling_outcome: str | None
    ruling_points: tuple[str, ...]


@dataclass(frozen=True)
class WordingFlag:
    """An emotional or accusatory phrase in a note, with a neutral suggestion."""

    rule_id: str
    category: str
    text: str
    start: int
    end: int
    suggestion_zh: str
    why_zh: str
    why_en: str
    where: str = ""
