"""Per-exhibit material shared by the PDF and the upload pack, made once in a work folder.

For each exhibit: its original is re-hashed (a vault file whose bytes changed is reported, not
silently exported), and a clean preview is made: a downscaled upright JPEG for photos and
screenshots (plus the row profile used to cut long screenshots), keyframes for videos, a parsed
table for tracking records, page images for PDF receipts (`receipts`). A JPEG that already
fits and needs no change (upright, sRGB, no redaction of any kind recorded for it) keeps its
own coded picture, only its metadata segments dropped (`passthrough_jpeg`). Previews are files,
so memory stays flat however large the case.
Accepted redaction regions are filled in the previews (see `app.evidence.privacy`), and masked
text replaces what they hide in tracking tables. Work runs on a small thread pool, results come
back in exhibit order, and the cancel token is checked between exhibits; in a case with many
photos and screenshots their pictures are made in worker processes (`picture_pool`): a decoder
that crashes costs only its exhibit, and decoding never holds the GIL against the window.
"""

from __future__ import annotations

import contextlib
import logging
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from app.evidence.errors import InputError
from app.evidence.export.keyframes import Keyframe, extract_keyframes
from app.evidence.export.model import Exhibit
from app.evidence.export.picture_pool import (
    PictureJob,
    PicturePool,
    PictureResult,
    make_picture,
    use_pool,
)
from app.evidence.export.receipts import ReceiptError, RenderedReceipt, receipt_note, render_receipt
from app.evidence.export.tracking_table import TrackingTable, read_table
from app.evidence.models import ItemKind
from app.evidence.privacy.burn import picture_rects
from app.evidence.privacy.model import Rect, Redaction
from app.evidence.privacy.textmask import TextMasker
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress
from app.evidence.store.vault import hash_file
from app.evidence.worker_pool import processes_allowed

log = logging.getLogger(__name__)

PHOTO_PX = 1600  # long edge of a photo in the shareable PDF (~230 dpi across an A4 column)
PHOTO_QUALITY = 85
SCREENSHOT_WIDTH = 1080  # phone screenshots keep their text size; wider ones come down to this
SCREENSHOT_MAX_HEIGHT = 60000  # under JPEG's 65535 limit
SCREENSHOT_QUALITY = 88


@dataclass(frozen=True)
class Picture:
    """A clean JPEG copy in the work folder."""

    path: Path
    width: int
    height: int


@dataclass(frozen=True, eq=False)
class ExhibitAssets:
    """What the writers draw for one exhibit.

    Attributes:
        activity: per-row activity of a screenshot (where to cut it), None otherwise.
        hash_ok: False when the original's bytes no longer match its recorded SHA-256;
            None for an event exhibit or when the original is missing.
        problem: why there is no preview, in plain words ("" when there is one or none is due).
        redactions: ids of the redaction regions filled in this exhibit's preview or keyframes.
        receipt: the rendered pages of a PDF document, None for anything else.
    """

    exhibit: Exhibit
    picture: Picture | None = None
    activity: np.ndarray | None = None
    frames: tuple[Keyframe, ...] = ()
    tracking: TrackingTable | None = None
    hash_ok: bool | None = None
    problem: str = ""
    redactions: tuple[int, ...] = ()
    receipt: RenderedReceipt | None = None


def prepare_assets(
    exhibits: Sequence[Exhibit],
    work: Path,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    workers: int = 2,
    redactions: Mapping[int, Sequence[Redaction]] | None = None,
    masker: TextMasker | None = None,
    zone_name: str | None = None,
    processes: bool | None = None,
) -> list[ExhibitAssets]:
    """Prepare every exhibit's preview, in order, with a few exhibits in flight.

    Args:
        workers: threads (at least one more than the pool's processes when it is used).
        redactions: item id -> its redactions (accepted ones are filled).
        masker: masks redacted text in tracking tables.
        zone_name: the case's zone: tracking tables show their times on its clock.
        processes: whether photos' and screenshots' pictures are made in worker processes
            (`picture_pool`): None for a case of `POOL_MIN_PICTURES` of them or more, True
            always, False never (on these threads); never in a frozen build.
    """
    regions = redactions or {}
    cancel = cancel or CancelToken()
    total = len(exhibits)
    progress(Progress("export.prepare", 0, total))
    results: list[ExhibitAssets] = []
    queue = iter(exhibits)
    pending: deque[Future[ExhibitAssets]] = deque()
    kinds = [e.item.kind.value for e in exhibits if e.item is not None]
    pooled = processes_allowed() and (processes or (processes is None and use_pool(kinds)))
    pictures = PicturePool() if pooled else None  # as many processes as cores
    # with the pool: one thread more than processes, so a job is always waiting for a worker
    threads = max(1, workers, pictures.workers + 1 if pictures else 0)
    with (
        contextlib.nullcontext() if pictures is None else pictures,
        ThreadPoolExecutor(max_workers=threads, thread_name_prefix="export") as pool,
    ):

        def submit() -> None:
            nxt = next(queue, None)
            if nxt is not None:
                found = regions.get(nxt.item.id, ()) if nxt.item is not None else ()
                pending.append(
                    pool.submit(prepare_one, nxt, work, found, masker, zone_name, pictures)
                )

        for _ in range(threads * 2):
            submit()
        try:
            while pending:
                cancel.raise_if_cancelled()
                assets = pending.popleft().result()
                results.append(assets)
                progress(Progress("export.prepare", len(results), total, assets.exhibit.title))
                submit()
        finally:
            for future in pending:
                future.cancel()
    return results


