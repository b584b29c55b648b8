"""Plain data of the timeline: phases, entry times, entries, findings and the built timeline.

Every class is frozen; the GUI and the CLI read these and never the tables behind them.
An entry is addressed by a text key: ``item:<id>`` for an imported original, ``event:<id>``
for a tracking line, chat message or manual event, ``date:<name>`` for a case date the user
entered (order placed, intervention, ...).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from app.evidence.models import CaptureTime, ItemKind


class Phase(enum.StrEnum):
    """Stages of an order's story, in the order they usually happen."""

    ORDER = "order"
    SHIPPING = "shipping"
    TRANSIT = "transit"
    DELIVERY = "delivery"
    INSPECTION = "inspection"
    COMMUNICATION = "communication"
    CLAIM = "claim"


PHASE_LABELS: dict[Phase, tuple[str, str]] = {
    Phase.ORDER: ("下单", "Order"),
    Phase.SHIPPING: ("发货", "Shipping"),
    Phase.TRANSIT: ("物流", "Transit"),
    Phase.DELIVERY: ("签收", "Delivery"),
    Phase.INSPECTION: ("开箱/发现问题", "Inspection"),
    Phase.COMMUNICATION: ("沟通", "Communication"),
    Phase.CLAIM: ("申请售后/介入", "Claim"),
}


def item_key(item_id: int) -> str:
    """The entry key of an item."""
    return f"item:{item_id}"


def event_key(event_id: int) -> str:
    """The entry key of an event."""
    return f"event:{event_id}"


def date_key(name: str) -> str:
    """The entry key of a case date shown as a milestone."""
    return f"date:{name}"


@dataclass(frozen=True)
class EntryTime:
    """When an entry happened, as recorded and as shown.

    Attributes:
        recorded: the time in effect (source MANUAL when the user set it by hand).
        utc: the instant used for ordering (aware, UTC).
        local: the same instant in the case's time zone (aware).
        offset_assumed: True when the recorded time had no UTC offset and the case's zone was
            assumed to place it; the stored offset stays unknown.
        date_only: True for a case date entered without a time of day (placed at 00:00).
        original: the entry's own time when `recorded` was set by hand (None if it had none).
        manual_reason: why the user set the time by hand.
    """

    recorded: CaptureTime
    utc: datetime
    local: datetime
    offset_assumed: bool = False
    date_only: bool = False
    original: CaptureTime | None = None
    manual_reason: str | None = None

    @property
    def minute(self) -> datetime:
        """The UTC instant floored to the minute: entries in one minute can be reordered."""
        return self.utc.replace(second=0, microsecond=0)


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline: an item, an event or a case date.

    Attributes:
        key: ``item:<id>``, ``event:<id>`` or ``date:<name>``.
        item_id: the item itself, or the item an event was read from.
        event_kind: tracking EventKind value, "chat_message", "manual", ... (events only).
        source: where the entry (and its time) came from: a TimeSource value for items,
            "tracking" / "ocr" / "manual" for events, "manual" for case dates.
        title: the file name, the event's text, or the date's name.
        time: None in the undated lane.
        undated_reason: why the entry is in the undated lane (plain words, zh).
        hint_time: a time that was judged untrustworthy (file time), kept visible.
        exhibit_no: 证据 number; `exhibit_provisional` when not yet fixed by the user.
        flags: short codes: manual_time, offset_assumed, low_confidence, time_from_content,
            date_only, exhibit_provisional.
    """

    key: str
    title: str
    source: str
    phase: Phase
    phase_is_manual: bool = False
    item_id: int | None = None
    event_id: int | None = None
    item_kind: ItemKind | None = None
    event_kind: str | None = None
    time: EntryTime | None = None
    undated_reason: str = ""
    hint_time: CaptureTime | None = None
    exhibit_no: int | None = None
    exhibit_provisional: bool = False
    note: str = ""
    hidden: bool = False
    sort_key: int | None = None
    raw_line: str | None = None
    line_no: int | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    flags: tuple[str, ...] = ()

    @property
    def is_item(self) -> bool:
        """True for an imported original (these are the exhibits)."""
        return self.key.startswith("item:")

    @property
    def exhibit_label(self) -> str:
        """ "证据3", or "" when the entry is not an exhibit."""
        return f"证据{self.exhibit_no}" if self.exhibit_no is not None else ""


@dataclass(frozen=True)
class PhaseGroup:
    """The entries of one phase, in timeline order, with the (possibly renamed) label."""

    phase: Phase
    zh: str
    en: str
    entries: tuple[str, ...]


@dataclass(frozen=True)
class TimelineFinding:
    """A contradiction or gap on the timeline, in plain words; never a verdict.

    Attributes:
        code: stable identifier, e.g. "unboxing_before_signed".
        severity: "info", "warning" or "alert".
        entries: the entry keys the finding rests on.
        params: numbers behind the text (hours, window), JSON-ready.
    """

    code: str
    severity: str
    zh: str
    en: str
    entries: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Timeline:
    """The ordered story of a case.

    Attributes:
        timezone: IANA name local times are shown in.
        entries: dated, visible entries in order.
        undated: visible entries with no trustworthy time, in their manual order.
        hidden: entries the user left out of the chain (they keep their exhibit number).
        labels: phase -> (zh, en), after the user's renames.
    """

    timezone: str
    entries: tuple[TimelineEntry, ...]
    undated: tuple[TimelineEntry, ...]
    hidden: tuple[TimelineEntry, ...]
    labels: Mapping[Phase, tuple[str, str]]

    def all_entries(self) -> tuple[TimelineEntry, ...]:
        """Dated, undated and hidden entries, in that order."""
        return self.entries + self.undated + self.hidden

    def get(self, key: str) -> TimelineEntry | None:
        """The entry with this key, wherever it is."""
        return next((e for e in self.all_entries() if e.key == key), None)

    def visible(self) -> tuple[TimelineEntry, ...]:
        """Dated then undated entries: the chain as it will be exported."""
        return self.entries + self.undated

    def exhibits(self) -> tuple[TimelineEntry, ...]:
        """Visible entries that carry an exhibit number, by number."""
        numbered = [e for e in self.visible() if e.exhibit_no is not None]
        return tuple(sorted(numbered, key=lambda e: e.exhibit_no or 0))

    def phases(self) -> tuple[PhaseGroup, ...]:
        """The dated entries grouped by phase, phases in story order (empty ones left out)."""
        groups: list[PhaseGroup] = []
        for phase in Phase:
            keys = tuple(e.key for e in self.entries if e.phase is phase)
            if keys:
                zh, en = self.labels[phase]
                groups.append(PhaseGroup(phase, zh, en, keys))
        return tuple(groups)

    def exhibit_of_item(self, item_id: int) -> TimelineEntry | None:
        """The entry of an item (to show "见证据N" next to the lines read from it)."""
        return self.get(item_key(item_id))


def utc_of(local: datetime, offset_minutes: int) -> datetime:
    """A naive wall-clock time with a known offset, as an aware UTC instant."""
    return local.replace(tzinfo=timezone(timedelta(minutes=offset_minutes))).astimezone(UTC)
