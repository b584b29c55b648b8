"""Rebuildable files of a case under derived/: thumbnails (and, later, other caches).

Everything here can be deleted and made again from the originals; nothing here is evidence.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from app.evidence.ingest.thumbnails import ThumbnailJob, ThumbnailResult, make_thumbnails
from app.evidence.memory import limit_heap_growth
from app.evidence.models import Item, ItemKind
from app.evidence.progress import Progress, ProgressCallback, no_progress
from app.evidence.store.case import Case

log = logging.getLogger(__name__)

THUMBNAIL_KINDS = {ItemKind.PHOTO, ItemKind.SCREENSHOT, ItemKind.VIDEO}


def thumbnail_path(case: Case, item: Item) -> Path:
    """Where an item's thumbnail lives (it may not exist yet)."""
    return case.root / "derived" / "thumbs" / item.sha256[:2] / f"{item.sha256}.jpg"


def build_thumbnails(
    case: Case,
    item_ids: Iterable[int] | None = None,
    *,
    progress: ProgressCallback = no_progress,
    workers: int = 2,
    force: bool = False,
) -> list[ThumbnailResult]:
    """Make missing thumbnails for the given items (all items when None), in parallel."""
    limit_heap_growth()  # a HEIC decode allocates ~100 MB on a worker thread's arena
    wanted = set(item_ids) if item_ids is not None else None
    jobs = []
    for item in case.items():
        if (wanted is not None and item.id not in wanted) or item.kind not in THUMBNAIL_KINDS:
            continue
        dest = thumbnail_path(case, item)
        if force or not dest.exists():
            jobs.append(ThumbnailJob(case.path_of(item), dest, item.kind.value))
    if not jobs:
        return []
    results = make_thumbnails(jobs, workers=workers, progress=lambda d, t: progress(Progress("thumbnails", d, t)))
    for result in results:
        if result.error:
            log.info("no thumbnail for %s: %s", result.job.src.name, result.error)
    return results
