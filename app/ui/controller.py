"""Behaviour of the case window: opening, importing, editing; views only show what it emits."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.evidence.checks.case_checks import check_case_items
from app.evidence.errors import CaseInUse, EvidenceError
from app.evidence.i18n import tr
from app.evidence.ingest.analyse import analyse_case
from app.evidence.ingest.derived import build_thumbnails
from app.evidence.ingest.importer import FileResult, iter_import
from app.evidence.models import CaseInfo, Item, ItemKind
from app.evidence.privacy import Reason, Rect, Redaction
from app.evidence.progress import CancelToken, ProgressCallback
from app.evidence.store.case import Case
from app.evidence.store.findings import StoredFinding
from app.evidence.timeline import Timeline
from app.ui.worker import TaskRunner, Worker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseSnapshot:
    """Everything the window shows, read in one go on a pool thread."""

    info: CaseInfo
    items: dict[int, Item]
    timeline: Timeline
    overview: dict[str, Any]
    verdicts: dict[int, str]
    findings: dict[int, list[StoredFinding]]
    redactions: dict[int, list[Redaction]] = field(default_factory=dict)


def read_snapshot(root: Path) -> CaseSnapshot:
    """Read a case's timeline and overview through a connection of its own (any thread)."""
    with Case.open(root, writable=False) as case:
        # one read transaction: items, timeline and findings from the same moment, even while
        # an import commits item after item on the writer (WAL lets it go on meanwhile)
        case.connection.execute("BEGIN")
        try:
            return _read_snapshot(case)
        finally:
            case.connection.execute("ROLLBACK")


def _read_snapshot(case: Case) -> CaseSnapshot:
    from app.evidence.disputes.overview import case_overview, overview_json
    from app.evidence.privacy import list_redactions
    from app.evidence.store.findings import load_findings, verdicts

    by_item: dict[int, list[StoredFinding]] = {}
    for finding in load_findings(case):
        by_item.setdefault(finding.item_id or 0, []).append(finding)
    overview = case_overview(case)  # builds the timeline once for everything shown
    redactions: dict[int, list[Redaction]] = {}
    for redaction in list_redactions(case):
        redactions.setdefault(redaction.item_id, []).append(redaction)
    return CaseSnapshot(
        findings=by_item,
        info=case.info(),
        items={item.id: item for item in case.items()},
        timeline=overview.timeline,
        overview=overview_json(overview, entries=False),
        verdicts=verdicts(case),
        redactions=redactions,
    )


