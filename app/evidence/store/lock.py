"""An exclusive writer lock on a case folder.

Only one process writes to a case at a time; a second one is told the case is in use instead of
racing the first. The operating system drops the lock when the holder dies (even on kill -9), so
a crash never leaves a case locked.

The lock file is opened without following links: a case folder from someone else could hold a
.writer.lock that links to one of the user's files, which the lock would otherwise truncate.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path
from typing import IO

from app.evidence.errors import CaseError, CaseInUse

LOCK_NAME = ".writer.lock"


class WriterLock:
    """Hold the case's writer lock until release()."""

    def __init__(self, case_root: Path) -> None:
        self._path = case_root / LOCK_NAME
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        """Take the lock or raise CaseInUse."""
        try:
            handle = _open_no_follow(self._path)
        except OSError as exc:  # a read-only folder, drive or share: say so, not a traceback
            raise CaseError(
                f"the case at {self._path.parent} cannot be changed: {exc.strerror or exc} "
                "(a read-only folder or drive?); it can still be opened to read and export"
            ) from exc
        try:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise CaseInUse(
                f"the case at {self._path.parent.name} is open in another EvidenceDesk window or "
                f"command"
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()).encode())
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        """Drop the lock (closing the file releases it)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _open_no_follow(path: Path) -> IO[bytes]:
    """Open (or create) the lock file for reading and writing, never through a link.

    A link found there is replaced by a plain file: only the link itself is removed, never what
    it points to.
    """
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(2):
        if os.path.islink(path) or _is_junction(path):
            os.unlink(path)
        try:
            fd = os.open(path, flags, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # became a link between the check and the open
                continue
            raise
        return os.fdopen(fd, "r+b")
    raise OSError(errno.ELOOP, "the lock file keeps turning into a link", str(path))


def _is_junction(path: Path) -> bool:
    try:
        attributes = getattr(os.lstat(path), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400))
