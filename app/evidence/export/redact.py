"""The export's privacy step: redactions, masked text and exhibit-based names, applied to copies.

`plan_privacy` reads the case's redactions once and builds the text masker; `private_input`
returns the export input with every printed text masked and, unless the user opted in, every
original file name replaced by an exhibit-based one ("证据003.jpg"), so the PDF, the pack, the
manifest and the ZIP's entry names never carry a name a user gave a file. `privacy_summary`
says afterwards what was filled and what metadata the copies left out, or, when the user opted
in to keeping metadata for this export, which copies kept it and which did not (a picture with
an accepted redaction never does: see `privacy.keep`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from app.evidence.export.assets import ExhibitAssets
from app.evidence.export.model import Exhibit, ExhibitFinding, ExportInput
from app.evidence.privacy.metadata import original_metadata
from app.evidence.privacy.model import Redaction, State
from app.evidence.privacy.store import list_redactions
from app.evidence.privacy.summary import PrivacySummary, summarise
from app.evidence.privacy.textmask import TextMasker, build_masker
from app.evidence.store.case import Case

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrivacyPlan:
    """What the export applies, read from the case once.

    Attributes:
        redactions: item id -> its redactions (every state; writers apply accepted ones).
        masker: replaces redacted text (and withheld file names) in everything printed.
        names: item id -> the exhibit-based file name used instead of the original's.
        original_names: True when the user chose to keep original file names.
        pending: suggestions nobody has accepted or rejected yet (not applied).
        keep_metadata: True when the user opted in to keeping metadata in this export's upload
            copies (see `keeps_metadata` for which items actually keep it).
    """

    redactions: Mapping[int, tuple[Redaction, ...]] = field(default_factory=dict)
    masker: TextMasker = field(default_factory=TextMasker)
    names: Mapping[int, str] = field(default_factory=dict)
    original_names: bool = False
    pending: int = 0
    keep_metadata: bool = False

    def keeps_metadata(self, item_id: int) -> bool:
        """True when this item's upload copies carry its original's metadata.

        Only with the user's opt-in, and never for an item with an accepted redaction: its
        EXIF thumbnail shows the area the fill hides, and its location may be what was hidden.
        """
        return self.keep_metadata and not any(r.applied for r in self.redactions.get(item_id, ()))


def exhibit_file_name(exhibit: Exhibit, width: int) -> str:
    """ "证据003.jpg": the exhibit number and the original's extension."""
    name = exhibit.item.original_name if exhibit.item else ""
    stem, dot, ext = name.rpartition(".")
    suffix = f".{ext.lower()}" if dot and stem and 0 < len(ext) <= 8 and ext.isalnum() else ""
    return f"证据{exhibit.number:0{width}d}{suffix}"


def plan_privacy(
    case: Case,
    exhibits: Sequence[Exhibit],
    *,
    original_names: bool = False,
    keep_metadata: bool = False,
) -> PrivacyPlan:
    """Read the redactions and build the masker for these exhibits."""
    every = list_redactions(case)
    by_item: dict[int, list[Redaction]] = {}
    for r in every:
        by_item.setdefault(r.item_id, []).append(r)
    width = max(3, len(str(len(exhibits))))
    names = {e.item.id: exhibit_file_name(e, width) for e in exhibits if e.item is not None}
    extra: dict[str, str] = {}
    if not original_names:
        originals = {e.item.id: e.item.original_name for e in exhibits if e.item is not None}
        extra = {originals[i]: names[i] for i in names if originals[i] and originals[i] != names[i]}
    pending = sum(1 for r in every if r.state is State.SUGGESTED)
    if pending:
        log.warning(
            "%d suggested redaction(s) not reviewed yet: they are not applied to this export",
            pending,
        )
    return PrivacyPlan(
        redactions={k: tuple(v) for k, v in by_item.items()},
        masker=build_masker(case, every, extra=extra),
        names=names if not original_names else {},
        original_names=original_names,
        pending=pending,
        keep_metadata=keep_metadata,
    )


def private_input(inp: ExportInput, plan: PrivacyPlan) -> ExportInput:
    """The input with printed texts masked and (unless kept) file names exhibit-based."""
    mask = plan.masker
    exhibits = []
    for e in inp.exhibits:
        item, title = e.item, e.title
        if item is not None and item.id in plan.names:
            if title == item.original_name:
                title = plan.names[item.id]
            item = replace(item, original_name=plan.names[item.id])
        exhibits.append(
            replace(
                e,
                item=item,
                title=mask.apply(title),
                note=mask.apply(e.note),
                time_note=mask.apply(e.time_note),
                transcript=mask.apply_all(e.transcript),
                findings=tuple(_masked_finding(f, mask) for f in e.findings),
            )
        )
    return replace(
        inp,
        info=replace(inp.info, title=mask.apply(inp.info.title)),
        exhibits=tuple(exhibits),
        facts=tuple(replace(f, value=mask.apply(f.value)) for f in inp.facts),
        chronology=tuple(replace(c, text=mask.apply(c.text)) for c in inp.chronology),
        original_names=plan.original_names,
    )


def _masked_finding(finding: ExhibitFinding, mask: TextMasker) -> ExhibitFinding:
    # stitching findings name the other screenshot: a withheld file name must not come back here
    return replace(
        finding,
        title_zh=mask.apply(finding.title_zh),
        title_en=mask.apply(finding.title_en),
        explanation_zh=mask.apply(finding.explanation_zh),
        explanation_en=mask.apply(finding.explanation_en),
        false_positives_zh=mask.apply(finding.false_positives_zh),
        false_positives_en=mask.apply(finding.false_positives_en),
    )


def privacy_summary(
    inp: ExportInput, assets: Sequence[ExhibitAssets], plan: PrivacyPlan
) -> PrivacySummary:
    """What the export filled, masked and left out (call after the previews are made)."""
    by_id = {r.id: r for regions in plan.redactions.values() for r in regions}
    applied: list[Redaction] = []
    exhibits: list[tuple[str, int]] = []
    stripped: Counter[str] = Counter()
    kept: list[str] = []
    withheld: list[str] = []
    for asset in assets:
        e = asset.exhibit
        if asset.redactions:
            applied += [by_id[n] for n in asset.redactions if n in by_id]
            exhibits.append((e.label, len(asset.redactions)))
        if e.item is not None and (asset.picture is not None or asset.frames):
            carried = original_metadata(e.item, e.path)
            stripped.update(carried)
            if plan.keep_metadata and carried:
                (kept if plan.keeps_metadata(e.item.id) else withheld).append(e.label)
    used = {r.id for r in applied}
    not_shown = sum(
        1
        for regions in plan.redactions.values()
        for r in regions
        if r.applied and r.rect is not None and r.id not in used
    )
    withheld_names = set(plan.names.values()) | {
        k for k in plan.masker.rules if plan.masker.rules[k] in plan.names.values()
    }
    return summarise(
        applied,
        exhibits,
        masked_texts=len(plan.masker.hits - withheld_names),
        stripped=stripped,
        names_withheld=not plan.original_names,
        pending=plan.pending,
        not_shown=not_shown,
        metadata_kept=plan.keep_metadata,
        kept_exhibits=tuple(kept),
        withheld_exhibits=tuple(withheld),
    )
