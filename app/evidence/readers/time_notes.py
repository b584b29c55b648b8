"""The readers' time notes (stored in English, e.g. "no time zone in the file; +02:00 worked out
from the GPS time stamp (UTC), which is 3 s away from that offset") as a person reads them, in
the current language. The stored note stays as written (the audit log and the PDF appendix
quote it); only what a window shows is translated. A note no pattern knows is shown in English
only in English; in Chinese it is left out (the row is dropped), never shown half-translated.
"""

from __future__ import annotations

import re

from app.evidence.i18n import current_language

_TAGS = {
    "DateTimeOriginal": "拍摄时间（EXIF DateTimeOriginal）",
    "DateTimeDigitized": "数字化时间（EXIF）",
    "DateTime": "修改时间（EXIF DateTime）",
    "CreateDate": "创建时间",
    "exif:DateTimeOriginal": "XMP 中的拍摄时间",
    "xmp:CreateDate": "XMP 中的创建时间",
    "photoshop:DateCreated": "XMP 中的创建日期",
}
_NO_ZONE_ZH = "文件中没有时区"


def _tag(name: str) -> str:
    return _TAGS.get(name.strip(), "元数据时间")


def _rules() -> list[tuple[re.Pattern[str], object]]:
    def rx(text: str) -> re.Pattern[str]:
        return re.compile(text + r"$")

    return [
        (
            rx(r"com\.apple\.quicktime\.creationdate with its offset"),
            lambda m: "视频元数据中的拍摄时间，带时区",
        ),
        (
            rx(r"com\.apple\.quicktime\.creationdate without a time zone"),
            lambda m: "视频元数据中的拍摄时间，没有时区",
        ),
        (
            rx(r"container creation time: .*"),
            lambda m: (
                "视频容器的创建时间：按标准为世界协调时，"
                "时刻已知但录制地时区不在文件中（有些相机会误存本地时间）"
            ),
        ),
        (
            rx(r"file modification time: .*"),
            lambda m: "文件修改时间：复制、下载和聊天软件都会改变它，不可靠",
        ),
        (rx(r"no time zone in the file"), lambda m: _NO_ZONE_ZH),
        (
            rx(
                r"no time zone in the file; (?P<z>[+-]\d\d:\d\d) worked out from the GPS time "
                r"stamp \(UTC\), which is (?P<s>\d+) s away from that offset"
            ),
            lambda m: (
                f"{_NO_ZONE_ZH}；根据 GPS 时间（世界协调时）推算为 {m['z']}（与该时区相差 "
                f"{m['s']} 秒）"
            ),
        ),
        (
            rx(
                r"no time zone in the file; the GPS time stamp does not fit any time zone, so it "
                r"was not used"
            ),
            lambda m: f"{_NO_ZONE_ZH}；GPS 时间与任何时区都对不上，未采用",
        ),
        (
            rx(
                r"(?P<t>[\w:.]+) has no time zone; the XMP copy of the same time "
                r"\((?P<k>[\w:]+)\) carries it"
            ),
            lambda m: f"{_tag(m['t'])}没有时区；XMP 中同一时间的副本带有时区",
        ),
        (rx(r"(?P<t>[\w:.]+) with its offset"), lambda m: f"{_tag(m['t'])}，带时区"),
        (
            rx(r"from (?P<k>[\w:]+) in the XMP metadata(?P<nz>; no time zone in the file)?"),
            lambda m: f"来自{_tag(m['k'])}" + (f"；{_NO_ZONE_ZH}" if m["nz"] else ""),
        ),
        (
            rx(r"from PNG text '(?P<k>[^']*)'(?P<nz>; no time zone in the file)?"),
            lambda m: "来自 PNG 文字信息" + (f"；{_NO_ZONE_ZH}" if m["nz"] else ""),
        ),
    ]


_COMPILED = _rules()


def time_note_text(note: str | None, language: str | None = None) -> str:
    """A stored time note in `language` (default: the current one); "" when unknown in Chinese."""
    if not note:
        return ""
    if (language or current_language()) == "en":
        return note
    for pattern, make in _COMPILED:
        match = pattern.match(note.strip())
        if match:
            return make(match)  # type: ignore[operator]
    if re.search(r"[\u4e00-\u9fff]", note):
        return note  # already Chinese (a note typed by the user)
    return ""
