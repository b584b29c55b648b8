"""`python -m bench [NAME|all]`: run benchmarks, write bench/results/latest.json and latest.md.

`python -m bench accuracy` is not a benchmark: it scores the integrity checks on the labelled
files and writes docs/accuracy.md and docs/accuracy.json (bench/accuracy.py).

`all` (what `make bench` runs) starts a fresh latest.json, runs every benchmark in a process
of its own (so each one's peak memory is its own, and one that fails or crashes is recorded
with its error while the others still run) and ends with latest.md: the short table of
headline figures the README carries. Each figure has its unit and, where one was measured in
the same run, the baseline and the ratio.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import os
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from bench.common import BENCH_DIR, load_results, machine, save_results, unit_of

# name -> module in bench/; archive is optional (it comes with the archive feature)
BENCHES = {
    "import": "import_bench",
    "check": "check_bench",
    "tracking": "tracking_bench",
    "ocr": "ocr_bench",
    "export": "export_bench",
    "archive": "archive_bench",
    "gui": "gui_bench",
    "scaling": "scaling_bench",
    "waybill": "waybill_bench",
}
MARKDOWN = BENCH_DIR / "results" / "latest.md"

# (label, path to the figure in latest.json, path to its baseline or None)
Row = tuple[str, tuple[str, ...], tuple[str, ...] | None]
HEADLINES: list[Row] = [
    (
        "import 200 phone photos (no thumbnails), against the copy floor",
        ("import", "import_s"),
        ("import", "copy_hash_flush_floor_s"),
    ),
    (
        "import 200 phone photos with thumbnails, against the copy floor",
        ("import", "import_with_thumbnails_s"),
        ("import", "copy_hash_flush_floor_s"),
    ),
    (
        "import 200 phone photos with thumbnails and checks, against the copy floor",
        ("import", "import_thumbnails_checks_s"),
        ("import", "copy_hash_flush_floor_s"),
    ),
    (
        "  the same, the check decoding each photo again (before)",
        ("import", "import_thumbnails_checks_decoding_twice_s"),
        ("import", "copy_hash_flush_floor_s"),
    ),
    ("check a 12 MP photo (with EXIF thumbnail)", ("check", "12mp_photo_thumb_ms"), None),
    (
        "  as an import checks it (the thumbnail's decode shared)",
        ("check", "12mp_photo_at_import_ms"),
        None,
    ),
    ("check a 60 s 1080p video", ("check", "1080p_60s_check_s"), None),
    ("check the corpus photos", ("check", "corpus_photo_thumb_ms_per_file"), None),
    ("parse courier tracking text", ("tracking_parse", "lines_per_s"), None),
    ("OCR a chat screenshot (engine warm)", ("ocr", "cold_s"), None),
    ("reopen OCR from the cache", ("ocr", "cached_s"), None),
    ("export PDF, largest size", ("export", "pdf_s_per_exhibit_largest"), None),
    ("open a 10,000-item case in the window", ("gui", "open_to_timeline_s"), None),
    ("longest window stall while importing", ("gui", "longest_event_loop_stall_ms"), None),
    (
        "waybill scan, label at the end of 1080p H.264",
        ("archive", "1080p_label_at_end_s_per_min"),
        None,
    ),
    (
        "waybill scan, label at the end of 1080p HEVC",
        ("archive", "1080p_hevc_label_at_end_s_per_min"),
        None,
    ),
    ("archive search among 100,000 shipments (median)", ("archive", "search_median_ms"), None),
    (
        "waybill read, 1-min 1080p H.264, label at the end",
        ("waybill", "1080p_60s_label_at_end_s"),
        None,
    ),
]


def _dig(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _parts(entry: Any, name: str = "") -> tuple[Any, str, Any, Any]:
    """(value, unit, baseline, ratio) of a stored figure (plain values from older runs too)."""
    if isinstance(entry, dict) and "value" in entry:
        unit = entry.get("unit") or unit_of(name, entry["value"])
        return entry["value"], unit, entry.get("baseline"), entry.get("ratio")
    return entry, unit_of(name, entry), None, None


def _shown(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def headline_rows(data: dict[str, Any]) -> list[list[str]]:
    """The table's rows: figure, value, unit, baseline, ratio."""
    rows = []
    for label, path, base_path in HEADLINES:
        value, unit, baseline, ratio = _parts(_dig(data, path), path[-1])
        if value is None:
            continue
        if base_path is not None:
            baseline = _parts(_dig(data, base_path))[0]
            ratio = round(value / baseline, 1) if baseline else None
        rows.append(
            [
                label,
                _shown(value),
                unit,
                _shown(baseline) if baseline is not None else "",
                _shown(ratio) if ratio is not None else "",
            ]
        )
    rows += _scaling_rows(data.get("scaling"))
    return rows


