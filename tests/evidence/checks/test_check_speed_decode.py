"""The photo check decodes a file's pixels once, and the faster thumbnail search finds the same.

Issue 20: the thumbnail comparison of a file whose EXIF thumbnail does not match took 0.7-7.5 s,
most of it in one matchTemplate call per band of the thumbnail when the picture, scaled, was
wider and lower than the thumbnail (or the reverse). The bands are now scored in one
correlation; these tests hold the new search to the old one's answers, and count the decodes
of the file itself (the Pillow loads of an image opened from that path, whoever asks).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFile

from app.evidence.checks import Verdict
from app.evidence.checks.model import CheckOptions, Severity
from app.evidence.checks.photo_input import PhotoInput, decode_picture, load_photo_input
from app.evidence.checks.run import check_file
from app.evidence.checks.thumbnail import _bands, compare_thumbnail
from app.evidence.models import ItemKind
from app.evidence.readers.dispatch import read_metadata
from app.evidence.readers.sniff import sniff
from app.evidence.readers.tiff_layout import exif_thumbnail
from tests.evidence.checks.test_thumbnail_realworld import (
    camera_file,
    exif_block,
    scene,
    thumb_of,
    thumbnail_finding,
)


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The file names of every pixel decode (a Pillow load of an image not loaded yet)."""
    seen: list[str] = []
    original = ImageFile.ImageFile.load

    def counting(self: ImageFile.ImageFile):  # noqa: ANN202
        if self.tile:  # still undecoded: this load decodes
            seen.append(str(getattr(self, "filename", "") or "<bytes>"))
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting)
    yield seen


