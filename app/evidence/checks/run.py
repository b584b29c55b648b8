"""Check loose files or a case's items: the entry points the CLI and the GUI call.

    check_file(path)            one loose file, no case needed
    iter_check_paths(paths)     files and folders (recursive), one FileCheck at a time
    check_item(case, item)      an imported item: stored metadata, vault original for pixels
    report_json(checks)         {"files": [...]} as `evidence-desk check --json` prints it
    exit_code(checks)           0 when every file was read, 2 when one could not be

Nothing raises for a bad file: damage, unsupported content and reader failures become the
`unreadable` verdict with a finding that says why; a failure inside a check becomes a
`check_incomplete` finding (and the file can no longer be called a camera original).
"""

from __future__ import annotations

import hashlib
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from app.evidence.checks.metajson import metadata_from_json
from app.evidence.checks.model import CheckOptions, FileCheck, Finding, Severity, Traits, Verdict
from app.evidence.checks.photo import check_photo
from app.evidence.checks.quant import ijg_quality
from app.evidence.checks.routes import route_findings
from app.evidence.checks.signatures import classify_program
from app.evidence.checks.texts import finding
from app.evidence.checks.verdict import decide_verdict, strongest_first
from app.evidence.checks.video import check_video
from app.evidence.errors import InputError
from app.evidence.i18n import Text
from app.evidence.ingest.importer import collect_files
from app.evidence.labels import KIND
from app.evidence.models import Item, ItemKind, MediaMetadata
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress
from app.evidence.readers.dispatch import read_metadata
from app.evidence.readers.image import check_input_file
from app.evidence.readers.mp4box import read_mp4_structure
from app.evidence.readers.sniff import HEADER_BYTES, Sniffed, decide_kind, sniff

logger = logging.getLogger(__name__)

_BOXED = {"mp4", "mov", "3gp"}
_DEFAULT = CheckOptions()


def check_file(
    path: Path, *, kind_hint: ItemKind | None = None, options: CheckOptions = _DEFAULT
) -> FileCheck:
    """Check one loose file.

    Args:
        path: the file.
        kind_hint: the kind to check it as (a user's correction); sniffed when None.
        options: what to run.

    Returns:
        The file's verdict and findings; `unreadable` when it cannot be read.
    """
    path = Path(path)
    try:
        return _check_file(path, kind_hint, options)
    except Exception as exc:  # the last guard: one file's answer, never a crash of the batch
        logger.warning("checking %s failed", path, exc_info=True)
        return _unreadable(str(path), None, kind_hint, exc)


def _check_file(path: Path, kind_hint: ItemKind | None, options: CheckOptions) -> FileCheck:
    sha = None
    try:
        check_input_file(path)
        sha = _sha256(path)
        with path.open("rb") as fh:
            head = fh.read(HEADER_BYTES)
        sniffed = sniff(head, path.name)
    except (InputError, OSError) as exc:
        return _unreadable(str(path), sha, None, exc)
    try:
        meta = read_metadata(path, sniffed)
    except InputError as exc:
        return _unreadable(str(path), sha, _family_kind(sniffed, kind_hint), exc)
    kind = kind_hint or decide_kind(sniffed, meta)
    return _check_read(str(path), path, sha, kind, meta, options)


def iter_check_paths(
    paths: Iterable[Path],
    *,
    kind_hint: ItemKind | None = None,
    options: CheckOptions = _DEFAULT,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    workers: int = 2,
) -> Iterator[FileCheck]:
    """Check files and folders (recursively, sorted; hidden files skipped), in order.

    Hashing, decoding and MediaInfo release the GIL, so `workers` threads check files ahead
    of the one being yielded (at most 2 x workers in flight; results keep the input order).

    Raises:
        Cancelled: `cancel` was set; the checks already yielded stand.
    """
    files, missing = collect_files(paths)
    for gone in missing:
        yield _unreadable(gone.path, None, None, InputError(gone.message or "not found"))
    total = len(files)
    progress(Progress("check", 0, total))
    queue = iter(files)
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="check") as pool:
        pending: deque[tuple[Path, Future[FileCheck]]] = deque()

        def submit_next() -> None:
            path = next(queue, None)
            if path is not None:
                pending.append(
                    (path, pool.submit(check_file, path, kind_hint=kind_hint, options=options))
                )

        for _ in range(max(1, workers) * 2):
            submit_next()
        done = 0
        try:
            while pending:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                path, future = pending.popleft()
                checked = future.result()
                submit_next()
                done += 1
                yield checked
                progress(Progress("check", done, total, path.name))
        finally:
            for _, future in pending:
                future.cancel()


