"""Content-addressed store of byte-exact originals inside a case folder.

Layout: originals/ab/<sha256>.<ext>, made read-only. A copy is written to originals/.incoming/
first, hashed while it is written, flushed to disk and only then renamed into place, so a
crash leaves either nothing or a complete file; leftovers are removed by `sweep`.
"""

from __future__ import annotations

import hashlib
import os
import stat
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.evidence.errors import EmptyFile, UnreadableFile
from app.evidence.i18n import both

ORIGINALS = "originals"
INCOMING = ".incoming"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StagedCopy:
    """A complete copy written to the incoming folder, not yet in the vault."""

    temp_path: Path
    sha256: str
    size: int


def relative_path(sha256: str, ext: str) -> str:
    """Where an original with this hash lives, relative to the case folder (always '/')."""
    return f"{ORIGINALS}/{sha256[:2]}/{sha256}.{ext}"


def stage_copy(source: Path, case_root: Path, durable: bool = False) -> StagedCopy:
    """Copy `source` into the incoming folder while hashing it, in one pass over its bytes.

    With durable=False the copy is not forced to disk here: a killed process loses nothing the
    OS already holds, and `flush` forces a whole batch to disk at once, which costs far less
    than one fsync per file.

    Raises:
        EmptyFile: the source has zero bytes.
        UnreadableFile: the source cannot be read or the copy cannot be written.
    """
    incoming = case_root / ORIGINALS / INCOMING
    incoming.mkdir(parents=True, exist_ok=True)
    temp = incoming / f"{uuid.uuid4().hex}.part"
    digest = hashlib.sha256()
    size = 0
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    try:
        with open(source, "rb") as src, open(temp, "wb") as dst:
            while n := src.readinto(buffer):
                digest.update(view[:n])
                dst.write(view[:n])
                size += n
            if durable:
                dst.flush()
                os.fsync(dst.fileno())
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise UnreadableFile(
            both(
                "无法读取 {name}：{error}",
                "cannot read {name}: {error}",
                name=source.name,
                error=exc.strerror or exc,
            ),
            str(source),
        ) from exc
    if size == 0:
        temp.unlink(missing_ok=True)
        empty = both("{name} 是空文件（0 字节）", "{name} is empty (0 bytes)", name=source.name)
        raise EmptyFile(empty, str(source))
    return StagedCopy(temp, digest.hexdigest(), size)


def commit_copy(staged: StagedCopy, case_root: Path, ext: str) -> str:
    """Move a staged copy into place and make it read-only; returns its relative path."""
    rel = relative_path(staged.sha256, ext)
    final = case_root / rel
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        # A leftover from an import that crashed before its row was written: same bytes by name.
        _make_writable(final)
    os.replace(staged.temp_path, final)
    final.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return rel


def discard(staged: StagedCopy) -> None:
    """Remove a staged copy that is not needed (a duplicate)."""
    staged.temp_path.unlink(missing_ok=True)


def sweep(case_root: Path, known: Iterable[str], recorded_sha256: Iterable[str] = ()) -> list[str]:
    """Delete incoming leftovers and vault files no item refers to; return what was removed.

    A vault file whose hash the audit log ever recorded as imported is never deleted, even when
    its item row is gone: that is damage for `verify` to report, not a crash leftover.
    Only call with the writer lock held: an import in progress elsewhere would look orphaned.
    """
    keep = set(known)
    protected = set(recorded_sha256)
    removed: list[str] = []
    root = case_root / ORIGINALS
    if not root.is_dir():
        return removed
    for entry in root.rglob("*"):
        if not entry.is_file():
            continue
        rel = entry.relative_to(case_root).as_posix()
        if rel in keep or entry.name.split(".")[0] in protected:
            continue
        _make_writable(entry)
        entry.unlink(missing_ok=True)
        removed.append(rel)
    return removed


def flush(case_root: Path, relative_paths: Iterable[str]) -> None:
    """Force these vault files and their folders to disk (after a batch of imports)."""
    folders: set[Path] = set()
    for rel in relative_paths:
        path = case_root / rel
        folders.add(path.parent)
        _fsync_path(path)
    if os.name == "posix":  # a folder cannot be opened for fsync on Windows; NTFS journals renames
        for folder in folders:
            _fsync_path(folder)


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
    # Windows refuses to replace or delete a read-only file; POSIX does not care.
    try:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    except OSError:
        pass
