"""Track-level MP4/QuickTime boxes for `mp4box`: tkhd, elst, mdhd, hdlr, stsd, stts, stss, stsz.

Every parser takes the box body (a memoryview, never copied) and tolerates short or garbled
bodies by returning what it could read.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

_MAX_STTS = 200_000
_MAX_EDITS = 64
_MAX_TRACK_DEPTH = 6
# Bytes per entry of the sample tables whose entry count comes first (after version/flags).
_ENTRY_SIZES = {b"stts": 8, b"ctts": 8, b"stss": 4, b"stsc": 12, b"stco": 4, b"co64": 8}
OVERSIZED_TABLE = "a sample table declares more entries than it holds"
"""The start of the problem reported for such a table (libmediainfo walks every declared entry:
one flipped byte in an stts or elst count kept it busy for 90 s; `read_video` refuses these)."""
_VISUAL = {"avc1", "avc3", "hvc1", "hev1", "mp4v", "jpeg", "ap4h", "apcn", "apch", "av01", "vp09"}

Buffer = bytes | memoryview
ChildrenFn = Callable[[Buffer, bytes], list[tuple[bytes, Buffer]]]


class _Problems(Protocol):
    def problem(self, text: str) -> None: ...


@dataclass(frozen=True)
class Mp4Edit:
    """One edit-list entry: show `duration` (movie time units) of media from `media_time`.

    `media_time` is in the track's media time units; -1 is an empty edit (a delay).
    """

    duration: int
    media_time: int
    rate: float


@dataclass(frozen=True)
class Mp4Track:
    """One track's timing, handler and sample description.

    Attributes:
        handler: "vide", "soun", "meta", ...; handler_name: its free-text name
            ("VideoHandler" is FFmpeg's default, "Core Media Video" Apple's).
        handler_vendor: QuickTime component manufacturer ("appl", "FFMP"), if any.
        tkhd_duration: in movie time units; media_timescale/media_duration from mdhd.
        edits: the edit list (elst) in order.
        codec: sample entry type ("avc1", "hvc1", "mp4a"); compressor: the compressor name
            a video sample entry carries ("Lavc libx264", "H.264", ...); vendor: its vendor.
        sample_count: from stsz; sync_samples: number of stss entries (None: all are sync).
        deltas: stts (count, delta) runs, at most 200 000; ctts: composition offsets present.
    """

    handler: str | None = None
    handler_name: str | None = None
    handler_vendor: str | None = None
    tkhd_duration: int | None = None
    media_timescale: int | None = None
    media_duration: int | None = None
    media_created: int = 0
    edits: tuple[Mp4Edit, ...] = ()
    codec: str | None = None
    compressor: str | None = None
    vendor: str | None = None
    sample_count: int | None = None
    sync_samples: int | None = None
    deltas: tuple[tuple[int, int], ...] = ()
    ctts: bool = False

    @property
    def media_seconds(self) -> float | None:
        """Duration of the media in the track, in seconds (mdhd)."""
        if self.media_timescale and self.media_duration is not None:
            return self.media_duration / self.media_timescale
        return None


def parse_track(body: Buffer, children: ChildrenFn, state: _Problems) -> Mp4Track | None:
    """Read one `trak` box body."""
    fields: dict[str, Any] = {}
    try:
        _track_boxes(body, b"trak", children, fields, state)
    except (struct.error, ValueError, IndexError) as exc:
        state.problem(f"a track header is damaged ({exc})")
    return Mp4Track(**fields) if fields else None


def _track_boxes(
    body: Buffer,
    parent: bytes,
    children: ChildrenFn,
    fields: dict[str, Any],
    state: _Problems,
    depth: int = 0,
) -> None:
    for kind, data in children(body, parent):
        _check_entry_count(kind, data, state)
        if kind in (b"edts", b"mdia", b"minf", b"stbl"):
            if depth >= _MAX_TRACK_DEPTH:  # trak/mdia/minf/stbl is 4 deep; more is malformed
                state.problem("the boxes are nested unusually deep; the innermost were skipped")
                continue
            _track_boxes(data, kind, children, fields, state, depth + 1)
        elif kind == b"tkhd":
            fmt, at = (">Q", 28) if data[0] == 1 else (">I", 20)
            fields["tkhd_duration"] = struct.unpack_from(fmt, data, at)[0]
        elif kind == b"elst":
            fields["edits"] = _elst(data)
        elif kind == b"mdhd":
            if data[0] == 1:
                created, _m, scale, duration = struct.unpack_from(">QQIQ", data, 4)
            else:
                created, _m, scale, duration = struct.unpack_from(">IIII", data, 4)
            fields.update(media_timescale=scale, media_duration=duration, media_created=created)
        elif kind == b"hdlr" and parent == b"mdia":
            fields.update(_hdlr(data))
        elif kind == b"stsd":
            fields.update(_stsd(data))
        elif kind == b"stts":
            count = min(struct.unpack_from(">I", data, 4)[0], _MAX_STTS, (len(data) - 8) // 8)
            if count == _MAX_STTS:
                state.problem("the frame timing table is very long; only its start was read")
            runs = struct.unpack_from(f">{2 * count}I", data, 8) if count > 0 else ()
            fields["deltas"] = tuple(zip(runs[0::2], runs[1::2], strict=True))
        elif kind == b"ctts":
            fields["ctts"] = True
        elif kind == b"stss":
            fields["sync_samples"] = struct.unpack_from(">I", data, 4)[0]
        elif kind == b"stsz":
            fields["sample_count"] = struct.unpack_from(">I", data, 8)[0]


def _check_entry_count(kind: bytes, data: Buffer, state: _Problems) -> None:
    size = _ENTRY_SIZES.get(kind) or ((20 if data[:1] == b"\x01" else 12) if kind == b"elst" else 0)
    if not size or len(data) < 8:
        return
    declared = struct.unpack_from(">I", data, 4)[0]
    if declared > (len(data) - 8) // size:
        state.problem(f"{OVERSIZED_TABLE} ('{kind.decode('latin-1')}': {declared:,})")


def _elst(data: Buffer) -> tuple[Mp4Edit, ...]:
    version = data[0]
    count = min(struct.unpack_from(">I", data, 4)[0], _MAX_EDITS)
    edits, pos = [], 8
    fmt, step = (">QqhH", 20) if version == 1 else (">IihH", 12)
    for _ in range(count):
        if pos + step > len(data):
            break
        duration, media_time, rate_int, rate_frac = struct.unpack_from(fmt, data, pos)
        edits.append(Mp4Edit(duration, media_time, rate_int + rate_frac / 65536))
        pos += step
    return tuple(edits)


def _hdlr(data: Buffer) -> dict[str, Any]:
    handler = bytes(data[8:12]).decode("latin-1")
    vendor = bytes(data[12:16]).strip(b"\x00").decode("latin-1") or None
    raw = bytes(data[24:280])
    if raw and (raw[0] == len(raw) - 1 or 0 < raw[0] < 32):
        name = raw[1 : 1 + raw[0]]  # QuickTime: a Pascal string (its length byte comes first)
    else:
        name = raw.split(b"\x00")[0]  # ISO: NUL-terminated UTF-8
    text = name.decode("utf-8", "replace").strip() or None
    return {"handler": handler, "handler_name": text, "handler_vendor": vendor}


def _stsd(data: Buffer) -> dict[str, Any]:
    if len(data) < 16:
        return {}
    codec = bytes(data[12:16]).decode("latin-1")
    entry = data[8:]
    out: dict[str, Any] = {"codec": codec}
    if len(entry) >= 82 and codec in _VISUAL:
        vendor = bytes(entry[20:24]).strip(b"\x00").decode("latin-1")
        length = min(entry[50], 31)
        compressor = bytes(entry[51 : 51 + length]).decode("latin-1", "replace").strip("\x00 ")
        out.update(vendor=vendor or None, compressor=compressor or None)
    return out


def text_value(body: Buffer) -> str | None:
    """A udta/ilst text item: an ilst 'data' box, or a QuickTime (size, language, text) string."""
    raw = bytes(body[:4096])
    if len(raw) >= 16 and raw[4:8] == b"data":
        size = struct.unpack_from(">I", raw)[0]
        kind = struct.unpack_from(">I", raw, 8)[0] & 0xFFFFFF
        value = raw[16:size] if 16 <= size <= len(raw) else raw[16:]
        if kind in (1, 4, 0):  # UTF-8, UTF-8 sort, reserved (seen for plain text)
            return value.decode("utf-8", "replace").strip("\x00 ")[:1024] or None
        if kind in (2, 5):
            return value.decode("utf-16-be", "replace").strip("\x00 ")[:1024] or None
        return None
    if len(raw) >= 4:
        length = struct.unpack_from(">H", raw)[0]
        text = raw[4 : 4 + length]
        if text and all(b >= 9 for b in text[:64]):
            return text.decode("utf-8", "replace").strip("\x00 ")[:1024] or None
    return None
