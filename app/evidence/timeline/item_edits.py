"""Taking items back, as edits: remove, restore, leave out of exports, correct the kind.

Each is one undoable, audited edit (timeline/undo.py) naming the item as the timeline shows it
(证据3). The state itself (which items are removed or excluded, the removed list, emptying it)
is kept by store/item_state.py, whose names are handed on here so a front end needs one module.
"""

from __future__ import annotations

from app.evidence.models import Item, ItemKind
from app.evidence.store.case import Case
from app.evidence.store.item_state import (
    EXCLUDED,
    KIND_NAMES,
    REMOVED,
    Purged,
    empty_removed,
    export_skipped_ids,
    item_states,
    next_steps,
    parse_kind,
    purged,
    removed_ids,
    removed_items,
)
from app.evidence.store.undo import edit
from app.evidence.timeline.build import build_timeline
from app.evidence.timeline.refs import find_item

__all__ = [
    "EXCLUDED",
    "KIND_NAMES",
    "REMOVED",
    "Purged",
    "empty_removed",
    "export_skipped_ids",
    "item_name",
    "item_states",
    "next_steps",
    "parse_kind",
    "purged",
    "remove_item",
    "removed_ids",
    "removed_items",
    "restore_item",
    "set_excluded",
    "set_item_kind",
]


def item_name(case: Case, item: Item) -> str:
    """The name the user knows an item by: its exhibit label (证据3), else its file name."""
    try:
        for entry in build_timeline(case).visible():
            if entry.is_item and entry.item_id == item.id and entry.exhibit_label:
                return entry.exhibit_label
    except Exception:  # noqa: BLE001 - a name is a convenience; the file name always works
        pass
    return item.original_name


def _set_state(case: Case, ref: str | int, state: str | None, verb_zh: str, action: str) -> Item:
    item = find_item(case, ref)
    label = f"{verb_zh} {item_name(case, item)}"
    detail = {"sha256": item.sha256, "name": item.original_name, "state": state}
    with edit(case, action, label, detail, item.id) as (conn, rec):
        rec.touch("item_states", item.id)
        if state is None:
            conn.execute("DELETE FROM item_states WHERE item_id = ?", (item.id,))
        else:
            conn.execute(
                "INSERT INTO item_states (item_id, state, changed_at) VALUES (?,?,?)"
                " ON CONFLICT(item_id) DO UPDATE SET state = excluded.state,"
                " changed_at = excluded.changed_at",
                (item.id, state, case.now()),
            )
    return case.item(item.id)


def remove_item(case: Case, ref: str | int) -> Item:
    """Take an item out of the case (undoable); its original stays until the list is emptied."""
    return _set_state(case, ref, REMOVED, "删除", "item.remove")


def restore_item(case: Case, ref: str | int) -> Item:
    """Bring a removed or excluded item back (undoable)."""
    return _set_state(case, ref, None, "恢复", "item.restore")


def set_excluded(case: Case, ref: str | int, excluded: bool = True) -> Item:
    """Leave an item out of every export (or take it back in); it stays on the timeline."""
    if excluded:
        return _set_state(case, ref, EXCLUDED, "不导出", "item.exclude")
    return _set_state(case, ref, None, "恢复导出", "item.include")


def set_item_kind(case: Case, ref: str | int, kind: ItemKind | str) -> Item:
    """Correct an item's kind by hand (undoable; the checks and timeline follow the new kind)."""
    kind = parse_kind(kind) if isinstance(kind, str) else kind
    item = find_item(case, ref)
    zh = KIND_NAMES[kind][0]
    label = f"改为{zh} {item_name(case, item)}"
    detail = {"from": item.kind.value, "to": kind.value, "sha256": item.sha256}
    with edit(case, "item.kind", label, detail, item.id) as (conn, rec):
        rec.touch("items", item.id)
        conn.execute(
            "UPDATE items SET kind = ?, kind_source = 'user' WHERE id = ?", (kind.value, item.id)
        )
    return case.item(item.id)
