"""Behaviour of the case window: opening, importing, editing; views only show what it emits."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.evidence.errors import CaseInUse, EvidenceError
from app.evidence.i18n import tr
from app.evidence.models import CaseInfo, Item, ItemKind
from app.evidence.service import (
    CancelToken,
    CaseView,
    ImportOutcome,
    ProgressCallback,
    create_case,
    import_paths,
    open_case,
    read_case_view,
    thumbnail_path,
)
from app.evidence.service import edits as core_edits
from app.evidence.service.cases import Case
from app.evidence.service.edits import Reason, Rect
from app.evidence.service.importing import PhoneImportPlan, folder_hint_text, plan_phone_import
from app.ui.worker import TaskRunner, Worker

log = logging.getLogger(__name__)


CaseSnapshot = CaseView  # everything the window shows, read in one go on a pool thread


def read_snapshot(root: Path) -> CaseView:
    """Read a case's timeline and overview through a connection of its own (any thread)."""
    return read_case_view(root)


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
                self._writer = open_case(root)
                if self._writer.recovered:  # originals case.sqlite does not list: kept aside
                    self.message.emit(
                        tr(
                            "有 {n} 个原件不在 case.sqlite 中，已移到 recovered/（未删除）；运行 "
                            "evidence-desk recover 可重新导入",
                            "{n} original(s) not in case.sqlite were moved to recovered/ (not "
                            "deleted); evidence-desk recover imports them back",
                            n=len(self._writer.recovered),
                        )
                    )
            except CaseInUse as exc:
                self.message.emit(
                    tr(
                        "案件正在别处打开，只读模式：{error}",
                        "The case is open elsewhere; read-only: {error}",
                        error=exc,
                    )
                )
            self._reader = open_case(root, writable=False)
            self.info = self._reader.info()
        except EvidenceError as exc:
            self.close()
            self.failed.emit(
                tr("无法打开案件：{error}", "Cannot open the case: {error}", error=exc)
            )
            return False
        self.root = root
        self.opened.emit(self.info)
        self.refresh()
        return True

    def create(self, root: Path, title: str, **fields: Any) -> bool:
        """Create a case and open it."""
        try:
            create_case(root, title, **fields).close()
        except EvidenceError as exc:
            self.failed.emit(
                tr("无法新建案件：{error}", "Cannot create the case: {error}", error=exc)
            )
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

    def thumbnail_of(self, item: Item) -> Path | None:
        """Where an item's thumbnail lives (it may not exist yet); None without a case."""
        return thumbnail_path(self._reader, item) if self._reader is not None else None

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

    def _write(
        self, label: str, fn: Any, on_result: Any = None, progress: bool = True
    ) -> Worker | None:
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

    def import_paths(
        self,
        paths: list[Path],
        kind: ItemKind | None = None,
        folder_hints: dict[str, tuple[str, str]] | None = None,
    ) -> Worker | None:
        """Import files and folders in the background, then make their thumbnails.

        `folder_hints` (from a phone folder's plan) keeps each file's phone folder as a hint.
        """
        writer = self._writer

        def work(progress: ProgressCallback, cancel: CancelToken) -> ImportOutcome:
            assert writer is not None
            return import_paths(
                writer,
                paths,
                kind=kind,
                me_on_right=self.me_on_right,
                progress=progress,
                cancel=cancel,
                folder_hints=folder_hints,
            )

        def done(outcome: ImportOutcome) -> None:
            import gc

            gc.freeze()  # modules the import loaded (OCR, codecs) are long-lived: see main.py
            self.refresh()
            self._report_import(outcome)
            self.import_finished.emit(outcome.results, outcome.cancelled)

        return self._write(tr("导入", "Importing"), work, done)

    def plan_phone_import(
        self, folder: Path, on_plan: Callable[[PhoneImportPlan | None], None]
    ) -> Worker | None:
        """Look at a phone's folder on a pool thread (its own read-only connection): each
        file's class and day; `on_plan` gets the plan (None: not a phone folder after all)."""
        root = self.root
        if root is None:
            return None

        def work(progress: ProgressCallback, cancel: CancelToken) -> PhoneImportPlan | None:
            with open_case(root, writable=False) as case:
                return plan_phone_import(case, folder, progress=progress, cancel=cancel)

        worker = Worker(work)
        worker.signals.error.connect(self.failed.emit)
        worker.signals.result.connect(on_plan)
        worker.signals.finished.connect(self.idle.emit)
        self.busy.emit(tr("查看手机文件夹", "Looking at the phone's folder"), worker)
        self.runner.read(worker)
        return worker

    def folder_hint(self, item_id: int) -> str | None:
        """The phone folder an item came from, as a hint in the case's words (None: unknown)."""
        if self._reader is None:
            return None
        try:
            return folder_hint_text(self._reader, item_id)
        except EvidenceError:
            return None

    def _report_import(self, outcome: ImportOutcome) -> None:
        """Say in the status bar what the import could not finish (the originals are all kept)."""
        lines = [
            tr(
                "{name}：已导入，但无法生成缩略图（{error}）",
                "{name}: imported, but no thumbnail could be made ({error})",
                name=t.name,
                error=t.error,
            )
            for t in outcome.thumbnails
        ]
        lines += outcome.problems
        if outcome.unfinished:
            lines.append(
                tr(
                    "磁盘已满，缩略图和检查未完成；原件均已保存",
                    "The disk is full: thumbnails and checks are not finished; the originals are "
                    "all kept",
                )
            )
        if lines:
            self.message.emit(
                " · ".join(lines[:3]) + (f" (+{len(lines) - 3})" if len(lines) > 3 else "")
            )

    export_finished = Signal(object)  # ExportResult

    def export(self, targets: dict[str, Any]) -> Worker | None:
        """Export in the background (reads only: runs beside other reads)."""
        root = self.root
        if root is None:
            return None

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            from app.evidence.service import export_case

            with open_case(root, writable=False) as case:
                return export_case(case, progress=progress, cancel=cancel, **targets)

        worker = Worker(work)
        worker.signals.error.connect(self.failed.emit)
        worker.signals.result.connect(self.export_finished.emit)
        worker.signals.result.connect(self.record_submission)
        worker.signals.finished.connect(self.idle.emit)
        self.busy.emit(tr("导出", "Exporting"), worker)
        self.runner.read(worker)
        return worker

    submission_recorded = Signal(int)  # the round's id

    def record_submission(self, result: Any) -> Worker | None:
        """An export for the reviewer is a submission round: its exhibit numbers are fixed (as
        the CLI's export does); a read-only window exports without recording."""
        writer = self._writer
        if writer is None:
            return None
        from app.evidence.service.exporting import record_export

        def done(round_id: int | None) -> None:
            if round_id is not None:
                self.submission_recorded.emit(round_id)
                self.message.emit(
                    tr(
                        "已记录为一次提交，导出的证据编号已固定",
                        "Recorded as a submission: the exported exhibit numbers are fixed",
                    )
                )
            self.refresh()

        return self._write("", lambda: record_export(writer, result), done, progress=False)

    def set_entry_note(self, key: str, text: str) -> None:
        """Save a note (autosave: called as the user pauses typing, debounced by the view)."""
        writer = self._writer
        self._write(
            "",
            lambda: core_edits.set_entry_note(writer, key, text) if writer else None,
            lambda _: self.refresh(),
            progress=False,
        )

    def undo(self) -> None:
        """Undo the last edit (persisted in the case: works across sessions)."""
        writer = self._writer
        self._write(
            "",
            lambda: core_edits.undo(writer) if writer else None,
            self._after_undo,
            progress=False,
        )

    def redo(self) -> None:
        """Redo the last undone edit."""
        writer = self._writer
        self._write(
            "",
            lambda: core_edits.redo(writer) if writer else None,
            self._after_undo,
            progress=False,
        )

    def _after_undo(self, step: Any) -> None:
        self.message.emit(
            tr("已撤销/重做：{label}", "Undone/redone: {label}", label=step.label)
            if step
            else tr("没有可撤销的操作", "Nothing to undo")
        )
        self.refresh()

    def set_entry_time(self, key: str, when: Any, reason: str) -> None:
        """Set an entry's time by hand, with the reason (the original time stays visible)."""
        writer = self._writer
        self._write(
            "",
            lambda: core_edits.set_entry_time(writer, key, when, reason) if writer else None,
            lambda _: self.refresh(),
            progress=False,
        )

    def save_details(
        self, summary: dict[str, Any], dispute: str | None, dates: dict[str, Any]
    ) -> None:
        """Save the case details: summary fields, dispute type and changed key dates."""
        writer = self._writer
        self._write(
            "",
            lambda: core_edits.save_details(writer, summary, dispute, dates) if writer else None,
            lambda _: self.refresh(),
            progress=False,
        )

    def tick_check(self, check_id: str, state: str | None) -> None:
        """Tick a checklist item of the case's dispute by hand ("done", "not_applicable") or take
        the tick back (None); one undoable edit (Ctrl+Z)."""
        writer = self._writer

        def work() -> str | None:
            assert writer is not None
            return core_edits.tick_check(writer, check_id, state)

        def done(value: str | None) -> None:
            self.message.emit(
                {
                    "done": tr("已勾选（可撤销，Ctrl+Z）", "Ticked (Ctrl+Z undoes it)"),
                    "not_applicable": tr(
                        "已标为不适用（可撤销，Ctrl+Z）", "Marked not applicable (Ctrl+Z undoes it)"
                    ),
                }.get(
                    value or "",
                    tr("已取消勾选（可撤销，Ctrl+Z）", "Tick taken back (Ctrl+Z undoes it)"),
                )
            )
            self.refresh()

        self._write("", work, done, progress=False)

    def add_manual_event(self, text: str, when: Any) -> None:
        """Add an event such as "called the courier"."""
        writer = self._writer
        self._write(
            "",
            lambda: core_edits.add_manual_event(writer, text, when) if writer else None,
            lambda _: self.refresh(),
            progress=False,
        )

    def set_kind(self, item_id: int, kind: ItemKind) -> None:
        """Correct an item's kind."""
        writer = self._writer
        self._write(
            "",
            lambda: core_edits.set_kind(writer, item_id, kind) if writer else None,
            lambda _: self.refresh(),
            progress=False,
        )

    # -- redactions (app.evidence.privacy: each call one undoable edit) ----------------------

    def _edit(self, fn: Any) -> None:
        """Run a small edit on the writer thread, then re-read the case."""
        writer = self._writer
        self._write(
            "", lambda: fn(writer) if writer else None, lambda _: self.refresh(), progress=False
        )

    def add_redaction(
        self, item_id: int, rect: Rect, frame_ms: int | None = None, page: int | None = None
    ) -> None:
        """Cover a region drawn by hand (in the upright original's pixels; a video: the decoded
        frame's, on the keyframe at frame_ms, or on every keyframe when None; a PDF: in the
        page's points, on the 1-based page)."""
        self._edit(
            lambda case: core_edits.add_redaction(case, item_id, rect, frame_ms=frame_ms, page=page)
        )

    def set_redaction_rect(self, redaction_id: int, rect: Rect) -> None:
        """The end of a move or resize."""
        self._edit(lambda case: core_edits.set_rect(case, redaction_id, rect))

    def remove_redaction(self, redaction_id: int) -> None:
        """Delete a region (undo brings it back)."""
        self._edit(lambda case: core_edits.remove_redaction(case, redaction_id))

    def accept_redactions(self, ids: list[int]) -> None:
        """Accept suggestions: exports fill them."""
        self._edit(lambda case: core_edits.accept(case, ids))

    def reject_redactions(self, ids: list[int]) -> None:
        """Reject suggestions: kept, so the next run does not propose them again."""
        self._edit(lambda case: core_edits.reject(case, ids))

    def set_redaction_reason(self, redaction_id: int, reason: str) -> None:
        """Say what a region hides."""
        self._edit(lambda case: core_edits.set_reason(case, redaction_id, Reason(reason)))

    def suggest_redactions(self, item_ids: list[int] | None = None) -> Worker | None:
        """Find personal data in the items' text (OCR when not cached) and store suggestions."""
        writer = self._writer

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            assert writer is not None
            return core_edits.suggest_redactions(writer, item_ids, progress=progress, cancel=cancel)

        def done(report: Any) -> None:
            self.refresh()
            if report is None:
                return
            text = tr(
                "找到 {added} 处建议遮盖（已有 {known} 处）",
                "{added} suggested region(s) found ({known} already known)",
                added=len(report.added),
                known=report.known,
            )
            if report.problems:
                text += " · " + "; ".join(report.problems[:3])
            self.message.emit(text)

        return self._write(tr("查找个人信息", "Finding personal data"), work, done)

    # -- OCR text (the user's corrections in the case, apart from what the engine read) ------

    def read_ocr(self, sha256: str) -> Any:
        """The OCR lines of an original with the user's corrections, or None (any thread:
        through a read-only connection of its own)."""
        from app.evidence.service import read_ocr

        root = self.root
        return read_ocr(root, sha256) if root is not None else None

    def correct_ocr_line(self, item_id: int, line: int, text: str) -> None:
        """Store the user's text for one OCR line; the chats read from it follow."""
        me_on_right = self.me_on_right
        self._edit(
            lambda case: core_edits.correct_line(case, item_id, line, text, me_on_right=me_on_right)
        )

    def move_entry(self, key: str, steps: int) -> None:
        """Move an entry up (negative steps) or down within its minute (Alt+Up/Down); undoable."""
        self._edit(lambda case: core_edits.move_entry(case, key, steps))

    def reorder_entries(self, keys: list[str]) -> None:
        """Set the order of one minute's entries (a drag on the timeline); undoable."""
        self._edit(lambda case: core_edits.reorder(case, keys))
