"""What the archive view shows: search results with carrier and continuity, an order's detail.

The waybill scan of each file is stored as JSON at import; here it is read back into small
frozen dataclasses (sightings, reads with frame times, flags, continuity) and summed up as
one continuity verdict per file and per order:

    continuous   every packing video read its waybill and raised no warning
    attention    a warning to look at (label not seen near the end, a frame-time jump,
                 recorded after the pickup scan, two waybills, a read that disagrees ...)
    no_waybill   a video in which no waybill could be read
    ""           no video (photos only, or no files): nothing to say about continuity

A verdict never says "edited": it says whether the seller should look before relying on it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.evidence.archive import index
from app.evidence.archive.cases import case_folder
from app.evidence.archive.db import Archive
from app.evidence.archive.inbox import archived_file, order, order_files
from app.evidence.archive.model import ArchivedFile, Hit, Order

CONTINUOUS = "continuous"
ATTENTION = "attention"
NO_WAYBILL = "no_waybill"
NO_VIDEO = ""
_RANK = {NO_VIDEO: 0, CONTINUOUS: 1, ATTENTION: 2, NO_WAYBILL: 3}


@dataclass(frozen=True)
class Sighting:
    """A waybill-like number and the frames it was read in (times in ms of the video)."""

    number: str
    frames: int
    first_ms: int | None
    last_ms: int | None
    carrier: str | None


@dataclass(frozen=True)
class FrameRead:
    """One code read in one frame."""

    time_ms: int | None
    format: str
    text: str
    method: str


@dataclass(frozen=True)
class ScanNote:
    """A flag of the scan, in both languages."""

    code: str
    severity: str
    zh: str
    en: str


@dataclass(frozen=True)
class ContinuitySummary:
    """The packing-video indicators of one file (see waybill.Continuity)."""

    duration_ms: int | None
    scanned_to_ms: int | None
    first_seen_ms: int | None
    last_seen_ms: int | None
    seen_near_end: bool | None
    gaps: tuple[tuple[int, int], ...]
    variable_frame_rate: bool | None
    minutes_before_pickup: float | None


@dataclass(frozen=True)
class FileDetail:
    """One archived file with what its frames showed.

    Attributes:
        scanned: a waybill scan is stored (False for files that could not be read).
        verdict: continuous | attention | no_waybill | "" (see the module docstring).
    """

    file: ArchivedFile
    scanned: bool
    sightings: tuple[Sighting, ...]
    reads: tuple[FrameRead, ...]
    notes: tuple[ScanNote, ...]
    continuity: ContinuitySummary | None
    frames_sampled: int
    strategy: str
    verdict: str


@dataclass(frozen=True)
class OrderDetail:
    """An order, its files in detail, the order's verdict and whether its case exists."""

    order: Order
    files: tuple[FileDetail, ...]
    verdict: str
    case_exists: bool


@dataclass(frozen=True)
class SearchResult:
    """A search hit with what the results table shows beside it.

    Attributes:
        carrier: the carrier of the order (from the export) or guessed from a read waybill.
        verdict: the order's (or inbox file's) continuity verdict.
    """

    hit: Hit
    carrier: str | None
    verdict: str


def search_results(root: Path, query: str, limit: int = 200) -> list[SearchResult]:
    """Search like `find`, with each hit's carrier and continuity verdict.

    An empty query lists the newest orders and inbox files (what the view shows on opening).
    """
    with Archive.open(root, writable=False) as archive:
        hits = index.search(archive, query, limit) if query.strip() else _newest(archive, limit)
        return [_describe(archive, hit) for hit in hits]


def order_detail(root: Path, order_no: str) -> OrderDetail:
    """An order with every assigned file's reads, indicators and verdict.

    Raises:
        OrderNotFound: no such order.
    """
    with Archive.open(root, writable=False) as archive:
        found = order(archive, order_no)
        files = tuple(_file_detail(archive, f) for f in order_files(archive, order_no))
    folder = case_folder(root, found.order_no)
    return OrderDetail(
        found, files, worst(f.verdict for f in files), (folder / "case.sqlite").is_file()
    )


def file_detail(root: Path, file_id: int) -> FileDetail:
    """One file (an inbox file, say) with its reads, indicators and verdict.

    Raises:
        FileNotInArchive: no such file.
    """
    with Archive.open(root, writable=False) as archive:
        return _file_detail(archive, archived_file(archive, file_id))


