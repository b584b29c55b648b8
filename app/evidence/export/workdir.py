"""The export's temporary work folder, and the sweep of folders a killed export left behind.

An export renders previews of the evidence (photos, chat pages, receipt pages, video frames)
into a private folder under the system's temporary directory. A clean end or an exception
removes it; a `kill -9` or a power cut cannot, and those previews are personal data. So the
folder's name carries the owning process id, and every export first removes folders whose
owner is no longer running.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

PREFIX = "evidence-export-"
_OWNED = re.compile(rf"^{PREFIX}(\d+)-")


@contextmanager
def work_folder() -> Iterator[Path]:
    """A fresh private (0700) folder, removed on exit; stale ones from dead exports swept first."""
    sweep_stale()
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def sweep_stale(root: Path | None = None) -> int:
    """Remove work folders whose exporting process has ended; returns how many were removed."""
    base = Path(root or tempfile.gettempdir())
    removed = 0
    try:
        candidates = list(base.glob(f"{PREFIX}*"))
    except OSError:
        return 0
    for path in candidates:
        match = _OWNED.match(path.name)
        if match is None or not path.is_dir() or _alive(int(match.group(1))):
            continue  # an older unnamed folder may belong to a running export: leave it
        shutil.rmtree(path, ignore_errors=True)
        removed += not path.exists()
    if removed:
        log.info("removed %d export work folder(s) left by interrupted exports", removed)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but is someone else's, or cannot tell: keep it
    return True
