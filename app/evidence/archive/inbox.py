"""Which order a file belongs to: automatic matching, the inbox, one-click assignment.

A file goes to the order whose waybill was read in its frames; failing that, the order whose
number was read (a packing slip's barcode); failing that, a waybill or order number in the
file name. When none matches, or when the numbers point at two different orders, the file
waits in the inbox until the seller assigns it (or a later order export matches it).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.evidence.archive import index
from app.evidence.archive.db import Archive, utc_now
from app.evidence.archive.model import (
    ArchivedFile,
    FileNotInArchive,
    Order,
    OrderNotFound,
)
from app.evidence.i18n import tr

WAYBILL, ORDER, NAME = "waybill", "order", "name"  # file_numbers roles


def match_order(conn: sqlite3.Connection, file_id: int) -> tuple[int | None, str | None, str]:
    """The order a file's numbers point at: (order id, matched by, note for the inbox)."""
    numbers: dict[str, list[str]] = {WAYBILL: [], ORDER: [], NAME: []}
    for number, role in conn.execute(
        "SELECT number, role FROM file_numbers WHERE file_id = ?", (file_id,)
    ):
        numbers[role].append(number)
    steps = (
        ("waybill", numbers[WAYBILL], "SELECT order_id FROM order_waybills WHERE waybill = ?"),
        ("order_number", numbers[ORDER], "SELECT id FROM orders WHERE order_no = ?"),
        ("file_name", numbers[NAME], "SELECT order_id FROM order_waybills WHERE waybill = ?"),
        ("file_name", numbers[NAME], "SELECT id FROM orders WHERE order_no = ?"),
    )
    for matched_by, candidates, sql in steps:
        found = {row[0] for number in candidates for row in conn.execute(sql, (number,))}
        if len(found) == 1:
            return found.pop(), matched_by, ""
        if len(found) > 1:
            names = sorted(
                r[0]
                for r in conn.execute(
                    f"SELECT order_no FROM orders WHERE id IN ({','.join('?' * len(found))})",
                    tuple(found),
                )
            )
            note = tr(
                "对应不止一个订单：{orders}",
                "matches more than one order: {orders}",
                orders=", ".join(names),
            )
            return None, None, note
    return None, None, ""


def rematch_inbox(archive: Archive) -> int:
    """Assign inbox files that now match an order (after new orders came in); returns how many.

    Files the seller put back into the inbox by hand stay there.
    """
    assigned = 0
    with archive.transaction() as conn:
        inbox = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM files WHERE order_id IS NULL AND matched_by IS NULL"
            )
        ]
        for file_id in inbox:
            order_id, matched_by, _ = match_order(conn, file_id)
            if order_id is not None:
                _set_order(conn, file_id, order_id, matched_by)
                assigned += 1
    return assigned


def assign(
    archive: Archive, file_ref: str | int, order_no: str, *, create: bool = True
) -> ArchivedFile:
    """Assign a file (usually from the inbox) to an order; `create` adds an unknown order."""
    order_no = order_no.strip()
    with archive.transaction() as conn:
        file_id = _file_id(conn, file_ref)
        row = conn.execute("SELECT id FROM orders WHERE order_no = ?", (order_no,)).fetchone()
        if row is None:
            if not create or not order_no:
                raise OrderNotFound(f"no order {order_no!r} in the archive")
            cur = conn.execute(
                "INSERT INTO orders (order_no, source, updated_at) VALUES (?, 'user', ?)",
                (order_no, utc_now()),
            )
            order_id = int(cur.lastrowid or 0)
        else:
            order_id = int(row[0])
        _set_order(conn, file_id, order_id, "user")
    return archived_file(archive, file_id)


def unassign(archive: Archive, file_ref: str | int) -> ArchivedFile:
    """Put a file back into the inbox (where later order exports leave it alone)."""
    with archive.transaction() as conn:
        file_id = _file_id(conn, file_ref)
        _set_order(conn, file_id, None, "user")
    return archived_file(archive, file_id)


