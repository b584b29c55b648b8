"""Import speed against a baseline of reading and SHA-256 hashing the same bytes.

Makes N distinct copies of the corpus phone originals (a counter appended after the image data
keeps every file distinct and still valid), then measures in this one process:
  baseline   read + SHA-256 of every file
  import     the full import (copy into the vault, hash, sniff, metadata, SQLite) without thumbnails
  +thumbs    the import with thumbnails as the app does it (service.importing, thumbnails made
             while the files are recorded; the process pool starts cold, as in the first import
             of a session), against the copy floor: the issue's target is <= 2x
  then       the import followed by the thumbnail step (how the app did it before, same run)
  checks     import, thumbnails and integrity checks (no OCR) as the app runs them, each JPEG
             decoded once for its thumbnail and its EXIF thumbnail comparison; beside it the
             same with the check decoding every photo again (before issue 20's shared decode),
             three pairs, order alternating
  thumbnails the thumbnail step alone, and the sources its thumbnails came from (HEIF thumbnail
             item, EXIF/MPF preview, JPEG draft decode, full decode)
  cpu        the CPU seconds behind those: the copy floor's and the import's (this process),
             a thumbnail's (one thread, in this process, over the same originals), and the least
             wall time the import with thumbnails can take on this machine's cores when it has
             them to itself: (import CPU + thumbnails' CPU) / cores. On a busy machine the
             ratios above grow with the load; this one does not.

The pool's workers are forks of a fork server (POSIX): the first pool of the run starts the
server (cold, as the first import of a session); later ones start from it, as a second import
in a session does after the idle workers ended.
"""

from __future__ import annotations

import collections
import hashlib
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.evidence.checks.case_checks import check_case_items
from app.evidence.ingest.derived import build_thumbnails
from app.evidence.ingest.importer import import_files
from app.evidence.ingest.thumbnails import make_thumbnail, shutdown_pool
from app.evidence.service.importing import import_paths, import_with_thumbnails
from app.evidence.store.case import Case
from bench.common import CORPUS, record, timed

ORIGINALS = ["iphone_6.jpg", "hmd_nokia_8.3_5g.jpg", "jolla.jpg", "iphone_13_pro_max.heic"]


def make_inputs(folder: Path, count: int) -> list[Path]:
    """Write `count` distinct phone photos into `folder`."""
    sources = [(CORPUS / "photos" / "originals" / name).read_bytes() for name in ORIGINALS]
    paths = []
    for n in range(count):
        data = sources[n % len(sources)]
        ext = ORIGINALS[n % len(ORIGINALS)].rsplit(".", 1)[1]
        path = folder / f"IMG_{n:05}.{ext}"
        path.write_bytes(data + n.to_bytes(4, "big"))
        paths.append(path)
    return paths


