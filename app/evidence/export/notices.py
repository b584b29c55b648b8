"""Warnings an export gives the user without failing: things to look at before uploading.

Unlike `ExportResult.problems` (an original changed, a preview that could not be made), these
are expected outcomes the user should still hear about: personal data that is visible in an
exhibit and not covered, and exhibits an upload slot had no room for.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from app.evidence.export.model import Exhibit, PackResult
from app.evidence.export.pack.presets import PackPreset
from app.evidence.i18n import pick, tr
from app.evidence.models import ItemKind
from app.evidence.privacy.model import REASON_LABELS
from app.evidence.privacy.suggest import unmasked
from app.evidence.store.case import Case

log = logging.getLogger(__name__)


def unmasked_warnings(
    case: Case, exhibits: Sequence[Exhibit], known_as: Mapping[int, str]
) -> list[str]:
    """One warning per exhibit that shows a phone, ID or bank card number nobody covered.

    Reads cached OCR and tracking text only (see `privacy.suggest.unmasked`); the numbers are
    named masked ("138****5678"), never in full.
    """
    items = [e.item for e in exhibits if e.item is not None]
    try:
        found = unmasked(case, items)
    except OSError:
        log.info("could not look for uncovered personal data", exc_info=True)
        return []
    warnings = []
    for e in exhibits:
        if e.item is None or e.item.id not in found:
            continue
        seen = dict.fromkeys(
            f"{pick(*REASON_LABELS[s.reason])} {s.masked}" for s in found[e.item.id]
        )
        what = tr("、", ", ").join(list(seen)[:3])
        if len(seen) > 3:
            what += tr(" 等 {n} 处", " and {n} more", n=len(seen) - 3)
        warnings.append(
            tr(
                "{label}（{title}）含{what}，未遮盖 — 运行 redact {case} --suggest 或在窗口中遮盖",
                "{label} ({title}) shows {what}, not covered: run redact {case} --suggest "
                "or cover it in the window",
                label=e.label,
                title=known_as.get(e.number, e.title),
                what=what,
                case=case.root,
            )
        )
    return warnings


def pack_warnings(pack: PackResult | None, preset: PackPreset | None) -> list[str]:
    """The exhibits an upload slot with a total image count had no room for."""
    if pack is None or preset is None or not pack.left_out:
        return []
    return [
        tr(
            "图片包 {preset} 最多 {limit} 张图片，未放入：{labels}（全部证据在 PDF 和 ZIP 中；"
            "可在 pack.json 的 left_out 中查看）",
            "pack {preset} takes {limit} images in all; not included: {labels} (every exhibit "
            "is in the PDF and the ZIP; see left_out in pack.json)",
            preset=pack.preset,
            limit=preset.max_images,
            labels="、".join(pack.left_out),
        )
    ]


def review_warnings(exhibits: Sequence[Exhibit], known_as: Mapping[int, str]) -> list[str]:
    """One warning per exhibit that looks edited or not original, with what to do.

    Said to the user before the export is written (stderr, the window), never on what the
    reviewer receives: the pack images, description.txt and the PDF's exhibit pages carry no
    check result.
    """
    warnings = []
    for e in exhibits:
        if e.item is None or e.verdict not in ("edited", "recompressed"):
            continue
        if e.verdict == "recompressed" and e.kind not in (ItemKind.PHOTO, ItemKind.VIDEO):
            continue  # a screenshot is never a camera original: nothing to ask for
        name = known_as.get(e.number, e.title)
        if e.verdict == "edited":
            warnings.append(
                tr(
                    "{label}（{name}）有编辑迹象：审核人员可能不采信。请向拍摄者索取原始文件"
                    "（原图/原视频）重新导入；如编辑是你做的（裁剪、打码），请在备注中说明。",
                    "{label} ({name}) shows signs of editing: a reviewer may not accept it. Ask "
                    "whoever took it for the original file and import that; if you edited it "
                    "(a crop, a cover-up), say so in its note.",
                    label=e.label,
                    name=name,
                )
            )
        else:
            warnings.append(
                tr(
                    "{label}（{name}）不是原始文件（可能经聊天软件或相册转存）：请找回原始文件"
                    "重新导入，或在备注中说明它从哪里来。",
                    "{label} ({name}) is not the original file (a chat app or gallery may have "
                    "re-saved it): find the original and import it, or say in its note where "
                    "it came from.",
                    label=e.label,
                    name=name,
                )
            )
    return warnings
