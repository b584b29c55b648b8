"""What an export hid and left out, for its privacy page and its manifest.

The page tells the reviewer that black boxes and missing metadata are deliberate, what kind of
data they hide (counted by reason, never the data itself), and that the unredacted originals
exist, byte-exact and hashed, for whoever must check them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.evidence.privacy.metadata import CATEGORIES
from app.evidence.privacy.model import REASON_LABELS, Reason, Redaction

STRIPPED_ALWAYS = ("exif", "gps", "xmp", "maker_notes", "c2pa", "thumbnail", "icc", "comments")


@dataclass(frozen=True)
class PrivacySummary:
    """What one export did for privacy.

    Attributes:
        redactions: (reason, regions filled) for the regions that appear in the export.
        exhibits: (label, regions filled) of the exhibits with filled regions.
        masked_texts: distinct pieces of text shown masked in the text (transcripts, tables).
        stripped: (metadata category, exhibits whose original carried it).
        names_withheld: True when original file names were replaced by exhibit names.
        pending: suggestions not reviewed yet (not applied).
        not_shown: accepted regions on pages or frames this export does not show.
        metadata_kept: the user opted in to keeping metadata in this export's upload copies.
        kept_exhibits: labels of the exhibits whose upload copies carry their metadata.
        withheld_exhibits: labels of those that do not despite the opt-in (accepted redactions).
    """

    redactions: tuple[tuple[str, int], ...] = ()
    exhibits: tuple[tuple[str, int], ...] = ()
    masked_texts: int = 0
    stripped: tuple[tuple[str, int], ...] = ()
    names_withheld: bool = True
    pending: int = 0
    not_shown: int = 0
    metadata_kept: bool = False
    kept_exhibits: tuple[str, ...] = ()
    withheld_exhibits: tuple[str, ...] = ()

    @property
    def regions(self) -> int:
        """Regions filled in all."""
        return sum(n for _, n in self.redactions)

    def to_json(self) -> dict[str, Any]:
        """The manifest's "privacy" entry."""
        return {
            "redactions_by_reason": dict(self.redactions),
            "redacted_exhibits": dict(self.exhibits),
            "masked_texts": self.masked_texts,
            "metadata_removed_from_copies": list(STRIPPED_ALWAYS),
            "originals_carrying": dict(self.stripped),
            # the user's choice for this export: upload copies keep the originals' metadata
            "metadata_kept_at_user_request": self.metadata_kept,
            "metadata_kept_exhibits": list(self.kept_exhibits),
            "metadata_withheld_exhibits": list(self.withheld_exhibits),
            "original_file_names": "withheld" if self.names_withheld else "kept",
        }


def summarise(
    applied: Iterable[Redaction],
    exhibits: Iterable[tuple[str, int]],
    *,
    masked_texts: int,
    stripped: Counter[str],
    names_withheld: bool,
    pending: int = 0,
    not_shown: int = 0,
    metadata_kept: bool = False,
    kept_exhibits: tuple[str, ...] = (),
    withheld_exhibits: tuple[str, ...] = (),
) -> PrivacySummary:
    """A summary from the regions an export filled and the metadata its originals carried."""
    by_reason = Counter(r.reason.value for r in applied)
    order = [r.value for r in Reason]
    return PrivacySummary(
        redactions=tuple((k, by_reason[k]) for k in order if by_reason[k]),
        exhibits=tuple(exhibits),
        masked_texts=masked_texts,
        stripped=tuple((k, stripped[k]) for k in CATEGORIES if stripped[k]),
        names_withheld=names_withheld,
        pending=pending,
        not_shown=not_shown,
        metadata_kept=metadata_kept,
        kept_exhibits=kept_exhibits,
        withheld_exhibits=withheld_exhibits,
    )


