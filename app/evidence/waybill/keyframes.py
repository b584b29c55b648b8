"""Keyframe-first frames: demux without decoding, decode only the pictures the plan asks for.

Decoding every frame of a 1080p H.264 minute takes ~6 s on a 2-core PC; demuxing it takes
~0.07 s. So the video is read in OpenCV's raw mode (packets, not pictures): H.264 and HEVC
packets come out as Annex-B with their parameter sets, so a keyframe can be decoded on its
own from memory, and a group of pictures (keyframe + following packets) when the plan wants
frames between keyframes (long keyframe intervals, bursts, and the last pictures when the
tail's keyframes did not show the waybill: a whole group is the dearest step with HEVC).
Keyframes are decoded several at a time through one bare decoder (PyAV's codec context: no
container to open and probe): IDR pictures as they are, HEVC CRA pictures relabelled as BLA,
or their picture order counts make the decoder reorder them.

Memory stays bounded: one group of pictures (at most `max_gop_bytes`) plus a batch of
keyframes is held at a time, whatever the file size.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import av
import cv2
import numpy as np
from av.video.codeccontext import VideoCodecContext

from app.evidence.waybill.planner import Planner, TimeLog

log = logging.getLogger(__name__)

_START_CODES = (b"\x00\x00\x00\x01", b"\x00\x00\x01")
_LONG_GOP_MS = 1500.0
_FIRST_BATCH = 4
_ROTATIONS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}

Frames = Iterator[tuple[float, np.ndarray]]


class NotAnnexB(Exception):
    """The packets cannot be decoded on their own (not H.264/HEVC): use sequential decoding."""


@dataclass
class _Gop:
    """A keyframe and the packets that follow it, in decoding order."""

    key_ms: float
    packets: list[bytes]
    times: list[float]
    size: int
    complete: bool = True
    end_ms: float = field(default=0.0)
    optional: bool = False  # not due when it arrived: asked again when its batch decodes

    def keep_key_only(self) -> None:
        """Drop the packets after the keyframe (they are only needed for bursts)."""
        self.packets = self.packets[:1]
        self.times = self.times[:1]
        self.size = len(self.packets[0])
        self.complete = False

    def add(self, data: bytes, t_ms: float, limit: int) -> None:
        if not self.complete:
            return
        if self.size + len(data) > limit:
            self.complete = False  # keep the decodable prefix, drop the rest of this group
            return
        self.packets.append(data)
        self.times.append(t_ms)
        self.size += len(data)


def codec_of(fourcc: float) -> str | None:
    """The codec family, h264 or hevc, from OpenCV's FOURCC property (None for others)."""
    text = int(fourcc).to_bytes(4, "little").decode("latin-1").lower()
    if "264" in text or "avc" in text:
        return "h264"
    if "265" in text or "hev" in text or "hvc" in text:
        return "hevc"
    return None


_IDR = {"h264": {5}, "hevc": {19, 20}}
_HEVC_CRA, _HEVC_BLA_W_LP = 21, 16


def _nal_headers(packet: bytes) -> Iterator[int]:
    """Offsets of the NAL unit header bytes in an Annex-B packet."""
    start = 0
    while True:
        index = packet.find(b"\x00\x00\x01", start)
        if index < 0 or index + 3 >= len(packet):
            return
        yield index + 3
        start = index + 3


def _nal_type(header: int, codec: str) -> int:
    return header & 0x1F if codec == "h264" else (header >> 1) & 0x3F


def batchable(packet: bytes, codec: str) -> bool:
    """True when keyframes like this one can be decoded several in a row, in order.

    IDR pictures can; so can HEVC CRA pictures once turned into BLA (`as_fresh_start`).
    """
    wanted = _IDR[codec] | ({_HEVC_CRA} if codec == "hevc" else set())
    return any(_nal_type(packet[h], codec) in wanted for h in _nal_headers(packet))


def as_fresh_start(packet: bytes, codec: str) -> bytes:
    """An HEVC CRA keyframe relabelled as BLA (a splice point), else the packet unchanged.

    Decoded after other keyframes, a CRA picture continues their picture order count and
    a decoder may output it before them; a BLA picture starts afresh, which is what each
    keyframe of a batch is. Only the NAL unit type in the header byte changes.
    """
    if codec != "hevc":
        return packet
    data = bytearray(packet)
    for h in _nal_headers(packet):
        if _nal_type(data[h], codec) == _HEVC_CRA:
            data[h] = (_HEVC_BLA_W_LP << 1) | (data[h] & 0x81)
    return bytes(data)


