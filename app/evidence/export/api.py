"""`export_case`: one call that writes the PDF, an upload pack and the ZIP from one case state.

Everything an export writes shares one manifest (so one bundle hash) and one set of previews made
in a temporary work folder. Privacy is applied before anything is written: accepted redactions
are filled in the previews, the text they hide is masked everywhere it is printed, and original
file names are replaced by exhibit-based ones unless the caller keeps them (see `redact`).
Metadata is left out of every copy unless the user opts in for this export (`keep_metadata`):
then the upload pack's photo and screenshot pages and its video copies keep their originals'
EXIF/XMP and tags, except for items with accepted redactions; the PDF's pictures stay pixels
only, and the privacy page and the manifest record the choice.
Each output is written under a temporary name and renamed into place when complete; cancelling
(or Ctrl+C) between steps leaves no half-written file under a target name. Outputs finished
before a cancel stay: each of them is complete.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC
from importlib import metadata
from pathlib import Path

from app.evidence.export.archive import write_zip
from app.evidence.export.assets import ExhibitAssets, prepare_assets
from app.evidence.export.atomic import atomic_file
from app.evidence.export.collect import build_export_input
from app.evidence.export.fonts import missing_characters
from app.evidence.export.manifest import PDF_NAME, Manifest, build_manifest
from app.evidence.export.memory import limit_heap_growth
from app.evidence.export.model import (
    ExportError,
    ExportFeeds,
    ExportInput,
    ExportResult,
    PackResult,
)
from app.evidence.export.notices import pack_warnings, review_warnings, unmasked_warnings
from app.evidence.export.pack import PackPreset, load_preset, write_pack
from app.evidence.export.pdf import write_pdf
from app.evidence.export.redact import plan_privacy, privacy_summary, private_input
from app.evidence.export.workdir import work_folder
from app.evidence.progress import CancelToken, ProgressCallback, no_progress
from app.evidence.store.case import Case, Clock, utc_now
from app.evidence.timeline.clock import moment_clock

log = logging.getLogger(__name__)


def generator() -> str:
    """ "EvidenceDesk 0.1.0": written into the manifest and the PDF's Creator."""
    try:
        return f"EvidenceDesk {metadata.version('evidence-desk')}"
    except metadata.PackageNotFoundError:
        return "EvidenceDesk"


