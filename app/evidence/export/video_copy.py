"""Video copies for upload packs: a clean remux when the original fits, a re-encode when not.

A platform's video slot takes one file under a size cap (Taobao: under 200 MB). The copy is made
with PyAV (FFmpeg libraries inside its wheel; OpenCV's FFmpeg cannot write H.264):

- The original fits the cap: its video and audio packets are copied into a new MP4 unchanged
  (a remux: same pictures, same sound, bit for bit). Only the two media streams travel; the
  container's tags (Android ©xyz, 3GPP loci, Apple's keys with the ISO6709 location, make, model,
  software, creation dates), timed metadata tracks (Apple's location track, GoPro GPS) and the
  muxer's own encoder tag (`fflags=bitexact`) do not. The rotation matrix stays, so the copy
  plays upright.
- It does not fit, or a region must be covered: it is re-encoded (H.264 + AAC in MP4) at a
  resolution and bit rate chosen from the cap, its duration and a safety margin, turned upright
  in the pixels, and checked against the cap afterwards (a second, leaner try if x264's rate
  control overshot). The page and the pack's description say it was re-encoded and why.

With `keep_tags` (the user opted in to keeping metadata for this export) the container's tags and
the streams' own tags travel into the copy, Apple's keys and the location included
(`movflags=use_metadata_tags` writes every key, not only those MP4 knows); timed metadata tracks
still do not.

The original is never touched: the manifest and the ZIP keep its bytes and SHA-256. Every copy is
written under a temporary name and renamed when complete; a cancel stops between frames.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import cast

import av

from app.evidence.errors import InputError
from app.evidence.export.atomic import atomic_file
from app.evidence.privacy.metadata import video_metadata_in
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress
from app.evidence.store.vault import hash_file

log = logging.getLogger(__name__)

BITEXACT = {"fflags": "+bitexact"}  # no "encoder: Lavf..." tag, no muxer-chosen ids or dates
KEEP_TAGS = {**BITEXACT, "movflags": "+use_metadata_tags"}
# what FFmpeg reads from the ftyp box, not tags: the muxer writes its own
_NOT_TAGS = {"major_brand", "minor_version", "compatible_brands"}
MARGIN = 0.88  # aim a re-encode at this share of the cap: x264's one-pass rate control drifts
RETRY_SHARE = 0.7  # a copy that still overshoots is encoded again at this share of the bit rate
MAX_FPS = 30  # a 60 fps phone video loses nothing a reviewer needs at 30
AUDIO_RATE = 96_000
LOW_AUDIO_RATE = 48_000  # when the cap is tight, the picture needs the bits more than the sound
# long edges tried from the largest down; each needs this many bits per pixel and frame to look
# clean with H.264 (MPEG-4 Part 2 needs about twice as many)
LADDER = (1920, 1280, 960, 854, 640, 480, 320)
MIN_BITS_PER_PIXEL = 0.05
MIN_VIDEO_RATE = 60_000  # below this even 320 px turns to mush: the video is left out instead
MAX_RATE = 12_000_000  # 1080p at 30 fps looks like the original at this rate; more is waste
SOURCE_SHARE = 1.3  # a re-encode may spend this much more than the original did, no more
PROGRESS_EVERY = 30  # frames between cancel checks and progress calls


class VideoCopyError(InputError):
    """No copy under the cap can be made (too long for the cap, or the video cannot be read)."""


@dataclass(frozen=True)
class VideoCopy:
    """One video copy in an upload pack.

    Attributes:
        method: "remux" (packets copied, tags left out) or "reencode".
        reason: why it was re-encoded, in plain words (zh, en); empty for a remux.
        sha256: of the copy (the manifest keeps the original's).
    """

    path: Path
    size: int
    method: str
    width: int
    height: int
    seconds: float
    sha256: str
    reason: tuple[str, str] = ("", "")
    tags_kept: bool = False

    @property
    def reencoded(self) -> bool:
        """True when the pictures were encoded again (not the original's)."""
        return self.method == "reencode"


@dataclass(frozen=True)
class EncodePlan:
    """How a re-encode is made: the picture size, frame rate and bit rates."""

    codec: str
    width: int
    height: int
    fps: Fraction
    video_rate: int
    audio_rate: int


@dataclass(frozen=True)
class _Probe:
    seconds: float
    width: int  # upright: after the rotation matrix
    height: int
    rotation: int  # degrees counter-clockwise, FFmpeg's sign (0, 90, 180, 270)
    fps: Fraction
    has_audio: bool


def video_encoder() -> str:
    """The H.264 encoder in this FFmpeg build, or MPEG-4 Part 2 when it has none.

    PyAV's wheels carry libx264; a build without it (a distribution's PyAV, or an FFmpeg built
    LGPL-only) still has FFmpeg's own mpeg4 encoder, which every platform player decodes.
    """
    for name in ("libx264", "h264", "mpeg4"):
        try:
            av.codec.Codec(name, "w")
        except (av.codec.codec.UnknownCodecError, ValueError):
            continue
        return name
    raise VideoCopyError("缺少视频编码器 / this FFmpeg build has no H.264 or MPEG-4 encoder", "")


def copy_video(
    src: Path,
    dest: Path,
    cap: int,
    *,
    boxes: tuple[tuple[int, int, int, int], ...] = (),
    keep_tags: bool = False,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> VideoCopy:
    """A copy of `src` at `dest` (MP4) under `cap` bytes, with no metadata tags.

    Args:
        boxes: regions to cover on every frame, in upright frame pixels (accepted redactions);
            any region forces a re-encode, since a remux cannot change a pixel.
        keep_tags: keep the original's container and stream tags (the user's opt-in).

    Raises:
        VideoCopyError: the video cannot be read, or no watchable copy fits the cap.
        Cancelled: the token was cancelled; nothing is left at `dest`.
    """
    cancel = cancel or CancelToken()
    try:
        probe = _probe(src)
    except (av.error.FFmpegError, IndexError, ZeroDivisionError) as exc:
        raise VideoCopyError(f"视频无法读取 / the video cannot be read: {exc}", str(src)) from exc
    reason = _reencode_reason(src, cap, boxes)
    if reason is None:
        try:
            with atomic_file(dest) as temp:
                _remux(src, temp, keep_tags)
                if temp.stat().st_size >= cap:
                    raise VideoCopyError("the remuxed copy is over the cap", str(src))
            return _result(dest, "remux", probe, ("", ""), keep_tags=keep_tags)
        except (av.error.FFmpegError, VideoCopyError) as exc:
            # e.g. PCM sound in a MOV, which MP4 cannot carry: encode instead
            log.info("%s: remux failed (%s); re-encoding", src.name, exc)
            reason = ("原视频无法直接转存为 MP4", "the original cannot be stored as MP4 unchanged")
    plan = plan_encode(probe, cap, video_encoder(), src.stat().st_size)
    with atomic_file(dest) as temp:
        _encode_checked(src, temp, plan, probe, boxes, progress, cancel, keep_tags)
        if temp.stat().st_size >= cap:
            leaner = EncodePlan(
                plan.codec,
                plan.width,
                plan.height,
                plan.fps,
                int(plan.video_rate * RETRY_SHARE),
                min(plan.audio_rate, LOW_AUDIO_RATE),
            )
            log.info("%s: over the %d-byte cap; encoding again leaner", src.name, cap)
            _encode_checked(src, temp, leaner, probe, boxes, progress, cancel, keep_tags)
        if temp.stat().st_size >= cap:
            got = short_size(temp.stat().st_size)
            raise VideoCopyError(
                f"重新编码后仍有 {got}，超过上限 {short_size(cap)} / "
                f"no copy under {short_size(cap)} could be made (got {got})",
                str(src),
            )
    return _result(dest, "reencode", probe, reason, plan, keep_tags=keep_tags)


def _encode_checked(
    src: Path,
    dest: Path,
    plan: EncodePlan,
    probe: _Probe,
    boxes: tuple[tuple[int, int, int, int], ...],
    progress: ProgressCallback,
    cancel: CancelToken,
    keep_tags: bool = False,
) -> None:
    """`_reencode`, with a decoder's or encoder's failure turned into a note for the page."""
    try:
        _reencode(src, dest, plan, probe, boxes, progress, cancel, keep_tags)
    except (av.error.FFmpegError, ValueError) as exc:
        raise VideoCopyError(f"重新编码失败 / re-encoding failed: {exc}", str(src)) from exc


def _reencode_reason(
    src: Path, cap: int, boxes: tuple[tuple[int, int, int, int], ...]
) -> tuple[str, str] | None:
    """Why the copy must be re-encoded, or None when a remux will do."""
    size = src.stat().st_size
    if boxes:
        return (
            f"为遮盖 {len(boxes)} 处隐私区域重新编码（每一帧都遮盖）",
            f"re-encoded to cover {len(boxes)} private region(s) on every frame",
        )
    if size >= cap:
        return (
            f"原视频 {short_size(size)} 超过平台上限 {short_size(cap)}，已重新编码压缩",
            f"re-encoded: the original ({short_size(size)}) is over the platform's "
            f"{short_size(cap)} cap",
        )
    return None


def short_size(size: int) -> str:
    """ "200 MB", "4.3 MB", "300 KB": decimal units, as the platforms state their caps."""
    if size >= 10_000_000:
        return f"{size / 1e6:.0f} MB"
    if size >= 1_000_000:
        return f"{size / 1e6:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


def plan_encode(probe: _Probe, cap: int, codec: str, source_bytes: int) -> EncodePlan:
    """The largest picture whose bits per pixel still look clean within the budget.

    The budget is the cap (with its margin), but never much more than the original spent: a
    video re-encoded only to cover a region must not come out ten times its size.

    Raises:
        VideoCopyError: even the smallest picture would need more bits than the cap allows.
    """
    seconds = max(probe.seconds, 0.5)
    fps = min(probe.fps, Fraction(MAX_FPS)) if probe.fps > 0 else Fraction(MAX_FPS)
    budget = min(cap * MARGIN, max(source_bytes * SOURCE_SHARE, 1_000_000))
    # ~2 % for the MP4 index and packet headers
    total = min(budget * 8 / seconds * 0.98, MAX_RATE + AUDIO_RATE)
    audio = 0
    if probe.has_audio:
        audio = AUDIO_RATE if total > 8 * AUDIO_RATE else LOW_AUDIO_RATE
    video = int(total - audio)
    if video < MIN_VIDEO_RATE:
        raise VideoCopyError(
            f"视频（{seconds:.0f} 秒）无法在 {short_size(cap)} 内保持可看的画质，请分段后上传 / "
            f"the video ({seconds:.0f} s) cannot fit {short_size(cap)} at a watchable quality; "
            "split it and upload the parts",
            "",
        )
    need = MIN_BITS_PER_PIXEL * (1 if codec != "mpeg4" else 2)
    # content the original already showed well at fewer bits (a still parcel on a table) keeps
    # its size: the copy never has fewer bits per pixel than the original had
    pixels = probe.width * probe.height * float(fps)
    need = min(need, source_bytes * 8 / seconds / pixels)
    long_edge = max(probe.width, probe.height)
    rungs = [r for r in LADDER if r <= long_edge] or [long_edge]
    for rung in rungs:
        width, height = _fit(probe.width, probe.height, rung)
        if video / (width * height * float(fps)) >= need or rung == rungs[-1]:
            return EncodePlan(codec, width, height, fps, video, audio)
    raise AssertionError("unreachable: the last rung is always taken")


def _fit(width: int, height: int, long_edge: int) -> tuple[int, int]:
    scale = min(1.0, long_edge / max(width, height))
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def _probe(src: Path) -> _Probe:
    with av.open(str(src)) as container:
        video = container.streams.video[0]
        rotation = 0
        for frame in container.decode(video):
            rotation = int(round(frame.rotation or 0)) % 360
            break
        ctx = video.codec_context
        width, height = (
            (ctx.height, ctx.width) if rotation in (90, 270) else (ctx.width, ctx.height)
        )
        seconds = _seconds(container, video)
        rate = video.average_rate or video.guessed_rate or Fraction(MAX_FPS)
        return _Probe(
            seconds, width, height, rotation, Fraction(rate), bool(container.streams.audio)
        )


def _seconds(container: av.container.InputContainer, video: av.video.stream.VideoStream) -> float:
    if video.duration and video.time_base:
        return float(video.duration * video.time_base)
    if container.duration:
        return container.duration / av.time_base
    return 0.0


def _remux(src: Path, dest: Path, keep_tags: bool = False) -> None:
    """Copy the first video and audio streams' packets into a new MP4; nothing else travels
    (but the tags, with `keep_tags`)."""
    options = KEEP_TAGS if keep_tags else BITEXACT
    with av.open(str(src)) as inp, av.open(str(dest), "w", format="mp4", options=options) as out:
        chosen = [inp.streams.video[0], *inp.streams.audio[:1]]
        if keep_tags:
            _copy_tags(inp, out)
        streams = {}
        for stream in chosen:
            copy = out.add_stream_from_template(stream)
            if not keep_tags:
                copy.metadata.clear()  # handler names, languages, per-track dates
            streams[stream.index] = copy
        for packet in inp.demux(*chosen):
            if packet.dts is None:  # the demuxer's flush packet
                continue
            packet.stream = streams[packet.stream.index]
            out.mux(packet)


def _reencode(
    src: Path,
    dest: Path,
    plan: EncodePlan,
    probe: _Probe,
    boxes: tuple[tuple[int, int, int, int], ...],
    progress: ProgressCallback,
    cancel: CancelToken,
    keep_tags: bool = False,
) -> None:
    """Decode, turn upright, cover, scale and encode as H.264 (or MPEG-4) + AAC in MP4."""
    options = KEEP_TAGS if keep_tags else BITEXACT
    with av.open(str(src)) as inp, av.open(str(dest), "w", format="mp4", options=options) as out:
        if keep_tags:
            _copy_tags(inp, out)
        vin = inp.streams.video[0]
        vin.thread_type = "AUTO"
        ain = inp.streams.audio[0] if plan.audio_rate and inp.streams.audio else None
        vout = cast(av.video.stream.VideoStream, out.add_stream(plan.codec, rate=plan.fps))
        vout.width, vout.height, vout.pix_fmt = plan.width, plan.height, "yuv420p"
        vout.codec_context.bit_rate = plan.video_rate
        # Phones record with a variable frame rate: keep each frame's own time (rounding it to
        # 1/30 s would give two frames one time, which the encoder refuses), unless the fps
        # filter below makes the rate constant anyway.
        resampled = probe.fps > plan.fps
        vout.codec_context.time_base = (
            1 / plan.fps if resampled or vin.time_base is None else vin.time_base
        )
        if plan.codec == "libx264":
            # Bounded peaks keep the size near the target. superfast: on this 2-core VM about
            # 1.5-2x the speed of veryfast at the same PSNR (32.97 vs 32.66 dB, 1080p at 7 Mb/s);
            # ultrafast is faster again but loses ~1 dB when the budget is tight.
            vout.options = {
                "preset": "superfast",
                "maxrate": str(int(plan.video_rate * 1.3)),
                "bufsize": str(int(plan.video_rate * 2)),
            }
        aout: av.audio.stream.AudioStream | None = None
        if ain is not None:
            rate = min(48_000, ain.codec_context.sample_rate or 48_000)
            aout = cast(av.audio.stream.AudioStream, out.add_stream("aac", rate=rate))
            aout.codec_context.bit_rate = plan.audio_rate
            aout.layout = "stereo" if ain.codec_context.layout.nb_channels > 1 else "mono"
        graph = _filters(vin, plan, probe, boxes)
        total = max(1, int(probe.seconds * float(probe.fps)))
        done = 0
        for frame in inp.decode(*(s for s in (vin, ain) if s is not None)):
            if isinstance(frame, av.AudioFrame):
                assert aout is not None
                for packet in aout.encode(frame):
                    out.mux(packet)
                continue
            if not isinstance(frame, av.VideoFrame):
                continue
            graph.push(frame)
            _drain(graph, vout, out)
            done += 1
            if done % PROGRESS_EVERY == 0:
                cancel.raise_if_cancelled()
                progress(Progress("export.video", min(done, total), total, src.name))
        graph.push(None)
        _drain(graph, vout, out)
        for packet in vout.encode():
            out.mux(packet)
        for packet in aout.encode() if aout is not None else ():
            out.mux(packet)


def _copy_tags(inp: av.container.InputContainer, out: av.container.OutputContainer) -> None:
    """The original's container tags onto the copy (the user chose to keep metadata)."""
    out.metadata.update({k: v for k, v in inp.metadata.items() if k not in _NOT_TAGS})


def _filters(
    vin: av.video.stream.VideoStream,
    plan: EncodePlan,
    probe: _Probe,
    boxes: tuple[tuple[int, int, int, int], ...],
) -> av.filter.Graph:
    """buffer -> upright -> covered regions -> frame rate -> scale -> yuv420p -> sink."""
    graph = av.filter.Graph()
    chain = [graph.add_buffer(template=vin)]
    turn = {90: ["transpose=cclock"], 180: ["hflip", "vflip"], 270: ["transpose=clock"]}
    steps = list(turn.get(probe.rotation, []))
    steps += [
        f"drawbox=x={x0}:y={y0}:w={x1 - x0}:h={y1 - y0}:color=black:t=fill"
        for x0, y0, x1, y1 in boxes
    ]
    if probe.fps > plan.fps:
        steps.append(f"fps={plan.fps.numerator}/{plan.fps.denominator}")
    steps += [f"scale={plan.width}:{plan.height}:flags=bicubic", "format=yuv420p"]
    for step in steps:
        name, _, args = step.partition("=")
        chain.append(graph.add(name, args or None))
    chain.append(graph.add("buffersink"))
    graph.link_nodes(*chain).configure()
    return graph


def _drain(
    graph: av.filter.Graph, vout: av.video.stream.VideoStream, out: av.container.OutputContainer
) -> None:
    while True:
        try:
            frame = graph.pull()
        except (av.error.BlockingIOError, av.error.EOFError):
            return
        assert isinstance(frame, av.VideoFrame)
        frame.pict_type = av.video.frame.PictureType.NONE  # let the encoder choose key frames
        for packet in vout.encode(frame):
            out.mux(packet)


def _result(
    dest: Path,
    method: str,
    probe: _Probe,
    reason: tuple[str, str],
    plan: EncodePlan | None = None,
    keep_tags: bool = False,
) -> VideoCopy:
    left = [] if keep_tags else video_metadata_in(dest)
    if left:  # defence in depth: a future FFmpeg that copies more must not ship a location
        dest.unlink(missing_ok=True)
        raise VideoCopyError(
            f"副本仍带有元数据 / the copy still carries {', '.join(left)} metadata", str(dest)
        )
    width, height = (plan.width, plan.height) if plan else (probe.width, probe.height)
    return VideoCopy(
        dest,
        dest.stat().st_size,
        method,
        width,
        height,
        probe.seconds,
        hash_file(dest),
        reason,
        tags_kept=keep_tags,
    )