def prepare_one(
    exhibit: Exhibit,
    work: Path,
    redactions: Sequence[Redaction] = (),
    masker: TextMasker | None = None,
    zone_name: str | None = None,
    processes: PicturePool | None = None,
) -> ExhibitAssets:
    """Hash check and preview for one exhibit; a bad file gives a problem, never an exception.

    Args:
        processes: the worker processes that make photos' and screenshots' pictures; None
            makes them on this thread.
    """
    if exhibit.item is None or exhibit.path is None:
        return ExhibitAssets(exhibit)
    path, stem = exhibit.path, f"e{exhibit.number:05d}"
    if not path.is_file():
        return ExhibitAssets(
            exhibit, problem="原件不在案件文件夹中 / the original is missing from the case"
        )
    hash_ok = hash_file(path) == exhibit.item.sha256
    if not hash_ok:
        log.warning("%s: the original's bytes no longer match the recorded SHA-256", exhibit.label)
    try:
        kind = exhibit.item.kind
        rects = picture_rects(redactions)
        filled = tuple(
            r.id for r in redactions if r.applied and r.rect is not None and r.page is None
        )
        if kind in (ItemKind.PHOTO, ItemKind.SCREENSHOT):
            # A JPEG's own picture is kept only without any redaction recorded for the item.
            job = picture_job(kind, path, work / f"{stem}.jpg", tuple(rects), not redactions)
            made = processes.run(job) if processes is not None else make_picture(job)
            return _picture_assets(exhibit, made, hash_ok, filled)
        if kind is ItemKind.VIDEO:
            frames = extract_keyframes(path, work, stem, redactions=redactions)
            used = tuple(sorted({n for f in frames for n in f.redactions}))
            return ExhibitAssets(exhibit, frames=tuple(frames), hash_ok=hash_ok, redactions=used)
        if kind is ItemKind.TRACKING:
            table = _masked_table(read_table(path, exhibit.item, zone_name), masker)
            return ExhibitAssets(exhibit, tracking=table, hash_ok=hash_ok)
        if kind is ItemKind.DOCUMENT and exhibit.item.format == "pdf":
            return _receipt(exhibit, path, work, stem, tuple(redactions), hash_ok)
        return ExhibitAssets(
            exhibit,
            hash_ok=hash_ok,
            problem="文档不在此处显示，原件在 ZIP 中 / documents are not shown here; "
            "the original is in the ZIP",
        )
    except InputError as exc:
        return ExhibitAssets(exhibit, hash_ok=hash_ok, problem=f"无法生成预览 / no preview: {exc}")
    except Exception as exc:  # noqa: BLE001 - hostile content in a decoder: one exhibit, not the export
        log.warning("preview failed for %s", path.name, exc_info=True)
        return ExhibitAssets(exhibit, hash_ok=hash_ok, problem=f"无法生成预览 / no preview: {exc}")


def _receipt(
    exhibit: Exhibit,
    path: Path,
    work: Path,
    stem: str,
    redactions: tuple[Redaction, ...],
    hash_ok: bool,
) -> ExhibitAssets:
    """A PDF's pages; an encrypted or damaged one gives a note on its exhibit instead."""
    try:
        receipt = render_receipt(path, work, stem, redactions)
    except ReceiptError as exc:
        return ExhibitAssets(exhibit, hash_ok=hash_ok, problem=exc.args[0])
    return ExhibitAssets(
        exhibit,
        hash_ok=hash_ok,
        receipt=receipt,
        redactions=receipt.redactions,
        problem=receipt_note(receipt),  # pages over the time/memory budget, if any
    )


def _masked_table(table: TrackingTable, masker: TextMasker | None) -> TrackingTable:
    if not masker:
        return table
    rows = tuple(replace(row, text=masker.apply(row.text)) for row in table.rows)
    return replace(
        table, heading=masker.apply(table.heading), rows=rows, flags=masker.apply_all(table.flags)
    )


def picture_job(
    kind: ItemKind, src: Path, dest: Path, rects: tuple[Rect, ...], passthrough: bool
) -> PictureJob:
    """The page picture of a photo or a screenshot (see `picture_pool.make_picture`)."""
    if kind is ItemKind.SCREENSHOT:
        return PictureJob(
            src,
            dest,
            SCREENSHOT_WIDTH,
            SCREENSHOT_MAX_HEIGHT,
            SCREENSHOT_QUALITY,
            text=True,
            rects=rects,
            passthrough=passthrough,
        )
    return PictureJob(
        src, dest, PHOTO_PX, PHOTO_PX, PHOTO_QUALITY, rects=rects, passthrough=passthrough
    )


def _picture_assets(
    exhibit: Exhibit, made: PictureResult, hash_ok: bool, filled: tuple[int, ...]
) -> ExhibitAssets:
    error = made.error
    if error is not None:
        if not isinstance(error, InputError):
            log.warning("preview failed for %s: %s", made.job.src.name, error)
        return ExhibitAssets(
            exhibit, hash_ok=hash_ok, problem=f"无法生成预览 / no preview: {error}"
        )
    picture = Picture(made.job.dest, made.width, made.height)
    return ExhibitAssets(
        exhibit, picture, activity=made.activity, hash_ok=hash_ok, redactions=filled
    )
