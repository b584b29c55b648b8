"""Shared benchmark plumbing: timing, memory, the results file, the corpus.

Every benchmark records its figures with `record(name, figures)`. A figure is a plain value
(its unit is read from its name: `_s` seconds, `_ms`, `_mb`, `files_per_s`, ...) or a `Figure`
that carries its unit and the baseline measured in the same run; bench/results/latest.json
keeps, for each, the value, the unit and, where there is a baseline, the baseline and the ratio.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results" / "latest.json"
_DEFAULT_CORPUS = BENCH_DIR.parent.parent / "shared" / "corpus"
CORPUS = Path(os.environ.get("EVIDENCE_CORPUS", _DEFAULT_CORPUS)).resolve()

# Parts of a figure's name -> its unit, checked in this order (names are the benchmarks' keys).
_UNITS_INSIDE: tuple[tuple[str, str], ...] = (
    ("files_per_s", "files/s"),
    ("lines_per_s", "lines/s"),
    ("items_per_s", "items/s"),
    ("mb_per_s", "MB/s"),
    ("_mb_", "MB"),
    ("_s_100k", "s"),
    ("ratio", "×"),
    ("_vs_", "×"),
)
_UNITS_AT_END: tuple[tuple[str, str], ...] = (
    ("_s_per_min", "s per min of video"),
    ("_s_per_exhibit", "s/exhibit"),
    ("_s_per_exhibit_largest", "s/exhibit"),
    ("_ms_per_item", "ms/item"),
    ("_ms_per_file", "ms/file"),
    ("_s_per_10s_720p_file", "s/file"),
    ("_s_per_10k_lines_small_run", "s"),
    ("_minutes_for_300_files", "min"),
    ("_ms", "ms"),
    ("_mb", "MB"),
    ("megabytes", "MB"),
    ("_bytes", "B"),
    ("_s", "s"),
    ("seconds", "s"),
)
_COUNTS = ("files", "items", "lines", "pages", "exhibits", "events", "queries", "rows", "photos")


@dataclass(frozen=True)
class Figure:
    """A measured value with its unit and, when one was measured in the same run, a baseline.

    The ratio is value / baseline: how many times the baseline's cost the measured work takes.
    """

    value: float | int
    unit: str
    baseline: float | int | None = None
    baseline_label: str | None = None

    def to_json(self) -> dict[str, Any]:
        """{"value", "unit"} plus {"baseline", "baseline_is", "ratio"} when there is a baseline."""
        out: dict[str, Any] = {"value": self.value, "unit": self.unit}
        if self.baseline is not None:
            out["baseline"] = self.baseline
            out["baseline_is"] = self.baseline_label
            out["ratio"] = round(self.value / self.baseline, 2) if self.baseline else None
        return out


def unit_of(name: str, value: Any) -> str:
    """The unit a figure's name implies ("" for text, flags and lists)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    lowered = name.lower()
    for part, unit in _UNITS_INSIDE:
        if part in lowered:
            return unit
    for ending, unit in _UNITS_AT_END:
        if lowered.endswith(ending):
            return unit
    if lowered.endswith(_COUNTS) or lowered.split("_")[-1] in _COUNTS:
        return "count"
    return ""


def structured(name: str, value: Any) -> Any:
    """A figure as stored in latest.json: {"value", "unit", ...}; dicts of figures recursively."""
    if isinstance(value, Figure):
        return value.to_json()
    if isinstance(value, dict):
        return {key: structured(key, inner) for key, inner in value.items()}
    return {"value": value, "unit": unit_of(name, value)}


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Median wall time of `repeat` runs (seconds) and the last result."""
    times: list[float] = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2], result


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    Linux: VmHWM, the high-water mark of this process's own memory. `ru_maxrss` would do
    elsewhere, but on Linux a process started by fork+exec inherits in it the parent's
    resident size at the fork, which made every size of a spawned benchmark report the
    parent's 958 MB.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, Any]:
    """What the figures were measured on (wall times move with the machine's load)."""
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def load_results() -> dict[str, Any]:
    """bench/results/latest.json, or an empty record."""
    if RESULTS.exists():
        try:
            data = json.loads(RESULTS.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
        except json.JSONDecodeError:
            pass
    return {}


def save_results(data: dict[str, Any]) -> None:
    """Write latest.json whole (write-then-rename: a killed run leaves the previous file)."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    temp = RESULTS.with_suffix(".json.tmp")
    temp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temp, RESULTS)


def record(name: str, figures: dict[str, Any]) -> None:
    """Merge one benchmark's figures into bench/results/latest.json and print them."""
    data = load_results()
    data.setdefault("machine", {}).update(machine())
    entries = {key: structured(key, value) for key, value in figures.items()}
    data[name] = {"at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **entries}
    save_results(data)
    width = max((len(k) for k in figures), default=0)
    print(f"== {name}")
    for key, value in figures.items():
        shown = value.to_json() if isinstance(value, Figure) else value
        print(f"  {key:<{width}}  {shown}")
