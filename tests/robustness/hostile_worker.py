"""Import and check hostile files one by one into a case, in a process of its own.

    python -m tests.robustness.hostile_worker CASE RESULTS.jsonl FILE...

Runs what `evidence-desk add` runs for each file (import, thumbnail, integrity checks, tracking
parse and, unless --no-ocr, OCR of screenshots), then what `evidence-desk check` runs on the
loose file. Before a file it writes {"start": name} to RESULTS, after it one line with the
outcome, the seconds it took and the process's peak memory so far; a hang or a crash therefore
leaves the name of the file that caused it as the last line. The test that starts this process
sets its memory limit and its timeout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import sys
import time
import traceback
from pathlib import Path
from typing import Any, TextIO


def _status_kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _limit_memory(megabytes: int) -> int:
    """Cap the address space at what is mapped now plus `megabytes`; return the cap in MB.

    The cap is counted from here because the loaded libraries (the OCR runtime maps ~1 GB of
    address space before it reads anything) are not what a file costs. A file may then use up
    to `megabytes` more, enough for the 1 GB resident limit to be seen breaking, not hidden
    behind a MemoryError that a reader turns into "damaged file".
    """
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if megabytes <= 0:
        return 0
    mapped_kb = _status_kb("VmSize") or 0
    limit = mapped_kb * 1024 + megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return limit // 2**20


def _reset_peak() -> None:
    """Start a new peak-memory measurement (Linux: VmHWM is reset by writing 5 to clear_refs)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    """Peak resident memory since the last reset (VmHWM), or of the whole process elsewhere."""
    peak_kb = _status_kb("VmHWM")
    if peak_kb is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return peak_kb / 1024


def _one(case: Any, path: Path, ocr: bool) -> dict[str, Any]:
    from app.evidence.checks import check_file
    from app.evidence.ingest.analyse import analyse_case
    from app.evidence.ingest.derived import build_thumbnails
    from app.evidence.ingest.importer import iter_import
    from app.evidence.models import ItemKind

    outcome: dict[str, Any] = {"name": path.name}
    results = list(iter_import(case, [path], durable=False))
    if len(results) != 1:
        raise AssertionError(f"one file gave {len(results)} import results")
    result = results[0]
    outcome.update(
        import_status=result.status, import_error=result.error_code, message=result.message
    )
    if result.status == "imported" and result.item_id is not None:
        item = case.item(result.item_id)
        outcome.update(kind=item.kind.value, read_error=item.read_error)
        for thumb in build_thumbnails(case, [result.item_id], workers=1):
            if thumb.error is not None:
                outcome["thumbnail_error"] = f"{thumb.error.code}: {thumb.error}"
                outcome["thumbnail_causes"] = _causes(thumb.error)
        analyse_case(
            case, ocr=False
        )  # tracking text; screenshots are read below, stitched at the end
        if ocr and item.kind is ItemKind.SCREENSHOT:
            outcome["ocr"] = _ocr(case, item)
        if item.kind is ItemKind.TRACKING:
            query = "SELECT COUNT(*) FROM events WHERE item_id = ? AND deleted_at IS NULL"
            outcome["events"] = case.connection.execute(query, (item.id,)).fetchone()[0]
    loose = check_file(path)
    outcome["check_verdict"] = loose.verdict.value
    outcome["check_error"] = next(
        (f.params.get("error_code") for f in loose.findings if f.code == "unreadable"), None
    )
    return outcome


def _causes(exc: BaseException) -> list[str]:
    """The exception types behind an error (a MemoryError hidden behind "damaged" shows here)."""
    seen: list[str] = []
    cause: BaseException | None = exc
    while cause is not None and len(seen) < 10:
        seen.append(type(cause).__name__)
        cause = cause.__cause__ or cause.__context__
    return seen


def _batch_end(case: Any, ocr: bool) -> dict[str, Any]:
    """What `add` does once a batch is in: check every item (and across items), stitch chats."""
    from app.evidence.checks.case_checks import check_case_items
    from app.evidence.ingest.analyse import analyse_case
    from app.evidence.store.findings import verdicts

    _reset_peak()
    started = time.perf_counter()
    check_case_items(case)
    report = analyse_case(case, ocr=ocr)
    return {
        "done": True,
        "seconds": round(time.perf_counter() - started, 3),
        "peak_mb": round(_peak_mb(), 1),
        "verdicts": {case.item(i).original_name: v for i, v in verdicts(case).items()},
        "analysis_problems": report.problems,
    }


def _ocr(case: Any, item: Any) -> str:
    from app.evidence.errors import InputError
    from app.evidence.ocr import OcrCache, recognize_cached

    try:
        result = recognize_cached(case.path_of(item), OcrCache.for_case(case), sha256=item.sha256)
    except InputError as exc:
        return f"{exc.code}: {exc}"
    return f"{len(result.lines)} lines"


def _emit(out: TextIO, record: dict[str, Any]) -> None:
    out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    out.flush()


def main(argv: list[str] | None = None) -> int:
    """Process every file; exit 0 when the batch ran to its end."""
    parser = argparse.ArgumentParser()
    parser.add_argument("case")
    parser.add_argument("results")
    parser.add_argument("files", nargs="+")
    parser.add_argument("--memory-mb", type=int, default=2048)
    parser.add_argument("--no-ocr", action="store_true")
    args = parser.parse_args(argv)

    import logging

    logging.basicConfig(level=logging.ERROR)
    import app.evidence.checks
    import app.evidence.ingest.analyse
    import app.evidence.ingest.thumbnails  # noqa: F401 - loaded before the cap is counted
    from app.evidence.store.case import Case

    if not args.no_ocr:
        from app.evidence.ocr.engine import default_backend

        default_backend()
    cap_mb = _limit_memory(args.memory_mb)

    with open(args.results, "a", encoding="utf-8") as out, Case.open(Path(args.case)) as case:
        for name in args.files:
            path = Path(name)
            _emit(out, {"start": path.name})
            _reset_peak()
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                record = _one(case, path, ocr=not args.no_ocr)
            except Exception as exc:  # reported to the test, which fails on it
                record = {
                    "name": path.name,
                    "exception": "".join(traceback.format_exception(exc))[-3000:],
                }
            record["seconds"] = round(time.perf_counter() - started, 3)
            record["cpu_seconds"] = round(time.process_time() - cpu_started, 3)
            record["peak_mb"] = round(_peak_mb(), 1)
            _emit(out, record)
        try:
            end = _batch_end(case, ocr=not args.no_ocr)
        except Exception as exc:  # reported to the test, which fails on it
            end = {"done": True, "exception": "".join(traceback.format_exception(exc))[-3000:]}
        end["address_space_cap_mb"] = cap_mb
        _emit(out, end)
    return 0


if __name__ == "__main__":
    sys.exit(main())
