"""A case folder: case.sqlite, byte-exact originals, rebuildable caches and exports.

Every change is one SQLite transaction that also appends to the hash-chained audit log. Paths
stored inside the case are relative, so the folder can be zipped and opened on another PC; as a
case can come from someone else, they are read through `vault.original_path` (inside the case,
never through a link).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.evidence.errors import CaseError, CaseExists, CaseNotFound, ItemNotFound, UnsafeStoredPath
from app.evidence.models import CaptureTime, CaseInfo, Item, ItemKind, TimeSource
from app.evidence.store import audit, vault
from app.evidence.store.lock import WriterLock
from app.evidence.store.migrations import migrate
from app.evidence.store.ocr_corrections import adopt_legacy_files
from app.evidence.winpaths import write_case_marker

log = logging.getLogger(__name__)

DB_NAME = "case.sqlite"
DERIVED = "derived"
EXPORTS = "exports"

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class NewItem:
    """What the importer hands the store for one original that is already in the vault."""

    sha256: str
    size: int
    kind: ItemKind
    kind_source: str
    format: str
    vault_path: str
    original_name: str
    file_mtime: str | None
    capture_time: CaptureTime | None
    metadata: dict[str, Any]
    read_error: str | None


@dataclass(frozen=True)
class OriginalProblem:
    """An original that is not as recorded, seen by the cheap check made when a case opens.

    Attributes:
        problem: "missing" (the file is gone), "size_changed" (its size differs from the
            recorded one) or "unsafe" (the recorded path leaves originals/ or goes through a
            link: never read). Same-size changes need the full re-hash of `verify_case`.
    """

    item_id: int
    vault_path: str
    problem: str


class Case:
    """An open case folder. Use `Case.create` or `Case.open`; close() (or `with`) when done.

    Attributes:
        damaged_originals: after a writable open, originals that are missing or changed size
            behind the app's back (empty when all is well, and for read-only opens).
        recovered: after a writable open, every file waiting in recovered/ (relative paths):
            originals case.sqlite does not list, moved aside by this open or an earlier one
            (`recover_files` imports them back).
    """

    def __init__(
        self, root: Path, conn: sqlite3.Connection, lock: WriterLock | None, clock: Clock
    ) -> None:
        self.root = root
        self._conn = conn
        self._lock = lock
        self._clock = clock
        self.damaged_originals: tuple[OriginalProblem, ...] = ()
        self.recovered: tuple[str, ...] = ()

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        root: Path,
        title: str,
        *,
        order_no: str | None = None,
        dispute: str | None = None,
        role: str = "buyer",
        clock: Clock = utc_now,
    ) -> Case:
        """Make a new case folder (the folder may exist but must not hold a case)."""
        root = Path(root)
        if (root / DB_NAME).exists():
            raise CaseExists(f"{root} already holds a case")
        if role not in ("buyer", "seller"):
            raise CaseError(f"role must be buyer or seller, not {role!r}")
        for sub in (vault.ORIGINALS, DERIVED, EXPORTS):
            (root / sub).mkdir(parents=True, exist_ok=True)
        case = cls._connect(root, writable=True, clock=clock)
        with case.transaction() as conn:
            at = case.now()
            conn.execute(
                "INSERT INTO case_info (id, title, order_no, dispute, role, created_at) "
                "VALUES (1,?,?,?,?,?)",
                (title, order_no, dispute, role, at),
            )
            audit.append(
                conn,
                at,
                "case.create",
                None,
                {"title": title, "order_no": order_no, "dispute": dispute, "role": role},
            )
        write_case_marker(root)  # what Explorer's file association opens (the Windows installer)
        return case

    @classmethod
    def open(cls, root: Path, *, writable: bool = True, clock: Clock = utc_now) -> Case:
        """Open an existing case; writable=True takes the writer lock and tidies crash leftovers."""
        root = Path(root)
        if not (root / DB_NAME).is_file():
            raise CaseNotFound(f"no case at {root} (case.sqlite not found)")
        if os.path.islink(root / DB_NAME):  # SQLite would write through it to the target
            raise CaseError(f"{root / DB_NAME} is a link, not a case database; not opened")
        case = cls._connect(root, writable=writable, clock=clock)
        if writable:
            case._tidy_originals()
            case.damaged_originals = case._check_originals()
            try:  # user corrections an older version kept under derived/ move into the case
                adopt_legacy_files(case)
            except (OSError, sqlite3.Error):  # a full disk must not keep the case closed
                log.warning("OCR corrections under derived/ocr not moved yet", exc_info=True)
        return case

    def _tidy_originals(self) -> None:
        """Sweep crash leftovers; say what was kept aside in recovered/ (never deleted)."""
        conn = self._conn
        recorded = [
            e.detail.get("sha256", "") for e in audit.entries(conn) if e.action == "item.import"
        ]
        stamp = self._clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        swept = vault.sweep(self.root, self._vault_paths(), recorded, stamp=stamp)
        if swept.removed:
            log.info("removed %d leftover file(s) from an interrupted import", len(swept.removed))
        for link in swept.links[:5]:
            log.warning("%s is a link in the originals folder: not followed; run verify", link)
        self.recovered = tuple(vault.recovered_files(self.root))
        if swept.recovered:
            log.warning(
                "%d original(s) that case.sqlite does not list (a restored or older case.sqlite?) "
                "were moved to %s/, not deleted",
                len(swept.recovered),
                swept.recovered[0].rsplit("/", 1)[0],
            )
        if self.recovered:
            log.warning(
                "%d file(s) in %s are not in this case: `evidence-desk recover %s` imports "
                "them back",
                len(self.recovered),
                self.root / vault.RECOVERED,
                self.root,
            )

    def _check_originals(self) -> tuple[OriginalProblem, ...]:
        """Stat every original (no hashing: ~50 ms for 10,000 items); warn about the damaged."""
        found = []
        rows = self._conn.execute("SELECT id, vault_path, size FROM items ORDER BY id")
        for item_id, rel, size in rows:
            try:
                actual = vault.original_path(self.root, rel).stat().st_size
            except UnsafeStoredPath:
                found.append(OriginalProblem(item_id, rel, "unsafe"))
                continue
            except OSError:
                found.append(OriginalProblem(item_id, rel, "missing"))
                continue
            if actual != size:
                found.append(OriginalProblem(item_id, rel, "size_changed"))
        said = {
            "missing": "is missing",
            "size_changed": "has changed size since it was imported",
            "unsafe": "is recorded outside originals/ or through a link (not read)",
        }
        for damaged in found[:5]:
            log.warning(
                "item %d: the original %s %s (changed outside EvidenceDesk?); run verify",
                damaged.item_id,
                damaged.vault_path,
                said[damaged.problem],
            )
        if len(found) > 5:
            log.warning("%d more originals are missing or changed; run verify", len(found) - 5)
        return tuple(found)

    @classmethod
    def _connect(cls, root: Path, *, writable: bool, clock: Clock) -> Case:
        lock = None
        if writable:
            lock = WriterLock(root)
            lock.acquire()
        try:
            conn = _open_database(root / DB_NAME, writable)
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=5000")
            if writable:
                migrate(conn)
        except Exception:
            if lock:
                lock.release()
            raise
        return cls(root, conn, lock, clock)

    def close(self) -> None:
        """Close the database and release the writer lock."""
        self._conn.close()
        if self._lock:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ------------------------------------------------------------------------------

    def now(self) -> str:
        """The case clock's current time as UTC ISO 8601."""
        return self._clock().astimezone(UTC).isoformat(timespec="seconds")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT, ROLLBACK on any error)."""
        if self._lock is None:
            raise CaseError("this case was opened read-only")
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            audit.begin(self._conn)  # rows noted outside an audited change are not this one's
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection, for other core modules' queries (not for the UI)."""
        return self._conn

    def path_of(self, item: Item) -> Path:
        """Absolute path of an item's byte-exact original (it may be missing).

        Raises:
            UnsafeStoredPath: the recorded path leaves originals/ or goes through a link; the
                item must not be read (a per-item error: the rest of a batch goes on).
        """
        return vault.original_path(self.root, item.vault_path)

    def derived_dir(self, name: str) -> Path:
        """A folder under derived/ (created when missing).

        Raises:
            UnsafeStoredPath: derived/ or the folder is a link (nothing is written through it).
        """
        vault.derived_path(self.root, f"{DERIVED}/{name}")
        path = self.root / DERIVED / name
        path.mkdir(parents=True, exist_ok=True)
        return vault.derived_path(self.root, f"{DERIVED}/{name}")

    def _vault_paths(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT vault_path FROM items")]

    # -- reading -------------------------------------------------------------------------------

    def info(self) -> CaseInfo:
        """What the case is about."""
        row = self._conn.execute(
            "SELECT title, order_no, dispute, role, timezone, created_at "
            "FROM case_info WHERE id = 1"
        ).fetchone()
        if row is None:
            raise CaseError(f"{self.root} has no case record")
        return CaseInfo(*row)

    def items(self) -> list[Item]:
        """Every item, in import order."""
        return [_item(r) for r in self._conn.execute(_ITEM_SELECT + " ORDER BY i.id")]

    def item(self, ref: str | int) -> Item:
        """One item by id or by a unique prefix (>= 6 hex digits) of its SHA-256."""
        text = str(ref).strip()
        if text.isdigit() and len(text) < 6:
            rows = self._conn.execute(_ITEM_SELECT + " WHERE i.id = ?", (int(text),)).fetchall()
        else:
            rows = self._conn.execute(
                _ITEM_SELECT + " WHERE i.sha256 LIKE ?", (text.lower() + "%",)
            ).fetchall()
        if len(rows) != 1:
            raise ItemNotFound(
                f"no single item matches {text!r}" + (" (ambiguous prefix)" if rows else "")
            )
        return _item(rows[0])

    def find_sha256(self, sha256: str) -> int | None:
        """The id of the item with these bytes, if any."""
        row = self._conn.execute("SELECT id FROM items WHERE sha256 = ?", (sha256,)).fetchone()
        return int(row[0]) if row else None

    # -- writing -------------------------------------------------------------------------------

    def add_item(self, new: NewItem) -> int:
        """Record an original already moved into the vault; returns its id."""
        ct = new.capture_time
        with self.transaction() as conn:
            cur = conn.execute(
                """INSERT INTO items (sha256, size, kind, kind_source, format, vault_path,
                       original_name, imported_at, file_mtime, capture_local, capture_offset_min,
                       capture_source, capture_confidence, capture_note, metadata_json, read_error)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (
                    new.sha256,
                    new.size,
                    new.kind.value,
                    new.kind_source,
                    new.format,
                    new.vault_path,
                    new.original_name,
                    self.now(),
                    new.file_mtime,
                    ct.local.isoformat() if ct else None,
                    ct.offset_minutes if ct else None,
                    ct.source.value if ct else None,
                    ct.confidence if ct else None,
                    ct.note if ct else None,
                    json.dumps(new.metadata, ensure_ascii=False),
                    new.read_error,
                ),
            )
            item_id = int(cur.lastrowid or 0)
            audit.append(
                conn,
                self.now(),
                "item.import",
                item_id,
                {
                    "sha256": new.sha256,
                    "size": new.size,
                    "kind": new.kind.value,
                    "name": new.original_name,
                },
            )
        return item_id

    def set_note(self, ref: str | int, text: str) -> Item:
        """Set (or clear, with empty text) an item's short note."""
        item = self.item(ref)
        with self.transaction() as conn:
            if text.strip():
                conn.execute(
                    "INSERT INTO notes (item_id, text, updated_at) VALUES (?,?,?) "
                    "ON CONFLICT(item_id) DO UPDATE SET text = excluded.text, updated_at = "
                    "excluded.updated_at",
                    (item.id, text.strip(), self.now()),
                )
            else:
                conn.execute("DELETE FROM notes WHERE item_id = ?", (item.id,))
            audit.append(conn, self.now(), "item.note", item.id, {"text": text.strip()})
        return self.item(item.id)

    def set_kind(self, ref: str | int, kind: ItemKind) -> Item:
        """Correct an item's kind by hand."""
        item = self.item(ref)
        with self.transaction() as conn:
            conn.execute(
                "UPDATE items SET kind = ?, kind_source = 'user' WHERE id = ?",
                (kind.value, item.id),
            )
            audit.append(
                conn, self.now(), "item.kind", item.id, {"from": item.kind.value, "to": kind.value}
            )
        return self.item(item.id)

    def audit_entries(self) -> list[audit.AuditEntry]:
        """The audit log, oldest first."""
        return audit.entries(self._conn)


def _open_database(path: Path, writable: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.OperationalError:
        conn.close()
        if writable or os.access(path.parent, os.W_OK):
            raise
        # A read-only folder (a CD, a read-only share): SQLite cannot make the WAL's index file
        # there, and nobody can write to the case either, so it is read as immutable.
        log.info("%s is in a read-only folder; reading it as immutable", path)
        uri = f"{path.resolve().as_uri()}?immutable=1"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    return conn


_ITEM_SELECT = """
    SELECT i.id, i.sha256, i.size, i.kind, i.kind_source, i.format, i.vault_path, i.original_name,
           i.imported_at, i.file_mtime, i.capture_local, i.capture_offset_min, i.capture_source,
           i.capture_confidence, i.capture_note, i.metadata_json, i.read_error, COALESCE(n.text, '')
    FROM items i LEFT JOIN notes n ON n.item_id = i.id
"""


def _item(row: tuple[Any, ...]) -> Item:
    capture = None
    if row[10]:
        capture = CaptureTime(
            local=datetime.fromisoformat(row[10]),
            offset_minutes=row[11],
            source=TimeSource(row[12]),
            confidence=row[13] or "medium",
            note=row[14] or "",
        )
    return Item(
        id=row[0],
        sha256=row[1],
        size=row[2],
        kind=ItemKind(row[3]),
        kind_source=row[4],
        format=row[5],
        vault_path=row[6],
        original_name=row[7],
        imported_at=row[8],
        file_mtime=row[9],
        capture_time=capture,
        metadata_json=row[15],
        read_error=row[16],
        note=row[17],
    )
