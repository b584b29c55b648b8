"""`evidence-desk checklist`: the dispute's checklist, ticked and unticked by hand (undoable)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run


def test_checklist_tick_untick_and_undo(tmp_path: Path) -> None:
    case = tmp_path / "case"
    r = run("new", str(case), "--title", "外套颜色不符", "--dispute", "not_as_described:color")
    assert r.returncode == 0, r.stderr

    listing = run("checklist", str(case))
    assert listing.returncode == 0, listing.stderr
    line = next(x for x in listing.stdout.splitlines() if "colour_reference" in x)
    assert line.startswith("☐") and "to confirm by hand" in line

    r = run("checklist", str(case), "--tick", "colour_reference", "--json")
    assert r.returncode == 0, r.stderr
    states = {c["id"]: c["state"] for c in json.loads(r.stdout)["checklist"]}
    assert states["colour_reference"] == "ticked"

    r = run("undo", str(case))  # a tick is an edit like any other
    assert "勾选" in r.stdout or "tick" in r.stdout.lower()
    states = {
        c["id"]: c["state"]
        for c in json.loads(run("checklist", str(case), "--json").stdout)["checklist"]
    }
    assert states["colour_reference"] == "todo"

    run("checklist", str(case), "--not-applicable", "labels")
    r = run("checklist", str(case), "--untick", "labels")
    assert next(x for x in r.stdout.splitlines() if " labels " in x).startswith("✘")

    r = run("checklist", str(case), "--tick", "no_such_item")
    assert r.returncode == 2 and "colour_reference" in r.stderr  # the known keys are listed
    r = run("checklist", str(case), "--tick", "a", "--untick", "b")
    assert r.returncode == 2


def test_checklist_in_chinese_and_without_a_dispute(tmp_path: Path) -> None:
    case = tmp_path / "case"
    assert run("new", str(case), "--title", "t").returncode == 0
    r = run("checklist", str(case), env={"EVIDENCE_DESK_LANG": "zh"})
    assert r.returncode == 2 and "纠纷类型" in r.stderr
    assert run("dispute", str(case), "not_as_described:color").returncode == 0
    r = run("checklist", str(case), "--tick", "colour_reference", env={"EVIDENCE_DESK_LANG": "zh"})
    assert "描述不符 · 颜色" in r.stdout
    assert "☑ colour_reference" in r.stdout and "已手动确认" in r.stdout
    help_text = run("checklist", "--help", env={"EVIDENCE_DESK_LANG": "zh"}).stdout
    assert "把此项勾选为已确认" in help_text and "取消此项的手动勾选" in help_text
