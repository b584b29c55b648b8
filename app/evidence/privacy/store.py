"""Redactions in case.sqlite: add, move, resize, remove, accept, reject and list them.

Every change is one undoable edit (`app.evidence.store.undo.edit`): one transaction, one
audit row, one step that Ctrl+Z (or `evidence-desk undo`) reverts. Audit rows name the
redaction, its reason and rectangle, never the text it hides: the audit log is shown in the
window and copied with the case. A case opened read-only on a schema older than migration 5
simply has no redactions.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from app.evidence.i18n import tr
from app.evidence.models import ItemKind
from app.evidence.privacy.model import (
    Origin,
    PrivacyError,
    Reason,
    Rect,
    Redaction,
    RedactionNotFound,
    State,
    Suggestion,
)
from app.evidence.store.case import Case
from app.evidence.store.undo import edit

log = logging.getLogger(__name__)

PIXEL_KINDS = {ItemKind.PHOTO, ItemKind.SCREENSHOT, ItemKind.VIDEO, ItemKind.DOCUMENT}
_COLUMNS = (
    "id, item_id, page, frame_ms, x, y, w, h, kind, state, reason, text, masked,"
    " created_at, updated_at"
)


def has_redaction_table(conn: sqlite3.Connection) -> bool:
    """True when migration 5 was applied."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'redactions'"
    ).fetchone()
    return row is not None


def list_redactions(
    case: Case, item: str | int | None = None, *, states: Iterable[State] | None = None
) -> list[Redaction]:
    """Redactions of one item (by id or SHA-256 prefix) or of the whole case, oldest first."""
    conn = case.connection
    if not has_redaction_table(conn):
        return []
    where: list[str] = []
    args: list[object] = []
    if item is not None:
        where.append("item_id = ?")
        args.append(case.item(item).id)
    if states is not None:
        wanted = [State(s).value for s in states]
        where.append(f"state IN ({','.join('?' for _ in wanted)})")
        args += wanted
    sql = f"SELECT {_COLUMNS} FROM redactions"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [_redaction(r) for r in conn.execute(sql + " ORDER BY id", args)]


def get_redaction(case: Case, redaction_id: int) -> Redaction:
    """One redaction by id.

    Raises:
        RedactionNotFound: no such id.
    """
    conn = case.connection
    row = None
    if has_redaction_table(conn):
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM redactions WHERE id = ?", (redaction_id,)
        ).fetchone()
    if row is None:
        raise RedactionNotFound(
            tr("没有编号为 {id} 的遮盖区域", "no redaction with id {id}", id=redaction_id)
        )
    return _redaction(row)


def add_redaction(
    case: Case,
    item: str | int,
    rect: Rect,
    *,
    reason: Reason = Reason.OTHER,
    page: int | None = None,
    frame_ms: int | None = None,
) -> Redaction:
    """Draw a region by hand (accepted at once): the export fills it with a solid colour.

    Args:
        item: item id or SHA-256 prefix.
        rect: in the upright original's pixels (a video: the decoded frame's pixels).
        page: 1-based page of a PDF document; only documents have pages. A long screenshot is
            one picture: its regions use the whole picture's pixels, whatever page they print on.
        frame_ms: a video's keyframe time; None covers every keyframe (a waybill held still).

    Raises:
        PrivacyError: a bad rectangle, or an item without pixels (a tracking text).
    """
    target = case.item(item)
    rect = rect.checked()
    if target.kind not in PIXEL_KINDS:
        raise PrivacyError(
            tr(
                "“{name}”没有图像可遮盖（请用文字遮盖）",
                "{name} has no pixels to cover (mask its text instead)",
                name=target.original_name,
            )
        )
    if page is not None and (target.kind is not ItemKind.DOCUMENT or page < 1):
        raise PrivacyError(
            tr(
                "只有 PDF 文档有页码",
                "only PDF documents have pages; a long screenshot is one picture",
            )
        )
    if frame_ms is not None and (target.kind is not ItemKind.VIDEO or frame_ms < 0):
        raise PrivacyError(tr("只有视频有帧时间", "only videos have frame times"))
    values = {
        "item_id": target.id,
        "page": page,
        "frame_ms": frame_ms,
        "x": rect.x,
        "y": rect.y,
        "w": rect.w,
        "h": rect.h,
        "kind": Origin.MANUAL.value,
        "state": State.ACCEPTED.value,
        "reason": Reason(reason).value,
    }
    (new_id,) = _insert(case, [values], "redaction.add", "添加遮盖区域", target.id)
    return get_redaction(case, new_id)


