"""The timeline as a Qt list: phase headers, entries (items and events), the undated lane."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.evidence.i18n import pick, tr
from app.evidence.service.labels import clock_text, format_date, zone_name_of
from app.evidence.service.view import Timeline, TimelineEntry
from app.ui.models import ThumbnailCache, kind_label, source_label

Index = QModelIndex | QPersistentModelIndex
ENTRY_MIME = "application/x-evidencedesk-entry"


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
    if entry.time.date_only:
        when = format_date(entry.time.local)
    else:  # the case's zone, named; the file's other zone or "时区按案件推定" as a detail
        when = clock_text(entry.time.recorded, zone_name_of(entry.time.local))
    source = source_label(entry.source)
    manual = tr("，手动设置", ", set by hand") if "manual_time" in entry.flags else ""
    return f"{when} · {source}{manual}"


class TimelineModel(QAbstractListModel):
    """Rows of the built timeline; headers are not selectable."""

    EntryRole = Qt.ItemDataRole.UserRole + 1
    ThumbnailRole = Qt.ItemDataRole.UserRole + 2
    TimeTextRole = Qt.ItemDataRole.UserRole + 3
    KindRole = Qt.ItemDataRole.UserRole + 4
    HeaderRole = Qt.ItemDataRole.UserRole + 5
    ExhibitRole = Qt.ItemDataRole.UserRole + 6
    VerdictRole = Qt.ItemDataRole.UserRole + 7
    HEADER, ITEM, EVENT = 0, 1, 2  # row shapes

    reorder_requested = Signal(list)  # entry keys of one minute (or the undated lane), new order
    move_requested = Signal(str, int)  # entry key, steps (Alt+Up -1, Alt+Down +1)
    drop_refused = Signal(str)  # why a drop (or a move) cannot be done, for the status bar

    def __init__(self, thumbnails: ThumbnailCache | None = None) -> None:
        super().__init__()
        self._rows: list[Row] = []
        self._thumbs = thumbnails
        self._thumb_dir: Path | None = None
        self._verdicts: dict[int, str] = {}
        if thumbnails is not None:
            thumbnails.loaded.connect(self._thumbnail_loaded)

    def set_timeline(
        self,
        timeline: Timeline | None,
        shas: dict[int, str],
        thumb_dir: Path | None,
        verdicts: dict[int, str] | None = None,
    ) -> None:
        """Replace every row from a freshly built timeline.

        When the rows are the same entries in the same order (a note, a redaction, a verdict
        changed), only their data is refreshed: no reset, so the view keeps its layout, scroll
        position and selection without laying out every row again on the GUI thread.
        """
        rows: list[Row] = []
        if timeline is not None:
            current = None
            shown: set[object] = set()
            for entry in timeline.entries:
                if entry.phase is not current:
                    current = entry.phase
                    zh, en = timeline.labels[entry.phase]
                    # time order wins over grouping: a phase that comes back later (a chat
                    # between two tracking lines) says it continues, not a second heading
                    again = entry.phase in shown
                    shown.add(entry.phase)
                    rows.append(
                        Row(header=pick(zh + "（续）", en + " (cont.)") if again else pick(zh, en))
                    )
                rows.append(
                    Row(
                        entry=entry, sha256=shas.get(entry.item_id or -1) if entry.is_item else None
                    )
                )
            if timeline.undated:
                rows.append(
                    Row(
                        header=tr(
                            "未定时间（没有可信时间，不会编造日期）",
                            "Undated (no trustworthy time; no date is made up)",
                        )
                    )
                )
                for entry in timeline.undated:
                    rows.append(
                        Row(
                            entry=entry,
                            sha256=shas.get(entry.item_id or -1) if entry.is_item else None,
                        )
                    )
        same_shape = (
            thumb_dir == self._thumb_dir
            and len(rows) == len(self._rows)
            and all(_row_id(a) == _row_id(b) for a, b in zip(rows, self._rows, strict=True))
        )
        if same_shape and rows:
            self._rows = rows
            self._verdicts = verdicts or {}
            self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
            return
        self.beginResetModel()
        self._thumb_dir = thumb_dir
        self._verdicts = verdicts or {}
        self._rows = rows
        self.endResetModel()

    def row_shape(self, row: int) -> int:
        """HEADER, ITEM or EVENT: what the delegate sizes a row by (a plain call, no QVariant:
        a relayout asks this of every row, ten thousand times in a big case)."""
        if not 0 <= row < len(self._rows):
            return self.EVENT
        entry = self._rows[row].entry
        if entry is None:
            return self.HEADER
        return self.ITEM if entry.is_item else self.EVENT

    def row_of_key(self, key: str) -> int:
        """The row of an entry key, or -1."""
        return next(
            (n for n, row in enumerate(self._rows) if row.entry and row.entry.key == key), -1
        )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # drops land between rows, never on one
        if self._rows[index.row()].entry is None:
            return Qt.ItemFlag.ItemIsEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    # -- drag to reorder within a minute (app.evidence.timeline.reorder) ------------------------

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802 - Qt API
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt API
        return [ENTRY_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802 - Qt API
        data = QMimeData()
        keys = [
            e.key for i in indexes if i.isValid() and (e := self._rows[i.row()].entry) is not None
        ]
        data.setData(ENTRY_MIME, "\n".join(keys[:1]).encode("utf-8"))  # one entry at a time
        return data

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:  # noqa: N802
        return data.hasFormat(ENTRY_MIME) and action == Qt.DropAction.MoveAction

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:  # noqa: N802
        """Ask for the new order of the dragged entry's minute; the rows change when the case
        is read again, so this never moves rows itself (and returns False: nothing to remove)."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        key = bytes(data.data(ENTRY_MIME).data()).decode("utf-8")
        if parent.isValid():  # dropped onto a row: before it
            row = parent.row()
        if row < 0 or row > len(self._rows):
            row = len(self._rows)
        order = self.reorder_for_drop(key, row)
        if order is not None:
            self.reorder_requested.emit(order)
        return False

    def reorder_for_drop(self, key: str, row: int) -> list[str] | None:
        """The new order of `key`'s minute when it is dropped before `row`, or None.

        None when the place is outside the minute (drop_refused says why) or the order would
        not change.
        """
        source = self.row_of_key(key)
        entry = self._rows[source].entry if source >= 0 else None
        if entry is None:
            return None
        bucket = [
            n
            for n, r in enumerate(self._rows)
            if r.entry is not None and _same_minute(r.entry, entry)
        ]
        above = row - 1 if row - 1 != source else row - 2
        below = row if row != source else row + 1
        inside = any(
            0 <= n < len(self._rows) and n in bucket and n != source for n in (above, below)
        )
        if not inside:
            self.drop_refused.emit(same_minute_only_text())
            return None
        keys = [self._rows[n].entry.key for n in bucket if n != source]  # type: ignore[union-attr]
        position = sum(1 for n in bucket if n < row and n != source)
        keys.insert(position, key)
        current = [self._rows[n].entry.key for n in bucket]  # type: ignore[union-attr]
        return keys if keys != current else None

    def request_move(self, key: str, steps: int) -> bool:
        """Ask to move `key` up (negative) or down among its minute's entries (the keyboard's
        Alt+Up/Alt+Down); refused with drop_refused, as a drag is, when that leaves the minute.

        Returns:
            True when move_requested was emitted.
        """
        source = self.row_of_key(key)
        entry = self._rows[source].entry if source >= 0 else None
        if entry is None or steps == 0:
            return False
        bucket = [
            r.entry.key for r in self._rows if r.entry is not None and _same_minute(r.entry, entry)
        ]
        if not 0 <= bucket.index(key) + steps < len(bucket):
            self.drop_refused.emit(same_minute_only_text())
            return False
        self.move_requested.emit(key, steps)
        return True

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
            exhibit = (
                f"{exhibit_text(entry)}{'*' if entry.exhibit_provisional else ''}  "
                if entry.exhibit_label
                else ""
            )
            return f"{exhibit}{entry.title}"
        if role == self.TimeTextRole:
            return entry_time_text(entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{entry.title}\n{entry_time_text(entry)}" + (
                tr("\n说明：{note}", "\nNote: {note}", note=entry.note) if entry.note else ""
            )
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
            return self._thumbs.get(
                row.sha256, self._thumb_dir / row.sha256[:2] / f"{row.sha256}.jpg"
            )
        return None

    def _thumbnail_loaded(self, sha256: str) -> None:
        for n, row in enumerate(self._rows):
            if row.sha256 == sha256:
                index = self.index(n)
                self.dataChanged.emit(
                    index, index, [self.ThumbnailRole, Qt.ItemDataRole.DecorationRole]
                )


