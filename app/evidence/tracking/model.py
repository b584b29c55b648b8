"""Plain data for courier tracking records: events, number candidates and flags.

Everything here is a frozen dataclass or a str enum (no I/O, no Qt), so the CLI, the GUI
and the case store can pass them around and serialise them with `to_json`.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.evidence.models import CaptureTime

_OFFSETS: dict[int, timedelta] = {}  # one timedelta per offset: instant() runs per event


class EventKind(enum.StrEnum):
    """What one tracking line says happened to the parcel."""

    PICKUP = "pickup"  # 揽收 / 收寄: the carrier took the parcel from the sender
    TRANSIT = "transit"  # 发往 / 离开 / 分拣: moving between facilities
    ARRIVED = "arrived"  # 到达: scanned in at a facility or the delivery station
    OUT_FOR_DELIVERY = "out_for_delivery"  # 派件 / 派送 / 安排投递
    STATION_DROPOFF = "station_dropoff"  # 代收 / 入柜 / 驿站 / 丰巢: left for pickup
    SIGNED = "signed"  # 签收 / 妥投
    REFUSED = "refused"  # 拒收 / 拒签
    RETURNED = "returned"  # 退回 / 退件: going back to the sender
    EXCEPTION = "exception"  # 问题件 / 滞留 / 异常 / 未妥投
    OTHER = "other"  # a timed line whose wording is not recognised
    TEXT = "text"  # a line with no time (header, continuation, junk): kept, never dropped


class Signer(enum.StrEnum):
    """Who or what signed for (or holds) the parcel, as the tracking line words it."""

    SELF = "本人"
    OTHER_PERSON = "他人"
    FAMILY = "家人"
    COLLEAGUE = "同事"
    RECEPTION = "前台"
    GUARD = "门卫"
    PROPERTY = "物业"
    MAILROOM = "收发室"
    PICKUP_POINT = "代收点"  # 菜鸟驿站 and other staffed stations
    LOCKER = "快递柜"  # 丰巢, 速递易, 智能柜, 自提柜
    PICKUP_CODE = "取件码"  # "签收人凭取货码签收": collected with a code, place not named
    PHOTO = "拍照签收"  # the courier photographed the parcel instead of a signature


class SourceOrder(enum.StrEnum):
    """The order the lines had in the pasted text."""

    OLDEST_FIRST = "oldest_first"
    NEWEST_FIRST = "newest_first"
    UNKNOWN = "unknown"


class FlagSeverity(enum.StrEnum):
    """How much a flag matters for a dispute, weakest first."""

    INFO = "info"
    WARNING = "warning"
    ALERT = "alert"


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    """One line (or a description line plus its time line) of a tracking record.

    Attributes:
        line_no: 1-based line number of `raw_line` in the parsed text.
        raw_line: the line exactly as it was in the parsed text (no newline).
        kind: what the line says happened; TEXT for lines without a time.
        time: the event time (source TRACKING), or None when the line has none or it could
            not be resolved (e.g. "今天 12:31" without a reference date).
        time_text: the time as printed ("2025-06-10 08:02:09", "今天 12:31"), or None.
        time_was_relative: True when the date came from 今天/昨天/前天 or a year-less MM-DD
            resolved against the reference date.
        time_line_no: line number the time was read from when it stood on its own line.
        description: the line with full-width characters normalised and the time removed.
        location: the line's place: its 【…】/[…] prefix, else the first bracketed place,
            else a facility name found in the words; None when nothing is found.
        places: every bracketed place name on the line, in order.
        signer: who signed or holds the parcel (SIGNED / STATION_DROPOFF lines only).
        courier_name: the courier's name exactly as printed (masked forms such as 王** kept).
        courier_phone: the courier's mobile number exactly as printed (139****2468 kept).
    """

    line_no: int
    raw_line: str
    kind: EventKind
    time: CaptureTime | None = None
    time_text: str | None = None
    time_was_relative: bool = False
    time_line_no: int | None = None
    description: str = ""
    location: str | None = None
    places: tuple[str, ...] = ()
    signer: Signer | None = None
    courier_name: str | None = None
    courier_phone: str | None = None

    def instant(self) -> datetime | None:
        """The moment as a naive UTC datetime, for ordering and gaps; None without a time.

        A time whose offset is unknown is compared as if it were UTC.
        """
        if self.time is None:
            return None
        offset = self.time.offset_minutes or 0
        delta = _OFFSETS.get(offset)
        if delta is None:
            delta = _OFFSETS.setdefault(offset, timedelta(minutes=offset))
        return self.time.local - delta

    @property
    def line_nos(self) -> tuple[int, ...]:
        """Every source line this event rests on."""
        if self.time_line_no is None:
            return (self.line_no,)
        return tuple(sorted((self.line_no, self.time_line_no)))


@dataclass(frozen=True)
class CandidateReason:
    """One reason that raised or lowered a tracking-number candidate's score."""

    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class TrackingNumberCandidate:
    """A string that may be the waybill number, with the carrier it may belong to.

    `confidence` is "likely", "possible" or "weak": a pattern alone never makes a number
    certain (carriers' formats overlap), so the user confirms it.
    """

    number: str
    carrier_code: str | None
    score: float
    confidence: str
    reasons: tuple[CandidateReason, ...]
    line_nos: tuple[int, ...] = ()  # where it appears (first ten)


