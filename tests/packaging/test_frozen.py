"""The frozen desktop build does what the source does: demo, check, verify, and the window.

One PyInstaller build per session (conftest.py), then the frozen command line runs the bundled
sample case end to end (import, checks, OCR, PDF, upload pack, ZIP), and its PDF must carry the
same exhibits, hashes and verdicts as `python -m app demo` from the source tree: a missing model,
library or data file in the build shows up here as a different verdict, a missing OCR time or a
crash. The window is started offscreen on the sample case and must quit cleanly on its own.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.evidence.export.pdf.embed import read_pdf
from tests.packaging.conftest import REPO, RUN_TIMEOUT, FrozenApp, FrozenRun, RunFrozen

PDF, ZIP, PACK = "证据链.pdf", "原件.zip", "upload-taobao-buyer"
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
# what an exhibit must share between a frozen and a source run (import times and file times differ)
STABLE = ("label", "sha256", "size", "kind", "format", "verdict", "time", "note", "title")
# one file per native reader: JPEG, HEIC (libheif), an edited JPEG, two videos (libmediainfo)
CHECKED = (
    "photos/originals/canon-ixus.jpg",
    "photos/originals/orientation_6.heic",
    "photos/edited/Canon_40D_photoshop_import.jpg",
    "synthetic/videos/packing_reencoded_lavf.mp4",
    "synthetic/videos/unboxing_iphone_zto.mov",
)
SMOKE_SECONDS = 2
pytestmark = pytest.mark.packaging


@pytest.fixture(scope="session")
def source_demo_running(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """`python -m app demo OUT` from the source tree, started before the build so both overlap."""
    out = tmp_path_factory.mktemp("source-demo")
    command = [sys.executable, "-m", "app", "demo", str(out)]
    with subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        yield process, out
        if process.poll() is None:  # a test failed before waiting for it
            process.kill()


@pytest.fixture(scope="module")
def source_demo(source_demo_running: tuple[subprocess.Popen[str], Path]) -> Path:
    """The source run's output folder, once it has finished."""
    process, out = source_demo_running
    _, stderr = process.communicate(timeout=RUN_TIMEOUT)
    assert process.returncode == 0, stderr
    return out


