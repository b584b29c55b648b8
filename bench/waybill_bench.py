"""Waybill read of a 1-minute 1080p packing video (issue 20: at most 1 s on a quiet machine).

The clips are made here by ffmpeg, as in the archive benchmark (bench/archive_bench.py
`make_1080p`: 60 s of 1080p30 noisy cardboard at 12 Mb/s, a keyframe a second, a Code128
label): with the label from 20 s (the scan confirms it and jumps to the tail) and with the label
only in the last 8 s (every keyframe before it is a candidate). WAYBILL_BENCH_HEVC=1 adds the
same two in HEVC (x265's open groups of pictures, as iPhones record; encoding them takes
minutes on 2 cores).

Figures per clip: the median wall time of 3 scans, the least CPU time of them (all threads:
steadier than wall time on a shared machine), the frames looked at and the waybill read. The
baseline, measured in the same run on the same clip, is ffmpeg itself decoding every keyframe
with two threads (no barcode reading at all): the ratio says how the scan compares with merely
looking at every keyframe once. The scan's step adapts to what frames cost in wall time, so on
a loaded machine it looks at fewer frames; the load average is recorded with the figures.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.archive_bench import ffmpeg_keyframes_s, make_1080p
from bench.common import Figure, record

WAYBILL = "SF1234567890123"
TARGET_S = 1.0


@dataclass(frozen=True)
class Scanned:
    """What `repeat` scans of one clip took and read."""

    wall_s: float  # median
    cpu_s: float  # least
    frames_looked_at: int
    waybill_ok: bool


def scan(clip: Path, repeat: int = 3) -> Scanned:
    """Scan a clip `repeat` times: median wall, least CPU, what was read."""
    from app.evidence.waybill import read_waybills

    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = read_waybills(clip)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    assert result is not None
    return Scanned(
        round(statistics.median(walls), 2),
        round(min(cpus), 2),
        result.frames_sampled,
        result.waybill == WAYBILL and result.confirmed,
    )


def run() -> dict[str, object]:
    """Make the clips, scan them and record the figures."""
    if shutil.which("ffmpeg") is None:
        record("waybill", {"skipped": "ffmpeg not installed"})
        return {"skipped": "ffmpeg not installed"}
    cases = [("label_from_20s", 20.0, "libx264"), ("label_at_end", 52.0, "libx264")]
    if os.environ.get("WAYBILL_BENCH_HEVC"):
        cases += [("hevc_label_from_20s", 20.0, "libx265"), ("hevc_label_at_end", 52.0, "libx265")]
    figures: dict[str, object] = {"load_average_1min_before": round(os.getloadavg()[0], 2)}
    with tempfile.TemporaryDirectory() as tmp:
        for name, label_from, codec in cases:
            clip = make_1080p(Path(tmp), f"{name}.mov", label_from, codec)
            found = scan(clip)
            baseline = ffmpeg_keyframes_s(clip)
            figures[f"1080p_60s_{name}_s"] = Figure(
                found.wall_s,
                "s",
                round(baseline, 2),
                "ffmpeg decoding every keyframe of the same clip, same run",
            )
            figures[f"1080p_60s_{name}_cpu_s"] = found.cpu_s
            figures[f"1080p_60s_{name}_frames_looked_at"] = found.frames_looked_at
            figures[f"1080p_60s_{name}_waybill_ok"] = found.waybill_ok
            figures[f"1080p_60s_{name}_target_ok"] = found.wall_s <= TARGET_S
            clip.unlink()
    figures["load_average_1min_after"] = round(os.getloadavg()[0], 2)
    record("waybill", figures)
    return figures


if __name__ == "__main__":
    run()
