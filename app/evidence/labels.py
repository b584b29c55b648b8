"""The words a person reads for the core's enums and machine names: the one table of each.

Item kinds, integrity verdicts (and how a recompressed verdict is worded), finding severities
and progress stages are named here once, in Chinese and English, keyed by the enums of
app.evidence.models (stages by their machine names, as `Progress.stage` carries them). The
window, the command line and the exports all read these tables (front ends through
app.evidence.service.labels); a `*_words` function gives the (Chinese, English) pair for the
bilingual exports, a `*_text` function the current language. Pure data: no I/O, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import TypeVar

from app.evidence.i18n import pick
from app.evidence.models import ItemKind, Severity, Verdict

Words = tuple[str, str]
"""(Chinese, English)."""

KIND: dict[ItemKind, Words] = {
    ItemKind.PHOTO: ("照片", "Photo"),
    ItemKind.VIDEO: ("视频", "Video"),
    ItemKind.SCREENSHOT: ("截图", "Screenshot"),
    ItemKind.TRACKING: ("物流记录", "Tracking"),
    ItemKind.DOCUMENT: ("文档", "Document"),
}
EVENT_KIND: Words = ("事件", "Event")
"""What a timeline entry that is not an item (a case date, a manual event) is called."""

VERDICT: dict[Verdict, Words] = {
    Verdict.CAMERA_ORIGINAL: (
        "未见编辑迹象（与相机原始文件一致）",
        "consistent with a camera original",
    ),
    Verdict.RECOMPRESSED: (
        "不是原始文件，但内容未见改动",
        "not the original file, content shows no sign of change",
    ),
    Verdict.EDITED: ("有编辑迹象", "signs of editing"),
    Verdict.UNKNOWN: ("无法判断来源", "origin cannot be established"),
    Verdict.UNREADABLE: ("文件无法读取", "unreadable"),
}
"""A verdict in a sentence; `verdict_words` words a recompressed one by its findings."""

RECOMPRESSED_WITH_ALERT: Words = (
    "不是原始文件；有发现提示画面可能被改动，但还不足以断定",
    "not the original file; a finding suggests the picture may have changed, not reliably "
    "enough to decide",
)
"""A recompressed verdict when an alert (one not reliable enough to decide `edited`) fired:
"content shows no sign of change" is only said when none did (checks/verdict.py)."""

VERDICT_SHORT: dict[Verdict, Words] = {
    Verdict.CAMERA_ORIGINAL: ("原件", "original"),
    Verdict.RECOMPRESSED: ("非原件", "not the original"),
    Verdict.EDITED: ("有编辑痕迹", "edited"),
    Verdict.UNKNOWN: ("来源未知", "origin unknown"),
    Verdict.UNREADABLE: ("无法读取", "unreadable"),
}
"""A verdict in a word or two (the timeline's badges, lists)."""

VERDICT_MARK: dict[Verdict, str] = {
    Verdict.CAMERA_ORIGINAL: "✔",
    Verdict.RECOMPRESSED: "◐",
    Verdict.EDITED: "✘",
    Verdict.UNKNOWN: "？",
    Verdict.UNREADABLE: "✘",
}
NOT_CHECKED: Words = ("未检查", "not checked")

SEVERITY: dict[Severity, Words] = {
    Severity.OK: ("正常", "OK"),
    Severity.INFO: ("提示", "Info"),
    Severity.WARNING: ("警告", "Warning"),
    Severity.ALERT: ("警示", "Alert"),
}
SEVERITY_MARK: dict[Severity, str] = {
    Severity.OK: "✔",
    Severity.INFO: "ℹ",
    Severity.WARNING: "⚠",
    Severity.ALERT: "‼",  # ❗ is in neither the bundled font nor DejaVu: it showed as a box
}
"""On screen; the PDF prints its own marks in a font it embeds (export/wording.py)."""

TIME_SOURCE: dict[str, Words] = {
    "exif": ("EXIF", "EXIF"),
    "quicktime": ("视频元数据", "video metadata"),
    "container": ("视频容器", "video container"),
    "xmp": ("XMP", "XMP"),
    "png_text": ("PNG 文本", "PNG text"),
    "ocr": ("文字识别", "OCR"),
    "tracking": ("物流", "tracking"),
    "manual": ("手动", "by hand"),
    "user": ("手动", "by hand"),
    "file_time": ("文件时间", "file time"),
    "chat": ("聊天", "chat"),
    "ruling": ("处理结果", "ruling"),
    "none": ("文件中无时间", "no time in the file"),
}
"""Where a time came from, in a word (the PDF says more: export/wording.py TIME_SOURCE)."""

STAGE: dict[str, Words] = {
    "import": ("导入", "Import"),
    "thumbnails": ("缩略图", "Thumbnails"),
    "check": ("检查", "Checks"),
    "ocr": ("识别截图", "Reading screenshots"),
    "waybill": ("识别面单", "Reading waybills"),
    "export.prepare": ("准备导出", "Preparing the export"),
    "export.pdf": ("生成 PDF", "Writing the PDF"),
    "export.pack": ("生成图片包", "Writing the upload pack"),
    "export.video": ("生成视频副本", "Writing video copies"),
    "export.zip": ("生成 ZIP", "Writing the ZIP"),
    "archive_import": ("归档导入", "Archive import"),
    "archive_verify": ("核验归档", "Verifying the archive"),
    "redact.suggest": ("查找隐私信息", "Finding private details"),
    "phone.scan": ("查看手机文件夹", "Looking at the phone's folder"),
}
"""Every `Progress.stage` the core reports (tests/evidence/test_labels.py reads the sources)."""
WORKING: Words = ("处理中", "Working")
"""A stage without a name here."""

E = TypeVar("E", bound=Enum)


def _member(enum: type[E], value: object) -> E | None:
    """`value` (a member or its machine name) as a member of `enum`; None when it is neither."""
    if isinstance(value, enum):
        return value
    try:
        return enum(value)
    except ValueError:
        return None


def kind_words(kind: ItemKind | str | None) -> Words:
    """(Chinese, English) name of an item kind; an event when None; an unknown name as it is."""
    if kind is None:
        return EVENT_KIND
    member = _member(ItemKind, kind)
    return KIND[member] if member is not None else (str(kind), str(kind))


def kind_text(kind: ItemKind | str | None) -> str:
    """An item kind in the current language."""
    return pick(*kind_words(kind))


def verdict_words(verdict: Verdict | str | None, severities: Iterable[str] = ()) -> Words:
    """(Chinese, English) wording of a verdict; "not checked" for None.

    `severities` are those of the findings behind it: a recompressed verdict with an alert
    among them is not worded "content shows no sign of change".
    """
    if verdict is None:
        return NOT_CHECKED
    member = _member(Verdict, verdict)
    if member is None:
        return (str(verdict), str(verdict))
    if member is Verdict.RECOMPRESSED and any(str(s) == Severity.ALERT.value for s in severities):
        return RECOMPRESSED_WITH_ALERT
    return VERDICT[member]


def verdict_text(verdict: Verdict | str | None, severities: Iterable[str] = ()) -> str:
    """A verdict in the current language (see `verdict_words`)."""
    return pick(*verdict_words(verdict, severities))


def verdict_short_text(verdict: Verdict | str | None) -> str:
    """A verdict in a word or two ("非原件", "not the original"), current language."""
    member = _member(Verdict, verdict)
    if member is None:
        return pick(*NOT_CHECKED) if verdict is None else str(verdict)
    return pick(*VERDICT_SHORT[member])


def verdict_badge(verdict: Verdict | str | None) -> str:
    """A mark and a short word for a verdict ("✔原件", "◐ not the original")."""
    member = _member(Verdict, verdict)
    if member is None:
        return verdict_short_text(verdict)
    zh, en = VERDICT_SHORT[member]
    mark = VERDICT_MARK[member]
    return pick(f"{mark}{zh}", f"{mark} {en}")


def severity_words(severity: Severity | str) -> Words:
    """(Chinese, English) word of a finding's severity; an unknown one as it is."""
    member = _member(Severity, severity)
    return SEVERITY[member] if member is not None else (str(severity), str(severity))


def severity_text(severity: Severity | str) -> str:
    """A finding's severity in the current language ("警告", "Warning")."""
    return pick(*severity_words(severity))


def severity_mark(severity: Severity | str) -> str:
    """The on-screen mark of a severity ("⚠"); "·" for an unknown one."""
    member = _member(Severity, severity)
    return SEVERITY_MARK[member] if member is not None else "·"


def severity_label(severity: Severity | str) -> str:
    """A mark and the word ("⚠ 警告"), as the window lists findings."""
    return f"{severity_mark(severity)} {severity_text(severity)}"


def stage_words(stage: str) -> Words:
    """(Chinese, English) name of a progress stage; "working" for one not named here."""
    return STAGE.get(stage, WORKING)


def stage_text(stage: str) -> str:
    """A progress stage in the current language."""
    return pick(*stage_words(stage))


def time_source_text(source: str) -> str:
    """Where a time came from, in the current language ("其他来源" for a code not listed)."""
    zh, en = TIME_SOURCE.get(source, ("其他来源", "other source"))
    return pick(zh, en)
