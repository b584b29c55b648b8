"""A small case made on the spot for the reviewer-facing export tests (no shared corpus).

Three times that disagree in the files: a video whose file records UTC only (ffmpeg's
creation_time), a photo with EXIF OffsetTimeOriginal +02:00 and a photo with no offset at all.
In Beijing time they are 2025-06-09 19:02, 2025-06-10 02:12 and 2025-06-09 15:30.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

VIDEO_UTC = "2025-06-09T11:02:00Z"  # 19:02 Beijing time
PHOTO_PLUS2 = ("2025:06:09 20:12:00", "+02:00")  # 2025-06-10 02:12 Beijing time
PHOTO_NAIVE = "2025:06:09 15:30:00"  # placed in the case's zone: 15:30 Beijing time
LOCAL_MINUTES = {
    "packing.mp4": "2025年6月9日 19:02",
    "jacket_plus2.jpg": "2025年6月10日 02:12",
    "jacket_naive.jpg": "2025年6月9日 15:30",
}
RECORDED = {"packing.mp4": "11:02 UTC", "jacket_plus2.jpg": "20:12 UTC+02:00"}


def photo(
    path: Path,
    when: str,
    offset: str | None,
    colour: tuple[int, int, int],
    size: tuple[int, int] = (1600, 1200),
) -> Path:
    """A camera-like JPEG: a drawn scene with EXIF Make/Model and DateTimeOriginal."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    for n in range(0, size[0], 80):  # texture, so the JPEG is not trivially small
        draw.line((n, 0, size[0] - n, size[1]), fill=(255 - colour[0], 120, n % 255), width=9)
    draw.ellipse(
        (size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill=(240, 240, 235)
    )
    exif = Image.Exif()
    exif[0x010F] = "Xiaomi"
    exif[0x0110] = "Redmi Note 12"
    ifd = exif.get_ifd(0x8769)
    ifd[0x9003] = when  # DateTimeOriginal
    ifd[0x9004] = when  # DateTimeDigitized
    if offset is not None:
        ifd[0x9011] = offset  # OffsetTimeOriginal
    image.save(path, "JPEG", quality=90, exif=exif)
    return path


def utc_video(path: Path, creation: str = VIDEO_UTC) -> Path:
    """A 2 s H.264 MP4 whose only time is creation_time in UTC (as phones' exports record)."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=2:size=320x240:rate=10",
            "-pix_fmt",
            "yuv420p",
            "-metadata",
            f"creation_time={creation}",
            str(path),
        ],
        check=True,
        timeout=60,
    )
    return path


def clock_inputs(folder: Path) -> list[Path]:
    """The three files of the clock test, written into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        utc_video(folder / "packing.mp4"),
        photo(folder / "jacket_plus2.jpg", PHOTO_PLUS2[0], PHOTO_PLUS2[1], (40, 90, 160)),
        photo(folder / "jacket_naive.jpg", PHOTO_NAIVE, None, (150, 60, 50)),
    ]


CHAT_LINES = [
    ("other", "亲，收到货了吗"),
    ("me", "收到了，颜色和图片不一样"),
    ("other", "不同显示器会有色差的哦"),
    ("me", "差别太大了，袖口还有脱线"),
    ("other", "可以退货，运费您承担"),
    ("me", "质量问题为什么我出运费"),
    ("other", "那您申请平台介入吧"),
    ("me", "好的，我会提交凭证"),
]


def chat_shot(path: Path, lines: list[tuple[str, str]], height: int = 2400) -> Path:
    """A phone chat screenshot (1080 px wide) drawn with the bundled font: bubbles left and
    right, a time separator, the status bar; text big enough for OCR."""
    from app.evidence.export.fonts import pil_font

    image = Image.new("RGB", (1080, height), (237, 237, 237))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1080, 90), fill=(248, 248, 248))
    draw.text((40, 24), "19:45", font=pil_font(36), fill=(20, 20, 20))
    draw.text((380, 120), "2025-06-12 19:20", font=pil_font(30), fill=(150, 150, 150))
    font = pil_font(44)
    y = 200
    for side, text in lines:
        width = int(font.getlength(text)) + 60
        x = 1080 - 170 - width if side == "me" else 170
        colour = (255, 226, 180) if side == "me" else (255, 255, 255)
        draw.rounded_rectangle((x, y, x + width, y + 100), 16, fill=colour)
        draw.text((x + 30, y + 24), text, font=font, fill=(20, 20, 20))
        y += 100 + 150 if y + 350 < height else 0
        if y + 120 > height:
            break
    image.save(path, "PNG")
    return path


TRACKING_TEXT = """中通快递 运单号 75312345678901
2025-06-11 17:48:00 【嘉兴市】 快件已揽收
2025-06-11 21:12:00 【嘉兴市】 快件离开 【嘉兴中心】 已发往 【杭州中心】
2025-06-12 08:04:00 【杭州市】 快件已经到达 【杭州文三】
2025-06-12 09:51:00 【杭州市】 快件已被【文三路菜鸟驿站】代收
2025-06-12 16:20:00 【杭州市】 您的快递已签收, 签收人在【文三路菜鸟驿站】领取。
"""


def reviewer_inputs(folder: Path) -> list[Path]:
    """Six photos (three pairs of a day each), two chat screenshots and a tracking record."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    colours = [
        (40, 90, 160),
        (150, 60, 50),
        (60, 130, 70),
        (120, 120, 40),
        (90, 40, 120),
        (30, 120, 130),
    ]
    for n, colour in enumerate(colours, start=1):
        day = 10 + (n - 1) // 2
        files.append(
            photo(
                folder / f"photo{n}.jpg",
                f"2025:06:{day} 1{n}:0{n}:00",
                "+08:00",
                colour,
                (2400, 1800) if n % 2 else (1800, 2400),
            )
        )
    files.append(chat_shot(folder / "chat1.png", CHAT_LINES[:5]))
    files.append(chat_shot(folder / "chat2.png", CHAT_LINES[3:]))
    tracking = folder / "tracking.txt"
    tracking.write_text(TRACKING_TEXT, encoding="utf-8")
    files.append(tracking)
    return files
