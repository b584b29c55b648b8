"""Qt models over core data: the case's items with lazily loaded thumbnails."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QImage, QPixmap

from app.evidence.models import Item
from app.ui.worker import TaskRunner, Worker

Index = QModelIndex | QPersistentModelIndex

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


class ItemListModel(QAbstractListModel):
    """The items of a case in time order (undated last)."""

    ItemRole = Qt.ItemDataRole.UserRole + 1
    ThumbnailRole = Qt.ItemDataRole.UserRole + 2
    TimeTextRole = Qt.ItemDataRole.UserRole + 3
    KindRole = Qt.ItemDataRole.UserRole + 4

    def __init__(self, thumbnails: ThumbnailCache | None = None, thumb_dir: Path | None = None) -> None:
        super().__init__()
        self._items: list[Item] = []
        self._row_of: dict[str, int] = {}
        self._thumbs = thumbnails
        self._thumb_dir = thumb_dir
        if thumbnails is not None:
            thumbnails.loaded.connect(self._thumbnail_loaded)

    def set_items(self, items: list[Item], thumb_dir: Path | None = None) -> None:
        """Replace all rows."""
        self.beginResetModel()
        self._items = sorted(items, key=_order_key)
        self._row_of = {item.sha256: row for row, item in enumerate(self._items)}
        if thumb_dir is not None:
            self._thumb_dir = thumb_dir
        self.endResetModel()

    def item_at(self, row: int) -> Item | None:
        """The item in a row, if any."""
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, item_id: int) -> int:
        """The row of an item id, or -1."""
        return next((row for row, item in enumerate(self._items) if item.id == item_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{KIND_LABELS.get(item.kind.value, item.kind.value)}  {item.original_name}"
        if role == self.TimeTextRole:
            return time_text(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.original_name}\nSHA-256 {item.sha256}\n{time_text(item)}"
        if role == self.KindRole:
            return item.kind.value
        if role == self.ItemRole:
            return item
        if role in (self.ThumbnailRole, Qt.ItemDataRole.DecorationRole):
            if self._thumbs is None or self._thumb_dir is None:
                return None
            return self._thumbs.get(item.sha256, self._thumb_dir / item.sha256[:2] / f"{item.sha256}.jpg")
        return None

    def _thumbnail_loaded(self, sha256: str) -> None:
        row = self._row_of.get(sha256)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [self.ThumbnailRole, Qt.ItemDataRole.DecorationRole])


def _order_key(item: Item) -> tuple[int, str, int]:
    ct = item.capture_time
    if ct is None:
        return (1, "", item.id)
    moment = ct.utc()
    return (0, moment.isoformat() if moment else ct.local.isoformat(), item.id)


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
