"""Shared UI pieces: the thumbnail cache and how kinds, sources and times read."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage, QPixmap

from app.evidence.models import Item
from app.ui.worker import TaskRunner, Worker

KIND_LABELS = {"photo": "照片", "video": "视频", "screenshot": "截图", "tracking": "物流记录", "document": "文件"}
SOURCE_LABELS = {
    "exif": "EXIF", "quicktime": "视频元数据", "container": "视频容器", "xmp": "XMP", "png_text": "PNG",
    "ocr": "文字识别", "tracking": "物流", "manual": "手动", "file_time": "文件时间",
}


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
            worker = Worker(lambda: QImage(str(path)), wants_progress=False)  # QImage is thread-safe
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


def time_text(item: Item) -> str:
    """The capture time as a user reads it, with its source."""
    ct = item.capture_time
    if ct is None:
        return "无可信时间 (undated)"
    when = ct.local.strftime("%Y-%m-%d %H:%M:%S")
    if ct.offset_minutes is not None:
        sign = "+" if ct.offset_minutes >= 0 else "-"
        hours, minutes = divmod(abs(ct.offset_minutes), 60)
        when += f" UTC{sign}{hours:02}:{minutes:02}"
    else:
        when += " (时区未知)"
    return f"{when} · {SOURCE_LABELS.get(ct.source.value, ct.source.value)}"
