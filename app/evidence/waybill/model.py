"""Plain data for waybill scans: code reads, the consistent waybill, flags and continuity.

Everything is a frozen dataclass (no I/O, no Qt). `WaybillScan.to_json` is what goes into an
item's metadata under "waybill_scan"; its "waybills" list is what the dispute checklist's
`video_with_waybill` matcher looks for.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from typing import Any

Quad = tuple[tuple[int, int], ...]

# Flag codes, for the UI and tests.
MULTIPLE_WAYBILLS = "multiple_waybills"
INCONSISTENT_READ = "inconsistent_read"
UNCONFIRMED_READ = "unconfirmed_read"
NO_WAYBILL = "no_waybill"
NOT_SEEN_NEAR_END = "waybill_not_near_end"
ENDED_EARLY = "ended_early"
HIDDEN_FRAMES = "frames_beyond_duration"
TIMESTAMP_GAP = "timestamp_gap"
VARIABLE_FRAME_RATE = "variable_frame_rate"
RECORDED_AFTER_PICKUP = "recorded_after_pickup"
RECORDED_LONG_BEFORE_PICKUP = "recorded_long_before_pickup"
NO_RECORDING_TIME = "no_recording_time"


@dataclass(frozen=True)
class ScanOptions:
    """How hard to look. The defaults keep a 1080p minute of H.264 under ~1 s on a quiet
    2-core PC (HEVC, whose pictures cost about twice as much, under ~2 s).

    Attributes:
        sample_interval_ms: regular sampling step (500 ms = 2 frames a second). Where the
            video has keyframes this often or nearly (phones: one a second), only keyframes
            are decoded in the forward scan: they are cheap to get at.
        budget_s_per_minute: time the sampled frames of a minute of video may take; when
            frames cost more (HEVC, a slow PC), the step widens up to `max_sample_interval_ms`
            before the tail, and in the tail once the waybill is confirmed. The tail of a scan
            that has not confirmed the waybill yet comes on top (about 0.3 s for a minute of
            1080p HEVC), and so does confirming a waybill once read (the step is the regular
            one until it is), hence 0.6 for the 1 s target. None: always the regular step.
        confirm_frames: frames that must agree before the forward scan stops early.
        tail_ms: the end of the video is always looked at: the last max(tail_ms,
            tail_fraction x duration), because the label is put on last.
        burst_frames: extra frames looked at right after a frame where a barcode was
            located but not read (motion blur and glare pass in a few frames).
        burst_step_ms: spacing of those extra frames.
        max_sample_interval_ms: the widest step the budget may take.
        max_side: frames are shrunk by a whole factor to at most this long side for the
            first, whole-frame read (1080p -> 960x540; the localised retry uses full size).
        formats: zxing-cpp format names; each extra format costs time on every frame.
        try_invert: also look for light-on-dark codes in whole frames (a third slower).
        keyframe_batch: keyframes decoded together: a decoder's start-up costs about as much
            as decoding several pictures, so it is paid once per batch.
        max_gop_bytes: packets kept in memory per group of pictures, and for a batch's
            bursts (bounds memory whatever the file size).
        near_end_ms: the waybill counts as "seen near the end" when its last sighting is
            within max(near_end_ms, near_end_fraction x duration) of the end.
    """

    sample_interval_ms: int = 500
    budget_s_per_minute: float | None = 0.6
    max_sample_interval_ms: int = 3000
    confirm_frames: int = 3
    tail_ms: int = 6000
    tail_fraction: float = 0.1
    burst_frames: int = 4
    burst_step_ms: int = 100
    max_side: int = 1280
    formats: str = "Code128,Code39,QRCode"
    try_invert: bool = False
    keyframe_batch: int = 16
    max_gop_bytes: int = 64 * 1024 * 1024
    near_end_ms: int = 8000
    near_end_fraction: float = 0.2


@dataclass(frozen=True)
class CodeRead:
    """One barcode or QR code read in one frame.

    Attributes:
        time_ms: presentation time of the frame in the video; None for a photo.
        format: zxing-cpp's format name ("Code128", "QRCode", ...).
        text: the decoded text.
        position: the code's corners in the upright frame, in pixels of the frame as stored.
        method: "direct" (read from the whole frame) or "localised" (found by OpenCV,
            straightened, then read).
    """

    time_ms: int | None
    format: str
    text: str
    position: Quad
    method: str


@dataclass(frozen=True)
class WaybillNumber:
    """A waybill-like number with where it was seen and the carrier its shape suggests.

    Attributes:
        frames: how many looked-at frames it was read in.
        carrier: carrier code from the tracking carrier table ("SF", "ZTO", ...), or None.
        carrier_confidence: "likely", "possible" or "weak" (shapes overlap: the user confirms).
        other_carriers: other carriers whose number shape also fits.
    """

    number: str
    frames: int
    first_ms: int | None
    last_ms: int | None
    carrier: str | None
    carrier_confidence: str
    other_carriers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScanFlag:
    """Something about the scan the user should know, in plain words (never "fake")."""

    code: str
    severity: str  # info | warning | alert
    zh: str
    en: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Continuity:
    """Indicators that a packing video is one continuous take ending with the label.

    Frame times are the file's own picture times. A file trimmed without re-encoding (an edit
    list) plays a shorter window than the pictures it holds; times are then not playback times.

    Attributes:
        duration_ms: the container's duration (or the frames' when the container has none).
        scanned_to_ms: the last frame time that could be read (short of the duration when
            the tail is damaged, beyond it when frames are hidden by an edit list).
        seen_near_end: the waybill was read within `near_end_window_ms` of the end; None when
            no waybill was read.
        timestamp_gaps: (at_ms, gap_ms) where frame times jump (a cut or a paused recording).
        variable_frame_rate: frame intervals vary (normal for phones; noted for the examiner).
        recording_start / recording_end: from the file's creation time and duration (aware).
        pickup_time: the courier's pickup scan, when given.
        minutes_before_pickup: pickup minus recording end; negative when recorded after it.
    """

    duration_ms: int | None
    scanned_to_ms: int | None
    first_seen_ms: int | None
    last_seen_ms: int | None
    near_end_window_ms: int
    seen_near_end: bool | None
    timestamp_gaps: tuple[tuple[int, int], ...] = ()
    variable_frame_rate: bool | None = None
    recording_start: datetime | None = None
    recording_end: datetime | None = None
    pickup_time: datetime | None = None
    minutes_before_pickup: float | None = None


@dataclass(frozen=True)
class WaybillScan:
    """What the frames of one video (or one photo) showed.

    Attributes:
        kind: "video" or "photo".
        waybill: the consistent read (most frames; on a tie the one seen last), or None.
        confirmed: the waybill was read in at least `confirm_frames` frames (a photo: once).
        numbers: every waybill-like number, most frames first; misreads are left out.
        order_numbers: 16-20 digit codes that look like platform order numbers.
        other_codes: texts of codes that are neither (URLs in QR codes, product barcodes).
        reads: every read, in frame order.
        strategy: "keyframes", "sequential" or "photo".
        frames_sampled: frames decoded and looked at.
        stopped_early: the forward scan stopped once the waybill was confirmed (the end was
            still looked at).
    """

    name: str
    kind: str
    waybill: str | None
    carrier: str | None
    confirmed: bool
    numbers: tuple[WaybillNumber, ...]
    order_numbers: tuple[str, ...]
    other_codes: tuple[str, ...]
    reads: tuple[CodeRead, ...]
    flags: tuple[ScanFlag, ...]
    strategy: str
    frames_sampled: int
    stopped_early: bool
    continuity: Continuity | None = None

    @property
    def waybills(self) -> tuple[str, ...]:
        """The waybill numbers this file shows (the consistent one first)."""
        return tuple(n.number for n in self.numbers)

    def flag_codes(self) -> tuple[str, ...]:
        """The codes of the flags, in order."""
        return tuple(f.code for f in self.flags)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; "waybills" is the key the checklist matcher reads."""
        data = _jsonable(self)
        data["waybills"] = list(self.waybills)
        return data


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
    return str(value)
