"""Windows rules in the core: names, long paths, the case marker, and the Windows branches of the
vault and the case lock run here with the platform checks patched.

What "patched" means here: the module under test sees os.name == "nt" (or sys.platform ==
"win32") through a proxy of its own `os`/`sys` module, while every file operation stays real.
Where Windows behaves differently from Linux, the difference is emulated and named: Windows
refuses to replace a read-only file (os.replace raises PermissionError), and msvcrt.locking
is a byte-range lock that the second holder gets PermissionError from (here an flock).
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import types
from pathlib import Path

import pytest

from app.evidence import winpaths
from app.evidence.archive.cases import case_folder
from app.evidence.errors import CaseInUse
from app.evidence.export.manifest import archive_name
from app.evidence.store import lock as lock_module
from app.evidence.store import vault
from app.evidence.store.case import Case
from app.evidence.store.lock import WriterLock
from app.evidence.winpaths import (
    CASE_MARKER,
    case_root_of,
    is_reserved,
    is_safe_component,
    long_path,
    safe_component,
)

# -- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "CON",
        "con",
        "PRN",
        "AUX",
        "NUL",
        "nul.txt",
        "COM1",
        "com9.log",
        "LPT1",
        "Lpt9.tar.gz",
        "CON .jpg",
        "COM¹",
        "lpt³.txt",
    ],
)
def test_reserved_device_names_with_or_without_extension(name: str) -> None:
    assert is_reserved(name)
    safe = safe_component(name)
    assert is_safe_component(safe) and not is_reserved(safe)
    assert safe == "_" + name.rstrip(" .")


@pytest.mark.parametrize(
    "name", ["CONSOLE", "COM0", "COM10", "LPT", "NULL.txt", "aux_1", "证据CON"]
)
def test_names_that_only_look_reserved_are_kept(name: str) -> None:
    assert not is_reserved(name)
    assert safe_component(name) == name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ('a<b>c:d"e/f\\g|h?i*j.jpg', "a_b_c_d_e_f_g_h_i_j.jpg"),
        ("tab\there\x00nul\x1f\x7f.png", "tab_here_nul__.png"),
        ("trailing dot.", "trailing dot"),
        ("trailing space ", "trailing space"),
        ("both. . ", "both"),
        (".", "file"),
        ("..", "file"),
        ("", "file"),
        ("...", "file"),
        ("收货视频 2025.mp4", "收货视频 2025.mp4"),
    ],
)
def test_forbidden_characters_and_trailing_dots(name: str, expected: str) -> None:
    assert safe_component(name) == expected
    assert is_safe_component(expected)


def test_a_long_name_is_cut_before_its_extension_in_utf16_units() -> None:
    name = "证" * 300 + ".jpeg"
    safe = safe_component(name)
    assert safe.endswith(".jpeg") and len(safe.encode("utf-16-le")) // 2 == 255
    assert is_safe_component(safe) and not is_safe_component(name)
    emoji = "😀" * 200  # two UTF-16 units each
    assert len(safe_component(emoji).encode("utf-16-le")) // 2 <= 255


# -- long paths --------------------------------------------------------------------------------


def test_long_path_prefix_only_past_the_limit_and_only_on_windows() -> None:
    short = "C:\\Users\\张三\\案件\\证据.pdf"
    assert long_path(short, windows=True) == short
    deep = "C:\\Users\\张三\\" + "\\".join(["很长的文件夹名字" * 4] * 8) + "\\证据链.pdf"
    assert len(deep) >= 260
    prefixed = long_path(deep, windows=True)
    assert prefixed == "\\\\?\\" + deep
    assert long_path(prefixed, windows=True) == prefixed  # never twice
    assert long_path(deep, windows=False) == deep  # POSIX: untouched


def test_long_path_normalises_dots_and_handles_network_shares() -> None:
    deep = "C:\\案件\\" + "a" * 250 + "\\..\\" + "b" * 250 + "\\.\\x.pdf"
    assert long_path(deep, windows=True) == "\\\\?\\C:\\案件\\" + "b" * 250 + "\\x.pdf"
    share = "\\\\nas\\证据\\" + "c" * 260
    assert long_path(share, windows=True) == "\\\\?\\UNC\\nas\\证据\\" + "c" * 260


# -- where the core builds names ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order_no", "folder"),
    [
        ("..", "order"),
        (".", "order"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("12345.", "12345"),
        (" 2025061812345 ", "2025061812345"),
    ],
)
def test_an_archive_case_folder_stays_inside_and_is_creatable(
    tmp_path: Path, order_no: str, folder: str
) -> None:
    path = case_folder(tmp_path, order_no)
    assert path.name == folder
    assert path.parent == tmp_path / "cases"


def _exhibit(name: str, number: int = 7) -> types.SimpleNamespace:
    return types.SimpleNamespace(item=types.SimpleNamespace(original_name=name), number=number)


@pytest.mark.parametrize(
    "original",
    ["a" * 79 + " b", "x" * 79 + ".yz", "CON", "nul", "report. .", "photo.jpg"],
)
def test_zip_names_of_originals_obey_windows_rules(original: str) -> None:
    for keep in (True, False):
        name = archive_name(_exhibit(original), 3, original_names=keep)  # type: ignore[arg-type]
        folder, _, leaf = name.partition("/")
        assert folder == "originals" and is_safe_component(leaf), name


def test_a_new_case_carries_the_marker_the_installer_associates(tmp_path: Path) -> None:
    root = tmp_path / "案件"
    Case.create(root, "漏发").close()
    marker = root / CASE_MARKER
    assert marker.is_file() and "EvidenceDesk" in marker.read_text(encoding="utf-8")
    assert case_root_of(marker) == root
    assert case_root_of(root) == root
    with Case.open(case_root_of(marker)) as case:  # what a double-click in Explorer opens
        assert case.info().title == "漏发"


# -- the Windows branches of the vault and the lock ------------------------------------------------


def _windows_os(**overrides: object) -> types.SimpleNamespace:
    """The `os` module as a module under test sees it on Windows: name 'nt', the rest real."""
    proxy = types.SimpleNamespace(**{k: getattr(os, k) for k in dir(os) if not k.startswith("__")})
    proxy.name = "nt"
    for key, value in overrides.items():
        setattr(proxy, key, value)
    return proxy


def _replace_like_windows(src: str | Path, dst: str | Path) -> None:
    """os.replace with Windows' rule: a read-only target cannot be replaced (PermissionError)."""
    if os.path.exists(dst) and not os.stat(dst).st_mode & stat.S_IWUSR:
        raise PermissionError(errno.EACCES, "Access is denied", str(dst))
    os.replace(src, dst)


