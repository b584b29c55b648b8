"""Turning pasted or saved courier text into clean lines, and finding printed times in them.

Tracking text reaches us as clipboard text, a .txt saved by Notepad (UTF-8, UTF-16 with a
BOM, or GBK on older Windows), a CSV exported from an aggregator page, or the HTML of a
saved page. `decode_text` reduces all of these to plain text; `normalise_line` folds the
full-width forms Chinese input methods produce (２０２５－０６－０９　０８：０２) so one set of
patterns reads them, while leaving Chinese punctuation such as 【】（），alone.
"""

from __future__ import annotations

import csv
import html
import logging
import re
from dataclasses import dataclass
from typing import NamedTuple

from app.evidence.errors import InputError, UnsupportedFormat
from app.evidence.i18n import both

log = logging.getLogger(__name__)

MAX_INPUT_BYTES = 5 * 1024 * 1024
"""Courier records are a few kB; anything past this is not a tracking text."""

MAX_INPUT_CHARS = MAX_INPUT_BYTES

_KEEP_FULL_WIDTH = "（），！？；"  # readable Chinese punctuation the patterns accept as is
_WIDTH_TABLE: dict[int, int | str | None] = {
    cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULL_WIDTH
}
_WIDTH_TABLE.update({cp: " " for cp in (0x3000, 0x00A0, 0x202F, 0x205F, *range(0x2000, 0x200B))})
_WIDTH_TABLE.update({cp: None for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x7F)})
_WIDTH_TABLE.update({cp: None for cp in range(0x20) if cp != 0x09})
_WIDTH_TABLE.update({0x2010: "-", 0x2011: "-", 0x2212: "-"})
_FOLDED = {chr(cp): "" if to is None else to if isinstance(to, str) else chr(to)
           for cp, to in _WIDTH_TABLE.items()}  # fmt: skip
# str.translate looks up every character; a regex finds the few that change ~5x faster.
_FOLDABLE = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_FOLDED)) + "]")