def same_minute_only_text() -> str:
    """Why an entry cannot be dragged or moved out of its minute, and what to do instead."""
    return tr(
        "只能在同一分钟内调整顺序。要移到别的时间，请用“手动设置时间”（Ctrl+T）。",
        "Entries can only be reordered within the same minute. To move one to another time, "
        "set its time by hand (Ctrl+T).",
    )


def _same_minute(a: TimelineEntry, b: TimelineEntry) -> bool:
    """Entries the core lets the user order among themselves: one minute, or the undated lane."""
    if a.time is None or b.time is None:
        return a.time is None and b.time is None
    return a.time.minute == b.time.minute


def _row_id(row: Row) -> tuple[str, str | None, bool, str | None]:
    """What makes two rows the same row for the view: header text, or entry key and shape."""
    if row.entry is None:
        return (row.header, None, False, None)
    return ("", row.entry.key, row.entry.is_item, row.sha256)


def entry_kind_label(entry: TimelineEntry) -> str:
    """A short Chinese label of what the entry is."""
    if entry.item_kind is not None:
        return kind_label(entry.item_kind.value)
    if entry.event_kind == "chat_message":
        return tr("聊天", "Chat")
    if entry.event_kind == "manual":
        return tr("手动事件", "Manual event")
    return tr("物流", "Tracking") if entry.source == "tracking" else tr("事件", "Event")
