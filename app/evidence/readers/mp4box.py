"""A bounded MP4/QuickTime box walker for the facts integrity checks need.

libmediainfo (readers/video.py) reads most container metadata; this walker adds what it does not
expose in a stable way: movie/track/media durations and times, edit lists, frame timing (stts),
sample-entry compressor names and vendors, handler names, `udta`/`ilst` tags (©too, ©swr, ...),
mdta keys (com.apple.quicktime.*, LvMetaInfo, ...) and embedded XMP.

Bounds: top-level boxes are visited by seeking (the media data is never read); `moov` is read
only when it is smaller than `MAX_MOOV`; nesting stops at `_MAX_DEPTH`; a box that claims more
bytes than its parent (or the file) holds is clamped and reported. Nothing raises on bad input:
`Mp4Structure.problems` says, in plain words, what could not be walked.
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from app.evidence.readers.mp4parts import Buffer, Mp4Track, parse_track, text_value

logger = logging.getLogger(__name__)

MAX_MOOV = 64 * 1024 * 1024
_MAX_TOP_BOXES = 10_000
_MAX_DEPTH = 12
_MAX_TAGS = 200
_MAX_XMP = 1_000_000
_XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")
_EPOCH_1904 = datetime(1904, 1, 1, tzinfo=UTC)
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"udta", b"dinf", b"ilst"}


@dataclass(frozen=True)
class Mp4Structure:
    """What the box walk found.

    Attributes:
        top_level: top-level box types in file order (at most 64).
        brands: (major brand, minor version, compatible brands).
        movie_timescale, movie_duration: from `mvhd` (duration in movie time units).
        created, modified: `mvhd` times as aware UTC datetimes; None when zero or missing.
        tracks: one entry per `trak`.
        tags: `udta` and `ilst` text tags by four-character code ("©too", "©swr", "©cmt").
        keys: mdta key -> value ("com.apple.quicktime.creationdate", "LvMetaInfo").
        xmp: an embedded XMP packet (uuid box or udta XMP_), bounded.
        problems: what could not be walked.
    """

    top_level: tuple[str, ...] = ()
    brands: tuple[str, int, tuple[str, ...]] | None = None
    movie_timescale: int | None = None
    movie_duration: int | None = None
    created: datetime | None = None
    modified: datetime | None = None
    tracks: tuple[Mp4Track, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    xmp: str | None = None
    problems: tuple[str, ...] = ()

    @property
    def movie_seconds(self) -> float | None:
        """The movie duration in seconds (mvhd)."""
        if self.movie_timescale and self.movie_duration is not None:
            return self.movie_duration / self.movie_timescale
        return None

    def video_track(self) -> Mp4Track | None:
        """The first video track."""
        return next((t for t in self.tracks if t.handler == "vide"), None)


def box_name(kind: bytes) -> str:
    """A box type for messages: its four characters when printable, else hex."""
    text = kind.decode("latin-1")
    return text if all(32 <= ord(c) < 127 or c == "\xa9" for c in text) else kind.hex()


def mac_time(seconds: int) -> datetime | None:
    """Seconds since 1904-01-01 UTC as an aware datetime; None for 0 (not set)."""
    if seconds <= 0:
        return None
    try:
        return _EPOCH_1904 + timedelta(seconds=seconds)
    except OverflowError:
        return None


def read_mp4_structure(path: Path) -> Mp4Structure:
    """Walk an MP4/MOV/3GP file's boxes (bounded; never raises)."""
    try:
        with path.open("rb") as fh:
            return _walk_file(fh)
    except OSError as exc:
        return Mp4Structure(problems=(f"the file could not be read: {exc.strerror or exc}",))


class _State:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.tags: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.key_names: list[str] = []
        self.tracks: list[Mp4Track] = []
        self.xmp: str | None = None
        self.mvhd: tuple[int, int, int, int] | None = None

    def problem(self, text: str) -> None:
        if text not in self.problems and len(self.problems) < 20:
            self.problems.append(text)


def _walk_file(fh: BinaryIO) -> Mp4Structure:
    size = fh.seek(0, 2)
    pos, brands = 0, None
    top: list[str] = []
    state = _State()
    while pos + 8 <= size and len(top) < _MAX_TOP_BOXES:
        fh.seek(pos)
        head = fh.read(16)
        box_size, kind = struct.unpack_from(">I4s", head)
        header = 8
        if box_size == 1 and len(head) >= 16:
            box_size, header = struct.unpack_from(">Q", head, 8)[0], 16
        elif box_size == 0:
            box_size = size - pos
        name = box_name(kind)
        if box_size < header:
            state.problem(f"the box '{name}' at byte {pos} declares an impossible size")
            break
        if len(top) < 64:
            top.append(name)
        if pos + box_size > size:
            state.problem(f"the box '{name}' claims more bytes than the file holds (cut short?)")
            box_size = size - pos
        body_len = box_size - header
        if kind == b"ftyp":
            brands = _brands(fh.read(min(body_len, 4096)) if fh.seek(pos + header) >= 0 else b"")
        elif kind == b"moov":
            if body_len > MAX_MOOV:
                state.problem("the movie header (moov) is unusually large; it was not read")
            else:
                fh.seek(pos + header)
                _children(memoryview(fh.read(body_len)), 0, b"moov", 1, state)
        elif kind == b"uuid" and state.xmp is None and body_len <= _MAX_XMP + 16:
            fh.seek(pos + header)
            data = fh.read(body_len)
            if data[:16] == _XMP_UUID:
                state.xmp = data[16:].decode("utf-8", "replace")[:_MAX_XMP]
        pos += box_size
    if not any(t == "moov" for t in top):
        state.problem("no movie header (moov) was found")
    timescale, duration, created, modified = state.mvhd or (None, None, 0, 0)
    return Mp4Structure(
        top_level=tuple(top),
        brands=brands,
        movie_timescale=timescale,
        movie_duration=duration,
        created=mac_time(created),
        modified=mac_time(modified),
        tracks=tuple(state.tracks),
        tags=state.tags,
        keys=state.keys,
        xmp=state.xmp,
        problems=tuple(state.problems),
    )


