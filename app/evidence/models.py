"""Plain data exchanged between the core, the CLI and the GUI.

Everything here is a frozen dataclass or an enum: no I/O, no Qt. Times follow one rule:
a wall-clock time is kept together with the UTC offset it was recorded with, and an unknown
offset stays unknown (``offset_minutes is None``) instead of being taken for UTC.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cached_property
from typing import Any


# not StrEnum: str() of a (str, Enum) member is 'ItemKind.PHOTO', StrEnum's is 'photo'
class ItemKind(str, enum.Enum):  # noqa: UP042 - keeps str()/format() output unchanged
    """What an imported file is, sniffed from its content (the user may correct it)."""

    PHOTO = "photo"
    VIDEO = "video"
    SCREENSHOT = "screenshot"
    TRACKING = "tracking"
    DOCUMENT = "document"


class Severity(enum.StrEnum):
    """How much an integrity finding weighs; checks/verdict.py maps severities to a verdict."""

    OK = "ok"  # positive evidence of a camera origin
    INFO = "info"  # context only: never changes a verdict
    WARNING = "warning"  # this file is not the camera's own file (copy, re-save, stripped)
    ALERT = "alert"  # the content or its metadata was changed after capture


class Verdict(enum.StrEnum):
    """One integrity verdict per file (ARCHITECTURE.md, "Integrity verdicts")."""

    CAMERA_ORIGINAL = "camera_original"
    RECOMPRESSED = "recompressed"
    EDITED = "edited"
    UNKNOWN = "unknown"
    UNREADABLE = "unreadable"


class TimeSource(str, enum.Enum):  # noqa: UP042 - as ItemKind: str()/format() unchanged
    """Where a capture or event time came from, strongest first."""

    EXIF = "exif"  # DateTimeOriginal (+ OffsetTimeOriginal / GPS time when present)
    QUICKTIME = "quicktime"  # com.apple.quicktime.creationdate, carries its own offset
    CONTAINER = "container"  # mvhd/tkhd creation time of an MP4/MOV (UTC)
    XMP = "xmp"  # xmp:CreateDate / photoshop:DateCreated
    PNG_TEXT = "png_text"  # a PNG tEXt/iTXt creation time
    OCR = "ocr"  # read from a screenshot
    TRACKING = "tracking"  # a courier tracking line
    MANUAL = "manual"  # set by the user, with a reason
    FILE_TIME = "file_time"  # the file system's modification time: weakest


@dataclass(frozen=True)
class CaptureTime:
    """A best-known time with where it came from.

    Attributes:
        local: the wall-clock time as recorded (naive datetime).
        offset_minutes: UTC offset in minutes the time was recorded with; None when unknown.
        source: where the time came from.
        confidence: "high", "medium" or "low".
        note: why this confidence, in plain words (e.g. "no time zone in the file").
    """

    local: datetime
    offset_minutes: int | None
    source: TimeSource
    confidence: str = "medium"
    note: str = ""

    @property
    def offset_known(self) -> bool:
        """True when the UTC offset is known."""
        return self.offset_minutes is not None

    def aware(self) -> datetime | None:
        """The time as an aware datetime, or None when the offset is unknown."""
        if self.offset_minutes is None:
            return None
        return self.local.replace(tzinfo=timezone(timedelta(minutes=self.offset_minutes)))

    def utc(self) -> datetime | None:
        """The instant in UTC, or None when the offset is unknown."""
        aware = self.aware()
        return aware.astimezone(UTC) if aware else None

    def isoformat(self) -> str:
        """ISO 8601: with the offset when known, without it (local, offset unknown) otherwise."""
        aware = self.aware()
        return (aware or self.local).isoformat()

    @classmethod
    def from_aware(
        cls, moment: datetime, source: TimeSource, confidence: str = "medium", note: str = ""
    ) -> CaptureTime:
        """Build from an aware datetime, keeping the offset it carries."""
        offset = moment.utcoffset()
        if offset is None:
            raise ValueError("from_aware needs an aware datetime")
        return cls(
            local=moment.replace(tzinfo=None),
            offset_minutes=int(offset.total_seconds() // 60),
            source=source,
            confidence=confidence,
            note=note,
        )


@dataclass(frozen=True)
class GpsPosition:
    """A position from EXIF GPS or a video's ISO 6709 string (WGS 84 degrees)."""

    latitude: float
    longitude: float
    altitude_m: float | None = None
    utc_time: datetime | None = None  # EXIF GPSDateStamp + GPSTimeStamp, aware (UTC)


