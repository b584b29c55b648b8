"""The one import pipeline: record the files, make thumbnails, check them, read tracking and chats.

Every front end imports through `import_paths` (the window on its writer thread, the CLI on the
main thread, the demo), so they all do the same steps in the same order:

1. `iter_import` records each file (one transaction per file: what was recorded stays);
2. thumbnails for the new items, made while the import runs: each file goes to a
   `ThumbnailFeed` as soon as it is recorded, and the import waits for the last ones when every
   file is in (a thumbnail that cannot be made is reported, never fatal);
3. the integrity checks of the new items;
4. analysis of the case: tracking texts into events, chat screenshots (OCR) into messages, on the
   chat side the caller names.

Progress comes as the "import" stage while files are recorded, then as the "thumbnails" stage
(from the number already made to the number of new pictures and videos), then the later ones.
Steps 3-4 run only when the import was not cancelled; a cancel or a full disk while recording
stops the thumbnails too (those made stay; `check` makes the others). A full disk while recording
names every file not imported; a full disk afterwards leaves the originals recorded and says the
rest is unfinished.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.evidence.checks.case_checks import check_case_items
from app.evidence.checks.import_decode import compare_at_import
from app.evidence.checks.model import Finding
from app.evidence.i18n import pick, tr
from app.evidence.ingest.analyse import analyse_case
from app.evidence.ingest.derived import ThumbnailFeed
from app.evidence.ingest.importer import FileResult, collect_files, display_name, iter_import
from app.evidence.ingest.phone_folders import (
    ANDROID,
    CAMERA,
    CHAT_APP,
    CLASSES,
    IPHONE,
    OTHER_APP,
    SCREENSHOT,
    UNKNOWN,
    PhoneScan,
    detect_layout,
    dispute_window,
    scan_phone,
)
from app.evidence.models import ItemKind
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress
from app.evidence.store.case import Case
from app.evidence.store.folder_hints import hints_for, record_hints
from app.evidence.timeline.dates import case_dates
from app.evidence.timeline.times import case_zone


@dataclass(frozen=True)
class ThumbnailProblem:
    """An item imported without a thumbnail (the original is kept and exports as usual)."""

    name: str  # the file's name as the user knows it
    error: str  # the first line of what went wrong


@dataclass(frozen=True)
class ImportOutcome:
    """Everything one import did and every problem the user must see.

    Attributes:
        results: one per input file ("imported", "duplicate", "failed").
        cancelled: the import stopped early (cancel token or Ctrl+C); what was recorded stays.
        thumbnails: items imported without a thumbnail.
        problems: what the analysis reports (a chat screenshot that could not be read, ...).
        unfinished: the disk filled up after the originals were recorded: thumbnails, checks or
            analysis are not finished (`check` finishes them later).
    """

    results: list[FileResult]
    cancelled: bool = False
    thumbnails: list[ThumbnailProblem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unfinished: bool = False

    @property
    def imported_ids(self) -> list[int]:
        """The ids of the items this import added."""
        return [r.item_id for r in self.results if r.status == "imported" and r.item_id]

    def count(self, status: str) -> int:
        """How many input files ended with `status`."""
        return sum(r.status == status for r in self.results)


def import_paths(
    case: Case,
    paths: Sequence[Path],
    *,
    kind: ItemKind | None = None,
    ocr: bool = True,
    me_on_right: bool = True,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    folder_hints: Mapping[str, tuple[str, str]] | None = None,
) -> ImportOutcome:
    """Import files and folders into an open, writable case and finish everything that follows.

    Args:
        case: the case, opened for writing.
        paths: files and folders (folders are walked).
        kind: force the kind of every file (the user's choice), or None to detect it.
        ocr: read chat screenshots (off: tracking texts are still read).
        me_on_right: the user's side in chat screenshots.
        progress: called with each stage's progress ("import", "thumbnails", "check", "ocr", ...).
        cancel: stops between files and between the later steps' items.
        folder_hints: str(path) -> (phone folder, source class) of files from a phone's storage
            (`plan_phone_import`): kept beside each new item as a hint, never as evidence.
    """
    cancel = cancel or CancelToken()
    compared: dict[str, tuple[Finding, ...]] = {}
    outcome, finished = _record_with_thumbnails(
        case,
        paths,
        kind=kind,
        progress=progress,
        cancel=cancel,
        folder_hints=folder_hints,
        compared=compared,
    )
    if not finished:
        return outcome
    try:
        _after_import(
            case,
            outcome,
            ocr=ocr,
            me_on_right=me_on_right,
            progress=progress,
            cancel=cancel,
            compared=compared,
        )
    except (sqlite3.OperationalError, OSError) as exc:
        if not storage_full(exc):
            raise
        return ImportOutcome(
            outcome.results,
            thumbnails=outcome.thumbnails,
            problems=outcome.problems,
            unfinished=True,
        )
    return ImportOutcome(
        outcome.results,
        cancelled=cancel.cancelled,
        thumbnails=outcome.thumbnails,
        problems=outcome.problems,
    )


def import_with_thumbnails(
    case: Case,
    paths: Sequence[Path],
    *,
    kind: ItemKind | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ImportOutcome:
    """Steps 1 and 2 of `import_paths` alone: record the files and make their thumbnails while
    recording (no checks, no analysis; `check` finishes those). What bench/import_bench.py
    measures against the floor of copying the files."""
    outcome, _ = _record_with_thumbnails(
        case, paths, kind=kind, progress=progress, cancel=cancel or CancelToken()
    )
    return outcome


def _record_with_thumbnails(
    case: Case,
    paths: Sequence[Path],
    *,
    kind: ItemKind | None,
    progress: ProgressCallback,
    cancel: CancelToken,
    folder_hints: Mapping[str, tuple[str, str]] | None = None,
    compared: dict[str, tuple[Finding, ...]] | None = None,
) -> tuple[ImportOutcome, bool]:
    """Record the files and make their thumbnails meanwhile; the outcome, and whether the later
    steps may run (False after a cancel, Ctrl+C or a full disk while recording).

    `compared`: when given, each photo's thumbnail job also makes the EXIF thumbnail
    comparison from its decode (checks.import_decode), and its findings land here by SHA-256
    for the check that follows (one decode per photo, not two).
    """
    results: list[FileResult] = []
    names: dict[str, str] = {}  # SHA-256 -> the file's name, for a thumbnail's problem

    def told(p: Progress) -> None:
        if p.stage == "import" and p.done == 0:  # the importer's first report: how many files
            feed.expect(p.total)
        progress(p)

    examine = compare_at_import if compared is not None else None
    with ThumbnailFeed(case, examine=examine) as feed:  # leaving the block early stops it
        try:
            for result in iter_import(case, paths, kind=kind, progress=told, cancel=cancel):
                results.append(result)
                if feed.add(result) and result.sha256:
                    names[result.sha256] = display_name(Path(result.path))
        except KeyboardInterrupt:  # Ctrl+C in a terminal: what was recorded stays
            cancel.cancel()
            return ImportOutcome(results, cancelled=True), False
        except (sqlite3.OperationalError, OSError) as exc:
            if not storage_full(exc):
                raise
            # the case stays consistent (each file is one transaction); name every file not imported
            return ImportOutcome(results + _not_imported(paths, results, exc)), False
        finally:
            if folder_hints:
                _record_folder_hints(case, results, folder_hints)
        if cancel.cancelled:
            return ImportOutcome(results, cancelled=True), False
        try:
            made = feed.finish(progress, cancel)
        except KeyboardInterrupt:  # the originals are all recorded; `check` makes the rest
            cancel.cancel()
            return ImportOutcome(results, cancelled=True), False
    if compared is not None:
        for thumb in made:
            if isinstance(thumb.examined, tuple) and thumb.path is not None:
                compared[thumb.job.dest.stem] = thumb.examined  # the thumbnail is <sha256>.jpg
    problems = [
        ThumbnailProblem(
            names.get(thumb.job.src.stem, thumb.job.src.name),
            str(thumb.error).split("\n")[0][:160],
        )
        for thumb in made
        if thumb.error is not None
    ]
    cancelled = cancel.cancelled
    return ImportOutcome(results, cancelled=cancelled, thumbnails=problems), not cancelled


def _after_import(
    case: Case,
    outcome: ImportOutcome,
    *,
    ocr: bool,
    me_on_right: bool,
    progress: ProgressCallback,
    cancel: CancelToken,
    compared: Mapping[str, tuple[Finding, ...]],
) -> None:
    """Checks of the new items (their thumbnails are made), then tracking and chats of the case."""
    new_ids = outcome.imported_ids
    if new_ids:
        check_case_items(case, new_ids, progress=progress, cancel=cancel, thumbnail_found=compared)
    if cancel.cancelled:
        return
    report = analyse_case(case, ocr=ocr, me_on_right=me_on_right, progress=progress, cancel=cancel)
    outcome.problems.extend(report.problems)


def storage_full(exc: BaseException) -> bool:
    """True for "database or disk is full" from SQLite and ENOSPC/EDQUOT from the system."""
    if isinstance(exc, sqlite3.OperationalError):
        return "full" in str(exc).lower() or getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL"
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def _not_imported(
    paths: Sequence[Path], done: list[FileResult], exc: BaseException
) -> list[FileResult]:
    """One failed result per input file the import did not get to, saying the disk is full."""
    reported = {r.path for r in done}
    files, _ = collect_files(paths)
    return [
        FileResult(
            str(path),
            "failed",
            error_code="disk_full",
            message=tr(
                "{name}：未导入，磁盘空间不足（{detail}）；腾出空间后重新运行 add",
                "{name}: not imported, the disk is full ({detail}); free some space and run "
                "add again",
                name=path.name,
                detail=str(exc).split("\n")[0][:80],
            ),
        )
        for path in files
        if str(path) not in reported
    ]


# -- a phone's storage (issue 22) ------------------------------------------------------------


def _record_folder_hints(
    case: Case, results: Sequence[FileResult], hints: Mapping[str, tuple[str, str]]
) -> None:
    """Keep the phone folder of each item this import added (a full disk loses only hints)."""
    new = {
        r.item_id: hints[r.path]
        for r in results
        if r.item_id and r.status == "imported" and r.path in hints
    }
    try:
        record_hints(case, new)
    except (sqlite3.OperationalError, OSError) as exc:
        if not storage_full(exc):
            raise


# the case dates that bound the files worth offering: the goods' journey there and back
DISPUTE_DATES = ("order", "shipped", "signed", "return_shipped", "return_signed")
MARGIN_DAYS = 2  # photos of packing (before shipping) and unboxing (after signing)


@dataclass(frozen=True)
class PhoneImportPlan:
    """What a folder from a phone holds and what to import of it (see `plan_phone_import`).

    Attributes:
        scan: every file, its folder's class, its day and whether it is inside the dates.
    """

    scan: PhoneScan

    @property
    def suggested(self) -> list[Path]:
        """The camera's files from the dispute's dates (and the camera files nothing dates)."""
        return [f.path for f in self.scan.suggested]

    @property
    def everything(self) -> list[Path]:
        """Every file in the folder."""
        return [f.path for f in self.scan.files]

    def hints(self) -> dict[str, tuple[str, str]]:
        """str(path) -> (phone folder, source class), for `import_paths(folder_hints=)`."""
        return {str(f.path): (f.folder, f.source_class) for f in self.scan.files}

    def offer_text(self) -> str:
        """The suggested choice in the user's words, with the number of files and the dates."""
        n = len(self.scan.suggested)
        if self.scan.window is None:
            return tr(
                "只导入相机拍的 {n} 个文件（案件中还没有下单、发货或签收日期）",
                "Import only the {n} camera files (the case has no order, shipping or "
                "signing date yet)",
                n=n,
            )
        return tr(
            "只导入相机拍的 {n} 个文件（{dates}）",
            "Import only the {n} camera files from {dates}",
            n=n,
            dates=day_range_text(*self.scan.window),
        )

    def everything_text(self) -> str:
        """The other choice: every file of the folder."""
        return tr("全部导入（{n} 个文件）", "Import all {n} files", n=len(self.scan.files))

    def left_out_lines(self) -> list[str]:
        """What the suggestion leaves out, one line per class that has any."""
        left = self.scan.left_out()
        lines = []
        for name in CLASSES:
            if left[name]:
                lines.append(
                    tr(
                        "{what}：{n} 个",
                        "{what}: {n}",
                        what=class_text(name, outside=name == CAMERA),
                        n=left[name],
                    )
                )
        return lines

    def refused_text(self) -> str:
        """Files the walk did not read (a link out of the folder, a pipe); "" when none."""
        n = len(self.scan.failed)
        if not n:
            return ""
        return tr(
            "另有 {n} 项未读取（指向文件夹之外的链接，或不是普通文件）",
            "{n} more not read (links leading out of the folder, or not regular files)",
            n=n,
        )

    def undated_text(self) -> str:
        """Camera files offered though nothing dates them ("" when there are none)."""
        n = self.scan.undated_camera
        if not n or self.scan.window is None:
            return ""
        return tr(
            "其中 {n} 个读不出拍摄日期，也一并列入（请自己看一下）",
            "{n} of them have no date that can be read; they are offered all the same "
            "(have a look at them)",
            n=n,
        )


def class_text(name: str, *, outside: bool = False) -> str:
    """A folder class in the user's words."""
    if name == CAMERA:
        return (
            tr("相机拍的，但不在纠纷日期内", "camera files outside the dispute's dates")
            if outside
            else tr("相机", "camera")
        )
    return {
        SCREENSHOT: tr("截图和录屏", "screenshots and screen recordings"),
        CHAT_APP: tr("微信、QQ 等聊天软件保存的", "saved from WeChat, QQ and other chat apps"),
        OTHER_APP: tr(
            "抖音、快手、小红书等其他应用或云相册的",
            "from Douyin, Kuaishou, Xiaohongshu, other apps or a cloud album",
        ),
        UNKNOWN: tr("其他文件夹里的", "in other folders"),
    }.get(name, name)


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)  # fmt: skip  (not strftime: %B follows the system's locale, 六月 on a Chinese Windows)


