"""Generated files for the route findings (issue 22): one per route the checks name, and the
look-alikes that must get no route.

Pictures are Pillow noise (textured like a photo); what matters is what each route looks at:
the file name, the camera data, the pixel size, the plain bands around a photo on a screen.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw

from tests.evidence.checks.phonefiles import camera_exif, noise_image

IPHONE_13 = (1170, 2532)


def stripped_jpeg(size: tuple[int, int] = (1080, 1440), quality: int = 75, seed: int = 3) -> bytes:
    """A JPEG as a chat app's compressed copy looks: no EXIF, library tables, a smaller size."""
    buf = io.BytesIO()
    noise_image(size, seed=seed).save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def chat_app_named_jpeg(software: str = "WeChat") -> bytes:
    """A stripped JPEG whose EXIF Software names the chat app."""
    exif = Image.Exif()
    exif[0x0131] = software
    buf = io.BytesIO()
    noise_image((960, 1280), seed=5).save(buf, format="JPEG", quality=80, exif=exif.tobytes())
    return buf.getvalue()


def camera_jpeg_big(seed: int = 4) -> bytes:
    """A JPEG with a phone's camera EXIF (make, model, capture times, exposure)."""
    exif = camera_exif()
    sub = exif.get_ifd(0x8769)
    sub[0x829A] = (1, 120)  # ExposureTime
    sub[0x829D] = (18, 10)  # FNumber
    buf = io.BytesIO()
    noise_image((1440, 1080), seed=seed).save(buf, format="JPEG", quality=92, exif=exif.tobytes())
    return buf.getvalue()


def _status_bar(draw: ImageDraw.ImageDraw, width: int, colour: int) -> None:
    """A status bar's clock, signal and battery marks in the top band."""
    for x0, w in ((60, 90), (width - 260, 40), (width - 200, 40), (width - 140, 80)):
        draw.rectangle((x0, 40, x0 + w, 80), fill=colour)


