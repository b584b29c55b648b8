"""evidence-desk remove / exclude / kind / empty-removed, undo, and --log FILE."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from app.cli import main
from app.evidence.service.verifying import verify_case
from app.evidence.store.case import Case
from app.evidence.timeline import item_edits as item_state


def _case(tmp_path: Path) -> Path:
    case_dir = tmp_path / "case"
    assert main(["new", str(case_dir), "--title", "t"]) == 0
    src = tmp_path / "in"
    src.mkdir()
    for n, colour in enumerate(("red", "blue")):
        Image.new("RGB", (64, 48), colour).save(src / f"p{n}.jpg")
    assert main(["add", str(case_dir), str(src)]) == 0
    return case_dir


def test_remove_exclude_kind_undo_and_empty(tmp_path: Path, capsys) -> None:
    case_dir = _case(tmp_path)
    with Case.open(case_dir, writable=False) as case:
        a, b = case.items()
    assert main(["remove", str(case_dir), str(a.id)]) == 0
    assert main(["undo", str(case_dir)]) == 0
    with Case.open(case_dir, writable=False) as case:
        assert item_state.removed_ids(case.connection) == set()
    assert main(["remove", str(case_dir), str(a.id)]) == 0
    assert main(["exclude", str(case_dir), str(b.id)]) == 0
    assert main(["kind", str(case_dir), str(b.id), "截图"]) == 0
    with Case.open(case_dir, writable=False) as case:
        assert item_state.item_states(case.connection) == {a.id: "removed", b.id: "excluded"}
        assert case.item(b.id).kind.value == "screenshot"
    assert main(["exclude", str(case_dir), str(b.id), "--undo"]) == 0
    assert main(["empty-removed", str(case_dir)]) == 2  # asks for --yes
    assert main(["empty-removed", str(case_dir), "--yes"]) == 0
    with Case.open(case_dir, writable=False) as case:
        assert [i.id for i in case.items()] == [b.id]
        assert verify_case(case, recheck=False).ok
    assert main(["kind", str(case_dir), str(b.id), "banana"]) == 2
    assert "banana" in capsys.readouterr().err


def test_log_option_writes_a_file(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "cli.log"
    case_dir = tmp_path / "case"
    assert main(["--log", str(log), "new", str(case_dir), "--title", "t"]) == 0
    assert main(["--log", str(log), "verify", str(tmp_path / "nowhere")]) != 0
    assert log.is_file() and log.stat().st_size > 0
    import logging.handlers

    assert not any(
        isinstance(h, logging.handlers.RotatingFileHandler) for h in logging.getLogger().handlers
    )
