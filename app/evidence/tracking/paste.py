"""Is a pasted text clearly a courier tracking record, or something to ask the user about?

Chat text pasted by mistake became a tracking exhibit (issue 19). A text counts as tracking
only when most of its timed lines say what happened to a parcel (揽收, 发往, 派送, 签收 …)
and at least two do, or when it names a carrier and carries a waybill number; anything
else (chat lines with times, a note) is asked about.
"""

from __future__ import annotations

from datetime import date

from app.evidence.tracking.model import EventKind
from app.evidence.tracking.parser import parse_tracking

PARCEL_KINDS = frozenset(EventKind) - {EventKind.OTHER, EventKind.TEXT}


def clearly_tracking(text: str, *, today: date | None = None) -> bool:
    """True when `text` reads as a tracking record without asking."""
    if not text or not text.strip():
        return False
    try:
        record = parse_tracking(text, reference_date=today or date.today())
    except Exception:  # noqa: BLE001 - unreadable text is not clearly anything: ask
        return False
    timed = [e for e in record.events if e.kind is not EventKind.TEXT]
    parcel = [e for e in timed if e.kind in PARCEL_KINDS]
    if len(parcel) >= 2 and len(parcel) * 2 >= len(timed):
        return True
    return bool(parcel) and record.carrier_basis == "named" and record.tracking_number is not None
