"""Continuity indicators of a packing video: label at the end, no jumps, recorded before pickup.

Each indicator says what was measured; none says the video was edited. Frame-time jumps can
come from a paused recording as well as from a cut, and a camera clock can be wrong.
"""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

from app.evidence.waybill import model as m
from app.evidence.waybill.model import Continuity, ScanFlag, ScanOptions, WaybillNumber
from app.evidence.waybill.planner import TimeLog

_GAP_MIN_MS = 1000.0
_GAP_FACTOR = 5.0
_ENDED_EARLY_MS = 2000.0
_HIDDEN_MS = 1000.0
_LONG_BEFORE_PICKUP_H = 48.0


def assess(
    *,
    options: ScanOptions,
    duration_ms: float | None,
    times: TimeLog,
    waybill: WaybillNumber | None,
    recording_start: datetime | None,
    pickup_time: datetime | None,
) -> tuple[Continuity, tuple[ScanFlag, ...]]:
    """Measure the indicators and the flags they raise."""
    flags: list[ScanFlag] = []
    scanned_to = times.last_ms
    duration = duration_ms or scanned_to
    window = int(max(options.near_end_ms, options.near_end_fraction * (duration or 0)))
    near_end: bool | None = None
    if waybill is not None and waybill.last_ms is not None and duration:
        near_end = waybill.last_ms >= duration - window
        if not near_end:
            flags.append(_flag_not_near_end(waybill, duration))
    if duration and scanned_to is not None and scanned_to < duration - _ENDED_EARLY_MS:
        flags.append(_flag_ended_early(scanned_to, duration))
    if duration_ms and scanned_to is not None and scanned_to > duration_ms + _HIDDEN_MS:
        flags.append(_flag_hidden(scanned_to, duration_ms))
    gaps, variable = _frame_timing(times)
    flags.extend(_flag_gap(at, gap) for at, gap in gaps)
    if variable:
        flags.append(
            ScanFlag(
                m.VARIABLE_FRAME_RATE,
                "info",
                "帧间隔不固定（手机录像常见，本身不代表剪辑）。",
                "Frame intervals vary (common for phones; not a sign of editing by itself).",
            )
        )
    end = (
        recording_start + timedelta(milliseconds=duration) if recording_start and duration else None
    )
    before: float | None = None
    if pickup_time is not None:
        if end is None:
            flags.append(
                ScanFlag(
                    m.NO_RECORDING_TIME,
                    "info",
                    "视频没有可信的拍摄时间，无法与揽收时间比较。",
                    "The video has no usable recording time to compare with the pickup scan.",
                )
            )
        else:
            before = round((pickup_time - end).total_seconds() / 60, 1)
            flags.extend(_pickup_flags(before))
    continuity = Continuity(
        duration_ms=int(duration) if duration else None,
        scanned_to_ms=int(scanned_to) if scanned_to is not None else None,
        first_seen_ms=waybill.first_ms if waybill else None,
        last_seen_ms=waybill.last_ms if waybill else None,
        near_end_window_ms=window,
        seen_near_end=near_end,
        timestamp_gaps=tuple(gaps),
        variable_frame_rate=variable,
        recording_start=recording_start,
        recording_end=end,
        pickup_time=pickup_time,
        minutes_before_pickup=before,
    )
    return continuity, tuple(flags)


def _frame_timing(times: TimeLog) -> tuple[list[tuple[int, int]], bool | None]:
    """Jumps in frame times (within runs the scan did not seek across) and variable rate."""
    gaps: list[tuple[int, int]] = []
    steps: list[float] = []
    for run in times.runs():
        steps.extend(b - a for a, b in zip(run, run[1:], strict=False) if b > a)
    if len(steps) < 2:
        return gaps, None
    typical = statistics.median(steps)
    limit = max(_GAP_MIN_MS, _GAP_FACTOR * typical)
    for run in times.runs():
        for a, b in zip(run, run[1:], strict=False):
            if b - a > limit:
                gaps.append((int(a), int(b - a)))
    regular = sorted(s for s in steps if s <= limit)
    variable = None
    if len(regular) >= 30:
        low, high = regular[len(regular) // 10], regular[len(regular) * 9 // 10]
        variable = low > 0 and high / low > 1.5
    return gaps, variable


def _flag_not_near_end(waybill: WaybillNumber, duration: float) -> ScanFlag:
    last = (waybill.last_ms or 0) / 1000
    total = duration / 1000
    return ScanFlag(
        m.NOT_SEEN_NEAR_END,
        "warning",
        f"面单号最后一次读到是在第 {last:.1f} 秒，视频到第 {total:.1f} 秒才结束："
        "最好在结尾再拍清面单（贴好面单后）。",
        f"The waybill was last read at {last:.1f} s of {total:.1f} s: the end of a packing video "
        "should show the applied label.",
        {"last_seen_ms": waybill.last_ms, "duration_ms": int(duration)},
    )


def _flag_ended_early(scanned_to: float, duration: float) -> ScanFlag:
    return ScanFlag(
        m.ENDED_EARLY,
        "warning",
        f"视频只能读到第 {scanned_to / 1000:.1f} 秒（应有 {duration / 1000:.1f} 秒）："
        "文件尾部可能损坏或没有写完。",
        f"Frames could be read only up to {scanned_to / 1000:.1f} s of {duration / 1000:.1f} s: "
        "the end of the file may be damaged or was never finished.",
        {"scanned_to_ms": int(scanned_to), "duration_ms": int(duration)},
    )


def _flag_hidden(scanned_to: float, duration: float) -> ScanFlag:
    held, plays = scanned_to / 1000, duration / 1000
    return ScanFlag(
        m.HIDDEN_FRAMES,
        "warning",
        f"文件里有约 {held:.1f} 秒的画面，播放时却只有 {plays:.1f} 秒：视频可能被不重新编码地剪短过"
        "（编辑列表）。这里的时间按文件内的画面时间计。",
        f"The file holds about {held:.1f} s of pictures but plays {plays:.1f} s: it was probably "
        "trimmed without re-encoding (an edit list). Times here are the file's picture times.",
        {"frames_to_ms": int(scanned_to), "duration_ms": int(duration)},
    )


def _flag_gap(at: int, gap: int) -> ScanFlag:
    return ScanFlag(
        m.TIMESTAMP_GAP,
        "warning",
        f"第 {at / 1000:.1f} 秒处画面时间跳过了 {gap / 1000:.1f} 秒（剪辑或暂停录制会这样）。",
        f"Frame times jump by {gap / 1000:.1f} s at {at / 1000:.1f} s (a cut or a paused recording "
        "does this).",
        {"at_ms": at, "gap_ms": gap},
    )


def _pickup_flags(before: float) -> list[ScanFlag]:
    if before < 0:
        return [
            ScanFlag(
                m.RECORDED_AFTER_PICKUP,
                "warning",
                f"视频结束时间比快递揽收晚 {-before:.0f} 分钟："
                "要么相机时间不准，要么视频不是揽收前拍的。",
                f"The recording ended {-before:.0f} min after the courier's pickup scan: "
                "either the camera clock is off or the video was not made before pickup.",
                {"minutes_before_pickup": before},
            )
        ]
    if before > _LONG_BEFORE_PICKUP_H * 60:
        return [
            ScanFlag(
                m.RECORDED_LONG_BEFORE_PICKUP,
                "info",
                f"视频比揽收早 {before / 60:.0f} 小时（一般在 48 小时内）。",
                f"The video was made {before / 60:.0f} h before pickup (usually within 48 h).",
                {"minutes_before_pickup": before},
            )
        ]
    return []