def _scaling_rows(scaling: Any) -> list[list[str]]:
    if not isinstance(scaling, dict):
        return []
    rows = []
    specs = (
        ("import", "add_ms_per_item", "add N photos (`add --no-ocr`), per item"),
        ("import", "import_step_ms_per_item", "import step alone, per item"),
        ("import", "read_metadata_ms_per_file", "read a photo's metadata"),
        ("export", "export_s_per_exhibit", "full export (PDF, pack, ZIP), per exhibit"),
    )
    for part, key, label in specs:
        sizes = scaling.get(part)
        if not isinstance(sizes, dict) or not sizes:
            continue
        order = sorted(sizes, key=int)
        figures = [_parts(_dig(sizes, (n, key))) for n in order]
        unit = next((f[1] for f in figures if f[1]), "")
        values = " / ".join(_shown(f[0]) for f in figures)
        baselines = (
            " / ".join(_shown(f[2]) for f in figures)
            if any(f[2] is not None for f in figures)
            else ""
        )
        ratios = (
            " / ".join(_shown(f[3]) for f in figures)
            if any(f[3] is not None for f in figures)
            else ""
        )
        rows.append([f"{label} (N = {' / '.join(order)})", values, unit, baselines, ratios])
        if key in ("add_ms_per_item", "export_s_per_exhibit"):
            peaks = " / ".join(_shown(_parts(_dig(sizes, (n, "peak_rss_mb")))[0]) for n in order)
            rows.append([f"  peak memory (N = {' / '.join(order)})", peaks, "MB", "", ""])
    return rows


def write_markdown(data: dict[str, Any]) -> str:
    """bench/results/latest.md: the headline table and where it was measured."""
    run = data.get("run", {})
    where = data.get("machine", {})
    lines = [
        f"Measured {run.get('finished', run.get('started', '?'))} "
        f"at commit {run.get('commit', '?')} "
        f"on {where.get('cpus', '?')} CPUs, load average {where.get('load_average_1min', '?')} "
        f"(`make bench`; all figures in bench/results/latest.json).",
        "",
        "| figure | value | unit | baseline (same run) | ratio |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
        for row in headline_rows(data)
    ]
    failed = [name for name, entry in data.items() if isinstance(entry, dict) and "error" in entry]
    if failed:
        lines += ["", f"Not measured (failed): {', '.join(failed)}."]
    text = "\n".join(lines) + "\n"
    MARKDOWN.parent.mkdir(parents=True, exist_ok=True)
    MARKDOWN.write_text(text, encoding="utf-8")
    return text


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=BENCH_DIR,
            check=False,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain"],
            capture_output=True,
            text=True,
            cwd=BENCH_DIR,
            check=False,
        )
    except OSError:
        return "?"
    return (
        done.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")
        if done.returncode == 0
        else "?"
    )


def _sizes(text: str | None) -> tuple[int, ...] | None:
    return tuple(int(n) for n in text.split(",") if n.strip()) if text else None


def _runner(name: str, args: argparse.Namespace) -> Callable[[], Any]:
    module = importlib.import_module(f"bench.{BENCHES[name]}")
    if name == "scaling":
        options = {}
        if sizes := _sizes(args.import_sizes):
            options["import_sizes"] = sizes
        if sizes := _sizes(args.export_sizes or os.environ.get("BENCH_EXPORT_SIZES")):
            options["export_sizes"] = sizes
        return lambda: module.run(**options)
    return module.run


def _run_one(name: str, args: argparse.Namespace) -> None:
    """Run one benchmark in this process (it records its own figures)."""
    started_at = time.perf_counter()
    _runner(name, args)()
    data = load_results()
    data.setdefault("run", {}).setdefault("seconds", {})[name] = round(
        time.perf_counter() - started_at, 1
    )
    save_results(data)


def _run_all(args: argparse.Namespace) -> list[str]:
    """Every benchmark in a fresh process, in turn; returns the names of those that failed."""
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    save_results(
        {
            "run": {"started": started, "commit": _commit(), "benchmarks": list(BENCHES)},
            "machine": machine(),
        }
    )
    options = []
    if args.import_sizes:
        options += ["--import-sizes", args.import_sizes]
    if args.export_sizes:
        options += ["--export-sizes", args.export_sizes]
    failed = []
    for name in BENCHES:
        if importlib.util.find_spec(f"bench.{BENCHES[name]}") is None:
            continue  # an optional benchmark whose module is not in this checkout
        done = subprocess.run(
            [sys.executable, "-m", "bench", name, "--no-table", *options], check=False
        )
        if done.returncode != 0:
            failed.append(name)
            data = load_results()
            entry = data.get(name) if isinstance(data.get(name), dict) else {}
            entry["error"] = f"exited with code {done.returncode} (its output above says why)"
            data[name] = entry
            save_results(data)
    data = load_results()
    data.setdefault("run", {})["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    data["machine"] = {**data.get("machine", {}), **machine()}
    save_results(data)
    return failed


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks; exit 1 when one of them failed."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["accuracy"]:  # not a timing: the checks scored on labelled files
        from bench.accuracy import main as accuracy

        return accuracy(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("name", nargs="?", default="all", choices=[*BENCHES, "all", "table"])
    parser.add_argument("--import-sizes", help="scaling: import sizes, e.g. 10,100,1000")
    parser.add_argument(
        "--export-sizes", help="scaling: export sizes, e.g. 10,100,1000 (or BENCH_EXPORT_SIZES)"
    )
    parser.add_argument("--no-table", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.name == "table":  # the markdown from the last results, without measuring
        sys.stdout.write(write_markdown(load_results()))
        return 0
    failed: list[str] = []
    if args.name == "all":
        failed = _run_all(args)
    else:
        try:
            _run_one(args.name, args)
        except Exception as exc:  # recorded for the table, then reported as a failure
            data = load_results()
            data[args.name] = {
                "error": f"{type(exc).__name__}: {exc}",
                "trace": traceback.format_exc()[-2000:],
            }
            save_results(data)
            raise
    if not args.no_table:
        sys.stdout.write(write_markdown(load_results()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
