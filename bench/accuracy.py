"""`python -m bench accuracy` (`make accuracy`): the integrity checks scored on labelled files.

Every labelled file is checked with `check_file` (what `evidence-desk check --json` runs for
each file, thumbnail comparison on) and its verdict and findings are set against its label:

- tests/data/realworld/labels.csv: real camera and phone files, decided one by one from the
  evidence written beside each (the repository's files; the larger ones are read from
  ../shared/corpus/realworld/ when that folder exists);
- ../shared/corpus/labels.csv when present (photos/, synthetic/, hostile/);
- the generated held-out-style set of tests/evidence/checks/heldout.py (built from the corpus
  originals; about 30 s), unless --no-heldout.

Truths scored: camera_original, recompressed and edited ("changed" = recompressed + edited).
The corpus's `orientation_test` files (one picture written under the eight EXIF orientations
by a tool, no camera metadata) are scored as recompressed; `hostile` and `unknown` files are
shown in the confusion table but not scored.

Written: docs/accuracy.md (tables) and docs/accuracy.json (the same figures and every file's
row). Real files and generated files are reported apart: a finding's precision is measured on
real files only (issue 16: a finding may decide `edited` only at precision >= 0.98 there).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import BENCH_DIR, CORPUS

REPO = BENCH_DIR.parent
REALWORLD_DIR = REPO / "tests" / "data" / "realworld"
REALWORLD_LABELS = REALWORLD_DIR / "labels.csv"
DOCS = REPO / "docs"

SCORED = ("camera_original", "recompressed", "edited")
CHANGED = ("recompressed", "edited")
# label values of ../shared/corpus/labels.csv that are not verdicts
TRUTH_MAP = {"orientation_test": "recompressed"}
REAL, GENERATED = "real", "generated"


@dataclass(frozen=True)
class Entry:
    """One labelled file and what the checks said about it.

    Attributes:
        source: which labelled set it came from.
        group: REAL (files cameras and programs wrote) or GENERATED (made for tests).
        path: the label's path (relative to the set's folder).
        truth: the label, mapped (`TRUTH_MAP`).
        verdict: the checks' verdict.
        findings: (code, severity) of every finding, in the checks' order.
        label_truth: the label as written, when it differs from `truth`.
    """

    source: str
    group: str
    path: str
    truth: str
    verdict: str
    findings: tuple[tuple[str, str], ...] = ()
    label_truth: str = ""

    def codes(self, severities: Iterable[str] | None = None) -> set[str]:
        """The finding codes present (once each), optionally only of some severities."""
        wanted = set(severities) if severities is not None else None
        return {c for c, s in self.findings if wanted is None or s in wanted}


@dataclass
class Source:
    """A labelled set: its rows and where its files are."""

    name: str
    group: str
    rows: list[tuple[str, str, Path]] = field(default_factory=list)  # (path, truth, file)
    note: str = ""
    # (path, the earlier set and path with the same bytes, both labels): counted once
    duplicates: list[dict[str, str]] = field(default_factory=list)


# ---- the labelled sets ------------------------------------------------------------------


def read_labels(path: Path) -> list[dict[str, str]]:
    """The rows of a labels.csv (path, kind, truth, why)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def realworld_sources(
    labels: Path = REALWORLD_LABELS, repo_dir: Path = REALWORLD_DIR, corpus: Path | None = CORPUS
) -> list[Source]:
    """The real-world labels: files in the repository, then the larger ones in ../shared."""
    repo = Source("realworld (repository)", REAL, note=str(_rel(repo_dir)))
    shared = Source("realworld (../shared, larger files)", REAL)
    shared_dir = corpus / "realworld" if corpus is not None else None
    for row in read_labels(labels):
        local = repo_dir / row["path"]
        if local.is_file():
            repo.rows.append((row["path"], row["truth"], local))
        elif shared_dir is not None and (shared_dir / row["path"]).is_file():
            shared.rows.append((row["path"], row["truth"], shared_dir / row["path"]))
    shared.note = str(shared_dir) if shared.rows else "absent"
    return [repo, shared]


