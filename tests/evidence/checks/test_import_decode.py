"""An import decodes each photo once: the thumbnail's decode serves the EXIF thumbnail comparison.

Issue 20: the import made a photo's thumbnail by decoding it at 1/8 scale, then the check decoded
it again at the same scale for the thumbnail comparison (41 ms of a 12 MP photo's 78 ms). The
thumbnail job now hands its decode to `compare_at_import`, whose findings the check uses. They
must be the findings a check of the file alone gives, to the byte: `verify` re-checks from
scratch and compares verdicts.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from app.evidence.checks.case_checks import check_again
from app.evidence.checks.import_decode import compare_at_import
from app.evidence.checks.model import CheckOptions
from app.evidence.checks.photo_input import load_photo_input
from app.evidence.checks.thumbnail import thumbnail_findings
from app.evidence.ingest.thumbnails import ThumbnailJob, make_thumbnails, shutdown_pool
from app.evidence.models import ItemKind
from app.evidence.readers.dispatch import read_metadata
from app.evidence.readers.sniff import sniff
from app.evidence.service.cases import create_case
from app.evidence.service.checks import load_findings
from app.evidence.service.importing import import_paths
from tests.evidence.checks.test_check_speed_decode import decodes  # noqa: F401  (fixture)
from tests.evidence.checks.test_thumbnail_realworld import (
    camera_file,
    exif_block,
    jpeg_bytes,
    letterboxed,
    scene,
    thumb_of,
)

DATA = Path(__file__).resolve().parents[2] / "data"
REAL = sorted((DATA / "realworld" / "exif-samples" / "jpg").glob("*.jpg"))


def _generated(folder: Path) -> list[Path]:
    """Camera-like JPEGs: matching, painted on, cropped, letterboxed, turned by a viewer, of
    several sizes, and one whose 256-pixel thumbnail needs a finer decode than a thumbnail's."""
    made: list[Path] = []
    for name, size in (("IMG_1.jpg", (2400, 1800)), ("IMG_2.jpg", (1600, 1200))):
        picture = scene(size, seed=len(made) + 3)
        made.append(camera_file(folder / name, picture, exif_block(thumb_of(picture))))
    picture = scene((2400, 1800), seed=12)  # decoded at 1/4 for its thumbnail, 1/2 to compare
    large = jpeg_bytes(picture.resize((256, 192), Image.Resampling.BOX), 85)
    made.append(camera_file(folder / "IMG_LARGE_THUMB.jpg", picture, exif_block(large)))
    picture = scene((4000, 3000), seed=9)
    made.append(camera_file(folder / "IMG_12MP.jpg", picture, exif_block(thumb_of(picture))))
    painted = picture.copy()
    ImageDraw.Draw(painted).rectangle((800, 700, 1900, 1700), fill=(150, 30, 40))
    made.append(camera_file(folder / "IMG_3.jpg", painted, exif_block(thumb_of(picture))))
    cropped = picture.crop((400, 300, 3600, 2700))
    made.append(camera_file(folder / "IMG_4.jpg", cropped, exif_block(thumb_of(picture))))
    wide = scene((3200, 1800), seed=11)
    made.append(camera_file(folder / "IMG_5.jpg", wide, exif_block(letterboxed(wide))))
    turned = picture.transpose(Image.Transpose.ROTATE_90)
    made.append(camera_file(folder / "IMG_6.jpg", turned, exif_block(thumb_of(picture))))
    upright = exif_block(thumb_of(picture.transpose(Image.Transpose.ROTATE_270)), orientation=6)
    made.append(camera_file(folder / "IMG_7.jpg", picture, upright))
    return made


def _alone(path: Path) -> list[dict]:
    meta = read_metadata(path, sniff(path.read_bytes()[:4096], path.name))
    photo = load_photo_input(path, ItemKind.PHOTO, meta, CheckOptions())
    return [f.to_json() for f in thumbnail_findings(photo)]


def test_findings_from_the_thumbnail_decode_equal_a_check_alone(tmp_path: Path) -> None:
    files = REAL + _generated(tmp_path)
    jobs = [
        ThumbnailJob(path, tmp_path / "thumbs" / f"{n}.jpg", "photo", examine=compare_at_import)
        for n, path in enumerate(files)
    ]
    results = make_thumbnails(jobs, processes=False)
    codes: set[str] = set()
    for path, result in zip(files, results, strict=True):
        assert result.error is None, (path.name, result.error)
        assert isinstance(result.examined, tuple), path.name
        assert [f.to_json() for f in result.examined] == _alone(path), path.name
        codes.update(f.code for f in result.examined)
    # the cases cover what the comparison can say, so equality is not the trivial one
    assert {"thumbnail_matches", "thumbnail_content_mismatch", "thumbnail_shows_more"} <= codes
    assert "thumbnail_turned" in codes


def test_the_process_pool_brings_the_findings_back(tmp_path: Path) -> None:
    files = _generated(tmp_path)[3:6]  # the 12 MP photo, painted on and cropped
    files = [*files, *files, *files, *files, *files, *files]  # a batch that starts the pool
    jobs = [
        ThumbnailJob(path, tmp_path / "thumbs" / f"{n}.jpg", "photo", examine=compare_at_import)
        for n, path in enumerate(files)
    ]
    results = make_thumbnails(jobs, workers=2, processes=True)
    for path, result in zip(files, results, strict=True):
        assert isinstance(result.examined, tuple), path.name
        assert [f.to_json() for f in result.examined] == _alone(path), path.name