class CaseController(QObject):
    """Holds the open case: a read-only connection for the GUI thread, a writable one for writes."""

    opened = Signal(object)  # CaseInfo
    snapshot_ready = Signal(object)  # CaseSnapshot
    busy = Signal(str, object)  # label, Worker (to show progress and offer Cancel)
    idle = Signal()
    import_finished = Signal(list, bool)  # list[FileResult], cancelled
    message = Signal(str)
    failed = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.root: Path | None = None
        self.info: CaseInfo | None = None
        self._reader: Case | None = None
        self._writer: Case | None = None
        self._generation = 0
        self.me_on_right = True  # which side of a chat screenshot is the user (a setting)

    @property
    def read_only(self) -> bool:
        """True when another program holds the case for writing."""
        return self._writer is None

    def open(self, root: Path) -> bool:
        """Open a case folder; returns False (and emits failed) when it cannot be opened."""
        self.close()
        try:
            try:
                self._writer = Case.open(root)
                if self._writer.recovered:  # originals case.sqlite does not list: kept aside
                    self.message.emit(tr("有 {n} 个原件不在 case.sqlite 中，已移到 recovered/（未删除）；运行 evidence-desk recover 可重新导入", "{n} original(s) not in case.sqlite were moved to recovered/ (not deleted); evidence-desk recover imports them back", n=len(self._writer.recovered)))
            except CaseInUse as exc:
                self.message.emit(tr("案件正在别处打开，只读模式：{error}", "The case is open elsewhere; read-only: {error}", error=exc))
            self._reader = Case.open(root, writable=False)
            self.info = self._reader.info()
        except EvidenceError as exc:
            self.close()
            self.failed.emit(tr("无法打开案件：{error}", "Cannot open the case: {error}", error=exc))
            return False
        self.root = root
        self.opened.emit(self.info)
        self.refresh()
        return True

    def create(self, root: Path, title: str, **fields: Any) -> bool:
        """Create a case and open it."""
        try:
            Case.create(root, title, **fields).close()
        except EvidenceError as exc:
            self.failed.emit(tr("无法新建案件：{error}", "Cannot create the case: {error}", error=exc))
            return False
        return self.open(root)

    def close(self) -> None:
        """Finish pending writes and close the case."""
        self.runner.wait()
        for case in (self._writer, self._reader):
            if case is not None:
                case.close()
        self._writer = self._reader = None
        self.root = None

    def items(self) -> list[Item]:
        """The case's items (GUI thread, read-only connection)."""
        return self._reader.items() if self._reader else []

    def thumb_dir(self) -> Path | None:
        """Where thumbnails live."""
        return self.root / "derived" / "thumbs" if self.root else None

    def refresh(self) -> None:
        """Re-read the case on a pool thread; snapshot_ready follows."""
        root = self.root
        if root is None:
            return
        self._generation += 1
        generation = self._generation
        worker = Worker(lambda: read_snapshot(root), wants_progress=False)
        worker.signals.result.connect(lambda snap: self._deliver(generation, snap))
        worker.signals.error.connect(self.failed.emit)
        self.runner.read(worker)

    def _deliver(self, generation: int, snapshot: CaseSnapshot) -> None:
        if generation == self._generation:  # an older read finishing late is dropped
            self.snapshot_ready.emit(snapshot)

    # -- writes (always on the single writer thread) -----------------------------------------

    def _write(self, label: str, fn: Any, on_result: Any = None, progress: bool = True) -> Worker | None:
        if self._writer is None:
            self.failed.emit(tr("案件为只读，无法修改", "The case is read-only"))
            return None
        worker = Worker(fn, wants_progress=progress)
        worker.signals.error.connect(self.failed.emit)
        if on_result is not None:
            worker.signals.result.connect(on_result)
        worker.signals.finished.connect(self.idle.emit)
        if progress:
            self.busy.emit(label, worker)
        self.runner.write(worker)
        return worker

    def import_paths(self, paths: list[Path], kind: ItemKind | None = None) -> Worker | None:
        """Import files and folders in the background, then make their thumbnails."""
        writer = self._writer

        def work(progress: ProgressCallback, cancel: CancelToken) -> tuple[list[FileResult], bool]:
            assert writer is not None
            results = list(iter_import(writer, paths, kind=kind, progress=progress, cancel=cancel))
            new_ids = [r.item_id for r in results if r.status == "imported" and r.item_id]
            if not cancel.cancelled:
                build_thumbnails(writer, new_ids, progress=progress)
                check_case_items(writer, new_ids, progress=progress, cancel=cancel)
                analyse_case(writer, me_on_right=self.me_on_right, progress=progress, cancel=cancel)
            return results, cancel.cancelled

        def done(value: tuple[list[FileResult], bool]) -> None:
            import gc

            gc.freeze()  # modules the import loaded (OCR, codecs) are long-lived: see main.py
            self.refresh()
            self.import_finished.emit(*value)

        return self._write(tr("导入", "Importing"), work, done)

    export_finished = Signal(object)  # ExportResult

    def export(self, targets: dict[str, Any]) -> Worker | None:
        """Export in the background (reads only: runs beside other reads)."""
        root = self.root
        if root is None:
            return None

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            from app.evidence.export import export_case
            from app.evidence.export.case_feeds import case_feeds

            with Case.open(root, writable=False) as case:
                return export_case(case, feeds=case_feeds(case), progress=progress, cancel=cancel, **targets)

        worker = Worker(work)
        worker.signals.error.connect(self.failed.emit)
        worker.signals.result.connect(self.export_finished.emit)
        worker.signals.finished.connect(self.idle.emit)
        self.busy.emit(tr("导出", "Exporting"), worker)
        self.runner.read(worker)
        return worker

    def set_entry_note(self, key: str, text: str) -> None:
        """Save a note (autosave: called as the user pauses typing, debounced by the view)."""
        from app.evidence.timeline import set_entry_note

        writer = self._writer
        self._write("", lambda: set_entry_note(writer, key, text) if writer else None, lambda _: self.refresh(), progress=False)

    def undo(self) -> None:
        """Undo the last edit (persisted in the case: works across sessions)."""
        from app.evidence.timeline import undo

        writer = self._writer
        self._write("", lambda: undo(writer) if writer else None, self._after_undo, progress=False)

    def redo(self) -> None:
        """Redo the last undone edit."""
        from app.evidence.timeline import redo

        writer = self._writer
        self._write("", lambda: redo(writer) if writer else None, self._after_undo, progress=False)

    def _after_undo(self, step: Any) -> None:
        self.message.emit(tr("已撤销/重做：{label}", "Undone/redone: {label}", label=step.label) if step else tr("没有可撤销的操作", "Nothing to undo"))
        self.refresh()

    def set_entry_time(self, key: str, when: Any, reason: str) -> None:
        """Set an entry's time by hand, with the reason (the original time stays visible)."""
        from app.evidence.timeline import set_entry_time

        writer = self._writer
        self._write("", lambda: set_entry_time(writer, key, when, reason) if writer else None, lambda _: self.refresh(), progress=False)

    def save_details(self, summary: dict[str, Any], dispute: str | None, dates: dict[str, Any]) -> None:
        """Save the case details: summary fields, dispute type and changed key dates."""
        from app.evidence.disputes import set_dispute, set_summary
        from app.evidence.timeline import clear_case_date, set_case_date

        writer = self._writer

        def work() -> None:
            assert writer is not None
            set_summary(writer, **summary)
            if dispute != (writer.info().dispute or None):  # "not_as_described:color": the variant counts
                set_dispute(writer, dispute)
            for name, value in dates.items():
                if value is None:
                    clear_case_date(writer, name)
                else:
                    set_case_date(writer, name, value)

        self._write("", work, lambda _: self.refresh(), progress=False)

    def tick_check(self, check_id: str, state: str | None) -> None:
        """Tick a checklist item of the case's dispute by hand ("done", "not_applicable") or take
        the tick back (None); one undoable edit (Ctrl+Z)."""
        from app.evidence.disputes import case_dispute, tick
        from app.evidence.timeline.errors import DisputeError

        writer = self._writer

        def work() -> str | None:
            assert writer is not None
            ref = case_dispute(writer)
            if ref is None:
                raise DisputeError(tr("请先选择纠纷类型", "Choose the dispute type first"))
            tick(writer, ref, check_id, state)
            return state

        def done(value: str | None) -> None:
            self.message.emit({"done": tr("已勾选（可撤销，Ctrl+Z）", "Ticked (Ctrl+Z undoes it)"),
                               "not_applicable": tr("已标为不适用（可撤销，Ctrl+Z）", "Marked not applicable (Ctrl+Z undoes it)")}
                              .get(value or "", tr("已取消勾选（可撤销，Ctrl+Z）", "Tick taken back (Ctrl+Z undoes it)")))
            self.refresh()

        self._write("", work, done, progress=False)

    def add_manual_event(self, text: str, when: Any) -> None:
        """Add an event such as "called the courier"."""
        from app.evidence.timeline import add_manual_event

        writer = self._writer
        self._write("", lambda: add_manual_event(writer, text, when) if writer else None, lambda _: self.refresh(), progress=False)

    def set_kind(self, item_id: int, kind: ItemKind) -> None:
        """Correct an item's kind."""
        writer = self._writer
        self._write("", lambda: writer.set_kind(item_id, kind) if writer else None, lambda _: self.refresh(), progress=False)

    # -- redactions (app.evidence.privacy: each call one undoable edit) ----------------------

    def _edit(self, fn: Any) -> None:
        """Run a small edit on the writer thread, then re-read the case."""
        writer = self._writer
        self._write("", lambda: fn(writer) if writer else None, lambda _: self.refresh(), progress=False)

    def add_redaction(
        self, item_id: int, rect: Rect, frame_ms: int | None = None, page: int | None = None
    ) -> None:
        """Cover a region drawn by hand (in the upright original's pixels; a video: the decoded
        frame's, on the keyframe at frame_ms, or on every keyframe when None; a PDF: in the
        page's points, on the 1-based page)."""
        from app.evidence.privacy import add_redaction

        self._edit(lambda case: add_redaction(case, item_id, rect, frame_ms=frame_ms, page=page))

    def set_redaction_rect(self, redaction_id: int, rect: Rect) -> None:
        """The end of a move or resize."""
        from app.evidence.privacy import set_rect

        self._edit(lambda case: set_rect(case, redaction_id, rect))

    def remove_redaction(self, redaction_id: int) -> None:
        """Delete a region (undo brings it back)."""
        from app.evidence.privacy import remove_redaction

        self._edit(lambda case: remove_redaction(case, redaction_id))

    def accept_redactions(self, ids: list[int]) -> None:
        """Accept suggestions: exports fill them."""
        from app.evidence.privacy import accept

        self._edit(lambda case: accept(case, ids))

    def reject_redactions(self, ids: list[int]) -> None:
        """Reject suggestions: kept, so the next run does not propose them again."""
        from app.evidence.privacy import reject

        self._edit(lambda case: reject(case, ids))

    def set_redaction_reason(self, redaction_id: int, reason: str) -> None:
        """Say what a region hides."""
        from app.evidence.privacy import set_reason

        self._edit(lambda case: set_reason(case, redaction_id, Reason(reason)))

    def suggest_redactions(self, item_ids: list[int] | None = None) -> Worker | None:
        """Find personal data in the items' text (OCR when not cached) and store suggestions."""
        from app.evidence.privacy import suggest_redactions

        writer = self._writer

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            assert writer is not None
            return suggest_redactions(writer, item_ids, progress=progress, cancel=cancel)

        def done(report: Any) -> None:
            self.refresh()
            if report is None:
                return
            text = tr("找到 {added} 处建议遮盖（已有 {known} 处）", "{added} suggested region(s) found ({known} already known)",
                      added=len(report.added), known=report.known)
            if report.problems:
                text += " · " + "; ".join(report.problems[:3])
            self.message.emit(text)

        return self._write(tr("查找个人信息", "Finding personal data"), work, done)

    # -- OCR text (the user's corrections in the case, apart from what the engine read) ------

    def read_ocr(self, sha256: str) -> Any:
        """The OCR lines of an original with the user's corrections, or None (any thread:
        through a read-only connection of its own)."""
        from app.evidence.ocr import OcrCache

        root = self.root
        if root is None:
            return None
        with Case.open(root, writable=False) as case:
            return OcrCache.for_case(case).effective(sha256)

    def correct_ocr_line(self, item_id: int, line: int, text: str) -> None:
        """Store the user's text for one OCR line; the chats read from it follow."""
        from app.evidence.ocr import correct_line

        me_on_right = self.me_on_right
        self._edit(lambda case: correct_line(case, item_id, line, text, me_on_right=me_on_right))

    def move_entry(self, key: str, steps: int) -> None:
        """Move an entry up (negative steps) or down within its minute (Alt+Up/Down); undoable."""
        from app.evidence.timeline import move_entry

        self._edit(lambda case: move_entry(case, key, steps))

    def reorder_entries(self, keys: list[str]) -> None:
        """Set the order of one minute's entries (a drag on the timeline); undoable."""
        from app.evidence.timeline import reorder

        self._edit(lambda case: reorder(case, keys))
