"""One translation function for the window, the command line and the PDF.

Strings are written where they are used, Chinese first with the English beside it:
``tr("导入 {n} 项", "Imported {n} items", n=3)``. The current language picks one; placeholders
must match in both (a test scans every call). Chinese (zh_CN) is the default.
"""

from __future__ import annotations

import string
import threading

LANGUAGES = ("zh_CN", "en")
_state = threading.local()
_default = "zh_CN"


def set_language(language: str) -> None:
    """Choose the language for every later tr() call (process-wide default and this thread)."""
    global _default
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
    _default = language
    _state.language = language


def current_language() -> str:
    """The language tr() uses now."""
    return getattr(_state, "language", _default)


def tr(zh: str, en: str, /, **params: object) -> str:
    """The text in the current language, with {placeholders} filled in."""
    text = en if current_language() == "en" else zh
    return text.format(**params) if params else text


def pick(zh: str | None, en: str | None) -> str:
    """Choose between two texts the core already carries in both languages (findings, rules)."""
    if current_language() == "en":
        return en or zh or ""
    return zh or en or ""


def placeholders(text: str) -> set[str]:
    """The {names} a format string uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
