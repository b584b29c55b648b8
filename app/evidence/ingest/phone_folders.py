"""A phone's storage as folders: which files the camera took and which came from apps (issue 22).

A buyer who copies a phone's DCIM folder (or opens the phone mounted over USB) brings across the
camera's originals mixed with screenshots, pictures saved from WeChat and QQ (recompressed, their
EXIF gone unless 原图 was chosen) and videos saved from Douyin or Kuaishou. The folder a file sits
in says which of these it most likely is. This module recognises the layout, classifies each file
by its folder and dates it cheaply, so the import can offer "only the camera's files from the
dispute's dates" and keep each file's folder as a hint (never as evidence: a folder name proves
nothing about a file's history; the checks judge the bytes).

The folder names, each with where it is documented (public references found while building this;
see FOLDER_RULES for which rule each one backs):

* DCIM/100APPLE, 101APPLE ... (iPhone camera roll over USB; PNG files in them are screenshots):
  Engadget, "Delving into the iPhone's DCIM folder" (2009,
  https://www.engadget.com/2009/08/26/delving-into-the-iphones-dcim-folder/); Apple Support
  Community thread 255828391 "Why does apple sort photos into 10xAPPLE folders" (2024,
  https://discussions.apple.com/thread/255828391, "these folders show up in windows explorer");
  CopyTrans, "DCIM folder guide" (https://copytrans.studio/support/dcim-folder-guide/).
* "Internal Storage" above DCIM, and the month folders of newer iOS (202510_a, with or without a
  DCIM level) as Windows Explorer shows an iPhone: public Windows scripts that copy from an
  iPhone over MTP (found by code search: "older iOS: Internal Storage\\DCIM\\100APPLE, newer iOS:
  Internal Storage\\202506_a"; a Python copier's notes listing "本機\\Apple iPhone\\Internal
  Storage\\DCIM\\100APPLE", "...\\DCIM\\202510_a" and "...\\Internal Storage\\202510_a").
* DCIM/Camera (Android camera: Huawei/Honor, Xiaomi/Redmi, OPPO/vivo/OnePlus, Samsung):
  OPPO's sdcardfs kernel module fs/sdcardfs/dellog.c ("/DCIM/Camera /DCIM/Screenshots: base
  picture"; realme-kernel-opensource/realme5_realme5S_realme5i_AndroidQ-kernel-source);
  https://www.techsslaash.com/pictures-stored-on-android; http://wiki.robotz.com (mnt-sdcard-DCIM:
  "Photos are stored in /DCIM/Camera"). DCIM/100ANDRO: older Android camera folder, listed with
  DCIM/Camera by a public Android photo picker (the list in the next item).
* DCIM/Screenshots, Pictures/Screenshots, MIUI/Gallery/cloud/Pictures/Screenshots:
  appscreenmagic.com, "Where to Find Screenshots on Android" (stock Android 9+ and OnePlus
  Pictures/Screenshots, Samsung One UI DCIM/Screenshots, Xiaomi MIUI
  MIUI/Gallery/cloud/Pictures/Screenshots); the OPPO kernel module above (DCIM/Screenshots); a
  public Android photo picker's per-brand folder list (华为/荣耀: DCIM/Screenshots,
  DCIM/ScreenRecorder, Pictures/Screenshots; 小米: MIUI/Gallery/cloud, DCIM/Screenshots; 三星:
  DCIM/Camera; social apps: tencent/MicroMsg/WeiXin, tencent/QQ_Images, Pictures/WeiXin,
  Pictures/QQ, Pictures/Douyin, DCIM/Douyin, Pictures/XiaoHongShu, Pictures/weibo, Sina/weibo,
  Pictures/Bilibili). Screen recordings: DCIM/ScreenRecorder (same list), "DCIM/Screen
  recordings" (a public album grouping list with DCIM/Camera, DCIM/Screenshots, Pictures/WeiXin,
  Pictures/WeChat, Pictures/Screenshots, Pictures/QQ, tencent/MicroMsg/WeiXin).
* WeChat: Pictures/WeiXin, tencent/MicroMsg/WeiXin (saved), Download/WeiXin, Download/WeChat,
  tencent/MicroMsg/Download (received), Android/data/com.tencent.mm; QQ: Tencent/QQ_Images
  (saved), Tencent/QQfile_recv, Download/QQ (received), Android/data/com.tencent.mobileqq:
  xgl34222220-ops/BaiZe, ChatAppPaths (a file cleaner's table of where QQ/TIM/WeChat write on
  shared storage); the OPPO kernel module above (/Tencent/MicroMsg/WeiXin,
  /Tencent/QQ_Images /Tencent/QQfile_recv). Pictures/WeChat and Pictures/QQ: an Android file
  manager's "WECHAT_IMAGE_NEW_PATH" constants and a Qt app's "QQ 图片目录" list.
* Douyin (DCIM/抖音, DCIM/Douyin, DCIM/aweme, Pictures/抖音, Movies/抖音, Download/抖音) and
  Kuaishou (DCIM/快手, DCIM/Kuaishou, DCIM/gifshow, Pictures/快手, Movies/快手, Download/快手):
  an offline Flutter importer of "保存到相册/本地" videos (ImportService._namedCandidates);
  Xiaohongshu: Pictures/XiaoHongShu (the photo picker's list above).

Everything is matched case-insensitively ("tencent" and "Tencent" both occur), one folder level
at a time; the longest rule that matches a file's folder wins. A folder no rule names is
"unknown": offered to the user, never called a camera folder.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

from app.evidence.errors import Cancelled
from app.evidence.ingest.importer import FileResult, collect_files
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress
from app.evidence.readers.mp4box import read_mp4_structure

CAMERA = "camera"
SCREENSHOT = "screenshot"
CHAT_APP = "chat_app"
OTHER_APP = "other_app"
UNKNOWN = "unknown"
CLASSES = (CAMERA, SCREENSHOT, CHAT_APP, OTHER_APP, UNKNOWN)

STAGE = "phone.scan"  # the progress stage of `scan_phone`

IPHONE = "iphone"
ANDROID = "android"

# folder names Windows gives a phone's storage (an iPhone: "Internal Storage"; Android over MTP:
# "Internal shared storage", 内部存储设备 in a Chinese Windows) when a user copies the whole thing
STORAGE_NAMES = {
    "internal storage",
    "internal shared storage",
    "内部存储",
    "内部存储设备",
    "内部共享存储空间",
    "phone",
    "sdcard",
}

_APPLE = r"\d{3}apple"  # 100APPLE, 101APPLE ...
_IOS_MONTH = r"\d{6}_[a-z]"  # 202510_a: newer iOS over USB


@dataclass(frozen=True)
class FolderRule:
    """A folder (segments from the phone's storage root, each a regex) and what it holds."""

    segments: tuple[str, ...]
    source_class: str
    app: str  # "camera", "screenshots", "screen_recordings", "wechat", "qq", "douyin", ...
    family: str | None = None  # the phone family this folder belongs to, when only one

    def matches(self, folder: Sequence[str]) -> bool:
        if len(folder) < len(self.segments):
            return False
        return all(
            re.fullmatch(pattern, part, re.IGNORECASE)
            for pattern, part in zip(self.segments, folder, strict=False)
        )


def _rules() -> tuple[FolderRule, ...]:
    r = FolderRule
    douyin = ("抖音", "douyin", "aweme", "com\\.ss\\.android\\.ugc\\.aweme")
    kuaishou = ("快手", "kuaishou", "gifshow")
    rules = [
        r(("dcim", _APPLE), CAMERA, "camera", IPHONE),
        r(("dcim", _IOS_MONTH), CAMERA, "camera", IPHONE),
        r((_IOS_MONTH,), CAMERA, "camera", IPHONE),
        r(("dcim", "camera"), CAMERA, "camera", ANDROID),
        r(("dcim", "100andro"), CAMERA, "camera", ANDROID),
        r(("dcim", "screenshots"), SCREENSHOT, "screenshots", ANDROID),
        r(("pictures", "screenshots"), SCREENSHOT, "screenshots", ANDROID),
        r(("miui", "gallery", "cloud", "pictures", "screenshots"), SCREENSHOT, "screenshots"),
        r(("dcim", "screenrecorder"), SCREENSHOT, "screen_recordings", ANDROID),
        r(("dcim", "screen recordings"), SCREENSHOT, "screen_recordings", ANDROID),
        r(("miui", "gallery", "cloud"), OTHER_APP, "cloud_album", ANDROID),
        r(("pictures", "weixin"), CHAT_APP, "wechat"),
        r(("pictures", "wechat"), CHAT_APP, "wechat"),
        r(("tencent", "micromsg"), CHAT_APP, "wechat"),
        r(("download", "weixin"), CHAT_APP, "wechat"),
        r(("download", "wechat"), CHAT_APP, "wechat"),
        r(("android", "data", "com\\.tencent\\.mm"), CHAT_APP, "wechat"),
        r(("pictures", "qq"), CHAT_APP, "qq"),
        r(("tencent", "qq_images"), CHAT_APP, "qq"),
        r(("tencent", "qqfile_recv"), CHAT_APP, "qq"),
        r(("download", "qq"), CHAT_APP, "qq"),
        r(("android", "data", "com\\.tencent\\.mobileqq"), CHAT_APP, "qq"),
        r(("pictures", "xiaohongshu"), OTHER_APP, "xiaohongshu"),
        r(("pictures", "weibo"), OTHER_APP, "weibo"),
        r(("sina", "weibo"), OTHER_APP, "weibo"),
        r(("pictures", "bilibili"), OTHER_APP, "bilibili"),
    ]
    for top in ("dcim", "pictures", "movies", "download"):
        rules += [r((top, name), OTHER_APP, "douyin") for name in douyin]
        rules += [r((top, name), OTHER_APP, "kuaishou") for name in kuaishou]
    return tuple(rules)


FOLDER_RULES = _rules()

# a year-month-day in a phone's file name: IMG_20250609_101500.jpg, VID_20250609_..., Screenshot_
# 2025-06-09-10-15-00.png, Screenshot_20250609-101500.png (Android cameras and screenshot tools)
_NAME_DATE = re.compile(r"(?<!\d)(20\d{2})[-_]?(\d{2})[-_]?(\d{2})(?:[-_ ]?\d{2}[-_.]?\d{2})?")
_EXIF_DATE = re.compile(r"(\d{4})[:\-](\d{2})[:\-](\d{2})")
_IMAGE_EXT = {".jpg", ".jpeg", ".heic", ".heif", ".tif", ".tiff", ".dng", ".webp"}
_VIDEO_EXT = {".mp4", ".mov", ".m4v", ".3gp"}
EARLIEST = date(2000, 1, 1)  # a file time before this is a reset clock, not a date


@dataclass(frozen=True)
class PhoneLayout:
    """Where the phone's storage starts, as seen from the folder the user chose.

    Attributes:
        chosen: the folder the user gave.
        root: the folder that stands for the phone's storage (the parent of DCIM); paths in
            hints are relative to it ("DCIM/Camera").
        prefix: segments between `root` and `chosen` (("DCIM",) when the DCIM folder itself
            was chosen, ("DCIM", "Camera") for one of its folders; () for the storage root).
        family: "iphone", "android" or None when the folders do not say.
        brand: a brand the folders name on their own (Xiaomi's MIUI folder), else None.
    """

    chosen: Path
    root: Path
    prefix: tuple[str, ...]
    family: str | None
    brand: str | None = None


@dataclass(frozen=True)
class PhoneFile:
    """One file found on the phone.

    Attributes:
        folder: its folder relative to the phone's storage, "/"-separated ("DCIM/Camera").
        source_class: camera, screenshot, chat_app, other_app or unknown (by folder only).
        app: the rule's app ("camera", "wechat", "douyin", ...), "" for unknown folders.
        day: the day it was taken, in the case's time zone; None when nothing dates it.
        dated_by: "exif", "video", "name" (the file name), "mtime" or None.
        in_dates: inside the dispute's dates; None when there are no dates or no day.
    """

    path: Path
    folder: str
    source_class: str
    app: str
    day: date | None
    dated_by: str | None
    in_dates: bool | None

    @property
    def suggested(self) -> bool:
        """A camera file inside the dates, or one nothing dates (offered, never dropped)."""
        return self.source_class == CAMERA and self.in_dates is not False


@dataclass(frozen=True)
class PhoneScan:
    """A phone folder classified: every file, the dispute's dates and what to offer.

    Attributes:
        window: the first and last day offered (the dispute's dates with the margin); None
            when the case has no dates yet (every camera file is offered).
        failed: files the walk could not take (links out of the folder, pipes, ...).
    """

    layout: PhoneLayout
    files: list[PhoneFile]
    window: tuple[date, date] | None
    failed: list[FileResult] = field(default_factory=list)

    @property
    def suggested(self) -> list[PhoneFile]:
        """The camera's files from the dispute's dates (and undated camera files)."""
        return [f for f in self.files if f.suggested]

    def counts(self) -> dict[str, int]:
        """Files per class (every class present, zero when none)."""
        found = Counter(f.source_class for f in self.files)
        return {name: found.get(name, 0) for name in CLASSES}

    def left_out(self) -> dict[str, int]:
        """What the suggestion leaves out: per class, and camera files outside the dates."""
        out = {name: 0 for name in CLASSES}
        for f in self.files:
            if not f.suggested:
                out[f.source_class] += 1
        return out

    @property
    def undated_camera(self) -> int:
        """Camera files offered because nothing in or about them gives a day."""
        return sum(1 for f in self.files if f.source_class == CAMERA and f.day is None)


def _segments(path: Path) -> list[str]:
    return [p for p in path.parts if p not in ("/", "\\") and not p.endswith((":\\", ":/"))]


def _child(folder: Path, name: str) -> Path | None:
    """The child folder called `name` (any case), if there is one."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.lower() == name and entry.is_dir(follow_symlinks=False):
                    return Path(entry.path)
    except OSError:
        return None
    return None


def _children(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return [e.name for e in entries if e.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def detect_layout(folder: Path) -> PhoneLayout | None:
    """The phone layout of a chosen folder, or None when it does not look like a phone's.

    A phone's folder is its DCIM folder or one folder in it (DCIM/Camera), the storage root
    holding DCIM (a mounted phone, or a copy of it), a folder holding that root under the name
    Windows gives it ("Internal Storage"), or an iPhone's storage whose month folders
    (202510_a) stand without a DCIM level. A folder that merely holds photos is not one.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return None
    if folder.name.lower() == "dcim":
        family, brand = _family(None, folder)
        return PhoneLayout(folder, folder.parent, (folder.name,), family, brand)
    if folder.parent.name.lower() == "dcim":  # one folder of a mounted phone's DCIM (Camera)
        family, brand = _family(None, folder.parent)
        prefix = (folder.parent.name, folder.name)
        return PhoneLayout(folder, folder.parent.parent, prefix, family, brand)
    dcim = _child(folder, "dcim")
    if dcim is not None:
        return PhoneLayout(folder, folder, (), *_family(folder, dcim))
    if any(re.fullmatch(_IOS_MONTH, c, re.I) for c in _children(folder)):
        return PhoneLayout(folder, folder, (), IPHONE)
    for name in _children(folder):
        if name.lower() in STORAGE_NAMES:
            inner = detect_layout(folder / name)
            if inner is not None and not inner.prefix:
                return PhoneLayout(folder, inner.root, (), inner.family, inner.brand)
    return None


def _family(root: Path | None, dcim: Path | None) -> tuple[str | None, str | None]:
    """The phone family the folders name: iPhone by its APPLE or month folders, Android by its
    Camera folder; a brand only where a folder names it (MIUI: Xiaomi/Redmi)."""
    inside = [c.lower() for c in _children(dcim)] if dcim else []
    brand = None
    if root is not None and _child(root, "miui") is not None:
        brand = "xiaomi"
    if any(re.fullmatch(_APPLE, c) or re.fullmatch(_IOS_MONTH, c) for c in inside):
        return IPHONE, brand
    if "camera" in inside or "100andro" in inside or brand:
        return ANDROID, brand
    return None, brand


def classify_folder(folder: Sequence[str], file_name: str = "") -> tuple[str, str]:
    """(source class, app) of a folder given as segments from the phone's storage root.

    A PNG in an iPhone's APPLE folder is a screenshot (the camera writes HEIC or JPEG there;
    iOS files its screenshots beside them as PNG).
    """
    best: FolderRule | None = None
    for rule in FOLDER_RULES:
        if rule.matches(folder) and (best is None or len(rule.segments) > len(best.segments)):
            best = rule
    if best is None:
        return UNKNOWN, ""
    if best.family == IPHONE and file_name.lower().endswith(".png"):
        return SCREENSHOT, "screenshots"
    return best.source_class, best.app


def dispute_window(days: Iterable[date], margin_days: int = 2) -> tuple[date, date] | None:
    """The days to offer: from the first dispute date to the last, `margin_days` either side."""
    known = sorted(days)
    if not known:
        return None
    margin = timedelta(days=max(0, margin_days))
    return known[0] - margin, known[-1] + margin


def capture_day(path: Path, zone: tzinfo) -> tuple[date | None, str | None]:
    """The day a file was taken, read cheaply: EXIF, a video's header, the file name, mtime.

    Only headers are read (PIL opens lazily; the MP4 walk reads the movie header), never the
    picture or the video. EXIF is the phone's wall clock (taken as the case's day); a video's
    header time is UTC and is placed in the case's zone, as is the file time.
    """
    ext = path.suffix.lower()
    if ext in _IMAGE_EXT:
        day = _exif_day(path)
        if day is not None:
            return day, "exif"
    elif ext in _VIDEO_EXT:
        created = read_mp4_structure(path).created
        if created is not None and created.date() >= EARLIEST:
            return created.astimezone(zone).date(), "video"
    day = _name_day(path.name)
    if day is not None:
        return day, "name"
    try:
        moment = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except (OSError, OverflowError, ValueError):
        return None, None
    local = moment.astimezone(zone).date()
    if local < EARLIEST or moment > datetime.now(UTC) + timedelta(days=1):
        return None, None
    return local, "mtime"


def _exif_day(path: Path) -> date | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            exif = im.getexif()
            text = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    if isinstance(text, bytes):
        text = text.decode("ascii", "replace")
    match = _EXIF_DATE.match(str(text or "").strip())
    return _day(*match.groups()) if match else None


def _name_day(name: str) -> date | None:
    match = _NAME_DATE.search(name)
    return _day(*match.groups()[:3]) if match else None


def _day(year: str, month: str, day: str) -> date | None:
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if value >= EARLIEST else None


def folder_of(layout: PhoneLayout, path: Path) -> list[str]:
    """A file's folder as segments from the phone's storage root ("DCIM", "Camera")."""
    for base in (layout.root, layout.chosen):
        for a, b in ((path, base), (path.resolve(), base.resolve())):
            if a.is_relative_to(b):
                return _segments(a.parent.relative_to(b))
    return []


def scan_phone(
    layout: PhoneLayout,
    zone: tzinfo,
    window: tuple[date, date] | None,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> PhoneScan:
    """Classify and date every file under the chosen folder (the import's own walk: hidden
    folders such as .thumbnails skipped, links out of the folder refused).

    Raises:
        Cancelled: `cancel` was set (nothing was changed: the scan only reads).
    """
    files, failed = collect_files([layout.chosen])
    found = []
    progress(Progress(STAGE, 0, len(files)))
    for done, path in enumerate(files, 1):
        if cancel is not None and cancel.cancelled:
            raise Cancelled("the look at the phone's folder was cancelled")
        if done % 50 == 0 or done == len(files):
            progress(Progress(STAGE, done, len(files), path.name))
        segments = folder_of(layout, path)
        source_class, app = classify_folder(segments, path.name)
        day, dated_by = capture_day(path, zone)
        in_dates = None if window is None or day is None else window[0] <= day <= window[1]
        found.append(
            PhoneFile(path, "/".join(segments), source_class, app, day, dated_by, in_dates)
        )
    return PhoneScan(layout, found, window, failed)
