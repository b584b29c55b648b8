"""Shared benchmark plumbing: timing, the results file, the corpus."""

from __future__ import annotations

import json
import os
import platform
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results" / "latest.json"
CORPUS = Path(os.environ.get("EVIDENCE_CORPUS", BENCH_DIR.parent.parent / "shared" / "corpus")).resolve()


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
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def record(name: str, figures: dict[str, Any]) -> None:
    """Merge one benchmark's figures into bench/results/latest.json and print them."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {}
    if RESULTS.exists():
        try:
            data = json.loads(RESULTS.read_text())
        except json.JSONDecodeError:
            data = {}
    data.setdefault("machine", {}).update(
        {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}
    )
    data[name] = {"at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **figures}
    RESULTS.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    width = max(len(k) for k in figures)
    print(f"== {name}")
    for key, value in figures.items():
        print(f"  {key:<{width}}  {value}")