class KeyframeSource:
    """Frames of an H.264/HEVC video, decoded from packets as the plan asks."""

    strategy = "keyframes"

    def __init__(
        self,
        capture: cv2.VideoCapture,
        codec: str,
        rotation: int,
        planner: Planner,
        times: TimeLog,
        on_position: Callable[[float], None],
    ) -> None:
        self._cap = capture
        self._codec = codec
        self._rotate = _ROTATIONS.get(rotation % 360)
        self._planner = planner
        self._times = times
        self._on_position = on_position
        self._batch_ok = True
        self._flushed = 0

    def frames(self) -> Frames:
        """Yield (time in ms, BGR frame) for every frame the plan wants, in time order."""
        options = self._planner.options
        gop: _Gop | None = None
        batch: list[_Gop] = []
        reported = float("-inf")
        first = True
        while self._cap.grab():
            t_ms = float(self._cap.get(cv2.CAP_PROP_POS_MSEC))
            self._times.add(t_ms)
            if t_ms - reported >= 1000:
                self._on_position(t_ms)
                reported = t_ms
            key = bool(self._cap.get(cv2.CAP_PROP_LRF_HAS_KEY_FRAME))
            if not key:
                if gop is None:
                    continue  # packets before the first keyframe cannot be decoded
                if self._planner.skipping(t_ms):
                    gop.complete = False  # confirmed: pictures between keyframes not needed
                    continue
            ok, packet = self._cap.retrieve()
            if not ok or packet is None:
                continue
            data = packet.tobytes()
            if first:
                if not data.startswith(_START_CODES):
                    raise NotAnnexB("packets are not Annex-B")
                first = False
            if key:
                if gop is not None:
                    gop.end_ms = t_ms
                    yield from self._complete(gop, batch, last=False)
                gop = _Gop(t_ms, [data], [t_ms], len(data))
                self._batch_ok = self._batch_ok and batchable(data, self._codec)
            elif gop is not None:
                gop.add(data, t_ms, options.max_gop_bytes)
        if gop is not None:
            gop.end_ms = self._times.last_ms or gop.key_ms
            yield from self._complete(gop, batch, last=True)
        yield from self._flush(batch)

    # -- groups of pictures ------------------------------------------------------------------

    def _complete(self, gop: _Gop, batch: list[_Gop], last: bool) -> Frames:
        planner = self._planner
        long_gop = gop.end_ms - gop.key_ms > max(
            _LONG_GOP_MS, 2 * planner.options.sample_interval_ms
        )
        key_due = planner.due(gop.key_ms)
        if long_gop and not planner.skipping(gop.end_ms) and len(gop.packets) > 1:
            yield from self._flush(batch)
            yield from self._decode_gop(
                gop, include_key=key_due, sample_inside=True, force_last=last
            )
            return
        if key_due or last:
            retained = sum(g.size for g in batch)
            if not last and retained + gop.size > planner.options.max_gop_bytes:
                gop.keep_key_only()  # no burst inside this group: memory stays bounded
            batch.append(gop)
            # A small first batch: the plan learns early what a frame costs (see the budget).
            size = planner.options.keyframe_batch if self._flushed else _FIRST_BATCH
            if last or not self._batch_ok or len(batch) >= size:
                yield from self._flush(batch)
        elif not planner.skipping(gop.key_ms):
            # Not due now, but a read earlier in the batch may bring the step back to the
            # regular one before the batch gets here (a label read once is confirmed in the
            # next keyframes): kept, keyframe only, and asked again when the batch decodes.
            gop.keep_key_only()
            gop.optional = True
            batch.append(gop)
            size = planner.options.keyframe_batch if self._flushed else _FIRST_BATCH
            if not self._batch_ok or len(batch) >= size:
                yield from self._flush(batch)
        if last and not planner.read_in_tail and len(gop.packets) > 1:
            # The last pictures are decoded (a whole group, the dearest step with HEVC) only
            # when the tail's keyframes did not show the waybill: the label may go on last.
            yield from self._decode_gop(gop, include_key=False, sample_inside=True, force_last=True)

    def _flush(self, batch: list[_Gop]) -> Frames:
        """Decode the batch's keyframes (together when they can be), then any bursts."""
        groups = list(batch)
        batch.clear()
        self._flushed += 1
        for gop, picture in self._decode_keys(groups):
            yield gop.key_ms, picture
            if self._planner.bursting and len(gop.packets) > 1:
                yield from self._decode_gop(
                    gop, include_key=False, sample_inside=False, force_last=False
                )

    def _decode_keys(self, groups: list[_Gop]) -> Iterator[tuple[_Gop, np.ndarray]]:
        """Each group's keyframe picture, decoded one at a time (bounded memory).

        IDR (and HEVC CRA) keyframes go through one decoder in a row, each a fresh start and
        numbered (the packet's pts), so every picture is matched to its own group even when
        one in the batch gives none. A picture the batch could not give is decoded on its own.
        """
        given: set[int] = set()
        if len(groups) > 1 and self._batch_ok:
            decoder = PacketDecoder(self._codec)
            try:
                for index, gop in enumerate(groups):
                    if self._planner.skipping(gop.key_ms):
                        break  # confirmed meanwhile: the rest of the batch is not needed
                    frames = []
                    if gop.optional and not self._planner.due_again(gop.key_ms):
                        given.add(index)  # still not wanted: not decoded
                    else:
                        key = as_fresh_start(gop.packets[0], self._codec)
                        frames = decoder.send_raw(key, index)
                    if index == len(groups) - 1:
                        frames += decoder.drain_raw()
                    for frame in frames:
                        number = frame.pts
                        if number is None or not 0 <= number < len(groups) or number in given:
                            continue
                        given.add(number)
                        yield groups[number], self._upright(PacketDecoder.picture(frame))
            finally:
                decoder.close()
            if len(given) < len(groups):
                log.debug("a batch of %d keyframes gave %d pictures", len(groups), len(given))
        for number, gop in enumerate(groups):
            if number in given or self._planner.skipping(gop.key_ms):
                continue
            if gop.optional and not self._planner.due_again(gop.key_ms):
                continue
            decoder = PacketDecoder(self._codec)
            try:
                pictures = decoder.send(gop.packets[0]) + decoder.drain()
            finally:
                decoder.close()
            if pictures:
                yield gop, self._upright(pictures[0])

    def _decode_gop(
        self, gop: _Gop, *, include_key: bool, sample_inside: bool, force_last: bool
    ) -> Frames:
        """Decode a group from its keyframe; convert only the frames the plan wants.

        Frame times are the group's packet times sorted (presentation order), leaving out
        leading pictures timed before the keyframe, which a decoder starting here drops.
        """
        times = sorted(t for t in gop.times if t >= gop.key_ms)
        decoder = PacketDecoder(self._codec)
        index = 0
        try:
            packets = iter(gop.packets)
            while index < len(times):
                if not sample_inside and not self._planner.bursting:
                    return
                packet = next(packets, None)
                frames = decoder.send_raw(packet) if packet is not None else decoder.drain_raw()
                for frame in frames:
                    if index >= len(times) or (not sample_inside and not self._planner.bursting):
                        return
                    t_ms = times[index]
                    final = force_last and index == len(times) - 1 and gop.complete
                    # The keyframe was booked (or refused) when the group completed.
                    wanted = include_key if index == 0 else self._planner.due(t_ms) or final
                    index += 1
                    if wanted:
                        yield t_ms, self._upright(PacketDecoder.picture(frame))
                if packet is None:
                    return  # drained: the decoder gave every picture it could
        finally:
            decoder.close()

    def _upright(self, picture: np.ndarray) -> np.ndarray:
        return cv2.rotate(picture, self._rotate) if self._rotate is not None else picture


