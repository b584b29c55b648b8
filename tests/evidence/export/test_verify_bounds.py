"""verify stays bounded on hostile bundles (issue 15, point 10): a PDF crafted to make a
backtracking pattern run for minutes, a ZIP with 100,000 entries, and compression bombs in the
manifest, SHA256SUMS and the PDF's attachment. Each runs in a subprocess with a time limit and,
for the bombs, an address-space limit a few hundred MB above the interpreter's, so a whole read
fails the test with a MemoryError instead of slowing the machine."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from app.evidence.export import verify_zip
from tests.evidence.export._verify_case import export, make_case

REPO = Path(__file__).resolve().parents[3]
BOMB_BYTES = 512 * 1024 * 1024  # what a bomb inflates to (512 MiB of zeros, ~2 MB packed)
HEADROOM = 256 * 1024 * 1024  # address space the verifying process may add

_RUNNER = """
import json, os, resource, sys, time
from pathlib import Path
from app.evidence.export.verify import verify_pdf, verify_zip
headroom = int(sys.argv[3])
if headroom:
    with open("/proc/self/statm") as statm:
        used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (used + headroom, used + headroom))
start = time.monotonic()
target = Path(sys.argv[2])
check = verify_zip(target) if sys.argv[1] == "zip" else verify_pdf(target)
print(json.dumps({
    "codes": sorted({p.code for p in check.problems}),
    "listed": len(check.problems),
    "seconds": time.monotonic() - start,
}))
"""


def _verify_in_child(kind: str, path: Path, *, timeout: float, headroom: int = 0) -> dict:  # type: ignore[type-arg]
    try:
        done = subprocess.run(
            [sys.executable, "-c", _RUNNER, kind, str(path), str(headroom)],
            capture_output=True,
            timeout=timeout,
            cwd=REPO,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"verify {path.name} took more than {timeout} s")
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


@pytest.fixture(scope="module")
def exported_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("bounds")
    result = export(make_case(base / "case"), base / "out")
    assert result.zip is not None
    return result.zip


def _bomb(size: int = BOMB_BYTES) -> bytes:
    packer = zlib.compressobj(1)
    block = bytes(16 * 1024 * 1024)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join(parts) + packer.flush()


def test_crafted_pdf_does_not_backtrack(tmp_path: Path) -> None:
    """330 KB of keywords without their closing parts: quadratic for a lazy pattern."""
    crafted = tmp_path / "crafted.pdf"
    half = 165 * 1024
    keywords = (b"/Keywords (" * (half // 11))[:half]
    embedded = (b"<</Type /EmbeddedFile " * (half // 22))[:half]
    crafted.write_bytes(b"%PDF-1.4\n" + keywords + embedded + b"\n%%EOF\n")
    found = _verify_in_child("pdf", crafted, timeout=10)
    assert found["codes"] == ["not_an_export"]
    assert found["seconds"] < 5


def test_zip_with_100000_entries_is_linear(exported_zip: Path, tmp_path: Path) -> None:
    crowded = tmp_path / "crowded.zip"
    with zipfile.ZipFile(exported_zip) as old, zipfile.ZipFile(crowded, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        for n in range(100_000):
            new.writestr(f"extra/{n:06d}", b"")
        for n in range(50):
            new.writestr(f"extra/{n:06d}", b"again")  # duplicates too
    start = time.monotonic()
    check = verify_zip(crowded)
    took = time.monotonic() - start
    codes = {p.code for p in check.problems}
    assert {"unexpected_file", "duplicate_entry", "more"} <= codes
    assert len(check.problems) < 100  # listed per code up to a cap, the rest counted
    assert took < 60, took


@pytest.mark.parametrize("member", ["manifest.json", "SHA256SUMS", "README.txt"])
def test_bomb_in_zip_member_is_refused_without_reading_it(
    exported_zip: Path, tmp_path: Path, member: str
) -> None:
    hostile = tmp_path / "bomb.zip"
    block = bytes(16 * 1024 * 1024)
    with (
        zipfile.ZipFile(exported_zip) as old,
        zipfile.ZipFile(hostile, "w", compresslevel=1) as new,
    ):
        for info in old.infolist():
            if info.filename != member:
                new.writestr(info, old.read(info))
        info = zipfile.ZipInfo(member, date_time=(2025, 6, 14, 3, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with new.open(info, "w", force_zip64=True) as out:  # 512 MiB of zeros, ~2 MB packed
            for _ in range(BOMB_BYTES // len(block)):
                out.write(block)
    assert hostile.stat().st_size < 20 * 1024 * 1024
    found = _verify_in_child("zip", hostile, timeout=60, headroom=HEADROOM)
    assert "too_large" in found["codes"], found


def test_bomb_in_pdf_attachment_is_refused_without_reading_it(tmp_path: Path) -> None:
    packed = _bomb()
    hostile = tmp_path / "bomb.pdf"
    hostile.write_bytes(
        b"%PDF-1.7\n1 0 obj\n<< /Filter [ /FlateDecode ] /Length "
        + str(len(packed)).encode()
        + b" /Subtype /application#2Fjson /Type /EmbeddedFile >>\nstream\n"
        + packed
        + b"\nendstream\nendobj\n<< /Keywords (bundle-sha256:"
        + b"0" * 64
        + b") >>\n%%EOF\n"
    )
    found = _verify_in_child("pdf", hostile, timeout=60, headroom=HEADROOM)
    assert found["codes"] == ["too_large"], found


def test_page_reader_child_is_stopped_at_its_time_budget(
    exported_zip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PDF whose pages take forever to read (stands in for nested drawings)."""
    from app.evidence.export import verify as verify_module

    def forever(pdf: Path) -> object:
        time.sleep(600)
        return []

    monkeypatch.setattr(verify_module, "_footers_in_child", forever)
    monkeypatch.setattr(verify_module, "PAGE_BUDGET_S", 2)
    start = time.monotonic()
    check = verify_zip(exported_zip)
    assert time.monotonic() - start < 30
    assert check.ok and check.pages_checked is None
    assert check.notes  # said: the footers were not read


def test_page_reader_child_is_stopped_at_its_memory_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PDF whose pages would take more memory than the budget (a bomb in a content stream)."""
    from app.evidence.export import verify as verify_module

    def hungry(pdf: Path) -> object:
        hoard = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GiB
        return [[None, len(hoard), None]]

    monkeypatch.setattr(verify_module, "_footers_in_child", hungry)
    monkeypatch.setattr(verify_module, "PAGE_BUDGET_BYTES", 256 * 1024 * 1024)
    pdf = tmp_path / "any.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    footers, why = verify_module.read_footers(pdf)
    assert footers is None and why