def check_item(case: Any, item: Item, *, options: CheckOptions = _DEFAULT) -> FileCheck:
    """Check an imported item: its stored metadata, its vault original for pixels.

    Args:
        case: the open `Case` (`case.path_of(item)` finds the vault original).
        item: the item; its kind (possibly corrected by the user) is respected.

    Returns:
        The verdict with `path` set to the item's vault path (relative to the case folder).
    """
    try:  # a crafted case's path outside originals/ is never read (UnsafeStoredPath)
        path = case.path_of(item) if hasattr(case, "path_of") else Path(case.root) / item.vault_path
    except InputError as exc:
        return _unreadable(item.vault_path, item.sha256, item.kind, exc)
    if item.read_error:
        return _unreadable(item.vault_path, item.sha256, item.kind, InputError(item.read_error))
    meta = metadata_from_json(item.metadata)
    if meta is None:  # stored by an older reader, or no media metadata: read the original
        try:
            meta = read_metadata(path, sniff(path.read_bytes()[:HEADER_BYTES], path.name))
        except (InputError, OSError) as exc:
            return _unreadable(item.vault_path, item.sha256, item.kind, exc)
    name = item.original_name
    return _check_read(item.vault_path, path, item.sha256, item.kind, meta, options, name)


def report_json(checks: Iterable[FileCheck]) -> dict[str, Any]:
    """The document `evidence-desk check --json` prints."""
    return {"files": [c.to_json() for c in checks]}


def exit_code(checks: Iterable[FileCheck]) -> int:
    """0 when every file was read, 2 when at least one could not be (issue #3)."""
    return 2 if any(c.verdict == Verdict.UNREADABLE for c in checks) else 0


def _check_read(
    shown: str,
    path: Path,
    sha: str | None,
    kind: ItemKind,
    meta: MediaMetadata,
    options: CheckOptions,
    name: str | None = None,
) -> FileCheck:
    findings: list[Finding] = []
    skeleton = None
    try:
        if kind in (ItemKind.PHOTO, ItemKind.SCREENSHOT) and meta.width:
            photo_findings, photo = check_photo(path, kind, meta, options)
            findings.extend(photo_findings)
            skeleton = photo.jpeg.skeleton() if photo.jpeg else None
        elif kind == ItemKind.VIDEO:
            box = read_mp4_structure(path) if meta.format in _BOXED else None
            findings.extend(check_video(meta, box, path, options))
        else:
            zh = KIND[kind][0]  # the one kind table (app/evidence/labels.py)
            params = {"kind": kind.value}
            findings.append(finding("not_checked", Severity.INFO, params, kind_zh=zh))
    except Exception as exc:  # a bug in one check must not lose the file's answer
        logger.warning("a check failed on %s", path, exc_info=True)
        params = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        findings.append(finding("check_incomplete", Severity.INFO, params))
    verdict = decide_verdict(kind, findings, readable=True)
    # after the verdict, info only (listed first of the infos): which way a non-original most
    # likely came (issue 22)
    findings[:0] = route_findings(verdict, kind, meta, findings, path, name or path.name)
    return FileCheck(
        path=shown,
        sha256=sha,
        kind=kind.value,
        verdict=verdict,
        capture_time=meta.capture_time,
        findings=strongest_first(findings),
        metadata=meta,
        traits=_traits(meta, skeleton),
    )


def _unreadable(shown: str, sha: str | None, kind: ItemKind | None, exc: Exception) -> FileCheck:
    message = exc.args[0] if len(exc.args) == 1 else None
    if isinstance(message, Text):  # each language's explanation gets its own reason
        reason, display = message.en, {"reason_zh": message.zh[:300], "reason_en": message.en[:300]}
    else:
        reason, display = str(exc) or type(exc).__name__, {}
    code = getattr(exc, "code", "unreadable_file")
    # the reason in params stays English: `check --json` is the same in every language
    params = {"reason": reason[:300], "error_code": code}
    unreadable = finding("unreadable", Severity.ALERT, params, **display)
    return FileCheck(
        path=shown,
        sha256=sha,
        kind=kind.value if kind else None,
        verdict=Verdict.UNREADABLE,
        findings=(unreadable,),
    )


def _family_kind(sniffed: Sniffed, hint: ItemKind | None) -> ItemKind | None:
    if hint is not None:
        return hint
    if sniffed.family in ("image", "video"):
        return decide_kind(sniffed, None)
    return None


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _traits(meta: MediaMetadata, skeleton: str | None) -> Traits:
    software = meta.software or meta.encoder
    tables = meta.quantization_tables
    quality = ijg_quality(tables) if tables else None
    quant = None
    if tables:
        custom = ",".join(str(v) for v in tables[0][:8])
        quant = f"IJG q{quality}" if quality else f"custom:{custom}"
    return Traits(
        make=meta.make,
        model=meta.model,
        software=software,
        program_category=classify_program(software).category if software else None,
        quant_signature=quant,
        skeleton=skeleton,
        size=(meta.width, meta.height) if meta.width and meta.height else None,
    )
