"""Export speed and memory: cases of 10, 100 (and optionally 500) photo exhibits.

Each case holds distinct copies of the corpus phone originals (a counter appended after the image
data keeps every file distinct and still valid). Every size runs in a fresh process, so its peak
RSS is its own: flat memory means the peak hardly moves from 10 to 100 to 500 exhibits.
Figures per size: seconds for the PDF alone and per exhibit, pages, PDF size, peak RSS; for the
largest size also the full export (PDF + taobao-seller-api pack + ZIP).

Run with EXPORT_BENCH_500=1 to add the 500-exhibit case (about 3 minutes on 2 cores), and with
EXPORT_BENCH_COMPARE=1 to export each case a second time with the page pictures made on threads
in the exporting process instead of the picture workers (same run: the ratios say what the
worker processes change). The CPU figures count the worker processes' CPU too, and the memory
figures their peaks.
Targets: time linear in the exhibit count, peak < 400 MB (issue 6); at most 0.15 s per photo
exhibit (issue 20). The baseline of the seconds per exhibit, measured in the same process on the
same case right before the export, is reading and SHA-256-hashing the originals (the export
re-hashes every one): the ratio is the steadier figure on a shared machine.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from bench.common import CORPUS, Figure, peak_rss_mb, record

JPEGS = ["iphone_6.jpg", "hmd_nokia_8.3_5g.jpg", "jolla.jpg"]
HEIC = "iphone_13_pro_max.heic"
TARGET_S_PER_EXHIBIT = 0.15
TARGET_PEAK_MB = 400


def make_inputs(folder: Path, count: int, heic_every: int = 10) -> list[Path]:
    """`count` distinct phone photos: the JPEG originals in turn, every tenth one the HEIC."""
    data = {name: (CORPUS / "photos" / "originals" / name).read_bytes() for name in [*JPEGS, HEIC]}
    paths = []
    for n in range(count):
        name = HEIC if heic_every and n % heic_every == heic_every - 1 else JPEGS[n % len(JPEGS)]
        path = folder / f"IMG_{n:05}.{name.rsplit('.', 1)[1]}"
        path.write_bytes(data[name] + n.to_bytes(4, "big"))
        paths.append(path)
    return paths


def _child_pids() -> list[int]:
    pids: list[int] = []
    for task in Path("/proc/self/task").glob("*/children"):
        with contextlib.suppress(OSError, ValueError):
            pids += [int(pid) for pid in task.read_text().split()]
    return pids


def _children_cpu() -> float:
    """CPU seconds of this process's child processes and theirs: the ended ones this process
    waited for (spawned workers), and each running child's own and its ended children's (a
    fork server's workers are its children, not this process's; Linux /proc)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    tick = os.sysconf("SC_CLK_TCK")
    for pid in _child_pids():
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            # after the name: utime, stime, cutime, cstime are fields 14-17 (11-14 here)
            total += sum(int(value) for value in fields[11:15]) / tick
    return total


