"""Thumbnails: upright, small, metadata-free, atomic; one bad file never stops a batch."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from app.evidence.errors import DamagedFile, EmptyFile, UnsupportedFormat
from app.evidence.ingest.thumbnails import ThumbnailJob, make_thumbnail, make_thumbnails
from tests.evidence.readers.test_video import set_rotation

ORIENTATION = "photos/orientation"
UPRIGHT_LIMIT = 10.0  # mean grey-level difference; measured ~3 when upright, 40-75 when not


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    a, b = a.convert("L"), b.convert("L").resize(a.size)
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]


@pytest.mark.parametrize("shape", ["landscape", "portrait"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_files_come_out_upright(
    corpus: Path, tmp_path: Path, shape: str, orientation: int
) -> None:
    reference = make_thumbnail(
        corpus / ORIENTATION / f"{shape}_1.jpg", tmp_path / "ref.jpg", "photo"
    )
    source = corpus / ORIENTATION / f"{shape}_{orientation}.jpg"
    thumb = make_thumbnail(source, tmp_path / "thumb.jpg", "photo")
    with Image.open(thumb) as im, Image.open(reference) as ref:
        width, height = im.size
        assert (width > height) if shape == "landscape" else (height > width)
        assert max(im.size) == 320
        assert _mean_difference(im, ref) < UPRIGHT_LIMIT
        if orientation != 1:  # the stored pixels really differ: the match proves the transform
            with Image.open(source) as stored:
                stored.thumbnail((320, 320))
                assert _mean_difference(ref, stored) > 3 * UPRIGHT_LIMIT


@pytest.mark.parametrize(
    "rel",
    ["photos/originals/canon-ixus.jpg", "photos/originals/orientation_6.heic"],
)
def test_thumbnail_carries_no_metadata(corpus: Path, tmp_path: Path, rel: str) -> None:
    thumb = make_thumbnail(corpus / rel, tmp_path / "t.jpg", "photo")
    with Image.open(thumb) as im:
        assert im.format == "JPEG" and im.mode == "RGB"
        assert max(im.size) == 320
        assert "exif" not in im.info and "icc_profile" not in im.info and "xmp" not in im.info
        assert len(im.getexif()) == 0
    assert b"Exif" not in thumb.read_bytes()[:2048]


def test_heic_thumbnail_is_upright_portrait(corpus: Path, tmp_path: Path) -> None:
    thumb = make_thumbnail(
        corpus / "photos/originals/orientation_6.heic", tmp_path / "h.jpg", "photo"
    )
    with Image.open(thumb) as im:
        assert im.size == (240, 320)


def test_screenshot_thumbnail(corpus: Path, tmp_path: Path) -> None:
    thumb = make_thumbnail(
        corpus / "synthetic/screenshots/chat_part1.png", tmp_path / "s.jpg", "screenshot"
    )
    with Image.open(thumb) as im:
        assert im.size == (148, 320)


def test_transparency_becomes_white(tmp_path: Path) -> None:
    source = tmp_path / "clear.png"
    Image.new("RGBA", (64, 32), (0, 0, 0, 0)).save(source)
    with Image.open(make_thumbnail(source, tmp_path / "c.jpg", "screenshot")) as im:
        assert im.convert("L").getextrema()[0] > 240


def test_video_thumbnail_honours_rotation(corpus: Path, corpus_copy, tmp_path: Path) -> None:
    plain = make_thumbnail(
        corpus / "synthetic/videos/packing_android_sf.mp4", tmp_path / "v.jpg", "video"
    )
    rotated_src = corpus_copy("synthetic/videos/packing_android_sf.mp4")
    set_rotation(rotated_src, 90)
    rotated = make_thumbnail(rotated_src, tmp_path / "r.jpg", "video")
    with Image.open(plain) as a, Image.open(rotated) as b:
        assert a.size == (320, 180) and b.size == (180, 320)
        turned = a.transpose(Image.Transpose.ROTATE_270)  # 90 degrees clockwise
        assert _mean_difference(b, turned) < UPRIGHT_LIMIT
        assert "exif" not in b.info


def test_replaces_existing_and_leaves_no_temp_files(corpus: Path, tmp_path: Path) -> None:
    dest = tmp_path / "derived" / "thumb.jpg"
    dest.parent.mkdir()
    dest.write_bytes(b"stale")
    make_thumbnail(corpus / "photos/originals/sanyo-vpcsx550.jpg", dest, "photo")
    with Image.open(dest) as im:
        assert im.format == "JPEG"
    assert [p.name for p in dest.parent.iterdir()] == ["thumb.jpg"]


def test_failures_raise_input_errors_and_write_nothing(corpus_copy, tmp_path: Path) -> None:
    truncated = corpus_copy("photos/originals/canon-ixus.jpg")
    data = truncated.read_bytes()
    truncated.write_bytes(data[: int(len(data) * 0.3)])
    out = tmp_path / "out"
    with pytest.raises(DamagedFile):
        make_thumbnail(truncated, out / "a.jpg", "photo")
    noise = tmp_path / "noise.jpg"
    noise.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(UnsupportedFormat):
        make_thumbnail(noise, out / "b.jpg", "photo")
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFile):
        make_thumbnail(empty, out / "c.jpg", "video")
    with pytest.raises(DamagedFile):
        make_thumbnail(noise, out / "d.jpg", "video")
    with pytest.raises(UnsupportedFormat):
        make_thumbnail(noise, out / "e.jpg", "tracking")
    assert not out.exists() or list(out.iterdir()) == []


def test_batch_reports_per_job(corpus: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_text("not a picture")
    jobs = [
        ThumbnailJob(corpus / "photos/originals/canon-ixus.jpg", tmp_path / "1.jpg", "photo"),
        ThumbnailJob(bad, tmp_path / "2.jpg", "photo"),
        ThumbnailJob(
            corpus / "synthetic/videos/unboxing_iphone_zto.mov", tmp_path / "3.jpg", "video"
        ),
        ThumbnailJob(tmp_path / "missing.jpg", tmp_path / "4.jpg", "photo"),
    ]
    seen: list[tuple[int, int]] = []
    results = make_thumbnails(
        jobs, workers=2, progress=lambda done, total: seen.append((done, total))
    )
    assert [r.job for r in results] == jobs
    assert [r.path is not None for r in results] == [True, False, True, False]
    assert isinstance(results[1].error, UnsupportedFormat)
    assert results[3].error is not None and results[3].error.code == "unreadable_file"
    assert seen[-1] == (4, 4) and len(seen) == 4
