"""The detail pane of the archive view: an order (or an inbox file) with what its frames showed.

The order's fields, its files (waybill, where the waybill was seen, near the end, frame-time
jumps, continuity verdict), and for the selected file its reads with frame times, the
continuity indicators and the scan's notes, as HTML in a text browser.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.evidence.i18n import pick, tr
from app.evidence.service.archive import FileDetail, OrderDetail
from app.ui.archive_model import (
    OrderFilesModel,
    clock,
    short_time,
    verdict_colour,
    verdict_text,
)

MAX_READS_SHOWN = 60


def record_table(model: Any) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


class DetailPane(QWidget):
    """The right-hand side of the archive view; the view wires its button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.files = OrderFilesModel(self)
        self.files_view = record_table(self.files)
        self.reads = QTextBrowser()
        self.reads.setOpenLinks(False)
        self.case_button = QPushButton(tr("为此订单打开案件", "Open case for this order"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.files_view, 1)
        layout.addWidget(self.reads, 2)
        layout.addWidget(self.case_button)
        self.show_order(None)

    def show_order(self, detail: OrderDetail | None) -> None:
        """An order, its files and the first file's reads (None: a hint to pick one)."""
        self.case_button.setEnabled(detail is not None)
        if detail is None:
            self.title.setText(tr("选择一个订单查看详情", "Select an order to see its detail"))
            self.files.set_records([])
            self.reads.clear()
            return
        o = detail.order
        rows = [
            (tr("订单号", "Order"), f"<b>{_esc(o.order_no)}</b>"),
            (tr("面单号", "Waybills"), _esc(" ".join(o.waybills) or "—")),
            (tr("买家", "Buyer"), _esc(o.buyer or "—")),
            (tr("商品", "Item"), _esc(o.item or "—")),
            (tr("下单时间", "Ordered"), _esc(short_time(o.order_date))),
            (tr("连续性", "Continuity"), _verdict_html(detail.verdict)),
        ]
        if o.note:
            rows.append((tr("备注", "Note"), _esc(o.note)))
        self.title.setText(_table_html(rows))
        self.case_button.setText(
            tr("打开此订单的案件", "Open the case of this order")
            if detail.case_exists
            else tr("为此订单打开案件", "Open case for this order")
        )
        self.files.set_records(detail.files)
        self.files_view.resizeColumnsToContents()
        if detail.files:
            self.files_view.setCurrentIndex(self.files.index(0, 0))
        else:
            message = tr("这个订单还没有文件。", "No files for this order yet.")
            self.reads.setHtml(f"<p>{_esc(message)}</p>")

    def show_file(self, detail: FileDetail) -> None:
        """A file waiting in the inbox (no case to open)."""
        self.case_button.setEnabled(False)
        self.title.setText(
            _table_html(
                [
                    (tr("收件箱文件", "Inbox file"), f"<b>{_esc(detail.file.name)}</b>"),
                    (tr("读到的面单", "Waybill read"), _esc(" ".join(detail.file.waybills) or "—")),
                    (tr("连续性", "Continuity"), _verdict_html(detail.verdict)),
                ]
            )
        )
        self.files.set_records([detail])
        self.files_view.setCurrentIndex(self.files.index(0, 0))

    def show_reads(self, detail: FileDetail) -> None:
        """One file's reads, indicators and notes below the table."""
        self.reads.setHtml(file_html(detail))


def _strategy_text(strategy: str) -> str:
    return {
        "keyframes": tr("关键帧", "keyframes"),
        "sequential": tr("逐帧解码", "decoded in order"),
        "photo": tr("照片", "photo"),
    }.get(strategy, strategy)


def _method_text(method: str) -> str:
    return {
        "direct": tr("整帧", "whole frame"),
        "localised": tr("定位后", "located"),
    }.get(method, method)


def _esc(text: str) -> str:
    return html.escape(text)


def _verdict_html(verdict: str) -> str:
    colour = verdict_colour(verdict)
    text = html.escape(verdict_text(verdict))
    if colour is None:
        return text
    return f'<span style="color:{colour.name()}">●</span> {text}'


def _table_html(rows: list[tuple[str, str]]) -> str:
    """Label / value rows; the values are HTML already (escape text with `_esc`)."""
    cells = "".join(
        f"<tr><td style='padding-right:12px;color:#666'>{html.escape(k)}</td><td>{v}</td></tr>"
        for k, v in rows
    )
    return f"<table>{cells}</table>"


def file_html(detail: FileDetail) -> str:
    """One file's waybill reads, frame times, continuity indicators and flags, as HTML."""
    f = detail.file
    parts = [f"<h3>{html.escape(f.name)}</h3>"]
    if not detail.scanned:
        reason = f.read_error or tr("没有读取画面。", "The frames were not read.")
        parts.append(f"<p>{html.escape(reason)}</p>")
        return "".join(parts)
    parts.append(
        "<p>"
        + html.escape(
            tr(
                "看了 {frames} 帧（{how}）· 连续性：",
                "{frames} frames looked at ({how}) · continuity: ",
                frames=detail.frames_sampled,
                how=_strategy_text(detail.strategy),
            )
        )
        + _verdict_html(detail.verdict)
        + "</p>"
    )
    c = detail.continuity
    if c is not None:
        indicators = [
            (tr("时长", "Length"), clock(c.duration_ms)),
            (tr("读到", "Read up to"), clock(c.scanned_to_ms)),
            (
                tr("面单出现", "Waybill seen"),
                f"{clock(c.first_seen_ms)} – {clock(c.last_seen_ms)}",
            ),
            (
                tr("结尾可见面单", "Waybill near the end"),
                "—"
                if c.seen_near_end is None
                else tr("是", "Yes")
                if c.seen_near_end
                else tr("否", "No"),
            ),
            (
                tr("时间跳变", "Frame-time jumps"),
                ", ".join(f"{clock(at)} (+{gap / 1000:.1f}s)" for at, gap in c.gaps)
                or tr("无", "None"),
            ),
        ]
        if c.minutes_before_pickup is not None:
            indicators.append(
                (
                    tr("早于揽收", "Before pickup"),
                    tr("{m} 分钟", "{m} min", m=round(c.minutes_before_pickup)),
                )
            )
        parts.append(_table_html([(k, _esc(v)) for k, v in indicators]))
    if detail.notes:
        items = "".join(
            "<li>"
            + ("⚠ " if n.severity in ("warning", "alert") else "")
            + html.escape(pick(n.zh, n.en))
            + "</li>"
            for n in detail.notes
        )
        parts.append(f"<ul>{items}</ul>")
    if detail.reads:
        rows = "".join(
            f"<tr><td>{clock(r.time_ms) if r.time_ms is not None else '—'}</td>"
            f"<td><b>{html.escape(r.text)}</b></td><td>{html.escape(r.format)}</td>"
            f"<td>{html.escape(_method_text(r.method))}</td></tr>"
            for r in detail.reads[:MAX_READS_SHOWN]
        )
        more = len(detail.reads) - MAX_READS_SHOWN
        header = "".join(
            f"<th align='left'>{html.escape(h)}</th>"
            for h in (
                tr("帧时间", "Frame time"),
                tr("内容", "Text"),
                tr("码制", "Format"),
                tr("方式", "Method"),
            )
        )
        parts.append(f"<table cellspacing='0' cellpadding='2'><tr>{header}</tr>{rows}</table>")
        if more > 0:
            parts.append(
                "<p>" + html.escape(tr("另有 {n} 次读取", "{n} more reads", n=more)) + "</p>"
            )
    return "".join(parts)