def inbox_details(root: Path) -> list[FileDetail]:
    """The inbox (files that match no order yet, newest first), in detail."""
    with Archive.open(root, writable=False) as archive:
        ids = [
            r[0]
            for r in archive.conn.execute(
                "SELECT id FROM files WHERE order_id IS NULL ORDER BY id DESC"
            )
        ]
        return [_file_detail(archive, archived_file(archive, i)) for i in ids]


def worst(verdicts: Iterable[str]) -> str:
    """The verdict that needs most attention ("" when there is none)."""
    return max(verdicts, key=lambda v: _RANK.get(v, 0), default=NO_VIDEO)


def verdict_of(kind: str, scan: dict[str, Any] | None) -> str:
    """A file's continuity verdict from its stored scan."""
    if scan is None or scan.get("kind") != "video" or kind != "video":
        return NO_VIDEO
    if not scan.get("waybill"):
        return NO_WAYBILL
    if any(f.get("severity") in ("warning", "alert") for f in scan.get("flags", [])):
        return ATTENTION
    return CONTINUOUS


# -- reading back ---------------------------------------------------------------------------------


def _newest(archive: Archive, limit: int) -> list[Hit]:
    rows = [
        r[0]
        for r in archive.conn.execute(
            "SELECT rowid FROM search ORDER BY rowid DESC LIMIT ?", (limit,)
        )
    ]
    # rowid 2 x order id for orders, 2 x file id + 1 for inbox files: order by the real ids
    rows.sort(key=lambda rowid: (rowid % 2, -(rowid // 2)))
    return [index.hit(archive.conn, rowid, [], False) for rowid in rows]


def _describe(archive: Archive, hit: Hit) -> SearchResult:
    conn = archive.conn
    if hit.kind == "order" and hit.order_no is not None:
        row = conn.execute(
            "SELECT id, carrier FROM orders WHERE order_no = ?", (hit.order_no,)
        ).fetchone()
        files = conn.execute(
            "SELECT kind, carrier, scan_json FROM files WHERE order_id = ?", (row[0],)
        ).fetchall()
    else:
        files = conn.execute(
            "SELECT kind, carrier, scan_json FROM files WHERE id = ?", (hit.file_id,)
        ).fetchall()
        row = (None, None)
    carrier = row[1] or next((c for _, c, _ in files if c), None)
    verdict = worst(verdict_of(kind, _loads(text)) for kind, _, text in files)
    return SearchResult(hit, carrier, verdict)


def _loads(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _file_detail(archive: Archive, file: ArchivedFile) -> FileDetail:
    row = archive.conn.execute("SELECT scan_json FROM files WHERE id = ?", (file.id,)).fetchone()
    scan = _loads(row[0] if row else None)
    if scan is None:
        return FileDetail(file, False, (), (), (), None, 0, "", NO_VIDEO)
    sightings = tuple(
        Sighting(n["number"], n["frames"], n.get("first_ms"), n.get("last_ms"), n.get("carrier"))
        for n in scan.get("numbers", [])
    )
    reads = tuple(
        FrameRead(r.get("time_ms"), r.get("format", ""), r.get("text", ""), r.get("method", ""))
        for r in scan.get("reads", [])
    )
    notes = tuple(
        ScanNote(f["code"], f.get("severity", "info"), f.get("zh", ""), f.get("en", ""))
        for f in scan.get("flags", [])
    )
    c = scan.get("continuity")
    continuity = None
    if isinstance(c, dict):
        continuity = ContinuitySummary(
            c.get("duration_ms"),
            c.get("scanned_to_ms"),
            c.get("first_seen_ms"),
            c.get("last_seen_ms"),
            c.get("seen_near_end"),
            tuple((int(a), int(b)) for a, b in c.get("timestamp_gaps", [])),
            c.get("variable_frame_rate"),
            c.get("minutes_before_pickup"),
        )
    return FileDetail(
        file,
        True,
        sightings,
        reads,
        notes,
        continuity,
        int(scan.get("frames_sampled", 0)),
        str(scan.get("strategy", "")),
        verdict_of(file.kind, scan),
    )