def add_text_redaction(
    case: Case, item: str | int, text: str, masked: str, *, reason: Reason = Reason.OTHER
) -> Redaction:
    """Mask a piece of text wherever the export prints it (a pasted tracking record, a note)."""
    target = case.item(item)
    if not text.strip():
        raise PrivacyError(tr("要遮盖的文字是空的", "the text to mask is empty"))
    values = {
        "item_id": target.id,
        "kind": Origin.MANUAL.value,
        "state": State.ACCEPTED.value,
        "reason": Reason(reason).value,
        "text": text,
        "masked": masked,
    }
    (new_id,) = _insert(case, [values], "redaction.add", "添加文字遮盖", target.id)
    return get_redaction(case, new_id)


def add_suggestions(case: Case, suggestions: Sequence[Suggestion]) -> list[Redaction]:
    """Store proposals for review (state suggested), as one undoable step; returns them."""
    if not suggestions:
        return []
    rows = [
        {
            "item_id": s.item_id,
            "frame_ms": s.frame_ms,
            "kind": Origin.SUGGESTED.value,
            "state": State.SUGGESTED.value,
            "reason": s.reason.value,
            "text": s.text,
            "masked": s.masked,
            **({"x": s.rect.x, "y": s.rect.y, "w": s.rect.w, "h": s.rect.h} if s.rect else {}),
        }
        for s in suggestions
    ]
    ids = _insert(case, rows, "redaction.suggest", f"建议遮盖 {len(rows)} 处", None)
    return [get_redaction(case, n) for n in ids]


def set_rect(case: Case, redaction_id: int, rect: Rect) -> Redaction:
    """Move and resize a region in one step (the end of a drag in the window)."""
    rect = rect.checked()
    current = get_redaction(case, redaction_id)
    if current.rect is None:
        raise PrivacyError(tr("文字遮盖没有区域可移动", "a text mask has no rectangle to move"))
    return _update(
        case,
        current,
        {"x": rect.x, "y": rect.y, "w": rect.w, "h": rect.h},
        "redaction.rect",
        "调整遮盖区域",
    )


def move_redaction(case: Case, redaction_id: int, x: int, y: int) -> Redaction:
    """Move a region's top-left corner, keeping its size."""
    rect = get_redaction(case, redaction_id).rect
    if rect is None:
        raise PrivacyError(tr("文字遮盖没有区域可移动", "a text mask has no rectangle to move"))
    return set_rect(case, redaction_id, replace(rect, x=x, y=y))


def resize_redaction(case: Case, redaction_id: int, w: int, h: int) -> Redaction:
    """Change a region's size, keeping its top-left corner."""
    rect = get_redaction(case, redaction_id).rect
    if rect is None:
        raise PrivacyError(tr("文字遮盖没有区域可调整", "a text mask has no rectangle to resize"))
    return set_rect(case, redaction_id, replace(rect, w=w, h=h))


def set_reason(case: Case, redaction_id: int, reason: Reason) -> Redaction:
    """Say what a region hides (the export summary counts by reason)."""
    current = get_redaction(case, redaction_id)
    return _update(
        case, current, {"reason": Reason(reason).value}, "redaction.reason", "修改遮盖原因"
    )


def accept(case: Case, redaction_ids: Iterable[int]) -> list[Redaction]:
    """Accept suggestions (or re-accept rejected ones): exports apply them. One undo step."""
    return _set_state(case, list(redaction_ids), State.ACCEPTED, "接受遮盖建议")