def _changed_file(folder: Path, size: tuple[int, int] = (1600, 900)) -> Path:
    """A camera-like JPEG whose picture was painted on after its thumbnail was made."""
    picture = scene(size, seed=21)
    tiff = exif_block(thumb_of(picture))
    changed = picture.copy()
    w, h = size
    draw = ImageDraw.Draw(changed)
    draw.rectangle((w // 5, h // 4, w // 5 + w // 4, h // 4 + h // 3), fill=(150, 30, 40))
    draw.ellipse((w // 2, h // 2, w // 2 + w // 5, h // 2 + h // 3), fill=(20, 160, 60))
    return camera_file(folder / "IMG_2001.jpg", changed, tiff)


def test_a_mismatching_thumbnail_decodes_the_file_once(tmp_path: Path, decodes: list) -> None:
    """The slow path (upright, coarse, seven turns at two blurs) still decodes the file once."""
    path = _changed_file(tmp_path)
    check = check_file(path)
    f = thumbnail_finding(check)
    assert (f.code, f.severity) == ("thumbnail_content_mismatch", Severity.ALERT), f.params
    assert check.verdict == Verdict.EDITED
    assert decodes.count(str(path)) == 1, decodes


def test_a_matching_thumbnail_decodes_the_file_once_and_none_without_it(
    tmp_path: Path, decodes: list
) -> None:
    picture = scene((1200, 900), seed=22)
    path = camera_file(tmp_path / "IMG_2002.jpg", picture, exif_block(thumb_of(picture)))
    assert thumbnail_finding(check_file(path)).code == "thumbnail_matches"
    assert decodes.count(str(path)) == 1, decodes
    decodes.clear()
    check_file(path, options=CheckOptions(thumbnail=False))
    assert decodes.count(str(path)) == 0, decodes


def _photo(path: Path) -> PhotoInput:
    meta = read_metadata(path, sniff(path.read_bytes()[:4096], path.name))
    return load_photo_input(path, ItemKind.PHOTO, meta, CheckOptions())


def test_the_shared_decode_serves_every_later_request(tmp_path: Path, decodes: list) -> None:
    """One decode, reduced by DCT scaling; a request it already covers is served from it."""
    picture = scene((1600, 1200), seed=23)
    path = camera_file(tmp_path / "IMG_2003.jpg", picture, exif_block(thumb_of(picture)))
    photo = _photo(path)
    first = photo.picture(320)  # 1200 // 320 = 3: halved (DCT scaling offers 1/2, 1/4, 1/8)
    assert (first.size, first.reduce, first.image.size) == ((1600, 1200), 2, (800, 600))
    assert photo.picture(200) is first  # coarser than what is held: the same decode
    assert photo.picture(600) is first
    assert decodes.count(str(path)) == 1
    assert photo.picture(700).reduce == 1  # finer than what is held: decoded again
    assert decodes.count(str(path)) == 2


def test_a_file_that_cannot_be_decoded_is_tried_once(tmp_path: Path, decodes: list) -> None:
    picture = scene((800, 600), seed=24)
    path = camera_file(tmp_path / "IMG_2004.jpg", picture, exif_block(thumb_of(picture)))
    photo = _photo(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # half the pixels gone after the metadata was read
    with pytest.raises(OSError, match="truncated"):
        photo.picture(320)
    with pytest.raises(OSError, match="truncated"):
        photo.picture(320)
    assert decodes.count(str(path)) == 1


def test_the_shared_decode_is_what_the_comparison_decodes_alone(tmp_path: Path) -> None:
    path = _changed_file(tmp_path, (1500, 1000))
    photo = _photo(path)
    assert photo.jpeg is not None and photo.jpeg.exif_tiff
    thumb = exif_thumbnail(photo.jpeg.exif_tiff, photo.layout)
    assert thumb is not None
    alone = compare_thumbnail(path, thumb)
    shared = compare_thumbnail(path, thumb, decode=photo.picture)
    assert alone == shared and alone.verdict == "content"
    held = photo.picture(1)
    assert held.image.tobytes() == decode_picture(path, 2 * 160).image.tobytes()


# ------------------------------------------------------------------ the band search, at once


def _per_band(thumb: np.ndarray, scaled: np.ndarray, stride: int) -> tuple[float, int, int]:
    """The old search: one TM_CCOEFF_NORMED matchTemplate per band (scaled wider, lower)."""
    h, _ = thumb.shape
    sh = scaled.shape[0]
    best: tuple[float, int, int] | None = None
    for y in range(0, h - sh + 1, stride):
        band = np.ascontiguousarray(thumb[y : y + sh])
        scores = cv2.matchTemplate(scaled, band, cv2.TM_CCOEFF_NORMED)
        _, corr, _, (x, _) = cv2.minMaxLoc(scores)
        if best is None or corr > best[0]:
            best = (float(corr), -int(x), y)
    assert best is not None
    return best


def _blurred(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    noise = rng.uniform(0, 255, shape).astype(np.float32)
    return cv2.GaussianBlur(noise, (0, 0), sigma)


@pytest.mark.parametrize("seed", range(12))
def test_bands_scored_at_once_agree_with_one_match_per_band(seed: int) -> None:
    rng = np.random.default_rng(seed)
    h, w = int(rng.integers(60, 170)), int(rng.integers(80, 256))
    thumb = _blurred(rng, (h, w), float(rng.uniform(1.2, 3.0)))
    sh, sw = int(rng.integers(24, h - 4)), int(rng.integers(w + 2, w + 60))
    if seed % 2:  # the scaled picture holds the band (a real registration), plus noise
        y0, x0 = int(rng.integers(0, h - sh)), int(rng.integers(0, sw - w))
        scaled = _blurred(rng, (sh, sw), 2.0) * 0.2
        scaled[:, x0 : x0 + w] += thumb[y0 : y0 + sh]
    else:
        scaled = _blurred(rng, (sh, sw), 2.0)
    scaled = np.ascontiguousarray(scaled, dtype=np.float32)
    stride = 1 + seed % 3 // 2
    old = _per_band(thumb, scaled, stride)
    new = _bands(thumb, scaled, stride)
    assert abs(new[0] - old[0]) < 1e-4, (old, new)
    assert new[1:] == old[1:], (old, new)
    if seed % 2 and stride == 1:
        assert new[0] > 0.95


def test_bands_keep_opencv_scoring_a_flat_band_as_one() -> None:
    rng = np.random.default_rng(5)
    thumb = _blurred(rng, (120, 160), 1.5)
    thumb[:50] = 40.0  # a bar: bands inside it have no structure
    scaled = np.ascontiguousarray(_blurred(rng, (40, 180), 2.0))
    assert _bands(thumb, scaled, 1) == (1.0, 0, 0) == _per_band(thumb, scaled, 1)


# ------------------------------------------------------- still found after the speed-up


@pytest.mark.parametrize("frame", [(1600, 900), (1500, 1000), (900, 1200)])
def test_a_changed_picture_is_still_a_mismatch(tmp_path: Path, frame: tuple[int, int]) -> None:
    """Frames wider or taller than the 4:3 thumbnail: the band search decides these."""
    check = check_file(_changed_file(tmp_path, frame))
    f = thumbnail_finding(check)
    assert (f.code, f.severity) == ("thumbnail_content_mismatch", Severity.ALERT), f.params
    assert check.verdict == Verdict.EDITED


def test_a_crop_of_a_wide_frame_still_shows_more(tmp_path: Path) -> None:
    picture = scene((1600, 900), seed=25)
    tiff = exif_block(thumb_of(picture.crop((200, 0, 1400, 900))))  # the camera's centre 4:3
    cropped = picture.crop((200, 0, 1400, 760))  # the bottom 15 % cut away
    check = check_file(camera_file(tmp_path / "IMG_2005.jpg", cropped, tiff))
    f = thumbnail_finding(check)
    assert (f.code, f.severity) == ("thumbnail_shows_more", Severity.ALERT), f.params


def test_a_picture_turned_by_a_viewer_is_still_found_turned(tmp_path: Path) -> None:
    picture = scene((1200, 900), seed=26)
    turned = picture.transpose(Image.Transpose.ROTATE_90)
    check = check_file(
        camera_file(tmp_path / "IMG_2006.jpg", turned, exif_block(thumb_of(picture)))
    )
    f = thumbnail_finding(check)
    assert (f.code, f.params["turn"]) == ("thumbnail_turned", "rot270"), f.params
