"""Scaling: import and export at growing sizes, each size in a fresh process of its own.

  import   what `evidence-desk add --no-ocr` does, through the core: copy into the vault while
           hashing, read metadata, record (one transaction per item), thumbnails, integrity
           checks with the cross-item checks, tracking analysis. Figures: ms per item for the
           whole and for the import step alone, peak RSS. Baseline, same process and files:
           reading and SHA-256-hashing them.
  export   the full export of a case of that many photos: PDF, taobao-buyer upload pack and
           ZIP. Figures: s per exhibit, peak RSS. Baseline, same process and files: writing the
           originals into a stored ZIP, the least an export has to do.
  metadata reading every photo's metadata (read_image), ms per file; baseline `exiftool -json`
           on the same files when exiftool is installed (it is not on the reference machine).

Flat time per item and flat peak memory from the smallest to the largest size mean the work
scales. Inputs are distinct copies of the corpus phone photos (JPEG, every tenth one HEIC; a
counter appended after the image data keeps them distinct and valid). Sizes: IMPORT_SIZES and
EXPORT_SIZES, or `python -m bench scaling --import-sizes 10,100 --export-sizes 10,100,1000`
(1000 exhibits take ~5 minutes on 2 cores).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from bench.common import CORPUS, Figure, peak_rss_mb, record

IMPORT_SIZES = (10, 100, 1000)
EXPORT_SIZES = (10, 100, 500)
JPEGS = ("iphone_6.jpg", "hmd_nokia_8.3_5g.jpg", "jolla.jpg")
HEIC = "iphone_13_pro_max.heic"


def make_photos(folder: Path, count: int) -> list[Path]:
    """`count` distinct phone photos: the JPEG originals in turn, every tenth one the HEIC."""
    data = {name: (CORPUS / "photos" / "originals" / name).read_bytes() for name in (*JPEGS, HEIC)}
    paths = []
    for n in range(count):
        name = HEIC if n % 10 == 9 else JPEGS[n % len(JPEGS)]
        path = folder / f"IMG_{n:05}.{name.rsplit('.', 1)[1]}"
        path.write_bytes(data[name] + n.to_bytes(4, "big"))
        paths.append(path)
    return paths


def read_and_hash(paths: list[Path]) -> float:
    """Seconds to read and SHA-256 every file (the import baseline)."""
    start = time.perf_counter()
    for path in paths:
        with path.open("rb") as handle:
            hashlib.file_digest(handle, "sha256")
    return time.perf_counter() - start


def stored_zip(paths: list[Path], target: Path) -> float:
    """Seconds to write the files into a stored (uncompressed) ZIP (the export baseline)."""
    start = time.perf_counter()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for path in paths:
            archive.write(path, path.name)
    return time.perf_counter() - start


def read_metadata(paths: list[Path]) -> Figure:
    """ms per file to read every photo's metadata; baseline exiftool when it is installed."""
    from app.evidence.readers.image import read_image

    start = time.perf_counter()
    for path in paths:
        read_image(path)
    ours = (time.perf_counter() - start) * 1000 / len(paths)
    baseline = None
    if shutil.which("exiftool"):
        start = time.perf_counter()
        subprocess.run(
            ["exiftool", "-json", "-n", *map(str, paths)], capture_output=True, check=False
        )
        baseline = round((time.perf_counter() - start) * 1000 / len(paths), 2)
    return Figure(round(ours, 2), "ms/file", baseline, "exiftool -json" if baseline else None)


def measure_import(count: int) -> dict[str, Any]:
    """Import `count` photos as `add --no-ocr` does (runs in its own process)."""
    from app.evidence.checks.case_checks import check_case_items
    from app.evidence.ingest.analyse import analyse_case
    from app.evidence.ingest.derived import build_thumbnails
    from app.evidence.ingest.importer import import_files
    from app.evidence.store.case import Case

    with tempfile.TemporaryDirectory(prefix="bench-scaling-") as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        paths = make_photos(root / "in", count)
        read_and_hash(paths)  # warm the page cache for both contenders alike
        baseline = read_and_hash(paths)
        metadata = read_metadata(paths)
        with Case.create(root / "case", "bench") as case:
            start = time.perf_counter()
            report = import_files(case, [root / "in"])
            imported = time.perf_counter() - start
            ids = [r.item_id for r in report.results if r.item_id is not None]
            build_thumbnails(case, ids)
            check_case_items(case, ids)
            analyse_case(case, ocr=False)
            whole = time.perf_counter() - start
        assert report.count("imported") == count, report.results[:3]
    return {
        "import_step_ms_per_item": Figure(
            round(imported * 1000 / count, 1),
            "ms/item",
            round(baseline * 1000 / count, 2),
            "read + SHA-256",
        ),
        "add_ms_per_item": round(whole * 1000 / count, 1),
        "read_metadata_ms_per_file": metadata,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def measure_export(count: int) -> dict[str, Any]:
    """Export a case of `count` photos in full (runs in its own process)."""
    from app.evidence.export import export_case
    from app.evidence.ingest.importer import import_files
    from app.evidence.store.case import Case

    with tempfile.TemporaryDirectory(prefix="bench-scaling-") as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        paths = make_photos(root / "in", count)
        with Case.create(root / "case", "bench 举证") as case:
            import_files(case, paths, durable=False)
        baseline = stored_zip(paths, root / "baseline.zip")
        rss_before = peak_rss_mb()
        with Case.open(root / "case", writable=False) as case:
            start = time.perf_counter()
            result = export_case(
                case,
                pdf=root / "chain.pdf",
                pack=("taobao-buyer", root / "pack"),
                zip_path=root / "bundle.zip",
                clock=lambda: datetime(2025, 6, 14, 3, 0, tzinfo=UTC),
            )
            seconds = time.perf_counter() - start
    return {
        "export_s_per_exhibit": Figure(
            round(seconds / count, 3),
            "s/exhibit",
            round(baseline / count, 4),
            "stored ZIP of the originals",
        ),
        "pages": result.pdf_pages,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_before_export_mb": round(rss_before, 1),
    }


def _in_fresh_process(fn: Any, count: int) -> dict[str, Any]:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, count).result()


def _growth(sizes: dict[str, dict[str, Any]], key: str) -> float | None:
    """Per-item cost at the largest size over the smallest (1.0: time grows linearly)."""
    first, last = sizes[min(sizes, key=int)][key], sizes[max(sizes, key=int)][key]
    value = lambda f: f.value if isinstance(f, Figure) else f  # noqa: E731
    return round(value(last) / value(first), 2) if value(first) else None


def run(
    import_sizes: tuple[int, ...] = IMPORT_SIZES, export_sizes: tuple[int, ...] = EXPORT_SIZES
) -> dict[str, object]:
    """Measure every size, record the figures and return them."""
    imports = {str(n): _in_fresh_process(measure_import, n) for n in import_sizes}
    exports = {str(n): _in_fresh_process(measure_export, n) for n in export_sizes}
    figures: dict[str, object] = {
        "import": imports,
        "export": exports,
        "import_per_item_largest_vs_smallest": _growth(imports, "add_ms_per_item"),
        "export_per_item_largest_vs_smallest": _growth(exports, "export_s_per_exhibit"),
    }
    record("scaling", figures)
    return figures


if __name__ == "__main__":
    run()
