"""A phone's folders: the layout recognised, each file classified by folder and dated cheaply."""

from __future__ import annotations

import os
from datetime import UTC, date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.evidence.ingest.phone_folders import (
    CAMERA,
    IPHONE,
    capture_day,
    classify_folder,
    detect_layout,
    dispute_window,
    scan_phone,
)
from tests.evidence.ingest import phone_trees
from tests.evidence.ingest.phone_trees import FAMILIES, WINDOW

ZONE = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_classified_by_folder(tmp_path: Path, family: str) -> None:
    phone = tmp_path / "phone"
    expected = phone_trees.build(phone, family)
    layout = detect_layout(phone)
    assert layout is not None and layout.root == phone
    scan = scan_phone(layout, ZONE, WINDOW)
    got = {f.path.relative_to(phone).as_posix(): f for f in scan.files}
    assert set(got) == set(expected)
    for rel, (source_class, day) in expected.items():
        assert got[rel].source_class == source_class, rel
        assert got[rel].folder == rel.rsplit("/", 1)[0]
        if source_class == CAMERA:
            assert got[rel].day == day, rel
    counts = scan.counts()
    assert sum(counts.values()) == len(expected)
    if family.startswith("iphone"):
        assert layout.family == IPHONE


def test_date_filter_inside_outside_and_undated(tmp_path: Path) -> None:
    phone = tmp_path / "phone"
    phone_trees.build(phone, "iphone")
    scan = scan_phone(detect_layout(phone), ZONE, WINDOW)  # type: ignore[arg-type]
    by_name = {f.path.name: f for f in scan.files}
    assert by_name["IMG_0001.JPG"].dated_by == "exif" and by_name["IMG_0001.JPG"].in_dates
    assert by_name["IMG_0002.MOV"].dated_by == "video" and by_name["IMG_0002.MOV"].in_dates
    assert by_name["IMG_0100.JPG"].in_dates is False and not by_name["IMG_0100.JPG"].suggested
    # no EXIF, no date in the name, a reset clock: offered, not dropped
    undated = by_name["IMG_0101.JPG"]
    assert undated.day is None and undated.in_dates is None and undated.suggested
    assert scan.undated_camera == 1
    assert {f.path.name for f in scan.suggested} == {"IMG_0001.JPG", "IMG_0002.MOV", "IMG_0101.JPG"}
    left = scan.left_out()
    assert left["camera"] == 1 and left["screenshot"] == 1  # the PNG beside the photos


def test_without_dates_every_camera_file_is_offered(tmp_path: Path) -> None:
    phone = tmp_path / "phone"
    phone_trees.build(phone, "samsung")
    scan = scan_phone(detect_layout(phone), ZONE, None)  # type: ignore[arg-type]
    assert {f.path.name for f in scan.suggested} == {"20250609_101500.jpg", "20250501_183000.mp4"}


def test_layouts_a_user_may_choose(tmp_path: Path) -> None:
    phone = tmp_path / "Apple iPhone"
    phone_trees.build(phone / "Internal Storage", "iphone")
    # the DCIM folder itself: its parent stands for the phone's storage
    dcim = detect_layout(phone / "Internal Storage" / "DCIM")
    assert dcim is not None and dcim.prefix == ("DCIM",) and dcim.family == IPHONE
    scan = scan_phone(dcim, ZONE, WINDOW)
    assert {f.folder for f in scan.files} == {"DCIM/100APPLE", "DCIM/101APPLE"}
    # Windows' "Apple iPhone" with "Internal Storage" inside
    outer = detect_layout(phone)
    assert outer is not None and outer.root == phone / "Internal Storage"
    assert {f.folder for f in scan_phone(outer, ZONE, WINDOW).files} == {
        "DCIM/100APPLE",
        "DCIM/101APPLE",
    }
    # one folder inside DCIM (a mounted phone's DCIM/100APPLE)
    inner = detect_layout(phone / "Internal Storage" / "DCIM" / "101APPLE")
    assert inner is not None and inner.prefix == ("DCIM", "101APPLE")
    assert {f.folder for f in scan_phone(inner, ZONE, WINDOW).files} == {"DCIM/101APPLE"}
    # a folder of photos is not a phone
    plain = tmp_path / "photos"
    phone_trees.jpeg(plain / "a.jpg", phone_trees.IN)
    assert detect_layout(plain) is None
    assert detect_layout(plain / "a.jpg") is None


