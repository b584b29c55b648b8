"""An exclusive writer lock on a case folder.

Only one process writes to a case at a time; a second one is told the case is in use instead of
racing the first. The operating system drops the lock when the holder dies (even on kill -9), so
a crash never leaves a case locked.
"""

from __future__ import annotations

import os
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
            handle = open(self._path, "a+b")  # noqa: SIM115 - held open for the lock's lifetime
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
                f"the case at {self._path.parent.name} is open in another EvidenceDesk window or command"
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
