"""Checks of one video (research §9.3 V1-V5).

Program names (video_tools.json) are looked for in the container tags, the sample
description's compressor name, the bitstream's encoder SEI (via MediaInfo), metadata keys and
values, and handler names; their category decides the severity (verdict.py). Then:

    container creation time missing or zero                              warning
    QuickTime creationdate vs container time, beyond the duration        alert (offset aware)
    an edit list that hides more than 0.5 s of media (stream-copy cut)   alert
    an edit list that starts with more than 0.5 s without picture        alert
    container and video-track durations disagree by more than 0.5 s      warning
    a jump of at least 1 s (and 10 frames' time) in the frame timing     warning
    device keys (Apple / Android) and a creation time, nothing else found: camera origin (ok)

Calibration for real phone files (issue 16, point 6): what phones write is never a sign of
editing. HEVC, 10-bit HDR (HLG, PQ/HDR10, Dolby Vision), high frame rates and the slow-motion
keys (Apple's full-frame-rate-playback-intent, Android's com.android.capture.fps) are listed in
one info finding, `video_capture_traits`. A screen recording (iOS ReplayKit, Android and
Xiaomi/Huawei/Samsung recorders, desktop recorders) is its own kind of source: named by
metadata (video_tools.json rows of the "screen_recorder" category and the generic "Screen
recorders" row) or by the recorders' file names, it gets one info finding,
`screen_recording`, instead of a muxer warning and "no device keys"; its pauses (a recorder
only writes frames when the screen changes) are not timing gaps. Nothing about a recording
makes it `edited`; a cut or an editor's trace still does. An AI-content label (GB 45438) in the
metadata keys or XMP is reported as for photos (aigc.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import cast

from app.evidence.checks.aigc import read_aigc_xmp, video_aigc_findings
from app.evidence.checks.model import CheckOptions, Finding, Severity
from app.evidence.checks.provenance import c2pa_findings, c2pa_present_in
from app.evidence.checks.signatures import VideoTool, match_video_tool
from app.evidence.checks.texts import finding
from app.evidence.checks.verdict import VIDEO_TOOL_CODE, VIDEO_TOOL_SEVERITY
from app.evidence.models import MediaMetadata
from app.evidence.readers.mp4box import Mp4Structure
from app.evidence.readers.mp4parts import Mp4Track
from app.evidence.readers.xmp import parse_xmp_details

CUT_HIDDEN_S = 0.5
DURATION_TOLERANCE_S = 0.5
CREATIONDATE_SLACK_S = 120
GAP_MIN_S = 1.0
GAP_FRAMES = 10
_ENCODER_TAGS = ("©too", "©swr", "©enc", "©fmt")
_FFMPEG_KEYS = {"major_brand", "minor_version", "compatible_brands"}
HIGH_FRAME_RATE = 100.0
SCREEN_RECORDER_ROWS = {"Screen recorders"}  # video_tools.json rows of the muxer category
SCREEN_RECORDING_NAMES = (
    (re.compile(r"^RPReplay_Final\d{9,11}", re.I), "iOS"),
    (re.compile(r"^Screen_Recording_\d{8}[-_]\d{6}", re.I), "Samsung"),
    (re.compile(r"^Screenrecorder-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}", re.I), "Xiaomi"),
    (re.compile(r"^SVID_\d{8}_\d{6}", re.I), "Huawei/Honor"),
    (re.compile(r"^screen-\d{8}-\d{6}", re.I), "Android"),
    (re.compile(r"^(录屏|屏幕录制)"), ""),
)
"""File names the phones' screen recorders give their files (name, not content: a hint)."""
_DEVICE_KEYS = ("com.apple.quicktime.make", "com.apple.quicktime.model", "com.android.version")