def test_classification_is_by_folder_case_insensitive_longest_rule() -> None:
    assert classify_folder(["dcim", "camera"]) == ("camera", "camera")
    assert classify_folder(["DCIM", "Camera", "MI_Camera"]) == ("camera", "camera")
    assert classify_folder(["tencent", "MicroMsg", "WeiXin"]) == ("chat_app", "wechat")
    assert classify_folder(["Tencent", "QQ_Images"]) == ("chat_app", "qq")
    assert classify_folder(["DCIM", "抖音"]) == ("other_app", "douyin")
    screenshots = ["MIUI", "Gallery", "cloud", "Pictures", "Screenshots"]
    assert classify_folder(screenshots)[0] == "screenshot"  # deeper than the cloud album
    assert classify_folder(["MIUI", "Gallery", "cloud"])[0] == "other_app"
    assert classify_folder(["DCIM", "100APPLE"], "IMG_0003.PNG")[0] == "screenshot"
    assert classify_folder(["DCIM", "100APPLE"], "IMG_0003.HEIC")[0] == "camera"
    assert classify_folder(["DCIM"]) == ("unknown", "")
    assert classify_folder(["Camera"]) == ("unknown", "")  # not under DCIM: not a phone's camera


def test_dispute_window_and_name_dates(tmp_path: Path) -> None:
    assert dispute_window([date(2025, 6, 10), date(2025, 6, 7)]) == WINDOW
    assert dispute_window([]) is None
    path = phone_trees.png(tmp_path / "Screenshot_2025-06-09-10-20-00.png")
    assert capture_day(path, ZONE) == (date(2025, 6, 9), "name")
    video = phone_trees.mp4(tmp_path / "v.mp4", phone_trees.IN.replace(hour=20, tzinfo=UTC))
    # 20:15 UTC is the next morning in Shanghai: the case's day, not UTC's
    assert capture_day(video, ZONE) == (date(2025, 6, 10), "video")


def test_file_time_dates_what_nothing_else_does_and_hidden_folders_are_skipped(
    tmp_path: Path,
) -> None:
    phone = tmp_path / "phone"
    inside = phone_trees.jpeg(phone / "DCIM/Camera/photo.jpg", None)  # no EXIF, no date in name
    outside = phone_trees.jpeg(phone / "DCIM/Camera/older.jpg", None, seed=2)
    for path, when in ((inside, phone_trees.IN), (outside, phone_trees.OUT)):
        stamp = when.replace(tzinfo=ZONE).timestamp()
        os.utime(path, (stamp, stamp))
    phone_trees.jpeg(phone / "DCIM/.thumbnails/photo.jpg", phone_trees.IN)
    scan = scan_phone(detect_layout(phone), ZONE, WINDOW)  # type: ignore[arg-type]
    by_name = {f.path.name: f for f in scan.files}
    assert set(by_name) == {"photo.jpg", "older.jpg"}  # .thumbnails is not the phone's photos
    assert by_name["photo.jpg"].dated_by == "mtime" and by_name["photo.jpg"].in_dates
    assert by_name["older.jpg"].dated_by == "mtime" and by_name["older.jpg"].in_dates is False
    assert [f.path.name for f in scan.suggested] == ["photo.jpg"]


def test_progress_and_cancel(tmp_path: Path) -> None:
    from app.evidence.errors import Cancelled
    from app.evidence.progress import CancelToken, Progress

    phone = tmp_path / "phone"
    expected = phone_trees.build(phone, "huawei")
    layout = detect_layout(phone)
    assert layout is not None
    seen: list[Progress] = []
    scan_phone(layout, ZONE, WINDOW, progress=seen.append)
    assert seen[0].stage == "phone.scan" and seen[0].total == len(expected)
    assert seen[-1].done == len(expected)
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        scan_phone(layout, ZONE, WINDOW, cancel=cancel)


def test_an_iphone_heic_is_dated_by_its_exif(tmp_path: Path) -> None:
    from tests.corpus_gen import write_heic

    heic = write_heic(tmp_path / "phone" / "DCIM" / "100APPLE" / "IMG_0007.HEIC")
    assert capture_day(heic, ZONE) == (date(2025, 6, 12), "exif")
    scan = scan_phone(detect_layout(tmp_path / "phone"), ZONE, WINDOW)  # type: ignore[arg-type]
    assert [(f.source_class, f.in_dates) for f in scan.files] == [("camera", True)]
