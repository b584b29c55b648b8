"""Turn an item's stored metadata (`MediaMetadata.to_json()`) back into a `MediaMetadata`.

Items keep their reader metadata as JSON in the case. Checks of an imported item reuse it
instead of reading the file's headers again; a dict this module cannot rebuild (written by an
older reader, or hand-edited) gives None and the caller reads the vault original instead.
"""

from __future__ import annotations

import logging
from dataclasses import fields
from datetime import datetime
from typing import Any

from app.evidence.models import CaptureTime, GpsPosition, MediaMetadata, TimeSource

logger = logging.getLogger(__name__)

_TUPLE_FIELDS = {"png_chunks", "warnings"}
_REQUIRED = {"format", "mime", "raw"}


def metadata_from_json(data: dict[str, Any]) -> MediaMetadata | None:
    """Rebuild the dataclass; None when the dict does not look like a complete reader result."""
    if not isinstance(data, dict) or not data.keys() >= _REQUIRED:
        return None
    known = {f.name for f in fields(MediaMetadata)}
    try:
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        values["capture_time"] = _capture_time(data.get("capture_time"))
        values["gps"] = _gps(data.get("gps"))
        values["container_created_utc"] = _time(data.get("container_created_utc"))
        for name in _TUPLE_FIELDS:
            values[name] = tuple(data.get(name) or ())
        size = data.get("exif_thumbnail_size")
        values["exif_thumbnail_size"] = tuple(size) if size else None
        tables = data.get("quantization_tables")
        values["quantization_tables"] = tuple(tuple(t) for t in tables) if tables else None
        return MediaMetadata(**values)
    except (TypeError, ValueError, KeyError) as exc:
        logger.debug("stored metadata not reusable: %s", exc)
        return None


def _capture_time(data: Any) -> CaptureTime | None:
    if not isinstance(data, dict):
        return None
    return CaptureTime(
        local=datetime.fromisoformat(data["local"]),
        offset_minutes=data.get("offset_minutes"),
        source=TimeSource(data["source"]),
        confidence=data.get("confidence", "medium"),
        note=data.get("note", ""),
    )


def _gps(data: Any) -> GpsPosition | None:
    if not isinstance(data, dict):
        return None
    return GpsPosition(
        latitude=float(data["latitude"]),
        longitude=float(data["longitude"]),
        altitude_m=data.get("altitude_m"),
        utc_time=_time(data.get("utc_time")),
    )


def _time(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) and text else None
