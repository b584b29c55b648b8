"""Upload-pack presets: each platform slot's limits, read from resources/presets/*.json.

Every number in a preset file carries its source, date and confidence; `PackPreset` keeps the
values and `Limit` keeps where each came from, so the UI can show "500 KB — Taobao Open
Platform API, high confidence". A custom preset is
`dataclasses.replace(load_preset("custom"), ...)`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from app.evidence.export.model import ExportError

log = logging.getLogger(__name__)

FORMATS = {"jpeg", "png"}
MIN_VIDEO_BYTES = 100_000  # a few seconds of 320 px video; below that no copy is watchable


@dataclass(frozen=True)
class Limit:
    """Where one preset number comes from."""

    source: str
    date: str
    confidence: str
    quote: str


@dataclass(frozen=True)
class PackPreset:
    """The limits one upload slot puts on page images and the description text.

    Attributes:
        max_bytes: largest file accepted, in bytes.
        batch_count: images per upload (pages are grouped into batch folders of this size).
        max_long_edge_px: longest side of a page image, in pixels.
        description_limit: how long the description may be, in `description_unit`.
        description_unit: "chars" or "bytes" (UTF-8).
        max_video_bytes: a video copy must stay under this; None when the slot takes no video
            (the pack then leaves videos out and says so).
        max_images: the images the slot takes in all (WeChat Pay: 4); None when more can be
            added in later uploads. The pack then holds the exhibits that fit and names the rest.
        sources: field name -> Limit.
    """

    id: str
    name_zh: str
    name_en: str
    formats: tuple[str, ...]
    max_bytes: int
    batch_count: int
    max_long_edge_px: int
    description_limit: int
    description_unit: str
    max_video_bytes: int | None = None
    max_images: int | None = None
    checked: str = ""
    sources: tuple[tuple[str, Limit], ...] = ()

    def source_of(self, name: str) -> Limit | None:
        """Where the named limit comes from."""
        return dict(self.sources).get(name)


def preset_ids() -> list[str]:
    """The ids of every bundled preset, sorted."""
    folder = files("resources") / "presets"
    return sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".json"))


@cache
def load_preset(preset_id: str) -> PackPreset:
    """The bundled preset with this id.

    Raises:
        ExportError: no such preset, or its file is malformed.
    """
    if preset_id not in preset_ids():
        raise ExportError(f"unknown upload preset {preset_id!r}; known: {', '.join(preset_ids())}")
    raw = (files("resources") / "presets" / f"{preset_id}.json").read_text(encoding="utf-8")
    try:
        return parse_preset(json.loads(raw))
    except (ValueError, KeyError, TypeError) as exc:
        raise ExportError(f"preset {preset_id!r} is malformed: {exc}") from exc


def parse_preset(data: dict[str, Any]) -> PackPreset:
    """Build a preset from its JSON form, checking every limit is present and sensible."""
    sources: list[tuple[str, Limit]] = []

    def take(name: str) -> Any:
        entry = data[name]
        sources.append(
            (
                name,
                Limit(
                    str(entry["source"]),
                    str(entry["date"]),
                    str(entry["confidence"]),
                    str(entry.get("quote", "")),
                ),
            )
        )
        return entry["value"]

    formats = tuple(str(f) for f in take("formats"))
    preset = PackPreset(
        id=str(data["id"]),
        name_zh=str(data["name_zh"]),
        name_en=str(data["name_en"]),
        formats=formats,
        max_bytes=int(take("max_bytes")),
        batch_count=int(take("batch_count")),
        max_long_edge_px=int(take("max_long_edge_px")),
        description_limit=int(take("description_limit")),
        description_unit=str(data["description_limit"].get("unit", "chars")),
        max_video_bytes=_video_cap(data, take),
        max_images=int(take("max_images")) if data.get("max_images") else None,
        checked=str(data.get("checked", "")),
        sources=tuple(sources),
    )
    validate(preset)
    return preset


def _video_cap(data: dict[str, Any], take: Callable[[str], Any]) -> int | None:
    """The video cap; null (or no entry, in an older preset file) means images only."""
    if "max_video_bytes" not in data:
        return None
    value = take("max_video_bytes")
    return None if value is None else int(value)


def validate(preset: PackPreset) -> None:
    """Refuse limits no legible page can meet.

    Raises:
        ExportError: a limit is out of range.
    """
    if not set(preset.formats) & FORMATS:
        raise ExportError(f"preset {preset.id}: needs jpeg or png among its formats")
    if preset.max_bytes < 100_000:
        raise ExportError(
            f"preset {preset.id}: {preset.max_bytes} bytes is too small for a legible page"
        )
    if preset.max_long_edge_px < 1000:
        raise ExportError(
            f"preset {preset.id}: {preset.max_long_edge_px} px is too small for a legible page"
        )
    if preset.batch_count < 1 or preset.description_limit < 1:
        raise ExportError(f"preset {preset.id}: batch count and description limit must be positive")
    if preset.max_images is not None and preset.max_images < 2:
        raise ExportError(f"preset {preset.id}: a pack needs room for a summary and an exhibit")
    if preset.max_video_bytes is not None and preset.max_video_bytes < MIN_VIDEO_BYTES:
        raise ExportError(
            f"preset {preset.id}: a video cap of {preset.max_video_bytes} bytes is too small"
        )
    if preset.description_unit not in ("chars", "bytes"):
        raise ExportError(f"preset {preset.id}: description unit must be chars or bytes")


def trim_description(text: str, preset: PackPreset) -> str:
    """`text` cut to the preset's limit (characters or UTF-8 bytes), ending in "…" when cut."""

    def size(value: str) -> int:
        return len(value.encode("utf-8")) if preset.description_unit == "bytes" else len(value)

    if size(text) <= preset.description_limit:
        return text
    cut = text[: preset.description_limit]  # never longer: a character is at least one byte
    while cut and size(cut + "…") > preset.description_limit:
        cut = cut[:-1]
    return cut.rstrip() + "…"
