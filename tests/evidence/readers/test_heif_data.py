"""A HEIC's picture data is hashed from its coded tiles, as a decode would tell them apart.

Issue 20: the cross-item check decoded every same-size HEIC of a case in full to hash its
pixels (0.3-1 s each, at every import). The coded data of the primary image and its tiles gives
the same answer: equal for a copy whose metadata was edited, different for another picture.
"""

from __future__ import annotations

import hashlib
import random
import re
import shutil
from pathlib import Path

import pytest

from app.evidence.checks import cross_check
from app.evidence.checks.run import check_file
from app.evidence.readers import heif_data
from app.evidence.readers.heif_data import image_data_hash
from app.evidence.readers.image import open_image

DATA = Path(__file__).resolve().parents[2] / "data"
HEIFS = [
    DATA / "phone" / "iphone_13_pro_max.heic",
    DATA / "phone" / "iphone_11_pro_max_cropped.heic",
    DATA / "realworld" / "exif-samples" / "heic" / "samplefilehub.heif",
]
DATE = re.compile(rb"20\d\d:\d\d:\d\d \d\d:\d\d:\d\d")


def _pixels(path: Path) -> str:
    with open_image(path) as im:
        return hashlib.sha256(im.convert("RGBA").tobytes()).hexdigest()


def _tiles(path: Path) -> list[tuple[int, int]]:
    """(offset, length) in the file of the primary image's tiles."""
    data = path.read_bytes()
    with path.open("rb") as fh:
        meta = heif_data._meta_box(fh, len(data))
    primary, locations, references, _ = heif_data._parse_meta(meta)
    return [
        (e.offset, e.length)
        for item in references.get(primary, [primary])
        for e in locations[item]
        if e.method == 0
    ]


def test_every_real_heif_is_hashed_and_told_apart_as_a_decode_tells_them() -> None:
    coded = [image_data_hash(path) for path in HEIFS]
    assert all(coded), coded
    decoded = [_pixels(path) for path in HEIFS]
    for i in range(len(HEIFS)):
        for j in range(len(HEIFS)):
            assert (coded[i] == coded[j]) == (decoded[i] == decoded[j]), (HEIFS[i], HEIFS[j])


def _redated(source: Path, folder: Path) -> Path:
    """A copy of `source` whose every EXIF date is moved to 2019 (the picture untouched)."""
    data = bytearray(source.read_bytes())
    dates = [m.start() for m in DATE.finditer(data)]
    assert dates
    tiles = _tiles(source)
    for at in dates:
        assert not any(o <= at < o + n for o, n in tiles)  # metadata, not the picture
        data[at : at + 4] = b"2019"
    copy = folder / "IMG_0001.HEIC"
    copy.write_bytes(bytes(data))
    return copy


def test_a_copy_with_edited_metadata_has_the_same_picture_data(tmp_path: Path) -> None:
    source = HEIFS[0]
    copy = _redated(source, tmp_path)
    assert image_data_hash(copy) == image_data_hash(source)
    assert _pixels(copy) == _pixels(source)
    # the cross check names them, and takes the hash from the coded data, not a decode
    checks = [check_file(source), check_file(copy)]
    assert checks[0].metadata and checks[1].metadata
    assert checks[0].metadata.datetime_original != checks[1].metadata.datetime_original
    found_codes = [c.finding.code for c in cross_check(checks)]
    assert "cross_same_pixels" in found_codes


def test_a_changed_tile_changes_the_hash(tmp_path: Path) -> None:
    source = HEIFS[2]
    data = bytearray(source.read_bytes())
    offset, length = _tiles(source)[0]
    data[offset + length // 2] ^= 0x55
    changed = tmp_path / "changed.heif"
    changed.write_bytes(bytes(data))
    assert image_data_hash(changed) not in (None, image_data_hash(source))


def test_the_cross_check_does_not_decode_a_heic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _redated(HEIFS[0], tmp_path)
    other = tmp_path / "other.heic"
    shutil.copy2(HEIFS[1], other)  # another picture of the same size (a reduced file)
    checks = [check_file(HEIFS[0]), check_file(copy), check_file(other)]

    def no_decode(*args: object, **kwargs: object) -> None:
        raise AssertionError("decoded")

    monkeypatch.setattr("app.evidence.checks.cross.open_image", no_decode)
    found = cross_check(checks)
    assert [c.finding.code for c in found].count("cross_same_pixels") == 1


def test_damaged_or_foreign_files_give_none_and_never_raise(tmp_path: Path) -> None:
    source = HEIFS[0].read_bytes()
    rng = random.Random(7)
    path = tmp_path / "x.heic"
    for cut in (0, 7, 40, 200, len(source) // 2):
        path.write_bytes(source[:cut])
        assert image_data_hash(path) is None or cut > 200
    meta_at = source.find(b"meta")
    for _ in range(300):
        data = bytearray(source)
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(meta_at, meta_at + 600)] = rng.randrange(256)
        path.write_bytes(bytes(data))
        result = image_data_hash(path)
        assert result is None or re.fullmatch(r"[0-9a-f]{64}", result)
    path.write_bytes(b"\x00\x00\x00\x18ftypmif1" + b"\x00" * 100)
    assert image_data_hash(path) is None
    assert image_data_hash(tmp_path / "missing.heic") is None