class PacketDecoder:
    """Annex-B packets decoded from memory by FFmpeg through PyAV: no container to probe.

    Opening a video from memory made FFmpeg probe it, decoding its first pictures once more
    to learn the stream (about as dear as four 1080p keyframes); a bare decoder needs nothing
    but the parameter sets the packets carry. A packet the decoder refuses gives no picture.
    """

    def __init__(self, codec: str) -> None:
        context = av.CodecContext.create(codec, "r")
        assert isinstance(context, VideoCodecContext)
        self._context: VideoCodecContext | None = context
        # Slice threads only: frame threads would hand pictures back a few packets late, and
        # whether a kept keyframe is decoded depends on what the pictures before it showed.
        context.thread_type = "SLICE"

    @staticmethod
    def picture(frame: av.VideoFrame) -> np.ndarray:
        """A decoded frame as a BGR picture, as OpenCV gives them."""
        return frame.to_ndarray(format="bgr24")

    def send(self, packet: bytes) -> list[np.ndarray]:
        """Decode one packet; the pictures it completes (frame threads give them later)."""
        return [self.picture(f) for f in self.send_raw(packet)]

    def drain(self) -> list[np.ndarray]:
        """The pictures still inside the decoder."""
        return [self.picture(f) for f in self.drain_raw()]

    def send_raw(self, packet: bytes, number: int | None = None) -> list[av.VideoFrame]:
        """Decode one packet without converting what comes out.

        Args:
            number: given as the packet's pts, it comes back as the picture's pts.
        """
        if self._context is None:
            return []
        data = av.Packet(packet)
        if number is not None:
            data.pts = number
        try:
            return list(self._context.decode(data))
        except (av.FFmpegError, ValueError) as exc:
            log.debug("a packet could not be decoded: %s", exc)
            return []

    def drain_raw(self) -> list[av.VideoFrame]:
        """Flush the decoder without converting what comes out."""
        if self._context is None:
            return []
        try:
            return list(self._context.decode(None))
        except (av.FFmpegError, ValueError) as exc:
            log.debug("the decoder could not be flushed: %s", exc)
            return []

    def close(self) -> None:
        """Let the decoder go (freed at once: a scan makes many, and frames hold memory).

        It is drained first: freeing a decoder whose frame threads still hold pictures waits
        for them forever (they need the interpreter lock that the freeing holds).
        """
        if self._context is not None:
            self.drain_raw()
        self._context = None
