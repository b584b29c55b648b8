"""Write an upload pack: page images under the preset's limits, in batch folders, plus the text.

Each page is encoded to fit the byte limit without losing legibility: a text-only page is tried
as a palette PNG (sharp and small), then as JPEG with full colour resolution; a picture page as
JPEG at falling quality. Only if no quality fits is the page drawn again at a smaller size, down
to a floor where the smallest text is still ~15 px; a page that still does not fit is an error
rather than an illegible upload. Nothing but pixels is written: no EXIF, GPS, XMP or text chunks,
unless the user opted in to keeping metadata for this export: then a page showing a photo or a
screenshot carries its original's EXIF and XMP (`privacy.keep`; never one with an accepted
redaction), and says so in its footer.

Video exhibits get a copy each in videos/ under the preset's video cap (see `videos`), made
before the pages so each page can say whether its video was copied as it is, re-encoded (and
why) or left out.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from PIL import Image

from app.evidence.export.assets import ExhibitAssets
from app.evidence.export.atomic import PACK_MARKER, atomic_folder
from app.evidence.export.images import jpeg_bytes
from app.evidence.export.model import (
    Exhibit,
    ExportError,
    ExportInput,
    PackPage,
    PackResult,
    PackVideo,
)
from app.evidence.export.pack.description import description_parts, pack_description
from app.evidence.export.pack.guide import GUIDE_NAME, build_guide
from app.evidence.export.pack.pages import front_pages
from app.evidence.export.pack.plan import plan_reviewer
from app.evidence.export.pack.presets import PackPreset
from app.evidence.export.pack.sheet import BASE_H, PageSpec, Sheet
from app.evidence.export.pack.videos import listing, write_videos
from app.evidence.models import ItemKind
from app.evidence.privacy.keep import KeptMetadata, read_kept, with_kept
from app.evidence.privacy.metadata import strip_png
from app.evidence.privacy.model import Redaction
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress

log = logging.getLogger(__name__)

QUALITIES = (90, 84, 78, 72, 66, 60)
SHRINK_STEPS = (1.0, 0.9, 0.8)  # of the preset's page size; 0.8 keeps 19 px footer text >= 15 px
IMAGE_SHRINK = (1.0, 0.85, 0.7, 0.6)  # reviewer images: 26 px captions stay >= 15 px
DESCRIPTION = "description.txt"


def write_pack(
    inp: ExportInput,
    assets: Sequence[ExhibitAssets],
    bundle_hash: str,
    preset: PackPreset,
    folder: Path,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    redactions: Mapping[int, Sequence[Redaction]] | None = None,
    keep_metadata: Collection[int] = (),
    cover: bool = False,
    deadlines: Sequence[str] = (),
) -> PackResult:
    """Render every page (and copy every video) into `folder`, replaced atomically.

    Args:
        redactions: item id -> its redactions; accepted regions on a video are covered on
            every frame of its copy.
        keep_metadata: ids of the items whose pages and video copies keep their originals'
            metadata (the user's opt-in, without the items that have accepted redactions).
        cover: put a cover and index image first (the user asks for it; off by default: the
            slots go to the evidence).
        deadlines: the deadlines that run, one line each, for the upload guide.

    Returns:
        What was written.
    """
    cancel = cancel or CancelToken()
    scale = min(1.0, preset.max_long_edge_px / BASE_H)
    written: list[PackPage] = []
    with atomic_folder(folder) as temp:
        videos = write_videos(
            assets,
            preset,
            temp,
            Path(folder),
            redactions=redactions,
            keep_tags=keep_metadata,
            progress=progress,
            cancel=cancel,
        )
        # images for the reviewer, in the checklist's order; related photos may share one
        specs, shown, left_out = plan_reviewer(
            inp, assets, preset, scale, videos, redactions, cover=cover
        )
        if cover:
            in_pack = [a for a in assets if a.exhibit in shown]
            specs = (
                front_pages(inp, in_pack, bundle_hash, scale, left_out, preset.max_images)[:1]
                + specs
            )
        description = pack_description(inp, bundle_hash, shown, videos, preset)
        kept = _kept_metadata(assets, keep_metadata)
        total = len(specs)
        for n, spec in enumerate(specs, start=1):
            cancel.raise_if_cancelled()
            batch = (n - 1) // preset.batch_count + 1
            single = spec.exhibit is not None and len(spec.exhibits) <= 1
            meta = kept.get(spec.exhibit) if single and spec.exhibit is not None else None
            data, ext, size = _render(spec, n, total, inp, bundle_hash, preset, scale, meta)
            name = f"p{n:03d}-{spec.slug}.{ext}"
            # One image per upload (the seller API): no batch folders, just numbered files.
            rel = Path(name) if preset.batch_count == 1 else Path(f"batch-{batch:02d}") / name
            (temp / rel.parent).mkdir(exist_ok=True)
            (temp / rel).write_bytes(data)
            written.append(
                PackPage(
                    folder / rel,
                    len(data),
                    size[0],
                    size[1],
                    batch,
                    spec.label,
                    spec.exhibits or ((spec.exhibit,) if spec.exhibit else ()),
                )
            )
            progress(Progress("export.pack", n, total, rel.name))
        (temp / DESCRIPTION).write_text(description + "\n", encoding="utf-8")
        (temp / PACK_MARKER).write_text(
            json.dumps(
                _listing(preset, bundle_hash, written, folder, inp, videos) | _left(left_out),
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        guide = build_guide(
            preset,
            Path(folder),
            written,
            list(videos.values()),
            description,
            list(inp.exhibits),
            left_out,
            inp.info.timezone,
            deadlines,
        )
        (temp / GUIDE_NAME).write_text(guide.text(), encoding="utf-8")
    guide = replace(guide, path=Path(folder) / GUIDE_NAME)
    batches = written[-1].batch if written else 0
    return PackResult(
        folder,
        preset.id,
        tuple(written),
        batches,
        description,
        tuple(videos.values()),
        left_out=tuple(e.label for e in left_out),
        guide=guide,
    )


def _left(left_out: Sequence[Exhibit]) -> dict[str, object]:
    """pack.json's note of the exhibits the slot had no room for (all are in the PDF and ZIP)."""
    return {"left_out": [{"label": e.label, "title": e.title} for e in left_out]}


def describe(
    inp: ExportInput, bundle_hash: str, videos: Mapping[int, PackVideo] | None = None
) -> str:
    """The description for the platform's text field, claim first (see `description`)."""
    return "".join(description_parts(inp, bundle_hash, inp.exhibits, videos))


def _render(
    spec: PageSpec,
    n: int,
    total: int,
    inp: ExportInput,
    bundle_hash: str,
    preset: PackPreset,
    scale: float,
    kept: KeptMetadata | None = None,
) -> tuple[bytes, str, tuple[int, int]]:
    """The page encoded under the preset's limit (with the kept metadata when there is some)."""
    extra = with_kept(b"\xff\xd8", kept) if kept else b""
    if spec.render is not None:
        return _render_image(spec, n, preset, extra, kept)
    assert spec.draw is not None
    for shrink in SHRINK_STEPS:
        sheet = Sheet(scale * shrink, inp.info.timezone)
        spec.draw(sheet)
        sheet.furniture(inp.info.title, spec.label, n, total, bundle_hash, kept=bool(kept))
        # the metadata's bytes count against the limit too
        encoded = _encode(sheet.image, spec.text_only and not kept, preset, len(extra) - 2)
        if encoded is not None and kept:
            encoded = (with_kept(encoded[0], kept), encoded[1])
        if encoded is not None:
            if shrink < 1.0:
                log.info(
                    "page %d drawn at %.0f%% to fit %d bytes", n, shrink * 100, preset.max_bytes
                )
            return encoded[0], encoded[1], sheet.image.size
    raise ExportError(
        f"page {n} ({spec.label}) cannot be made legible under {preset.max_bytes:,} bytes"
    )


def _render_image(
    spec: PageSpec, n: int, preset: PackPreset, extra: bytes, kept: KeptMetadata | None
) -> tuple[bytes, str, tuple[int, int]]:
    """A reviewer image (photo, collage, chat, tracking) at the preset's long edge, drawn
    smaller only when no quality fits the byte limit."""
    assert spec.render is not None
    for shrink in IMAGE_SHRINK:
        image = spec.render(round(preset.max_long_edge_px * shrink))
        encoded = _encode(image, spec.text_only and not kept, preset, len(extra) - 2)
        if encoded is not None:
            data = with_kept(encoded[0], kept) if kept else encoded[0]
            if shrink < 1.0:
                log.info(
                    "image %d drawn at %.0f%% to fit %d bytes", n, shrink * 100, preset.max_bytes
                )
            return data, encoded[1], image.size
    raise ExportError(
        f"image {n} ({spec.label}) cannot be made legible under {preset.max_bytes:,} bytes"
    )


def _encode(
    image: Image.Image, text_only: bool, preset: PackPreset, reserve: int = 0
) -> tuple[bytes, str] | None:
    limit = preset.max_bytes - max(0, reserve)
    if text_only and "png" in preset.formats:
        buffer = io.BytesIO()
        image.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(
            buffer, "PNG", optimize=True
        )
        if buffer.tell() <= limit:
            return strip_png(buffer.getvalue()), "png"
    if "jpeg" not in preset.formats:
        return None
    for quality in QUALITIES:
        data = jpeg_bytes(image, quality, text=text_only or quality >= 84)
        if len(data) <= limit:
            return data, "jpg"
    return None


def _kept_metadata(
    assets: Sequence[ExhibitAssets], keep: Collection[int]
) -> dict[int, KeptMetadata]:
    """Exhibit number -> the EXIF/XMP its pages carry (photos and screenshots the user keeps)."""
    kept: dict[int, KeptMetadata] = {}
    if not keep:
        return kept
    for asset in assets:
        e = asset.exhibit
        shown = asset.picture is not None and e.kind in (ItemKind.PHOTO, ItemKind.SCREENSHOT)
        # asset.redactions as well: a region filled in the preview must never ride with EXIF
        if shown and e.item is not None and e.item.id in keep and not asset.redactions:
            assert e.path is not None
            found = read_kept(e.path)
            if found:
                kept[e.number] = found
    return kept


def _listing(
    preset: PackPreset,
    bundle_hash: str,
    pages: list[PackPage],
    folder: Path,
    inp: ExportInput,
    videos: Mapping[int, PackVideo],
) -> dict[str, object]:
    return {
        "format": "evidence-desk/upload-pack",
        "version": 1,
        "preset": preset.id,
        "bundle_hash": bundle_hash,
        "limits": {
            "max_bytes": preset.max_bytes,
            "batch_count": preset.batch_count,
            "max_long_edge_px": preset.max_long_edge_px,
            "max_video_bytes": preset.max_video_bytes,
            "description": f"{preset.description_limit} {preset.description_unit}",
        },
        "pages": [
            {
                "file": p.path.relative_to(folder).as_posix(),
                "bytes": p.size,
                "width": p.width,
                "height": p.height,
                "batch": p.batch,
                "label": p.label,
                "exhibits": list(p.exhibits),
            }
            for p in pages
        ],
        "videos": listing(videos, folder, {e.number: e.sha256 for e in inp.exhibits}),
    }
