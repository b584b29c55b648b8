"""The evidence-chain PDF: cover, index, privacy, one section per exhibit, chronology, checklist,
appendix.

`write_pdf` is the entry point; the page furniture and two-pass build are in `document`, the
parts of the story in `cover`, `exhibit` and `appendix`, the manifest attachment in `embed`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

from reportlab.platypus import Flowable

from app.evidence.export.assets import ExhibitAssets
from app.evidence.export.manifest import Manifest
from app.evidence.export.model import ExportInput
from app.evidence.export.pdf.appendix import appendix, checklist, chronology
from app.evidence.export.pdf.cover import cover, index
from app.evidence.export.pdf.document import Deferred, PdfMeta, SectionMark, build_pdf
from app.evidence.export.pdf.exhibit import exhibit_section, findings_section
from app.evidence.export.pdf.privacy import privacy_section
from app.evidence.export.wording import zone
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress

__all__ = ["write_pdf"]


def write_pdf(
    inp: ExportInput,
    manifest: Manifest,
    assets: Sequence[ExhibitAssets],
    out_path: Path,
    *,
    generator: str,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    my_checklist: bool = False,
) -> int:
    """Write the PDF to `out_path` (the caller renames it into place); returns the page count.

    The PDF speaks to the reviewer: facts, exhibits, hashes and how to verify. The user's own
    checklist, its "to check" items, advice and the check results are a separate "my
    checklist" section, written only with `my_checklist`.
    """
    cancel = cancel or CancelToken()
    names = [entry.get("archive_name") for entry in manifest.data["exhibits"]]
    total = len(assets)
    done = 0

    def make_story(pages: dict[str, int], _total: int) -> list[Flowable]:
        story: list[Flowable] = [*cover(inp, manifest.bundle_hash), *index(inp, assets, pages)]
        story += privacy_section(inp)
        # One exhibit's flowables exist at a time: memory stays flat however many there are.
        story += [Deferred(partial(exhibit_section, asset, inp)) for asset in assets]
        story += chronology(inp)
        if my_checklist:
            story += checklist(inp)
            story += [f for asset in assets for f in findings_section(asset.exhibit)]
        story += appendix(inp, manifest.bundle_hash, names)
        return story

    def on_mark(mark: SectionMark, final: bool) -> None:
        nonlocal done
        cancel.raise_if_cancelled()
        if final and mark.exhibit:
            done += 1
            progress(Progress("export.pdf", done, total, mark.outline))

    meta = PdfMeta(
        case_title=inp.info.title,
        bundle_hash=manifest.bundle_hash,
        exported_at=inp.exported_at.astimezone(zone(inp.info.timezone)),
        author=inp.preparer or "",
        creator=generator,
        manifest=manifest.raw,
    )
    progress(Progress("export.pdf", 0, total))
    with open(out_path, "wb") as handle:
        return build_pdf(make_story, handle, meta, on_mark)