def check_video(
    meta: MediaMetadata,
    box: Mp4Structure | None,
    path: Path | None = None,
    options: CheckOptions | None = None,
) -> list[Finding]:
    """All video findings for one file (`box` is None for AVI/MKV).

    Args:
        path: the file, for its name (screen recorders' names) and C2PA Content Credentials.
        options: what to run (C2PA validation can be switched off).
    """
    findings = _tool_findings(meta, box)
    screen = _screen_recording(meta, box, path.name if path else None, findings)
    if screen is not None:
        tools = cast("list[str]", screen["tools"])
        findings = [f for f in findings if f.params.get("tool") not in tools]
    if box is not None:
        findings.extend(_time_findings(meta, box))
        track = box.video_track()
        if track is not None:
            findings.extend(_edit_findings(box, track))
            gaps = _gap_findings(track)
            if screen is not None and gaps:
                screen["longest_pause"] = gaps[0].params["gap"]
            else:
                findings.extend(gaps)
        if box.problems:
            params = {"problems": list(box.problems[:5])}
            findings.append(finding("video_structure_problem", Severity.INFO, params))
        findings.extend(_ffmpeg_defaults(box))
    findings.extend(video_aigc_findings(meta, _aigc_places(box)))
    if path is not None and box is not None:
        present = c2pa_present_in(path, meta.format)
        findings.extend(c2pa_findings(path, present, present and (options or CheckOptions()).c2pa))
    findings.extend(_capture_traits(meta, box))
    if screen is not None:
        findings.append(_screen_finding(screen))
        return findings
    concerns = any(f.severity in (Severity.ALERT, Severity.WARNING) for f in findings)
    findings.extend(_origin(meta, box, concerns))
    return findings


def _aigc_places(box: Mp4Structure | None) -> list[tuple[str, str]]:
    if box is None:
        return []
    places = [
        (f"video:{key}", value)
        for key, value in list(box.keys.items()) + list(box.tags.items())
        if "aigc" in key.lower() or ("Label" in value and "ContentProducer" in value)
    ]
    value = read_aigc_xmp(box.xmp) if box.xmp else None
    if value:
        places.insert(0, ("video:xmp", value))
    return places


def _all_keys(meta: MediaMetadata, box: Mp4Structure | None) -> dict[str, str]:
    return {**meta.quicktime_keys, **meta.android_keys, **(box.keys if box else {})}


def _screen_recording(
    meta: MediaMetadata, box: Mp4Structure | None, name: str | None, found: list[Finding]
) -> dict[str, object] | None:
    """What says this is a screen recording (metadata first, then the file name), or None."""
    evidence: list[str] = []
    tools: list[str] = []
    for f in found:
        if f.params.get("tool") in SCREEN_RECORDER_ROWS:
            tools.append(str(f.params["tool"]))
            evidence.append(f"{f.params.get('where')}: {f.params.get('value')}")
    for where, text in _texts(meta, box):
        tool = match_video_tool(text, where)
        if tool is not None and tool.category == "screen_recorder" and tool.name not in tools:
            tools.append(tool.name)
            evidence.append(f"{where}: {text[:80]}")
    recorder = None
    for pattern, maker in SCREEN_RECORDING_NAMES:
        if name and pattern.search(name):
            recorder = maker
            evidence.append(f"name: {name}")
            break
    if not evidence:
        return None
    keys = _all_keys(meta, box)
    if not tools and any(k in keys for k in _DEVICE_KEYS[:2]):
        return None  # a camera recording renamed: the Apple camera keys speak louder than a name
    return {
        "tools": tools,
        "evidence": evidence[:4],
        "recorder": recorder,
        "size": [meta.width, meta.height],
        "frame_rate": meta.frame_rate,
    }


def _screen_finding(screen: dict[str, object]) -> Finding:
    params = {k: v for k, v in screen.items() if v not in (None, [], "")}
    return finding("screen_recording", Severity.INFO, params)


