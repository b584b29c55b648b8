"""What verify proves about a bundle (issue 15, points 9 and 15): a bundle rebuilt around a
swapped original, a PDF with a page removed and its manifest rewritten, unsafe ZIP names,
bidi characters in kept names and temporaries left by a killed export."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from app.evidence.export import verify_pdf, verify_zip
from app.evidence.export.atomic import atomic_file, sweep_temporaries
from app.evidence.export.verify import unsafe_name
from tests.evidence.export._verify_case import export, make_case, rewrite_zip, sums_for


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(case, PDF, ZIP) of one small generated case."""
    base = tmp_path_factory.mktemp("bundle")
    root = make_case(base / "case")
    result = export(root, base / "out")
    assert result.pdf is not None and result.zip is not None
    return root, result.pdf, result.zip


def _codes(check) -> set[str]:  # type: ignore[no-untyped-def]
    return {p.code for p in check.problems}


def _dump(manifest: dict) -> bytes:  # type: ignore[type-arg]
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def test_clean_bundle_says_what_ok_proves(bundle: tuple[Path, Path, Path], language) -> None:  # type: ignore[no-untyped-def]
    language("en")
    root, pdf, zipped = bundle
    for check in (verify_zip(zipped), verify_pdf(pdf), verify_pdf(pdf, against_case=root)):
        assert check.ok, check.problems
        assert check.pages_checked and check.pages_checked > 1, check.notes
        text = check.summary()
        assert "internally consistent" in text and check.bundle_hash in text
        assert "compare bundle hash" in text
    language("zh")
    assert "内部一致" in verify_zip(zipped).summary()


