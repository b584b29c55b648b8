"""Every user-visible string has both languages, with the same placeholders."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app.evidence.i18n import (
    PSEUDO,
    current_language,
    language_from_environment,
    normalise_language,
    pick,
    placeholders,
    pseudo,
    set_language,
    tr,
)

APP = Path(__file__).resolve().parents[1] / "app"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
ENGLISH_WORD = re.compile(
    r"[A-Za-z]*[a-z][A-Za-z]*"
)  # a word with a lower-case letter: prose, not "PDF"
I18N_MODULE = "app.evidence.i18n"


def _translation_names(tree: ast.Module) -> dict[str, str]:
    """Local names bound to tr / pick in a module ({"tr": "tr", "_": "tr"} for `import tr as _`)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == I18N_MODULE:
            for alias in node.names:
                if alias.name in ("tr", "pick", "both"):
                    names[alias.asname or alias.name] = alias.name
    return names


def _calls(function: str) -> list[tuple[str, ast.Call]]:
    """(file:line, call) of every call of i18n's `function` in app/, under any local name."""
    found = []
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        local = {name for name, real in _translation_names(tree).items() if real == function}
        if path.name == "i18n.py":
            local.add(function)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            direct = isinstance(func, ast.Name) and func.id in local
            qualified = (
                isinstance(func, ast.Attribute)
                and func.attr == function
                and (isinstance(func.value, ast.Name) and func.value.id == "i18n")
            )
            if direct or qualified:
                found.append((f"{path.relative_to(APP.parent)}:{node.lineno}", node))
    return found


def _literal_pair(call: ast.Call) -> tuple[str, str] | None:
    if len(call.args) == 2 and all(
        isinstance(a, ast.Constant) and isinstance(a.value, str) for a in call.args
    ):
        return call.args[0].value, call.args[1].value  # type: ignore[attr-defined]
    return None


def _pair_problems(where: str, zh: str, en: str) -> list[str]:
    """What is wrong with one zh/en pair: empty, not Chinese, swapped, placeholders that differ."""
    problems = []
    if not zh.strip() or not en.strip():
        return [f"{where}: an empty translation: {zh!r} / {en!r}"]
    if not CJK.search(zh):
        if zh != en:
            problems.append(
                f"{where}: the Chinese text has no Chinese (untranslated or swapped?): {zh!r}"
            )
        elif ENGLISH_WORD.search(re.sub(r"\{[^{}]*\}", "", zh)):
            # identical on purpose is fine for symbols, numbers and acronyms ("PDF", "{n}/{total}")
            problems.append(f"{where}: the same English words in both languages: {zh!r}")
    if CJK.search(en):
        problems.append(f"{where}: Chinese inside the English text: {en!r}")
    try:
        zh_names, en_names = placeholders(zh), placeholders(en)
    except ValueError as exc:
        return [*problems, f"{where}: a broken format string ({exc}): {zh!r} / {en!r}"]
    if zh_names != en_names:
        problems.append(f"{where}: placeholders differ: {sorted(zh_names)} vs {sorted(en_names)}")
    return problems


def test_every_tr_call_has_both_languages_and_matching_placeholders() -> None:
    calls = _calls("tr") + _calls("both")  # both() keeps the two languages of one text
    assert len(calls) > 300, "the scan lost the calls"
    problems = []
    for where, call in calls:
        pair = _literal_pair(call)
        if pair is None:
            problems.append(
                f"{where}: tr() needs two literal strings (the test cannot check anything else)"
            )
            continue
        zh, en = pair
        problems += _pair_problems(where, zh, en)
        try:
            needed = placeholders(zh) | placeholders(en)
        except ValueError:
            continue
        names = {k.arg for k in call.keywords}
        if None in names:
            continue  # tr(..., **values): checked where the values are built
        if needed - names:
            problems.append(f"{where}: placeholders without a value: {sorted(needed - names)}")
        if names - needed:
            problems.append(
                f"{where}: values no text uses: {sorted(names - needed)}"
            )  # a lost placeholder
    assert not problems, "\n".join(problems)


def test_every_literal_pick_call_has_both_languages() -> None:
    """pick() mostly chooses between texts the core carries; literals given to it are checked."""
    problems = []
    literal = 0
    for where, call in _calls("pick"):
        pair = _literal_pair(call)
        if pair is not None:
            literal += 1
            problems += _pair_problems(where, *pair)
            if placeholders(pair[0]) or placeholders(pair[1]):
                problems.append(f"{where}: pick() does not fill placeholders; use tr()")
    assert not problems, "\n".join(problems)


def test_every_tr_call_renders_in_every_language() -> None:
    """Each text formats in zh, en and the pseudo-locale with its values (no KeyError)."""
    before = current_language()
    try:
        for where, call in _calls("tr") + _calls("both"):
            pair = _literal_pair(call)
            if pair is None or any(k.arg is None for k in call.keywords):
                continue
            values = {k.arg: 1 for k in call.keywords if k.arg}
            for language in ("zh_CN", "en", PSEUDO):
                set_language(language)
                text = tr(*pair, **values)
                assert text.strip(), where
                if language == PSEUDO:
                    assert text.startswith("[") and text.endswith("]"), (where, text)
    finally:
        set_language(before)