def _capture_traits(meta: MediaMetadata, box: Mp4Structure | None) -> list[Finding]:
    """Info: how the phone recorded (HEVC, HDR, high frame rate, slow-motion keys)."""
    raw = meta.raw
    traits: list[tuple[str, str]] = []
    codec = (meta.video_codec or "").upper()
    if codec in ("HEVC", "H.265"):
        traits.append(("HEVC（H.265）编码", "HEVC (H.265)"))
    hdr_format = raw.get("Video.HDR_Format", "")
    transfer = raw.get("Video.transfer_characteristics", "")
    if "dolby vision" in hdr_format.lower() or any(
        (t.codec or "") in ("dvh1", "dvhe", "dva1", "dvav") for t in (box.tracks if box else ())
    ):
        traits.append(("杜比视界 HDR", "Dolby Vision HDR"))
    elif "HLG" in transfer or "HLG" in hdr_format:
        traits.append(("HDR（HLG）", "HDR (HLG)"))
    elif "PQ" in transfer or "2084" in transfer or "HDR10" in hdr_format:
        traits.append(("HDR（PQ / HDR10）", "HDR (PQ / HDR10)"))
    keys = _all_keys(meta, box)
    fps = meta.frame_rate or 0.0
    capture_fps = _number(keys.get("com.android.capture.fps"))
    if fps >= HIGH_FRAME_RATE:
        traits.append(
            (
                f"高帧率 {fps:.0f} 帧/秒（慢动作拍摄）",
                f"high frame rate {fps:.0f} fps (slow motion)",
            )
        )
    if capture_fps and capture_fps > (fps or 0) + 1:
        traits.append(
            (
                f"以 {capture_fps:.0f} 帧/秒拍摄的慢动作",
                f"slow motion captured at {capture_fps:.0f} fps",
            )
        )
    if keys.get("com.apple.quicktime.full-frame-rate-playback-intent") == "0":
        traits.append(("苹果慢动作标记", "Apple slow-motion marker"))
    if not traits:
        return []
    params = {
        "traits": [en for _, en in traits],
        "codec": meta.video_codec,
        "frame_rate": meta.frame_rate,
        "transfer": transfer or None,
        "hdr_format": hdr_format or None,
    }
    zh = "、".join(z for z, _ in traits)
    en = ", ".join(e for _, e in traits)
    return [finding("video_capture_traits", Severity.INFO, params, traits_zh=zh, traits_en=en)]


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _texts(meta: MediaMetadata, box: Mp4Structure | None) -> Iterator[tuple[str, str]]:
    if meta.encoder:
        yield "encoder", meta.encoder
    if meta.writing_library:
        yield "library", meta.writing_library
    for key in ("General.Encoded_Application", "Video.Encoded_Library", "General.extra.encoder"):
        if key in meta.raw:
            yield ("library" if "Library" in key else "encoder"), meta.raw[key]
    if box is None:
        for key, value in meta.raw.items():
            if key.startswith("General.extra."):
                yield "key", key.rsplit(".", 1)[-1]
                yield "value", value
        return
    for tag in _ENCODER_TAGS:
        if tag in box.tags:
            yield "encoder", box.tags[tag]
    if "encoder" in box.keys:
        yield "encoder", box.keys["encoder"]
    for key, value in list(box.keys.items()) + list(box.tags.items()):
        yield "key", key
        yield "value", value
    for track in box.tracks:
        if track.compressor:
            yield "compressor", track.compressor
        if track.handler_name:
            yield "handler", track.handler_name
    if box.xmp:
        tool = parse_xmp_details(box.xmp).get("xmp:CreatorTool")
        if tool:
            yield "value", tool


def _tool_findings(meta: MediaMetadata, box: Mp4Structure | None) -> list[Finding]:
    """One finding per category; the first trace speaks, the others are listed with it."""
    by_category: dict[str, list[tuple[str, str, VideoTool]]] = {}
    for where, text in _texts(meta, box):
        tool = match_video_tool(text, where)
        if tool is not None and tool.category in VIDEO_TOOL_SEVERITY:
            traces = by_category.setdefault(tool.category, [])
            if all(t.name != tool.name or w != where for w, _, t in traces):
                traces.append((where, text, tool))
    out = []
    for category, traces in by_category.items():
        where, text, tool = traces[0]
        params: dict[str, object] = {
            "where": where,
            "value": text[:200],
            "tool": tool.name,
            "category": category,
            "table_source": tool.source,
        }
        if len(traces) > 1:
            params["also"] = [f"{t.name}: {v[:80]}" for _, v, t in traces[1:]]
        out.append(finding(VIDEO_TOOL_CODE[category], VIDEO_TOOL_SEVERITY[category], params))
    return out


def _time_findings(meta: MediaMetadata, box: Mp4Structure) -> list[Finding]:
    if box.created is None:
        missing = {"mvhd_created": None, "mvhd_modified": _iso(box.modified)}
        return [finding("video_creation_time_missing", Severity.WARNING, missing)]
    text = meta.quicktime_keys.get("com.apple.quicktime.creationdate") or box.keys.get(
        "com.apple.quicktime.creationdate"
    )
    moment = _parse_aware(text)
    if moment is None:
        return []
    gap = abs((moment - box.created).total_seconds())
    duration = (meta.duration_ms or 0) / 1000
    if gap <= duration + CREATIONDATE_SLACK_S:
        return []
    params = {
        "creationdate": text,
        "container": _iso(box.created),
        "gap_seconds": round(gap),
        "duration": round(duration, 3),
        "slack_seconds": CREATIONDATE_SLACK_S,
    }
    return [finding("video_creationdate_mismatch", Severity.ALERT, params, gap=_hms(gap))]


