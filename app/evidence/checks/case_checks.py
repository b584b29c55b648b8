"""Integrity checks of a case's items, stored with the case: findings and one verdict each.

Per-item checks run on a small thread pool (decoding and hashing release the GIL); the results
are written on the calling thread, one transaction per item. Cross-item findings (same device
with different traits, identical pixels under different metadata) are stored on every item
they concern and never change a verdict.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor

from app.evidence.checks.cross import cross_check
from app.evidence.checks.model import FileCheck, Finding
from app.evidence.checks.run import CheckOptions, check_item
from app.evidence.ingest.derived import load_pixel_hashes, save_pixel_hashes
from app.evidence.memory import limit_heap_growth
from app.evidence.models import Item, ItemKind
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress
from app.evidence.store.case import Case
from app.evidence.store.findings import StoredFinding, load_findings, replace_findings, verdicts

log = logging.getLogger(__name__)

CHECKED_KINDS = {ItemKind.PHOTO, ItemKind.SCREENSHOT, ItemKind.VIDEO}


def stored(finding: Finding, origin: str, item_id: int | None) -> StoredFinding:
    """A check's finding in the shape the case stores."""
    fp = finding.false_positives or {}
    return StoredFinding(
        code=finding.code,
        severity=finding.severity.value,
        title_zh=finding.title_zh,
        title_en=finding.title_en,
        explanation_zh=finding.explanation_zh,
        explanation_en=finding.explanation_en,
        false_positives="\n".join(v for v in (fp.get("zh"), fp.get("en")) if v),
        params=dict(finding.params),
        origin=origin,
        item_id=item_id,
    )


def check_case_items(
    case: Case,
    item_ids: Iterable[int] | None = None,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    workers: int = 2,
    recheck: bool = False,
    thumbnail_found: Mapping[str, tuple[Finding, ...]] | None = None,
) -> dict[int, str]:
    """Check items (those without a verdict, or `item_ids`), store findings; id -> verdict.

    `thumbnail_found`: SHA-256 -> the thumbnail comparison's findings the import already made
    from its one decode of that file (checks.import_decode); those files are not decoded again.
    """
    limit_heap_growth()  # decodes on worker threads: freed image buffers go back to the OS
    known = verdicts(case)
    wanted = set(item_ids) if item_ids is not None else None
    todo: list[Item] = [
        item
        for item in case.items()
        if item.kind in CHECKED_KINDS
        and (wanted is None or item.id in wanted)
        and (recheck or wanted is not None or item.id not in known)
    ]
    done: dict[int, str] = {}
    found = thumbnail_found or {}
    progress(Progress("check", 0, len(todo)))
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="check") as pool:
        for n, (item, result) in enumerate(
            zip(todo, pool.map(lambda i: _check(case, i, _options(i, found)), todo), strict=True),
            1,
        ):
            if cancel is not None and cancel.cancelled:
                break
            if result is not None:
                replace_findings(
                    case,
                    "check",
                    item.id,
                    [stored(f, "check", item.id) for f in result.findings],
                    verdict=result.verdict.value,
                )
                done[item.id] = result.verdict.value
            progress(Progress("check", n, len(todo), item.original_name))
    if done and not (cancel is not None and cancel.cancelled):
        store_cross_findings(case)
    return done


def _options(item: Item, found: Mapping[str, tuple[Finding, ...]]) -> CheckOptions | None:
    made = found.get(item.sha256)
    return None if made is None else CheckOptions(thumbnail_found=made)


def _check(case: Case, item: Item, options: CheckOptions | None = None) -> FileCheck | None:
    try:
        return check_item(case, item, options=options or CheckOptions())
    except Exception:  # check_item promises not to raise; one file never stops the rest
        log.exception("check failed for item %d", item.id)
        return None


def check_again(case: Case, item: Item) -> FileCheck | None:
    """The checks of one item run again as at import (what `verify` compares with the stored
    verdict); None for a kind that is not checked."""
    if item.kind not in CHECKED_KINDS:
        return None
    return check_item(case, item, options=CheckOptions())


def store_cross_findings(case: Case) -> int:
    """Re-run the cross-item checks over every checked item; returns how many findings."""
    items = [i for i in case.items() if i.kind in CHECKED_KINDS]
    # The traits cross-checks compare come from metadata and the compressed stream: the
    # thumbnail comparison, the slow part of a check, is not needed again.
    quick = CheckOptions(thumbnail=False)
    checks = [r for r in (_check(case, item, quick) for item in items) if r is not None]
    had = {f.item_id for f in load_findings(case) if f.origin == "cross"}
    by_sha = {item.sha256: item.id for item in items}
    per_item: dict[int, list[StoredFinding]] = {item.id: [] for item in items}
    known = load_pixel_hashes(case)
    kept = dict(known)
    found = cross_check(checks, root=case.root, pixel_hashes=known)
    current = {item.sha256 for item in items}
    known = {sha: digest for sha, digest in known.items() if sha in current}  # removed items go
    if known != kept:
        save_pixel_hashes(case, known)
    for cross in found:
        for sha in cross.items:
            item_id = by_sha.get(sha)
            if item_id is not None:
                per_item[item_id].append(stored(cross.finding, "cross", item_id))
    for item_id, rows in per_item.items():
        if rows or item_id in had:  # write only what changes: every write is an audit row
            replace_findings(case, "cross", item_id, rows)
    return len(found)
