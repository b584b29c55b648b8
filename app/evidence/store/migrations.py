"""Numbered schema migrations for case.sqlite.

`PRAGMA user_version` holds the number of the last migration applied. Migrations only ever
append: a released migration is never edited, so a case made by any older version opens.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime

from app.evidence.errors import SchemaTooNew
from app.evidence.store import audit


def _state_triggers(tables: tuple[str, ...], *, first: bool) -> str:
    """Migrations 7 and 9: audit rows record the state they leave (app.evidence.store.audit).

    audit_pending notes, for each covered row a transaction touches, its key and its fields as
    they were at the first touch (NULL: the row did not exist); the audit row written at the
    end of the transaction hashes those rows, compares the "before" with audit_state (what the
    log last recorded) and updates audit_state. Every row present at the upgrade is noted (as
    new), so the first audit row written after it records the case as it was then.

    Args:
        tables: the tables this migration covers (a frozen list: a released migration never
            changes).
        first: migration 7, which also adds the state column and the two tables.
    """
    # IF NOT EXISTS and the emptied tables: a case whose user_version was set back (tests
    # make "older" cases that way) gets the same result as a real upgrade
    parts = []
    if first:
        parts = [
            "ALTER TABLE audit_log ADD COLUMN state TEXT",
            "CREATE TABLE IF NOT EXISTS audit_pending (tbl TEXT NOT NULL, key TEXT NOT NULL,"
            " before TEXT, PRIMARY KEY (tbl, key)) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS audit_state (tbl TEXT NOT NULL, key TEXT NOT NULL,"
            " fields TEXT NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID",
            "DELETE FROM audit_pending",
            "DELETE FROM audit_state",
        ]
    else:
        parts = [f"DELETE FROM audit_state WHERE tbl = '{t}'" for t in tables]
    note = (
        "INSERT INTO audit_pending (tbl, key, before) SELECT '{t}', CAST({k} AS TEXT), {b}"
        " WHERE NOT EXISTS (SELECT 1 FROM audit_pending WHERE tbl = '{t}'"
        " AND key = CAST({k} AS TEXT));"
    )
    for table in tables:
        keys, fields = audit.COVERED[table]
        old = "json_array(" + ", ".join(f"OLD.{f}" for f in fields) + ")"
        old_key, new_key = audit.key_sql(keys, "OLD."), audit.key_sql(keys, "NEW.")
        parts += [
            f"CREATE TRIGGER IF NOT EXISTS audit_{table}_insert AFTER INSERT ON {table} BEGIN "
            + note.format(t=table, k=new_key, b="NULL")
            + " END",
            f"CREATE TRIGGER IF NOT EXISTS audit_{table}_update BEFORE UPDATE ON {table} BEGIN "
            + note.format(t=table, k=old_key, b=old)
            + " "
            + note.format(t=table, k=new_key, b="NULL")
            + " END",
            f"CREATE TRIGGER IF NOT EXISTS audit_{table}_delete BEFORE DELETE ON {table} BEGIN "
            + note.format(t=table, k=old_key, b=old)
            + " END",
            f"INSERT OR IGNORE INTO audit_pending (tbl, key, before) SELECT '{table}',"
            f" CAST({audit.key_sql(keys)} AS TEXT), NULL FROM {table}",
        ]
    return ";\n".join(parts) + ";\n"


# Migration 7's tables, frozen with it.
_STATE_TABLES_7 = (
    "case_info",
    "items",
    "notes",
    "events",
    "event_notes",
    "timeline_entries",
    "phase_labels",
    "case_dates",
    "case_summary",
    "submissions",
    "checklist_ticks",
    "redactions",
    "ocr_corrections",
    "findings",
)
_STATE_MIGRATIONS = {audit.STATE_SCHEMA, 9, 10}  # each records the state of what it covers

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE case_info (
            id          INTEGER PRIMARY KEY CHECK (id = 1),
            title       TEXT NOT NULL,
            order_no    TEXT,
            dispute     TEXT,
            role        TEXT NOT NULL DEFAULT 'buyer',
            created_at  TEXT NOT NULL
        );
        CREATE TABLE items (
            id                  INTEGER PRIMARY KEY,
            sha256              TEXT NOT NULL UNIQUE,
            size                INTEGER NOT NULL,
            kind                TEXT NOT NULL,
            format              TEXT NOT NULL,
            vault_path          TEXT NOT NULL,
            original_name       TEXT NOT NULL,
            imported_at         TEXT NOT NULL,
            file_mtime          TEXT,
            capture_local       TEXT,
            capture_offset_min  INTEGER,
            capture_source      TEXT,
            capture_confidence  TEXT,
            capture_note        TEXT,
            metadata_json       TEXT NOT NULL,
            read_error          TEXT
        );
        CREATE TABLE audit_log (
            seq        INTEGER PRIMARY KEY,
            at         TEXT NOT NULL,
            action     TEXT NOT NULL,
            item_id    INTEGER,
            detail     TEXT NOT NULL,
            prev_hash  TEXT NOT NULL,
            hash       TEXT NOT NULL
        );
        """,
    ),
    (
        2,
        # Notes and user corrections of the sniffed kind arrived after the first schema.
        """
        ALTER TABLE items ADD COLUMN kind_source TEXT NOT NULL DEFAULT 'sniffed';
        ALTER TABLE case_info ADD COLUMN timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai';
        CREATE TABLE notes (
            item_id     INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            text        TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        """,
    ),
    (
        3,
        # Timeline, dispute profiles and appeal rounds (issue 5). Entries are addressed by a text
        # key, 'item:<id>' or 'event:<id>', so one table holds the state of both kinds. Times are
        # kept as recorded: naive local ISO + the UTC offset in minutes (NULL = unknown).
        """
        CREATE TABLE events (
            id               INTEGER PRIMARY KEY,
            item_id          INTEGER REFERENCES items(id) ON DELETE CASCADE,
            kind             TEXT NOT NULL,
            source           TEXT NOT NULL,
            time_local       TEXT,
            time_offset_min  INTEGER,
            time_confidence  TEXT,
            text             TEXT NOT NULL DEFAULT '',
            raw_line         TEXT,
            line_no          INTEGER,
            payload_json     TEXT NOT NULL DEFAULT '{}',
            created_at       TEXT NOT NULL,
            deleted_at       TEXT
        );
        CREATE INDEX events_by_item ON events(item_id);
        CREATE TABLE event_notes (
            event_id    INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
            text        TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE TABLE timeline_entries (
            entry               TEXT PRIMARY KEY,
            phase               TEXT,
            manual_local        TEXT,
            manual_offset_min   INTEGER,
            manual_reason       TEXT,
            manual_set_at       TEXT,
            sort_key            INTEGER,
            exhibit_no          INTEGER,
            hidden              INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE phase_labels (
            phase  TEXT PRIMARY KEY,
            zh     TEXT NOT NULL,
            en     TEXT
        );
        CREATE TABLE case_dates (
            name        TEXT PRIMARY KEY,
            local       TEXT NOT NULL,
            offset_min  INTEGER,
            has_time    INTEGER NOT NULL DEFAULT 1,
            note        TEXT NOT NULL DEFAULT '',
            updated_at  TEXT NOT NULL
        );
        CREATE TABLE case_summary (
            id          INTEGER PRIMARY KEY CHECK (id = 1),
            shop        TEXT,
            item_title  TEXT,
            amount      TEXT,
            currency    TEXT NOT NULL DEFAULT 'CNY',
            claim       TEXT,
            category    TEXT,
            statement   TEXT NOT NULL DEFAULT '',
            updated_at  TEXT NOT NULL
        );
        CREATE TABLE submissions (
            id              INTEGER PRIMARY KEY,
            kind            TEXT NOT NULL,
            submitted_at    TEXT NOT NULL,
            export_ref      TEXT,
            entries_json    TEXT NOT NULL DEFAULT '[]',
            note            TEXT NOT NULL DEFAULT '',
            ruling_date     TEXT,
            ruling_outcome  TEXT,
            ruling_points   TEXT NOT NULL DEFAULT '',
            created_at      TEXT NOT NULL
        );
        CREATE TABLE checklist_ticks (
            profile     TEXT NOT NULL,
            check_id    TEXT NOT NULL,
            state       TEXT NOT NULL,
            note        TEXT NOT NULL DEFAULT '',
            updated_at  TEXT NOT NULL,
            PRIMARY KEY (profile, check_id)
        );
        CREATE TABLE undo_log (
            id            INTEGER PRIMARY KEY,
            at            TEXT NOT NULL,
            action        TEXT NOT NULL,
            label         TEXT NOT NULL,
            changes_json  TEXT NOT NULL,
            state         TEXT NOT NULL DEFAULT 'done'
        );
        """,
    ),
    (
        4,
        # Integrity findings and verdicts: from the per-file checks, from stitching chat
        # screenshots and from cross-item checks. Rebuilt by re-running the checks.
        """
        ALTER TABLE items ADD COLUMN verdict TEXT;
        CREATE TABLE findings (
            id              INTEGER PRIMARY KEY,
            item_id         INTEGER REFERENCES items(id) ON DELETE CASCADE,
            origin          TEXT NOT NULL,
            code            TEXT NOT NULL,
            severity        TEXT NOT NULL,
            title_zh        TEXT NOT NULL,
            title_en        TEXT NOT NULL,
            explanation_zh  TEXT NOT NULL,
            explanation_en  TEXT NOT NULL,
            false_positives TEXT NOT NULL DEFAULT '',
            params_json     TEXT NOT NULL DEFAULT '{}',
            created_at      TEXT NOT NULL
        );
        CREATE INDEX findings_item ON findings(item_id);
        """,
    ),
    (
        5,
        # Redaction regions (issue 9): rectangles in the upright original's pixels, applied only
        # to exported copies. frame_ms picks a video keyframe (NULL: every keyframe); page is for
        # multi-page items; a row without a rectangle masks text only (a pasted tracking record).
        """
        CREATE TABLE redactions (
            id          INTEGER PRIMARY KEY,
            item_id     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            page        INTEGER,
            frame_ms    INTEGER,
            x           INTEGER,
            y           INTEGER,
            w           INTEGER,
            h           INTEGER,
            kind        TEXT NOT NULL,
            state       TEXT NOT NULL,
            reason      TEXT NOT NULL,
            text        TEXT,
            masked      TEXT,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE INDEX redactions_item ON redactions(item_id);
        """,
    ),
    (
        6,
        # The user's corrections of OCR lines (issue 7): user data, so in the case and not in
        # derived/ocr beside the rebuildable OCR cache. One row per corrected line; ocr_text is
        # what the line read when corrected (a re-run OCR that reads otherwise drops the row's
        # effect, never attaches it to another line). Files kept by older versions are adopted
        # on the first writable open (app.evidence.store.ocr_corrections).
        """
        CREATE TABLE ocr_corrections (
            item_id       INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            line          INTEGER NOT NULL,
            ocr_text      TEXT NOT NULL,
            text          TEXT NOT NULL,
            corrected_at  TEXT NOT NULL,
            PRIMARY KEY (item_id, line)
        );
        """,
    ),
    # Audit rows record the state each change leaves (issue 15): verify replays them and names
    # a field edited in case.sqlite outside the app. Edits made before this migration ran are
    # not detected: the first audit row after it records the case as it was then.
    (audit.STATE_SCHEMA, _state_triggers(_STATE_TABLES_7, first=True)),
    (
        8,
        # Items the user removed from the case or left out of exports (issue 19,
        # app.evidence.store.item_state). A removed item's original stays in the vault until
        # the user empties the removed list; verify tells it apart from a missing one.
        """
        CREATE TABLE IF NOT EXISTS item_states (
            item_id     INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            state       TEXT NOT NULL CHECK (state IN ('removed', 'excluded')),
            changed_at  TEXT NOT NULL
        );
        """,
    ),
    # The removed/excluded state of items (migration 8) joins the audit state (issue 15):
    # verify names a state set or cleared in case.sqlite outside the app.
    (9, _state_triggers(("item_states",), first=False)),
    # The phone folder an item was imported from (issue 22, app.evidence.store.folder_hints):
    # a hint shown beside the item, not evidence; covered by the audit state from the start,
    # so verify names a hint added or changed outside the app.
    (
        10,
        """
        CREATE TABLE IF NOT EXISTS item_folder_hints (
            item_id       INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            folder        TEXT NOT NULL,
            source_class  TEXT NOT NULL,
            recorded_at   TEXT NOT NULL
        );
        """
        + _state_triggers(("item_folder_hints",), first=False),
    ),
]