def corpus_sources(corpus: Path) -> list[Source]:
    """../shared/corpus/labels.csv, split into real photos and the synthetic/hostile files."""
    labels = corpus / "labels.csv"
    if not labels.is_file():
        return []
    real = Source("corpus labels.csv: photos/", REAL, note=str(labels))
    made = Source("corpus labels.csv: synthetic/", GENERATED, note=str(labels))
    hostile = Source("corpus labels.csv: hostile/", REAL, note=str(labels))
    for row in read_labels(labels):
        target = hostile if row["path"].startswith("hostile/") else real
        if row["path"].startswith("synthetic/"):
            target = made
        if (corpus / row["path"]).is_file():
            target.rows.append((row["path"], row["truth"], corpus / row["path"]))
    return [s for s in (real, hostile, made) if s.rows]


def heldout_source(corpus: Path, out: Path) -> Source:
    """The generated held-out-style set (tests/evidence/checks/heldout.py), written into `out`."""
    if str(REPO) not in sys.path:  # `python -m bench` from elsewhere
        sys.path.insert(0, str(REPO))
    from tests.evidence.checks.heldout import build

    source = Source("generated held-out-style set (tests/evidence/checks/heldout.py)", GENERATED)
    started = time.perf_counter()
    for case in build(corpus, out):
        source.rows.append((case.name, case.truth, case.path))
    seconds = time.perf_counter() - started
    source.note = f"built from the corpus originals in {seconds:.0f} s"
    return source


# ---- checking ---------------------------------------------------------------------------


def check_sources(sources: Sequence[Source]) -> list[Entry]:
    """Check every labelled file with the CLI's per-file entry (`check_file`, default options)."""
    from app.evidence.checks import CheckOptions, check_file

    options = CheckOptions()
    entries = []
    # (group, sha256) -> (set, path, label); a generated copy under a new name is its own case
    seen: dict[tuple[str, str], tuple[str, str, str]] = {}
    for source in sources:
        for rel, label, path in source.rows:
            result = check_file(path, options=options)
            truth = TRUTH_MAP.get(label, label)
            key = (source.group, result.sha256 or "")
            if result.sha256 and key in seen:  # the same file in two sets: once
                first_set, first_path, first_label = seen[key]
                source.duplicates.append(
                    {
                        "path": rel,
                        "label": label,
                        "same_as": f"{first_set}: {first_path}",
                        "same_as_label": first_label,
                    }
                )
                continue
            if result.sha256:
                seen[key] = (source.name, rel, label)
            entries.append(
                Entry(
                    source=source.name,
                    group=source.group,
                    path=rel,
                    truth=truth,
                    verdict=result.verdict.value,
                    findings=tuple((f.code, f.severity.value) for f in result.findings),
                    label_truth=label if truth != label else "",
                )
            )
    return entries


# ---- the figures ------------------------------------------------------------------------


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def verdict_columns(entries: Iterable[Entry]) -> list[str]:
    """The verdicts the checks can give (in the model's order), then any other seen."""
    try:
        from app.evidence.checks import Verdict

        known = [v.value for v in Verdict]
    except ImportError:  # pragma: no cover - the report's arithmetic needs no checks
        known = ["camera_original", "recompressed", "edited", "unknown", "unreadable"]
    seen = {e.verdict for e in entries}
    return known + sorted(seen - set(known))


def confusion(entries: Iterable[Entry]) -> dict[str, dict[str, int]]:
    """truth -> verdict -> count (every truth present; scored truths first)."""
    entries = list(entries)
    counts = Counter((e.truth, e.verdict) for e in entries)
    truths = [t for t in SCORED if any(e.truth == t for e in entries)]
    truths += sorted({e.truth for e in entries} - set(SCORED))
    columns = verdict_columns(entries)
    return {t: {v: counts[(t, v)] for v in columns} for t in truths}


