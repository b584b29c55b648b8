"""The video exhibits of an upload pack: one clean copy each under the preset's video cap.

The copies are made first, so every page and the description can say what happened to each
video: copied as it is (tags removed), re-encoded and why, or left out and why (the slot takes
images only, the video is unreadable, or no watchable copy fits). A video that cannot be copied
costs its copy, never the pack; the original stays in the case and the ZIP, hashed. When the user
opted in to keeping metadata, a copy keeps its original's container tags (location included).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from app.evidence.export.assets import ExhibitAssets
from app.evidence.export.model import PackVideo
from app.evidence.export.pack.presets import PackPreset
from app.evidence.export.video_copy import VideoCopy, VideoCopyError, copy_video, short_size
from app.evidence.models import ItemKind
from app.evidence.privacy.model import Redaction
from app.evidence.progress import CancelToken, ProgressCallback, no_progress

log = logging.getLogger(__name__)

FOLDER = "videos"


def write_videos(
    assets: Sequence[ExhibitAssets],
    preset: PackPreset,
    temp: Path,
    final: Path,
    *,
    redactions: Mapping[int, Sequence[Redaction]] | None = None,
    keep_tags: Collection[int] = (),
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> dict[int, PackVideo]:
    """Copy every video exhibit into `temp`/videos; exhibit number -> what became of it.

    Args:
        temp: the pack's folder while it is built; `final` is where it will be (paths returned
            point there).
        redactions: item id -> its redactions; accepted regions are covered on every frame.
        keep_tags: ids of the items whose copies keep the original's metadata tags.
    """
    cancel = cancel or CancelToken()
    found: dict[int, PackVideo] = {}
    for asset in assets:
        e = asset.exhibit
        if e.kind is not ItemKind.VIDEO or e.item is None or e.path is None:
            continue
        if preset.max_video_bytes is None:
            found[e.number] = _left_out(
                asset,
                "此上传位只接收图片，视频未放入",
                "this slot takes images only; no video copy",
            )
            continue
        if not e.path.is_file():
            continue  # the page already says the original is missing
        cancel.raise_if_cancelled()
        name = Path(FOLDER) / f"E{e.number:03d}.mp4"
        (temp / FOLDER).mkdir(exist_ok=True)
        regions = (redactions or {}).get(e.item.id, ())
        boxes = tuple(r.rect.box for r in regions if r.applied and r.rect is not None)
        try:
            copy = copy_video(
                e.path,
                temp / name,
                preset.max_video_bytes,
                boxes=boxes,
                keep_tags=e.item.id in keep_tags and not boxes,
                progress=progress,
                cancel=cancel,
            )
        except VideoCopyError as exc:
            log.info("%s: no video copy: %s", e.label, exc)
            zh, _, en = str(exc).partition(" / ")
            found[e.number] = _left_out(
                asset, f"未能生成视频副本：{zh}", f"no video copy: {en or zh}"
            )
            continue
        found[e.number] = _included(asset, copy, final / name)
    return found


def _included(asset: ExhibitAssets, copy: VideoCopy, path: Path) -> PackVideo:
    e = asset.exhibit
    size = short_size(copy.size)
    where = path.parent.name + "/" + path.name
    if copy.reencoded:
        zh = f"视频副本 {where}（{size}）：{copy.reason[0]}；原件未改动，哈希见上"
        en = (
            f"Video copy {where} ({size}): {copy.reason[1]}; the original is unchanged (hash above)"
        )
    elif copy.tags_kept:
        zh = f"视频副本 {where}（{size}）：原样转存，画面与声音未重新编码，应用户要求保留了元数据"
        en = (
            f"Video copy {where} ({size}): the original's streams unchanged, metadata kept at "
            "the user's request"
        )
    else:
        zh = f"视频副本 {where}（{size}）：原样转存，画面与声音未重新编码，已去除位置等元数据"
        en = f"Video copy {where} ({size}): the original's streams unchanged, metadata removed"
    return PackVideo(e.number, e.label, path, copy.size, copy.sha256, copy.reencoded, zh, en)


def _left_out(asset: ExhibitAssets, zh: str, en: str) -> PackVideo:
    e = asset.exhibit
    return PackVideo(
        e.number,
        e.label,
        None,
        note_zh=f"{zh}；原视频在 ZIP 中",
        note_en=f"{en}; the original is in the ZIP",
    )


def listing(
    videos: Mapping[int, PackVideo], folder: Path, originals: Mapping[int, str]
) -> list[dict[str, object]]:
    """pack.json's "videos" entries: each copy with its hash beside the original's."""
    rows: list[dict[str, object]] = []
    for number, video in sorted(videos.items()):
        rows.append(
            {
                "exhibit": video.label,
                "file": video.path.relative_to(folder).as_posix() if video.path else None,
                "bytes": video.size,
                "sha256": video.sha256 or None,
                "original_sha256": originals.get(number, ""),
                "reencoded": video.reencoded,
                "note": video.note_en,
            }
        )
    return rows
