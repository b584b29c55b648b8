"""Rebuildable files of a case under derived/: thumbnails (and, later, other caches).

Everything here can be deleted and made again from the originals; nothing here is evidence.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

from app.evidence.errors import UnsafeStoredPath
from app.evidence.i18n import both
from app.evidence.ingest.thumbnails import ThumbnailJob, ThumbnailResult, make_thumbnails
from app.evidence.memory import limit_heap_growth
from app.evidence.models import Item, ItemKind
from app.evidence.progress import Progress, ProgressCallback, no_progress
from app.evidence.store import vault
from app.evidence.store.case import DERIVED, Case

log = logging.getLogger(__name__)

THUMBNAIL_KINDS = {ItemKind.PHOTO, ItemKind.SCREENSHOT, ItemKind.VIDEO}
SHA256 = re.compile(r"[0-9a-f]{64}")


def thumbnail_path(case: Case, item: Item) -> Path:
    """Where an item's thumbnail lives (it may not exist yet).

    Raises:
        UnsafeStoredPath: the item's recorded SHA-256 is not one (a crafted case.sqlite could
            name a path outside derived/ with it), or a link is on the way.
    """
    if not SHA256.fullmatch(item.sha256):
        message = both(
            "第 {item} 项记录的 SHA-256 不是有效的哈希值，不生成缩略图",
            "item {item}: the recorded SHA-256 is not a hash; no thumbnail",
            item=item.id,
        )
        raise UnsafeStoredPath(message, item.sha256)
    return vault.derived_path(case.root, f"{DERIVED}/thumbs/{item.sha256[:2]}/{item.sha256}.jpg")


def build_thumbnails(
    case: Case,
    item_ids: Iterable[int] | None = None,
    *,
    progress: ProgressCallback = no_progress,
    workers: int | None = None,
    force: bool = False,
) -> list[ThumbnailResult]:
    """Make missing thumbnails for the given items (all items when None), in parallel.

    `workers` processes (one per core when None) make them; see thumbnails.make_thumbnails.
    """
    limit_heap_growth()  # a small batch decodes on this process's threads: keep RSS flat
    wanted = set(item_ids) if item_ids is not None else None
    jobs = []
    for item in case.items():
        if (wanted is not None and item.id not in wanted) or item.kind not in THUMBNAIL_KINDS:
            continue
        try:
            dest = thumbnail_path(case, item)
            if force or not dest.exists():
                jobs.append(ThumbnailJob(case.path_of(item), dest, item.kind.value))
        except UnsafeStoredPath as exc:
            log.warning("no thumbnail for item %d: %s", item.id, exc)
    if not jobs:
        return []
    results = make_thumbnails(
        jobs, workers=workers, progress=lambda d, t: progress(Progress("thumbnails", d, t))
    )
    for result in results:
        if result.error:
            log.info("no thumbnail for %s: %s", result.job.src.name, result.error)
    return results
