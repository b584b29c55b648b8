"""Windows rules for the names and paths the core writes, and for the console it prints to.

Most users prepare their evidence on Windows, where a name that is fine on Linux can be
impossible to create, open or delete:

- reserved device names: CON, PRN, AUX, NUL, COM1-COM9, LPT1-LPT9 (and COM¹²³/LPT¹²³), whole or
  before any extension ("nul.txt", "con.tar.gz" and "CON .jpg" are the device too);
- a trailing dot or space (Explorer strips it, so the file cannot be opened by its name);
- the characters <>:"/\\|? and *, and control characters (U+0000-U+001F, U+007F);
- a path of 260 characters or more (MAX_PATH) unless it carries the \\\\?\\ long-path prefix.

`safe_component` makes one file or folder name obey the name rules (on every OS, so an export
made on Linux unpacks on Windows); `long_path` gives the prefixed form of a long absolute path on
Windows and leaves every other path alone. `CASE_MARKER` is the small file every new case folder
carries, so the Windows installer can associate it with the app (double-click opens the case);
`case_root_of` turns such a marker (or a folder) given on the command line into the case folder.
`safe_console` keeps the command line from crashing with UnicodeEncodeError when its output is
a Chinese (cp936/GBK) console or a file redirected from one.
"""

from __future__ import annotations

import contextlib
import ntpath
import os
import re
import sys
from pathlib import Path
from typing import TextIO

MAX_PATH = 260  # characters, including the drive and the terminating NUL (so 259 usable)
# a folder must leave room for an 8.3 file name inside it (CreateDirectoryW: MAX_PATH - 12)
SHORT_ENOUGH = MAX_PATH - 12
MAX_COMPONENT = 255  # NTFS: UTF-16 code units in one name
LONG_PREFIX = "\\\\?\\"
UNC_LONG_PREFIX = "\\\\?\\UNC\\"
CASE_MARKER_SUFFIX = ".evidencecase"
CASE_MARKER = f"举证助手案件{CASE_MARKER_SUFFIX}"
CASE_MARKER_TEXT = (
    "举证助手（EvidenceDesk）案件文件夹。双击此文件用举证助手打开本案件；删除它不会影响案件。\n"
    "An EvidenceDesk case folder. Double-click this file to open the case; deleting it does not "
    "affect the case.\n"
)

_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"{device}{n}" for device in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def is_reserved(name: str) -> bool:
    """True for a name Windows takes as a device: CON, nul.txt, Com1.tar.gz, "AUX .log"."""
    stem = name.split(".", 1)[0].rstrip(" ")
    return stem.upper() in _RESERVED


def is_safe_component(name: str) -> bool:
    """True when `name` can be created, opened and deleted by that name on Windows."""
    return (
        bool(name)
        and name not in (".", "..")
        and not _FORBIDDEN.search(name)
        and not name.endswith((".", " "))
        and not is_reserved(name)
        and _utf16_units(name) <= MAX_COMPONENT
    )


def safe_component(name: str, fallback: str = "file", limit: int = MAX_COMPONENT) -> str:
    """One file or folder name that obeys Windows' rules, as close to `name` as possible.

    Forbidden and control characters become "_", trailing dots and spaces go, a reserved name
    gets a "_" in front ("CON.txt" -> "_CON.txt"), "." and ".." and an empty result become
    `fallback`, and a name longer than `limit` UTF-16 units is shortened before its extension.
    """
    name = _FORBIDDEN.sub("_", name).rstrip(" .")
    if name in ("", ".", ".."):
        name = fallback
    if is_reserved(name):
        name = "_" + name
    if _utf16_units(name) > limit:
        stem, dot, ext = name.rpartition(".")
        if not dot or not stem or _utf16_units(ext) > 16:
            stem, dot, ext = name, "", ""
        room = limit - _utf16_units(dot + ext)
        while _utf16_units(stem) > room:
            stem = stem[:-1]
        name = stem.rstrip(" .") + dot + ext
    return name


def long_path(path: str | os.PathLike[str], *, windows: bool | None = None) -> str:
    """`path` as a string the Windows file API accepts whatever its length.

    On Windows a path of SHORT_ENOUGH (248) characters or more gets the long-path prefix
    (\\\\?\\C:\\... or \\\\?\\UNC\\server\\share\\...) after being made absolute and normalised (the
    prefix turns off the API's own "." and ".." handling). Shorter paths, paths that already
    carry a prefix, and every path on other systems come back unchanged.
    """
    text = os.fspath(path)
    if not (os.name == "nt" if windows is None else windows):
        return text
    if text.startswith(LONG_PREFIX) or len(text) < SHORT_ENOUGH:
        return text
    full = ntpath.normpath(ntpath.join(os.getcwd(), text) if not ntpath.isabs(text) else text)
    if len(full) < SHORT_ENOUGH:
        return full
    if full.startswith("\\\\"):  # \\server\share\... -> \\?\UNC\server\share\...
        return UNC_LONG_PREFIX + full[2:]
    return LONG_PREFIX + full


def write_case_marker(case_root: Path) -> None:
    """Leave the marker file in a new case folder (a failure is not an error: it is a shortcut)."""
    with contextlib.suppress(OSError):
        (case_root / CASE_MARKER).write_text(CASE_MARKER_TEXT, encoding="utf-8")


def case_root_of(path: Path) -> Path:
    """The case folder for what the user opened: a marker file means the folder it is in."""
    if path.suffix.lower() == CASE_MARKER_SUFFIX and not path.is_dir():
        return path.parent
    return path


def safe_console(*streams: TextIO) -> None:
    """Make text streams replace what their encoding cannot show instead of raising.

    A Chinese Windows console (or a file redirected from it) encodes in cp936 (GBK), which has
    no emoji, no Korean, no U+202E: a file name with one of those would end the command with
    UnicodeEncodeError half way through its output. UTF-8 streams are left alone.
    """
    for stream in streams or (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding in ("utf8", "utf8sig") or reconfigure is None:
            continue
        with contextlib.suppress(OSError, ValueError):  # a closed or detached stream
            reconfigure(errors="replace")


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
