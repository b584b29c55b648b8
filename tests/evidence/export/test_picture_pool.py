"""The PDF's page pictures made in worker processes: the same PDF as on threads (pass-through,
draft decode, HEIC, a turned photo, a screenshot, a redacted photo), nothing of the originals'
metadata in it, and a decoder that kills its worker costs only its own exhibit.

Everything is generated here (no shared corpus).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pillow_heif
import pytest
from PIL import Image

from app.evidence.export import ExportResult, export_case
from app.evidence.export import assets as assets_module
from app.evidence.export.assets import PictureJob, prepare_assets
from app.evidence.export.collect import build_export_input
from app.evidence.export.picture_pool import (
    POOL_MIN_PICTURES,
    PicturePool,
    make_picture,
    use_pool,
)
from app.evidence.export.redact import plan_privacy
from app.evidence.ingest.importer import import_files
from app.evidence.models import ItemKind
from app.evidence.privacy.model import Rect
from app.evidence.privacy.store import add_redaction
from app.evidence.store.case import Case
from tests.evidence.export.test_pdf_speed_passthrough import SECRETS, busy_picture, phone_jpeg

pillow_heif.register_heif_opener()
needs_poppler = pytest.mark.skipif(shutil.which("pdfimages") is None, reason="poppler missing")
CLOCK = datetime(2025, 6, 14, 3, tzinfo=UTC)


@dataclass(frozen=True)
class CrashingJob(PictureJob):
    """A job whose arrival kills the worker process, as a decoder crashing on a file would."""

    def __setstate__(self, state: dict[str, Any]) -> None:  # runs only in the worker
        os._exit(70)


def _inputs(folder: Path) -> list[Path]:
    """One file of each path through the picture code, plus a second plain large JPEG."""
    folder.mkdir()
    files = [folder / "fits.jpg", folder / "large.jpg", folder / "turned.jpg"]
    phone_jpeg(files[0], busy_picture((1200, 900), seed=11))
    phone_jpeg(files[1], busy_picture((3264, 2448), seed=12))
    phone_jpeg(files[2], busy_picture((2000, 1500), seed=13), orientation=6)
    heic = folder / "photo.heic"
    busy_picture((2016, 1512), seed=14).save(heic, quality=70)
    shot = folder / "Screenshot_20250612_190301.png"
    busy_picture((1080, 2340), seed=15, noise=2).save(shot)
    redacted = folder / "redacted.jpg"
    phone_jpeg(redacted, busy_picture((1200, 900), seed=16))
    return [*files, heic, shot, redacted, folder / "more.jpg"]


def _case(tmp_path: Path) -> Path:
    paths = _inputs(tmp_path / "in")
    phone_jpeg(paths[-1], busy_picture((2400, 1800), seed=17))
    root = tmp_path / "case"
    with Case.create(root, "picture pool") as case:
        report = import_files(case, paths)
        assert report.count("failed") == 0, [r.message for r in report.results]
        redacted = next(i for i in case.items() if i.original_name == "redacted.jpg")
        add_redaction(case, redacted.id, Rect(100, 100, 300, 200))
    return root


def _export(root: Path, out: Path, processes: bool) -> ExportResult:
    out.mkdir()
    with Case.open(root, writable=False) as case:
        return export_case(case, pdf=out / "chain.pdf", clock=lambda: CLOCK, processes=processes)


def _pdf_images(pdf: Path, folder: Path) -> list[bytes]:
    folder.mkdir()
    subprocess.run(["pdfimages", "-all", str(pdf), str(folder / "img")], check=True)
    return [p.read_bytes() for p in sorted(folder.glob("img-*"))]


@needs_poppler
def test_pool_and_threads_write_the_same_pdf(tmp_path: Path) -> None:
    root = _case(tmp_path)
    with Case.open(root, writable=False) as case:
        kinds = {i.original_name: i.kind for i in case.items()}
    assert kinds["Screenshot_20250612_190301.png"] is ItemKind.SCREENSHOT
    on_threads = _export(root, tmp_path / "threads", processes=False)
    in_pool = _export(root, tmp_path / "pool", processes=True)
    assert on_threads.problems == in_pool.problems == ()
    assert on_threads.pdf_pages == in_pool.pdf_pages
    assert in_pool.pdf is not None and on_threads.pdf is not None
    raw = in_pool.pdf.read_bytes()
    for secret in SECRETS:
        assert secret not in raw, secret
    images = _pdf_images(in_pool.pdf, tmp_path / "pool-images")
    assert len(images) == 7
    # the same pictures byte for byte, the redacted one included
    assert images == _pdf_images(on_threads.pdf, tmp_path / "thread-images")


def test_the_redacted_picture_is_filled_in_the_worker(tmp_path: Path) -> None:
    root = _case(tmp_path)
    with Case.open(root, writable=False) as case:
        inp = build_export_input(case, clock=lambda: CLOCK)
        regions = plan_privacy(case, inp.exhibits).redactions
    made = {
        processes: prepare_assets(
            inp.exhibits, _mkdir(tmp_path / str(processes)), redactions=regions, processes=processes
        )
        for processes in (False, True)
    }
    for a, b in zip(made[False], made[True], strict=True):
        assert a.problem == b.problem == ""
        assert a.redactions == b.redactions
        assert a.picture is not None and b.picture is not None
        assert a.picture.path.read_bytes() == b.picture.path.read_bytes()
        assert (a.activity is None) == (b.activity is None)
        if a.activity is not None and b.activity is not None:
            assert (a.activity == b.activity).all()
    redacted = next(a for a in made[True] if a.redactions)
    assert redacted.picture is not None
    with Image.open(redacted.picture.path) as im:
        inside = np.asarray(im.convert("L"))[104:296, 104:396]
    assert inside.max() <= 40 and inside.mean() <= 8


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def test_a_decoder_crash_costs_only_its_exhibit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _case(tmp_path)
    real = assets_module.picture_job

    def crash_on_large(*args: Any, **kwargs: Any) -> PictureJob:
        job = real(*args, **kwargs)
        if job.src.read_bytes() == (tmp_path / "in" / "large.jpg").read_bytes():
            return CrashingJob(**{f: getattr(job, f) for f in job.__dataclass_fields__})
        return job

    monkeypatch.setattr(assets_module, "picture_job", crash_on_large)
    result = _export(root, tmp_path / "out", processes=True)
    assert result.pdf is not None and result.pdf.is_file()
    assert len(result.problems) == 1, result.problems
    (problem,) = result.problems
    assert "large.jpg" in problem, problem
    assert "崩溃" in problem or "crashed" in problem, problem
    # the other six pictures are all in the PDF
    if shutil.which("pdfimages"):
        assert len(_pdf_images(result.pdf, tmp_path / "images")) == 6


def test_a_worker_crash_mid_batch_is_pinned_on_its_job(tmp_path: Path) -> None:
    sources = _inputs(tmp_path / "in")[:3]
    out = _mkdir(tmp_path / "out")
    jobs = [PictureJob(src, out / f"{n}.jpg", 1600, 1600, 85) for n, src in enumerate(sources)]
    crash = CrashingJob(sources[0], out / "crash.jpg", 1600, 1600, 85)
    with PicturePool(2) as pool, ThreadPoolExecutor(3) as threads:
        results = list(threads.map(pool.run, [jobs[0], crash, jobs[1], jobs[2]]))
        assert pool.crashes == 1
    assert [r.crashed for r in results] == [False, True, False, False]
    assert all(r.error is None and r.job.dest.is_file() for n, r in enumerate(results) if n != 1)
    assert not (out / "crash.jpg").exists()


def test_a_bad_file_gives_the_same_problem_in_the_pool_as_on_threads(tmp_path: Path) -> None:
    noise = tmp_path / "noise.jpg"
    noise.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(4000))
    job = PictureJob(noise, tmp_path / "out.jpg", 1600, 1600, 85)
    here = make_picture(job)
    with PicturePool(1) as pool:
        there = pool.run(job)
    assert here.error is not None and there.error is not None
    assert type(here.error) is type(there.error)
    assert str(here.error) == str(there.error)
    assert not there.crashed


def test_small_cases_stay_on_threads() -> None:
    assert not use_pool(["photo"] * (POOL_MIN_PICTURES - 1) + ["video", "tracking"])
    assert use_pool(["photo", "screenshot"] * (POOL_MIN_PICTURES // 2))
