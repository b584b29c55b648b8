"""A day's files for the archive: corpus packing videos, generated clips and photos, bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import pytest

from tests.evidence.waybill.code128 import label_image
from tests.evidence.waybill.scenes import cardboard, label_scene, place, write_mp4v

VIDEOS = "synthetic/videos"
ORDER_SF = "3958216640123450001"  # waybill SF1234567890123 (corpus packing video)
ORDER_ZTO = "3958216640123456789"  # waybill 73190553102532 (corpus iPhone video)
ORDER_YT = "3958216640123450002"  # waybill YT5555508965056 (a waybill photo)
ORDER_NAMED = "3958216640123450003"  # no label in the video; the seller named the file
ORDER_SPLIT = "3958216640123450004"  # two waybills in one cell
JD_UNKNOWN = "JDVA12345678901"  # read from a video, in no order: goes to the inbox

ORDERS_CSV = (
    "订单报表 导出时间 2025-06-10\n"
    "订单编号,买家会员名,宝贝标题,物流单号,物流公司,订单创建时间,商家备注\n"
    f'="{ORDER_ZTO}",小明同学,女式针织开衫,No:73190553102532,中通快递,2025/6/10 9:15,加急\n'
    f'="{ORDER_SF}",tb_lily88,蓝牙耳机,SF1234567890123\t,顺丰速运,2025-06-08 10:00:00,\n'
    f'="{ORDER_YT}",王大锤,手机壳,YT5555508965056,圆通速递,2025-06-09,易碎\n'
    f'="{ORDER_NAMED}",陈小姐,保温杯,,,2025-06-09 18:00,\n'
    f'="{ORDER_SPLIT}",李四,书架,"SF1111111111111,SF2222222222222",顺丰速运,2025-06-07,分两箱\n'
    "3.95822E+18,某人,某物,SF3333333333333,顺丰速运,2025-06-01,\n"
)


def write_orders(path: Path, encoding: str = "gb18030") -> Path:
    """The order export as 千牛 saves it (GBK, a title line, numbers wrapped for Excel)."""
    path.write_bytes(ORDERS_CSV.encode(encoding))
    return path


def waybill_photo(path: Path, number: str) -> Path:
    """A JPEG of a box with the waybill label, slightly turned."""
    frame = place(
        cv2.resize(cardboard(seed=3), (1600, 900)),
        label_image(number, 3),
        center=(800, 450),
        angle=6,
    )
    cv2.imwrite(str(path), frame, [cv2.IMWRITE_JPEG_QUALITY, 90])
    return path


@pytest.fixture(scope="session")
def day_files(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """A folder of one day's files (read-only master: copy it before importing)."""
    folder = tmp_path_factory.mktemp("day")
    shutil.copyfile(corpus / VIDEOS / "packing_android_sf.mp4", folder / "VID_20250609_101500.mp4")
    shutil.copyfile(corpus / VIDEOS / "unboxing_iphone_zto.mov", folder / "IMG_0421.MOV")
    write_mp4v(folder / "VID_20250609_113000.mp4", label_scene(JD_UNKNOWN), 3)
    write_mp4v(folder / f"{ORDER_NAMED} 打包.mp4", label_scene("X", visible=(99, 100)), 2)
    waybill_photo(folder / "IMG_0422.jpg", "YT5555508965056")
    (folder / "empty.mp4").write_bytes(b"")
    (folder / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40)
    return folder


@pytest.fixture
def day(day_files: Path, tmp_path: Path) -> Path:
    """A writable copy of the day's files."""
    target = tmp_path / "day"
    shutil.copytree(day_files, target)
    return target