def summary_lines(summary: PrivacySummary) -> list[tuple[str, str]]:
    """The privacy page as (Chinese, English) paragraphs."""
    lines: list[tuple[str, str]] = []
    labels = [label for label, _ in summary.exhibits]
    if summary.regions:
        zh = "，".join(f"{REASON_LABELS[Reason(k)][0]} {n} 处" for k, n in summary.redactions)
        en = ", ".join(f"{REASON_LABELS[Reason(k)][1]}: {n}" for k, n in summary.redactions)
        lines.append(
            (
                f"为保护个人信息，导出的图片中共有 {summary.regions} 处被有意用实心黑框遮盖"
                f"（{zh}），涉及{'、'.join(labels)}。遮盖只作用于导出副本，原件未改动。",
                f"{summary.regions} areas were deliberately covered with solid black boxes in "
                f"the exported pictures to protect personal data ({en}), in "
                f"{', '.join(labels)}. Only the exported copies are covered; the originals are "
                "unchanged.",
            )
        )
    else:
        lines.append(
            ("本次导出的图片未遮盖任何区域。", "No area of any picture is covered in this export.")
        )
    if summary.masked_texts:
        lines.append(
            (
                f"文字部分（聊天文字、物流记录、时间线、备注）中被遮盖的 {summary.masked_texts} "
                "处内容以 * 显示，例如 138****5678。",
                "In the text (chat text, tracking records, chronology, notes) "
                f"{summary.masked_texts} piece(s) of covered text are shown masked with *, e.g. "
                "138****5678.",
            )
        )
    removed_zh = "、".join(CATEGORIES[k][0] for k in STRIPPED_ALWAYS)
    removed_en = ", ".join(CATEGORIES[k][1] for k in STRIPPED_ALWAYS)
    carried = ""
    carried_en = ""
    if summary.stripped:
        carried = (
            "原件中含有："
            + "，".join(f"{CATEGORIES[k][0]} {n} 件" for k, n in summary.stripped)
            + "。"
        )
        carried_en = (
            " The originals carried: "
            + ", ".join(f"{CATEGORIES[k][1]} ({n})" for k, n in summary.stripped)
            + "."
        )
    if summary.metadata_kept:
        lines.append(_kept_line(summary, carried, carried_en))
    else:
        lines.append(
            (
                f"导出的图片和视频关键帧只含像素，已去除全部元数据（{removed_zh}）。{carried}",
                f"Exported pictures and video keyframes hold pixels only; all metadata was "
                f"removed ({removed_en}).{carried_en}",
            )
        )
    if summary.names_withheld:
        lines.append(
            (
                "文件按证据编号命名（如 证据003.jpg），原文件名未导出（可能含有姓名）。",
                "Files are named by exhibit number (e.g. 证据003.jpg); the original file names, "
                "which may contain names, are not exported.",
            )
        )
    lines.append(
        (
            "未遮盖的原件由提交人逐字节保存（SHA-256 见各证据页），平台或调解方要求核对时可提供；"
            "原件保留了原始元数据（可能含拍摄地点），只交给需要核验原件的一方。",
            "The unredacted originals are kept byte for byte by the submitter (SHA-256 on each "
            "exhibit's page) and can be provided to the platform or a mediator on request; they "
            "keep their metadata (possibly the location) and go only to whoever must verify them.",
        )
    )
    return lines


def _kept_line(summary: PrivacySummary, carried: str, carried_en: str) -> tuple[str, str]:
    """The metadata paragraph when the user chose to keep metadata for this export."""
    kept = "、".join(summary.kept_exhibits) or "无"
    kept_en = ", ".join(summary.kept_exhibits) or "none"
    zh = (
        "应用户要求，本次导出保留了元数据：上传图片包中显示照片和截图的页面以及视频副本带有原件的"
        f"元数据（EXIF、XMP，可能含拍摄地点 GPS、设备型号和拍摄时间），涉及{kept}。"
    )
    en = (
        "Metadata kept at the user's request: in this export's upload pack, the pages showing "
        "photos and screenshots and the video copies carry their originals' metadata (EXIF, "
        f"XMP; possibly the GPS position, device and capture time), for {kept_en}."
    )
    if summary.withheld_exhibits:
        zh += (
            f"{'、'.join(summary.withheld_exhibits)}有遮盖区域，其副本不保留元数据"
            "（内嵌缩略图会显示被遮盖的内容）。"
        )
        en += (
            f" {', '.join(summary.withheld_exhibits)} have covered areas; their copies keep no "
            "metadata (an embedded thumbnail would show what is covered)."
        )
    zh += f"PDF 证据链中的图片和视频关键帧只含像素。{carried}"
    en += f" Pictures and video keyframes in the PDF evidence chain hold pixels only.{carried_en}"
    return zh, en
