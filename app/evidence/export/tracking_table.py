"""Courier tracking records as table rows, through the tracking parser when it can read them.

The parser (app.evidence.tracking) is used defensively: if it is missing or fails on a text,
the record is shown line by line as pasted, so nothing the user supplied is dropped from the
bundle.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.evidence.export.wording import short_time
from app.evidence.models import CaptureTime, Item

log = logging.getLogger(__name__)

MAX_BYTES = 2_000_000  # a pasted record is a few KB; more is not a tracking text
_KEY_KINDS = {"pickup", "signed", "refused", "returned", "station_dropoff", "exception"}
KIND_ZH = {
    "pickup": "揽收",
    "transit": "运输",
    "arrived": "到达",
    "out_for_delivery": "派送",
    "station_dropoff": "代收/入柜",
    "signed": "签收",
    "refused": "拒收",
    "returned": "退回",
    "exception": "异常",
    "other": "其他",
    "text": "",
}


@dataclass(frozen=True)
class TrackingRow:
    """One row of the tracking table.

    Attributes:
        highlight: True for the sign-for line (and refusals/returns): the reader looks there first.
    """

    time: str
    status: str
    text: str
    highlight: bool = False


@dataclass(frozen=True)
class TrackingTable:
    """A tracking record ready to print."""

    heading: str  # carrier and number, or the first line
    rows: tuple[TrackingRow, ...]
    flags: tuple[str, ...] = ()
    parsed: bool = True


def read_table(path: Path, item: Item | None) -> TrackingTable:
    """Parse the record, or fall back to its lines as pasted."""
    text = _read_text(path)
    try:
        from app.evidence.tracking import parse_tracking

        record = parse_tracking(text, reference_date=_reference_date(item))
    except Exception:  # noqa: BLE001 - a parser bug must not cost the user the exhibit
        log.warning(
            "tracking parser failed on %s; showing the lines as pasted", path.name, exc_info=True
        )
        return _raw_table(text)
    rows = []
    for event in record.events:
        kind = str(getattr(event.kind, "value", event.kind))
        when = short_time(event.time) if event.time else (event.time_text or "")
        rows.append(
            TrackingRow(
                when,
                KIND_ZH.get(kind, kind),
                event.description or event.raw_line,
                highlight=kind in {"signed", "refused", "returned"},
            )
        )
    number = record.tracking_number or ""
    carrier = record.carrier_name_zh or record.carrier_code or ""
    heading = " ".join(part for part in (carrier, number) if part) or "物流记录 Tracking record"
    return TrackingTable(heading, tuple(rows), tuple(flag.zh for flag in record.flags))


def key_events(path: Path, item: Item | None) -> list[tuple[CaptureTime, str]]:
    """(time, text) of the lines that matter on a chronology: pickup, station, signed, ..."""
    try:
        from app.evidence.tracking import parse_tracking

        record = parse_tracking(_read_text(path), reference_date=_reference_date(item))
    except Exception:  # noqa: BLE001 - the chronology simply goes without them
        log.info("no tracking events for the chronology from %s", path.name, exc_info=True)
        return []
    out = []
    for event in record.events:
        kind = str(getattr(event.kind, "value", event.kind))
        if event.time is not None and kind in _KEY_KINDS:
            out.append((event.time, f"{KIND_ZH.get(kind, kind)}：{event.description}"))
    return out


def _read_text(path: Path) -> str:
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES)
    try:
        from app.evidence.tracking import decode_text

        return decode_text(data)
    except Exception:  # noqa: BLE001
        return data.decode("utf-8", errors="replace")


def _reference_date(item: Item | None) -> date | None:
    """The day the text was copied: its file time or import time (for 今天/昨天 lines)."""
    if item is None:
        return None
    for value in (item.file_mtime, item.imported_at):
        if value:
            try:
                return datetime.fromisoformat(value).date()
            except ValueError:
                continue
    return None


def _raw_table(text: str) -> TrackingTable:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    rows = tuple(TrackingRow("", "", line) for line in lines)
    return TrackingTable(lines[0] if lines else "物流记录 Tracking record", rows, (), parsed=False)
