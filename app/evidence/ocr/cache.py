"""OCR results cached by the original's SHA-256; the user's corrections come from the case.

Layout of the cache folder (a case's ``derived/ocr/``; it can be deleted and rebuilt)::

    <sha256>.json              what the OCR read: size, lines with boxes and scores, engine

The OCR file is rewritten freely (a newer engine, a rebuilt cache). What the user typed over
a line is user data and lives in case.sqlite (`app.evidence.store.ocr_corrections`); a cache
made for a case (`OcrCache.for_case`) applies those, a cache of loose files has none. A
correction is applied only while the line it was made for still reads the same, so an OCR
re-run never silently attaches an old correction to a different line. The effective text of
a line is the correction when there is one.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from app.evidence.errors import UnreadableFile
from app.evidence.jsonfile import read_json, write_json
from app.evidence.ocr.engine import OcrBackend, OcrLine, OcrResult, recognize
from app.evidence.progress import CancelToken, ProgressCallback, no_progress
from app.evidence.store.ocr_corrections import LineCorrection, corrections_of

if TYPE_CHECKING:
    from app.evidence.store.case import Case

log = logging.getLogger(__name__)

SCHEMA = 1

CorrectionSource = Callable[[str], tuple[LineCorrection, ...]]
"""sha256 -> the user's corrections of that original's lines."""


def _no_corrections(sha256: str) -> tuple[LineCorrection, ...]:
    return ()


class OcrCache:
    """OCR results in one folder, keyed by SHA-256 (lower-case hex), with a source of the
    user's corrections (none for loose files; the case's table for `for_case`)."""

    def __init__(self, folder: Path, corrections: CorrectionSource | None = None) -> None:
        self.folder = Path(folder)
        self._corrections = corrections or _no_corrections

    @classmethod
    def for_case(cls, case: Case) -> OcrCache:
        """The cache in a case's derived/ocr/ folder, with the corrections stored in the case."""
        return cls(case.derived_dir("ocr"), lambda sha256: corrections_of(case, sha256))

    # -- what the OCR read ------------------------------------------------------------------

    def get(self, sha256: str) -> OcrResult | None:
        """The cached OCR result as read (no corrections), or None when absent or unreadable."""
        data = read_json(self._ocr_path(sha256))
        if data is None or data.get("schema") != SCHEMA or data.get("sha256") != sha256:
            return None
        try:
            lines = tuple(
                OcrLine(str(t), (int(x0), int(y0), int(x1), int(y1)), float(s))
                for x0, y0, x1, y1, t, s in data["lines"]
            )
            return OcrResult(
                int(data["width"]),
                int(data["height"]),
                lines,
                str(data["engine"]),
                float(data["seconds"]),
            )
        except (KeyError, TypeError, ValueError):
            log.warning("ignoring a malformed OCR cache file for %s", sha256[:12])
            return None

    def put(self, sha256: str, result: OcrResult) -> None:
        """Store what the OCR read (corrected_from is never stored here)."""
        data = {
            "schema": SCHEMA,
            "sha256": sha256,
            "width": result.width,
            "height": result.height,
            "engine": result.engine_version,
            "seconds": result.seconds,
            "lines": [[*ln.box, ln.corrected_from or ln.text, ln.score] for ln in result.lines],
        }
        write_json(self._ocr_path(sha256), data)

    # -- with the user's corrections ---------------------------------------------------------

    def corrections(self, sha256: str) -> tuple[LineCorrection, ...]:
        """Every correction the user made for this original, by line index."""
        return self._corrections(_checked(sha256))

    def effective(self, sha256: str) -> OcrResult | None:
        """The cached result with the user's corrections applied (see `apply_corrections`)."""
        result = self.get(sha256)
        return None if result is None else apply_corrections(result, self.corrections(sha256))

    def _ocr_path(self, sha256: str) -> Path:
        return self.folder / f"{_checked(sha256)}.json"


def apply_corrections(result: OcrResult, fixes: tuple[LineCorrection, ...]) -> OcrResult:
    """Replace line texts by the user's; skip a correction whose line now reads differently."""
    lines = list(result.lines)
    for fix in fixes:
        if 0 <= fix.line < len(lines) and lines[fix.line].text == fix.ocr_text:
            lines[fix.line] = replace(lines[fix.line], text=fix.text, corrected_from=fix.ocr_text)
        else:
            log.warning(
                "correction for line %d no longer matches the OCR text; not applied", fix.line
            )
    return replace(result, lines=tuple(lines))


def recognize_cached(
    path: Path,
    cache: OcrCache,
    *,
    sha256: str | None = None,
    backend: OcrBackend | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> OcrResult:
    """The effective OCR result of a file: from the cache when present, else OCR then store.

    Args:
        path: the original (a case's vault copy or a loose file).
        cache: where results live.
        sha256: the file's SHA-256 when already known (a case item); computed otherwise.
        backend, progress, cancel: passed to `recognize` on a cache miss.
    """
    if sha256 is None:
        try:
            with open(path, "rb") as handle:
                sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError as exc:
            raise UnreadableFile(f"cannot read {path}: {exc.strerror or exc}", str(path)) from exc
    cached = cache.effective(sha256)
    if cached is not None:
        return cached
    result = recognize(path, backend=backend, progress=progress, cancel=cancel)
    cache.put(sha256, result)
    return apply_corrections(result, cache.corrections(sha256))


def _checked(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a lower-case hex SHA-256: {sha256!r}")
    return sha256