def test_rebuilt_zip_without_pdf_fails(bundle: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """An original swapped, the manifest, SHA256SUMS and README recomputed, the PDF dropped."""
    _, _, zipped = bundle
    with zipfile.ZipFile(zipped) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    old_bundle = hashlib.sha256(members["manifest.json"]).hexdigest()
    manifest = json.loads(members["manifest.json"])
    entry = next(e for e in manifest["exhibits"] if e.get("archive_name"))
    forged = members[entry["archive_name"]] + b"swapped"
    members[entry["archive_name"]] = forged
    entry.update(sha256=hashlib.sha256(forged).hexdigest(), size=len(forged))
    members["manifest.json"] = _dump(manifest)
    new_bundle = hashlib.sha256(members["manifest.json"]).hexdigest()
    del members["evidence-chain.pdf"]
    members["README.txt"] = members["README.txt"].replace(old_bundle.encode(), new_bundle.encode())
    listed = {n: d for n, d in members.items() if n not in ("SHA256SUMS", "README.txt")}
    members["SHA256SUMS"] = sums_for(listed)
    forged_zip = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged_zip, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    check = verify_zip(forged_zip)
    assert not check.ok
    assert "pdf_missing" in _codes(check)


def test_zip_pdf_page_and_readme_checks(bundle: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, pdf, zipped = bundle
    cut = tmp_path / "cut.pdf"
    doc = pdfium.PdfDocument(str(pdf))
    doc.del_page(1)
    doc.save(str(cut))
    doc.close()

    # the PDF swapped for one with a page removed, SHA256SUMS recomputed for it
    def change(name: str, data: bytes) -> bytes | None:
        if name == "evidence-chain.pdf":
            return cut.read_bytes()
        if name == "SHA256SUMS":
            digest = hashlib.sha256(cut.read_bytes()).hexdigest()
            return re.sub(rb"[0-9a-f]{64}(  evidence-chain\.pdf)", digest.encode() + rb"\1", data)
        if name == "README.txt":
            return None
        return data

    check = verify_zip(rewrite_zip(zipped, tmp_path / "cut.zip", change))
    assert {"page_count", "readme_missing"} <= _codes(check), check.problems
    assert "pdf_changed" not in _codes(check)


def _edit_pdf_manifest(data: bytes, edit) -> bytes:  # type: ignore[no-untyped-def]
    """Rewrite the manifest attached to a PDF and the bundle hash it records (as a forger
    would; the cross-reference offsets go stale, which PDF readers repair)."""
    at = data.find(b"/Type/EmbeddedFile")
    start, end = data.rfind(b"<<", 0, at), data.find(b">>", at)
    head = data[start:end]
    length = int(re.search(rb"/Length (\d+)", head).group(1))  # type: ignore[union-attr]
    body = data.find(b"stream", end) + len(b"stream\r\n")
    old = zlib.decompress(data[body : body + length])
    new = edit(old)
    packed = zlib.compress(new)
    new_head = head.replace(b"/Length %d" % length, b"/Length %d" % len(packed))
    out = data[:start] + new_head + data[end:body] + packed + data[body + length :]
    old_hash = hashlib.sha256(old).hexdigest().encode()
    return out.replace(old_hash, hashlib.sha256(new).hexdigest().encode())


def test_pdf_with_a_page_removed_and_manifest_edited_fails(
    bundle: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    root, pdf, _ = bundle
    cut = tmp_path / "cut.pdf"
    doc = pdfium.PdfDocument(str(pdf))
    doc.del_page(2)
    doc.save(str(cut))
    doc.close()

    def edit(raw: bytes) -> bytes:
        manifest = json.loads(raw)
        manifest["exhibits"][0]["verdict"] = "camera_original"
        manifest["exhibits"][0]["note"] = "edited after export"
        return _dump(manifest)

    forged = tmp_path / "forged.pdf"
    forged.write_bytes(_edit_pdf_manifest(cut.read_bytes(), edit))
    alone = verify_pdf(forged)
    assert {"page_count", "page_footer"} <= _codes(alone), alone.problems
    assert "manifest_changed" not in _codes(alone)  # the forger recomputed the recorded hash
    against = verify_pdf(forged, against_case=root)
    assert "not_recorded_in_case" in _codes(against), against.problems


def test_against_a_case_whose_audit_head_is_gone(
    bundle: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    import shutil
    import sqlite3

    root, pdf, _ = bundle
    copy = tmp_path / "case"
    shutil.copytree(root, copy)
    with sqlite3.connect(copy / "case.sqlite") as conn:
        conn.execute("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")
    check = verify_pdf(pdf, against_case=copy)
    assert "audit_head_missing" in _codes(check), check.problems


@pytest.mark.parametrize(
    "name",
    [
        "../../../tmp/x",
        "/etc/passwd",
        "C:/Windows/x",
        "originals\\..\\x",
        "originals/a\u202egpj.exe",
    ],
)
def test_unsafe_exhibit_names_are_named(
    bundle: tuple[Path, Path, Path], tmp_path: Path, name: str
) -> None:
    """An exhibit renamed to a path outside the archive, with manifest and sums recomputed."""
    _, _, zipped = bundle
    with zipfile.ZipFile(zipped) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    manifest = json.loads(members["manifest.json"])
    entry = next(e for e in manifest["exhibits"] if e.get("archive_name"))
    members[name] = members.pop(entry["archive_name"])
    entry["archive_name"] = name
    members["manifest.json"] = _dump(manifest)
    listed = {n: d for n, d in members.items() if n not in ("SHA256SUMS", "README.txt")}
    members["SHA256SUMS"] = sums_for(listed)
    hostile = tmp_path / "hostile.zip"
    with zipfile.ZipFile(hostile, "w") as out:
        for member, data in members.items():
            info = zipfile.ZipInfo("placeholder")
            info.filename = member  # ZipInfo would turn a backslash into "/" on Windows only
            out.writestr(info, data)
    check = verify_zip(hostile)
    assert "unsafe_name" in _codes(check), check.problems
    assert unsafe_name(name)


def test_safe_names_are_not_flagged() -> None:
    for name in ("originals/证据001.jpg", "originals/证据002_IMG 1.JPG", "manifest.json", "a..b"):
        assert not unsafe_name(name)


def test_kept_names_lose_bidi_and_control_characters(tmp_path: Path) -> None:
    names = ("rep\u202eort.jpg", "zero\u200bwidth.jpg", "iso\u2066late\u2069.jpg")
    root = make_case(tmp_path / "case", names)
    result = export(root, tmp_path / "out", original_names=True)
    assert result.zip is not None
    with zipfile.ZipFile(result.zip) as archive:
        listed = archive.namelist()
    hidden = [n for n in listed if any(unicodedata.category(c) in ("Cc", "Cf") for c in n)]
    assert not hidden, hidden
    assert any("rep_ort" in n for n in listed), listed
    assert verify_zip(result.zip).ok


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporaries_of_a_killed_export_are_swept(
    bundle: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    root, _, _ = bundle
    out = tmp_path / "out"
    out.mkdir()
    dead = _dead_pid()
    left_file = out / f".bundle.zip.{dead}-0123456789ab.tmp"
    left_file.write_bytes(b"half a zip of originals")
    left_pack = out / f".pack.{dead}-0123456789ab.tmp"
    (left_pack / "sub").mkdir(parents=True)
    (left_pack / "sub" / "photo.jpg").write_bytes(b"x")
    running = out / f".other.zip.{os.getpid()}-0123456789ab.tmp"  # a live writer's
    running.write_bytes(b"in progress")
    unrelated = out / ".keep.tmp"
    unrelated.write_bytes(b"not ours")
    export(root, out)
    assert not left_file.exists() and not left_pack.exists()
    assert running.exists() and unrelated.exists()
    assert not [
        p for p in out.iterdir() if p.name.startswith(".") and p not in (running, unrelated)
    ]


def test_killed_export_leaves_a_temporary_the_next_one_removes(tmp_path: Path) -> None:
    """A writer killed with SIGKILL inside atomic_file; the next write to the folder sweeps."""
    out = tmp_path / "out"
    code = (
        "import sys, os, time\n"
        "from pathlib import Path\n"
        "from app.evidence.export.atomic import atomic_file\n"
        "with atomic_file(Path(sys.argv[1])) as temp:\n"
        "    temp.write_bytes(b'partial'); print('ready', flush=True); time.sleep(60)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(out / "bundle.zip")],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
    child.kill()
    child.wait()
    left = [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1
    with atomic_file(out / "chain.pdf") as temp:
        temp.write_bytes(b"%PDF-")
    assert sorted(p.name for p in out.iterdir()) == ["chain.pdf"]
    assert sweep_temporaries(out) == 0


def test_pdf_and_readme_say_what_a_hash_proves(bundle: tuple[Path, Path, Path]) -> None:
    _, pdf, zipped = bundle
    doc = pdfium.PdfDocument(str(pdf))
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    doc.close()
    flat = re.sub(r"\s+", " ", text)
    assert "internally consistent" in flat and "copy received" in flat
    assert "内部一致" in flat
    assert "proves a file is unchanged since it was imported" not in flat
    with zipfile.ZipFile(zipped) as archive:
        readme = archive.read("README.txt").decode("utf-8")
    assert "internally consistent" in readme and "内部一致" in readme
