"""Courier tracking text: decode it, parse it into events, flag what matters in a dispute.

Pure Python (no Qt, no network). Typical use::

    from app.evidence.tracking import decode_text, parse_tracking

    record = parse_tracking(decode_text(raw_bytes), reference_date=date(2025, 6, 14))
    for event in record.events: ...
    for flag in record.flags: ...

Modules: `text` (bytes -> clean lines, printed times, CSV columns), `classify` (what one
line says), `carriers` (carrier data from resources/tracking/carriers.json, number
ranking), `parser` (the whole record), `flags` (dispute observations), `model` (data).
"""

from __future__ import annotations

from app.evidence.tracking.carriers import known_carriers
from app.evidence.tracking.model import (
    CandidateReason,
    CarrierInfo,
    EventKind,
    FlagSeverity,
    Signer,
    SourceOrder,
    TrackingEvent,
    TrackingFlag,
    TrackingNumberCandidate,
    TrackingRecord,
)
from app.evidence.tracking.parser import parse_tracking, parse_tracking_bytes
from app.evidence.tracking.text import MAX_INPUT_BYTES, decode_text

__all__ = [
    "MAX_INPUT_BYTES",
    "CandidateReason",
    "CarrierInfo",
    "EventKind",
    "FlagSeverity",
    "Signer",
    "SourceOrder",
    "TrackingEvent",
    "TrackingFlag",
    "TrackingNumberCandidate",
    "TrackingRecord",
    "decode_text",
    "known_carriers",
    "parse_tracking",
    "parse_tracking_bytes",
]
