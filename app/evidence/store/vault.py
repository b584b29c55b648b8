"""Content-addressed store of byte-exact originals inside a case folder.

Layout: originals/ab/<sha256>.<ext>, made read-only. A copy is written to originals/.incoming/
first, hashed while it is written, flushed to disk and only then renamed into place, so a
crash leaves either nothing or a complete file. Just before the rename a marker
(.incoming/<name>.committing) says "this file's row is being written"; the importer removes it
once the row is in. `sweep` deletes only what a crash provably left: partial copies and marked
files without a row. Any other original the database does not list (a restored, older
case.sqlite) is moved to recovered/<time>/, never deleted.

Paths read from case.sqlite are untrusted (a case folder can come from someone else): every
reader goes through `original_path` or `derived_path`, which keep them inside the case and
never through a link.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from app.evidence.errors import EmptyFile, UnreadableFile, UnsafeStoredPath
from app.evidence.i18n import Text, both

ORIGINALS = "originals"
DERIVED = "derived"
RECOVERED = "recovered"
INCOMING = ".incoming"
COMMITTING = ".committing"
CHUNK = 1024 * 1024
FLUSH_THREADS = 8
_REPARSE_POINT = getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400)


@dataclass(frozen=True)
class StagedCopy:
    """A complete copy written to the incoming folder, not yet in the vault.

    Attributes:
        head: the source's first bytes (up to `stage_copy`'s head_bytes), from the same read
            as the copy: what the importer sniffs, so the source is opened and read once.
        source_stat: the source's stat, taken on the handle the copy was read from.
    """

    temp_path: Path
    sha256: str
    size: int
    head: bytes = b""
    source_stat: os.stat_result | None = None


def relative_path(sha256: str, ext: str) -> str:
    """Where an original with this hash lives, relative to the case folder (always '/')."""
    return f"{ORIGINALS}/{sha256[:2]}/{sha256}.{ext}"


def original_path(case_root: Path, stored: str) -> Path:
    """The absolute path of an original whose path case.sqlite records as `stored`.

    The stored text must be a relative '/' path under originals/ (not in its incoming folder),
    and no folder on the way nor the file itself may be a link (symbolic link or junction).
    A path that passes is returned whether the file exists or not: a missing original is for
    the caller to report.

    Raises:
        UnsafeStoredPath: the path leaves originals/, or a link or a pipe/device is on it.
    """
    return _contained(Path(case_root), stored, ORIGINALS)


def original_path_or_none(case_root: Path, stored: str) -> Path | None:
    """`original_path`, or None when the recorded path is unsafe (for a preview: nothing shown)."""
    try:
        return original_path(case_root, stored)
    except UnsafeStoredPath:
        return None


def derived_path(case_root: Path, stored: str) -> Path:
    """Like `original_path`, for a file or folder under derived/ (thumbnails, OCR caches)."""
    return _contained(Path(case_root), stored, DERIVED)


def is_link(info: os.stat_result) -> bool:
    """True for a symbolic link, and on Windows for a junction or other reparse point."""
    attributes = getattr(info, "st_file_attributes", 0)
    return stat.S_ISLNK(info.st_mode) or bool(attributes & _REPARSE_POINT)


def _contained(case_root: Path, stored: str, area: str) -> Path:
    parts = _stored_parts(stored, area)
    path = case_root
    for n, part in enumerate(parts):
        path = path / part
        try:
            info = os.lstat(path)
        except OSError:  # not there (or a file where a folder should be): the caller says missing
            return case_root.joinpath(*parts)
        if is_link(info):
            link = "/".join(parts[: n + 1])
            message = both(
                "案件内的 {path} 是链接（符号链接或目录联接），不会跟随",
                "{path} is a link (symbolic link or junction) inside the case; not followed",
                path=_printable(link),
            )
            raise UnsafeStoredPath(message, stored)
        last = n == len(parts) - 1
        if not last and not stat.S_ISDIR(info.st_mode):
            return case_root.joinpath(*parts)
        if last and not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
            message = both(
                "{path} 不是普通文件（管道或设备），不会读取",
                "{path} is not a regular file (a pipe or a device); not read",
                path=_printable(stored),
            )
            raise UnsafeStoredPath(message, stored)
    return path


def _stored_parts(stored: object, area: str) -> list[str]:
    text = stored if isinstance(stored, str) else ""
    parts = text.split("/")
    bad = (
        not text
        or any(c in text for c in "\\:\x00")
        or len(parts) < 2
        or parts[0] != area
        or any(p in ("", ".", "..") for p in parts)
        or (area == ORIGINALS and INCOMING in parts)
    )
    if bad:
        message = both(
            "记录的路径 {path} 指向案件的 {area}/ 文件夹之外，不会读取",
            "the recorded path {path} leads outside the case's {area}/ folder; not read",
            path=_printable(str(stored)),
            area=area,
        )
        raise UnsafeStoredPath(message, str(stored))
    return parts


def _printable(text: str, limit: int = 120) -> str:
    """A stored path as it may be printed: control characters escaped, length capped."""
    safe = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return safe[:limit] + ("…" if len(safe) > limit else "")


def stage_copy(
    source: Path,
    case_root: Path,
    durable: bool = False,
    *,
    check_head: Callable[[bytes], object] | None = None,
    head_bytes: int = 512,
) -> StagedCopy:
    """Copy `source` into the incoming folder while hashing it, in one pass over its bytes.

    The source is opened once and each byte read once: the hash and the copy come from the same
    buffer, and the first `head_bytes` are kept in the result (for sniffing) with the handle's
    stat. `check_head`, given those first bytes, runs before anything is written: when it
    raises (a format the caller refuses), no copy is made and the exception goes up as it is.

    With durable=False the copy is not forced to disk here: a killed process loses nothing the
    OS already holds, and `flush` forces a whole batch to disk at once, which costs far less
    than one fsync per file.

    Raises:
        EmptyFile: the source has zero bytes.
        UnreadableFile: the source cannot be read or the copy cannot be written.
        UnsafeStoredPath: originals/ or its incoming folder is a link.
    """
    incoming = case_root / ORIGINALS / INCOMING
    incoming.mkdir(parents=True, exist_ok=True)
    for folder in (case_root / ORIGINALS, incoming):
        if _lstat_is_link(folder):  # copies would land wherever the link leads
            message = both(
                "案件内的 {path} 是链接（符号链接或目录联接），不会写入",
                "{path} is a link (symbolic link or junction) inside the case; "
                "nothing is written through it",
                path=folder.relative_to(case_root).as_posix(),
            )
            raise UnsafeStoredPath(message, folder.relative_to(case_root).as_posix())
    temp = incoming / f"{uuid.uuid4().hex}.part"
    digest = hashlib.sha256()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    try:
        with open(source, "rb", buffering=0) as src:
            info = os.fstat(src.fileno())
            n = _fill(src, view)
            head = bytes(view[: min(n, head_bytes)])
            if n == 0:
                empty = both(
                    "{name} 是空文件（0 字节）", "{name} is empty (0 bytes)", name=source.name
                )
                raise EmptyFile(empty, str(source))
            if check_head is not None:
                check_head(head)
            size = 0
            with open(temp, "wb", buffering=0) as dst:
                while n:
                    chunk = view[:n]
                    digest.update(chunk)
                    _write_all(dst, chunk)
                    size += n
                    n = _fill(src, view)
                if durable:
                    os.fsync(dst.fileno())
    except OSError as exc:
        temp.unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):  # the case's disk, not the source file
            raise UnreadableFile(
                both(
                    "{name}：未导入，磁盘空间不足；腾出空间后重新运行导入",
                    "{name}: not imported, the disk is full; free some space and import again",
                    name=source.name,
                ),
                str(source),
            ) from exc
        raise UnreadableFile(
            both(
                "无法读取 {name}：{error}",
                "cannot read {name}: {error}",
                name=source.name,
                error=exc.strerror or exc,
            ),
            str(source),
        ) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return StagedCopy(temp, digest.hexdigest(), size, head, info)


def _fill(src: BinaryIO, view: memoryview) -> int:
    """Read into `view` until it is full or the file ends; the number of bytes read.

    An unbuffered read may return less than asked (a pipe, a network share); filling the
    buffer keeps the head complete and the writes large.
    """
    total = 0
    while total < len(view):
        got = src.readinto(view[total:])  # type: ignore[attr-defined]
        if not got:
            break
        total += got
    return total


def _write_all(dst: BinaryIO, data: memoryview) -> None:
    """Write every byte (an unbuffered write may take only part of them)."""
    while data:
        written = dst.write(data)
        if not written:
            raise OSError(errno.EIO, "the copy could not be written")
        data = data[written:]


def commit_copy(staged: StagedCopy, case_root: Path, ext: str) -> str:
    """Move a staged copy into place and make it read-only; returns its relative path.

    Leaves a marker saying the file's row is being written; call `settle` once it is.

    Raises:
        UnsafeStoredPath: a link sits where the original's folder or file goes.
    """
    rel = relative_path(staged.sha256, ext)
    (case_root / rel).parent.mkdir(parents=True, exist_ok=True)
    final = original_path(case_root, rel)  # a planted originals/ab -> elsewhere is refused
    if final.is_file():
        # A leftover from an import that crashed before its row was written: same bytes by name.
        _make_writable(final)
    _marker(case_root, final.name).touch()
    os.replace(staged.temp_path, final)
    final.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return rel


def settle(case_root: Path, rel: str) -> None:
    """The row of the original at `rel` is written: it is no longer a crash leftover."""
    _marker(case_root, rel.rsplit("/", 1)[-1]).unlink(missing_ok=True)


def _marker(case_root: Path, name: str) -> Path:
    return case_root / ORIGINALS / INCOMING / f"{name}{COMMITTING}"


def discard(staged: StagedCopy) -> None:
    """Remove a staged copy that is not needed (a duplicate)."""
    staged.temp_path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Sweep:
    """What `sweep` did to files the database does not list.

    Attributes:
        removed: crash leftovers deleted (partial copies, marked copies whose row never came).
        recovered: originals the database does not list, moved to recovered/<time>/ (paths
            relative to the case).
        links: links found in originals/, left as they are (never followed, changed or deleted).
    """

    removed: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def sweep(
    case_root: Path,
    known: Iterable[str],
    recorded_sha256: Iterable[str] = (),
    *,
    stamp: str | None = None,
) -> Sweep:
    """Tidy what a crash left in originals/; keep aside what the database does not list.

    Deleted: partial copies in the incoming folder, and a file whose marker shows its import was
    cut short before its row was written (its source is where the import read it from). Any other
    unlisted original is moved to recovered/<stamp>/ (never deleted: a restored case.sqlite does
    not list what was imported after its backup). A file whose hash the audit log recorded as
    imported stays in place: damage for `verify` to report. Links are never followed, changed,
    moved or deleted. Only call with the writer lock held: an import in progress elsewhere would
    look unlisted.
    """
    keep = set(known)
    protected = set(recorded_sha256)
    done = Sweep()
    root = case_root / ORIGINALS
    try:
        if is_link(os.lstat(root)):
            done.links.append(ORIGINALS)
            return done
    except OSError:
        return done
    incoming = root / INCOMING
    marked = {
        entry.name[: -len(COMMITTING)]
        for entry in _plain_files(incoming, case_root, done)
        if entry.name.endswith(COMMITTING)
    }
    stamp = stamp or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        if here == root:
            dirs[:] = [d for d in dirs if d != INCOMING]
        for name in list(dirs):
            if _lstat_is_link(here / name):
                done.links.append((here / name).relative_to(case_root).as_posix())
                dirs.remove(name)
        for name in names:
            entry = here / name
            rel = entry.relative_to(case_root).as_posix()
            try:
                info = os.lstat(entry)
            except OSError:
                continue
            if is_link(info):
                done.links.append(rel)
                continue
            if not stat.S_ISREG(info.st_mode) or rel in keep or name.split(".")[0] in protected:
                continue
            if name in marked:
                _make_writable(entry)
                entry.unlink(missing_ok=True)
                done.removed.append(rel)
            elif not _lstat_is_link(case_root / RECOVERED):  # else it stays for verify to report
                done.recovered.append(_keep_aside(case_root, entry, stamp))
    for entry in _plain_files(incoming, case_root, done):
        entry.unlink(missing_ok=True)
        if not entry.name.endswith(COMMITTING):
            done.removed.append(entry.relative_to(case_root).as_posix())
    return done


def _plain_files(folder: Path, case_root: Path, done: Sweep) -> list[Path]:
    """Regular files directly in `folder` (links noted in `done`, never followed)."""
    if _lstat_is_link(folder):  # a linked incoming folder: its target's files are not ours
        done.links.append(folder.relative_to(case_root).as_posix())
        return []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    found = []
    for entry in entries:
        path = Path(entry.path)
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if is_link(info):
            done.links.append(path.relative_to(case_root).as_posix())
        elif stat.S_ISREG(info.st_mode):
            found.append(path)
    return found


def _lstat_is_link(path: Path) -> bool:
    try:
        return is_link(os.lstat(path))
    except OSError:
        return False


def _keep_aside(case_root: Path, entry: Path, stamp: str) -> str:
    """Move an unlisted original to recovered/<stamp>/ under a free name; its new relative path."""
    folder = case_root / RECOVERED / stamp
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / entry.name
    n = 1
    while os.path.lexists(target):
        target = folder / f"{n}-{entry.name}"
        n += 1
    os.rename(entry, target)
    return target.relative_to(case_root).as_posix()


def recovered_files(case_root: Path) -> list[str]:
    """Regular files waiting in recovered/ (relative paths, sorted); links there are skipped."""
    root = case_root / RECOVERED
    if not root.is_dir() or _lstat_is_link(root):
        return []
    found = []
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not _lstat_is_link(here / d))
        for name in sorted(names):
            path = here / name
            try:
                if stat.S_ISREG(os.lstat(path).st_mode):
                    found.append(path.relative_to(case_root).as_posix())
            except OSError:
                continue
    return found


def folder_problems(case_root: Path) -> list[tuple[str, Text]]:
    """What `verify` reports about the case folder itself: files kept aside, links.

    Returns:
        (code, message) pairs: "recovered_file" for each original in recovered/ that the
        database does not list, "link_in_case" for each link under originals/.
    """
    problems: list[tuple[str, Text]] = [
        (
            "recovered_file",
            both(
                "{path} 不在 case.sqlite 中（打开案件时移到一旁，未删除）；"
                "运行 evidence-desk recover 案件 可将其重新导入",
                "{path} is not in case.sqlite (kept aside when the case was opened, not deleted); "
                "`evidence-desk recover CASE` imports it back",
                path=rel,
            ),
        )
        for rel in recovered_files(case_root)
    ]
    root = case_root / ORIGINALS
    if _lstat_is_link(root):
        links = [ORIGINALS]
    else:
        links = []
        for folder, dirs, names in os.walk(root):
            here = Path(folder)
            for name in [*dirs, *names]:
                if _lstat_is_link(here / name):
                    links.append((here / name).relative_to(case_root).as_posix())
            dirs[:] = [d for d in dirs if not _lstat_is_link(here / d)]
    problems += [
        (
            "link_in_case",
            both(
                "{path} 是原件文件夹里的链接（符号链接或目录联接），未跟随",
                "{path} is a link (symbolic link or junction) in the originals folder; "
                "not followed",
                path=rel,
            ),
        )
        for rel in sorted(links)
    ]
    return problems


def flush(case_root: Path, relative_paths: Iterable[str]) -> None:
    """Force these vault files and then their folders to disk (after a batch of imports).

    The fsyncs run a few at a time: the file system commits its journal once for all the
    fsyncs waiting together, where one after the other each waits for a commit of its own
    (200 phone photos: 1.6 s one by one, 0.3 s eight at a time, on ext4). Returns once every
    file and folder is on disk, as before.
    """
    files = [case_root / rel for rel in relative_paths]
    folders = list(dict.fromkeys(path.parent for path in files))
    if os.name != "posix":  # a folder cannot be opened for fsync on Windows; NTFS journals renames
        folders = []
    if len(files) + len(folders) <= 1:
        for path in [*files, *folders]:
            _fsync_path(path)
        return
    with ThreadPoolExecutor(FLUSH_THREADS, thread_name_prefix="fsync") as pool:
        list(pool.map(_fsync_path, files))  # the files' data first, then the names pointing at it
        list(pool.map(_fsync_path, folders))


def _fsync_path(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def hash_file(path: Path) -> str:
    """SHA-256 of a file, streamed."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _make_writable(path: Path) -> None:
    # Windows refuses to replace or delete a read-only file; POSIX does not care, so nothing is
    # chmod'ed there (a chmod follows links: never through one the caller's check missed).
    if os.name != "nt" or _lstat_is_link(path):
        return
    with contextlib.suppress(OSError):
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