def headline(entries: Iterable[Entry]) -> dict[str, Any]:
    """The product's goals: originals never called edited, changed files never passed."""
    entries = list(entries)
    originals = [e for e in entries if e.truth == "camera_original"]
    changed = [e for e in entries if e.truth in CHANGED]
    edited = [e for e in entries if e.truth == "edited"]
    recompressed = [e for e in entries if e.truth == "recompressed"]
    return {
        "originals": len(originals),
        "originals_called_edited": sum(e.verdict == "edited" for e in originals),
        "originals_not_camera_original": sum(e.verdict != "camera_original" for e in originals),
        "changed": len(changed),
        "changed_passed_as_camera_original": sum(e.verdict == "camera_original" for e in changed),
        "edited": len(edited),
        "edited_passed_as_camera_original": sum(e.verdict == "camera_original" for e in edited),
        "edited_called_edited": sum(e.verdict == "edited" for e in edited),
        "recompressed": len(recompressed),
        "recompressed_called_edited": sum(e.verdict == "edited" for e in recompressed),
        "not_scored": sum(e.truth not in SCORED for e in entries),
    }


def finding_rows(entries: Iterable[Entry]) -> list[dict[str, Any]]:
    """Per finding code: on how many scored files it fired, by truth, and its precision.

    A code counts once per file. `precision_changed` = fired on changed / fired on scored
    files; `precision_edited_alert` = files where it fired as an alert that are labelled
    edited / all scored files where it fired as an alert.
    """
    scored = [e for e in entries if e.truth in SCORED]
    codes = sorted({c for e in scored for c in e.codes()})
    rows = []
    for code in codes:
        fired = Counter(e.truth for e in scored if code in e.codes())
        alert = Counter(e.truth for e in scored if code in e.codes(["alert"]))
        severities = sorted({s for e in scored for c, s in e.findings if c == code})
        changed = fired["recompressed"] + fired["edited"]
        alert_total = sum(alert[t] for t in SCORED)
        rows.append(
            {
                "code": code,
                "severities": severities,
                "fired_originals": fired["camera_original"],
                "fired_recompressed": fired["recompressed"],
                "fired_edited": fired["edited"],
                "fired_changed": changed,
                "precision_changed": _ratio(changed, changed + fired["camera_original"]),
                "alert_fired": alert_total,
                "alert_fired_edited": alert["edited"],
                "precision_edited_alert": _ratio(alert["edited"], alert_total),
            }
        )
    rows.sort(key=lambda r: (-r["fired_originals"], -r["fired_changed"], r["code"]))
    return rows


def deciding_codes() -> set[str] | None:
    """The alert codes that may decide `edited` by themselves today (None: no such table)."""
    try:
        from app.evidence.checks.edit_deciders import EDIT_DECIDERS
    except ImportError:
        return None
    return {code for code, decider in EDIT_DECIDERS.items() if decider.decides}


def build_report(entries: Sequence[Entry], sources: Sequence[Source] = ()) -> dict[str, Any]:
    """The whole report as plain data (docs/accuracy.json)."""
    groups = {REAL: [e for e in entries if e.group == REAL]}
    groups[GENERATED] = [e for e in entries if e.group == GENERATED]
    groups = {name: rows for name, rows in groups.items() if rows}
    return {
        "corpora": [
            {
                "name": s.name,
                "group": s.group,
                "files": len(s.rows) - len(s.duplicates),
                "where": s.note,
                "duplicates": s.duplicates,
            }
            for s in sources
        ],
        "truth_map": dict(TRUTH_MAP),
        "headline": {name: headline(rows) for name, rows in groups.items()},
        "headline_by_source": {
            s.name: headline([e for e in entries if e.source == s.name])
            for s in sources
            if any(e.source == s.name and e.truth in SCORED for e in entries)
        },
        "confusion": {name: confusion(rows) for name, rows in groups.items()},
        "findings": {name: finding_rows(rows) for name, rows in groups.items()},
        "deciding_codes": sorted(deciders) if (deciders := deciding_codes()) is not None else None,
        "files": [
            {
                "source": e.source,
                "path": e.path,
                "truth": e.truth,
                **({"label": e.label_truth} if e.label_truth else {}),
                "verdict": e.verdict,
                "findings": [f"{c}:{s}" for c, s in e.findings if s in ("alert", "warning")],
            }
            for e in entries
        ],
    }


# ---- the page ---------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value).replace("|", "\\|")