def _set_order(
    conn: sqlite3.Connection, file_id: int, order_id: int | None, matched_by: str | None
) -> None:
    before = conn.execute("SELECT order_id FROM files WHERE id = ?", (file_id,)).fetchone()[0]
    conn.execute(
        "UPDATE files SET order_id = ?, matched_by = ? WHERE id = ?",
        (order_id, matched_by, file_id),
    )
    for affected in {before, order_id} - {None}:
        index.refresh_order(conn, affected)
    index.refresh_file(conn, file_id)


def inbox(archive: Archive) -> list[ArchivedFile]:
    """Files that belong to no order yet, newest first."""
    ids = [
        r[0]
        for r in archive.conn.execute(
            "SELECT id FROM files WHERE order_id IS NULL ORDER BY id DESC"
        )
    ]
    return [archived_file(archive, i) for i in ids]


def order(archive: Archive, order_no: str) -> Order:
    """One order by number."""
    row = archive.conn.execute(
        "SELECT id, order_no, buyer, item, order_date, carrier, note, source FROM orders "
        "WHERE order_no = ?",
        (order_no.strip(),),
    ).fetchone()
    if row is None:
        raise OrderNotFound(f"no order {order_no!r} in the archive")
    waybills = index.order_waybills(archive.conn, row[0])
    return Order(row[0], row[1], waybills, row[2], row[3], row[4], row[5], row[6], row[7])


def order_files(archive: Archive, order_no: str) -> list[ArchivedFile]:
    """The files assigned to an order, in import order."""
    found = order(archive, order_no)
    ids = [
        r[0]
        for r in archive.conn.execute(
            "SELECT id FROM files WHERE order_id = ? ORDER BY id", (found.id,)
        )
    ]
    return [archived_file(archive, i) for i in ids]


# What archived_file reads, named as ArchivedFile's fields (stored_path gives `path`).
_FILE_COLUMNS = (
    "f.id", "f.sha256", "f.size", "f.name", "f.kind", "f.format", "f.storage", "f.stored_path",
    "f.source_path", "f.capture_time", "f.duration_ms", "f.waybill", "f.carrier", "o.order_no",
    "f.matched_by", "f.read_error", "f.note", "f.imported_at",
)  # fmt: skip


def archived_file(archive: Archive, file_id: int) -> ArchivedFile:
    """One file record."""
    conn = archive.conn
    row = conn.execute(
        f"SELECT {', '.join(_FILE_COLUMNS)} "
        "FROM files f LEFT JOIN orders o ON o.id = f.order_id WHERE f.id = ?",
        (file_id,),
    ).fetchone()
    if row is None:
        raise FileNotInArchive(f"no archived file {file_id}")
    values = {column.split(".")[1]: value for column, value in zip(_FILE_COLUMNS, row, strict=True)}
    stored = values.pop("stored_path")
    copied = values["storage"] == "copy" and stored
    path = str(archive.stored_file(stored)) if copied else values["source_path"]
    waybills = tuple(
        r[0]
        for r in conn.execute(
            "SELECT number FROM file_numbers WHERE file_id = ? AND role = 'waybill'", (file_id,)
        )
    )
    return ArchivedFile(**values, path=path, waybills=waybills)


def _file_id(conn: sqlite3.Connection, ref: str | int) -> int:
    """A file by id, by a SHA-256 prefix (6+ hex digits) or by the path it was imported from."""
    text = str(ref).strip()
    if text.isdigit() and len(text) < 6:
        rows = conn.execute("SELECT id FROM files WHERE id = ?", (int(text),)).fetchall()
    else:
        rows = conn.execute(
            "SELECT id FROM files WHERE sha256 LIKE ?", (text.lower() + "%",)
        ).fetchall()
        if len(rows) != 1 and len(text) >= 1:
            rows = conn.execute(
                "SELECT id FROM files WHERE source_path = ?", (str(Path(text).resolve()),)
            ).fetchall()
    if len(rows) != 1:
        raise FileNotInArchive(f"no single archived file matches {text!r}")
    return int(rows[0][0])
