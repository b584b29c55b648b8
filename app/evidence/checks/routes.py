"""Which way a file that is not an original most likely came from the phone, and what to do
instead (issue 22): said only where the file's own evidence allows, otherwise nothing.

Called after the verdict (run.py) with the findings the checks made; it adds at most one `info`
finding, so it never moves a verdict. It says nothing for a camera original or an unreadable file.

    route_chat_app            the file names a chat or social app (EXIF Software, XMP, JPEG
                              comment, PNG text: the `chat_app_trace` finding of editors.py)
    route_chat_app_saved      no camera data, and the file name is the one WeChat or QQ gives a
                              picture it saves (below, with where each pattern was seen)
    route_screenshot_of_photo no camera data, the pixel size of a known phone's screenshot, and
                              a photo-shaped picture between plain bands: a photo open in the
                              gallery, screenshotted

What is deliberately not inferred (the evidence does not allow it, so nothing is said):

- a chat app from its tables and size alone. No quantisation-table family of WeChat or QQ could
  be sourced (resources/signatures/quant_tables.json has none, and no public table was found),
  and the published size limits disagree: "≤1280 or 720, about 100 KB" (a 2016-era tester's
  article, e.g. ju.outofmemory.cn/softjc/708376.html), "long side 1920" and "1980" (generated
  how-to pages, nctoro.com a165053 / a147279), 1440x1920 for a 3024x4032 photo in Moments
  (github.com/Curzibn/Luban README, reverse-engineered for Moments, not chats). A library
  default table at one of those sizes is also what every web back end writes, so size and
  tables would name WeChat for files it never saw.
- the iPhone transfer conversion (HEIC to JPEG by "Transfer to Mac or PC: Automatic"). The
  converted JPEG keeps the Apple EXIF; no public source or sample file says what else of it
  differs from a JPEG the camera wrote under "Most Compatible" (no converted file is in
  tests/data/realworld or ../shared/corpus), so nothing marks it yet.
- a cloud album or "save to phone" copy. iCloud Shared Albums downsize to 2048 pixels on the
  long side (Apple's Shared Albums FAQ, support.apple.com HT202786), but 2048 is also a common
  export and web size and whether the copy keeps EXIF is not sourced: no rule.

Measured (issue 22 report): on the 63 labelled real files of tests/data/realworld and
../shared/corpus (labels.csv) and every other file there, no route is named for any file; on
the generated files of tests/evidence/checks/routefiles.py each named route is right and none
is named for the look-alikes (a renamed camera original, a chat screenshot, a bordered photo
of another size, a photo filling the screen, chat copies of night photos at a screen size whose
black sky and ground fade into the scene).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from app.evidence.checks.model import Finding, Severity, Verdict
from app.evidence.checks.texts import finding
from app.evidence.checks.texts.routes import ROUTE_ADVICE
from app.evidence.models import ItemKind, MediaMetadata

logger = logging.getLogger(__name__)

ROUTE_CODES = frozenset(ROUTE_ADVICE)
"""The codes this module names (all `info`)."""

# ---- chat apps -------------------------------------------------------------------------------

# (pattern over the tool words the signature table matched, key, Chinese name, English name)
_APPS = (
    (re.compile(r"wechat|weixin|微信", re.I), "wechat", "微信", "WeChat"),
    (re.compile(r"\bqq\b|\btim\b|tencent|腾讯", re.I), "qq", "QQ", "QQ"),
)
_OTHER_APP = ("other", "聊天或社交软件", "the chat or social app")

# File names WeChat and QQ give pictures they save (not the camera's IMG_/DSC_ names). Where
# each was seen, with examples:
# - WeChat on Android/iOS "save to phone": mmexport + 13-digit millisecond time, or + 32 hex
#   digits (and _time): github.com/YelloooBlue/WechatExif README ("微信保存
#   mmexport1451181351065.jpg", "mmexport673f7593af33172f9497aefc2d94d6c5.jpeg"); WeChat's
#   in-app camera writes wx_camera_<ms>,
#   which is a capture, not a saved copy, and is not listed.
# - WeChat for Windows "save as": 微信图片_YYYYMMDDhhmmss[_n[_n]] (public READMEs and scripts:
#   "微信图片_20191205083903.jpg", "微信图片_20260319120931_921_3.jpg").
# - QQ for Windows "save as": QQ图片YYYYMMDDhhmmss ("QQ图片20171031114724.png",
#   "QQ图片20220408204502.jpg"); QQ's own screen capture writes QQ截图…, a screenshot, not a copy.
_SAVE_NAMES = (
    (
        re.compile(
            r"^mmexport(\d{13}|[0-9a-f]{32}(_\d{13})?)(\(\d+\))?\.(jpe?g|png|webp|heic)$", re.I
        ),
        "wechat",
        "mmexport<time>",
    ),
    (
        re.compile(r"^微信图片_\d{14}(_\d{1,4}){0,2}(\(\d+\))?\.(jpe?g|png|webp)$", re.I),
        "wechat",
        "微信图片_<time>",
    ),
    (re.compile(r"^QQ图片\d{14}(\(\d+\))?\.(jpe?g|png|gif)$", re.I), "qq", "QQ图片<time>"),
)
_APP_NAMES = {key: (zh, en) for _, key, zh, en in _APPS}

# Tags only a capture writes: with any of them the file still carries camera data.
_CAMERA_TAGS = ("ExposureTime", "FNumber", "ISOSpeedRatings", "PhotographicSensitivity")

# ---- phone screens ---------------------------------------------------------------------------

# Screenshot sizes (portrait) of iPhones: the rendered size, which is what a screenshot holds
# (an iPhone 12/13 mini renders 1125x2436 on a 1080x2340 panel). Sources: the resolutions table
# in gist.github.com/ricsantos/e7baee6885626b9cb87c021a5097623f (iPhone XR .. 15 Pro Max,
# "Device Resolution"), juejin.cn/post/7132663584395362311 (iPhone 4 .. 13), and the
# pub.dev device tables for the 16 Pro (402x874 points @3x, flutterware Devices.iphone16Pro)
# and 16 Pro Max (1320x2868, app_deploy_screenshots Device.appStoreIphone69).
IPHONE_SCREENS: dict[tuple[int, int], str] = {
    (640, 960): "iPhone 4/4s",
    (640, 1136): "iPhone 5/5s/SE",
    (750, 1334): "iPhone 6/7/8/SE (2nd, 3rd)",
    (1242, 2208): "iPhone 6/7/8 Plus",
    (1125, 2436): "iPhone X/XS/11 Pro/12 mini/13 mini",
    (828, 1792): "iPhone XR/11",
    (1242, 2688): "iPhone XS Max/11 Pro Max",
    (1170, 2532): "iPhone 12/13/14",
    (1284, 2778): "iPhone 12 Pro Max/13 Pro Max/14 Plus",
    (1179, 2556): "iPhone 14 Pro/15/15 Pro/16",
    (1290, 2796): "iPhone 14 Pro Max/15 Plus/15 Pro Max/16 Plus",
    (1206, 2622): "iPhone 16 Pro",
    (1320, 2868): "iPhone 16 Pro Max",
}
# Android screenshots are the panel's pixel size. Panels come in width classes (HD+ 720, FHD+
# 1080, QHD+ 1440 pixels) at 16:9 or taller; seen: 720x1280 and 1080x1920 screenshots (Luban
# for HarmonyOS README, "截屏 720P / 1080P"), 1440x3200 (Curzibn/Luban README, "2K Screenshot"),
# 1080x2340 (the project's synthetic chat screenshot, dependency_probes.md). Other widths
# (1220, 1260, 1264 ...) are left out until a source names them.
ANDROID_WIDTHS = {720: "HD+", 1080: "FHD+", 1440: "QHD+"}
ANDROID_SHAPES = (16 / 9, 2.25)  # 16:9 exactly, or 18:9 .. 20.25:9

# Photo shapes a gallery shows between the bands (height / width of the photo area).
_PHOTO_SHAPES = {
    "4:3": 3 / 4,
    "3:2": 2 / 3,
    "16:9": 9 / 16,
    "1:1": 1.0,
    "3:4": 4 / 3,
    "2:3": 3 / 2,
    "9:16": 16 / 9,
}
_WORK_WIDTH = 160  # the picture is examined at this width
_PLAIN_SPREAD = 10  # grey levels: a pixel this close to its row's median is "plain"
_PLAIN_ROW = 0.92  # a plain row: this share of its pixels are plain
_BAND_MIN = 0.05  # each band: at least this share of the height
_BAND_PLAIN = 0.8  # a band: this share of its rows plain (a status bar's text may cross it)
_BAND_COLOURS = 24  # grey levels between the two bands' colours at most
_PHOTO_TEXTURED = 0.9  # the photo area: this share of its rows not plain
_EDGE_STD = 6.0  # the photo reaches both sides: its first and last columns vary at least this
_SHAPE_TOLERANCE = 0.03
_EDGE_ROWS = 2  # the photo's first and last rows (at the working width) ...
_EDGE_CONTRAST = 0.5  # ... vary at least half as much as its typical row (a straight edge)


def route_findings(
    verdict: Verdict,
    kind: ItemKind,
    meta: MediaMetadata,
    findings: Sequence[Finding],
    path: Path,
    name: str,
) -> list[Finding]:
    """At most one route finding (`info`) for a file that is not a camera original.

    Args:
        verdict: the verdict already decided (a route never changes it).
        kind: photo or screenshot (other kinds get none).
        meta: the reader's metadata.
        findings: the checks' findings (a `chat_app_trace` names the app).
        path: the file (read only for the screenshot bands).
        name: the file's own name (for an imported item, its name before import).
    """
    if verdict in (Verdict.CAMERA_ORIGINAL, Verdict.UNREADABLE):
        return []
    if kind not in (ItemKind.PHOTO, ItemKind.SCREENSHOT):
        return []
    try:
        for rule in (_named_app, _saved_name, _screenshot_of_photo):
            found = rule(meta, findings, path, name)
            if found is not None:
                return [found]
    except Exception:  # a route is a hint: its failure must never cost the file its answer
        logger.warning("route inference failed on %s", path, exc_info=True)
    return []


def route_advice(code: str, params: dict[str, Any]) -> tuple[str, str] | None:
    """(Chinese, English) "what to do instead" of a route finding, or None for other codes."""
    advice = ROUTE_ADVICE.get(code)
    if advice is None:
        return None
    zh_app = str(params.get("app_zh") or _OTHER_APP[1])
    en_app = str(params.get("app_en") or _OTHER_APP[2])
    return advice[0].replace("{app}", zh_app), advice[1].replace("{app}", en_app)


def is_route(code: str) -> bool:
    """Whether a finding code is a route finding."""
    return code in ROUTE_CODES


def has_camera_data(meta: MediaMetadata) -> bool:
    """Make, Model or an exposure tag: the file still carries what the camera wrote."""
    return bool(meta.make or meta.model or any(t in meta.raw for t in _CAMERA_TAGS))


# ---- the rules -------------------------------------------------------------------------------


def _named_app(
    meta: MediaMetadata, findings: Iterable[Finding], path: Path, name: str
) -> Finding | None:
    trace = next((f for f in findings if f.code == "chat_app_trace"), None)
    if trace is None:
        return None
    words = f"{trace.params.get('tool', '')} {trace.params.get('value', '')}"
    key, zh, en = next(((k, z, e) for p, k, z, e in _APPS if p.search(words)), _OTHER_APP)
    params = {
        "route": "chat_app",
        "evidence": "file_names_app",
        "app": key,
        "app_zh": zh,
        "app_en": en,
        "value": str(trace.params.get("value", ""))[:80],
        "where": trace.params.get("where"),
    }
    return finding("route_chat_app", Severity.INFO, params)


def _saved_name(
    meta: MediaMetadata, findings: Iterable[Finding], path: Path, name: str
) -> Finding | None:
    if has_camera_data(meta):
        return None  # a 原图 copy keeps the camera's data: the name alone says nothing then
    base = Path(name).name
    for pattern, key, shown in _SAVE_NAMES:
        if pattern.match(base):
            zh, en = _APP_NAMES[key]
            params = {
                "route": "chat_app",
                "evidence": "save_name_without_camera_data",
                "app": key,
                "app_zh": zh,
                "app_en": en,
                "name": base[:80],
                "name_pattern": shown,
                "has_exif": meta.has_exif,
            }
            return finding("route_chat_app_saved", Severity.INFO, params)
    return None


def phone_screen(width: int, height: int) -> tuple[str, str] | None:
    """(Chinese, English) words for the phone whose screenshots have this size, or None."""
    portrait = (min(width, height), max(width, height))
    if portrait in IPHONE_SCREENS:
        model = IPHONE_SCREENS[portrait]
        return model, f"an {model}"
    short, long = portrait
    panel = ANDROID_WIDTHS.get(short)
    if panel is None:
        return None
    ratio = long / short
    if abs(ratio - ANDROID_SHAPES[0]) < 0.005 or 2.0 - 0.005 <= ratio <= ANDROID_SHAPES[1]:
        return (
            f"{short} 像素宽屏幕（{panel}）的安卓手机",
            f"an Android phone with a {short}-pixel-wide ({panel}) screen",
        )
    return None


def _screenshot_of_photo(
    meta: MediaMetadata, findings: Iterable[Finding], path: Path, name: str
) -> Finding | None:
    if has_camera_data(meta) or not meta.width or not meta.height:
        return None
    screen = phone_screen(meta.width, meta.height)
    if screen is None:
        return None
    box = letterboxed_photo(path)
    if box is None:
        return None
    params = {
        "route": "screenshot_of_photo",
        "evidence": "screen_size_plain_bands_photo_shape",
        "size": f"{meta.width}x{meta.height}",
        "screen_zh": screen[0],
        "screen_en": screen[1],
        **box,
    }
    return finding("route_screenshot_of_photo", Severity.INFO, params)


def letterboxed_photo(path: Path) -> dict[str, Any] | None:
    """The photo area of a screenshot that shows a photo between two plain bands, or None.

    The picture is looked at in grey at `_WORK_WIDTH` pixels wide (turned upright first when
    wider than tall, so side bands count too). Plain rows (nearly one colour) and textured rows
    are told apart; the longest run of textured rows must be a photo shape (4:3, 3:2, 16:9, 1:1
    either way), reach both sides of the screen, begin and end in a straight line (its first and
    last rows vary as much as its middle) and sit between two plain bands of one colour, each at
    least 5 % of the height. A chat screenshot (bubbles that do not reach both sides, text rows
    with plain rows between), a photo that fills the screen, or a night photo whose black sky
    and ground fade into the scene is not this.
    """
    with Image.open(path) as im:
        stored = im.size
        im.draft("L", (max(1, im.width // 4), max(1, im.height // 4)))  # JPEG: decode smaller
        grey = im.convert("L")
    turned = stored[0] > stored[1]
    if turned:
        grey = grey.transpose(Image.Transpose.ROTATE_90)
        stored = stored[::-1]
    full_w = stored[0]
    height = max(1, round(grey.height * _WORK_WIDTH / grey.width))
    pixels = np.asarray(grey.resize((_WORK_WIDTH, height), Image.Resampling.BOX), dtype=np.int16)
    medians = np.median(pixels, axis=1)
    near = np.abs(pixels - medians[:, None]) <= _PLAIN_SPREAD
    plain = near.mean(axis=1) >= _PLAIN_ROW
    start, end = _longest_textured_run(plain, gap=max(1, height // 100))
    top, bottom = start, height - end
    if min(top, bottom) < _BAND_MIN * height:
        return None
    if plain[:top].mean() < _BAND_PLAIN or plain[end:].mean() < _BAND_PLAIN:
        return None
    top_colour = float(np.median(medians[:top][plain[:top]]))
    bottom_colour = float(np.median(medians[end:][plain[end:]]))
    if abs(top_colour - bottom_colour) > _BAND_COLOURS:
        return None
    area = pixels[start:end]
    if plain[start:end].mean() > 1 - _PHOTO_TEXTURED:
        return None
    edges = np.concatenate([area[:, :2], area[:, -2:]], axis=1)
    if min(float(edges[:, i].std()) for i in range(edges.shape[1])) < _EDGE_STD:
        return None
    # A screen's band ends in a straight line where the photo begins, so the photo's first and
    # last rows vary as much as its middle; a dark sky or floor in a photo fades into the scene
    # (its first "textured" rows barely vary). A photo whose own edge is plain is not told.
    spread = area.std(axis=1)
    typical = float(np.median(spread))
    inner = spread[1:-1]  # the outermost row may straddle the edge (a blend with the band)
    if min(float(inner[:_EDGE_ROWS].min()), float(inner[-_EDGE_ROWS:].min())) < (
        _EDGE_CONTRAST * typical
    ):
        return None
    shape = (end - start) / _WORK_WIDTH
    tolerance = max(_SHAPE_TOLERANCE, 2 / _WORK_WIDTH)
    named = [n for n, r in _PHOTO_SHAPES.items() if abs(shape / r - 1) <= tolerance]
    if not named:
        return None
    scale = full_w / _WORK_WIDTH
    photo = (full_w, round((end - start) * scale))
    if turned:
        photo = photo[::-1]
    shape_name = named[0]
    if turned:  # the screen was sideways: the shape is read the other way round
        shape_name = ":".join(reversed(shape_name.split(":")))
    return {
        "photo_size": f"{photo[0]}x{photo[1]}",
        "shape": shape_name,
        "top_band": round(top * scale),
        "bottom_band": round(bottom * scale),
        "band_grey": round((top_colour + bottom_colour) / 2),
        "sideways": turned,
    }


def _longest_textured_run(plain: np.ndarray, gap: int) -> tuple[int, int]:
    """[start, end) of the longest run of textured rows, bridging plain gaps up to `gap` rows."""
    best = (0, 0)
    start = None
    last = None
    for row, is_plain in enumerate(plain.tolist()):
        if is_plain:
            continue
        if start is None or last is None or row - last > gap + 1:
            start = row
        last = row
        if last + 1 - start > best[1] - best[0]:
            best = (start, last + 1)
    return best