def export_case(
    case: Case,
    *,
    pdf: Path | None = None,
    pack: tuple[str | PackPreset, Path] | None = None,
    zip_path: Path | None = None,
    preparer: str | None = None,
    feeds: ExportFeeds | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    clock: Clock = utc_now,
    workers: int = 2,
    processes: bool | None = None,
    original_names: bool = False,
    keep_metadata: bool = False,
    pack_cover: bool = False,
    my_checklist: bool = False,
    warn: Callable[[str], None] | None = None,
) -> ExportResult:
    """Export a case as a PDF evidence chain, an upload pack and/or a ZIP archive.

    Args:
        case: an open case (read-only is enough).
        pdf: where the PDF goes.
        pack: (preset id or PackPreset, folder); the folder must be new, empty or an earlier pack.
        zip_path: where the ZIP goes (it always contains the PDF, made for it when `pdf` is None).
        preparer: who prepared the bundle, printed on the cover; None leaves it out.
        feeds: the timeline, checks, checklist, summary and OCR seams (see ExportFeeds).
        progress: called with stages export.prepare, export.pdf, export.pack, export.zip.
        cancel: checked between exhibits and pages.
        clock: the export time (tests pass a fixed one).
        workers: threads for previews.
        processes: photos' and screenshots' pictures made in worker processes: None when the
            case has many of them, True always, False never (see `assets.prepare_assets`).
        original_names: keep the original file names in the PDF, the pack, the manifest and
            the ZIP's entry names (off by default: names often contain people's names).
        keep_metadata: the upload pack's pictures and video copies keep their originals'
            metadata (EXIF with the GPS position, XMP, video tags); off by default. Never for
            an item with an accepted redaction.
        pack_cover: the upload pack starts with a cover and index image (off by default: the
            slots go to the evidence).
        my_checklist: the PDF includes the "my checklist" section (the user's checklist state,
            items to check, advice and the check results); off by default: the PDF speaks to
            the reviewer.
        warn: called, before anything is written, with each exhibit that looks edited or not
            original and what to do (the CLI prints them on stderr); they are also in the
            result's warnings.

    Returns:
        What was written, the bundle hash and the problems the user must see.

    Raises:
        ExportError: nothing to export, unknown preset, or a target that cannot be used.
        Cancelled: the token was cancelled; no partial output is left under a target name.
    """
    if pdf is None and pack is None and zip_path is None:
        raise ExportError("nothing to export: give a PDF, a pack or a ZIP target")
    preset = _preset(pack[0]) if pack is not None else None
    limit_heap_growth()
    cancel = cancel or CancelToken()
    refused: list[str] = []  # items whose recorded path leaves the case: never read
    inp = build_export_input(case, feeds, preparer=preparer, clock=clock, refused=refused)
    privacy = plan_privacy(
        case, inp.exhibits, original_names=original_names, keep_metadata=keep_metadata
    )
    kept = frozenset(
        e.item.id for e in inp.exhibits if e.item is not None and privacy.keeps_metadata(e.item.id)
    )
    # Problems are for the user, not the reviewer: they name the files as the user knows them.
    known_as = {e.number: e.title for e in inp.exhibits}
    review = review_warnings(inp.exhibits, known_as)
    for line in review:
        if warn is not None:
            warn(line)
    warnings = review + unmasked_warnings(case, inp.exhibits, known_as)
    inp = private_input(inp, privacy)
    problems = refused + _text_problems(inp)
    pages = 0
    pack_result: PackResult | None = None
    with work_folder() as work:
        assets = prepare_assets(
            inp.exhibits,
            work,
            progress=progress,
            cancel=cancel,
            workers=workers,
            processes=processes,
            redactions=privacy.redactions,
            masker=privacy.masker,
            zone_name=inp.info.timezone,
        )
        problems += _asset_problems(assets, known_as)
        inp = replace(inp, privacy=privacy_summary(inp, assets, privacy))
        manifest = build_manifest(inp, generator())
        # kept before any output exists: a PDF or ZIP that appears is always one the case
        # records (verify --against), even when the export is killed right after it
        _keep_manifest(case, manifest, inp)
        pdf_file: Path | None = None
        if pdf is not None or zip_path is not None:
            if pdf is not None:
                with atomic_file(pdf) as temp:
                    pages = _pdf(inp, manifest, assets, temp, progress, cancel, my_checklist)
                pdf_file = Path(pdf)
            else:
                pdf_file = work / PDF_NAME
                pages = _pdf(inp, manifest, assets, pdf_file, progress, cancel, my_checklist)
        if pack is not None and preset is not None:
            pack_result = write_pack(
                inp,
                assets,
                manifest.bundle_hash,
                preset,
                Path(pack[1]),
                progress=progress,
                cancel=cancel,
                redactions=privacy.redactions,
                keep_metadata=kept,
                cover=pack_cover,
                deadlines=deadline_lines(case),
            )
        if zip_path is not None:
            with atomic_file(zip_path) as temp:
                zip_problems = write_zip(
                    temp,
                    manifest,
                    inp.exhibits,
                    pdf_file,
                    inp.exported_at,
                    progress=progress,
                    cancel=cancel,
                )
            # A changed original is reported by the previews already; a vanished one only here.
            problems += [p for p in zip_problems if "missing" in p]
    return ExportResult(
        bundle_hash=manifest.bundle_hash,
        exhibits=len(inp.exhibits),
        pdf=Path(pdf) if pdf else None,
        pdf_pages=pages,
        pack=pack_result,
        zip=Path(zip_path) if zip_path else None,
        problems=tuple(problems),
        privacy=inp.privacy,
        warnings=tuple(warnings + pack_warnings(pack_result, preset)),
        review=tuple(review),
        sent=tuple((f"item:{e.item.id}", e.number) for e in inp.exhibits if e.item is not None),
    )