def _table(head: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def _headline_lines(name: str, h: dict[str, Any]) -> list[str]:
    return [
        f"- **{name}**: originals called `edited`: **{h['originals_called_edited']} of "
        f"{h['originals']}**; originals not called `camera_original`: "
        f"**{h['originals_not_camera_original']} of {h['originals']}**; changed files "
        f"(recompressed + edited) passed as `camera_original`: "
        f"**{h['changed_passed_as_camera_original']} of {h['changed']}** (edited: "
        f"{h['edited_passed_as_camera_original']} of {h['edited']}); edited called `edited`: "
        f"{h['edited_called_edited']} of {h['edited']}; recompressed called `edited`: "
        f"{h['recompressed_called_edited']} of {h['recompressed']}."
    ]


def render_markdown(report: dict[str, Any]) -> str:
    """docs/accuracy.md from the report's data."""
    run = report.get("run", {})
    where = run.get("machine", {})
    lines = [
        "# Accuracy of the integrity checks on labelled files",
        "",
        f"Measured {run.get('finished', '?')} at commit {run.get('commit', '?')} with "
        f"`make accuracy` (`python -m bench accuracy`) on {where.get('cpus', '?')} CPUs, load "
        f"average {where.get('load_average', '?')} (1/5/15 min), {run.get('seconds', '?')} s. "
        "Figures and every file's row: docs/accuracy.json.",
        "",
        "Each labelled file is checked as `evidence-desk check --json` checks it. Truths: "
        "`camera_original`, `recompressed` (not the original file, picture unchanged), `edited` "
        '(what the picture shows changed); "changed" = recompressed + edited. '
        "`unknown` and `hostile` files are listed in the confusion tables but not scored.",
        "",
        "## Headline",
        "",
    ]
    for name, h in report["headline"].items():
        lines += _headline_lines(f"{name} files", h)
    lines += ["", "By labelled set:", ""]
    for name, h in report.get("headline_by_source", {}).items():
        lines += _headline_lines(name, h)
    lines += [
        "",
        "Label conventions differ between the sets: tests/data/realworld/labels.csv keeps "
        "`edited` for a changed picture (a downscale keeping the whole frame, an editor's "
        "re-save or a metadata rewrite is `recompressed`), while ../shared/corpus/labels.csv "
        "labels its GIMP-downscaled and Nikon Transfer files `edited` and the generated set "
        "labels date rewrites (dto_shifted, alldates_shifted) `edited`.",
        "",
        "## Labelled sets",
        "",
    ]
    lines += _table(
        ["set", "group", "files", "where"],
        [[c["name"], c["group"], c["files"], c["where"]] for c in report["corpora"]],
    )
    duplicates = [(c["name"], d) for c in report["corpora"] for d in c.get("duplicates", [])]
    if duplicates:
        lines += ["", "Files that are byte for byte the same as one in an earlier set count once:"]
        lines += [
            f"- {name}: {d['path']} (label {d['label']}) = {d['same_as']} (label "
            f"{d['same_as_label']}){'' if d['label'] == d['same_as_label'] else ' — LABELS DIFFER'}"
            for name, d in duplicates
        ]
    absent = [c["name"] for c in report["corpora"] if not c["files"]]
    if absent:
        lines += ["", f"Absent in this run: {', '.join(absent)}."]
    if report.get("truth_map"):
        mapped = ", ".join(f"`{k}` scored as `{v}`" for k, v in report["truth_map"].items())
        lines += ["", f"Label values mapped: {mapped} (a tool wrote them; no camera metadata)."]
    for name, table in report["confusion"].items():
        columns = next(iter(table.values())).keys() if table else []
        lines += ["", f"## Verdicts on {name} files (rows: truth, columns: verdict)", ""]
        lines += _table(
            ["truth \\ verdict", *columns, "total"],
            [[t, *row.values(), sum(row.values())] for t, row in table.items()],
        )
    deciders = report.get("deciding_codes")
    for name, rows in report["findings"].items():
        lines += [
            "",
            f"## Findings on {name} files",
            "",
            "Files where the code fired (once per file), by truth. precision (changed) = "
            "changed / all; precision (edited, as alert) = files labelled edited among those "
            "where it fired with alert severity (the bar to decide `edited`: 0.98). "
            "A code marked **decides** may make a file `edited` by itself today "
            "(app/evidence/checks/edit_deciders.py).",
            "",
        ]
        lines += _table(
            [
                "code",
                "severity",
                "originals",
                "changed",
                "(recompressed",
                "edited)",
                "precision (changed)",
                "as alert",
                "precision (edited, as alert)",
            ],
            [
                [
                    f"`{r['code']}`"
                    + (" **decides**" if deciders and r["code"] in deciders else ""),
                    "/".join(r["severities"]),
                    r["fired_originals"],
                    r["fired_changed"],
                    r["fired_recompressed"],
                    r["fired_edited"],
                    r["precision_changed"],
                    r["alert_fired"],
                    r["precision_edited_alert"],
                ]
                for r in rows
            ],
        )
    misses = [
        f
        for f in report["files"]
        if (f["truth"] == "camera_original" and f["verdict"] != "camera_original")
        or (f["truth"] in CHANGED and f["verdict"] == "camera_original")
        or (f["truth"] == "recompressed" and f["verdict"] == "edited")
        or (f["truth"] == "edited" and f["verdict"] not in ("edited", "camera_original"))
    ]
    lines += [
        "",
        "## Files whose verdict differs from the label",
        "",
        "Originals not called `camera_original`, changed files passed as originals, "
        "recompressed files called `edited`, and edited files called something else.",
        "",
    ]
    lines += _table(
        ["set", "file", "truth", "verdict", "warnings and alerts"],
        [
            [
                f["source"],
                f["path"],
                f["truth"],
                f["verdict"],
                ", ".join(dict.fromkeys(f["findings"])),
            ]
            for f in misses
        ],
    )
    return "\n".join(lines) + "\n"


# ---- running ----------------------------------------------------------------------------


def _rel(path: Path) -> Path:
    try:
        return path.resolve().relative_to(REPO)
    except ValueError:
        return path


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
    except OSError:
        return "?"
    if head.returncode != 0:
        return "?"
    return head.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def _machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "load_average": " / ".join(f"{v:.2f}" for v in os.getloadavg()),
    }


