"""The upload guide written with every pack (上传指引.txt) and shown in the window after export.

In order: where in the platform's app or site to go (each step with its source and date from
resources/upload_guides.json; a step no source states says so), which image goes in which
upload and slot, which video, the description to paste (already within the preset's limit),
the deadline that runs, and the other files of the pack. Every file of the pack is named
exactly once. All times are in the case's zone, named once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path

from app.evidence.export.atomic import PACK_MARKER
from app.evidence.export.model import Exhibit, GuideStep, PackPage, PackVideo, UploadGuide
from app.evidence.export.pack.presets import PackPreset
from app.evidence.export.wording import kind_label
from app.evidence.timeline.clock import zone_label

GUIDE_NAME = "上传指引.txt"
DESCRIPTION_NAME = "description.txt"


@cache
def platform_steps() -> dict[str, list[dict[str, str | None]]]:
    """preset id -> the steps of resources/upload_guides.json."""
    raw = (files("resources") / "upload_guides.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _source(step: dict[str, str | None]) -> str:
    if not step.get("source"):
        return "来源未知：未找到官方说明"
    return f"来源 {step['source']}，{_date_zh(step.get('date'))}"


def _date_zh(date: str | None) -> str:
    """The source's date as the guide's Chinese reader reads it: the data keeps "undated (about
    2018-2020)" and "undated SDK copies" in English; the guide says 未注明日期 and keeps what
    is in brackets (the years, the SDK) beside it."""
    if not date:
        return "日期不详"
    if not date.startswith("undated"):
        return date
    rest = date.removeprefix("undated").strip().strip("()").strip()
    rest = rest.removeprefix("about ").replace("SDK copies", "SDK 副本").strip()
    return (
        f"未注明日期（约 {rest}）"
        if rest and rest[0].isdigit()
        else (f"未注明日期（{rest}）" if rest else "未注明日期")
    )


def build_guide(
    preset: PackPreset,
    folder: Path,
    pages: Sequence[PackPage],
    videos: Sequence[PackVideo],
    description: str,
    exhibits: Sequence[Exhibit],
    left_out: Sequence[Exhibit],
    zone: str | None,
    deadlines: Sequence[str] = (),
) -> UploadGuide:
    """The guide for a pack just written into `folder` (paths relative to it)."""
    steps: list[GuideStep] = []
    known = platform_steps().get(preset.id)
    if known:
        steps += [GuideStep("where", str(s["zh"]), source=_source(s)) for s in known]
    else:
        steps.append(GuideStep("where", "这个预设没有上传位置的资料。", source="来源未知"))
    by_number = {e.number: e for e in exhibits}
    batches: dict[int, list[PackPage]] = {}
    for page in pages:
        batches.setdefault(page.batch, []).append(page)
    for batch, batch_pages in batches.items():
        if preset.batch_count > 1:
            steps.append(
                GuideStep(
                    "images", f"第 {batch} 次上传（第 {batch} 批，最多 {preset.batch_count} 张）："
                )
            )
        for slot, page in enumerate(batch_pages, start=1):
            rel = page.path.relative_to(folder).as_posix()
            shows = "、".join(_what(by_number.get(n), n) for n in page.exhibits) or page.label
            where = f"第 {slot} 张" if preset.batch_count > 1 else f"第 {batch} 次调用"
            steps.append(GuideStep("images", f"{where}：{rel} —— {shows}", copy=rel))
    if left_out:
        labels = "、".join(e.label for e in left_out)
        steps.append(GuideStep("images", f"放不下的证据（全部在 PDF 和 ZIP 中）：{labels}"))
    for video in videos:
        if video.path is not None:
            rel = video.path.relative_to(folder).as_posix()
            how = "已重新编码（原因见说明）" if video.reencoded else "与原件画面相同"
            steps.append(GuideStep("video", f"{rel} —— {video.label} 视频，{how}", copy=rel))
        else:
            steps.append(GuideStep("video", f"{video.label}：{video.note_zh}"))
    if not videos:
        steps.append(GuideStep("video", "本图片包没有视频。"))
    size = (
        len(description.encode("utf-8")) if preset.description_unit == "bytes" else len(description)
    )
    unit = "字节" if preset.description_unit == "bytes" else "字"
    steps.append(
        GuideStep(
            "description",
            f"{DESCRIPTION_NAME} 中的文字（{size} {unit}，上限 {preset.description_limit} {unit}）"
            "粘贴到留言/描述框：",
            copy=description,
        )
    )
    for line in deadlines:
        steps.append(GuideStep("deadline", line))
    if not deadlines:
        steps.append(GuideStep("deadline", "没有可计算的期限（案件中缺少签收、介入等日期）。"))
    steps.append(GuideStep("files", f"{PACK_MARKER}：图片和视频的清单与哈希，不用上传。"))
    steps.append(GuideStep("files", f"{GUIDE_NAME}：本文件。"))
    title = (
        f"上传指引 · {preset.name_zh}（{preset.id}）\n"
        f"时间均为{zone_label(zone, 'zh')}。PDF 证据链和原件 ZIP 由你保存，审核人员要求时再提供。"
    )
    return UploadGuide(preset.id, title, tuple(steps))


def _what(e: Exhibit | None, number: int) -> str:
    if e is None:
        return f"证据{number}"
    zh, _ = kind_label(e.kind)
    first = e.note.strip().splitlines()[0] if e.note.strip() else e.title
    return f"{e.label} {zh}：{first}"