def read_and_hash(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            hashlib.file_digest(handle, "sha256")
        total += path.stat().st_size
    return total


def copy_hash_flush(paths: list[Path], target: Path) -> None:
    """The floor of any import that keeps a byte-exact copy: read, hash, write, flush to disk."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    for n, path in enumerate(paths):
        dst = target / f"{n}.bin"
        with open(path, "rb") as src, open(dst, "wb") as out:
            digest = hashlib.sha256()
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
    for n in range(len(paths)):
        fd = os.open(target / f"{n}.bin", os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)


def cpu_timed(fn: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (seconds) over `repeat` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def thumbnail_cpu_s(folder: Path, repeat: int = 3) -> float:
    """CPU seconds one thumbnail takes, on average over ORIGINALS (the mix make_inputs uses)."""
    folder.mkdir(exist_ok=True)
    per_file = []
    for name in ORIGINALS:
        src = CORPUS / "photos" / "originals" / name
        make_thumbnail(src, folder / "warm.jpg", "photo")  # the colour transform, caches
        cpu = time.process_time()
        for n in range(repeat):
            make_thumbnail(src, folder / f"{n}.jpg", "photo")
        per_file.append((time.process_time() - cpu) / repeat)
    return statistics.mean(per_file)


def run(count: int = 200) -> dict[str, object]:
    """Run the benchmark and record its figures."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs = root / "in"
        inputs.mkdir()
        paths = make_inputs(inputs, count)
        mb = sum(p.stat().st_size for p in paths) / 1e6
        read_and_hash(paths)  # warm the page cache for every contender alike
        base_s, _ = timed(lambda: read_and_hash(paths))
        floor_s, floor_cpu_s = cpu_timed(lambda: copy_hash_flush(paths, root / "floor"))
        shutil.rmtree(root / "floor", ignore_errors=True)

        thumb_runs: list[tuple[float, collections.Counter[str]]] = []

        def do_import(thumbs: bool) -> None:
            case_dir = root / "case"
            shutil.rmtree(case_dir, ignore_errors=True)
            with Case.create(case_dir, "bench") as case:
                report = import_files(case, [inputs])
                assert report.count("imported") == count, report.results[:3]
                if thumbs:
                    start = time.perf_counter()
                    made = build_thumbnails(case, [r.item_id for r in report.results if r.item_id])
                    assert all(r.error is None for r in made), [r.error for r in made][:3]
                    sources = collections.Counter(str(r.source) for r in made)
                    thumb_runs.append((time.perf_counter() - start, sources))

        def do_overlapped() -> None:
            case_dir = root / "case"
            shutil.rmtree(case_dir, ignore_errors=True)
            with Case.create(case_dir, "bench") as case:
                outcome = import_with_thumbnails(case, [inputs])
                assert outcome.count("imported") == count, outcome.results[:3]
                assert not outcome.thumbnails, outcome.thumbnails[:3]
            assert len(list((case_dir / "derived" / "thumbs").rglob("*.jpg"))) == count

        def do_checked(shared: bool) -> None:
            """Import, thumbnails and integrity checks (no OCR): as the app does it now (the
            thumbnail's decode serves the check), or the check decoding each photo again."""
            case_dir = root / "case"
            shutil.rmtree(case_dir, ignore_errors=True)
            with Case.create(case_dir, "bench") as case:
                if shared:
                    outcome = import_paths(case, [inputs], ocr=False)
                else:
                    outcome = import_with_thumbnails(case, [inputs])
                    check_case_items(case, outcome.imported_ids)
                assert outcome.count("imported") == count, outcome.results[:3]

        import_s, import_cpu_s = cpu_timed(lambda: do_import(False))
        thumb_cpu_s = thumbnail_cpu_s(root / "thumb_cpu")
        shutdown_pool()  # the first import of a session: the pool starts cold
        thumbs_s, _ = timed(do_overlapped, repeat=1)
        shutdown_pool()
        then_s, _ = timed(lambda: do_import(True), repeat=1)
        cold_thumbs_s, sources = thumb_runs[-1]
        # the thumbnail step again, the pool warm (a second import in the same session)
        warm_thumbs_s, _ = timed(lambda: do_import(True), repeat=1)
        warm_thumbs_s = thumb_runs[-1][0]
        # with the checks, in pairs (the pool warm in both), the order alternating
        checked: dict[bool, list[float]] = {True: [], False: []}
        for first in (True, False, True):
            for shared in (first, not first):
                start = time.perf_counter()
                do_checked(shared)
                checked[shared].append(time.perf_counter() - start)
        shutdown_pool()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    least_s = (import_cpu_s + count * thumb_cpu_s) / cores
    figures = {
        "files": count,
        "megabytes": round(mb, 1),
        "baseline_read_sha256_s": round(base_s, 3),
        "import_s": round(import_s, 3),
        "import_files_per_s": round(count / import_s, 1),
        "import_mb_per_s": round(mb / import_s, 1),
        "import_ratio_vs_baseline": round(import_s / base_s, 2),
        "copy_hash_flush_floor_s": round(floor_s, 3),
        "import_ratio_vs_copy_floor": round(import_s / floor_s, 2),
        "import_with_thumbnails_s": round(thumbs_s, 3),
        "import_with_thumbnails_ratio": round(thumbs_s / base_s, 2),
        "import_with_thumbnails_ratio_vs_copy_floor": round(thumbs_s / floor_s, 2),
        "import_then_thumbnails_s": round(then_s, 3),
        "import_then_thumbnails_ratio_vs_copy_floor": round(then_s / floor_s, 2),
        "thumbnails_s": round(cold_thumbs_s, 3),
        "thumbnails_ms_per_file": round(cold_thumbs_s / count * 1000, 1),
        "thumbnails_warm_pool_ms_per_file": round(warm_thumbs_s / count * 1000, 1),
        "thumbnail_sources": dict(sorted(sources.items())),
        "copy_floor_cpu_s": round(floor_cpu_s, 3),
        "import_cpu_s": round(import_cpu_s, 3),
        "thumbnail_cpu_ms_per_file": round(thumb_cpu_s * 1000, 1),
        "import_thumbnails_checks_s": round(statistics.median(checked[True]), 3),
        "import_thumbnails_checks_ratio_vs_copy_floor": round(
            statistics.median(checked[True]) / floor_s, 2
        ),
        "import_thumbnails_checks_decoding_twice_s": round(statistics.median(checked[False]), 3),
        "import_thumbnails_checks_decoding_twice_ratio_vs_copy_floor": round(
            statistics.median(checked[False]) / floor_s, 2
        ),
        "cores": cores,
        "import_with_thumbnails_least_s": round(least_s, 3),
        "import_with_thumbnails_least_ratio_vs_copy_floor": round(least_s / floor_s, 2),
    }
    record("import", figures)
    return figures
