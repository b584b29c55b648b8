"""The timeline as a Qt list: phase headers, entries (items and events), the undated lane."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.evidence.i18n import pick, tr
from app.evidence.timeline import Timeline, TimelineEntry
from app.ui.models import ThumbnailCache, kind_label, source_label

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Row:
    """A header (phase or lane) or an entry."""

    header: str = ""
    entry: TimelineEntry | None = None
    sha256: str | None = None


def exhibit_text(entry: TimelineEntry) -> str:
    """ "证据3" / "Exhibit 3", or "" when the entry is not an exhibit."""
    if entry.exhibit_no is None:
        return ""
    return tr("证据{n}", "Exhibit {n}", n=entry.exhibit_no)


def entry_time_text(entry: TimelineEntry) -> str:
    """When, in the case's zone, with its source; or why it is undated."""
    if entry.time is None:
        return tr("未定时间", "Undated")
    when = entry.time.local.strftime("%Y-%m-%d" if entry.time.date_only else "%Y-%m-%d %H:%M")
    source = source_label(entry.source)
    extra = tr("，时区按案件推定", ", time zone assumed") if entry.time.offset_assumed else ""
    manual = tr("，手动设置", ", set by hand") if "manual_time" in entry.flags else ""
    return f"{when} · {source}{extra}{manual}"


class TimelineModel(QAbstractListModel):
    """Rows of the built timeline; headers are not selectable."""

    EntryRole = Qt.ItemDataRole.UserRole + 1
    ThumbnailRole = Qt.ItemDataRole.UserRole + 2
    TimeTextRole = Qt.ItemDataRole.UserRole + 3
    KindRole = Qt.ItemDataRole.UserRole + 4
    HeaderRole = Qt.ItemDataRole.UserRole + 5
    ExhibitRole = Qt.ItemDataRole.UserRole + 6
    VerdictRole = Qt.ItemDataRole.UserRole + 7

    def __init__(self, thumbnails: ThumbnailCache | None = None) -> None:
        super().__init__()
        self._rows: list[Row] = []
        self._thumbs = thumbnails
        self._thumb_dir: Path | None = None
        self._verdicts: dict[int, str] = {}
        if thumbnails is not None:
            thumbnails.loaded.connect(self._thumbnail_loaded)

    def set_timeline(self, timeline: Timeline | None, shas: dict[int, str], thumb_dir: Path | None,
                     verdicts: dict[int, str] | None = None) -> None:
        """Replace every row from a freshly built timeline."""
        self.beginResetModel()
        self._thumb_dir = thumb_dir
        self._verdicts = verdicts or {}
        self._rows = []
        if timeline is not None:
            current = None
            for entry in timeline.entries:
                if entry.phase is not current:
                    current = entry.phase
                    zh, en = timeline.labels[entry.phase]
                    self._rows.append(Row(header=pick(zh, en)))
                self._rows.append(Row(entry=entry, sha256=shas.get(entry.item_id or -1) if entry.is_item else None))
            if timeline.undated:
                self._rows.append(Row(header=tr("未定时间（没有可信时间，不会编造日期）", "Undated (no trustworthy time; no date is made up)")))
                for entry in timeline.undated:
                    self._rows.append(Row(entry=entry, sha256=shas.get(entry.item_id or -1) if entry.is_item else None))
        self.endResetModel()

    def row_of_key(self, key: str) -> int:
        """The row of an entry key, or -1."""
        return next((n for n, row in enumerate(self._rows) if row.entry and row.entry.key == key), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].entry is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        entry = row.entry
        if role == self.HeaderRole:
            return row.header or None
        if entry is None:
            return row.header if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            exhibit = f"{exhibit_text(entry)}{'*' if entry.exhibit_provisional else ''}  " if entry.exhibit_label else ""
            return f"{exhibit}{entry.title}"
        if role == self.TimeTextRole:
            return entry_time_text(entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{entry.title}\n{entry_time_text(entry)}" + (tr("\n说明：{note}", "\nNote: {note}", note=entry.note) if entry.note else "")
        if role == self.KindRole:
            return entry.item_kind.value if entry.item_kind else (entry.event_kind or "event")
        if role == self.EntryRole:
            return entry
        if role == self.ExhibitRole:
            return exhibit_text(entry)
        if role == self.VerdictRole:
            return self._verdicts.get(entry.item_id or -1) if entry.is_item else None
        if role in (self.ThumbnailRole, Qt.ItemDataRole.DecorationRole):
            if self._thumbs is None or self._thumb_dir is None or row.sha256 is None:
                return None
            return self._thumbs.get(row.sha256, self._thumb_dir / row.sha256[:2] / f"{row.sha256}.jpg")
        return None

    def _thumbnail_loaded(self, sha256: str) -> None:
        for n, row in enumerate(self._rows):
            if row.sha256 == sha256:
                index = self.index(n)
                self.dataChanged.emit(index, index, [self.ThumbnailRole, Qt.ItemDataRole.DecorationRole])


def entry_kind_label(entry: TimelineEntry) -> str:
    """A short Chinese label of what the entry is."""
    if entry.item_kind is not None:
        return kind_label(entry.item_kind.value)
    if entry.event_kind == "chat_message":
        return tr("聊天", "Chat")
    if entry.event_kind == "manual":
        return tr("手动事件", "Manual event")
    return tr("物流", "Tracking") if entry.source == "tracking" else tr("事件", "Event")