@dataclass(frozen=True)
class MediaMetadata:
    """What a reader found in a photo, screenshot or video, read in-process.

    Fields that do not apply to a kind stay None. `raw` keeps every tag the reader saw, as text,
    so later checks and the expert view can show what is not modelled here.
    """

    # "jpeg", "png", "heif", "webp", "gif", "tiff", "bmp", "mp4", "mov", "3gp", "avi", "mkv",
    # "pdf", "text"
    format: str
    mime: str
    width: int | None = None  # pixels as stored (before orientation)
    height: int | None = None
    # camera / EXIF
    make: str | None = None
    model: str | None = None
    software: str | None = None
    orientation: int | None = None  # EXIF 1..8
    datetime_original: str | None = None  # raw EXIF strings, as written
    datetime_digitized: str | None = None
    datetime_modified: str | None = None
    offset_time_original: str | None = None  # "+03:00"
    subsec_original: str | None = None
    exif_width: int | None = None  # PixelXDimension
    exif_height: int | None = None  # PixelYDimension
    has_exif: bool = False
    has_exif_thumbnail: bool = False
    exif_thumbnail_size: tuple[int, int] | None = None
    gps: GpsPosition | None = None
    xmp: str | None = None  # the XMP packet as text
    icc_profile: str | None = None  # ICC profile description
    quantization_tables: tuple[tuple[int, ...], ...] | None = (
        None  # JPEG, each 64 values in zigzag order as stored
    )
    jpeg_comment: str | None = None
    png_text: dict[str, str] = field(default_factory=dict)  # tEXt/iTXt/zTXt chunks
    png_chunks: tuple[str, ...] = ()  # chunk types in file order
    # video
    duration_ms: int | None = None
    video_codec: str | None = None
    rotation: int | None = (
        None  # degrees clockwise to display upright (exiftool/mediainfo convention)
    )
    frame_rate: float | None = None
    encoder: str | None = None  # writing application / encoder tag (e.g. "Lavf59.27.100")
    writing_library: str | None = None  # bitstream encoder (e.g. "x264 - core 164")
    container_created_utc: datetime | None = None  # aware UTC; None when missing or 1904-01-01/0
    quicktime_keys: dict[str, str] = field(
        default_factory=dict
    )  # com.apple.quicktime.* and mdta keys
    android_keys: dict[str, str] = field(default_factory=dict)  # com.android.*
    # all formats
    capture_time: CaptureTime | None = None
    raw: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # what the reader could not parse, in plain words

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (datetimes as ISO 8601, enums as values)."""
        # Field by field rather than dataclasses.asdict: asdict deep-copies every raw tag value,
        # which made this the slowest step of an import.
        return {f.name: _jsonable(getattr(self, f.name)) for f in fields(self)}


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


@dataclass(frozen=True)
class CaseInfo:
    """What the case is about, as entered when it was created."""

    title: str
    order_no: str | None
    dispute: str | None
    role: str  # "buyer" or "seller"
    timezone: str  # IANA name used to show local times, default Asia/Shanghai
    created_at: str  # UTC ISO 8601


@dataclass(frozen=True)
class Item:
    """One imported original in a case.

    Attributes:
        id: stable number inside the case.
        sha256: hex digest of the original bytes; the same bytes are the same item.
        vault_path: the byte-exact copy, relative to the case folder (originals/ab/<sha256>.<ext>).
        kind_source: "sniffed" or "user" (corrected by hand).
        file_mtime: the source file's modification time as found at import (UTC ISO 8601).
        metadata: the reader's MediaMetadata as JSON-ready dict (parsed from metadata_json on
            first use: listing a large case should not parse every file's tags).
        read_error: why the reader could not read the file, when it could not (the bytes are kept).
    """

    id: int
    sha256: str
    size: int
    kind: ItemKind
    kind_source: str
    format: str
    vault_path: str
    original_name: str
    imported_at: str
    file_mtime: str | None
    capture_time: CaptureTime | None
    metadata_json: str
    read_error: str | None
    note: str = ""

    @cached_property
    def metadata(self) -> dict[str, Any]:
        """The reader's metadata (see the class docstring)."""
        value = json.loads(self.metadata_json or "{}")
        return value if isinstance(value, dict) else {}
