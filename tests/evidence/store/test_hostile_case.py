"""A case folder from someone else is untrusted: its recorded paths stay inside it, links are
never followed (issue 15, point 5). The crafted case is the `hostile_case` fixture (conftest)."""

from __future__ import annotations

import os
import stat
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import cli
from app.evidence.errors import UnsafeStoredPath
from app.evidence.export import export_case
from app.evidence.ingest.derived import thumbnail_path
from app.evidence.service.verifying import verify_case
from app.evidence.store import vault
from app.evidence.store.case import Case
from tests.evidence.store.conftest import HostileCase

EXPORTED_AT = datetime(2025, 6, 14, 3, 0, tzinfo=UTC)


def test_verify_fails_naming_every_crafted_item(hostile_case: HostileCase) -> None:
    with Case.open(hostile_case.root, writable=False) as case:
        result = verify_case(case)
    unsafe = {p.item_id: p.message for p in result.problems if p.code == "original_unsafe"}
    assert not result.ok
    assert set(unsafe) == set(hostile_case.crafted.values())
    for name, item_id in hostile_case.crafted.items():
        assert f"{name}.txt" in unsafe[item_id]  # named as the user knows it
    assert hostile_case.honest_id not in {p.item_id for p in result.problems}


def test_export_refuses_crafted_items_and_exports_the_rest(
    hostile_case: HostileCase, tmp_path: Path
) -> None:
    pdf, bundle = tmp_path / "out.pdf", tmp_path / "out.zip"
    with Case.open(hostile_case.root, writable=False) as case:
        result = export_case(case, pdf=pdf, zip_path=bundle, clock=lambda: EXPORTED_AT)
    assert result.exhibits == 1  # the honest item
    refused = [p for p in result.problems if any(f"{n}.txt" in p for n in hostile_case.crafted)]
    assert len(refused) == 3
    assert all("\n" not in line for line in refused)
    raw = bundle.read_bytes()
    with zipfile.ZipFile(bundle) as archive:
        members = b"".join(archive.read(n) for n in archive.namelist())
    text = "".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
    assert "揽收" in text  # the honest item is still printed
    for name in hostile_case.crafted:
        secret = hostile_case.marker(name)
        assert secret not in raw and secret not in members, name
        assert secret.decode() not in text, name


