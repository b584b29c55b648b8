"""Exhibit numbers: follow the order, survive reorder and removal, change only on request."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from app.evidence.models import ItemKind
from app.evidence.timeline import (
    add_manual_event,
    assign_exhibit_numbers,
    build_timeline,
    delete_event,
    renumber_exhibits,
    reorder,
    set_entry_hidden,
    set_entry_time,
    timeline_findings,
)

from .factory import add, new_case


def numbers(case) -> dict[str, tuple[int | None, bool]]:
    t = build_timeline(case)
    return {e.key: (e.exhibit_no, e.exhibit_provisional) for e in t.all_entries() if e.is_item}


def test_provisional_numbers_follow_the_order_until_fixed(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    b = add(case, "b.jpg", ItemKind.PHOTO, "2025-06-12 21:00")
    a = add(case, "a.jpg", ItemKind.PHOTO, "2025-06-12 20:00")
    u = add(case, "undated.jpg", ItemKind.PHOTO)
    add_manual_event(case, "打电话", datetime(2025, 6, 12, 20, 30))  # events are not exhibits
    assert numbers(case) == {f"item:{a}": (1, True), f"item:{b}": (2, True), f"item:{u}": (3, True)}
    assert assign_exhibit_numbers(case) == {f"item:{a}": 1, f"item:{b}": 2, f"item:{u}": 3}
    assert numbers(case) == {
        f"item:{a}": (1, False),
        f"item:{b}": (2, False),
        f"item:{u}": (3, False),
    }
    t = build_timeline(case)
    assert [e.exhibit_label for e in t.exhibits()] == ["证据1", "证据2", "证据3"]


def test_numbers_survive_reorder_time_change_and_removal(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    a = add(case, "a.jpg", ItemKind.PHOTO, "2025-06-12 20:00:10")
    b = add(case, "b.jpg", ItemKind.PHOTO, "2025-06-12 20:00:20")
    c = add(case, "c.jpg", ItemKind.PHOTO, "2025-06-12 22:00")
    assign_exhibit_numbers(case)
    ka, kb, kc = f"item:{a}", f"item:{b}", f"item:{c}"
    reorder(case, [kb, ka])
    set_entry_time(case, kc, datetime(2025, 6, 12, 19, 0), "水印时间")
    t = build_timeline(case)
    assert [e.key for e in t.entries] == [kc, kb, ka]
    assert [e.exhibit_no for e in t.entries] == [3, 2, 1]  # never silently renumbered
    assert [f.code for f in timeline_findings(t)] == ["exhibits_out_of_order"]

    set_entry_hidden(case, kb, True)  # removed from the chain: a gap, not a shift
    t = build_timeline(case)
    assert [(e.key, e.exhibit_no) for e in t.visible()] == [(kc, 3), (ka, 1)]
    assert t.hidden[0].exhibit_no == 2

    new = add(
        case, "new.jpg", ItemKind.PHOTO, "2025-06-12 18:00"
    )  # earliest, but numbers are taken
    assert numbers(case)[f"item:{new}"] == (4, True)


def test_renumber_on_request_follows_the_timeline_and_frees_hidden_numbers(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    a = add(case, "a.jpg", ItemKind.PHOTO, "2025-06-12 20:00")
    b = add(case, "b.jpg", ItemKind.PHOTO, "2025-06-12 21:00")
    c = add(case, "c.jpg", ItemKind.PHOTO, "2025-06-12 22:00")
    assign_exhibit_numbers(case)
    set_entry_hidden(case, f"item:{b}", True)
    set_entry_time(case, f"item:{c}", datetime(2025, 6, 12, 19, 0), "水印时间")
    result = renumber_exhibits(case)
    assert result == {f"item:{c}": 1, f"item:{a}": 2}
    assert numbers(case) == {
        f"item:{c}": (1, False),
        f"item:{a}": (2, False),
        f"item:{b}": (None, False),
    }
    assert timeline_findings(build_timeline(case)) == ()
    set_entry_hidden(case, f"item:{b}", False)  # back in the chain: a new provisional number
    assert numbers(case)[f"item:{b}"] == (3, True)


def test_deleting_an_event_does_not_touch_exhibits(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    a = add(case, "a.jpg", ItemKind.PHOTO, "2025-06-12 20:00")
    ev = add_manual_event(case, "打电话", datetime(2025, 6, 12, 19, 0))
    assign_exhibit_numbers(case)
    delete_event(case, ev)
    t = build_timeline(case)
    assert [e.key for e in t.entries] == [f"item:{a}"] and t.entries[0].exhibit_no == 1
