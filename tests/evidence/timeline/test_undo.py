"""Undo and redo of every edit through the core API, with audit rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from app.evidence import disputes as dp
from app.evidence import timeline as tl
from app.evidence.models import ItemKind
from app.evidence.store.audit import check_chain
from app.evidence.store.case import Case
from app.evidence.tracking.model import EventKind

from .factory import STANDARD_TRACKING, add, add_tracking, new_case, record


def snapshot(case: Case) -> str:
    """Everything a user sees of the case's story, as one comparable text."""
    data = dp.list_json(case, date(2025, 6, 14))
    data.pop("today")
    import json

    return json.dumps(data, ensure_ascii=False, sort_keys=True)


EDITS: dict[str, Callable[[Case, dict[str, int]], object]] = {
    "set_entry_time": lambda c, ids: tl.set_entry_time(
        c, f"item:{ids['a']}", datetime(2025, 6, 12, 9, 0), "水印"
    ),
    "clear_entry_time": lambda c, ids: tl.clear_entry_time(c, f"item:{ids['timed']}"),
    "set_entry_phase": lambda c, ids: tl.set_entry_phase(c, f"item:{ids['a']}", tl.Phase.CLAIM),
    "set_entry_hidden": lambda c, ids: tl.set_entry_hidden(c, f"item:{ids['a']}", True),
    "set_item_note": lambda c, ids: tl.set_entry_note(c, f"item:{ids['a']}", "开箱时发现少件"),
    "set_event_note": lambda c, ids: tl.set_entry_note(c, f"event:{ids['call']}", "客服答应回电"),
    "set_date_note": lambda c, ids: tl.set_entry_note(c, "date:order", "活动价"),
    "reorder": lambda c, ids: tl.reorder(c, [f"item:{ids['b']}", f"item:{ids['a']}"]),
    "move_entry": lambda c, ids: tl.move_entry(c, f"item:{ids['b']}", -1),
    "assign_exhibits": lambda c, ids: tl.assign_exhibit_numbers(c),
    "renumber_exhibits": lambda c, ids: tl.renumber_exhibits(c),
    "rename_phase": lambda c, ids: tl.rename_phase(c, tl.Phase.INSPECTION, "验货"),
    "add_manual_event": lambda c, ids: tl.add_manual_event(
        c, "去驿站查询", datetime(2025, 6, 12, 10, 0)
    ),
    "set_event_text": lambda c, ids: tl.set_event_text(c, ids["call"], "给快递员打电话（两次）"),
    "delete_event": lambda c, ids: tl.delete_event(c, ids["call"]),
    "record_tracking": lambda c, ids: tl.record_tracking(
        c,
        ids["track"],
        record([*STANDARD_TRACKING[:2], (EventKind.SIGNED, "2025-06-10 10:00:00", "本人签收")]),
    ),
    "set_case_date": lambda c, ids: tl.set_case_date(c, "trade_success", date(2025, 6, 13)),
    "clear_case_date": lambda c, ids: tl.clear_case_date(c, "order"),
    "set_summary": lambda c, ids: dp.set_summary(
        c, shop="某店", amount="88", claim="refund", statement="请退款"
    ),
    "set_dispute": lambda c, ids: dp.set_dispute(c, "not_as_described:size"),
    "set_case_timezone": lambda c, ids: dp.set_case_timezone(c, "Europe/Moscow"),
    "tick": lambda c, ids: dp.tick(
        c, dp.resolve("missing_parts"), "parcel_weight", "done", "称重照片在证据3"
    ),
    "record_submission": lambda c, ids: dp.record_submission(
        c, "initial", datetime(2025, 6, 13, 9, 0)
    ),
    "record_ruling": lambda c, ids: dp.record_ruling(
        c, ids["sub"], date(2025, 6, 14), "支持买家", "缺少称重"
    ),
}


def _setup(tmp_path: Path) -> tuple[Case, dict[str, int]]:
    case = new_case(tmp_path, dispute="missing_parts")
    ids = {
        "a": add(case, "a.jpg", ItemKind.PHOTO, "2025-06-12 20:00:10"),
        "b": add(case, "b.jpg", ItemKind.PHOTO, "2025-06-12 20:00:20"),
        "timed": add(case, "timed.jpg", ItemKind.PHOTO),
        "track": add_tracking(case, STANDARD_TRACKING),
        "call": tl.add_manual_event(
            case, "给快递员打电话", datetime(2025, 6, 12, 11, 0), kind="call"
        ),
    }
    tl.set_entry_time(case, f"item:{ids['timed']}", datetime(2025, 6, 12, 12, 0), "照片里的时钟")
    tl.set_case_date(case, "order", date(2025, 6, 8))
    ids["sub"] = dp.record_submission(
        case, "initial", datetime(2025, 6, 12, 22, 0), entries=[f"item:{ids['a']}"]
    )
    return case, ids


@pytest.mark.parametrize("name", sorted(EDITS))
def test_every_edit_undoes_and_redoes(tmp_path: Path, name: str) -> None:
    case, ids = _setup(tmp_path)
    before = snapshot(case)
    steps = len(tl.history(case))
    EDITS[name](case, ids)
    after = snapshot(case)
    assert after != before, f"{name} changed nothing visible"
    assert len(tl.history(case)) == steps + 1
    step = tl.undo(case)
    assert step is not None and step.state == "undone"
    assert snapshot(case) == before
    assert tl.redo(case) is not None
    assert snapshot(case) == after
    actions = [e.action for e in case.audit_entries()]
    assert actions[-2:] == ["undo", "redo"]
    assert check_chain(case.connection) == []


def test_history_is_linear_and_a_new_edit_drops_the_redo(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    a = add(case, "a.jpg", ItemKind.PHOTO, "2025-06-12 20:00")
    tl.set_entry_note(case, f"item:{a}", "一")
    tl.set_entry_note(case, f"item:{a}", "二")
    tl.undo(case)
    assert case.item(a).note == "一"
    tl.set_entry_note(case, f"item:{a}", "三")
    assert tl.redo(case) is None
    assert [s.state for s in tl.history(case)] == ["done", "discarded", "done"]
    tl.undo(case)
    tl.undo(case)
    assert case.item(a).note == ""
    assert tl.undo(case) is None


def test_an_edit_that_changes_nothing_leaves_no_undo_step(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    a = add(case, "a.jpg", ItemKind.PHOTO, "2025-06-12 20:00")
    tl.set_entry_note(case, f"item:{a}", "说明")
    tl.set_entry_note(case, f"item:{a}", "说明")
    assert len(tl.history(case)) == 1


def test_undo_refuses_to_overwrite_a_change_made_outside_undo(tmp_path: Path) -> None:
    case = new_case(tmp_path)
    a = add(case, "a.jpg", ItemKind.PHOTO, "2025-06-12 20:00")
    tl.set_entry_hidden(case, f"item:{a}", True)
    tl.set_entry_note(case, f"item:{a}", "经由时间线")
    case.set_note(a, "直接改的")  # the store's own setter bypasses undo
    with pytest.raises(tl.UndoConflict):
        tl.undo(case)
    assert case.item(a).note == "直接改的"
    tl.undo(case)  # the stale step is skipped; the one before still undoes
    assert not build_hidden(case)
    assert [s.state for s in tl.history(case)] == ["undone", "stale"]


def build_hidden(case: Case) -> tuple:
    return tl.build_timeline(case).hidden