LATEST = MIGRATIONS[-1][0]


def schema_version(conn: sqlite3.Connection) -> int:
    """The number of the last migration applied to this database."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST) -> int:
    """Apply every migration above the current version up to `target`, each in one transaction.

    Returns:
        The schema version afterwards.

    Raises:
        SchemaTooNew: the database was written by a newer EvidenceDesk.
    """
    current = schema_version(conn)
    if current > LATEST:
        raise SchemaTooNew(
            f"this case uses schema {current}; this EvidenceDesk knows up to {LATEST}. "
            "Open it with a newer version."
        )
    for number, sql in MIGRATIONS:
        if current < number <= target:
            # executescript would commit on its own; run statements inside one explicit transaction.
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(sql):
                    if not _column_exists(conn, statement):
                        conn.execute(statement)
                if number in _STATE_MIGRATIONS and _pending(conn):
                    # the case as it is at the upgrade becomes the state verify compares with
                    at = datetime.now(UTC).isoformat(timespec="seconds")
                    audit.append(conn, at, "audit.state_recorded", None, {"schema": number})
                conn.execute(f"PRAGMA user_version = {number}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            current = number
    return current


_ADD_COLUMN = re.compile(r"^\s*ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+)", re.I)


def _column_exists(conn: sqlite3.Connection, statement: str) -> bool:
    """True for an ADD COLUMN whose column is there already (a version number set back)."""
    match = _ADD_COLUMN.match(statement)
    if match is None:
        return False
    table, column = match.groups()
    return column in {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def _pending(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM audit_pending LIMIT 1").fetchone() is not None


def _statements(sql: str) -> list[str]:
    """Split a script into statements (a trigger's body keeps its own semicolons)."""
    statements: list[str] = []
    current = ""
    for piece in sql.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \n\t;"):
                statements.append(current.strip())
            current = ""
    if current.strip(" \n\t;"):
        statements.append(current.strip())
    return statements
