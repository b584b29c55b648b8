"""Which images an upload pack holds, in which order, for the reviewer.

Exhibits are ranked by the dispute's checklist (`checklist_rank`): an exhibit that satisfies a
required item comes before one for an optional item, earlier items before later ones, and
exhibits no item cites come last, in number order. Images follow that order, so the first
slots (the first upload) carry what the checklist asks for first.

When the images outnumber the preset's slots (`max_images`, or one upload's `batch_count`),
related photos (cited by the same checklist item, or taken the same day when none cites them)
share an image as a 2-4 panel collage, starting from the lowest-ranked; when a preset with a
total image count still has too few, the lowest-ranked exhibits are left out (named in the
guide and in the export's warnings; every exhibit stays in the PDF and the ZIP).

A video the preset takes as a video needs no image; chat screenshots are stitched together
(`reviewer.plan_chat`), placed where the best-ranked of them ranks; consecutive ones whose
pixels prove an overlap (`reviewer.chat_seams`, measured once per pack) show it once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from PIL import Image

from app.evidence.export.assets import ExhibitAssets
from app.evidence.export.model import Exhibit, ExportInput, PackVideo
from app.evidence.export.pack import reviewer
from app.evidence.export.pack.exhibit_pages import exhibit_pages
from app.evidence.export.pack.presets import PackPreset
from app.evidence.export.pack.sheet import PageSpec, Sheet
from app.evidence.models import ItemKind
from app.evidence.ocr.stitch import Seam
from app.evidence.privacy.model import Redaction
from app.evidence.timeline.clock import shown_time

MAX_PANELS = 4


def checklist_rank(inp: ExportInput) -> Callable[[Exhibit], tuple[int, int]]:
    """Sort key: (position of the first checklist item citing the exhibit, exhibit number).

    Required items come before optional ones; items marked not applicable do not rank.
    """
    lines = [line for line in (inp.checklist or ()) if line.status not in ("not_applicable",)]
    ordered = sorted(range(len(lines)), key=lambda i: (not lines[i].required, i))
    first: dict[str, int] = {}
    for position, index in enumerate(ordered):
        for label in lines[index].exhibits:
            first.setdefault(label, position)
    unranked = len(ordered)
    return lambda e: (first.get(e.label, unranked), e.number)


@dataclass
class Unit:
    """One exhibit's images (or a stitched chat's, or a collage's), in rank order."""

    kind: str  # photo, chat, tracking, page
    assets: list[ExhibitAssets]
    rank: tuple[int, int]
    images: int = 1
    related: object = None  # photos with the same key may share a collage
    specs: list[PageSpec] = field(default_factory=list)
    seams: list[Seam | None] = field(default_factory=list)  # chat: joins of consecutive shots

    @property
    def exhibits(self) -> list[Exhibit]:
        return [a.exhibit for a in self.assets]


def plan_reviewer(
    inp: ExportInput,
    assets: Sequence[ExhibitAssets],
    preset: PackPreset,
    scale: float,
    videos: Mapping[int, PackVideo],
    redactions: Mapping[int, Sequence[Redaction]] | None = None,
    *,
    cover: bool = False,
) -> tuple[list[PageSpec], list[Exhibit], list[Exhibit]]:
    """The pack's images for the reviewer.

    Args:
        cover: reserve the first image for the cover and index page (the caller draws it).

    Returns:
        (the image specs in upload order, the exhibits shown, the exhibits left out).
    """
    rank = checklist_rank(inp)
    zone = inp.info.timezone
    limit = preset.max_long_edge_px
    units = _units(inp, assets, videos, rank, scale, limit)
    # a slot count: the total the preset takes, else one upload's worth (the seller API takes
    # one image per call, as many calls as needed: no pressure to share images there)
    slots = preset.max_images or (preset.batch_count if preset.batch_count > 1 else None)
    if slots is not None:
        _collage(units, slots - (1 if cover else 0))
    left: list[Exhibit] = []
    if preset.max_images is not None:
        budget = preset.max_images - (1 if cover else 0)
        while units and sum(u.images for u in units) > budget:
            dropped = units.pop()  # the lowest-ranked
            left += dropped.exhibits
    specs: list[PageSpec] = []
    for unit in units:
        specs += _specs(unit, zone, limit, redactions or {})
    shown = [e for u in units for e in u.exhibits]
    never = [a.exhibit for a in assets if a.exhibit not in shown and a.exhibit not in left]
    return specs, shown + [e for e in never if _videos_only(e, videos)], left


