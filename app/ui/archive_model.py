"""Table models of the archive view: search results, the inbox, an order's files.

Each model holds the core's frozen dataclasses (SearchResult, FileDetail) and shows them in
columns; the whole record is under `RecordRole`, a sortable value under `SortRole`, and the
continuity verdict paints a coloured swatch (DecorationRole) next to its words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTime,
    QTimeZone,
)
from PySide6.QtGui import QColor

from app.evidence.i18n import pick, tr
from app.evidence.service.archive import (
    ATTENTION,
    CONTINUOUS,
    NO_WAYBILL,
    FileDetail,
    SearchResult,
    known_carriers,
)
from app.evidence.service.labels import format_when, kind_text

RecordRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
VerdictRole = Qt.ItemDataRole.UserRole + 3

_COLOURS = {
    CONTINUOUS: QColor("#2e8b57"),
    ATTENTION: QColor("#d98c00"),
    NO_WAYBILL: QColor("#c0392b"),
}

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex


def verdict_text(verdict: str) -> str:
    """The continuity verdict in words ("—" when there is no video)."""
    return {
        CONTINUOUS: tr("连续", "Continuous"),
        ATTENTION: tr("需查看", "Check"),
        NO_WAYBILL: tr("未读到面单", "No waybill"),
    }.get(verdict, "—")


def verdict_colour(verdict: str) -> QColor | None:
    """The swatch colour of a verdict (None: no swatch)."""
    return _COLOURS.get(verdict)


def carrier_text(carrier: str | None) -> str:
    """A carrier code (guessed from a waybill's shape) as its name; export names as they are."""
    if not carrier:
        return "—"
    names = {c.code: pick(c.name_zh, c.name_en) for c in known_carriers()}
    return names.get(carrier, carrier)


def clock(ms: int | float | None) -> str:
    """Milliseconds of a video as m:ss.s ("—" when unknown)."""
    if ms is None:
        return "—"
    seconds = max(0.0, float(ms) / 1000)
    minutes = int(seconds // 60)
    return f"{minutes}:{seconds - minutes * 60:04.1f}"


def _moment(iso: str | None) -> datetime | None:
    """The wall time an ISO text records (its own offset dropped, never converted), or None."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=None)


def short_time(iso: str | None) -> str:
    """An ISO time in the reader's language, the wall time as recorded.

    "2025年6月9日 18:00" / "9 Jun 2025 18:00"; a date alone stays a date; "—" when unknown;
    text that is not a time (an order export's own wording) is shown as it is.
    """
    if not iso:
        return "—"
    if _moment(iso) is None:
        return iso
    return format_when(iso.strip()[:16])


def time_sort_key(iso: str | None) -> QDateTime:
    """The SortRole value of a time column: the real time (unknown ones sort last).

    A QDateTime, because the proxy compares Qt values and would not order Python datetimes;
    the wall time is pinned to UTC so that no local daylight-saving gap can shift it.
    """
    moment = _moment(iso) or datetime(9999, 12, 31, 23, 59, 59)
    return QDateTime(
        QDate(moment.year, moment.month, moment.day),
        QTime(moment.hour, moment.minute, moment.second),
        QTimeZone.utc(),
    )


class Column(Generic[R]):
    """One column: header, display text and sort value of a record."""

    def __init__(
        self,
        header: str,
        text: Callable[[R], str],
        sort: Callable[[R], Any] | None = None,
        verdict: Callable[[R], str] | None = None,
    ) -> None:
        self.header = header
        self.text = text
        self.sort = sort or text
        self.verdict = verdict


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """A read-only table over a list of records, one row each."""

    def __init__(self, columns: Sequence[Column[R]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[R] = []

    def set_records(self, records: Sequence[R]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(records)
        self.endResetModel()

    def records(self) -> list[R]:
        """The rows, in model order."""
        return list(self._rows)

    def record(self, row: int) -> R | None:
        """The record of a row (None out of range)."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._columns)

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        record = self._rows[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(record)
        if role == RecordRole:
            return record
        if role == SortRole:
            return column.sort(record)
        if column.verdict is not None:
            verdict = column.verdict(record)
            if role == VerdictRole:
                return verdict
            if role == Qt.ItemDataRole.DecorationRole:
                return verdict_colour(verdict)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class SortProxy(QSortFilterProxyModel):
    """Sorts a record table by its SortRole values."""

    def __init__(self, source: QAbstractTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SortRole)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


# -- the three tables -----------------------------------------------------------------------------


def _waybills(result: SearchResult) -> str:
    return " ".join(result.hit.waybills) or "—"


def _order_cell(result: SearchResult) -> str:
    if result.hit.kind == "order":
        return result.hit.order_no or "—"
    return tr("收件箱：{name}", "Inbox: {name}", name=result.hit.file_name or "")


class ResultsModel(RecordTableModel[SearchResult]):
    """Search results: orders (and inbox files) with carrier, files and continuity."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(tr("订单号", "Order"), _order_cell),
                Column(tr("面单号", "Waybill"), _waybills),
                Column(tr("快递", "Carrier"), lambda r: carrier_text(r.carrier)),
                Column(tr("买家", "Buyer"), lambda r: r.hit.buyer or "—"),
                Column(
                    tr("日期", "Date"),
                    lambda r: short_time(r.hit.order_date),
                    lambda r: time_sort_key(r.hit.order_date),
                ),
                Column(
                    tr("文件", "Files"), lambda r: str(r.hit.file_count), lambda r: r.hit.file_count
                ),
                Column(
                    tr("连续性", "Continuity"),
                    lambda r: verdict_text(r.verdict),
                    lambda r: r.verdict,
                    lambda r: r.verdict,
                ),
            ],
            parent,
        )


def _seen(detail: FileDetail) -> str:
    if not detail.sightings:
        return "—"
    best = detail.sightings[0]
    return f"{clock(best.first_ms)}–{clock(best.last_ms)} ({best.frames})"


def _near_end(detail: FileDetail) -> str:
    c = detail.continuity
    if c is None or c.seen_near_end is None:
        return "—"
    return tr("是", "Yes") if c.seen_near_end else tr("否", "No")


def _gaps(detail: FileDetail) -> str:
    c = detail.continuity
    if c is None:
        return "—"
    return str(len(c.gaps)) if c.gaps else tr("无", "None")


def _kind(detail: FileDetail) -> str:
    return kind_text(detail.file.kind)  # the one table: app/evidence/labels.py


class InboxModel(RecordTableModel[FileDetail]):
    """Files that match no order yet."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(tr("文件", "File"), lambda d: d.file.name),
                Column(
                    tr("读到的面单", "Waybill read"), lambda d: " ".join(d.file.waybills) or "—"
                ),
                Column(
                    tr("拍摄时间", "Recorded"),
                    lambda d: short_time(d.file.capture_time),
                    lambda d: time_sort_key(d.file.capture_time),
                ),
                Column(
                    tr("时长", "Length"),
                    lambda d: clock(d.file.duration_ms),
                    lambda d: d.file.duration_ms or 0,
                ),
                Column(
                    tr("连续性", "Continuity"),
                    lambda d: verdict_text(d.verdict),
                    lambda d: d.verdict,
                    lambda d: d.verdict,
                ),
            ],
            parent,
        )


class OrderFilesModel(RecordTableModel[FileDetail]):
    """An order's files with their waybill reads and continuity indicators."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(tr("文件", "File"), lambda d: d.file.name),
                Column(tr("类型", "Kind"), _kind),
                Column(tr("面单号", "Waybill"), lambda d: d.file.waybill or "—"),
                Column(tr("面单出现（帧）", "Seen (frames)"), _seen),
                Column(tr("结尾可见", "Near end"), _near_end),
                Column(tr("时间跳变", "Jumps"), _gaps),
                Column(
                    tr("连续性", "Continuity"),
                    lambda d: verdict_text(d.verdict),
                    lambda d: d.verdict,
                    lambda d: d.verdict,
                ),
            ],
            parent,
        )