def _stage(case_root: Path, tmp_path: Path, data: bytes) -> vault.StagedCopy:
    source = tmp_path / "IMG_0001.jpg"
    source.write_bytes(data)
    return vault.stage_copy(source, case_root)


def test_originals_are_stored_read_only(tmp_path: Path) -> None:
    """On Windows, os.chmod without S_IWRITE is how Python sets FILE_ATTRIBUTE_READONLY."""
    root = tmp_path / "case"
    Case.create(root, "t").close()
    rel = vault.commit_copy(_stage(root, tmp_path, b"\xff\xd8original"), root, ".jpg")
    mode = (root / rel).stat().st_mode
    assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_a_read_only_leftover_is_replaced_on_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import that crashed left the read-only original behind: the next import replaces it."""
    root = tmp_path / "case"
    Case.create(root, "t").close()
    data = b"\xff\xd8same bytes"
    first = vault.commit_copy(_stage(root, tmp_path, data), root, ".jpg")  # the leftover
    monkeypatch.setattr(vault, "os", _windows_os(replace=_replace_like_windows))
    again = vault.commit_copy(_stage(root, tmp_path, data), root, ".jpg")
    assert again == first
    assert (root / again).read_bytes() == data
    assert not (root / again).stat().st_mode & stat.S_IWUSR  # read-only again


def test_without_the_windows_branch_the_leftover_blocks_the_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The emulation is what makes the test above mean something: POSIX code would fail."""
    root = tmp_path / "case"
    Case.create(root, "t").close()
    data = b"\xff\xd8same bytes"
    vault.commit_copy(_stage(root, tmp_path, data), root, ".jpg")
    monkeypatch.setattr(vault, "os", _windows_os(name="posix", replace=_replace_like_windows))
    with pytest.raises(PermissionError):
        vault.commit_copy(_stage(root, tmp_path, data), root, ".jpg")


def test_flush_on_windows_syncs_files_but_never_opens_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "case"
    Case.create(root, "t").close()
    rel = vault.commit_copy(_stage(root, tmp_path, b"\xff\xd8x"), root, ".jpg")
    opened: list[str] = []

    def open_and_note(path: str | Path, flags: int, *args: int) -> int:
        opened.append(str(path))
        if os.path.isdir(path):  # Windows: a folder cannot be opened like this
            raise PermissionError(errno.EACCES, "Access is denied", str(path))
        return os.open(path, flags, *args)

    synced: list[int] = []
    monkeypatch.setattr(
        vault, "os", _windows_os(open=open_and_note, fsync=lambda fd: synced.append(fd))
    )
    vault.flush(root, [rel])
    assert opened == [str(root / rel)] and len(synced) == 1


def _windows_lock(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, int]] | None:
    """sys.platform == 'win32' for the lock module, and an msvcrt whose locking is a real
    exclusive lock on the file (Windows' LK_NBLCK fails at once when another handle holds it).
    On Windows itself nothing is patched (None): the real msvcrt is tested."""
    if sys.platform == "win32":
        return None
    import fcntl

    calls: list[tuple[int, int, int]] = []

    def locking(fd: int, mode: int, nbytes: int) -> None:
        calls.append((fd, mode, nbytes))
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise PermissionError(errno.EACCES, "Permission denied") from exc

    msvcrt = types.ModuleType("msvcrt")
    msvcrt.LK_NBLCK = 2  # type: ignore[attr-defined]
    msvcrt.locking = locking  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "msvcrt", msvcrt)
    fake_sys = types.SimpleNamespace(platform="win32", modules=sys.modules)
    monkeypatch.setattr(lock_module, "sys", fake_sys)
    return calls


def test_the_case_lock_on_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _windows_lock(monkeypatch)
    tmp_path.joinpath("case").mkdir()
    first = WriterLock(tmp_path / "case")
    first.acquire()
    if calls is not None:
        assert calls[0][1:] == (2, 1)  # LK_NBLCK on one byte (the first: seek(0) before)
    second = WriterLock(tmp_path / "case")
    with pytest.raises(CaseInUse):
        second.acquire()
    first.release()
    second.acquire()  # the lock went with the first holder's handle
    second.release()
    assert (tmp_path / "case" / ".writer.lock").read_text() == str(os.getpid())


def test_the_winpaths_module_never_imports_qt() -> None:
    assert "PySide6" not in Path(winpaths.__file__).read_text(encoding="utf-8")
