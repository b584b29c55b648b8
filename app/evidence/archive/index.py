"""The archive's search index: one row per order (with its files) and one per inbox file.

Rows are rebuilt from the tables by one SQL statement, for one order or file after each
change, or for everything after a bulk load. Row ids: 2 x order id for orders, 2 x file id
+ 1 for files waiting in the inbox.

A query is split on spaces and every word must match somewhere: with FTS5 trigram a word of
3+ characters is a substring match served by the index; shorter words (a two-character
nickname) and the LIKE fallback scan the rows. An order whose number or waybill equals a
word comes first, then bm25 rank.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from app.evidence.archive.db import SEARCH_COLUMNS, Archive
from app.evidence.archive.model import Hit


def order_waybills(conn: sqlite3.Connection, order_id: int) -> tuple[str, ...]:
    """The waybills an order is shown with: those its order list gives, else the ones read in
    the files assigned to it (a seller who assigns an inbox video to an order sees the waybill
    its frames show, not "—")."""
    listed = tuple(
        r[0]
        for r in conn.execute(
            "SELECT waybill FROM order_waybills WHERE order_id = ? ORDER BY rowid", (order_id,)
        )
    )
    if listed:
        return listed
    read = conn.execute(
        "SELECT DISTINCT waybill FROM files WHERE order_id = ? AND waybill IS NOT NULL"
        " AND waybill != '' ORDER BY id",
        (order_id,),
    )
    return tuple(r[0] for r in read)


_ORDER_ROWS = """
SELECT o.id * 2, o.order_no,
    trim(COALESCE((SELECT group_concat(w.waybill, ' ') FROM order_waybills w
                   WHERE w.order_id = o.id), '')
        || ' ' || COALESCE((SELECT group_concat(n.number, ' ') FROM file_numbers n
                            JOIN files f ON f.id = n.file_id
                            WHERE f.order_id = o.id AND n.role = 'waybill'), '')),
    o.buyer, o.item,
    trim(COALESCE(o.order_date, '') || ' '
        || COALESCE((SELECT group_concat(substr(f.capture_time, 1, 19), ' ') FROM files f
                     WHERE f.order_id = o.id), '')),
    trim(o.note || ' ' || COALESCE((SELECT group_concat(f.note, ' ') FROM files f
                                    WHERE f.order_id = o.id), '')),
    COALESCE((SELECT group_concat(f.name, ' ') FROM files f WHERE f.order_id = o.id), '')
FROM orders o
"""

_FILE_ROWS = """
SELECT f.id * 2 + 1, '',
    COALESCE((SELECT group_concat(n.number, ' ') FROM file_numbers n WHERE n.file_id = f.id), ''),
    '', '', COALESCE(substr(f.capture_time, 1, 19), ''), f.note, f.name
