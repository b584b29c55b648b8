"""Every user-visible text of the export, Chinese first with English, and value formatting.

The PDF, the upload pack pages and the ZIP README read their words from here, so a later shared
translation function can replace this module in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.evidence.labels import EVENT_KIND as EVENT_KIND  # re-exported for the PDF
from app.evidence.labels import NOT_CHECKED as NOT_CHECKED
from app.evidence.labels import kind_words, verdict_words
from app.evidence.locale_format import format_datetime, format_money, format_when
from app.evidence.models import CaptureTime, ItemKind

PDF_LANGUAGE = "zh_CN"  # the PDF is bilingual, Chinese first: values use the Chinese formats

# kinds, verdicts, "not checked": the one table of each is app/evidence/labels.py

TIME_SOURCE = {
    "exif": ("EXIF 拍摄时间", "EXIF capture time"),
    "quicktime": ("视频拍摄时间", "QuickTime creation date"),
    "container": ("视频容器时间", "video container time"),
    "xmp": ("XMP 时间", "XMP time"),
    "png_text": ("PNG 文本时间", "PNG text time"),
    "ocr": ("截图中的文字", "text in the screenshot"),
    "tracking": ("物流记录", "tracking line"),
    "manual": ("手动设定", "set by hand"),
    "file_time": ("文件修改时间（不可靠）", "file time (unreliable)"),
}
CONFIDENCE = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}

SEVERITY = {"ok": "✓", "info": "i", "warning": "!", "alert": "!!"}

PRIVACY_ZH = "图片为缩小副本，已去除元数据以保护隐私；原件由提交人保存。"
PRIVACY_EN = "Metadata removed for privacy; original kept by the submitter."
KEPT_ZH = "应用户要求，此图保留了原件的元数据（可能含拍摄地点）；原件由提交人保存。"
KEPT_EN = (
    "Metadata kept at the user's request (may include the location); "
    "original kept by the submitter."
)
UNDATED = ("无可信时间", "no trusted time")
ENTERED_BY_USER = ("由用户填写", "entered by the user")
TITLE = ("电子证据链", "Evidence chain")
BUNDLE_HASH = ("证据包哈希", "Bundle hash")
BUNDLE_HASH_RULE = (
    "证据包哈希 = manifest.json 文件的 SHA-256；每页页脚印有前 16 位。",
    "Bundle hash = SHA-256 of manifest.json; its first 16 digits are in every page footer.",
)
NO_CHECKLIST = (
    "此导出未附带纠纷类型的举证清单（未选择纠纷类型，或清单功能尚未提供）。",
    "No dispute checklist is attached to this export (no dispute type chosen, or none available).",
)
CHECKS_LIMITS = (
    (
        "哈希一致只说明证据包内部一致：文件与清单中的哈希相符；改写者可以重新计算全部哈希，"
        "请把证据包哈希与另行收到的副本核对。哈希不能证明导入之前发生过什么。",
        "Matching hashes show the bundle is internally consistent, the files matching the hashes "
        "listed; a rewrite can recompute them all, so compare the bundle hash with a copy received "
        "separately. A hash cannot show what happened before import.",
    ),
    (
        "拍摄时间取自文件自身的元数据（EXIF、QuickTime 等），它可以被改写；"
        "“文件修改时间”最不可靠。",
        "Capture times come from the file's own metadata, which can be rewritten; "
        "file times are the weakest.",
    ),
    (
        "完整性检查给出的是观察到的迹象及其通常含义，不是真伪结论；“未见编辑迹象”不等于内容一定真实。",
        "The checks report what was seen and what it usually means, not a ruling on authenticity.",
    ),
    (
        "截图没有相机来源，本工具无法确认其真伪；如有争议，请以平台上的原始聊天记录为准。",
        "A screenshot has no camera origin; the tool cannot establish it. "
        "The platform's own chat log prevails.",
    ),
    (
        "本 PDF 中的图片是缩小后的副本并去除了元数据；原件及其哈希见 ZIP 包。",
        "Pictures here are downscaled copies without metadata; "
        "originals and hashes are in the ZIP.",
    ),
    (
        "本工具离线运行，不是第三方存证平台。需要更强的证明时，可将证据包哈希提交可信时间戳服务。",
        "The tool runs offline and is not a third-party preservation service; "
        "a trusted timestamp of the bundle hash gives stronger proof.",
    ),
    (
        "核验能发现原件或清单被改动，但不能证明本 PDF 的页面未被编辑；请以 ZIP 中的原件为准。",
        "Verification catches changed originals or a changed manifest; "
        "it cannot prove these pages were not edited.",
    ),
)
VERIFY_STEPS = (
    "1. 解压 ZIP 后，在文件夹中运行：sha256sum -c SHA256SUMS"
    "（Windows：certutil -hashfile 文件名 SHA256）。每个原件都应显示 OK。\n"
    "   Unzip, then run sha256sum -c SHA256SUMS in the folder; every original must say OK.",
    "2. 运行 sha256sum manifest.json，结果应等于证据包哈希：\n"
    "   The SHA-256 of manifest.json must equal the bundle hash:",
    "3. 或使用本软件：evidence-desk verify 证据包.zip"
    "（或 evidence-chain.pdf，可加 --against 案件文件夹）。\n"
    "   Or run evidence-desk verify BUNDLE.zip (or the PDF, optionally --against CASE).",
    "4. 本 PDF 以附件形式内含 manifest.json，PDF 阅读器的“附件”面板可查看。\n"
    "   This PDF carries manifest.json as an attachment (see your reader's attachments panel).",
)
NO_CHECKS = (
    "尚未运行完整性检查：此处暂无发现。",
    "The integrity checks have not run for this item: no findings yet.",
)


def pair(texts: tuple[str, str], sep: str = " / ") -> str:
    """ "中文 / English"."""
    return f"{texts[0]}{sep}{texts[1]}"


def kind_label(kind: ItemKind | None) -> tuple[str, str]:
    """Chinese and English name of an item kind (an event when None)."""
    return kind_words(kind)


def verdict_label(verdict: str | None, findings: Iterable[Any] = ()) -> tuple[str, str]:
    """Chinese and English wording of a verdict; "not checked" for None.

    A recompressed verdict with an alert among its findings (one not reliable enough to decide
    `edited`) is not worded "content shows no sign of change" (checks/verdict.py).
    """
    return verdict_words(verdict, (f.severity for f in findings))


def zone(name: str) -> timezone | ZoneInfo:
    """The case's time zone, UTC+8 when the name is unknown on this machine."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone(timedelta(hours=8))


