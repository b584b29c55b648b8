"""Remove, exclude and re-kind items: undoable, audited, skipped by exports, known to verify."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from app.evidence.ingest.importer import import_files
from app.evidence.models import ItemKind
from app.evidence.service.verifying import verify_case
from app.evidence.store.case import Case
from app.evidence.store.undo import redo, undo
from app.evidence.timeline import item_edits as item_state
from app.evidence.timeline.build import build_timeline


def _case(tmp_path: Path) -> Path:
    root = tmp_path / "case"
    Case.create(root, "t").close()
    src = tmp_path / "in"
    src.mkdir()
    for n, colour in enumerate(("red", "green", "blue")):
        Image.new("RGB", (64, 48), colour).save(src / f"p{n}.jpg", quality=90)
    with Case.open(root) as case:
        import_files(case, [src])
    return root


def _item_ids(case: Case) -> set[int]:
    return {e.item_id for e in build_timeline(case).visible() if e.is_item}


def test_remove_undo_redo_and_audit(tmp_path: Path) -> None:
    with Case.open(_case(tmp_path)) as case:
        first = case.items()[0]
        item_state.remove_item(case, first.id)
        assert first.id not in _item_ids(case)
        assert [i.id for i in item_state.removed_items(case)] == [first.id]
        assert case.path_of(first).is_file()  # the original stays in the vault
        step = undo(case)
        assert step is not None and step.label.startswith("删除 ")
        assert first.id in _item_ids(case)
        redo(case)
        assert first.id not in _item_ids(case)
        actions = [e.action for e in case.audit_entries()]
        assert actions.count("item.remove") == 1 and "undo" in actions and "redo" in actions
        assert verify_case(case, recheck=False).ok


def test_exclude_keeps_it_on_the_timeline_marked(tmp_path: Path) -> None:
    with Case.open(_case(tmp_path)) as case:
        second = case.items()[1]
        item_state.set_excluded(case, second.id)
        entry = next(e for e in build_timeline(case).visible() if e.item_id == second.id)
        assert "excluded" in entry.flags
        assert item_state.export_skipped_ids(case.connection) == {second.id}
        undo(case)
        assert item_state.export_skipped_ids(case.connection) == set()


def test_kind_change_is_undoable(tmp_path: Path) -> None:
    with Case.open(_case(tmp_path)) as case:
        item = case.items()[0]
        assert item.kind is ItemKind.PHOTO
        assert item_state.set_item_kind(case, item.id, "截图").kind is ItemKind.SCREENSHOT
        assert case.item(item.id).kind_source == "user"
        undo(case)
        assert case.item(item.id).kind is ItemKind.PHOTO
        assert verify_case(case, recheck=False).ok


def test_empty_removed_deletes_and_verify_knows_it_from_missing(tmp_path: Path) -> None:
    with Case.open(_case(tmp_path)) as case:
        a, b, _ = case.items()
        item_state.remove_item(case, a.id)
        path_a, path_b = case.path_of(a), case.path_of(b)
        done = item_state.empty_removed(case)
        assert done.items == (a.original_name,) and not path_a.exists()
        result = verify_case(case, recheck=False)
        assert result.ok, [p.code for p in result.problems]
        assert any("已被用户删除" in n or "removed and emptied" in n for n in result.notes)
        path_b.chmod(0o600)
        path_b.unlink()  # gone without the user asking: still a problem
        codes = {p.code for p in verify_case(case, recheck=False).problems}
        assert "original_missing" in codes


def test_exports_skip_removed_and_excluded(tmp_path: Path) -> None:
    from app.evidence.export.case_feeds import case_feeds
    from app.evidence.export.collect import collect_exhibits

    with Case.open(_case(tmp_path)) as case:
        a, b, c = case.items()
        item_state.remove_item(case, a.id)
        item_state.set_excluded(case, b.id)
        for feeds in (None, case_feeds(case)):
            exhibits = collect_exhibits(case, feeds)
            assert [e.item.id for e in exhibits if e.item is not None] == [c.id]
