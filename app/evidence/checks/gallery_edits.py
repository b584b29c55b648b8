"""Edits made in a phone's gallery app, named by the app (issue 16, point 5).

    Samsung Gallery: its editor leaves SEF trailer entries (ExifTool Samsung.pm, type 0x0ba1):
        PhotoEditor_Re_Edit_Data, Original_Path_Hash_Key                  warning (saved by the
                                                                           editor; what changed
                                                                           is not readable)
        deco_doodle_bitmap / deco_sticker_bitmap / deco_text_bitmap, PEg_Info (Galaxy AI
        generative edit, type 0x0d91), Object_Eraser_Info / Shadow_Eraser_Info, a re-edit
        JSON with a non-zero "genAIType"                                  alert (content changed)
    iOS Photos: an edited copy is exported as IMG_E1234.* (the original stays IMG_1234.*)
        with Apple camera metadata                                        warning
    App names in EXIF text fields the program check does not read (UserComment,
        ImageDescription, Artist): Meitu/美图秀秀, 醒图/Hypic, CapCut/剪映, Google Photos ...
        classified with editors.json                                      the table's severity

Program names in Software / CreatorTool / XMP history are reported by editors.py, not here.
"""

from __future__ import annotations

import json
import logging
import mmap
import re
from pathlib import Path

from app.evidence.checks.camera_features import SefEntry, Window, heif_features, sef_entries
from app.evidence.checks.model import Finding, Severity
from app.evidence.checks.photo_input import PhotoInput
from app.evidence.checks.signatures import classify_program
from app.evidence.checks.texts import finding
from app.evidence.checks.verdict import PROGRAM_SEVERITY

logger = logging.getLogger(__name__)

SAMSUNG_EDIT_ENTRIES = {"PhotoEditor_Re_Edit_Data", "Original_Path_Hash_Key"}
SAMSUNG_CONTENT_ENTRIES: dict[str, tuple[str, str]] = {
    "deco_doodle_bitmap": ("涂鸦", "drawing"),
    "deco_sticker_bitmap": ("贴纸", "stickers"),
    "deco_text_bitmap": ("添加文字", "added text"),
    "PEg_Info": ("Galaxy AI 生成式编辑", "Galaxy AI generative edit"),
    "Object_Eraser_Info": ("对象橡皮擦", "object eraser"),
    "Shadow_Eraser_Info": ("阴影橡皮擦", "shadow eraser"),
    "Reflection_Eraser_Info": ("反光橡皮擦", "reflection eraser"),
}
"""SEF entry names that record a change of what the picture shows -> (zh, en) tool names."""

_SEF_KEEP = 16384  # enough of PhotoEditor_Re_Edit_Data's JSON to read genAIType
_IOS_EDITED = re.compile(r"^IMG_E\d{4}\b", re.I)
_TEXT_FIELDS = ("UserComment", "ImageDescription", "Artist", "XPComment")
_FIELD_WORDS = {
    "UserComment": ("EXIF 用户注释（UserComment）", "EXIF UserComment"),
    "ImageDescription": ("EXIF 图片描述（ImageDescription）", "EXIF ImageDescription"),
    "Artist": ("EXIF 作者字段（Artist）", "EXIF Artist"),
    "XPComment": ("Windows 注释（XPComment）", "Windows XPComment"),
}


def gallery_edit_findings(photo: PhotoInput) -> list[Finding]:
    """Findings for gallery-app edits of one photo."""
    out = _samsung(photo)
    out.extend(_ios_copy(photo))
    out.extend(_app_names(photo))
    return out


def _samsung_entries(photo: PhotoInput) -> list[SefEntry]:
    if photo.meta.format == "heif":
        return list(heif_features(photo.path, keep=_SEF_KEEP).sef_data)
    jpeg = photo.jpeg
    if jpeg is None or jpeg.after_eoi <= 0 or jpeg.eoi_offset is None:
        return []
    try:
        with photo.path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            return sef_entries(Window(mm, jpeg.eoi_offset + 2), keep=_SEF_KEEP)
    except (OSError, ValueError):
        return []


def genai_type(entry: SefEntry) -> int | None:
    """The "genAIType" of a Samsung re-edit JSON (non-zero: a Galaxy AI tool), or None."""
    text = entry.data.decode("utf-8", "replace")
    try:
        data = json.loads(text)
        value = data.get("genAIType") if isinstance(data, dict) else None
    except ValueError:
        m = re.search(r'"genAIType"\s*:\s*"?(-?\d+)', text)
        value = m.group(1) if m else None
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _samsung(photo: PhotoInput) -> list[Finding]:
    entries = _samsung_entries(photo)
    names = [e.name for e in entries]
    edit = [n for n in names if n in SAMSUNG_EDIT_ENTRIES]
    content = [n for n in names if n in SAMSUNG_CONTENT_ENTRIES]
    tools = [SAMSUNG_CONTENT_ENTRIES[n] for n in content]
    ai = [g for e in entries if e.name == "PhotoEditor_Re_Edit_Data" and (g := genai_type(e))]
    if ai:
        tools.append(("Galaxy AI 生成式编辑", "Galaxy AI generative edit"))
        content.append(f"PhotoEditor_Re_Edit_Data genAIType={ai[0]}")
    if not edit and not content:
        return []
    app = ("三星相册", "Samsung Gallery")
    evidence = "、".join(dict.fromkeys(content + edit))
    params = {"app": app[1], "entries": list(dict.fromkeys(content + edit)), "all_entries": names}
    if content:
        zh = "、".join(dict.fromkeys(t[0] for t in tools))
        en = ", ".join(dict.fromkeys(t[1] for t in tools))
        return [
            finding(
                "gallery_edit_content",
                Severity.ALERT,
                params,
                app_zh=app[0],
                app_en=app[1],
                tools_zh=zh,
                tools_en=en,
                evidence_zh=f"三星附加数据 {evidence}",
                evidence_en=f"Samsung trailer entries {evidence}",
            )
        ]
    return [
        finding(
            "gallery_edit",
            Severity.WARNING,
            params,
            app_zh=app[0],
            app_en=app[1],
            evidence_zh=f"三星附加数据 {evidence}",
            evidence_en=f"Samsung trailer entries {evidence}",
        )
    ]


def _ios_copy(photo: PhotoInput) -> list[Finding]:
    name = Path(photo.path).name
    if not _IOS_EDITED.match(name) or (photo.meta.make or "").strip().lower() != "apple":
        return []
    params = {"name": name, "make": photo.meta.make, "model": photo.meta.model}
    return [
        finding(
            "gallery_edited_copy",
            Severity.WARNING,
            params,
            evidence_zh=f"文件名 {name} 以 IMG_E 开头，拍摄设备为苹果",
            evidence_en=f"The name {name} starts with IMG_E and the camera is Apple's",
        )
    ]


def _app_names(photo: PhotoInput) -> list[Finding]:
    out: list[Finding] = []
    seen: set[str] = set()
    for field in _TEXT_FIELDS:
        text = photo.meta.raw.get(field)
        if not text or not text.strip():
            continue
        match = classify_program(text)
        if match.category in ("os", "unknown") or match.name in seen:
            continue
        severity = PROGRAM_SEVERITY.get(match.category, Severity.INFO)
        if severity == Severity.INFO:
            continue
        seen.add(match.name)
        where = _FIELD_WORDS[field]
        params = {
            "app": match.name,
            "field": field,
            "value": text.strip()[:200],
            "category": match.category,
            "table_source": match.source,
        }
        out.append(
            finding(
                "app_name_in_text",
                severity,
                params,
                where_zh=where[0],
                where_en=where[1],
            )
        )
    return out
