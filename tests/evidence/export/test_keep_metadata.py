"""Metadata opt-in per export: off by default; when the user opts in, the upload pack's photo
pages and video copies keep the originals' EXIF/XMP and tags (never for a redacted picture), and
the pages, the privacy page and the manifest say so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import exifread
import pytest
from PIL import Image, ImageOps

from app.evidence.export import ExportResult, export_case
from app.evidence.privacy.metadata import metadata_in, video_metadata_in
from app.evidence.privacy.model import Rect
from app.evidence.privacy.store import add_redaction
from app.evidence.store.case import Case
from tests.evidence.export.conftest import fixed_clock, make_case

FILES = [
    "photos/gps/DSCN0021.jpg",  # EXIF with GPS and a capture time
    "photos/orientation/portrait_6.jpg",  # EXIF orientation 6: the kept copy must say upright
    "photos/originals/fujifilm-dx10.jpg",  # redacted below
    "synthetic/videos/packing_android_sf.mp4",  # Android ©xyz location
    "photos/originals/sanyo-vpcsx550.jpg",  # the shared case maker notes this one
]
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def case_root(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_case(tmp_path_factory.mktemp("keep") / "case", corpus, FILES)
    with Case.open(root) as case:
        nokia = next(i for i in case.items() if i.original_name == "fujifilm-dx10.jpg")
        add_redaction(case, nokia.id, Rect(10, 10, 200, 120))
    return root


def _export(root: Path, out: Path, keep: bool) -> ExportResult:
    with Case.open(root, writable=False) as case:
        return export_case(
            case,
            pdf=out / "chain.pdf",
            pack=("taobao-buyer", out / "pack"),
            zip_path=out / "bundle.zip",
            clock=fixed_clock,
            keep_metadata=keep,
        )


@pytest.fixture(scope="module")
def kept(case_root: Path, tmp_path_factory: pytest.TempPathFactory) -> ExportResult:
    return _export(case_root, tmp_path_factory.mktemp("kept"), keep=True)


@pytest.fixture(scope="module")
def stripped(case_root: Path, tmp_path_factory: pytest.TempPathFactory) -> ExportResult:
    return _export(case_root, tmp_path_factory.mktemp("stripped"), keep=False)


def _exif(path: Path) -> dict[str, str]:
    with open(path, "rb") as handle:
        return {k: str(v) for k, v in exifread.process_file(handle, details=False).items()}


def _page(result: ExportResult, name: str, root: Path) -> Path:
    """The pack page of the exhibit whose original was `name`."""
    with Case.open(root, writable=False) as case:
        item = next(i for i in case.items() if i.original_name == name)
    label = next(
        e["label"] for e in json.loads(_manifest(result))["exhibits"] if e["sha256"] == item.sha256
    )
    assert result.pack is not None
    return next(p.path for p in result.pack.pages if p.label == label)


def _manifest(result: ExportResult) -> str:
    import zipfile

    assert result.zip is not None
    with zipfile.ZipFile(result.zip) as archive:
        return archive.read("manifest.json").decode("utf-8")


def _pdf_text(result: ExportResult) -> str:
    assert result.pdf is not None
    return subprocess.run(
        ["pdftotext", "-layout", str(result.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_kept_pack_photo_carries_the_originals_capture_time_and_gps(
    kept: ExportResult, case_root: Path, corpus: Path
) -> None:
    original = _exif(corpus / FILES[0])
    page = _page(kept, "DSCN0021.jpg", case_root)
    copy = _exif(page)
    assert copy["EXIF DateTimeOriginal"] == original["EXIF DateTimeOriginal"]
    assert copy["GPS GPSLatitude"] == original["GPS GPSLatitude"]
    assert copy["GPS GPSLongitude"] == original["GPS GPSLongitude"]
    # read back by Pillow too, and the page is still a decodable picture
    with Image.open(page) as im:
        assert im.getexif().get_ifd(0x8825)
        im.load()


def test_kept_exif_says_upright_because_the_pixels_already_are(
    kept: ExportResult, case_root: Path, corpus: Path
) -> None:
    with Image.open(corpus / FILES[1]) as original:
        assert original.getexif().get(0x0112) == 6
    page = _page(kept, "portrait_6.jpg", case_root)
    with Image.open(page) as im:
        assert _exif(page)["Image Orientation"] == "Horizontal (normal)"
        # a viewer honouring the orientation must not turn the (portrait A4) page on its side
        assert im.getexif().get(0x0112) == 1
        assert ImageOps.exif_transpose(im).size == im.size


def test_without_the_option_no_pack_image_carries_metadata(stripped: ExportResult) -> None:
    assert stripped.pack is not None
    for page in stripped.pack.pages:
        assert metadata_in(page.path.read_bytes()) == [], page.path.name
        assert "EXIF DateTimeOriginal" not in _exif(page.path)
    for video in stripped.pack.videos:
        assert video.path is not None and video_metadata_in(video.path) == []


def test_a_redacted_picture_never_keeps_its_metadata(kept: ExportResult, case_root: Path) -> None:
    page = _page(kept, "fujifilm-dx10.jpg", case_root)
    assert metadata_in(page.read_bytes()) == []
    assert not any(k.startswith(("GPS", "EXIF")) for k in _exif(page))
    privacy = json.loads(_manifest(kept))["privacy"]
    assert privacy["metadata_kept_at_user_request"] is True
    withheld = privacy["metadata_withheld_exhibits"]
    assert len(withheld) == 1 and withheld[0] not in privacy["metadata_kept_exhibits"]


def test_kept_video_copy_keeps_its_location(kept: ExportResult, corpus: Path) -> None:
    assert kept.pack is not None
    (video,) = kept.pack.videos
    assert video.path is not None and not video.reencoded
    assert "gps" in video_metadata_in(video.path)
    assert "保留" in video.note_zh and "kept at the user's request" in video.note_en


def test_pages_privacy_page_and_manifest_record_the_choice(
    kept: ExportResult, stripped: ExportResult
) -> None:
    kept_text, stripped_text = _pdf_text(kept), _pdf_text(stripped)
    assert "Metadata kept at the user's request" in " ".join(kept_text.split())
    assert "应用户要求" in kept_text
    assert "all metadata was" in " ".join(stripped_text.split())
    assert "Metadata kept" not in stripped_text
    assert json.loads(_manifest(stripped))["privacy"]["metadata_kept_at_user_request"] is False
    assert kept.privacy is not None and kept.privacy.metadata_kept
    assert "user chose to keep metadata" in _readme(kept)


def _readme(result: ExportResult) -> str:
    import zipfile

    assert result.zip is not None
    with zipfile.ZipFile(result.zip) as archive:
        return archive.read("README.txt").decode("utf-8")


def test_cli_keep_metadata_flag(case_root: Path, tmp_path: Path) -> None:
    env_run = [sys.executable, "-m", "app", "--lang", "en"]
    helped = subprocess.run(
        [*env_run, "export", "--help"], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert "--keep-metadata" in helped.stdout
    done = subprocess.run(
        [
            *env_run,
            "export",
            str(case_root),
            "--pack",
            "taobao-buyer",
            "--out",
            str(tmp_path / "p"),
            "--keep-metadata",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr
    pages = sorted((tmp_path / "p").glob("**/*.jpg"))
    assert any("EXIF DateTimeOriginal" in _exif(p) for p in pages)