def _videos_only(e: Exhibit, videos: Mapping[int, PackVideo]) -> bool:
    video = videos.get(e.number)
    return video is not None and video.path is not None


def _units(
    inp: ExportInput,
    assets: Sequence[ExhibitAssets],
    videos: Mapping[int, PackVideo],
    rank: Callable[[Exhibit], tuple[int, int]],
    scale: float,
    limit: int,
) -> list[Unit]:
    units: list[Unit] = []
    chat: Unit | None = None
    measure = Sheet(scale, inp.info.timezone)
    for asset in sorted(assets, key=lambda a: rank(a.exhibit)):
        e = asset.exhibit
        if e.item is None:
            continue  # an event: in the description and the PDF, no picture to upload
        if asset.picture is not None and e.kind is ItemKind.PHOTO:
            units.append(Unit("photo", [asset], rank(e), related=_related(e, rank, inp)))
        elif asset.picture is not None and e.kind is ItemKind.SCREENSHOT:
            if chat is None:
                chat = Unit("chat", [], rank(e))
                units.append(chat)
            chat.assets.append(asset)
        elif asset.tracking is not None:
            count = len(reviewer.tracking_images(asset, limit, inp.info.timezone))
            units.append(Unit("tracking", [asset], rank(e), images=count))
        elif e.kind is ItemKind.VIDEO and _videos_only(e, videos):
            continue  # the reviewer gets the video itself (see the guide)
        elif asset.picture is not None or asset.frames or asset.receipt is not None:
            pages = exhibit_pages(asset, measure, videos.get(e.number))
            units.append(Unit("page", [asset], rank(e), images=len(pages), specs=pages))
    if chat is not None:
        chat.assets.sort(key=lambda a: a.exhibit.number)  # a conversation reads in its order
        chat.seams = reviewer.chat_seams(chat.assets)
        chat.images = len(reviewer.plan_chat(chat.assets, limit, inp.info.timezone, chat.seams))
    return units


def _related(e: Exhibit, rank: Callable[[Exhibit], tuple[int, int]], inp: ExportInput) -> object:
    position = rank(e)[0]
    if inp.checklist and position < len(inp.checklist):
        return ("item", position)
    shown = shown_time(e.time, inp.info.timezone)
    return ("day", shown.local.date() if shown else None)


def _collage(units: list[Unit], room: int) -> None:
    """Merge related photos, lowest-ranked first, until the images fit `room` (or none can)."""
    while sum(u.images for u in units) > room:
        merged = False
        for i in range(len(units) - 1, 0, -1):
            low = units[i]
            if low.kind != "photo":
                continue
            for j in range(i - 1, -1, -1):
                high = units[j]
                if (
                    high.kind == "photo"
                    and high.related == low.related
                    and len(high.assets) + len(low.assets) <= MAX_PANELS
                ):
                    high.assets += low.assets
                    del units[i]
                    merged = True
                    break
            if merged:
                break
        if not merged:
            return


