"""Courier tracking records as table rows, through the tracking parser when it can read them.

The parser (app.evidence.tracking) is used defensively: if it is missing or fails on a text,
the record is shown line by line as pasted, so nothing the user supplied is dropped from the
bundle.

What is printed is bounded: a courier record has tens of lines, so at most MAX_PRINTED_ROWS rows
are printed (a last row says how many lines were left out and that the full text is the
original in the ZIP), and a line longer than MAX_ROW_CHARS (tracking text pasted without line
breaks) is printed as several rows by `printed_rows`, so no table cell is ever taller than a
page. The split is made when drawing, after private details were masked in whole lines.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from app.evidence.export.wording import PDF_LANGUAGE, short_time
from app.evidence.locale_format import format_datetime
from app.evidence.models import CaptureTime, Item
from app.evidence.timeline.clock import recorded_detail, shown_time

log = logging.getLogger(__name__)

MAX_BYTES = 2_000_000  # a pasted record is a few KB; more is not a tracking text
MAX_PRINTED_ROWS = 300
"""Lines of one record printed in the PDF and the upload pack (about 8 PDF pages)."""
MAX_ROW_CHARS = 400
"""Characters of one printed row; a longer line continues on the next rows."""
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
    total_lines: int = 0
    """Lines the record has; more than len(rows) - 1 when the print was capped."""
    omitted_lines: int = 0
    """Lines left out of the print (the last row says so)."""


def read_table(path: Path, item: Item | None, zone_name: str | None = None) -> TrackingTable:
    """Parse the record, or fall back to its lines as pasted.

    Args:
        zone_name: the case's zone: each line's time is shown on the one clock, with the
            recorded wall clock beside it when the courier recorded another offset.
    """
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
        when = _row_time(event.time, zone_name) if event.time else (event.time_text or "")
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
    return _capped(TrackingTable(heading, tuple(rows), tuple(flag.zh for flag in record.flags)))


def _row_time(time: CaptureTime, zone_name: str | None) -> str:
    """The line's time in the case's zone (the page names the zone once); a courier that
    recorded another offset keeps its wall clock beside it as a detail."""
    shown = shown_time(time, zone_name)
    if shown is None:
        return short_time(time)  # out of range: as recorded, never fatal
    text = format_datetime(shown.local.replace(tzinfo=None), language=PDF_LANGUAGE)
    if shown.recorded is not None:
        text += f"（{recorded_detail(shown, language='zh')}）"
    return text


def _capped(table: TrackingTable) -> TrackingTable:
    """At most MAX_PRINTED_ROWS lines, and a last row saying what was left out."""
    total = len(table.rows)
    if total <= MAX_PRINTED_ROWS:
        return replace(table, total_lines=total)
    omitted = total - MAX_PRINTED_ROWS
    note = TrackingRow(
        "",
        "…",
        f"余下 {omitted:,} 行未打印（共 {total:,} 行），完整文字见 ZIP 中的原件。"
        f"{omitted:,} more lines not printed ({total:,} in all); "
        "the full text is the original in the ZIP.",
    )
    return replace(
        table,
        rows=(*table.rows[:MAX_PRINTED_ROWS], note),
        total_lines=total,
        omitted_lines=omitted,
    )


def printed_rows(rows: Sequence[TrackingRow], limit: int = MAX_ROW_CHARS) -> list[TrackingRow]:
    """The rows as printed: a line longer than `limit` continues on rows of its own.

    Call it on rows whose private details are already masked (masking sees whole lines).
    """
    out: list[TrackingRow] = []
    for row in rows:
        if len(row.text) <= limit:
            out.append(row)
            continue
        for n, piece in enumerate(split_long_text(row.text, limit)):
            out.append(
                TrackingRow(
                    row.time if n == 0 else "",
                    row.status if n == 0 else "（续）",
                    piece,
                    highlight=row.highlight and n == 0,
                )
            )
    return out


CHRONOLOGY_CHARS = 300
"""Characters of one chronology line; the exhibit page prints the whole line."""


def clip_text(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with a note of how many were left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（另 {len(text) - limit:,} 字 / {len(text) - limit:,} more characters）"


_BREAK_AFTER = "；。，、！？;,.!? \t）)】]"


def split_long_text(text: str, limit: int = MAX_ROW_CHARS) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut after punctuation or a space when
    one is in the last fifth of a piece."""
    pieces = []
    while len(text) > limit:
        cut = max((text.rfind(ch, limit - limit // 5, limit) for ch in _BREAK_AFTER), default=-1)
        cut = cut + 1 if cut > 0 else limit
        pieces.append(text[:cut])
        text = text[cut:]
    if text:
        pieces.append(text)
    return pieces


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
    heading = split_long_text(lines[0], 120)[0] if lines else "物流记录 Tracking record"
    return _capped(TrackingTable(heading, rows, (), parsed=False))
