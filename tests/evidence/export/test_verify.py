"""The ZIP holds byte-exact originals; verify catches every kind of tampering, by exhibit."""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.evidence.export import verify_pdf, verify_zip
from app.evidence.store.case import Case
from tests.evidence.export.conftest import ExportedCase


def _rewrite(
    src: Path,
    dst: Path,
    change: Callable[[str, bytes], bytes | None],
    extra: dict[str, bytes] | None = None,
) -> Path:
    """Copy a ZIP member by member; `change` returns new bytes, or None to drop the member."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info, data)
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return dst


def _codes(check) -> set[str]:  # type: ignore[no-untyped-def]
    return {p.code for p in check.problems}


def test_zip_holds_the_originals_byte_for_byte(exported: ExportedCase) -> None:
    with Case.open(exported.root, writable=False) as case, zipfile.ZipFile(exported.zip) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert (
            hashlib.sha256(archive.read("manifest.json")).hexdigest() == exported.result.bundle_hash
        )
        names = {e["sha256"]: e["archive_name"] for e in manifest["exhibits"]}
        for item in case.items():
            assert archive.read(names[item.sha256]) == case.path_of(item).read_bytes()
        assert {"SHA256SUMS", "README.txt", "evidence-chain.pdf"} <= set(archive.namelist())
        readme = archive.read("README.txt").decode("utf-8")
        assert exported.result.bundle_hash in readme and "sha256sum -c SHA256SUMS" in readme
    assert names and all(n.startswith("originals/证据") for n in names.values())


def test_clean_zip_and_pdf_verify(exported: ExportedCase) -> None:
    check = verify_zip(exported.zip)
    assert check.ok, check.problems
    assert (
        check.exhibits_checked == exported.result.exhibits
        and check.bundle_hash == exported.result.bundle_hash
    )
    with Case.open(exported.root, writable=False) as case:
        pdf_check = verify_pdf(exported.pdf, against_case=case)
    assert pdf_check.ok, pdf_check.problems
    assert verify_pdf(exported.pdf, against_case=exported.root).ok


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="coreutils sha256sum not available")
def test_standard_tools_verify_the_unzipped_bundle(exported: ExportedCase, tmp_path: Path) -> None:
    with zipfile.ZipFile(exported.zip) as archive:
        archive.extractall(tmp_path)
    run = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count(": OK") == exported.result.exhibits + 2  # originals, manifest, PDF


def _member(exported: ExportedCase, original_name: str) -> str:
    """The ZIP entry of an original (named by exhibit: original names are withheld)."""
    with Case.open(exported.root, writable=False) as case:
        sha = next(i.sha256 for i in case.items() if i.original_name == original_name)
    with zipfile.ZipFile(exported.zip) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    return next(e["archive_name"] for e in manifest["exhibits"] if e.get("sha256") == sha)


def test_a_changed_byte_in_an_original_is_reported_by_exhibit(
    exported: ExportedCase, tmp_path: Path
) -> None:
    member = _member(exported, "canon-ixus.jpg")

    def flip(name: str, data: bytes) -> bytes:
        if name == member:
            return data[:5000] + bytes([data[5000] ^ 1]) + data[5001:]
        return data

    check = verify_zip(_rewrite(exported.zip, tmp_path / "t.zip", flip))
    changed = [p for p in check.problems if p.code == "original_changed"]
    assert len(changed) == 1 and changed[0].exhibit and member in changed[0].message
    assert not check.ok


def test_a_missing_original_is_reported(exported: ExportedCase, tmp_path: Path) -> None:
    member = _member(exported, "sanyo-vpcsx550.jpg")
    check = verify_zip(
        _rewrite(exported.zip, tmp_path / "t.zip", lambda n, d: None if n == member else d)
    )
    missing = [p for p in check.problems if p.code == "original_missing"]
    assert len(missing) == 1 and member in missing[0].message


def test_an_edited_manifest_is_caught(exported: ExportedCase, tmp_path: Path) -> None:
    def edit(name: str, data: bytes) -> bytes:
        return (
            data.replace("外包装破损".encode(), "完好无损".encode())
            if name == "manifest.json"
            else data
        )

    assert "manifest_changed" in _codes(
        verify_zip(_rewrite(exported.zip, tmp_path / "a.zip", edit))
    )

    # Even with SHA256SUMS rewritten to match, the PDF still carries the original bundle hash.
    def edit_both(name: str, data: bytes) -> bytes:
        if name == "manifest.json":
            return edit(name, data)
        if name == "SHA256SUMS":
            with zipfile.ZipFile(exported.zip) as z:
                new = hashlib.sha256(edit("manifest.json", z.read("manifest.json"))).hexdigest()
            return data.replace(exported.result.bundle_hash.encode(), new.encode())
        return data

    codes = _codes(verify_zip(_rewrite(exported.zip, tmp_path / "b.zip", edit_both)))
    assert "pdf_mismatch" in codes and "manifest_changed" not in codes


def test_added_files_and_a_swapped_pdf_are_caught(exported: ExportedCase, tmp_path: Path) -> None:
    check = verify_zip(
        _rewrite(
            exported.zip, tmp_path / "a.zip", lambda n, d: d, {"originals/证据099_extra.jpg": b"x"}
        )
    )
    assert _codes(check) == {"unexpected_file"}
    swapped = _rewrite(
        exported.zip, tmp_path / "b.zip", lambda n, d: d + b"\n%%EOF\n" if n.endswith(".pdf") else d
    )
    assert "pdf_changed" in _codes(verify_zip(swapped))
    (tmp_path / "c.zip").write_bytes(b"not a zip")
    assert _codes(verify_zip(tmp_path / "c.zip")) == {"unreadable"}


def test_pdf_edits_are_caught(exported: ExportedCase, tmp_path: Path) -> None:
    data = exported.pdf.read_bytes()
    resaved = tmp_path / "resaved.pdf"
    resaved.write_bytes(
        data + b"1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
    )  # an incremental update
    assert "pdf_modified" in _codes(verify_pdf(resaved))
    other = "0" * 64
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(
        data.replace(
            f"bundle-sha256:{exported.result.bundle_hash}".encode(),
            f"bundle-sha256:{other}".encode(),
        )
    )
    assert "manifest_changed" in _codes(verify_pdf(forged))
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    assert not verify_pdf(cut).ok


def test_pdf_against_a_changed_case(exported: ExportedCase, tmp_path: Path, corpus: Path) -> None:
    root = shutil.copytree(exported.root, tmp_path / "case")
    with Case.open(root) as case:
        items = case.items()
        victim = next(i for i in items if i.original_name == "fujifilm-dx10.jpg")
        path = case.path_of(victim)
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
        path.write_bytes(path.read_bytes()[:-1] + b"\x00")
        from app.evidence.ingest.importer import import_files

        import_files(case, [corpus / "photos/gps/DSCN0021.jpg"])
        check = verify_pdf(exported.pdf, against_case=case)
    codes = _codes(check)
    assert codes == {"case_original_changed", "added_after_export"}
    changed = next(p for p in check.problems if p.code == "case_original_changed")
    assert changed.exhibit and changed.exhibit.startswith("证据")
