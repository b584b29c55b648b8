"""Phone storage layouts as test fixtures: each family's folders with small generated files.

Every file is made here (no downloads, no shared corpus): 32x24 JPEGs with an EXIF capture
time and camera make, PNG screenshots, and MP4/MOV files of a few hundred bytes whose movie
header (`mvhd`) holds the creation time, the box a phone's camera writes (ffmpeg is not needed).
The folder names are those documented in app/evidence/ingest/phone_folders.py.

`build(root, family)` writes one family's layout and returns {relative path: (expected class,
expected day or None)}; the dispute used with them runs from order 2025-06-07 to signed
2025-06-10, so with the 2-day margin the offered window is 5-12 June 2025.
"""

from __future__ import annotations

import io
import os
import struct
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image

IN = datetime(2025, 6, 9, 10, 15, 0)  # inside the dispute's dates
OUT = datetime(2025, 5, 1, 18, 30, 0)  # weeks before the order
ORDER, SIGNED = date(2025, 6, 7), date(2025, 6, 10)
WINDOW = (date(2025, 6, 5), date(2025, 6, 12))
RESET_CLOCK = datetime(1980, 1, 1, tzinfo=UTC).timestamp()  # a FAT card's "no date" time

Expected = dict[str, tuple[str, date | None]]


def jpeg(path: Path, when: datetime | None, make: str = "HUAWEI", seed: int = 0) -> Path:
    """A small JPEG; with `when`, EXIF DateTimeOriginal and Make/Model as a phone writes them."""
    picture = Image.new("RGB", (32, 24), ((seed * 53) % 256, (seed * 97) % 256, 120))
    exif = Image.Exif()
    if when is not None:
        exif[0x010F] = make
        exif[0x0110] = f"{make} test phone"
        exif[0x0132] = when.strftime("%Y:%m:%d %H:%M:%S")
        exif.get_ifd(0x8769)[0x9003] = when.strftime("%Y:%m:%d %H:%M:%S")
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80, exif=exif.tobytes())
    return _write(path, buffer.getvalue())


def png(path: Path, seed: int = 0) -> Path:
    """A small PNG, as a phone's screenshot tool writes (no capture time inside)."""
    buffer = io.BytesIO()
    Image.new("RGB", (24, 40), (250, 250, (seed * 31) % 256)).save(buffer, format="PNG")
    return _write(path, buffer.getvalue())


def mp4(path: Path, when: datetime | None, seed: int = 0) -> Path:
    """A minimal MP4/MOV: ftyp and a moov holding an mvhd with the creation time, which a
    phone writes in UTC (`when`: the wall clock in Shanghai, or an aware time)."""
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    seconds = 0 if when is None else int((when - _EPOCH_1904).total_seconds())
    mvhd_body = struct.pack(">B3xIIII", 0, seconds, seconds, 600, 600 * 5)
    mvhd_body += struct.pack(">IH", 0x00010000, 0x0100) + bytes(10)
    mvhd_body += struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd_body += bytes(24) + struct.pack(">I", 2 + seed)
    brand = b"qt  " if path.suffix.lower() == ".mov" else b"isom"
    data = _box(b"ftyp", brand + struct.pack(">I", 0) + brand) + _box(
        b"moov", _box(b"mvhd", mvhd_body)
    )
    return _write(path, data)


_EPOCH_1904 = datetime(1904, 1, 1, tzinfo=UTC)


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(body), kind) + body


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _undated(path: Path) -> None:
    os.utime(path, (RESET_CLOCK, RESET_CLOCK))