def _brands(data: bytes) -> tuple[str, int, tuple[str, ...]] | None:
    if len(data) < 8:
        return None
    major, minor = struct.unpack_from(">4sI", data)
    compat = tuple(data[i : i + 4].decode("latin-1") for i in range(8, len(data) - 3, 4))
    return major.decode("latin-1"), minor, compat[:32]


def _boxes(data: Buffer, start: int, parent: bytes, state: _State) -> list[tuple[bytes, Buffer]]:
    """Split `data[start:]` into (type, body) pairs, clamping boxes that overrun the parent."""
    out: list[tuple[bytes, Buffer]] = []
    pos = start
    while pos + 8 <= len(data) and len(out) < 10_000:
        box_size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if box_size == 1 and pos + 16 <= len(data):
            box_size, header = struct.unpack_from(">Q", data, pos + 8)[0], 16
        elif box_size == 0:
            box_size = len(data) - pos
        if box_size < header:
            state.problem(f"a box inside '{box_name(parent)}' has an impossible size")
            break
        if pos + box_size > len(data):
            state.problem(f"the box '{box_name(kind)}' claims more bytes than its container holds")
            box_size = len(data) - pos
        out.append((bytes(kind), data[pos + header : pos + box_size]))
        pos += box_size
    return out


def _children(data: Buffer, start: int, parent: bytes, depth: int, state: _State) -> None:
    if depth > _MAX_DEPTH:
        state.problem("the boxes are nested unusually deep; the innermost were skipped")
        return
    for kind, body in _boxes(data, start, parent, state):
        if kind == b"mvhd" and parent == b"moov":
            state.mvhd = _mvhd(body)
        elif kind == b"trak":
            track = parse_track(body, lambda b, k: _children_of(b, k, depth + 1, state), state)
            if track is not None:
                state.tracks.append(track)
        elif kind == b"meta":
            # ISO meta is a full box (4 bytes of version/flags); QuickTime meta is not.
            offset = 0 if bytes(body[4:8]) == b"hdlr" else 4
            _children(body, offset, b"meta", depth + 1, state)
        elif kind == b"keys":
            _keys(body, state)
        elif kind == b"ilst":
            _ilst(body, state)
        elif kind == b"XMP_" and state.xmp is None:
            state.xmp = bytes(body[:_MAX_XMP]).decode("utf-8", "replace")
        elif kind in _CONTAINERS:
            _children(body, 0, kind, depth + 1, state)
        elif parent == b"udta" and kind[:1] == b"\xa9" and len(state.tags) < _MAX_TAGS:
            value = text_value(body)
            if value is not None:
                state.tags.setdefault(kind.decode("latin-1"), value)


def _children_of(
    data: Buffer, kind: bytes, depth: int, state: _State
) -> list[tuple[bytes, Buffer]]:
    if depth > _MAX_DEPTH:
        state.problem("the boxes are nested unusually deep; the innermost were skipped")
        return []
    return _boxes(data, 0, kind, state)


def _mvhd(body: Buffer) -> tuple[int, int, int, int] | None:
    try:
        if bytes(body[:1]) == b"\x01":
            created, modified, timescale, duration = struct.unpack_from(">QQIQ", body, 4)
        else:
            created, modified, timescale, duration = struct.unpack_from(">IIII", body, 4)
    except struct.error:
        return None
    return timescale, duration, created, modified


def _keys(body: Buffer, state: _State) -> None:
    if len(body) < 8:
        return
    count = min(struct.unpack_from(">I", body, 4)[0], _MAX_TAGS)
    pos = 8
    for _ in range(count):
        if pos + 8 > len(body):
            break
        size = struct.unpack_from(">I", body, pos)[0]
        if size < 8:
            break
        state.key_names.append(bytes(body[pos + 8 : pos + size]).decode("utf-8", "replace"))
        pos += size


def _ilst(body: Buffer, state: _State) -> None:
    for kind, item in _boxes(body, 0, b"ilst", state):
        if len(state.tags) + len(state.keys) >= _MAX_TAGS:
            break
        index = struct.unpack(">I", kind)[0]
        value = text_value(item)
        if value is None:
            continue
        if 1 <= index <= len(state.key_names):
            state.keys.setdefault(state.key_names[index - 1], value)
        else:
            state.tags.setdefault(kind.decode("latin-1"), value)
