"""Behaviour of the case window: opening, importing, editing; views only show what it emits."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.evidence.errors import CaseInUse, EvidenceError
from app.evidence.ingest.derived import build_thumbnails
from app.evidence.ingest.importer import FileResult, iter_import
from app.evidence.models import CaseInfo, Item, ItemKind
from app.evidence.progress import CancelToken, ProgressCallback
from app.evidence.store.case import Case
from app.ui.worker import TaskRunner, Worker

log = logging.getLogger(__name__)


class CaseController(QObject):
    """Holds the open case: a read-only connection for the GUI thread, a writable one for writes."""

    opened = Signal(object, list)  # CaseInfo, list[Item]
    items_changed = Signal(list)  # list[Item]
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
            except CaseInUse as exc:
                self.message.emit(f"案件正在别处打开，只读模式 (read-only): {exc}")
            self._reader = Case.open(root, writable=False)
            self.info = self._reader.info()
            items = self._reader.items()
        except EvidenceError as exc:
            self.close()
            self.failed.emit(f"无法打开案件 cannot open the case: {exc}")
            return False
        self.root = root
        self.opened.emit(self.info, items)
        return True

    def create(self, root: Path, title: str, **fields: Any) -> bool:
        """Create a case and open it."""
        try:
            Case.create(root, title, **fields).close()
        except EvidenceError as exc:
            self.failed.emit(f"无法新建案件 cannot create the case: {exc}")
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
        """Re-read the items and tell the views."""
        self.items_changed.emit(self.items())

    # -- writes (always on the single writer thread) -----------------------------------------

    def _write(self, label: str, fn: Any, on_result: Any = None, progress: bool = True) -> Worker | None:
        if self._writer is None:
            self.failed.emit("案件为只读，无法修改 (the case is read-only)")
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
            return results, cancel.cancelled

        def done(value: tuple[list[FileResult], bool]) -> None:
            self.refresh()
            self.import_finished.emit(*value)

        return self._write("导入 importing", work, done)

    def set_note(self, item_id: int, text: str) -> None:
        """Save a note (autosave: called as the user types, debounced by the view)."""
        writer = self._writer
        self._write("", lambda: writer.set_note(item_id, text) if writer else None, lambda _: self.refresh(), progress=False)

    def set_kind(self, item_id: int, kind: ItemKind) -> None:
        """Correct an item's kind."""
        writer = self._writer
        self._write("", lambda: writer.set_kind(item_id, kind) if writer else None, lambda _: self.refresh(), progress=False)
