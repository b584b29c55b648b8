"""The privacy page: what the export covered, masked and left out, so the reviewer knows the
black boxes and the missing metadata are deliberate (and that the originals exist)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from app.evidence.export.model import ExportInput
from app.evidence.export.pdf.document import SectionMark
from app.evidence.export.pdf.styles import para
from app.evidence.privacy.summary import summary_lines

ANCHOR = "privacy"
OUTLINE = "隐私处理 Privacy"


def privacy_section(inp: ExportInput) -> list[Flowable]:
    """The page, or nothing when the input carries no privacy summary."""
    summary = inp.privacy
    if summary is None:
        return []
    story: list[Flowable] = [
        PageBreak(),
        SectionMark(ANCHOR, OUTLINE, OUTLINE),
        para("隐私处理说明 Privacy and redaction", "h1"),
        Spacer(1, 3 * mm),
    ]
    for zh, en in summary_lines(summary):
        story += [para(zh, "body"), para(en, "small"), Spacer(1, 3 * mm)]
    return story


def cover_line(inp: ExportInput) -> list[Flowable]:
    """Lines for the cover when regions were covered or metadata kept (empty otherwise)."""
    summary = inp.privacy
    if summary is None:
        return []
    lines: list[Flowable] = []
    if summary.regions:
        lines.append(
            para(
                f"本证据包中有 {summary.regions} 处为保护个人信息而有意遮盖，见“隐私处理”页。\n"
                f"{summary.regions} areas were deliberately covered to protect personal data; "
                "see the privacy page.",
                "small",
            )
        )
    if summary.metadata_kept:
        lines.append(
            para(
                "应用户要求，上传图片包和视频副本保留了原件的元数据（可能含拍摄地点），"
                "见“隐私处理”页。\nMetadata kept at the user's request in the upload pack's "
                "pictures and video copies (may include the location); see the privacy page.",
                "small",
            )
        )
    return lines