def _edit_findings(box: Mp4Structure, track: Mp4Track) -> list[Finding]:
    out: list[Finding] = []
    rates = sorted({round(e.rate, 3) for e in track.edits if e.media_time >= 0 and e.rate != 1})
    if rates:
        out.append(finding("video_slow_motion", Severity.INFO, {"rates": rates}))
    empty = track.edits[0] if track.edits and track.edits[0].media_time == -1 else None
    if empty is not None and box.movie_timescale:
        delay = empty.duration / box.movie_timescale
        if delay > CUT_HIDDEN_S:
            params = {"delay_seconds": round(delay, 3), "threshold_seconds": CUT_HIDDEN_S}
            out.append(finding("video_empty_start", Severity.ALERT, params))
    media = track.media_seconds
    played = [e for e in track.edits if e.media_time >= 0 and e.rate == 1]
    if played and media and track.media_timescale and box.movie_timescale and not rates:
        start = played[0].media_time / track.media_timescale
        shown = sum(e.duration for e in played) / box.movie_timescale
        hidden = start + max(0.0, media - start - shown)
        if hidden > CUT_HIDDEN_S:
            params = {
                "media": round(media, 3),
                "start": round(start, 3),
                "shown": round(shown, 3),
                "hidden_seconds": round(hidden, 3),
                "threshold_seconds": CUT_HIDDEN_S,
            }
            out.append(finding("video_cut", Severity.ALERT, params))
            return out
    movie = box.movie_seconds
    if (
        movie is not None
        and media is not None
        and not track.edits
        and abs(movie - media) > DURATION_TOLERANCE_S
    ):
        params = {
            "movie": round(movie, 3),
            "track": round(media, 3),
            "gap": round(abs(movie - media), 3),
            "tolerance_seconds": DURATION_TOLERANCE_S,
        }
        out.append(finding("video_duration_mismatch", Severity.WARNING, params))
    return out


def _gap_findings(track: Mp4Track) -> list[Finding]:
    if not track.deltas or not track.media_timescale:
        return []
    counts = sorted(track.deltas, key=lambda run: run[1])
    total = sum(c for c, _ in counts)
    if total < 3:
        return []
    running, median = 0, counts[-1][1]
    for count, delta in counts:
        running += count
        if running * 2 >= total:
            median = delta
            break
    scale = track.media_timescale
    at = 0
    for count, delta in track.deltas:
        if delta / scale >= max(GAP_MIN_S, GAP_FRAMES * median / scale) and at > 0:
            params = {
                "gap": round(delta / scale, 3),
                "at": round(at / scale, 3),
                "median": round(median / scale, 4),
                "threshold_seconds": GAP_MIN_S,
            }
            return [finding("video_timing_gap", Severity.WARNING, params)]
        at += count * delta
    return []


def _ffmpeg_defaults(box: Mp4Structure) -> list[Finding]:
    details: list[tuple[str, str]] = []
    if box.brands and box.brands[0] == "isom" and box.brands[1] == 512:
        details.append(("文件类型为 isom/512", "file type isom with minor version 512"))
    if any(t.vendor == "FFMP" or t.handler_vendor == "FFMP" for t in box.tracks):
        details.append(("厂商编号为 FFMP", "vendor id FFMP"))
    if _FFMPEG_KEYS & set(box.keys):
        details.append(
            (
                "带有转换程序常写的格式标记（major_brand 等键）",
                "format tags a converter usually writes (major_brand and others)",
            )
        )
    if not details:
        return []
    params = {"details": [en for _, en in details]}
    zh = "、".join(z for z, _ in details)
    en = ", ".join(e for _, e in details)
    return [finding("video_ffmpeg_defaults", Severity.INFO, params, details_zh=zh, details_en=en)]


def _origin(meta: MediaMetadata, box: Mp4Structure | None, concerns: bool) -> list[Finding]:
    keys = _all_keys(meta, box)
    device = " ".join(
        v for k in ("com.apple.quicktime.make", "com.apple.quicktime.model") if (v := keys.get(k))
    )
    android = keys.get("com.android.version") or meta.android_keys.get("com.android.version")
    if not device and android:
        device = f"Android {android}"
    created = box.created if box else meta.container_created_utc
    if not device:
        return [finding("video_no_device_keys", Severity.INFO, {})]
    if created is None:
        return []
    params = {"device": device, "time": _iso(created)}
    if concerns:
        return [finding("video_device_seen", Severity.INFO, params)]
    return [finding("video_device_origin", Severity.OK, params)]


def _parse_aware(text: str | None) -> datetime | None:
    if not text:
        return None
    text = text.strip()
    if len(text) >= 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"  # "+0800" -> "+08:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _hms(seconds: float) -> str:
    seconds = round(seconds)
    days, rest = divmod(seconds, 86400)
    clock = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return f"{days} d {clock}" if days else clock