def _vm_hwm_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class WorkerPeak:
    """Samples the peak resident memory (VmHWM) of this process's children while it runs
    (Linux): the export's picture workers. `largest_mb` is the largest one's, `sum_mb` the sum
    of each child's peak (an upper bound of what they held at once)."""

    def __init__(self, every_s: float = 0.1) -> None:
        self.every_s = every_s
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @property
    def largest_mb(self) -> float:
        return max(self.peaks.values(), default=0.0)

    @property
    def sum_mb(self) -> float:
        return sum(self.peaks.values())

    def _descendants(self) -> list[int]:
        """Children and their children (a fork server's workers)."""
        found: list[int] = []
        for pid in _child_pids():
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                with contextlib.suppress(OSError, ValueError):
                    found += [int(child) for child in task.read_text().split()]
        return found

    def _sample(self) -> None:
        while not self._stop.wait(self.every_s):
            for pid in self._descendants():
                self.peaks[pid] = max(self.peaks.get(pid, 0.0), _vm_hwm_mb(pid))

    def __enter__(self) -> WorkerPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure(count: int, full: bool, processes: bool | None = None) -> dict[str, Any]:
    """Build a case of `count` photos and export it (runs in its own process).

    Args:
        processes: the export's `processes` (None: the picture pool when the case is large
            enough, False: the pictures on threads in the exporting process).
    """
    from app.evidence.export import export_case
    from app.evidence.export.picture_pool import POOL_MIN_PICTURES
    from app.evidence.ingest.importer import import_files
    from app.evidence.store.case import Case

    def clock() -> datetime:
        return datetime(2025, 6, 14, 3, 0, tzinfo=UTC)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        paths = make_inputs(root / "in", count)
        with Case.create(root / "case", "bench 举证") as case:
            import_files(case, paths)
        rss_before = peak_rss_mb()
        start = time.perf_counter()
        for original in paths:  # the same bytes as the case's originals
            with original.open("rb") as handle:
                hashlib.file_digest(handle, "sha256")
        read_hash_s = time.perf_counter() - start
        with Case.open(root / "case", writable=False) as case, WorkerPeak() as workers:
            start, cpu, child = time.perf_counter(), time.process_time(), _children_cpu()
            result = export_case(case, pdf=root / "chain.pdf", clock=clock, processes=processes)
            pdf_s, cpu_s = time.perf_counter() - start, time.process_time() - cpu
            time.sleep(0.3)  # a fork server reaps its ended workers
            child_s = _children_cpu() - child  # the picture workers (ended with the export)
            figures: dict[str, Any] = {
                "exhibits": count,
                # whether the pictures were made in worker processes (the pool is used from
                # POOL_MIN_PICTURES pictures on unless told)
                "picture_processes": processes is True
                or (processes is None and count >= POOL_MIN_PICTURES),
                "pdf_s": round(pdf_s, 2),
                "pdf_s_per_exhibit": round(pdf_s / count, 3),
                # CPU seconds of all threads and of the worker processes: steadier than wall
                # time on a shared machine
                "pdf_cpu_s_per_exhibit": round((cpu_s + child_s) / count, 3),
                "pdf_worker_cpu_s_per_exhibit": round(child_s / count, 3),
                "read_hash_s_per_exhibit": round(read_hash_s / count, 4),
                "load_average_1min": round(os.getloadavg()[0], 2),
                "pages": result.pdf_pages,
                "pdf_mb": round((root / "chain.pdf").stat().st_size / 1e6, 1),
                "peak_rss_mb": round(peak_rss_mb(), 1),
                # the largest worker process's own peak (sampled), and this process's plus
                # every worker's: an upper bound of the memory the export held at once
                "worker_peak_rss_mb": round(workers.largest_mb, 1),
                "total_peak_rss_mb": round(peak_rss_mb() + workers.sum_mb, 1),
                "rss_after_import_mb": round(rss_before, 1),
            }
            if full:
                start = time.perf_counter()
                export_case(
                    case,
                    pdf=root / "full.pdf",
                    pack=("taobao-seller-api", root / "pack"),
                    zip_path=root / "bundle.zip",
                    clock=clock,
                )
                full_s = time.perf_counter() - start
                figures["full_export_s"] = round(full_s, 2)
                figures["full_s_per_exhibit"] = round(full_s / count, 3)
                figures["full_peak_rss_mb"] = round(peak_rss_mb(), 1)
    return figures


def run(counts: tuple[int, ...] | None = None) -> dict[str, object]:
    """Run the benchmark (each size in a fresh process) and record its figures."""
    if counts is None:
        counts = (10, 100, 500) if os.environ.get("EXPORT_BENCH_500") else (10, 100)
    sizes: dict[str, dict[str, Any]] = {}
    spawn = get_context("spawn")
    compare = bool(os.environ.get("EXPORT_BENCH_COMPARE"))
    threads: dict[str, dict[str, Any]] = {}
    for count in counts:
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            sizes[str(count)] = pool.submit(measure, count, count == max(counts)).result()
        if compare:  # the same case with the pictures on threads in the exporting process
            with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
                threads[str(count)] = pool.submit(measure, count, False, False).result()
    small, large = sizes[str(min(counts))], sizes[str(max(counts))]
    growth = large["pdf_cpu_s_per_exhibit"] / small["pdf_cpu_s_per_exhibit"]  # 1.0 = linear
    figures: dict[str, object] = {
        "sizes": sizes,
        "pdf_s_per_exhibit_largest": Figure(
            large["pdf_s_per_exhibit"],
            "s/exhibit",
            large["read_hash_s_per_exhibit"] or None,
            "reading and SHA-256-hashing the originals, same process and case",
        ),
        "pdf_cpu_s_per_exhibit_largest": large["pdf_cpu_s_per_exhibit"],
        "cpu_per_exhibit_largest_vs_smallest": round(growth, 2),  # 1.0 = time grows linearly
        "peak_rss_mb_smallest_to_largest": [small["peak_rss_mb"], large["peak_rss_mb"]],
        "target_s_per_exhibit_ok": large["pdf_s_per_exhibit"] < TARGET_S_PER_EXHIBIT,
        "target_peak_ok": max(s.get("full_peak_rss_mb", s["peak_rss_mb"]) for s in sizes.values())
        < TARGET_PEAK_MB,
    }
    if threads:
        figures["pictures_on_threads"] = threads
        figures["cpu_pool_vs_threads_largest"] = round(
            large["pdf_cpu_s_per_exhibit"] / threads[str(max(counts))]["pdf_cpu_s_per_exhibit"], 2
        )
        figures["wall_pool_vs_threads_largest"] = round(
            large["pdf_s_per_exhibit"] / threads[str(max(counts))]["pdf_s_per_exhibit"], 2
        )
    record("export", figures)
    return figures


if __name__ == "__main__":
    run()
