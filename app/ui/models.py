"""Shared UI pieces: the thumbnail cache and how kinds, sources and times read."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage, QPixmap

from app.evidence.i18n import tr
from app.evidence.models import Item
from app.evidence.service.labels import clock_text, kind_text, time_source_text
from app.ui.worker import TaskRunner, Worker


def kind_label(kind: str) -> str:
    """What an item kind is called (the one table: app/evidence/labels.py)."""
    return kind_text(kind)


def source_label(source: str) -> str:
    """Where a time came from, as a user reads it."""
    return time_source_text(source)


class ThumbnailCache(QObject):
    """Loads thumbnails from derived/ on a pool thread; keeps the most recent few thousand."""

    loaded = Signal(str)  # sha256

    def __init__(self, runner: TaskRunner, limit: int = 3000) -> None:
        super().__init__()
        self._runner = runner
        self._limit = limit
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._pending: set[str] = set()

    def get(self, sha256: str, path: Path) -> QPixmap | None:
        """The thumbnail when loaded; otherwise start loading it and return None."""
        pixmap = self._pixmaps.get(sha256)
        if pixmap is not None:
            self._pixmaps.move_to_end(sha256)
            return pixmap
        if sha256 not in self._pending and path.is_file():
            self._pending.add(sha256)
            worker = Worker(
                lambda: QImage(str(path)), wants_progress=False
            )  # QImage is thread-safe
            worker.signals.result.connect(lambda image, key=sha256: self._store(key, image))
            self._runner.read(worker)
        return None

    def _store(self, sha256: str, image: QImage) -> None:
        self._pending.discard(sha256)
        if image.isNull():
            return
        self._pixmaps[sha256] = QPixmap.fromImage(image)
        while len(self._pixmaps) > self._limit:
            self._pixmaps.popitem(last=False)
        self.loaded.emit(sha256)


def time_text(item: Item, zone_name: str | None = None) -> str:
    """The capture time in the case's zone (named), the file's own value as a detail, and its
    source (app.evidence.timeline.clock: one clock for every output)."""
    ct = item.capture_time
    if ct is None:
        return tr("无可信时间", "Undated")
    when = clock_text(ct, zone_name, seconds=True)
    return f"{when} · {source_label(ct.source.value)}"
