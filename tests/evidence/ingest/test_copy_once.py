"""The copy path: every source opened and read once, sniffed from the bytes that are copied.

Opens are counted with a Python audit hook ("open" is raised by open(), io.open, os.open and so
by pathlib and Pillow, in every thread): whatever part of the import reads the source again,
the count goes up. The hook cannot be removed, so it only counts while a test asks it to.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.evidence.errors import EmptyFile, UnsupportedFormat
from app.evidence.ingest.importer import import_files
from app.evidence.store import vault
from app.evidence.store.case import Case

_counting: list[Counter[str]] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event != "open" or not _counting or not args:
        return
    path = args[0]
    if isinstance(path, (str, bytes, os.PathLike)):
        _counting[-1][os.path.realpath(os.fsdecode(path))] += 1


sys.addaudithook(_audit)


@pytest.fixture
def opens() -> Iterator[Counter[str]]:
    """How many times each path (real path) is opened while the test runs."""
    counter: Counter[str] = Counter()
    _counting.append(counter)
    yield counter
    _counting.remove(counter)


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    with Case.create(tmp_path / "case", "copy path") as c:
        yield c


def test_each_source_is_opened_once_by_the_whole_import(
    case: Case, corpus_copy, opens: Counter[str]
) -> None:
    folder = corpus_copy("photos/originals", "synthetic/tracking")
    sources = sorted(p for p in folder.rglob("*") if p.is_file())
    assert len(sources) >= 5  # JPEG, HEIC and text: every reader takes part
    opens.clear()  # writing the inputs opened them too
    report = import_files(case, [folder])
    assert report.count("failed") == 0 and report.count("imported") == len(sources)
    for source in sources:
        count = opens[os.path.realpath(source)]
        assert count == 1, f"{source.name} opened {count} times"
    for item in case.items():  # and the one read made a byte-exact, verified copy
        copy = case.path_of(item)
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == item.sha256
        assert not copy.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_a_refused_format_is_read_once_and_never_copied(
    case: Case, tmp_path: Path, opens: Counter[str]
) -> None:
    junk = tmp_path / "archive.bin"
    junk.write_bytes(bytes(range(256)) * 4096)  # 1 MB of binary that is no format we read
    opens.clear()
    report = import_files(case, [junk])
    assert [r.error_code for r in report.results] == [UnsupportedFormat.code]
    assert opens[os.path.realpath(junk)] == 1
    incoming = case.root / "originals" / ".incoming"
    assert not incoming.exists() or not any(incoming.iterdir())
    assert case.items() == []


def test_stage_copy_hands_over_the_head_it_copied(tmp_path: Path, opens: Counter[str]) -> None:
    data = os.urandom(3 * vault.CHUNK + 123)  # more than one buffer, not a whole number of them
    source = tmp_path / "big.bin"
    source.write_bytes(data)
    opens.clear()
    seen: list[bytes] = []
    staged = vault.stage_copy(source, tmp_path / "case", check_head=seen.append, head_bytes=512)
    assert seen == [data[:512]] and staged.head == data[:512]
    assert staged.temp_path.read_bytes() == data
    assert staged.sha256 == hashlib.sha256(data).hexdigest() and staged.size == len(data)
    assert staged.source_stat is not None and staged.source_stat.st_size == len(data)
    assert opens[os.path.realpath(source)] == 1


def test_a_head_refused_leaves_no_partial_copy(tmp_path: Path) -> None:
    source = tmp_path / "x.bin"
    source.write_bytes(b"\x00" * 5000)

    def refuse(head: bytes) -> None:
        raise UnsupportedFormat("refused", str(source))

    with pytest.raises(UnsupportedFormat):
        vault.stage_copy(source, tmp_path / "case", check_head=refuse)
    assert list((tmp_path / "case" / "originals" / ".incoming").iterdir()) == []


def test_a_short_or_empty_source(tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_bytes(b"SF1234567890 signed")
    staged = vault.stage_copy(small, tmp_path / "case", head_bytes=512)
    assert staged.head == small.read_bytes() and staged.size == small.stat().st_size
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFile):
        vault.stage_copy(empty, tmp_path / "case", check_head=lambda head: None)
    assert [p.name for p in (tmp_path / "case" / "originals" / ".incoming").iterdir()] == [
        staged.temp_path.name
    ]


def test_flush_forces_every_file_then_every_folder(
    case: Case, corpus_copy, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = import_files(case, [corpus_copy("photos/originals")], durable=False)
    written = [r.vault_path for r in report.results if r.vault_path]
    synced: list[Path] = []
    real = vault._fsync_path

    def fsync_path(path: Path) -> None:
        synced.append(path)
        real(path)

    monkeypatch.setattr(vault, "_fsync_path", fsync_path)
    vault.flush(case.root, written)
    files = {case.root / rel for rel in written}
    folders = {path.parent for path in files} if os.name == "posix" else set()
    assert set(synced) == files | folders and len(synced) == len(files) + len(folders)
    assert set(synced[: len(files)]) == files  # data before the names that point at it