def day_range_text(first: date, last: date, *, today: date | None = None) -> str:
    """6月5日–6月12日 / 5–12 June (with the year when the range is not within this year)."""
    year_now = (today or date.today()).year
    show_year = first.year != last.year or first.year != year_now

    def zh(d: date) -> str:
        return (f"{d.year}年" if show_year else "") + f"{d.month}月{d.day}日"

    def en(d: date, year: bool) -> str:
        return f"{d.day} {_MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")

    if (first.year, first.month) == (last.year, last.month):
        english = f"{first.day}–{en(last, show_year)}"
    else:
        english = f"{en(first, first.year != last.year)} – {en(last, show_year)}"
    return pick(f"{zh(first)}–{zh(last)}", english)


def plan_phone_import(
    case: Case,
    folder: Path,
    *,
    margin_days: int = MARGIN_DAYS,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> PhoneImportPlan | None:
    """Look at a folder before importing it: None unless it is a phone's storage or DCIM.

    Each file is classified by its folder (camera, screenshot, chat app, other app, unknown)
    and dated cheaply (EXIF, a video's header, the file name, else the file time); the dates
    are the case's order, shipping and signing dates (and the return's) with `margin_days`
    either side. Nothing is imported: the front end shows the plan and imports the chosen
    paths with `import_paths(case, paths, folder_hints=plan.hints())`. Reads only; `cancel`
    stops the look (Cancelled).
    """
    layout = detect_layout(Path(folder))
    if layout is None:
        return None
    zone = case_zone(case.info().timezone)
    dates = case_dates(case)
    days = [dates[name].day(zone) for name in DISPUTE_DATES if name in dates]
    window = dispute_window(days, margin_days)
    return PhoneImportPlan(scan_phone(layout, zone, window, progress=progress, cancel=cancel))


def folder_hint_text(case: Case, item_id: int) -> str | None:
    """The phone folder an item came from, as a hint in the case's words (None: not known)."""
    hint = hints_for(case.connection, [item_id]).get(item_id)
    if hint is None:
        return None
    return tr(
        "来自手机文件夹 {folder}（{what}）；仅供参考，不作为证据",
        "From the phone folder {folder} ({what}); a hint, not evidence",
        folder=hint.folder or "/",
        what=class_text(hint.source_class),
    )


def looks_like_phone(folder: Path) -> bool:
    """True when a folder is a phone's storage or its DCIM (cheap: a few folder listings)."""
    return detect_layout(Path(folder)) is not None


def phone_text(plan: PhoneImportPlan) -> str:
    """The phone the folders point to, in the user's words ("" when they do not say)."""
    layout = plan.scan.layout
    if layout.brand == "xiaomi":
        return tr("小米/红米手机", "a Xiaomi/Redmi phone")
    if layout.family == IPHONE:
        return tr("苹果 iPhone", "an iPhone")
    if layout.family == ANDROID:
        return tr("安卓手机", "an Android phone")
    return ""
