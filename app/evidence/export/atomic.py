"""Write-then-rename: an output appears under its name complete, or not at all.

A file is written to a hidden temporary name in the target folder (same file system, so the
final `os.replace` is atomic) and renamed into place only when the writer returns. Any exception,
Ctrl+C included, removes the temporary file. A folder (an upload pack) is built beside the
target and swapped in the same way.

A `kill -9` or a power cut leaves the hidden temporary behind, and it may hold personal data (a
half-written PDF or ZIP of originals). Its name carries the writing process id, and every write
to a folder first removes the temporaries there whose writer is no longer running (those of
older versions, without a process id, once they are a day old).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.evidence.export.model import ExportError
from app.evidence.export.workdir import _alive
from app.evidence.winpaths import long_path

log = logging.getLogger(__name__)

PACK_MARKER = "pack.json"
# .<target name>.<pid>-<12 hex>.tmp (a file, or a pack folder), .<name>.<pid>-<12 hex>.old
# (a replaced pack being removed); older versions wrote no "<pid>-"
_TEMP = re.compile(r"^\..+\.(?:(\d{1,10})-)?[0-9a-f]{12}\.(?:tmp|old)$")
UNOWNED_AGE_S = 24 * 3600


@contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to `target`; rename it to `target` when the block succeeds."""
    target = Path(long_path(target))  # \\?\ on Windows past MAX_PATH (the temporary too)
    if target.is_dir():
        raise ExportError(f"{target} is a folder, not a file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_temporaries(target.parent)
    temp = target.parent / _temp_name(target, "tmp")
    try:
        yield temp
        _fsync(temp)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield an empty temporary folder; swap it in as `target` when the block succeeds.

    An existing `target` is replaced only when it is empty or an earlier pack (it holds
    pack.json); a folder with other files is never touched.
    """
    target = Path(long_path(target))
    if target.exists() and not _replaceable(target):
        raise ExportError(f"{target} already holds other files; choose an empty or new folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_temporaries(target.parent)
    temp = target.parent / _temp_name(target, "tmp")
    temp.mkdir()
    try:
        yield temp
        old = None
        if target.exists():
            old = target.parent / _temp_name(target, "old")
            os.replace(target, old)
        os.replace(temp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _temp_name(target: Path, suffix: str) -> str:
    return f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}.{suffix}"


def sweep_temporaries(folder: Path) -> int:
    """Remove hidden temporaries that killed writes left in `folder`; returns how many.

    Only names of the exact shape this module writes are touched; a temporary whose writer is
    still running (or may be: someone else's process) is left alone.
    """
    removed = 0
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(".")]
    except OSError:
        return 0
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match is None:
            continue
        try:
            if match.group(1) is not None:
                if _alive(int(match.group(1))):
                    continue
            elif time.time() - entry.stat(follow_symlinks=False).st_mtime < UNOWNED_AGE_S:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            continue
        removed += not os.path.lexists(entry.path)
    if removed:
        log.info("removed %d temporary file(s) left in %s by interrupted exports", removed, folder)
    return removed


def _replaceable(folder: Path) -> bool:
    if not folder.is_dir():
        return False
    entries = list(folder.iterdir())
    return not entries or (folder / PACK_MARKER).is_file()


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        log.debug("fsync failed for %s", path)
    finally:
        os.close(fd)