def offset_text(minutes: int | None) -> str:
    """ "UTC+08:00", or "时区未知" when the offset is unknown."""
    if minutes is None:
        return "时区未知 offset unknown"
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def time_text(time: CaptureTime | None) -> str:
    """ "2025年6月10日 14:32:05 UTC+08:00" as recorded; the undated wording when None."""
    if time is None:
        return pair(UNDATED)
    when = format_datetime(time.local, seconds=True, language=PDF_LANGUAGE)
    return f"{when} {offset_text(time.offset_minutes)}"


def short_time(time: CaptureTime | None) -> str:
    """ "2025年6月10日 14:32" for tables; "—" when None."""
    return format_datetime(time.local, language=PDF_LANGUAGE) if time is not None else "—"


def source_text(time: CaptureTime | None) -> str:
    """Where a time came from and how far to trust it, in both languages."""
    if time is None:
        return ""
    zh, en = TIME_SOURCE.get(time.source.value, (time.source.value, time.source.value))
    czh, cen = CONFIDENCE.get(time.confidence, (time.confidence, time.confidence))
    return f"{zh}，可信度{czh} / {en}, {cen} confidence"


def moment_text(value: str | datetime | None, zone_name: str) -> str:
    """An ISO UTC time shown in the case's zone with its offset ("—" when missing)."""
    if value is None or value == "":
        return "—"
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        local = moment.astimezone(zone(zone_name))
    except (OverflowError, ValueError):  # 0001-01-01 from an old case: shown, never fatal
        return f"{str(value)[:32]}（超出范围，未换算 out of range, not converted）"
    offset = local.utcoffset() or timedelta(0)
    when = format_datetime(local, seconds=True, language=PDF_LANGUAGE)
    return f"{when} {offset_text(int(offset.total_seconds() // 60))}"


def size_text(size: int) -> str:
    """ "1.96 MB (1,957,448 字节 bytes)"."""
    if size < 1000:
        return f"{size} 字节 bytes"
    for unit, scale in (("MB", 1_000_000), ("KB", 1_000)):
        if size >= scale:
            return f"{size / scale:.2f} {unit} ({size:,} 字节 bytes)"
    return f"{size:,} 字节 bytes"


def short_hash(sha256: str, length: int = 12) -> str:
    """The first digits of a hash, for tables and footers."""
    return sha256[:length] if sha256 else "—"


def one_line(text: str, limit: int = 60) -> str:
    """The first line of a note, cut to `limit` characters with an ellipsis."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"


def money_text(amount: str, currency: str | None = None) -> str:
    """ "¥189.00" (the amount as entered when it is not a number)."""
    try:
        return format_money(amount, currency, language=PDF_LANGUAGE)
    except ValueError:
        return amount


def date_value_text(value: date | datetime | str) -> str:
    """A key date of the case ("2025年6月11日 21:40", or "2025年6月1日" for a day)."""
    try:
        return format_when(value, language=PDF_LANGUAGE)
    except (TypeError, ValueError):
        return str(value).replace("T", " ")[:16]