def test_the_scan_sees_what_the_check_needs() -> None:
    """The checker itself: it catches each kind of mistake."""
    assert _pair_problems("x", "Export", "Export")  # untranslated
    assert _pair_problems("x", "Export", "导出")  # swapped
    assert _pair_problems("x", "导出 {n}", "Export {count}")  # placeholders differ
    assert _pair_problems("x", "", "Export")  # missing
    assert _pair_problems("x", "导出 {n", "Export {n")  # broken braces
    assert not _pair_problems("x", "导出 {n} 项", "Exported {n}")
    assert not _pair_problems("x", "{n}/{total}", "{n}/{total}")  # identical on purpose
    assert not _pair_problems("x", "PDF", "PDF")
    assert _english_prose(ast.parse('f"created case {path}"', mode="eval").body) == "created case "
    assert _english_prose(ast.parse('f"FAIL {code}: {message}"', mode="eval").body) is None
    assert _english_prose(ast.parse('"use zh or en / 只能是 zh 或 en"', mode="eval").body) is None


# -- the command line --------------------------------------------------------------------------

CLI_FILES = tuple(sorted((APP / "cli").glob("*.py")))  # the command line's package


def _english_prose(node: ast.expr) -> str | None:
    """The English prose of a bare literal or f-string (no CJK, has words), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    else:
        return None
    if CJK.search(text) or not ENGLISH_WORD.search(text):
        return None  # bilingual on purpose, or symbols and acronyms ("FAIL", "ZIP", "#")
    return text


def test_command_line_prints_and_helps_only_through_tr() -> None:
    """Messages (out, err), help and descriptions in the CLI modules are never bare English."""
    problems = []
    for path in CLI_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            shown: list[ast.expr] = [
                k.value for k in node.keywords if k.arg in ("help", "description", "title")
            ]
            if (
                isinstance(node.func, ast.Name)
                and node.func.id in ("_out", "_err", "out", "err")
                and node.args
            ):
                arg = node.args[0]
                shown += [arg]
                if isinstance(arg, ast.BinOp):  # "a" + "b"
                    shown += [arg.left, arg.right]
            for value in shown:
                if (text := _english_prose(value)) is not None:
                    problems.append(f"{path.relative_to(APP.parent)}:{node.lineno}: {text[:50]!r}")
    assert not problems, "\n".join(problems)


def test_window_has_no_untranslated_chinese_literals() -> None:
    """Chinese text in app/ui must go through tr() (docstrings and comments aside)."""
    problems = []
    for path in (APP / "ui").rglob("*.py"):
        if path.name == "qt_texts.py":
            continue  # Qt's own English texts and their Chinese: a translator's table, not tr()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside_tr: set[int] = set()
        docstrings: set[int] = set()
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("tr", "pick")
            ):
                inside_tr |= {id(a) for a in ast.walk(node)}
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body:
                first = node.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    docstrings.add(id(first.value))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CJK.search(node.value)
                and id(node) not in inside_tr
                and id(node) not in docstrings
            ):
                problems.append(
                    f"{path.relative_to(APP.parent)}:{node.lineno}: {node.value[:40]!r}"
                )
    allowed = {"中文（简体）"}  # the language's own name is shown untranslated on purpose
    problems = [p for p in problems if not any(a in p for a in allowed)]
    assert not problems, "\n".join(problems)


# -- choosing and switching ---------------------------------------------------------------------


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
    set_language("zh")  # the short form the command line takes
    assert current_language() == "zh_CN"
    with pytest.raises(ValueError):
        set_language("fr")


def test_pseudo_locale_stretches_english_and_keeps_values(english) -> None:
    set_language(PSEUDO)
    text = tr("导出 {n} 项", "Export {n} items", n=12)
    assert text.startswith("[") and text.endswith("]")
    assert "12" in text and "Export" not in text and "Éxpöřţ" in text
    assert len(text) >= 1.4 * len("Export 12 items")
    assert tr("完成", "Done") == pseudo("Done")
    assert len(pseudo("Export")) >= 1.4 * len("Export")
    assert pick("签收", "Signed").startswith("[")
    assert tr("{{原样}} {n}", "{{as is}} {n}", n=1).count("{") == 1  # escaped braces survive


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"EVIDENCE_DESK_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),  # the variable wins
        ({"EVIDENCE_DESK_LANG": "zh"}, "zh_CN"),
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_TW.UTF-8"}, "zh_CN"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),  # English is the second language we carry
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),  # POSIX order: LC_ALL first
        ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "zh_CN"),  # "no locale": the tool's default
        ({"LANG": "POSIX"}, "zh_CN"),
        ({}, "zh_CN"),
        ({"EVIDENCE_DESK_LANG": "klingon", "LANG": "en_US.UTF-8"}, "en"),  # a bad value is ignored
    ],
)
def test_command_line_language_from_the_environment(environ: dict[str, str], expected: str) -> None:
    assert language_from_environment(environ) == expected


def test_language_names() -> None:
    assert normalise_language("zh-CN") == normalise_language("zh_CN.UTF-8") == "zh_CN"
    assert normalise_language("EN") == normalise_language("en_US") == "en"
    assert normalise_language("fr") is None