FROM files f WHERE f.order_id IS NULL
"""

_INSERT = f"INSERT INTO search (rowid, {', '.join(SEARCH_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"


def refresh_order(conn: sqlite3.Connection, order_id: int) -> None:
    """Rewrite the search row of one order (call inside the transaction that changed it)."""
    conn.execute("DELETE FROM search WHERE rowid = ?", (order_id * 2,))
    row = conn.execute(_ORDER_ROWS + " WHERE o.id = ?", (order_id,)).fetchone()
    if row is not None:
        conn.execute(_INSERT, row)


def refresh_file(conn: sqlite3.Connection, file_id: int) -> None:
    """Rewrite the inbox row of one file (removed when the file belongs to an order)."""
    conn.execute("DELETE FROM search WHERE rowid = ?", (file_id * 2 + 1,))
    row = conn.execute(_FILE_ROWS + " AND f.id = ?", (file_id,)).fetchone()
    if row is not None:
        conn.execute(_INSERT, row)


def rebuild(conn: sqlite3.Connection) -> None:
    """Rebuild the whole index from the tables (after a bulk load)."""
    conn.execute("DELETE FROM search")
    columns = ", ".join(SEARCH_COLUMNS)
    conn.execute(f"INSERT INTO search (rowid, {columns}) " + _ORDER_ROWS)
    conn.execute(f"INSERT INTO search (rowid, {columns}) " + _FILE_ROWS)


def search(archive: Archive, query: str, limit: int = 50) -> list[Hit]:
    """Orders and inbox files matching every word of `query`, best first.

    A whole order or waybill number (10+ characters) that exists is the answer on its own;
    anything else is a substring search, newest rows first after the exact matches.
    """
    words = [w for w in query.split() if w]
    if not words:
        return []
    conn = archive.conn
    exact = _exact_rows(conn, words)
    rows: list[int] = []
    if not (exact and len(words[0]) >= _FULL_NUMBER):
        rows = _matching_rows(conn, archive.search_mode, words, limit)
    ordered = list(dict.fromkeys([*exact, *rows]))[:limit]
    return [hit(conn, rowid, words, rowid in exact) for rowid in ordered]


_FULL_NUMBER = 10
_SHORT_COLUMNS = ("buyer", "item", "notes")


def _ids(conn: sqlite3.Connection, sql: str, *params: object) -> list[int]:
    return [int(r[0]) for r in conn.execute(sql, params)]


def _exact_rows(conn: sqlite3.Connection, words: list[str]) -> list[int]:
    if len(words) != 1:
        return []
    typed = words[0].strip()
    word = typed.upper()
    ids = _ids(conn, "SELECT id FROM orders WHERE order_no IN (?, ?)", typed, word)
    ids += _ids(conn, "SELECT order_id FROM order_waybills WHERE waybill = ?", word)
    ids += _ids(
        conn,
        "SELECT f.order_id FROM file_numbers n JOIN files f ON f.id = n.file_id "
        "WHERE n.number = ? AND f.order_id IS NOT NULL",
        word,
    )
    inbox = _ids(
        conn,
        "SELECT f.id FROM file_numbers n JOIN files f ON f.id = n.file_id "
        "WHERE n.number = ? AND f.order_id IS NULL",
        word,
    )
    return [i * 2 for i in dict.fromkeys(ids)] + [i * 2 + 1 for i in inbox]


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _matching_rows(conn: sqlite3.Connection, mode: str, words: list[str], limit: int) -> list[int]:
    """Row ids matching every word, newest first.

    Words of 3+ characters go through the trigram index; shorter ones (a two-character
    nickname) are only looked for in the buyer, item and notes, where they mean something.
    """
    indexed = [w for w in words if len(w) >= 3] if mode == "fts5-trigram" else []
    short = [w for w in words if w not in indexed]
    if not indexed and mode == "fts5-trigram":
        return _short_only(conn, short, limit)
    where: list[str] = []
    params: list[object] = []
    if indexed:
        where.append("search MATCH ?")
        params.append(" AND ".join('"' + w.replace('"', '""') + '"' for w in indexed))
    columns = SEARCH_COLUMNS if mode != "fts5-trigram" else _SHORT_COLUMNS
    for word in short:
        where.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns) + ")")
        params.extend([_like(word)] * len(columns))
    sql = f"SELECT rowid FROM search WHERE {' AND '.join(where)} ORDER BY rowid DESC LIMIT ?"
    return _ids(conn, sql, *params, limit)


def _short_only(conn: sqlite3.Connection, words: list[str], limit: int) -> list[int]:
    """Only short words: scan the orders' buyer, item and note (short texts, no index)."""
    like = " LIKE ? ESCAPE '\\'"
    order_where = " AND ".join(f"(buyer{like} OR item{like} OR note{like})" for _ in words)
    file_where = " AND ".join(f"(name{like} OR note{like})" for _ in words)
    orders = _ids(
        conn,
        f"SELECT id * 2 FROM orders WHERE {order_where} ORDER BY id DESC LIMIT ?",
        *[_like(w) for w in words for _ in range(3)],
        limit,
    )
    files = _ids(
        conn,
        f"SELECT id * 2 + 1 FROM files WHERE order_id IS NULL AND {file_where} "
        "ORDER BY id DESC LIMIT ?",
        *[_like(w) for w in words for _ in range(2)],
        limit,
    )
    return [*orders, *files]


def hit(conn: sqlite3.Connection, rowid: int, words: list[str], exact: bool) -> Hit:
    """The Hit for one row of the search table (`words`: the query's, for `matched`)."""
    text = conn.execute(
        f"SELECT {', '.join(SEARCH_COLUMNS)} FROM search WHERE rowid = ?", (rowid,)
    ).fetchone()
    matched = _matched(text or (), words)
    if rowid % 2 == 0:
        order_id = rowid // 2
        row = conn.execute(
            "SELECT order_no, buyer, item, order_date, "
            "(SELECT count(*) FROM files WHERE order_id = ?) FROM orders WHERE id = ?",
            (order_id, order_id),
        ).fetchone()
        waybills = order_waybills(conn, order_id)
        return Hit(
            "order", row[0], waybills, row[1], row[2], row[3], row[4], None, None, matched, exact
        )
    file_id = rowid // 2
    row = conn.execute("SELECT name, capture_time FROM files WHERE id = ?", (file_id,)).fetchone()
    numbers = tuple(
        r[0]
        for r in conn.execute(
            "SELECT number FROM file_numbers WHERE file_id = ? AND role = 'waybill'", (file_id,)
        )
    )
    return Hit("file", None, numbers, "", "", row[1], 1, file_id, row[0], matched, exact)


def _matched(text: Iterable[str], words: list[str]) -> tuple[str, ...]:
    folded = [w.casefold() for w in words]
    return tuple(
        name
        for name, value in zip(SEARCH_COLUMNS, text, strict=False)
        if value and any(w in str(value).casefold() for w in folded)
    )
