"""Building real SQLite cases for timeline and dispute tests."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.evidence.models import CaptureTime, ItemKind, TimeSource
from app.evidence.store.case import Case, NewItem
from app.evidence.timeline import record_tracking
from app.evidence.tracking.model import EventKind, TrackingEvent, TrackingRecord

# 2025-06-14 12:00 in Shanghai
NOW = datetime(2025, 6, 14, 4, 0, tzinfo=UTC)


def new_case(
    tmp_path: Path, *, dispute: str | None = None, role: str = "buyer", name: str = "c"
) -> Case:
    """A fresh case with a fixed clock."""
    return Case.create(
        tmp_path / name,
        "测试案件",
        order_no="2025061200001",
        dispute=dispute,
        role=role,
        clock=lambda: NOW,
    )


def ct(
    text: str,
    offset: int | None = 480,
    source: TimeSource = TimeSource.EXIF,
    confidence: str = "high",
) -> CaptureTime:
    """A capture time from "2025-06-12 20:05[:ss]"."""
    return CaptureTime(datetime.fromisoformat(text), offset, source, confidence)


def add(
    case: Case,
    name: str,
    kind: ItemKind,
    when: str | None = None,
    *,
    offset: int | None = 480,
    source: TimeSource = TimeSource.EXIF,
    confidence: str = "high",
    metadata: dict[str, Any] | None = None,
) -> int:
    """Record an item without a file (the timeline never reads the bytes)."""
    digest = hashlib.sha256(f"{case.root}/{name}".encode()).hexdigest()
    capture = ct(when, offset, source, confidence) if when else None
    fmt = {ItemKind.VIDEO: "mp4", ItemKind.TRACKING: "text", ItemKind.DOCUMENT: "pdf"}.get(
        kind, "jpeg"
    )
    return case.add_item(
        NewItem(
            digest,
            100,
            kind,
            "sniffed",
            fmt,
            f"originals/{digest[:2]}/{digest}.{fmt}",
            name,
            None,
            capture,
            metadata or {},
            None,
        )
    )


def record(
    lines: Sequence[tuple[EventKind, str | None, str]],
    number: str | None = "SF1234567890123",
    offset: int = 480,
) -> TrackingRecord:
    """A parsed tracking record: (kind, "2025-06-11 17:48:45" or None, text) per line."""
    events = tuple(
        TrackingEvent(
            line_no=i,
            raw_line=f"{when or ''}  {text}".strip(),
            kind=kind,
            time=ct(when, offset, TimeSource.TRACKING) if when else None,
            time_text=when,
            description=text,
        )
        for i, (kind, when, text) in enumerate(lines, start=1)
    )
    return TrackingRecord(
        carrier_code="SF", tracking_number=number, events=events, utc_offset_minutes=offset
    )


def add_tracking(
    case: Case,
    lines: Sequence[tuple[EventKind, str | None, str]],
    name: str = "tracking.txt",
    number: str | None = "SF1234567890123",
) -> int:
    """A tracking item and its events."""
    item_id = add(case, name, ItemKind.TRACKING)
    record_tracking(case, item_id, record(lines, number))
    return item_id


STANDARD_TRACKING = [
    (EventKind.PICKUP, "2025-06-09 18:42:11", "顺丰速运 已收取快件"),
    (EventKind.TRANSIT, "2025-06-09 20:05:37", "快件已发往【杭州余杭集散中心】"),
    (EventKind.STATION_DROPOFF, "2025-06-10 09:15:30", "快件已由【文三路丰巢柜】代收，请及时取件"),
    (EventKind.SIGNED, "2025-06-11 21:40:05", "您的快件已签收，签收人在【文三路丰巢柜】领取"),
]