def reject(case: Case, redaction_ids: Iterable[int]) -> list[Redaction]:
    """Reject suggestions: not applied, but kept so a new suggestion run skips them."""
    return _set_state(case, list(redaction_ids), State.REJECTED, "拒绝遮盖建议")


def accept_all(case: Case, item: str | int | None = None) -> list[Redaction]:
    """Accept every pending suggestion (of one item, or of the case)."""
    pending = list_redactions(case, item, states=[State.SUGGESTED])
    return accept(case, [r.id for r in pending])


def remove_redaction(case: Case, redaction_id: int) -> Redaction:
    """Delete a region (undo brings it back); returns what was removed."""
    current = get_redaction(case, redaction_id)
    detail = {"redaction": current.id, "reason": current.reason.value}
    with edit(case, "redaction.remove", "删除遮盖区域", detail, current.item_id) as (conn, rec):
        rec.touch("redactions", current.id)
        conn.execute("DELETE FROM redactions WHERE id = ?", (current.id,))
    return current


def _insert(
    case: Case, rows: list[dict[str, Any]], action: str, label: str, item_id: int | None
) -> list[int]:
    if not has_redaction_table(case.connection):
        raise PrivacyError(
            tr("此案件需要以可写方式打开", "open the case writable to add redactions")
        )
    ids: list[int] = []
    at = case.now()
    detail: dict[str, Any] = {"count": len(rows), "reasons": sorted({r["reason"] for r in rows})}
    with edit(case, action, label, detail, item_id) as (conn, rec):
        for row in rows:
            values = {**row, "created_at": at, "updated_at": at}
            marks = ",".join("?" for _ in values)
            cur = conn.execute(
                f"INSERT INTO redactions ({', '.join(values)}) VALUES ({marks})",
                list(values.values()),
            )
            ids.append(int(cur.lastrowid or 0))
            rec.created("redactions", ids[-1])
        detail["redactions"] = ids  # the audit row is written when the edit closes
    log.debug("%s: %d redaction(s)", action, len(ids))
    return ids


def _update(
    case: Case, current: Redaction, changes: dict[str, Any], action: str, label: str
) -> Redaction:
    detail = {"redaction": current.id, **{k: v for k, v in changes.items() if k != "text"}}
    with edit(case, action, label, detail, current.item_id) as (conn, rec):
        rec.touch("redactions", current.id)
        sets = ", ".join(f"{k} = ?" for k in changes)
        conn.execute(
            f"UPDATE redactions SET {sets}, updated_at = ? WHERE id = ?",
            [*changes.values(), case.now(), current.id],
        )
    return get_redaction(case, current.id)


def _set_state(case: Case, ids: list[int], state: State, label: str) -> list[Redaction]:
    found = [get_redaction(case, n) for n in ids]
    todo = [r for r in found if r.state is not state]
    if todo:
        detail = {"redactions": [r.id for r in todo], "state": state.value}
        with edit(case, f"redaction.{state.value}", label, detail) as (conn, rec):
            for r in todo:
                rec.touch("redactions", r.id)
                conn.execute(
                    "UPDATE redactions SET state = ?, updated_at = ? WHERE id = ?",
                    (state.value, case.now(), r.id),
                )
    return [get_redaction(case, r.id) for r in found]


def _redaction(row: tuple[Any, ...]) -> Redaction:
    (
        rid,
        item_id,
        page,
        frame_ms,
        x,
        y,
        w,
        h,
        kind,
        state,
        reason,
        text,
        masked,
        created,
        updated,
    ) = row
    rect = Rect(x, y, w, h) if None not in (x, y, w, h) else None
    return Redaction(
        id=rid,
        item_id=item_id,
        rect=rect,
        kind=Origin(kind),
        state=State(state),
        reason=Reason(reason),
        text=text,
        masked=masked,
        page=page,
        frame_ms=frame_ms,
        created_at=created,
        updated_at=updated,
    )