def build(root: Path, family: str) -> Expected:
    """Write one family's phone storage under `root`; return what each file should be."""
    files: Expected = {}

    def add(rel: str, kind: str, when: datetime | None, expected: str, seed: int) -> None:
        path = root / rel
        if kind == "jpg":
            jpeg(path, when, seed=seed)
        elif kind == "png":
            png(path, seed=seed)
        else:
            mp4(path, when, seed=seed)
        files[rel] = (expected, when.date() if when else None)

    if family == "iphone":
        add("DCIM/100APPLE/IMG_0001.JPG", "jpg", IN, "camera", 1)
        add("DCIM/100APPLE/IMG_0002.MOV", "mov", IN, "camera", 2)
        add("DCIM/100APPLE/IMG_0003.PNG", "png", None, "screenshot", 3)
        add("DCIM/101APPLE/IMG_0100.JPG", "jpg", OUT, "camera", 4)
        add("DCIM/101APPLE/IMG_0101.JPG", "jpg", None, "camera", 5)  # no EXIF, clock reset
        _undated(root / "DCIM/101APPLE/IMG_0101.JPG")
    elif family == "iphone_new":  # newer iOS as Windows shows it: month folders, no DCIM
        add("202506_a/IMG_0201.JPG", "jpg", IN, "camera", 6)
        add("202505_a/IMG_0150.JPG", "jpg", OUT, "camera", 7)
    elif family == "huawei":  # Huawei / Honor
        add("DCIM/Camera/IMG_20250609_101500.jpg", "jpg", IN, "camera", 10)
        add("DCIM/Camera/VID_20250609_101800.mp4", "mp4", IN, "camera", 11)
        add("DCIM/Camera/IMG_20250501_183000.jpg", "jpg", OUT, "camera", 12)
        add("Pictures/Screenshots/Screenshot_20250609_102000.png", "png", None, "screenshot", 13)
        add("DCIM/ScreenRecorder/Screenrecorder_20250609.mp4", "mp4", IN, "screenshot", 14)
        add("Pictures/WeiXin/mmexport1749435300000.jpg", "jpg", None, "chat_app", 15)
        add("tencent/MicroMsg/WeiXin/wx_camera_1749435300000.jpg", "jpg", None, "chat_app", 16)
        add("Pictures/QQ/QQ_Image_1749435300000.jpg", "jpg", None, "chat_app", 17)
        add("Tencent/QQ_Images/-1a2b3c.jpg", "jpg", None, "chat_app", 18)
    elif family == "xiaomi":  # Xiaomi / Redmi
        add("DCIM/Camera/IMG_20250609_101500.jpg", "jpg", IN, "camera", 20)
        add("DCIM/Camera/VID_20250610_090000.mp4", "mp4", IN, "camera", 21)
        add("DCIM/Screenshots/Screenshot_2025-06-09-10-20-00.png", "png", None, "screenshot", 22)
        add("MIUI/Gallery/cloud/owner/IMG_20250609_101500.jpg", "jpg", IN, "other_app", 23)
        add("Pictures/WeiXin/mmexport1749435300001.jpg", "jpg", None, "chat_app", 24)
    elif family == "oppo":  # OPPO / vivo / OnePlus
        add("DCIM/Camera/IMG20250609101500.jpg", "jpg", IN, "camera", 30)
        add("DCIM/Screenshots/Screenshot_2025-06-09-10-20-00-11.png", "png", None, "screenshot", 31)
        add("Pictures/Screenshots/Screenshot_20250609-102000.png", "png", None, "screenshot", 32)
        add("DCIM/Douyin/v0300fg10000.mp4", "mp4", IN, "other_app", 33)
        add("DCIM/Kuaishou/ks_20250609.mp4", "mp4", IN, "other_app", 34)
        add("Pictures/XiaoHongShu/xhs_1749435300.jpg", "jpg", None, "other_app", 35)
        add("Tencent/QQfile_recv/photo.jpg", "jpg", IN, "chat_app", 36)
    elif family == "samsung":
        add("DCIM/Camera/20250609_101500.jpg", "jpg", IN, "camera", 40)
        add("DCIM/Camera/20250501_183000.mp4", "mp4", OUT, "camera", 41)
        add("DCIM/Screenshots/Screenshot_20250609-102000_Taobao.jpg", "jpg", None, "screenshot", 42)
        add("Pictures/Screenshots/Screenshot_20250610-080000.png", "png", None, "screenshot", 43)
        add("Download/notes.jpg", "jpg", IN, "unknown", 44)
    else:
        raise ValueError(family)
    return files


FAMILIES = ("iphone", "iphone_new", "huawei", "xiaomi", "oppo", "samsung")
