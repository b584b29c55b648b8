"""One translation function for the window, the command line and the PDF.

Strings are written where they are used, Chinese first with the English beside it:
``tr("导入 {n} 项", "Imported {n} items", n=3)``. The current language picks one; placeholders
must match in both (a test scans every call). Chinese (zh_CN) is the default.

A third mode, ``pseudo``, shows the English stretched by about 40 % with accents and brackets
(``[Ëxpört ~~~]``): a layout test runs the window in it to find labels that would clip in a
longer translation, and untranslated text stands out because it is not bracketed.
"""

from __future__ import annotations

import math
import os
import string
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass

LANGUAGES = ("zh_CN", "en")
"""The languages a user can choose."""
PSEUDO = "pseudo"
"""The test-only pseudo-locale."""
ENV_VAR = "EVIDENCE_DESK_LANG"
"""Environment variable that chooses the language (zh, en) of the command line and the window."""

_state = threading.local()
_default = "zh_CN"


def normalise_language(value: str) -> str | None:
    """ "zh", "zh-CN", "zh_CN.UTF-8" -> "zh_CN"; "en", "en_GB" -> "en"; "pseudo"; else None."""
    tag = value.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_").lower()
    if tag == PSEUDO:
        return PSEUDO
    if tag == "zh" or tag.startswith("zh_"):
        return "zh_CN"  # the only Chinese we carry; a zh_TW user still reads it
    if tag == "en" or tag.startswith("en_"):
        return "en"
    return None


def set_language(language: str) -> None:
    """Choose the language for every later tr() call (process-wide default and this thread).

    Accepts the names of LANGUAGES, "pseudo", and the short forms normalise_language() knows.
    """
    global _default
    chosen = normalise_language(language) if language not in (*LANGUAGES, PSEUDO) else language
    if chosen is None:
        raise ValueError(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
    _default = chosen
    _state.language = chosen


def current_language() -> str:
    """The language tr() uses now."""
    return getattr(_state, "language", _default)


def tr(zh: str, en: str, /, **params: object) -> str:
    """The text in the current language, with {placeholders} filled in."""
    language = current_language()
    if language == PSEUDO:
        return _pseudo_format(en, params)
    text = en if language == "en" else zh
    return text.format(**params) if params else text


def pick(zh: str | None, en: str | None) -> str:
    """Choose between two texts the core already carries in both languages (findings, rules)."""
    language = current_language()
    if language == PSEUDO:
        return pseudo(en or zh or "")
    if language == "en":
        return en or zh or ""
    return zh or en or ""


@dataclass(frozen=True)
class Text:
    """One message in both languages, shown in the language current when it is printed.

    The core raises errors whose text may end up in a bilingual place (a finding's zh and en
    explanations, `check --json`, which is the same in every language) as well as on screen:
    `str()` picks the current language, `.zh` and `.en` stay available. Build it with both().
    """

    zh: str
    en: str

    def __str__(self) -> str:
        return pick(self.zh, self.en)


def both(zh: str, en: str, /, **params: object) -> Text:
    """Like tr(), but keeps both languages (see Text); checked by the same test as tr()."""
    if params:
        return Text(zh.format(**params), en.format(**params))
    return Text(zh, en)


def placeholders(text: str) -> set[str]:
    """The {names} a format string uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# -- choosing the language of the command line -------------------------------------------------


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The command line's language when no --lang is given.

    In order: EVIDENCE_DESK_LANG; the POSIX locale (LC_ALL, then LC_MESSAGES, then LANG, as
    gettext reads them), Chinese when it starts with "zh" and English for any other real
    locale; on Windows, which sets none of these, the user's display language. Chinese when
    nothing says otherwise (no locale, or "C"/"POSIX"): the tool is made for Chinese users,
    zh_CN is the window's default too, and a bare "C" locale says nothing about the person at
    the keyboard (containers, cron, ssh sessions and Windows terminals leave it unset).
    """
    env = os.environ if environ is None else environ
    explicit = env.get(ENV_VAR, "")
    if explicit and (chosen := normalise_language(explicit)) is not None:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if not value:
            continue
        if value.split(".", 1)[0] in ("C", "POSIX"):
            break  # the "no locale" locale: fall through to the default
        return "zh_CN" if value.lower().startswith("zh") else "en"
    if sys.platform == "win32" and environ is None:
        return _windows_language() or "zh_CN"
    return "zh_CN"


def _windows_language() -> str | None:
    """zh_CN or en from the Windows display language (None when it cannot be read)."""
    try:
        import ctypes

        lang_id = int(ctypes.windll.kernel32.GetUserDefaultUILanguage())  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None
    return "zh_CN" if lang_id & 0x3FF == 0x04 else "en"  # 0x04: LANG_CHINESE


# -- the pseudo-locale -------------------------------------------------------------------------

_ACCENTED = str.maketrans(
    "AaCcDEeGgHIiJKkLlNnOoRrSsTtUuWwYyZz",
    "ÅåÇçÐÉéĜĝĤÎîĴĶķĻļÑñÖöŘřŠšŢţÛûŴŵÝýŽž",
)
STRETCH = 0.4


def pseudo(text: str) -> str:
    """ "Export" -> "[Éxpört ~~~]": accented, about 40 % longer, bracketed (no placeholders)."""
    if not text:
        return text
    return f"[{_stretch(text)}]"


def _stretch(literal: str) -> str:
    if not literal.strip():
        return literal
    padding = "~" * max(1, math.ceil(len(literal) * STRETCH) - 2)  # the brackets count too
    return f"{literal.translate(_ACCENTED)} {padding}"


def _pseudo_format(en: str, params: Mapping[str, object]) -> str:
    """The pseudo text of `en`, placeholders kept and filled with their plain values."""
    if not params:
        return pseudo(en)
    parts = []
    for literal, name, spec, conversion in string.Formatter().parse(en):
        parts.append(literal.translate(_ACCENTED).replace("{", "{{").replace("}", "}}"))
        if name is not None:
            parts.append(
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
    plain = "".join(lit for lit, *_ in string.Formatter().parse(en))
    padding = "~" * max(1, math.ceil(len(plain) * STRETCH) - 2)
    return f"[{''.join(parts).format(**params)} {padding}]"
