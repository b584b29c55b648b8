"""Measure how precise each alert code is on labelled real files (for edit_deciders.py).

    python -m tests.evidence.checks.measure_deciders [-v] [labels.csv ...]
    python -m tests.evidence.checks.measure_deciders --heldout [-v]

Default labels: tests/data/realworld/labels.csv (real camera and phone files, each decided from
the evidence written beside it; files not kept in the repository are read from
../shared/corpus/realworld/). Its convention is the verdict rule's: `edited` means what the
picture shows changed; an editor's or tool's re-save, a downscale or a metadata rewrite is
`recompressed`. (../shared/corpus/labels.csv labels GIMP downscales `edited`, so it is not
used for precision.) --heldout counts the generated held-out set instead: content edits
(pixel_edit, clone, crop) of real camera originals as changed, everything else as not.
Prints, per alert code: how often it fired with alert severity on files
labelled edited and on the others, and its precision; -v lists the files.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

from app.evidence.checks.model import Severity
from app.evidence.checks.run import check_file

CORPUS = Path("/work/shared/corpus")
REPO_REALWORLD = Path(__file__).resolve().parents[2] / "data" / "realworld"
DEFAULT_LABELS = (REPO_REALWORLD / "labels.csv",)
CHANGED = {"edited", "cropped", "changed"}
NOT_EDITED = {
    "camera_original",
    "original",
    "recompressed",
    "rotated",
    "metadata_only",
    "orientation_test",  # ../shared/corpus: one picture written under eight orientations by a tool
}


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
            full = Path(rel) if Path(rel).is_absolute() else path.parent / rel
            if not full.exists():
                full = CORPUS / "realworld" / rel
            if full.exists():
                out.append((full, truth))
    return out


def measure(label_files: list[Path], verbose: bool = False) -> dict[str, tuple[int, int]]:
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
        if verbose and codes:
            print(f"  {truth:<16} {check.verdict.value:<16} {sorted(codes)} {path.name}")
    print(f"{len(seen)} labelled files")
    return {code: (a, b) for code, (a, b) in fired.items()}


# Generated edits of real camera originals (tests/evidence/checks/heldout.py) whose content
# changed; the other generated cases (metadata rewrites, conversions, chat copies, copies) are
# not edited under the verdict rule.
_CONTENT_EDITS = ("pixel_edit", "clone", "crop")


def measure_heldout(verbose: bool = False) -> dict[str, tuple[int, int]]:
    """Alert firings on the generated held-out set (photos only), split the same way."""
    import tempfile

    from tests.evidence.checks.heldout import build

    fired: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with tempfile.TemporaryDirectory() as tmp:
        cases = build(CORPUS, Path(tmp), videos=False)
        for case in cases:
            check = check_file(case.path)
            codes = {f.code for f in check.findings if f.severity == Severity.ALERT}
            content = any(k in case.name for k in _CONTENT_EDITS)
            for code in codes:
                fired[code][0 if content else 1] += 1
            if verbose and codes:
                print(f"  {'edited' if content else 'other':<16} {sorted(codes)} {case.name}")
    print(f"{len(cases)} generated files")
    return {code: (a, b) for code, (a, b) in fired.items()}


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    if "--heldout" in argv:
        found = measure_heldout(verbose)
    else:
        files = [Path(a) for a in argv if not a.startswith("-")] or list(DEFAULT_LABELS)
        found = measure(files, verbose)
    for code, (good, bad) in sorted(found.items()):
        precision = good / (good + bad)
        print(f"{code:<32} changed {good:>3}  not edited {bad:>3}  precision {precision:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
