"""Video container metadata through pymediainfo (libmediainfo reads the headers, not the frames).

`read_video` returns a `MediaMetadata` for MP4, MOV, 3GP, AVI and MKV/WebM files or raises an
`InputError` subclass; nothing else escapes. libmediainfo parses headers (`moov`, EBML, RIFF
lists), so memory stays bounded on multi-GB files.

Conventions:
    rotation: degrees *clockwise* to turn the stored picture upright for display, as MediaInfo
        and exiftool report it. (FFmpeg's display-matrix side data uses the opposite sign:
        FFmpeg -90 == 90 here.)
    container_created_utc: the MP4/QuickTime `mvhd` creation time, which the standard defines as
        UTC; None when missing or zeroed (1904-01-01 / 1970-01-01, what re-muxers write).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pymediainfo import MediaInfo

from app.evidence.errors import DamagedFile, InputError, UnreadableFile, UnsupportedFormat
from app.evidence.i18n import both
from app.evidence.models import CaptureTime, GpsPosition, MediaMetadata, TimeSource
from app.evidence.readers.image import check_input_file
from app.evidence.readers.mp4box import read_mp4_structure
from app.evidence.readers.mp4parts import OVERSIZED_TABLE

logger = logging.getLogger(__name__)

_MAX_RAW_ENTRIES = 600
_MAX_RAW_VALUE = 256
_MAX_DEPTH = 4
# Depend on where the bytes came from, not what they are: left out so that two copies of the
# same file give the same metadata.
_RAW_SKIP = {"@ref", "File_Modified_Date", "File_Modified_Date_Local", "FileExtension"}
_ZERO_DATES = ("1904-01-01 00:00:00", "1970-01-01 00:00:00")
_LOCATION_KEYS = ("com.apple.quicktime.location.ISO6709", "xyz", "location", "locationeng")
_CONTAINER_NOTE = (
    "container creation time: UTC by the MP4/QuickTime standard, so the instant is known but "
    "the local time zone of the recording is not in the file (some cameras wrongly store "
    "local time here)"
)


def read_video(path: Path) -> MediaMetadata:
    """Read a video's container metadata.

    Args:
        path: the video file.

    Returns:
        Format, duration, codec, stored size, rotation (clockwise degrees), frame rate, encoder
        and writing library, container creation time (UTC), Apple QuickTime and Android keys,
        GPS, make/model/software from the Apple keys, the best capture time and `raw` (every
        track field flattened as "General.Duration", "Video.Width", "General.extra.<key>").

    Raises:
        InputError: EmptyFile or UnreadableFile; UnsupportedFormat when the content is not a
            supported video (audio only, a picture, unknown bytes); DamagedFile when a video
            container holds no readable video track (e.g. cut short). No other exception escapes.
    """
    try:
        return _read_video(path)
    except InputError:
        raise
    except Exception as exc:  # a bug or an unforeseen malformation: one bad file, not a crash
        logger.warning("unexpected error reading %s", path, exc_info=True)
        raise DamagedFile(
            both(
                "读取视频时出现意外错误：{error}",
                "unexpected error while reading the video: {error}",
                error=exc,
            ),
            str(path),
        ) from exc


def _read_video(path: Path) -> MediaMetadata:
    check_input_file(path)
    _refuse_oversized_tables(path)
    try:
        text = MediaInfo.parse(path, output="JSON", full=False)
    except FileNotFoundError as exc:
        raise UnreadableFile(
            both("读取过程中文件不见了", "the file vanished while reading"), str(path)
        ) from exc
    except OSError as exc:  # libmediainfo itself could not be loaded
        raise UnsupportedFormat(
            both(
                "这台电脑无法读取视频：{error}",
                "cannot read videos on this computer: {error}",
                error=exc,
            ),
            str(path),
        ) from exc
    tracks = _tracks(text, path)
    general = next((t for t in tracks if t.get("@type") == "General"), {})
    videos = [t for t in tracks if t.get("@type") == "Video"]
    fmt, mime = _container(general, path)
    if not videos:
        if any(t.get("@type") == "Audio" for t in tracks):
            raise UnsupportedFormat(
                both("文件只有声音，没有画面", "the file holds sound only, no picture"), str(path)
            )
        raise DamagedFile(
            both(
                "文件里没有可读的视频轨道（文件不完整？）",
                "no readable video track in the container (cut short?)",
            ),
            str(path),
        )
    video = videos[0]
    warnings: list[str] = []
    if _extra(general).get("IsTruncated") == "Yes":
        warnings.append("The video file appears to be cut short (truncated).")

    extra = _extra(general)
    quicktime = _dotted(extra, "com_apple_quicktime_")
    android = _dotted(extra, "com_android_")
    created = _container_time(general.get("Encoded_Date") or video.get("Encoded_Date"))
    location_source = {**quicktime, **extra}
    gps = None
    for key in _LOCATION_KEYS:
        if isinstance(location_source.get(key), str):
            gps = parse_iso6709(location_source[key])
            if gps is None:
                warnings.append(f"The location '{location_source[key][:40]}' is not readable.")
            break
    return MediaMetadata(
        format=fmt,
        mime=mime,
        width=_int(video.get("Width")),
        height=_int(video.get("Height")),
        make=quicktime.get("com.apple.quicktime.make"),
        model=quicktime.get("com.apple.quicktime.model"),
        software=quicktime.get("com.apple.quicktime.software"),
        duration_ms=_ms(general.get("Duration") or video.get("Duration")),
        video_codec=video.get("Format"),
        rotation=_rotation(video.get("Rotation")),
        frame_rate=_frame_rate(video),
        encoder=general.get("Encoded_Application")
        or extra.get("encoder")
        or video.get("Encoded_Application"),
        writing_library=video.get("Encoded_Library") or general.get("Encoded_Library"),
        container_created_utc=created,
        quicktime_keys=quicktime,
        android_keys=android,
        gps=gps,
        capture_time=_capture_time(quicktime, created, warnings),
        raw=_flatten(tracks),
        warnings=tuple(warnings),
    )


def _refuse_oversized_tables(path: Path) -> None:
    """Refuse an MP4/MOV whose sample tables claim more entries than they hold, before
    libmediainfo walks them all (minutes of CPU for a few flipped bytes). Such a file is damaged."""
    with path.open("rb") as fh:
        head = fh.read(12)
    if head[4:8] not in (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip"):
        return
    for problem in read_mp4_structure(path).problems:
        if problem.startswith(OVERSIZED_TABLE):
            raise DamagedFile(
                both(
                    "视频的帧索引表已损坏：{problem}",
                    "the movie's frame tables are damaged: {problem}",
                    problem=problem,
                ),
                str(path),
            )


def _tracks(text: str, path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise DamagedFile(
            both(
                "MediaInfo 没有给出可读的结果：{error}",
                "MediaInfo gave no readable answer: {error}",
                error=exc,
            ),
            str(path),
        ) from exc
    media = data.get("media") if isinstance(data, dict) else None
    tracks = media.get("track") if isinstance(media, dict) else None
    if not isinstance(tracks, list):
        raise UnsupportedFormat(
            both("MediaInfo 无法识别此文件", "MediaInfo does not recognise this file"), str(path)
        )
    return [t for t in tracks if isinstance(t, dict)]


def _container(general: dict[str, Any], path: Path) -> tuple[str, str]:
    name = str(general.get("Format") or "")
    codec_id = str(general.get("CodecID") or "").strip()
    if name == "MPEG-4":
        if general.get("Format_Profile") == "QuickTime" or codec_id == "qt":
            return "mov", "video/quicktime"
        if codec_id.startswith(("3gp", "3g2")):
            return "3gp", "video/3gpp"
        return "mp4", "video/mp4"
    known = {
        "AVI": ("avi", "video/x-msvideo"),
        "Matroska": ("mkv", "video/x-matroska"),
        "WebM": ("mkv", "video/webm"),
    }
    if name in known:
        return known[name]
    if name:
        message = both(
            "不支持的视频：{name} 格式的内容", "not a supported video: '{name}' content", name=name
        )
    else:
        message = both(
            "不支持的视频：MediaInfo 无法识别其内容",
            "not a supported video: content MediaInfo does not recognise",
        )
    raise UnsupportedFormat(message, str(path))


def _extra(track: dict[str, Any]) -> dict[str, Any]:
    extra = track.get("extra")
    return extra if isinstance(extra, dict) else {}


def _dotted(extra: dict[str, Any], prefix: str) -> dict[str, str]:
    """MediaInfo turns the dots of mdta keys into underscores; turn them back.

    A key that really contained an underscore or hyphen comes back with a dot instead; the
    Apple and Android keys that matter use dots only.
    """
    return {
        key.replace("_", "."): str(value)[:_MAX_RAW_VALUE]
        for key, value in extra.items()
        if key.startswith(prefix) and isinstance(value, (str, int, float))
    }


def _capture_time(
    quicktime: dict[str, str], created: datetime | None, warnings: list[str]
) -> CaptureTime | None:
    text = quicktime.get("com.apple.quicktime.creationdate")
    if text:
        moment = _parse_iso(text)
        if moment is not None and moment.tzinfo is not None:
            note = "com.apple.quicktime.creationdate with its offset"
            return CaptureTime.from_aware(moment, TimeSource.QUICKTIME, "high", note)
        if moment is not None:
            note = "com.apple.quicktime.creationdate without a time zone"
            return CaptureTime(moment, None, TimeSource.QUICKTIME, "medium", note)
        warnings.append(f"The QuickTime creation date '{text[:40]}' is not readable.")
    if created is not None:
        return CaptureTime.from_aware(created, TimeSource.CONTAINER, "medium", _CONTAINER_NOTE)
    return None


def _container_time(text: Any) -> datetime | None:
    """MediaInfo writes "2025-06-09 02:15:07 UTC" (older builds "UTC 2025-06-09 02:15:07")."""
    if not isinstance(text, str):
        return None
    text = text.replace("UTC", "").strip()
    if not text or text.startswith(_ZERO_DATES):
        return None
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})", text)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def _parse_iso(text: str) -> datetime | None:
    text = re.sub(r"(\.\d{6})\d+", r"\1", text.strip())
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_iso6709(text: str) -> GpsPosition | None:
    """Parse an ISO 6709 point as phones write it, e.g. "+31.2304+121.4737+10.000/".

    Decimal degrees are what phones write; the degree-minute(-second) forms (±DDMM.M, ±DDMMSS)
    are read too. Returns None when the text is not a valid position.
    """
    match = re.match(
        r"\s*([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?(?:CRS[^/]*)?/?\s*$", text
    )
    if not match:
        return None
    lat = _iso6709_angle(match.group(1), 2)
    lon = _iso6709_angle(match.group(2), 3)
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    altitude = float(match.group(3)) if match.group(3) else None
    return GpsPosition(latitude=lat, longitude=lon, altitude_m=altitude)


def _iso6709_angle(text: str, degree_digits: int) -> float | None:
    sign = -1.0 if text[0] == "-" else 1.0
    whole, _, fraction = text[1:].partition(".")
    frac = float(f"0.{fraction}") if fraction else 0.0
    extra = len(whole) - degree_digits
    if extra <= 0:
        return sign * (int(whole) + frac)
    if extra == 2:  # DDMM.M
        minutes = int(whole[-2:]) + frac
        return sign * (int(whole[:-2]) + minutes / 60) if minutes < 60 else None
    if extra == 4:  # DDMMSS.S
        minutes, seconds = int(whole[-4:-2]), int(whole[-2:]) + frac
        if minutes >= 60 or seconds >= 60:
            return None
        return sign * (int(whole[:-4]) + minutes / 60 + seconds / 3600)
    return None


def _flatten(tracks: list[dict[str, Any]]) -> dict[str, str]:
    raw: dict[str, str] = {}
    seen: dict[str, int] = {}
    for track in tracks:
        kind = str(track.get("@type") or "Track")
        seen[kind] = seen.get(kind, 0) + 1
        prefix = kind if seen[kind] == 1 else f"{kind}#{seen[kind]}"
        _flatten_into(raw, prefix, track, 0)
    return raw


def _flatten_into(raw: dict[str, str], prefix: str, value: Any, depth: int) -> None:
    if len(raw) >= _MAX_RAW_ENTRIES:
        return
    if isinstance(value, dict) and depth < _MAX_DEPTH:
        for key, item in value.items():
            if key not in _RAW_SKIP and key != "@type":
                _flatten_into(raw, f"{prefix}.{key}", item, depth + 1)
    elif isinstance(value, list) and depth < _MAX_DEPTH:
        for index, item in enumerate(value[:32]):
            _flatten_into(raw, f"{prefix}[{index}]", item, depth + 1)
    else:
        raw[prefix] = str(value)[:_MAX_RAW_VALUE]


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _int(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number > 0 else None


def _ms(seconds: Any) -> int | None:
    number = _number(seconds)  # MediaInfo's machine-readable durations are in seconds
    return round(number * 1000) if number is not None and number >= 0 else None


def _rotation(value: Any) -> int | None:
    number = _number(value)
    return round(number) % 360 if number is not None else None


def _frame_rate(video: dict[str, Any]) -> float | None:
    for key in ("FrameRate", "FrameRate_Nominal", "FrameRate_Original"):
        number = _number(video.get(key))
        if number:
            return number
    num, den = _number(video.get("FrameRate_Num")), _number(video.get("FrameRate_Den"))
    return num / den if num and den else None
