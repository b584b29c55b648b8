"""The one table of labels (app/evidence/labels.py): kinds, verdicts, severities, stages."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app.evidence import labels
from app.evidence.checks.verdict import recompressed_words
from app.evidence.i18n import current_language, set_language
from app.evidence.models import ItemKind, Severity, Verdict

APP = Path(__file__).resolve().parents[2] / "app"
CJK = re.compile(r"[\u4e00-\u9fff]")
MARKS = set("✔ℹ⚠‼◐✘")
# The timeline's compact tags (▶, 物流/Track, 截图/Shot) mix item kinds with courier statuses
# (签收, 揽收, ...) and are cut to fit a card: a different thing from a kind's name.
NOT_COPIES = {("app/ui/timeline_delegate.py", "_kind_glyph")}


@pytest.fixture(params=["zh", "en"])
def language(request: pytest.FixtureRequest):
    before = current_language()
    set_language(request.param)
    yield request.param
    set_language(before)


def test_every_member_of_the_enums_has_its_words() -> None:
    assert set(labels.KIND) == set(ItemKind)
    assert set(labels.VERDICT) == set(labels.VERDICT_SHORT) == set(labels.VERDICT_MARK)
    assert set(labels.VERDICT) == set(Verdict)
    assert set(labels.SEVERITY) == set(labels.SEVERITY_MARK) == set(Severity)
    for table in (labels.KIND, labels.VERDICT, labels.VERDICT_SHORT, labels.SEVERITY):
        for zh, en in table.values():
            assert zh and en and zh != en


def _progress_stages() -> set[str]:
    """Every stage name the core reports: Progress("name", ...) in app/evidence."""
    stages: set[str] = set()
    for path in (APP / "evidence").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {  # STAGE = "redact.suggest" at module level
            t.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for t in node.targets
            if isinstance(t, ast.Name)
        }
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Progress"
                and node.args
            ):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant):
                stages.add(str(first.value))
            elif isinstance(first, ast.Name):
                stages.add(str(constants[first.id]))  # KeyError: a stage this scan cannot read
    return stages


def test_every_progress_stage_the_core_reports_has_a_name() -> None:
    stages = _progress_stages()
    assert {"import", "check", "export.pdf", "redact.suggest"} <= stages  # the scan sees them
    assert stages <= set(labels.STAGE), stages - set(labels.STAGE)


def test_words_follow_the_language(language: str) -> None:
    zh = language == "zh"
    assert labels.stage_text("export.pdf") == ("生成 PDF" if zh else "Writing the PDF")
    assert labels.stage_text("no.such.stage") == ("处理中" if zh else "Working")
    assert labels.kind_text(ItemKind.DOCUMENT) == ("文档" if zh else "Document")
    assert labels.kind_text("screenshot") == ("截图" if zh else "Screenshot")  # a machine name
    assert labels.kind_text(None) == ("事件" if zh else "Event")
    assert labels.severity_label("warning") == ("⚠ 警告" if zh else "⚠ Warning")
    assert labels.severity_text(Severity.ALERT) == ("警示" if zh else "Alert")
    assert labels.severity_mark("info") == "ℹ" and labels.severity_mark("odd") == "·"
    assert labels.verdict_badge("camera_original") == ("✔原件" if zh else "✔ original")
    assert labels.verdict_text(None) == ("未检查" if zh else "not checked")
    assert labels.verdict_short_text("recompressed") == ("非原件" if zh else "not the original")


def test_a_recompressed_verdict_is_worded_by_its_findings() -> None:
    clean = labels.verdict_words(Verdict.RECOMPRESSED, ["warning", "ok"])
    alerted = labels.verdict_words("recompressed", ["warning", Severity.ALERT])
    assert clean == labels.VERDICT[Verdict.RECOMPRESSED] and "未见改动" in clean[0]
    assert alerted == labels.RECOMPRESSED_WITH_ALERT and "未见改动" not in alerted[0]
    # the checks' own name for the same words is this table
    assert recompressed_words(["alert"]) == alerted and recompressed_words([]) == clean
    # an alert does not re-word any other verdict
    assert labels.verdict_words("edited", ["alert"]) == labels.VERDICT[Verdict.EDITED]
    assert labels.verdict_words("from_a_newer_version") == ("from_a_newer_version",) * 2


def _key(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Attribute):  # ItemKind.PHOTO -> "photo"
        return node.attr.lower()
    return None


def test_no_other_module_keeps_its_own_label_table() -> None:
    """A dict keyed by two or more kinds, verdicts, severities or stages with words or marks as
    values, anywhere in app/ but labels.py, is a copy of the one table."""
    names = {
        "kind": {k.value for k in ItemKind},
        "verdict": {v.value for v in Verdict},
        "severity": {s.value for s in Severity},
        "stage": set(labels.STAGE),
    }
    copies = []
    for path in sorted(APP.rglob("*.py")):
        rel = path.relative_to(APP.parent).as_posix()
        if rel == "app/evidence/labels.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = {
            id(d)
            for f in ast.walk(tree)
            if isinstance(f, ast.FunctionDef) and (rel, f.name) in NOT_COPIES
            for d in ast.walk(f)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Dict) or id(node) in skipped:
                continue
            keys = {k for k in map(_key, node.keys) if k is not None}
            words = [
                c.value
                for v in node.values
                for c in ast.walk(v)
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            ]
            shown = any(CJK.search(w) or w.strip() in MARKS for w in words)
            for what, machine in names.items():
                if len(keys & machine) >= 2 and shown:
                    copies.append(f"{rel}:{node.lineno} {what} {sorted(keys & machine)}")
    assert not copies, "\n".join(sorted(set(copies)))