def test_cli_verify_says_failed_and_export_goes_on(
    hostile_case: HostileCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--lang", "en", "verify", str(hostile_case.root)]) == 1
    out = capsys.readouterr().out
    assert any(line.startswith("FAILED") for line in out.splitlines())
    assert sum("original_unsafe" in line for line in out.splitlines()) == 3
    bundle = tmp_path / "cli.zip"
    assert cli.main(["--lang", "en", "export", str(hostile_case.root), "--zip", str(bundle)]) == 1
    err = capsys.readouterr().err
    assert sum("refused" in line for line in err.splitlines() if line.startswith("warning")) == 3
    assert bundle.is_file()
    for name in hostile_case.crafted:
        assert hostile_case.marker(name) not in bundle.read_bytes()


def test_open_never_changes_or_deletes_through_a_link(hostile_case: HostileCase) -> None:
    """An unlisted link in originals/: the old sweep chmod'ed its target, then deleted it."""
    victim = hostile_case.victims["link"].parent / "unlisted.txt"
    victim.write_bytes(b"the victim's own file")
    victim.chmod(0o444)
    link = hostile_case.root / "originals" / "00" / ("0" * 64 + ".txt")
    link.parent.mkdir()
    os.symlink(victim, link)
    with Case.open(hostile_case.root) as case:  # writable: the sweep runs
        unsafe = {p.item_id for p in case.damaged_originals if p.problem == "unsafe"}
        problems = verify_case(case).problems
    assert stat.S_IMODE(victim.stat().st_mode) == 0o444
    assert victim.read_bytes() == b"the victim's own file"
    assert link.is_symlink()  # left for the user to see, not deleted and not moved
    assert unsafe == set(hostile_case.crafted.values())
    assert not (hostile_case.root / "recovered").exists()
    links = [p.message for p in problems if p.code == "link_in_case"]
    assert any("0" * 64 in m for m in links)
    for victim_file in hostile_case.victims.values():
        assert stat.S_IMODE(victim_file.stat().st_mode) == 0o444


def test_linked_incoming_and_recovered_folders_are_not_used(hostile_case: HostileCase) -> None:
    """The sweep empties originals/.incoming and fills recovered/: never through a link."""
    home = hostile_case.victims["link"].parent
    documents = home / "Documents"
    documents.mkdir()
    (documents / "letter.txt").write_bytes(b"the user's letter")
    incoming = hostile_case.root / "originals" / ".incoming"
    if incoming.exists():
        for leftover in incoming.iterdir():
            leftover.unlink()
        incoming.rmdir()
    os.symlink(documents, incoming)
    os.symlink(home, hostile_case.root / "recovered")
    unlisted = hostile_case.root / "originals" / "11" / ("1" * 64 + ".txt")
    unlisted.parent.mkdir()
    unlisted.write_bytes(b"an original the database does not list")
    with Case.open(hostile_case.root) as case:
        assert case.recovered == ()
        codes = [p.code for p in verify_case(case).problems]
    assert (documents / "letter.txt").read_bytes() == b"the user's letter"
    assert unlisted.read_bytes() == b"an original the database does not list"  # left in place
    assert "link_in_case" in codes
    names = sorted(p.name for p in home.iterdir())
    assert names == ["Documents", "absolute.txt", "dotdot.txt", "link.txt"]


def test_a_lock_file_link_does_not_truncate_its_target(hostile_case: HostileCase) -> None:
    victim = hostile_case.root.parent / "precious.txt"
    victim.write_bytes(b"a file of the user's that the case's lock links to")
    (hostile_case.root / ".writer.lock").unlink(missing_ok=True)
    os.symlink(victim, hostile_case.root / ".writer.lock")
    with Case.open(hostile_case.root) as case:
        assert case.info().title
    assert victim.read_bytes() == b"a file of the user's that the case's lock links to"
    assert not (hostile_case.root / ".writer.lock").is_symlink()


def test_a_crafted_sha256_cannot_place_a_thumbnail_outside(hostile_case: HostileCase) -> None:
    with Case.open(hostile_case.root, writable=False) as case:
        item = case.item(hostile_case.honest_id)
        bad = type(item)(**{**item.__dict__, "sha256": "../../../../../tmp/x" + "0" * 44})
        with pytest.raises(UnsafeStoredPath):
            thumbnail_path(case, bad)
        assert thumbnail_path(case, item).is_relative_to(hostile_case.root / "derived")


@pytest.mark.parametrize(
    "stored",
    [
        "../x.jpg",
        "originals/../../x.jpg",
        "/etc/passwd",
        "C:/Windows/win.ini",
        "originals\\..\\..\\x.jpg",
        "originals/ab/",
        "originals",
        "derived/thumbs/x.jpg",
        "originals/.incoming/x.part",
        "originals/ab/\x00.jpg",
        "",
    ],
)
def test_original_path_refuses_paths_outside_originals(tmp_path: Path, stored: str) -> None:
    with pytest.raises(UnsafeStoredPath):
        vault.original_path(tmp_path, stored)


def test_original_path_refuses_a_linked_folder_on_the_way(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.jpg").write_bytes(b"not the case's")
    (tmp_path / "case" / "originals").mkdir(parents=True)
    os.symlink(outside, tmp_path / "case" / "originals" / "ab")
    with pytest.raises(UnsafeStoredPath, match="originals/ab"):
        vault.original_path(tmp_path / "case", "originals/ab/x.jpg")
    missing = vault.original_path(tmp_path / "case", "originals/cd/y.jpg")  # missing is fine:
    assert missing == tmp_path / "case" / "originals" / "cd" / "y.jpg"  # verify says missing
