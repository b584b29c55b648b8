"""The archive folder and its one index database.

Layout::

    <archive>/
      archive.sqlite        orders, their waybills, files, the numbers read in each file,
                            and the search index (FTS5 with the trigram tokenizer)
      originals/ab/<sha256>.<ext>   byte-exact copies (storage "copy"), read-only
      cases/<order>/        one EvidenceDesk case per order, made when a dispute comes

The trigram tokenizer makes every substring of 3+ characters searchable (a partial waybill,
part of a buyer's nickname). Where this Python's SQLite has no FTS5 (or no trigram
tokenizer, SQLite < 3.34) the same table is a plain one and search falls back to LIKE: right
answers, slower on very large archives; `Archive.search_mode` says which is in use.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from app.evidence.archive.model import (
    COPY,
    STORAGE_MODES,
    ArchiveError,
    ArchiveExists,
    ArchiveNotFound,
)
from app.evidence.store import vault
from app.evidence.store.lock import WriterLock

log = logging.getLogger(__name__)

DB_NAME = "archive.sqlite"
CASES = "cases"
STAGING = ".staging"  # hard links named as the seller's files, while a case imports them
SCHEMA_VERSION = 1
SEARCH_COLUMNS = ("order_no", "waybills", "buyer", "item", "dates", "notes", "files")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    order_no TEXT NOT NULL UNIQUE,
    buyer TEXT NOT NULL DEFAULT '',
    item TEXT NOT NULL DEFAULT '',
    order_date TEXT,
    carrier TEXT,
    note TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE order_waybills (
    waybill TEXT PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE
);
CREATE INDEX order_waybills_order ON order_waybills(order_id);
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    format TEXT NOT NULL,
    storage TEXT NOT NULL,
    stored_path TEXT,
    source_path TEXT NOT NULL,
    mtime_ns INTEGER,
    capture_time TEXT,
    duration_ms INTEGER,
    waybill TEXT,
    carrier TEXT,
    scan_json TEXT,
    read_error TEXT,
    order_id INTEGER REFERENCES orders(id) ON DELETE SET NULL,
    matched_by TEXT,
    imported_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX files_order ON files(order_id);
CREATE TABLE file_numbers (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (file_id, number, role)
);
CREATE INDEX file_numbers_number ON file_numbers(number);
"""


def utc_now() -> str:
    """The current time as UTC ISO 8601 (seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def fts_available() -> bool:
    """True when this Python's SQLite has FTS5 with the trigram tokenizer."""
    try:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='trigram')")
        conn.close()
    except sqlite3.OperationalError:
        return False
    return True


class Archive:
    """An open archive folder. Use `Archive.create` / `Archive.open`; close() when done."""

    def __init__(self, root: Path, conn: sqlite3.Connection, lock: WriterLock | None) -> None:
        self.root = root
        self.conn = conn
        self._lock = lock
        row = conn.execute("SELECT value FROM meta WHERE key = 'search'").fetchone()
        self.search_mode = row[0] if row else "like"
        row = conn.execute("SELECT value FROM meta WHERE key = 'storage'").fetchone()
        self.storage = row[0] if row else COPY

    @classmethod
    def create(cls, root: Path, *, storage: str = COPY) -> Archive:
        """Make a new archive (the folder may exist but must not hold one)."""
        root = Path(root)
        if storage not in STORAGE_MODES:
            raise ArchiveError(
                f"storage must be one of {', '.join(STORAGE_MODES)}, not {storage!r}"
            )
        if (root / DB_NAME).exists():
            raise ArchiveExists(f"{root} already holds an archive")
        root.mkdir(parents=True, exist_ok=True)
        (root / vault.ORIGINALS).mkdir(exist_ok=True)
        (root / CASES).mkdir(exist_ok=True)
        archive = cls._connect(root, writable=True, creating=True)
        mode = "fts5-trigram" if fts_available() else "like"
        if mode == "like":
            log.warning("SQLite has no FTS5 trigram tokenizer here: search uses LIKE (slower)")
        with archive.transaction() as conn:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            columns = ", ".join(SEARCH_COLUMNS)
            if mode == "fts5-trigram":
                conn.execute(
                    f"CREATE VIRTUAL TABLE search USING fts5({columns}, tokenize='trigram')"
                )
            else:
                conn.execute(f"CREATE TABLE search (rowid INTEGER PRIMARY KEY, {columns})")
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [
                    ("schema", str(SCHEMA_VERSION)),
                    ("search", mode),
                    ("storage", storage),
                    ("created_at", utc_now()),
                ],
            )
        archive.search_mode, archive.storage = mode, storage
        return archive

    @classmethod
    def open(cls, root: Path, *, writable: bool = True) -> Archive:
        """Open an archive; writable takes the writer lock and tidies interrupted imports."""
        root = Path(root)
        if not (root / DB_NAME).is_file():
            raise ArchiveNotFound(f"no archive at {root} (archive.sqlite not found)")
        archive = cls._connect(root, writable=writable, creating=False)
        if writable:
            kept = [
                r[0]
                for r in archive.conn.execute(
                    "SELECT stored_path FROM files WHERE stored_path IS NOT NULL"
                )
            ]
            removed = vault.sweep(root, kept).removed  # unlisted copies go to recovered/
            if removed:
                log.info(
                    "removed %d leftover file(s) from an interrupted archive import", len(removed)
                )
            shutil.rmtree(root / STAGING, ignore_errors=True)
        return archive

    @classmethod
    def _connect(cls, root: Path, *, writable: bool, creating: bool) -> Archive:
        lock = None
        if writable:
            lock = WriterLock(root)
            lock.acquire()
        try:
            conn = sqlite3.connect(root / DB_NAME, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=5000")
            if creating:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                )
            version = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if version is not None and int(version[0]) > SCHEMA_VERSION:
                raise ArchiveError(
                    f"{root} was made by a newer EvidenceDesk (archive schema {version[0]})"
                )
        except Exception:
            if lock:
                lock.release()
            raise
        return cls(root, conn, lock)

    def close(self) -> None:
        """Close the database and release the writer lock."""
        self.conn.close()
        if self._lock:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT, ROLLBACK on any error)."""
        if self._lock is None:
            raise ArchiveError("this archive was opened read-only")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def stored_file(self, relative: str) -> Path:
        """Absolute path of a copy stored in the archive."""
        return vault.original_path(self.root, relative)  # inside originals/, never via a link
