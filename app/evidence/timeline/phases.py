"""Which phase an entry belongs to, and the user's names for the phases.

The automatic phase comes from what an entry is (a tracking line's kind, an item's kind, the
party's role) and, for photos and videos, from a hint in the file name (开箱 / 打包 ...): the
name is only a hint for grouping, never for what the file is. The user's choice always wins
(`set_entry_phase` in `edits`), and every phase can be renamed (`rename_phase`).
"""

from __future__ import annotations

import re
import sqlite3

from app.evidence.models import ItemKind
from app.evidence.store.case import Case
from app.evidence.store.undo import edit, has_timeline_tables
from app.evidence.timeline.errors import TimelineError
from app.evidence.timeline.model import PHASE_LABELS, Phase

TRACKING_PHASES: dict[str, Phase] = {
    "pickup": Phase.SHIPPING,
    "transit": Phase.TRANSIT,
    "arrived": Phase.TRANSIT,
    "out_for_delivery": Phase.TRANSIT,
    "exception": Phase.TRANSIT,
    "returned": Phase.TRANSIT,
    "other": Phase.TRANSIT,
    "text": Phase.TRANSIT,
    "station_dropoff": Phase.DELIVERY,
    "signed": Phase.DELIVERY,
    "refused": Phase.DELIVERY,
}

# Kinds of chat, OCR and manual events.
EVENT_PHASES: dict[str, Phase] = {
    "order_placed": Phase.ORDER,
    "payment": Phase.ORDER,
    "shipped": Phase.SHIPPING,
    "problem_found": Phase.INSPECTION,
    "inspection": Phase.INSPECTION,
    "chat_message": Phase.COMMUNICATION,
    "call": Phase.COMMUNICATION,
    "visit": Phase.COMMUNICATION,
    "message": Phase.COMMUNICATION,
    "manual": Phase.COMMUNICATION,
    "refusal": Phase.COMMUNICATION,
    "claim": Phase.CLAIM,
    "refund_request": Phase.CLAIM,
    "intervention": Phase.CLAIM,
    "ruling": Phase.CLAIM,
    "appeal": Phase.CLAIM,
}

DATE_PHASES: dict[str, Phase] = {
    "order": Phase.ORDER,
    "shipped": Phase.SHIPPING,
    "signed": Phase.DELIVERY,
    "trade_success": Phase.DELIVERY,
    "after_sales": Phase.CLAIM,
    "intervention": Phase.CLAIM,
    "ruling": Phase.CLAIM,
    "return_shipped": Phase.CLAIM,
    "return_signed": Phase.CLAIM,
}

_NAME_HINTS: tuple[tuple[re.Pattern[str], Phase], ...] = (
    (re.compile(r"开箱|拆箱|拆包|验货|unbox", re.I), Phase.INSPECTION),
    (re.compile(r"打包|发货|出库|封箱|packing|pack_|shipping", re.I), Phase.SHIPPING),
    (re.compile(r"快照|订单|详情|snapshot|listing|(?<![a-z])order", re.I), Phase.ORDER),
    (re.compile(r"物流|快递|tracking", re.I), Phase.TRANSIT),
    (re.compile(r"聊天|chat|旺旺|千牛", re.I), Phase.COMMUNICATION),
    (re.compile(r"质检|检测|鉴定|report", re.I), Phase.INSPECTION),
)


def item_phase(kind: ItemKind, name: str, role: str, media_phase: Phase | None = None) -> Phase:
    """The automatic phase of an item.

    Args:
        kind: the item's kind.
        name: its original file name (only a grouping hint).
        role: "buyer" or "seller": a buyer's photos and videos are usually unboxing and
            inspection, a seller's usually packing.
        media_phase: the dispute profile's phase for photos and videos, when it has one
            (e.g. a seller's "returned goods not intact" case is about inspecting a return).
    """
    if kind is ItemKind.TRACKING:
        return Phase.TRANSIT
    for pattern, phase in _NAME_HINTS:
        if pattern.search(name):
            return phase
    if kind in (ItemKind.PHOTO, ItemKind.VIDEO):
        if media_phase is not None:
            return media_phase
        return Phase.SHIPPING if role == "seller" else Phase.INSPECTION
    if kind is ItemKind.SCREENSHOT:
        return Phase.COMMUNICATION
    return Phase.ORDER  # documents: receipts and invoices unless renamed or moved


def event_phase(kind: str, source: str) -> Phase:
    """The automatic phase of an event from its kind (tracking kinds first)."""
    if source == "tracking" and kind in TRACKING_PHASES:
        return TRACKING_PHASES[kind]
    return EVENT_PHASES.get(kind, TRACKING_PHASES.get(kind, Phase.COMMUNICATION))


def phase_labels(conn: sqlite3.Connection) -> dict[Phase, tuple[str, str]]:
    """Phase -> (zh, en) with the user's renames applied."""
    labels = dict(PHASE_LABELS)
    if has_timeline_tables(conn):
        for phase, zh, en in conn.execute("SELECT phase, zh, en FROM phase_labels"):
            if phase in Phase._value2member_map_:
                labels[Phase(phase)] = (zh, en or labels[Phase(phase)][1])
    return labels


def rename_phase(case: Case, phase: Phase | str, zh: str | None, en: str | None = None) -> None:
    """Rename a phase (both languages optional); a None or empty zh restores the default.

    Raises:
        TimelineError: unknown phase.
    """
    try:
        value = Phase(phase)
    except ValueError as exc:
        raise TimelineError(f"unknown phase {phase!r}") from exc
    zh = (zh or "").strip()
    with edit(
        case, "timeline.phase_label", "重命名阶段", {"phase": value.value, "zh": zh, "en": en}
    ) as (conn, rec):
        rec.touch("phase_labels", value.value)
        if zh:
            conn.execute(
                "INSERT INTO phase_labels (phase, zh, en) VALUES (?,?,?) "
                "ON CONFLICT(phase) DO UPDATE SET zh = excluded.zh, en = excluded.en",
                (value.value, zh, (en or "").strip() or None),
            )
        else:
            conn.execute("DELETE FROM phase_labels WHERE phase = ?", (value.value,))
