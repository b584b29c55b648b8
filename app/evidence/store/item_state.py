"""Taking an item back: remove it from the case, leave it out of exports, correct its kind.

Each change is one undoable edit (app.evidence.store.undo: a transaction, an audit row and
an undo step) so the window's Ctrl+Z and the command line's `undo` take it back.

* removed: the item leaves the timeline, the checklists and every export; its original stays in
  the vault (and `verify` still checks it) until the user empties the removed list, which
  deletes the original and the item's rows and writes an ``item.purge`` audit row, so `verify`
  knows an emptied item from one that went missing.
* excluded: the item stays on the timeline, marked, but no export contains it.
* kind: a photo filed as a screenshot (or chat text as tracking) corrected by hand.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.evidence.errors import CaseError
from app.evidence.i18n import tr
from app.evidence.labels import KIND
from app.evidence.models import Item, ItemKind
from app.evidence.store import audit
from app.evidence.store.case import Case

REMOVED = "removed"
EXCLUDED = "excluded"

# the one kind table (app/evidence/labels.py), English as it reads inside a sentence
KIND_NAMES = {kind: (zh, en.lower()) for kind, (zh, en) in KIND.items()}


@dataclass(frozen=True)
class Purged:
    """What emptying the removed list did."""

    items: tuple[str, ...]  # original names of the items deleted
    files_left: tuple[str, ...]  # originals that could not be deleted (one line each)


def item_states(conn: sqlite3.Connection) -> dict[int, str]:
    """item id -> "removed" / "excluded" (empty for a case older than schema 8)."""
    try:
        return {int(i): str(s) for i, s in conn.execute("SELECT item_id, state FROM item_states")}
    except sqlite3.OperationalError:  # no such table: a read-only case on an older schema
        return {}


def removed_ids(conn: sqlite3.Connection) -> set[int]:
    return {i for i, s in item_states(conn).items() if s == REMOVED}


def export_skipped_ids(conn: sqlite3.Connection) -> set[int]:
    """Items no export may contain: removed and excluded ones."""
    return set(item_states(conn))


def removed_items(case: Case) -> list[Item]:
    """The removed list (originals still in the vault), in import order."""
    gone = removed_ids(case.connection)
    return [item for item in case.items() if item.id in gone]


def parse_kind(text: str) -> ItemKind:
    """A kind as typed: photo, video, screenshot, tracking, document, or its Chinese name."""
    key = text.strip().lower()
    for kind, (zh, en) in KIND_NAMES.items():
        if key in {kind.value, zh, en}:
            return kind
    if key in {"截屏", "聊天截图", "物流", "chat"}:
        return ItemKind.TRACKING if key == "物流" else ItemKind.SCREENSHOT
    raise CaseError(
        tr(
            "不认识的类型“{text}”；可用：照片、视频、截图、物流记录、文档",
            "unknown kind {text!r}; use photo, video, screenshot, tracking or document",
            text=text,
        )
    )


def empty_removed(case: Case) -> Purged:
    """Delete the removed items for good: their rows (not undoable) and their originals.

    One ``item.purge`` audit row per item names its SHA-256, so `verify` reports these as
    emptied by the user, not as missing. An original that cannot be deleted is named; it is
    left in place and the next open moves it to recovered/ (nothing is ever silently lost).
    """
    gone = removed_items(case)
    if not gone:
        return Purged((), ())
    paths: list[tuple[Item, Path | None]] = []
    for item in gone:
        try:
            paths.append((item, case.path_of(item)))
        except Exception:  # noqa: BLE001 - an unsafe stored path: the row goes, nothing is read
            paths.append((item, None))
    with case.transaction() as conn:
        for item in gone:
            conn.execute("DELETE FROM item_states WHERE item_id = ?", (item.id,))
            conn.execute("DELETE FROM items WHERE id = ?", (item.id,))
            audit.append(
                conn,
                case.now(),
                "item.purge",
                item.id,
                {"sha256": item.sha256, "name": item.original_name},
            )
    left: list[str] = []
    for item, path in paths:
        if path is None:
            continue
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            left.append(f"{item.original_name}: {exc.strerror or exc}")
    return Purged(tuple(item.original_name for item, _ in paths), tuple(left))


def purged(conn: sqlite3.Connection) -> set[tuple[int | None, str | None]]:
    """(item id, sha256) of every item emptied from the removed list, from the audit log."""
    return {
        (entry.item_id, entry.detail.get("sha256"))
        for entry in audit.entries(conn)
        if entry.action == "item.purge"
    }


def next_steps(conn: sqlite3.Connection) -> tuple[str | None, str | None]:
    """Labels of what Ctrl+Z and Ctrl+Y would take back / bring back (None: nothing)."""
    try:
        undo_row = conn.execute(
            "SELECT label FROM undo_log WHERE state = 'done' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        redo_row = conn.execute(
            "SELECT label FROM undo_log WHERE state = 'undone' ORDER BY id ASC LIMIT 1"
        ).fetchone()
    except sqlite3.OperationalError:  # a case older than the undo log
        return None, None
    return (undo_row[0] if undo_row else None), (redo_row[0] if redo_row else None)