@dataclass(frozen=True)
class TrackingFlag:
    """Something in the record a buyer or seller should look at, in plain words.

    Attributes:
        code: stable identifier (e.g. "long_gap").
        severity: info, warning or alert.
        zh: the explanation in Chinese.
        en: the explanation in English.
        line_nos: the source lines the flag rests on.
    """

    code: str
    severity: FlagSeverity
    zh: str
    en: str
    line_nos: tuple[int, ...] = ()


@dataclass(frozen=True)
class CarrierInfo:
    """A courier, station network or locker brand known to the parser (from carriers.json)."""

    code: str
    kind: str  # "carrier", "station" or "locker"
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class TrackingRecord:
    """Everything parsed from one pasted tracking text.

    Attributes:
        carrier_code: e.g. "SF", "ZTO"; None when no carrier could be told.
        carrier_name_zh / carrier_name_en: display names of `carrier_code`.
        carrier_basis: "named" (the text names it), "number_pattern" (guessed from the
            number's shape only: ask the user) or "unknown".
        station_brands: codes of station networks / locker brands named in the text
            (e.g. "CAINIAO", "FENGCHAO"); they hold parcels but are not the carrier.
        tracking_number: the best-ranked candidate, or None; always to be confirmed.
        candidates: possible waybill numbers, best first, with reasons.
        events: every non-blank line as an event, in chronological order (lines without a
            time stay next to the event they followed in the source).
        flags: dispute-relevant observations, strongest first.
        reference_date: the date relative times were resolved against (as passed in).
        utc_offset_minutes: the UTC offset assumed for printed times without one.
        source_order: whether the pasted list ran oldest-first or newest-first.
        line_count: number of lines in the parsed text.
    """

    carrier_code: str | None = None
    carrier_name_zh: str | None = None
    carrier_name_en: str | None = None
    carrier_basis: str = "unknown"
    station_brands: tuple[str, ...] = ()
    tracking_number: str | None = None
    candidates: tuple[TrackingNumberCandidate, ...] = ()
    events: tuple[TrackingEvent, ...] = ()
    flags: tuple[TrackingFlag, ...] = ()
    reference_date: date | None = None
    utc_offset_minutes: int = 480
    source_order: SourceOrder = SourceOrder.UNKNOWN
    line_count: int = 0

    def events_of(self, *kinds: EventKind) -> tuple[TrackingEvent, ...]:
        """The events of the given kinds, in chronological order."""
        return tuple(e for e in self.events if e.kind in kinds)

    @property
    def signed_event(self) -> TrackingEvent | None:
        """The last signing event, or None when the parcel was never signed for."""
        signed = self.events_of(EventKind.SIGNED)
        return signed[-1] if signed else None

    def flag_codes(self) -> tuple[str, ...]:
        """The codes of all flags, strongest first."""
        return tuple(f.code for f in self.flags)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (dates and datetimes as ISO 8601, enums as values)."""
        return _jsonable(asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value
