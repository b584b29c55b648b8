"""Measure how precise each alert code is on labelled real files (for edit_deciders.py).

    python -m tests.evidence.checks.measure_deciders [labels.csv ...]

Default label files: the shared corpus's labels.csv (photo rows) and, when present, the
real-world labels written for issue 16 (/work/notes/realworld_labels.csv, and
realworld_truth.csv beside this module: the files where an alert fired or a verdict was in
doubt, each with the evidence it was decided on). A label file has the columns path and truth (or label/verdict)
with paths relative to the corpus folder. "edited" counts as changed; "camera_original",
"recompressed" and "original" count as not edited. Prints, per alert code: how often it fired
on changed and on other files, and its precision.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

from app.evidence.checks.model import Severity
from app.evidence.checks.run import check_file

CORPUS = Path("/work/shared/corpus")
DEFAULT_LABELS = (
    CORPUS / "labels.csv",
    Path("/work/notes/realworld_labels.csv"),
    Path(__file__).with_name("realworld_truth.csv"),
)
CHANGED = {"edited", "cropped", "changed"}
NOT_EDITED = {"camera_original", "original", "recompressed", "rotated", "metadata_only"}


def _rows(path: Path) -> list[tuple[Path, str]]:
    out = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rel = row.get("path") or row.get("file") or ""
            truth = (row.get("truth") or row.get("label") or row.get("verdict") or "").strip()
            if not rel or truth not in CHANGED | NOT_EDITED:
                continue
            if row.get("kind", "photo") not in ("photo", "screenshot", ""):
                continue
            full = Path(rel) if Path(rel).is_absolute() else CORPUS / rel
            if not full.exists():
                full = CORPUS / "realworld" / rel
            if full.exists():
                out.append((full, truth))
    return out


def measure(label_files: list[Path]) -> dict[str, tuple[int, int]]:
    """code -> (fired on changed files, fired on files not edited)."""
    seen: dict[Path, str] = {}
    for lf in label_files:
        if lf.exists():
            seen.update(dict(_rows(lf)))
    fired: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path, truth in sorted(seen.items()):
        check = check_file(path)
        codes = {f.code for f in check.findings if f.severity == Severity.ALERT}
        for code in codes:
            fired[code][0 if truth in CHANGED else 1] += 1
    print(f"{len(seen)} labelled files")
    return {code: (a, b) for code, (a, b) in fired.items()}


def main(argv: list[str]) -> None:
    files = [Path(a) for a in argv] or list(DEFAULT_LABELS)
    for code, (good, bad) in sorted(measure(files).items()):
        print(f"{code:<32} changed {good:>3}  not edited {bad:>3}  precision {good / (good + bad):.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