def test_no_examination_without_a_jpeg_decode(tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    scene((800, 600)).save(png)
    jobs = [ThumbnailJob(png, tmp_path / "t.jpg", "screenshot", examine=compare_at_import)]
    (result,) = make_thumbnails(jobs, processes=False)
    assert result.path is not None and result.examined is None


def _broken_examine(path: Path, decoded: Image.Image, stored: tuple[int, int]) -> object:
    raise ValueError("a bug in the examination")


def test_a_failing_examination_keeps_the_thumbnail(tmp_path: Path) -> None:
    picture = scene((1200, 900), seed=2)
    path = camera_file(tmp_path / "IMG_9.jpg", picture, exif_block(thumb_of(picture)))
    jobs = [ThumbnailJob(path, tmp_path / "t.jpg", "photo", examine=_broken_examine)]
    (result,) = make_thumbnails(jobs, processes=False)
    assert result.error is None and result.path is not None and result.path.exists()
    assert result.examined is None
    with Image.open(io.BytesIO(result.path.read_bytes())) as im:
        assert max(im.size) == 320


def test_an_import_decodes_each_photo_once_and_stores_what_a_recheck_gives(
    tmp_path: Path,
    decodes: list,  # noqa: F811
) -> None:
    shutdown_pool()  # a batch this small runs on this process's threads, where decodes are seen
    source = tmp_path / "in"
    source.mkdir()
    generated = _generated(source)
    for real in REAL[:4]:
        shutil.copy2(real, source / real.name)
    with create_case(tmp_path / "case", "t") as case:
        outcome = import_paths(case, [source], ocr=False)
        assert outcome.count("imported") == len(generated) + 4
        items = {item.original_name: item for item in case.items()}
        vault = {name: str(case.path_of(item)) for name, item in items.items()}
        # once for the thumbnail and the comparison; a 256-pixel EXIF thumbnail needs a finer
        # decode than the thumbnail's, so that file is decoded again
        twice = {"IMG_LARGE_THUMB.jpg"}
        counts = {name: decodes.count(path) for name, path in vault.items()}
        assert counts == {name: 2 if name in twice else 1 for name in vault}, counts
        stored = load_findings(case)
        for name, item in items.items():
            again = check_again(case, item)
            assert again is not None
            mine = sorted(
                json.dumps([f.code, f.severity, f.params], sort_keys=True)
                for f in stored
                if f.item_id == item.id and f.origin == "check"
            )
            assert mine == sorted(
                json.dumps([f.code, f.severity.value, f.params], sort_keys=True)
                for f in again.findings
            ), name


@pytest.mark.parametrize("thumbnail", [True, False])
def test_the_check_uses_findings_it_is_given_only_with_the_thumbnail_check_on(
    tmp_path: Path, thumbnail: bool
) -> None:
    from app.evidence.checks.run import check_file

    picture = scene((1200, 900), seed=4)
    path = camera_file(tmp_path / "IMG_8.jpg", picture, exif_block(thumb_of(picture)))
    made = compare_at_import(path, picture.convert("RGB"), picture.size)
    assert made is not None and made[0].code == "thumbnail_matches"
    fake = (made[0].__class__(**{**made[0].__dict__, "code": "thumbnail_turned"}),)
    check = check_file(path, options=CheckOptions(thumbnail=thumbnail, thumbnail_found=fake))
    codes = [f.code for f in check.findings]
    assert ("thumbnail_turned" in codes) is thumbnail
    assert "thumbnail_matches" not in codes


def _opencv_threads(path: Path, decoded: Image.Image, stored: tuple[int, int]) -> object:
    import cv2

    return cv2.getNumThreads()


def test_opencv_runs_on_one_thread_in_each_worker(tmp_path: Path) -> None:
    """A worker per core: OpenCV's own threads in each would only contend."""
    picture = scene((1200, 900), seed=5)
    path = camera_file(tmp_path / "IMG_9.jpg", picture, exif_block(thumb_of(picture)))
    jobs = [
        ThumbnailJob(path, tmp_path / f"{n}.jpg", "photo", examine=_opencv_threads)
        for n in range(4)
    ]
    results = make_thumbnails(jobs, workers=2, processes=True)
    assert [r.examined for r in results] == [1, 1, 1, 1]


def _decoded_size(path: Path, decoded: Image.Image, stored: tuple[int, int]) -> object:
    return decoded.size


def test_a_finer_decode_only_for_a_jpeg_with_an_exif_thumbnail(tmp_path: Path) -> None:
    """A phone-sized picture: its thumbnail alone needs 1/4 scale; the comparison of a
    160-pixel EXIF thumbnail needs 320 pixels a side (1/2). A JPEG without EXIF (a chat app's
    copy) or whose EXIF has no thumbnail has nothing to compare: the cheaper decode."""
    picture = scene((1080, 1920), seed=6)
    bare = tmp_path / "mmexport1.jpg"
    picture.save(bare, quality=85)
    camera = camera_file(tmp_path / "IMG_10.jpg", picture, exif_block(thumb_of(picture)))
    unthumbed = camera_file(tmp_path / "IMG_11.jpg", picture, exif_block(None))
    jobs = [
        ThumbnailJob(path, tmp_path / f"{n}.jpg", "photo", examine=_decoded_size)
        for n, path in enumerate((bare, camera, unthumbed))
    ]
    results = make_thumbnails(jobs, processes=False)
    assert [r.examined for r in results] == [(270, 480), (540, 960), (270, 480)]
