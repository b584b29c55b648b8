"""Checks across the files of one case (research §9.4): what single files cannot show.

    same claimed device, different traits (compression family, JPEG layout, kind of program in
    Software)                                                              warning
    capture times out of the story's order (steps and anchor times supplied by the caller, e.g.
    the courier's pickup and sign-for scans from the timeline)            warning
    identical picture data with different metadata                         alert
    (the coded data for a JPEG's scan and a HEIF's primary image and its tiles, the decoded
    pixels for other formats)

Cross findings are reported for the case; they never change a file's verdict (verdict.py).
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from app.evidence.checks.camera_features import live_photo_pairs
from app.evidence.checks.model import FileCheck, Finding, Severity
from app.evidence.checks.texts import finding
from app.evidence.readers.heif_data import image_data_hash as heif_data_hash
from app.evidence.readers.image import open_image
from app.evidence.readers.jpeg import image_data_hash

logger = logging.getLogger(__name__)

STORY_TOLERANCE = timedelta(minutes=2)
_MAX_ORDER = 20  # findings about the story's order, at most
_TRAITS = (
    ("quant_family", "压缩表类型", "compression table families"),
    ("skeleton", "JPEG 文件结构", "JPEG layouts"),
    ("program_category", "软件字段的类型", "kinds of program in Software"),
)


@dataclass(frozen=True)
class CrossFinding:
    """A finding about several files, with the sha256 (or path) of each file concerned."""

    finding: Finding
    items: tuple[str, ...]


@dataclass(frozen=True)
class StoryStep:
    """One step of the story, in order: an anchor time, the files that belong to it, or both.

    Attributes:
        label_zh, label_en: what happened ("快递揽收", "courier pickup scan").
        at: when it happened (aware), if known: e.g. a tracking event.
        items: sha256 digests (or paths) of the files captured during this step.
    """

    label_zh: str
    label_en: str
    at: datetime | None = None
    items: tuple[str, ...] = ()


def cross_check(
    checks: Sequence[FileCheck],
    *,
    story: Sequence[StoryStep] = (),
    root: Path | None = None,
    assume_offset_minutes: int = 480,
    pixel_hashes: MutableMapping[str, str | None] | None = None,
) -> list[CrossFinding]:
    """Compare files with each other and with the story.

    Args:
        checks: the files' check results.
        story: steps in the order they happened (optional).
        root: folder that relative `FileCheck.path` values are inside (a case folder).
        assume_offset_minutes: UTC offset assumed for capture times recorded without one
            (the case's time zone; Asia/Shanghai by default).
        pixel_hashes: file SHA-256 -> the hash of its picture data (None: undecodable), read
            and filled in here: a case's originals never change, so a picture is hashed once,
            not at every import (a 12 MP HEIC is decoded in full for it, ~0.4 s). A finding is
            never made from it alone: the files it names are hashed again first.
    """
    out = _device_traits(checks)
    out += _story_order(checks, story, assume_offset_minutes)
    out += _same_pixels(checks, root, {} if pixel_hashes is None else pixel_hashes)
    out += [CrossFinding(f, items) for f, items in live_photo_pairs(checks)]  # info
    return out


def _key(check: FileCheck) -> str:
    return check.sha256 or check.path


def _name(check: FileCheck) -> str:
    return Path(check.path).name


def _device_traits(checks: Sequence[FileCheck]) -> list[CrossFinding]:
    groups: dict[str, list[FileCheck]] = defaultdict(list)
    for check in checks:
        t = check.traits
        if check.kind == "photo" and (t.make or t.model):
            device = " ".join(p for p in (t.make, t.model) if p)
            groups[" ".join(device.lower().split())].append(check)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        device = " ".join(p for p in (members[0].traits.make, members[0].traits.model) if p)
        for attr, zh, en in _TRAITS:
            values: dict[str, list[str]] = defaultdict(list)
            for check in members:
                value = _trait(check, attr)
                if value:
                    values[value].append(_name(check))
            if len(values) > 1:
                shown = [f"{v}: {', '.join(names[:5])}" for v, names in values.items()]
                params = {"device": device, "count": len(members), "trait": attr, "values": shown}
                f = finding(
                    "cross_device_inconsistent", Severity.WARNING, params, trait_zh=zh, trait_en=en
                )
                out.append(CrossFinding(f, tuple(_key(c) for c in members)))
    return out


def _trait(check: FileCheck, attr: str) -> str | None:
    t = check.traits
    if attr == "quant_family":
        return t.quant_signature.split(":")[0].split(" ")[0] if t.quant_signature else None
    return getattr(t, attr)


@dataclass(frozen=True)
class _Point:
    label_zh: str
    label_en: str
    at: datetime  # UTC
    key: str | None  # the file's sha256, None for an anchor


def _instant(check: FileCheck, assume: int) -> datetime | None:
    ct = check.capture_time
    if ct is None:
        return None
    utc = ct.utc()
    if utc is not None:
        return utc
    return ct.local.replace(tzinfo=timezone(timedelta(minutes=assume))).astimezone(UTC)


def _story_order(
    checks: Sequence[FileCheck], story: Sequence[StoryStep], assume: int
) -> list[CrossFinding]:
    by_key = {_key(c): c for c in checks} | {c.path: c for c in checks}
    points: list[list[_Point]] = []
    for step in story:
        here: list[_Point] = []
        if step.at is not None:
            here.append(_Point(step.label_zh, step.label_en, step.at.astimezone(UTC), None))
        for ref in step.items:
            check = by_key.get(ref)
            moment = _instant(check, assume) if check else None
            if check is not None and moment is not None:
                zh, en = f"{_name(check)}（{step.label_zh}）", f"{_name(check)} ({step.label_en})"
                here.append(_Point(zh, en, moment, _key(check)))
        points.append(here)
    out: list[CrossFinding] = []
    for i, earlier_step in enumerate(points):
        for later_step in points[i + 1 :]:
            for earlier in earlier_step:
                for later in later_step:
                    if later.at + STORY_TOLERANCE >= earlier.at or len(out) >= _MAX_ORDER:
                        continue
                    params = {
                        "earlier": earlier.label_en,
                        "later": later.label_en,
                        "earlier_time": earlier.at.isoformat(),
                        "later_time": later.at.isoformat(),
                        "tolerance_seconds": int(STORY_TOLERANCE.total_seconds()),
                    }
                    f = finding(
                        "cross_story_order",
                        Severity.WARNING,
                        params,
                        gap=str(earlier.at - later.at).split(".")[0],
                        earlier_zh=earlier.label_zh,
                        later_zh=later.label_zh,
                        earlier_time_zh=_shown(earlier.at, assume),
                        later_time_zh=_shown(later.at, assume),
                        earlier_time_en=_shown(earlier.at, assume),
                        later_time_en=_shown(later.at, assume),
                    )
                    keys = tuple(k for k in (earlier.key, later.key) if k)
                    out.append(CrossFinding(f, keys))
    return out


def _shown(moment: datetime, offset_minutes: int) -> str:
    """A time in the case's zone, e.g. "2025-06-12 19:03:11 (UTC+08:00)"."""
    local = moment.astimezone(timezone(timedelta(minutes=offset_minutes)))
    sign = "+" if offset_minutes >= 0 else "-"
    zone = f"UTC{sign}{abs(offset_minutes) // 60:02d}:{abs(offset_minutes) % 60:02d}"
    return f"{local:%Y-%m-%d %H:%M:%S} ({zone})"


def _same_pixels(
    checks: Sequence[FileCheck], root: Path | None, known: MutableMapping[str, str | None]
) -> list[CrossFinding]:
    groups: dict[tuple, list[FileCheck]] = defaultdict(list)
    for check in checks:
        meta = check.metadata
        if meta is None or check.kind not in ("photo", "screenshot") or not meta.width:
            continue
        groups[(meta.format, meta.width, meta.height, meta.quantization_tables)].append(check)
    out = []
    for members in groups.values():
        if len(members) < 2 or len({_key(c) for c in members}) < 2:
            continue
        hashed: dict[str, list[FileCheck]] = defaultdict(list)
        for check in members:
            digest = _known_hash(check, root, known)
            if digest:
                hashed[digest].append(check)
        for same in hashed.values():
            found = _metadata_differs(same)
            if not found:
                continue
            # a finding is made from hashes taken now, never from `known` alone
            involved = {key for cross in found for key in cross.items}
            again: dict[str, list[FileCheck]] = defaultdict(list)
            for check in same:
                if _key(check) in involved:
                    digest = _pixel_hash(check, root)
                    if check.sha256:
                        known[check.sha256] = digest
                    if digest:
                        again[digest].append(check)
            for confirmed in again.values():
                out.extend(_metadata_differs(confirmed))
    return out


def _known_hash(
    check: FileCheck, root: Path | None, known: MutableMapping[str, str | None]
) -> str | None:
    """The picture data's hash, from `known` (by the file's SHA-256) or made and kept there."""
    if check.sha256 and check.sha256 in known:
        return known[check.sha256]
    digest = _pixel_hash(check, root)
    if check.sha256:
        known[check.sha256] = digest
    return digest


def _metadata_differs(same: list[FileCheck]) -> list[CrossFinding]:
    first = same[0]
    out = []
    for other in same[1:]:
        if _key(other) == _key(first):
            continue
        a, b = first.metadata, other.metadata
        assert a is not None and b is not None
        fields = [
            name
            for name in (
                "make",
                "model",
                "software",
                "datetime_original",
                "datetime_modified",
                "gps",
                "orientation",
            )
            if getattr(a, name) != getattr(b, name)
        ]
        if fields:
            params = {"a": _name(first), "b": _name(other), "fields": fields}
            f = finding("cross_same_pixels", Severity.ALERT, params, differs=fields)
            out.append(CrossFinding(f, (_key(first), _key(other))))
    return out


def _pixel_hash(check: FileCheck, root: Path | None) -> str | None:
    path = Path(check.path)
    if not path.is_absolute() and root is not None:
        path = root / path
    if check.metadata and check.metadata.format == "jpeg":
        return image_data_hash(path)
    if check.metadata and check.metadata.format == "heif":
        coded = heif_data_hash(path)  # the coded tiles: a full decode takes ~0.4 s
        if coded is not None:
            return coded
    try:
        with open_image(path) as im:
            return hashlib.sha256(im.convert("RGBA").tobytes()).hexdigest()
    except Exception as exc:  # hostile bytes inside a decoder (pillow-heif raises ValueError)
        logger.debug("no pixel hash for %s: %s", path, exc)
        return None
