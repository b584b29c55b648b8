"""read_waybills: the waybill numbers a packing video or a waybill photo shows.

A video is never loaded whole: packets are demuxed as a stream and only the sampled pictures
are decoded (see keyframes.py and sequential.py), so a 4 GB video needs the memory of one
group of pictures. A damaged tail ends the scan where the frames stop, with a flag.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.evidence.errors import (
    Cancelled,
    DamagedFile,
    InputError,
    UnsupportedFormat,
)
from app.evidence.i18n import both
from app.evidence.models import MediaMetadata
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress
from app.evidence.waybill import capture, continuity
from app.evidence.waybill import model as m
from app.evidence.waybill.consensus import (
    ReadCollector,
    order_numbers_in,
    other_codes_in,
    summarise,
)
from app.evidence.waybill.decode import FrameDecoder
from app.evidence.waybill.files import check_file, photo_pixels, sniff_kind
from app.evidence.waybill.keyframes import Frames, KeyframeSource, NotAnnexB
from app.evidence.waybill.model import ScanFlag, ScanOptions, WaybillScan
from app.evidence.waybill.planner import Planner, TimeLog
from app.evidence.waybill.sequential import SequentialSource

log = logging.getLogger(__name__)

PHOTO_MAX_SIDE = 2000
PositionCallback = Callable[[float], None]


def read_waybills(
    path: Path,
    *,
    kind: str | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    options: ScanOptions | None = None,
    metadata: MediaMetadata | None = None,
    pickup_time: datetime | None = None,
) -> WaybillScan:
    """Read the barcodes and QR codes in a video's frames or a photo.

    Args:
        path: the video or photo.
        kind: "video" or "photo"; sniffed from the content when None.
        progress: called with stage "waybill", seconds done and total (videos).
        cancel: checked between frames and about once a second of video.
        options: sampling and decoding options.
        metadata: the file's metadata when already read (for the recording time and
            duration); read here when None.
        pickup_time: the courier's pickup scan (aware), to compare with the recording.

    Returns:
        The scan: reads with frame times, the consistent waybill and its carrier, flags
        (two waybills, a waybill read two ways, nothing read ...) and, for videos, the
        continuity indicators.

    Raises:
        InputError: EmptyFile, UnreadableFile, UnsupportedFormat or DamagedFile (nothing
            could be decoded at all).
        Cancelled: `cancel` was set.
    """
    options = options or ScanOptions()
    check_file(path)
    kind = kind or sniff_kind(path)
    try:
        if kind == "photo":
            return _scan_photo(path, options)
        if kind == "video":
            return _scan_video(path, options, progress, cancel, metadata, pickup_time)
    except (InputError, Cancelled):
        raise
    except Exception as exc:  # a bug or an unforeseen malformation: one bad file, not a crash
        log.warning("unexpected error scanning %s", path, exc_info=True)
        raise DamagedFile(
            both(
                "读取画面时出现意外错误：{error}",
                "unexpected error while reading the frames: {error}",
                error=exc,
            ),
            str(path),
        ) from exc
    raise UnsupportedFormat(
        both("无法在 {kind} 中找面单", "cannot look for waybills in a {kind}", kind=kind), str(path)
    )


def _scan_video(
    path: Path,
    options: ScanOptions,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    metadata: MediaMetadata | None,
    pickup_time: datetime | None,
) -> WaybillScan:
    if metadata is None:
        metadata = _video_metadata(path)
    rotation, declared = capture.orientation(path)
    duration = float(metadata.duration_ms) if metadata and metadata.duration_ms else declared
    total_s = int((duration or 0) / 1000)

    def on_position(t_ms: float) -> None:
        if cancel is not None:
            cancel.raise_if_cancelled()
        progress(Progress("waybill", min(int(t_ms / 1000), total_s), total_s, path.name))

    for strategy in ("keyframes", "sequential"):
        planner = Planner(options, duration)
        times = TimeLog()
        collector = ReadCollector()
        opened = _open_source(path, strategy, rotation, planner, times, on_position)
        if opened is None:
            continue
        video, source = opened
        try:
            with video:
                _run(
                    source.frames(),
                    FrameDecoder(options.formats, options.max_side, options.try_invert),
                    collector,
                    planner,
                    on_position,
                )
        except NotAnnexB:
            continue
        if collector.frames_sampled == 0 and strategy == "keyframes":
            continue  # packets could not be decoded from memory: decode the file itself
        return _video_scan(
            path, options, collector, planner, times, strategy, duration, metadata, pickup_time
        )
    raise DamagedFile(
        both("这个视频没有一帧能解码", "no frame of this video could be decoded"), str(path)
    )


def _open_source(
    path: Path,
    strategy: str,
    rotation: int,
    planner: Planner,
    times: TimeLog,
    on_position: PositionCallback,
) -> tuple[capture.OpenVideo, KeyframeSource | SequentialSource] | None:
    if strategy == "keyframes":
        raw = capture.open_raw(path)
        if raw is None:
            return None
        video, codec = raw
        return video, KeyframeSource(video.capture, codec, rotation, planner, times, on_position)
    decoded = capture.open_capture(path)
    if decoded is None:
        return None
    return decoded, SequentialSource(decoded.capture, planner, times, on_position)


def _run(
    frames: Frames,
    decoder: FrameDecoder,
    collector: ReadCollector,
    planner: Planner,
    on_position: PositionCallback,
) -> None:
    started = time.perf_counter()
    for t_ms, frame in frames:
        result = decoder.decode(frame)
        found = collector.add(t_ms, result)
        now = time.perf_counter()
        confirmed = collector.confirmed(planner.options.confirm_frames)
        # The cost since the last frame: demuxing, decoding and reading this one.
        rival = found and collector.rival_in(result)
        cost_ms = (now - started) * 1000
        planner.looked(t_ms, result.located_unread, found, confirmed, cost_ms, rival=rival)
        started = now
        on_position(t_ms)


def _video_scan(
    path: Path,
    options: ScanOptions,
    collector: ReadCollector,
    planner: Planner,
    times: TimeLog,
    strategy: str,
    duration: float | None,
    metadata: MediaMetadata | None,
    pickup_time: datetime | None,
) -> WaybillScan:
    numbers, confirmed, flags = summarise(
        collector, photo=False, confirm_frames=options.confirm_frames
    )
    start = metadata.capture_time.utc() if metadata and metadata.capture_time else None
    indicators, timing_flags = continuity.assess(
        options=options,
        duration_ms=duration,
        times=times,
        waybill=numbers[0] if numbers else None,
        recording_start=start,
        pickup_time=pickup_time,
    )
    return _scan(
        path,
        "video",
        collector,
        numbers,
        confirmed,
        flags + timing_flags,
        strategy,
        planner.stopped_early,
        indicators,
    )


def _scan_photo(path: Path, options: ScanOptions) -> WaybillScan:
    collector = ReadCollector()
    collector.add(
        None,
        FrameDecoder(options.formats, PHOTO_MAX_SIDE, options.try_invert).decode(
            photo_pixels(path)
        ),
    )
    numbers, confirmed, flags = summarise(collector, photo=True, confirm_frames=1)
    return _scan(path, "photo", collector, numbers, confirmed, flags, "photo", False, None)


def _scan(
    path: Path,
    kind: str,
    collector: ReadCollector,
    numbers: tuple[m.WaybillNumber, ...],
    confirmed: bool,
    flags: tuple[ScanFlag, ...],
    strategy: str,
    stopped_early: bool,
    indicators: m.Continuity | None,
) -> WaybillScan:
    reads = tuple(sorted(collector.reads, key=lambda r: -1 if r.time_ms is None else r.time_ms))
    orders = order_numbers_in(reads)
    if not numbers:
        flags = (_flag_nothing(kind, collector.frames_sampled), *flags)
    return WaybillScan(
        name=path.name,
        kind=kind,
        waybill=numbers[0].number if numbers else None,
        carrier=numbers[0].carrier if numbers else None,
        confirmed=confirmed,
        numbers=numbers,
        order_numbers=orders,
        other_codes=other_codes_in(reads, (n.number for n in numbers), orders),
        reads=reads,
        flags=flags,
        strategy=strategy,
        frames_sampled=collector.frames_sampled,
        stopped_early=stopped_early,
        continuity=indicators,
    )


def _flag_nothing(kind: str, frames: int) -> ScanFlag:
    where = "照片" if kind == "photo" else f"视频（看了 {frames} 帧）"
    return ScanFlag(
        m.NO_WAYBILL,
        "warning",
        f"{where}中没有读到面单号：请让面单条码在镜头前停留一两秒、对焦清晰、没有反光。",
        f"No waybill number could be read in the {kind}"
        + ("" if kind == "photo" else f" ({frames} frames looked at)")
        + ": hold the label's barcode in front of the camera for a second or two, in focus, "
        "without glare.",
        {"frames": frames},
    )


def _video_metadata(path: Path) -> MediaMetadata | None:
    from app.evidence.readers.video import read_video

    try:
        return read_video(path)
    except InputError as exc:
        log.info("no container metadata for %s: %s", path.name, exc)
        return None
