"""The phone folder each item was imported from: a hint, never evidence (issue 22).

When files come from a phone's storage (a mounted phone or a copied DCIM folder), the folder a
file sat in ("DCIM/Camera", "Pictures/WeiXin") says where it most likely came from: the camera,
a screenshot, a chat app. That is a hint for the person assembling the case, not a finding: a
folder name proves nothing about a file's history, so it never feeds the checks, the verdicts or
the exports' evidence. It is kept in its own table (migration 10), written in one audited
transaction per import, and covered by the audit state like every other recorded field, so
`verify` names a hint added or changed outside the app.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.evidence.store import audit
from app.evidence.store.case import Case

TABLE = "item_folder_hints"
MAX_FOLDER = 260  # a folder path longer than this is cut (a hint, not a record of the path)


@dataclass(frozen=True)
class FolderHint:
    """Where on the phone an item's file was found.

    Attributes:
        folder: the folder relative to the phone's storage, "/"-separated ("DCIM/Camera").
        source_class: "camera", "screenshot", "chat_app", "other_app" or "unknown".
    """

    item_id: int
    folder: str
    source_class: str


def has_table(conn: sqlite3.Connection) -> bool:
    """True when the case has the hints table (schema 10 or later)."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).fetchone()
    return row is not None


def record_hints(case: Case, hints: Mapping[int, tuple[str, str]]) -> int:
    """Record the phone folder of newly imported items, in one audited transaction.

    An item that already has a hint keeps it (the first import said where it came from).

    Args:
        hints: item id -> (folder, source class).

    Returns:
        How many hints were recorded.
    """
    if not hints:
        return 0
    at = case.now()
    recorded: dict[str, list[str]] = {}
    with case.transaction() as conn:
        for item_id, (folder, source_class) in sorted(hints.items()):
            cur = conn.execute(
                f"INSERT OR IGNORE INTO {TABLE} (item_id, folder, source_class, recorded_at)"
                " VALUES (?,?,?,?)",
                (int(item_id), folder[:MAX_FOLDER], source_class, at),
            )
            if cur.rowcount:
                recorded[str(item_id)] = [folder[:MAX_FOLDER], source_class]
        if recorded:
            audit.append(conn, at, "item.folder_hint", None, {"items": recorded})
    return len(recorded)


def hints_for(
    conn: sqlite3.Connection, item_ids: Iterable[int] | None = None
) -> dict[int, FolderHint]:
    """The hints of these items (all items when None); items without one are absent."""
    if not has_table(conn):
        return {}
    select = f"SELECT item_id, folder, source_class FROM {TABLE}"
    if item_ids is None:
        rows = conn.execute(select).fetchall()
    else:
        wanted = [int(i) for i in item_ids]
        rows = []
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            marks = ",".join("?" for _ in part)
            rows += conn.execute(f"{select} WHERE item_id IN ({marks})", part).fetchall()
    return {int(r[0]): FolderHint(int(r[0]), str(r[1]), str(r[2])) for r in rows}
