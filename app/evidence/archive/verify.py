"""Periodic check of the archive: is every original still where it was, with the same bytes?

Files left in place (large videos) can be moved, renamed or deleted by the seller. A quick
check compares size and modification time and re-hashes only what looks different; a full
check re-hashes everything. A file missing from its place is looked for (same size, then same
SHA-256) in the folders the archive's files came from and in any folders given; found, it is
reported as moved and, with `relink`, its new place is recorded.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from app.evidence.archive.db import Archive
from app.evidence.archive.model import COPY, ArchiveProblem, ArchiveVerification
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress
from app.evidence.store import vault

log = logging.getLogger(__name__)

_MAX_SCANNED_FILES = 500_000


def verify_archive(
    root: Path,
    *,
    full: bool = False,
    search: Sequence[Path] = (),
    relink: bool = False,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ArchiveVerification:
    """Report archived files that are missing, moved or changed.

    Args:
        root: the archive folder.
        full: re-hash every file (slow on many large videos) instead of only those whose
            size or time changed.
        search: more folders to look in for moved files (the folders the files came from
            are always searched).
        relink: record the new place of moved files.
        progress: stage "archive_verify", files checked of total.
        cancel: stops between files.
    """
    cancel = cancel or CancelToken()
    with Archive.open(root, writable=relink) as archive:
        rows = archive.conn.execute(
            "SELECT id, name, sha256, size, storage, stored_path, source_path, mtime_ns "
            "FROM files ORDER BY id"
        ).fetchall()
        problems: list[ArchiveProblem] = []
        finder = _MovedFinder(
            [Path(p) for p in search], [Path(r[6]).parent for r in rows if r[4] != COPY]
        )
        relinked = checked = 0
        for file_id, name, sha256, size, storage, stored, source, mtime_ns in rows:
            if cancel.cancelled:
                return ArchiveVerification(checked, tuple(problems), relinked, cancelled=True)
            path = archive.stored_file(stored) if storage == COPY and stored else Path(source)
            problem = _check(
                file_id, name, path, sha256, size, mtime_ns if storage != COPY else None, full
            )
            if problem is not None and problem.code == "missing" and storage != COPY:
                found = finder.find(size, sha256)
                if found is not None:
                    problem = _problem("moved", file_id, name, path, found)
                    if relink:
                        _relink(archive, file_id, found)
                        relinked += 1
            if problem is not None:
                problems.append(problem)
            checked += 1
            progress(Progress("archive_verify", checked, len(rows), name))
    return ArchiveVerification(checked, tuple(problems), relinked)


def _check(
    file_id: int, name: str, path: Path, sha256: str, size: int, mtime_ns: int | None, full: bool
) -> ArchiveProblem | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return _problem("missing", file_id, name, path)
    except OSError as exc:
        return _problem("unreadable", file_id, name, path, detail=str(exc.strerror or exc))
    if stat.st_size != size:
        return _problem("changed", file_id, name, path)
    if full or (mtime_ns is not None and stat.st_mtime_ns != mtime_ns):
        try:
            digest = vault.hash_file(path)
        except OSError as exc:
            return _problem("unreadable", file_id, name, path, detail=str(exc.strerror or exc))
        if digest != sha256:
            return _problem("changed", file_id, name, path)
    return None


def _relink(archive: Archive, file_id: int, found: Path) -> None:
    with archive.transaction() as conn:
        conn.execute(
            "UPDATE files SET source_path = ?, mtime_ns = ? WHERE id = ?",
            (str(found), found.stat().st_mtime_ns, file_id),
        )


class _MovedFinder:
    """Looks for a file by size, then hash, under the given folders (walked once, lazily)."""

    def __init__(self, extra: Iterable[Path], origins: Iterable[Path]) -> None:
        self._roots = list(dict.fromkeys([*extra, *origins]))
        self._by_size: dict[int, list[Path]] | None = None

    def find(self, size: int, sha256: str) -> Path | None:
        if self._by_size is None:
            self._by_size = self._walk()
        for candidate in self._by_size.get(size, []):
            try:
                if vault.hash_file(candidate) == sha256:
                    return candidate
            except OSError:
                continue
        return None

    def _walk(self) -> dict[int, list[Path]]:
        by_size: dict[int, list[Path]] = {}
        seen = 0
        for root in self._roots:
            base = _existing_ancestor(root)
            if base is None:
                continue
            for folder, dirs, names in os.walk(base):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for file_name in names:
                    path = Path(folder) / file_name
                    try:
                        by_size.setdefault(path.stat().st_size, []).append(path)
                    except OSError:
                        continue
                    seen += 1
                    if seen >= _MAX_SCANNED_FILES:
                        log.warning("stopped looking for moved files after %d files", seen)
                        return by_size
        return by_size


def _existing_ancestor(path: Path) -> Path | None:
    """The folder itself or, when it was removed or renamed, its parent (never a drive root)."""
    for candidate in (path, path.parent):
        if candidate.is_dir():
            return candidate if candidate != Path(candidate.anchor) else None
    return None


_TEXTS = {
    "missing": ("文件不见了：{path}", "the file is gone: {path}"),
    "moved": ("文件被移动到了 {found}", "the file was moved to {found}"),
    "changed": (
        "文件内容与存档时不同：{path}",
        "the file's bytes differ from when it was archived: {path}",
    ),
    "unreadable": (
        "文件无法读取：{path}（{detail}）",
        "the file cannot be read: {path} ({detail})",
    ),
}


def _problem(
    code: str, file_id: int, name: str, path: Path, found: Path | None = None, detail: str = ""
) -> ArchiveProblem:
    zh, en = _TEXTS[code]
    values = {"path": str(path), "found": str(found) if found else "", "detail": detail}
    return ArchiveProblem(
        code,
        file_id,
        name,
        str(path),
        str(found) if found else None,
        zh.format(**values),
        en.format(**values),
    )