@pytest.fixture(scope="module")
def frozen_demo(
    source_demo_running: tuple[subprocess.Popen[str], Path],  # first: it runs during the build
    run_frozen: RunFrozen,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[FrozenRun, Path]:
    """`EvidenceDesk demo OUT` from the frozen build."""
    out = tmp_path_factory.mktemp("frozen-demo")
    return run_frozen("demo", out), out


def manifest_of(pdf: Path) -> dict[str, Any]:
    """The manifest an exported PDF carries."""
    contents = read_pdf(pdf.read_bytes())
    assert contents.manifest is not None, f"{pdf} carries no manifest"
    return json.loads(contents.manifest)


def exhibits_of(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Each exhibit's stable fields plus the codes of its findings."""
    return [
        {key: e.get(key) for key in STABLE} | {"findings": [f["code"] for f in e["findings"]]}
        for e in manifest["exhibits"]
    ]


def test_frozen_demo_builds_and_exports_the_sample_case(
    frozen_demo: tuple[FrozenRun, Path],
) -> None:
    run, out = frozen_demo
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert (out / PDF).stat().st_size > 50_000
    assert (out / ZIP).is_file()
    assert any((out / PACK).rglob("*.jpg")), "the upload pack holds no images"


def test_frozen_pdf_has_the_exhibits_hashes_and_verdicts_of_a_source_run(
    frozen_demo: tuple[FrozenRun, Path], source_demo: Path
) -> None:
    _, out = frozen_demo
    frozen, source = manifest_of(out / PDF), manifest_of(source_demo / PDF)
    assert exhibits_of(frozen) == exhibits_of(source)
    assert frozen["generator"] == source["generator"] == f"EvidenceDesk {VERSION}"
    time_sources = {(e["kind"], (e["time"] or {}).get("source")) for e in frozen["exhibits"]}
    assert ("screenshot", "ocr") in time_sources, "chats were not read: OCR models missing?"
    assert ("video", "quicktime") in time_sources, "no video metadata: libmediainfo missing?"
    # the hashes are also printed in the PDF itself, where a reader of the paper copy sees them
    from pypdf import PdfReader

    text = "".join(page.extract_text() or "" for page in PdfReader(out / PDF).pages)
    printed = set(re.findall(r"[0-9a-f]{64}", text))
    assert {e["sha256"] for e in frozen["exhibits"]} <= printed


def test_frozen_verify_accepts_the_frozen_zip_and_pdf(
    run_frozen: RunFrozen, frozen_demo: tuple[FrozenRun, Path]
) -> None:
    _, out = frozen_demo
    zipped = run_frozen("verify", out / ZIP)
    assert zipped.returncode == 0, zipped.stdout + zipped.stderr  # 1 would mean a hash differs
    against = run_frozen("verify", out / PDF, "--against", out / "sample-case")
    assert against.returncode == 0, against.stdout + against.stderr


def test_frozen_check_gives_the_verdicts_of_a_source_run(
    run_frozen: RunFrozen, corpus: Path
) -> None:
    paths = [corpus / rel for rel in CHECKED]
    frozen = run_frozen("check", "--json", *paths)
    source = subprocess.run(
        [sys.executable, "-m", "app", "check", "--json", *map(str, paths)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    assert frozen.returncode == source.returncode == 0, frozen.stderr

    def verdicts(stdout: str) -> list[tuple[str, str, list[str]]]:
        files = json.loads(stdout)["files"]
        return [
            (Path(f["path"]).name, f["verdict"], [x["code"] for x in f["findings"]]) for f in files
        ]

    assert verdicts(frozen.stdout) == verdicts(source.stdout)
    heic = next(v for v in verdicts(frozen.stdout) if v[0].endswith(".heic"))
    assert heic[1] == "camera_original", "HEIC unreadable in the build: libheif missing?"


def test_frozen_window_opens_the_sample_case_and_quits_cleanly(
    run_frozen: RunFrozen, frozen_demo: tuple[FrozenRun, Path]
) -> None:
    _, out = frozen_demo
    run = run_frozen(
        out / "sample-case",
        gui=True,
        timeout=120,
        extra_env={"EVIDENCE_DESK_SMOKE_SECONDS": str(SMOKE_SECONDS)},
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert run.seconds >= SMOKE_SECONDS, "the window closed before the smoke timer: it did not run"


def test_build_holds_what_the_app_loads_and_leaves_out_what_it_never_does(
    frozen_app: FrozenApp,
) -> None:
    files = [p for p in frozen_app.root.rglob("*") if p.is_file() or p.is_symlink()]
    assert not [p for p in files if not p.exists()], "the build has links to files left out"
    names = {p.name for p in files}
    needed = {
        "qtbase_zh_CN.qm",  # Qt's own dialogs in Chinese (loaded from TranslationsPath)
        "wqy-microhei.ttc",
        "app.png",
        "app.ico",
        "app.icns",
        "PP-OCRv6_det_small.onnx",
        "PP-OCRv6_rec_small.onnx",
        "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
        "开箱视频.mov",
        "camera_models.json",
        "taobao-buyer.json",
        "not_received.json",
    }
    assert needed <= names, f"missing from the build: {sorted(needed - names)}"
    assert any("mediainfo" in n.lower() for n in names), "libmediainfo is not in the build"
    assert any(n.startswith("zxingcpp") for n in names), "zxing-cpp's extension is not in the build"
    translations = {n for n in names if n.endswith(".qm")}
    assert translations <= {"qtbase_zh_CN.qm", "qtbase_en.qm", "qt_zh_CN.qm", "qt_en.qm"}
    never = (
        "Qt6Quick",
        "Qt6Qml",
        "Qt6Network",
        "Qt6Pdf",
        "Qt6WebEngine",
        "libqvnc",
        "libqgtk3",
        "libqeglfs",
        "libreadline",
    )
    assert not [n for n in names if n.startswith(("lib", "Qt")) and any(x in n for x in never)]


def _one_page_receipt(path: Path) -> Path:
    """A one-page PDF receipt: a solid orange page (found again in the export by its colour)."""
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=A5)
    page.setFillColorRGB(*(c / 255 for c in RECEIPT_COLOUR))
    page.rect(0, 0, A5[0], A5[1], stroke=0, fill=1)
    page.setFillColorRGB(0, 0, 0)
    page.drawString(40, A5[1] - 60, "Receipt 2025-06-12 total 128.50")
    page.showPage()
    page.save()
    return path


RECEIPT_COLOUR = (240, 140, 20)


def test_frozen_export_copies_a_video_and_draws_a_pdf_receipt(
    run_frozen: RunFrozen, corpus: Path, tmp_path: Path
) -> None:
    """PyAV's FFmpeg and PDFium are native libraries loaded at run time: only running the frozen
    export of a video and a PDF receipt shows they are in the build."""
    import av
    import numpy as np
    from PIL import Image

    from app.evidence.privacy.metadata import video_metadata_in

    video = corpus / "synthetic/videos/packing_android_sf.mp4"  # carries an Android ©xyz location
    assert "gps" in video_metadata_in(video)
    receipt = _one_page_receipt(tmp_path / "receipt.pdf")
    case, pack = tmp_path / "case", tmp_path / "pack"
    made = run_frozen("new", case, "--title", "video and receipt")
    assert made.returncode == 0, made.stderr
    added = run_frozen("add", case, video, receipt)
    assert added.returncode == 0, added.stdout + added.stderr
    export = run_frozen(
        "export", case, "--pdf", tmp_path / "chain.pdf", "--pack", "taobao-buyer", "--out", pack
    )
    assert export.returncode == 0, export.stdout + export.stderr
    assert "Traceback" not in export.stderr

    listing = json.loads((pack / "pack.json").read_text(encoding="utf-8"))
    (copy,) = [v for v in listing["videos"] if v["file"]]
    copied = pack / copy["file"]
    assert video_metadata_in(copied) == [], "the video copy kept location or device tags"
    with av.open(str(copied)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames > 10, "the frozen build's video copy does not decode"

    def orange(path: Path) -> int:
        with Image.open(path) as im:
            pixels = np.asarray(im.convert("RGB")).astype(int)
        return int((np.abs(pixels - np.array(RECEIPT_COLOUR)) <= 30).all(axis=-1).sum())

    pages = [pack / p["file"] for p in listing["pages"]]
    assert max(orange(p) for p in pages) > 50_000, "no receipt page drawn: PDFium missing?"
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "chain.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "not readable" not in text and "cannot be read" not in text, "receipt or video failed"