def screenshot_of_photo(
    screen: tuple[int, int] = IPHONE_13,
    photo_shape: tuple[int, int] = (4, 3),
    band: int = 0,
    fmt: str = "PNG",
    seed: int = 7,
) -> bytes:
    """A phone screenshot of a photo open in the gallery: plain bands, the photo full width."""
    width, height = screen
    canvas = Image.new("RGB", screen, (band, band, band))
    if width < height:  # upright: the photo as wide as the screen, bands above and below
        photo_h = round(width * photo_shape[1] / photo_shape[0])
        canvas.paste(noise_image((width, photo_h), seed=seed), (0, (height - photo_h) // 2))
    else:  # sideways: the photo as tall as the screen, bands left and right
        photo_w = round(height * photo_shape[0] / photo_shape[1])
        canvas.paste(noise_image((photo_w, height), seed=seed), ((width - photo_w) // 2, 0))
    _status_bar(ImageDraw.Draw(canvas), width, 255 - band)
    buf = io.BytesIO()
    canvas.save(buf, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return buf.getvalue()


def chat_screenshot(screen: tuple[int, int] = IPHONE_13, seed: int = 8) -> bytes:
    """A chat screenshot: title bar, bubbles of text that do not reach both sides, a small photo
    bubble, the input bar; the same size as a screenshot of a photo."""
    rng = random.Random(seed)
    width, height = screen
    canvas = Image.new("RGB", screen, (237, 237, 237))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, width, 280), fill=(247, 247, 247))
    _status_bar(draw, width, 0)
    y = 330
    while y < height - 400:
        mine = rng.random() < 0.5
        w = rng.randrange(300, width - 360)
        x0 = width - 170 - w if mine else 170
        h = rng.randrange(120, 260)
        draw.rectangle((x0, y, x0 + w, y + h), fill=(149, 236, 105) if mine else (255, 255, 255))
        for line in range(y + 30, y + h - 30, 50):
            draw.rectangle((x0 + 30, line, x0 + w - rng.randrange(30, 120), line + 28), fill=20)
        draw.rectangle(
            (40 if not mine else width - 140, y, 140 if not mine else width - 40, y + 100),
            fill=(90, 120, 200),
        )  # avatar
        y += h + 60
    canvas.paste(noise_image((480, 360), seed=seed), (170, height // 2 - 180))
    draw.rectangle((0, height - 250, width, height), fill=(247, 247, 247))
    buf = io.BytesIO()
    canvas.save(buf, format="PNG")
    return buf.getvalue()


def photo_filling_screen(screen: tuple[int, int] = IPHONE_13) -> bytes:
    """A screen-sized picture that is photo all over (no bands): nothing to tell it by."""
    buf = io.BytesIO()
    noise_image(screen, seed=11).save(buf, format="PNG")
    return buf.getvalue()


def dark_photo_copy(
    size: tuple[int, int] = (1080, 1920), fade: float = 0.3, seed: int = 13
) -> bytes:
    """A chat copy of a night photo (no EXIF, a phone-screen size): black sky and ground that
    fade into the lit middle, as a real scene does (no straight edge)."""
    width, height = size
    picture = noise_image(size, seed=seed)
    mask = Image.new("L", size)
    ramp = max(1, int(height * fade))
    rows = []
    for y in range(height):
        edge = min(y, height - 1 - y) - int(height * 0.12)
        rows.append(max(0, min(255, edge * 255 // ramp)))
    mask.putdata([v for v in rows for _ in range(width)])
    dark = Image.composite(picture, Image.new("RGB", size, (4, 4, 6)), mask)
    buf = io.BytesIO()
    dark.save(buf, format="JPEG", quality=80)
    return buf.getvalue()


def write_all(folder: Path) -> dict[str, Path]:
    """Every generated file, by role (see test_routes.py for what each must get)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        # named routes
        "wechat_saved_android": ("mmexport1717221600123.jpg", stripped_jpeg()),
        "wechat_saved_hex": ("mmexport673f7593af33172f9497aefc2d94d6c5.jpeg", stripped_jpeg()),
        "wechat_saved_pc": ("微信图片_20240601120000.jpg", stripped_jpeg(seed=9)),
        "qq_saved_pc": ("QQ图片20240601120000.jpg", stripped_jpeg((1280, 960), seed=10)),
        "wechat_named": ("IMG_0001.jpg", chat_app_named_jpeg("WeChat")),
        "qq_named": ("photo.jpg", chat_app_named_jpeg("QQ 9.0")),
        "shot_iphone_landscape_photo": ("IMG_0002.PNG", screenshot_of_photo()),
        "shot_iphone_portrait_photo": (
            "IMG_0003.PNG",
            screenshot_of_photo((1179, 2556), photo_shape=(3, 4), band=255),
        ),
        "shot_android_jpeg": (
            "Screenshot_20240601-120000.jpg",
            screenshot_of_photo((1080, 2400), photo_shape=(3, 2), fmt="JPEG"),
        ),
        "shot_sideways": (
            "IMG_0004.PNG",
            screenshot_of_photo((2532, 1170), photo_shape=(3, 2)),
        ),
        # look-alikes: no route
        "same_copy_camera_name": ("IMG_20240601_120000.jpg", stripped_jpeg()),
        "camera_renamed_mmexport": ("mmexport1717221600999.jpg", camera_jpeg_big()),
        "chat_screenshot": ("Screenshot_chat.png", chat_screenshot()),
        "bordered_not_screen": (
            "poster.png",
            screenshot_of_photo((1200, 2000), photo_shape=(4, 3)),
        ),
        "photo_filling_screen": ("IMG_0005.PNG", photo_filling_screen()),
        "wx_camera_capture_stripped": ("wx_camera_1717221600123.jpg", stripped_jpeg(seed=12)),
        "night_photo_copy_screen_size": ("IMG_0006.jpg", dark_photo_copy()),
        "night_photo_copy_short_fade": ("IMG_0007.jpg", dark_photo_copy(fade=0.04, seed=14)),
    }
    out = {}
    for role, (name, data) in files.items():
        path = folder / role / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        out[role] = path
    return out


EXPECTED = {
    "wechat_saved_android": "route_chat_app_saved",
    "wechat_saved_hex": "route_chat_app_saved",
    "wechat_saved_pc": "route_chat_app_saved",
    "qq_saved_pc": "route_chat_app_saved",
    "wechat_named": "route_chat_app",
    "qq_named": "route_chat_app",
    "shot_iphone_landscape_photo": "route_screenshot_of_photo",
    "shot_iphone_portrait_photo": "route_screenshot_of_photo",
    "shot_android_jpeg": "route_screenshot_of_photo",
    "shot_sideways": "route_screenshot_of_photo",
    "same_copy_camera_name": None,
    "camera_renamed_mmexport": None,
    "chat_screenshot": None,
    "bordered_not_screen": None,
    "photo_filling_screen": None,
    "wx_camera_capture_stripped": None,
    "night_photo_copy_screen_size": None,
    "night_photo_copy_short_fade": None,
}
"""Role -> the route code it must get (None: no route)."""