_HTML_SNIFF = re.compile(
    r"<(?:!doctype|html|head|body|div|span|p|br|table|tr|td|th|li|ul|ol|dl|dt|dd|font|strong|a)\b",
    re.IGNORECASE,
)
_HTML_BREAK = re.compile(
    r"<(?:br\b[^<>]{0,200}|/?(?:p|div|li|tr|h[1-6]|dt|dd|table|ul|ol|dl|section|article|header|"
    r"footer)\b[^<>]{0,2000})>",
    re.IGNORECASE,
)
_HTML_CELL = re.compile(r"<t[dh]\b[^<>]{0,2000}>", re.IGNORECASE)
_HTML_CLOSE = re.compile(r"</[A-Za-z][^<>]{0,200}>")
_HTML_TAG = re.compile(r"<[A-Za-z!][^<>]{0,2000}>")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def decode_text(data: bytes, *, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """Decode a tracking text file or clipboard payload to normalised plain text.

    Args:
        data: the raw bytes (UTF-8 with or without BOM, UTF-16/32 with BOM, GB18030/GBK).
        max_bytes: refuse anything larger than this.

    Returns:
        The text with newlines as "\\n", HTML reduced to its visible lines, and each line
        passed through `normalise_line`. Empty input gives "".

    Raises:
        InputError: the data is larger than `max_bytes`.
        UnsupportedFormat: the data is binary, not text.
    """
    if len(data) > max_bytes:
        raise InputError(
            both(
                "物流文本有 {size:,} 字节，上限是 {limit:,} 字节；请只粘贴物流记录。",
                "tracking text is {size:,} bytes; the limit is {limit:,} bytes. "
                "Paste only the tracking lines.",
                size=len(data),
                limit=max_bytes,
            )
        )
    if not data:
        return ""
    text = _decode(data)
    bad = sum(1 for ch in text if ch == "\ufffd" or (ch < " " and ch not in "\t\r\n\x0c"))
    if bad > max(8, len(text) // 10):
        raise UnsupportedFormat(
            both("这是二进制数据，不是物流文本", "this file is binary data, not tracking text")
        )
    if _HTML_SNIFF.search(text):
        text = strip_html(text)
    return "\n".join(normalise_line(line) for line in split_lines(text))


def _decode(data: bytes) -> str:
    # UTF-32 BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    guessed = _guess_utf16(data)
    candidates = ([guessed] if guessed else []) + ["utf-8", "gb18030"]
    for codec in candidates:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    # Damaged either way: keep the reading that loses fewer characters.
    readings = [data.decode(codec, errors="replace") for codec in ("utf-8", "gb18030")]
    log.info("tracking text is neither clean UTF-8 nor GB18030; decoding with replacement")
    return min(readings, key=lambda s: s.count("\ufffd"))


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows up as NUL high bytes on the ASCII digits of timestamps."""
    if len(data) < 8 or len(data) % 2:
        return None
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half // 5 and even <= half // 50:
        return "utf-16-le"
    if even > half // 5 and odd <= half // 50:
        return "utf-16-be"
    return None


def strip_html(text: str) -> str:
    """Reduce the HTML of a saved tracking page to its visible text, one block per line."""
    text = _drop_blocks(text, "<!--", "-->")
    text = _drop_blocks(text, "<script", "</script>")
    text = _drop_blocks(text, "<style", "</style>")
    text = _HTML_BREAK.sub("\n", text)
    text = _HTML_CELL.sub("  ", text)
    # A closing tag ends a field ("<span>time</span><span>text</span>"): keep a gap there;
    # opening tags vanish so "已<font>签收</font>" still reads 已签收.
    text = _HTML_CLOSE.sub(" ", text)
    text = html.unescape(_HTML_TAG.sub("", text))
    lines = (line.strip() for line in split_lines(text))
    return "\n".join(line for line in lines if line)


def _drop_blocks(text: str, opener: str, closer: str) -> str:
    """Remove opener…closer spans with plain finds: a regex `.*?` is quadratic when unclosed."""
    lower = text.lower()
    parts: list[str] = []
    pos = 0
    while (start := lower.find(opener, pos)) != -1:
        parts.append(text[pos:start])
        end = lower.find(closer, start + len(opener))
        if end == -1:
            pos = len(text)
            break
        pos = end + len(closer)
    parts.append(text[pos:])
    return "".join(parts)


def split_lines(text: str) -> list[str]:
    """Split on \\r\\n, \\r or \\n only, so line numbers match what an editor shows."""
    return _LINE_BREAK.split(text)


def normalise_line(line: str) -> str:
    """Fold full-width digits, letters, colons, dashes and spaces to ASCII; drop controls.

    Keeps 【】（），！？； and every CJK character, so the line stays readable.
    """
    return _FOLDABLE.sub(_fold, line)


def _fold(match: re.Match[str]) -> str:
    return _FOLDED[match[0]]


class PrintedTime(NamedTuple):
    """A time as printed on a line, not yet resolved to a calendar date.

    Exactly one of (`year` set), (`relative_days` set) or (neither: a year-less MM-DD)
    describes the date part. A NamedTuple: one is made per line, and it is cheap.
    """

    text: str
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    relative_days: int | None  # 0 今天, 1 昨天, 2 前天
    hour: int
    minute: int
    second: int
    offset_minutes: int | None  # only when the text printed one (ISO "+08:00", "Z")


_HMS = r"(?P<h>\d{1,2}):(?P<mi>\d{1,2})(?::(?P<s>\d{1,2})(?:\.\d{1,6})?)?(?!\d)"
# Between date and time: "T", spaces, nothing after 日, or a weekday (快递100: "06-10 周二 08:02").
_GAP = r"(?:\s{0,4}T\s{0,4}|\s{0,4}(?:周|星期)[一二三四五六日天]\s{0,4}|\s{1,8}|(?<=日))"
# OCR of a screenshot often loses the space between date and time ("2025-06-0918:42:11"); with a
# four-digit year and a two-digit day the split is unambiguous.
_FULL_GAP = r"(?:" + _GAP + r"|(?<=[-/.]\d\d))"
_FULL = (
    r"(?<!\d)(?P<y>\d{4})\s?[-/.年]\s?(?P<mo>\d{1,2})\s?[-/.月]\s?(?P<d>\d{1,2})日?"
    + _FULL_GAP
    + _HMS
    + r"(?P<tz>Z|[+-]\d{2}:?\d{2}(?!\d))?"
)
_RELATIVE = r"(?P<rel>今天|昨天|前天)\s{0,4}" + _HMS
_MONTH_DAY = r"(?<![\d/.-])(?P<mo>\d{1,2})\s?[-/月]\s?(?P<d>\d{1,2})日?" + _GAP + _HMS
_LEAD = r"[\s|•·>*#\-–—]{0,8}"
_TRAIL = r"[\s|。.,，;；)）\]】]{0,8}$"
_AT_START = [re.compile(_LEAD + p) for p in (_FULL, _RELATIVE, _MONTH_DAY)]
_AT_END = [re.compile(p + _TRAIL) for p in (_FULL, _RELATIVE, _MONTH_DAY)]
_RELATIVE_DAYS = {"今天": 0, "昨天": 1, "前天": 2}


_FULL_ANYWHERE = re.compile(_FULL)
RUN_ON_MIN_CHARS = 200
"""A single line at least this long with three or more dated times is tracking pasted without
its line breaks."""


def split_run_on(lines: list[str]) -> list[str]:
    """Tracking pasted without line breaks, one line per printed time; other texts unchanged.

    Only a text whose sole non-empty line is long and holds three or more full date-times
    ("2025-06-10 08:02") is split, before each of them: then each scan is an event of its own
    instead of one 3,000-character line. Line numbers then count the pieces.
    """
    filled = [line for line in lines if line.strip()]
    if len(filled) != 1 or len(filled[0]) < RUN_ON_MIN_CHARS:
        return lines
    line = filled[0]
    starts = [m.start("y") for m in _FULL_ANYWHERE.finditer(line)]
    if len(starts) < 3:
        return lines
    bounds = [0, *(s for s in starts if s > 0), len(line)]
    pieces = (line[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False))
    return [piece for piece in pieces if piece]


def find_time(line: str) -> PrintedTime | None:
    """Find a time printed at the start or the end of a normalised line.

    Times in the middle of a sentence ("预计 06-12 18:00 前送达") are not event times, so
    they are left in the description.
    """
    for pattern in _AT_START:
        match = pattern.match(line)
        if match and (found := _to_printed(match)):
            return found
    tail = max(0, len(line) - 80)  # a trailing time is short; don't scan long lines twice
    for pattern in _AT_END:
        match = pattern.search(line, tail)
        if match and (found := _to_printed(match)):
            return found
    return None


def _to_printed(match: re.Match[str]) -> PrintedTime | None:
    groups = match.groupdict()
    hour, minute, second = int(groups["h"]), int(groups["mi"]), int(groups["s"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    month = int(groups["mo"]) if groups.get("mo") else None
    day = int(groups["d"]) if groups.get("d") else None
    if month is not None and day is not None and not _valid_day(month, day):
        return None
    offset = None
    if tz := groups.get("tz"):
        offset = 0 if tz == "Z" else _offset_minutes(tz)
    first = "y" if "y" in groups else "rel" if "rel" in groups else "mo"
    last = "tz" if tz else "s" if groups["s"] else "mi"
    start, end = match.start(first), match.end(last)
    return PrintedTime(
        text=match.string[start:end],
        start=start,
        end=end,
        year=int(groups["y"]) if groups.get("y") else None,
        month=month,
        day=day,
        relative_days=_RELATIVE_DAYS[groups["rel"]] if groups.get("rel") else None,
        hour=hour,
        minute=minute,
        second=second,
        offset_minutes=offset,
    )


def _valid_day(month: int, day: int) -> bool:
    days = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    return 1 <= month <= 12 and 1 <= day <= days[month - 1]


def _offset_minutes(tz: str) -> int | None:
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        return None
    total = hours * 60 + minutes
    return -total if tz[0] == "-" else total


@dataclass(frozen=True)
class CsvLayout:
    """Which columns of an aggregator CSV/TSV export hold the time, text and place."""

    delimiter: str
    width: int
    time_col: int
    text_cols: tuple[int, ...]  # description-like columns first, then status columns
    location_col: int | None


# Column names seen in aggregator exports (快递100 time/ftime/context, 快递鸟 AcceptTime/
# AcceptStation) and in hand-made spreadsheets.
_TIME_HEADERS = frozenset({
    "时间", "time", "ftime", "日期", "日期时间", "accepttime", "操作时间", "扫描时间",
    "更新时间", "datetime", "date",
})  # fmt: skip
_TEXT_HEADERS = frozenset({
    "context", "内容", "描述", "description", "物流信息", "物流详情", "详情", "轨迹",
    "acceptstation", "remark", "信息", "事件", "物流动态", "状态描述",
})  # fmt: skip
_STATUS_HEADERS = frozenset({"状态", "status", "物流状态", "state"})
_PLACE_HEADERS = frozenset({
    "地点", "位置", "location", "城市", "网点", "所在地", "站点", "city", "所在城市",
})  # fmt: skip


def sniff_csv_header(line: str) -> CsvLayout | None:
    """Recognise a header row such as "时间,状态" or "time\\tcontext\\tlocation"."""
    delimiter = "\t" if "\t" in line else ("," if "," in line else ";" if ";" in line else "")
    if not delimiter or len(line) > 500:
        return None
    cells = [c.strip().strip('"').strip().lower() for c in _csv_cells(line, delimiter)]
    time_cols = [i for i, c in enumerate(cells) if c in _TIME_HEADERS]
    text_cols = [i for i, c in enumerate(cells) if c in _TEXT_HEADERS]
    text_cols += [i for i, c in enumerate(cells) if c in _STATUS_HEADERS]
    if not time_cols or not text_cols:
        return None
    places = [i for i, c in enumerate(cells) if c in _PLACE_HEADERS]
    place = places[0] if places else None
    return CsvLayout(delimiter, len(cells), time_cols[0], tuple(text_cols), place)


def read_csv_row(line: str, layout: CsvLayout) -> tuple[str, str, str | None] | None:
    """Split one data row into (time field, description, location); None if it doesn't fit."""
    cells = _csv_cells(line, layout.delimiter)
    if len(cells) > layout.width and max(layout.text_cols) == layout.width - 1:
        # Aggregators often leave commas in the last (description) column unquoted.
        cells = cells[: layout.width - 1] + [layout.delimiter.join(cells[layout.width - 1 :])]
    if len(cells) <= max(layout.time_col, *layout.text_cols):
        return None
    texts = [cells[i].strip() for i in layout.text_cols if cells[i].strip()]
    location = None
    if layout.location_col is not None and layout.location_col < len(cells):
        location = cells[layout.location_col].strip() or None
    return cells[layout.time_col].strip(), " ".join(texts), location


def _csv_cells(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)
