"""Write-then-rename: an output appears under its name complete, or not at all.

A file is written to a hidden temporary name in the target folder (same file system, so the
final `os.replace` is atomic) and renamed into place only when the writer returns. Any exception,
Ctrl+C included, removes the temporary file. A folder (an upload pack) is built beside the
target and swapped in the same way.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.evidence.export.model import ExportError

log = logging.getLogger(__name__)

PACK_MARKER = "pack.json"


@contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to `target`; rename it to `target` when the block succeeds."""
    target = Path(target)
    if target.is_dir():
        raise ExportError(f"{target} is a folder, not a file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
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
    target = Path(target)
    if target.exists() and not _replaceable(target):
        raise ExportError(f"{target} already holds other files; choose an empty or new folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    temp.mkdir()
    try:
        yield temp
        old = None
        if target.exists():
            old = target.parent / f".{target.name}.{secrets.token_hex(6)}.old"
            os.replace(target, old)
        os.replace(temp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


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