def run(
    *, corpus: Path | None = CORPUS, heldout: bool = True, out_dir: Path = DOCS
) -> dict[str, Any]:
    """Check every labelled file, write accuracy.md and accuracy.json into `out_dir`."""
    started = time.perf_counter()
    present = corpus is not None and corpus.is_dir()
    sources = realworld_sources(corpus=corpus if present else None)
    if present:
        sources += corpus_sources(corpus)
    with tempfile.TemporaryDirectory(prefix="accuracy-") as work:
        if present and heldout:
            try:
                sources.append(heldout_source(corpus, Path(work)))
            except Exception as exc:  # a broken generator must not lose the real files' report
                name = "generated held-out-style set (tests/evidence/checks/heldout.py)"
                error = f"not built: {type(exc).__name__}: {exc}"[:300]
                sources.append(Source(name, GENERATED, note=error))
        entries = check_sources(sources)
    report = build_report(entries, sources)
    report["run"] = {
        "finished": time.strftime("%Y-%m-%d %H:%M %Z"),
        "commit": _commit(),
        "seconds": round(time.perf_counter() - started, 1),
        "corpus": str(corpus) if present else f"absent ({corpus})",
        "machine": _machine(),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "accuracy.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (out_dir / "accuracy.md").write_text(render_markdown(report), encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    """`python -m bench accuracy [--no-heldout] [--no-corpus] [--out DIR]`."""
    parser = argparse.ArgumentParser(prog="python -m bench accuracy")
    parser.add_argument("--no-heldout", action="store_true", help="skip the generated set")
    parser.add_argument("--no-corpus", action="store_true", help="repository files only")
    parser.add_argument("--out", type=Path, default=DOCS, help="folder for accuracy.md/.json")
    args = parser.parse_args(argv)
    report = run(
        corpus=None if args.no_corpus else CORPUS, heldout=not args.no_heldout, out_dir=args.out
    )
    for name, h in report["headline"].items():
        sys.stdout.write("\n".join(_headline_lines(f"{name} files", h)) + "\n")
    sys.stdout.write(f"written: {args.out / 'accuracy.md'}, {args.out / 'accuracy.json'}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