def _specs(
    unit: Unit, zone: str | None, limit: int, redactions: Mapping[int, Sequence[Redaction]]
) -> list[PageSpec]:
    if unit.kind == "page":
        n = unit.assets[0].exhibit.number
        return [
            PageSpec(s.label, s.slug, s.text_only, s.draw, exhibit=n, exhibits=(n,))
            for s in unit.specs
        ]
    if unit.kind == "photo":
        numbers = tuple(a.exhibit.number for a in unit.assets)
        if len(unit.assets) == 1:
            e = unit.assets[0].exhibit
            return [
                PageSpec(
                    e.label,
                    f"E{e.number:03d}",
                    False,
                    None,
                    exhibit=e.number,
                    exhibits=numbers,
                    render=partial(_photo, asset=unit.assets[0], zone=zone, redactions=redactions),
                )
            ]
        label = "、".join(a.exhibit.label for a in unit.assets)
        slug = "E" + "-".join(f"{n:03d}" for n in numbers)
        return [
            PageSpec(
                label,
                slug,
                False,
                None,
                exhibits=numbers,
                render=partial(
                    _collage_image, assets=unit.assets, zone=zone, redactions=redactions
                ),
            )
        ]
    if unit.kind == "chat":
        parts = reviewer.plan_chat(unit.assets, limit, zone, unit.seams)
        specs = []
        for n, bands in enumerate(parts, start=1):
            numbers = tuple(dict.fromkeys(b.asset.exhibit.number for b in bands))
            label = "、".join(f"证据{x}" for x in numbers)
            specs.append(
                PageSpec(
                    label,
                    f"chat-{n}" if len(parts) > 1 else "chat",
                    False,
                    None,
                    exhibits=numbers,
                    render=partial(
                        _chat,
                        index=n - 1,
                        assets=unit.assets,
                        zone=zone,
                        planned=limit,
                        seams=unit.seams,
                    ),
                )
            )
        return specs
    asset = unit.assets[0]  # tracking
    e = asset.exhibit
    count = unit.images
    return [
        PageSpec(
            e.label if n == 0 else f"{e.label}（续）",
            f"E{e.number:03d}" + (f"-{n + 1}" if count > 1 else ""),
            True,
            None,
            exhibit=e.number,
            exhibits=(e.number,),
            render=partial(_tracking, index=n, asset=asset, zone=zone, planned=limit),
        )
        for n in range(count)
    ]


def _photo(
    limit: int,
    asset: ExhibitAssets,
    zone: str | None,
    redactions: Mapping[int, Sequence[Redaction]],
) -> Image.Image:
    e = asset.exhibit
    regions = redactions.get(e.item.id, ()) if e.item is not None else ()
    picture = reviewer.photo_picture(asset, limit, regions)
    return reviewer.photo_image(reviewer.Shown(picture, reviewer.caption_text(e, zone)), limit)


def _collage_image(
    limit: int,
    assets: Sequence[ExhibitAssets],
    zone: str | None,
    redactions: Mapping[int, Sequence[Redaction]],
) -> Image.Image:
    panels = []
    for asset in assets:
        e = asset.exhibit
        regions = redactions.get(e.item.id, ()) if e.item is not None else ()
        picture = reviewer.photo_picture(asset, limit, regions)
        panels.append(reviewer.Shown(picture, reviewer.caption_text(e, zone, limit=24)))
    return reviewer.collage_image(panels, limit)


def _chat(
    limit: int,
    index: int,
    assets: Sequence[ExhibitAssets],
    zone: str | None,
    planned: int,
    seams: Sequence[Seam | None],
) -> Image.Image:
    parts = reviewer.plan_chat(assets, planned, zone, seams)  # the cuts planned: never re-planned
    return _within(reviewer.chat_image(parts[index], planned, zone), limit)


def _tracking(
    limit: int, index: int, asset: ExhibitAssets, zone: str | None, planned: int
) -> Image.Image:
    return _within(reviewer.tracking_images(asset, planned, zone)[index], limit)


def _within(image: Image.Image, limit: int) -> Image.Image:
    """The image scaled down to `limit` on its long edge (the writer's shrink for bytes)."""
    scale = limit / max(image.size)
    if scale >= 1.0:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)
