"""Export speed and memory: cases of 10, 100 (and optionally 500) photo exhibits.

Each case holds distinct copies of the corpus phone originals (a counter appended after the image
data keeps every file distinct and still valid). Every size runs in a fresh process, so its peak
RSS is its own: flat memory means the peak hardly moves from 10 to 100 to 500 exhibits.
Figures per size: seconds for the PDF alone and per exhibit, pages, PDF size, peak RSS; for the
largest size also the full export (PDF + taobao-seller-api pack + ZIP).

Run with EXPORT_BENCH_500=1 to add the 500-exhibit case (about 3 minutes on 2 cores).
Targets: time linear in the exhibit count, peak < 400 MB (issue 6); at most 0.15 s per photo
exhibit (issue 20). The baseline of the seconds per exhibit, measured in the same process on the
same case right before the export, is reading and SHA-256-hashing the originals (the export
re-hashes every one): the ratio is the steadier figure on a shared machine.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
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


def measure(count: int, full: bool) -> dict[str, Any]:
    """Build a case of `count` photos and export it (runs in its own process)."""
    from app.evidence.export import export_case
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
        with Case.open(root / "case", writable=False) as case:
            start, cpu = time.perf_counter(), time.process_time()
            result = export_case(case, pdf=root / "chain.pdf", clock=clock)
            pdf_s, cpu_s = time.perf_counter() - start, time.process_time() - cpu
            figures: dict[str, Any] = {
                "exhibits": count,
                "pdf_s": round(pdf_s, 2),
                "pdf_s_per_exhibit": round(pdf_s / count, 3),
                # CPU seconds of all threads: steadier than wall time on a shared machine
                "pdf_cpu_s_per_exhibit": round(cpu_s / count, 3),
                "read_hash_s_per_exhibit": round(read_hash_s / count, 4),
                "load_average_1min": round(os.getloadavg()[0], 2),
                "pages": result.pdf_pages,
                "pdf_mb": round((root / "chain.pdf").stat().st_size / 1e6, 1),
                "peak_rss_mb": round(peak_rss_mb(), 1),
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
    for count in counts:
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            sizes[str(count)] = pool.submit(measure, count, count == max(counts)).result()
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
    record("export", figures)
    return figures


if __name__ == "__main__":
    run()