def record_export(case: Case, result: ExportResult) -> int | None:
    """Record an export meant for the reviewer (a PDF or an upload pack) as a submission round
    and fix its exhibit numbers (`case` open for writing); None when nothing was recorded (a
    ZIP only, the same exhibits as the last round, or numbers changed since the export)."""
    from app.evidence.disputes.rounds import record_export_round

    if result.pdf is None and result.pack is None:
        return None
    where = result.pack.folder if result.pack is not None else result.pdf
    return record_export_round(case, result.sent, export_ref=str(where))


def deadline_lines(case: Case) -> list[str]:
    """The deadlines of the case (open, due today or passed), one line each in the case's zone,
    with their source, for the upload guide; [] when none can be computed."""
    from app.evidence.disputes import case_deadlines, case_today
    from app.evidence.disputes.summary import case_dispute

    try:
        zone = case.info().timezone
        deadlines = case_deadlines(case, case_today(case), case_dispute(case))
    except Exception:  # noqa: BLE001 - the guide goes without deadlines, the export goes on
        log.warning("deadlines could not be computed for the upload guide", exc_info=True)
        return []
    lines = []
    for d in deadlines:
        if d.due_at is None:
            continue  # its date is not in the case
        if d.status == "passed":
            left = f"已过期 {-(d.days_left or 0)} 天"
        else:
            left = "今天到期" if d.status == "due_today" else f"还剩 {d.days_left} 天"
        source = d.rule.citation.source
        lines.append(
            f"{d.rule.zh}：{moment_clock(d.due_at, zone, language='zh')} 截止（{left}；"
            f"来源 {source.id}，{source.date or '日期不详'}，可信度 "
            f"{CONFIDENCE_ZH.get(d.rule.citation.confidence, d.rule.citation.confidence)}）"
        )
    return lines


CONFIDENCE_ZH = {"high": "高", "medium": "中", "low": "低"}


def _preset(value: str | PackPreset) -> PackPreset:
    return value if isinstance(value, PackPreset) else load_preset(value)


def _pdf(
    inp: ExportInput,
    manifest: Manifest,
    assets: Sequence[ExhibitAssets],
    out: Path,
    progress: ProgressCallback,
    cancel: CancelToken,
    my_checklist: bool = False,
) -> int:
    return write_pdf(
        inp,
        manifest,
        assets,
        out,
        generator=generator(),
        progress=progress,
        cancel=cancel,
        my_checklist=my_checklist,
    )


def _asset_problems(assets: Sequence[ExhibitAssets], known_as: dict[int, str]) -> list[str]:
    problems = []
    for asset in assets:
        e = asset.exhibit
        title = known_as.get(e.number, e.title)
        if asset.hash_ok is False:
            problems.append(
                f"{e.label} ({title}): the original's bytes no longer match its recorded SHA-256"
            )
        # other documents are not drawn (a known limit, said on their page); a PDF whose pages
        # cannot be drawn (encrypted, damaged) is news to the user
        shown = e.item is not None and (e.item.kind.value != "document" or e.item.format == "pdf")
        if asset.problem and shown:
            problems.append(f"{e.label} ({title}): {asset.problem}")
    return problems


def _text_problems(inp: ExportInput) -> list[str]:
    texts = [inp.info.title, inp.preparer or "", *(f.value for f in inp.facts)]
    texts += [t for e in inp.exhibits for t in (e.title, e.note, *e.transcript)]
    missing = set().union(*(missing_characters(t) for t in texts)) if texts else set()
    if not missing:
        return []
    shown = " ".join(sorted(missing)[:10])
    return [f"{len(missing)} character(s) the bundled font lacks are shown as □: {shown}"]


def _keep_manifest(case: Case, manifest: Manifest, inp: ExportInput) -> None:
    """Keep a copy of the manifest in the case's exports/ folder (best effort: may be read-only)."""
    folder = case.root / "exports"
    stamp = inp.exported_at.astimezone(UTC)
    name = f"{stamp:%Y%m%dT%H%M%SZ}-{manifest.bundle_hash[:12]}.manifest.json"
    try:
        folder.mkdir(exist_ok=True)
        with atomic_file(folder / name) as temp:
            temp.write_bytes(manifest.raw)
    except (OSError, ExportError):
        log.info("could not keep a copy of the manifest in %s", folder, exc_info=True)
