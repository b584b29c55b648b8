"""Every user-visible string has both languages, with the same placeholders."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app.evidence.i18n import current_language, pick, placeholders, set_language, tr

APP = Path(__file__).resolve().parents[1] / "app"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _tr_calls() -> list[tuple[Path, int, ast.Call]]:
    calls = []
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr":
                calls.append((path, node.lineno, node))
    return calls


def test_every_tr_call_has_both_languages_and_matching_placeholders() -> None:
    calls = _tr_calls()
    assert len(calls) > 80
    problems = []
    for path, line, call in calls:
        where = f"{path.relative_to(APP.parent)}:{line}"
        if len(call.args) != 2 or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in call.args):
            problems.append(f"{where}: tr() needs two literal strings")
            continue
        zh, en = (a.value for a in call.args)
        if not zh.strip() or not en.strip():
            problems.append(f"{where}: an empty translation")
        elif not CJK.search(zh) and zh == en and not zh.strip().isdigit():
            problems.append(f"{where}: the Chinese text is not Chinese: {zh!r}")
        if CJK.search(en):
            problems.append(f"{where}: Chinese inside the English text: {en!r}")
        if placeholders(zh) != placeholders(en):
            problems.append(f"{where}: placeholders differ: {sorted(placeholders(zh))} vs {sorted(placeholders(en))}")
        names = {k.arg for k in call.keywords}
        if placeholders(zh) - names:
            problems.append(f"{where}: placeholders without a value: {sorted(placeholders(zh) - names)}")
    assert not problems, "\n".join(problems)


def test_window_has_no_untranslated_chinese_literals() -> None:
    """Chinese text in app/ui must go through tr() (docstrings and comments aside)."""
    problems = []
    for path in (APP / "ui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside_tr: set[int] = set()
        docstrings: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("tr", "pick"):
                inside_tr |= {id(a) for a in ast.walk(node)}
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body:
                first = node.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    docstrings.add(id(first.value))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)
                    and id(node) not in inside_tr and id(node) not in docstrings):
                problems.append(f"{path.relative_to(APP.parent)}:{node.lineno}: {node.value[:40]!r}")
    allowed = {"中文（简体）"}  # the language's own name is shown untranslated on purpose
    problems = [p for p in problems if not any(a in p for a in allowed)]
    assert not problems, "\n".join(problems)


@pytest.fixture
def english():
    before = current_language()
    set_language("en")
    yield
    set_language(before)


def test_switching_language(english) -> None:
    assert tr("导入 {n} 项", "Imported {n}", n=3) == "Imported 3"
    assert pick("签收", "Signed") == "Signed"
    set_language("zh_CN")
    assert tr("导入 {n} 项", "Imported {n}", n=3) == "导入 3 项"
    with pytest.raises(ValueError):
        set_language("fr")
