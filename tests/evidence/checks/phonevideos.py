"""Phone-like videos written with PyAV (the FFmpeg libraries the app already bundles).

Each maker carries the traits of a phone recording as the phones write them: Apple QuickTime
keys (com.apple.quicktime.*, written with movflags use_metadata_tags), Android keys
(com.android.version, com.android.capture.fps), the recorders' handler names ("Core Media
Video", "VideoHandle"), HEVC, HDR colour tags (HLG: arib-std-b67, PQ: smpte2084 with BT.2020),
high frame rates. `fflags +bitexact` keeps FFmpeg from writing its own name, and x265 runs with
`info=0` (no settings SEI), because a phone's hardware encoder writes neither; the software
encoder is the generator's, not a trait under test. The "re-encoded by an editor" makers leave
FFmpeg's and x264's names in, as a converter or editor does.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from av.bitstream import BitStreamFilterContext

APPLE = {
    "com.apple.quicktime.make": "Apple",
    "com.apple.quicktime.model": "iPhone 15 Pro",
    "com.apple.quicktime.software": "17.5.1",
    "com.apple.quicktime.creationdate": "2026-03-01T10:20:30+0800",
    "com.apple.quicktime.location.ISO6709": "+31.2304+121.4737+004.000/",
    "creation_time": "2026-03-01T02:20:30.000000Z",
}
ANDROID = {
    "com.android.version": "14",
    "creation_time": "2026-03-01T02:20:30.000000Z",
}
QUIET = {"x265-params": "info=0:log-level=error"}
PHONE_MUX = {"movflags": "use_metadata_tags", "fflags": "+bitexact"}
HLG = {"color_primaries": 9, "color_trc": 18, "colorspace": 9}  # BT.2020, ARIB STD-B67
PQ = {"color_primaries": 9, "color_trc": 16, "colorspace": 9}  # BT.2020, SMPTE ST 2084


def write_video(
    path: Path,
    *,
    codec: str = "libx265",
    fps: int = 30,
    frames: int = 30,
    size: tuple[int, int] = (320, 240),
    pix_fmt: str = "yuv420p",
    tags: dict[str, str] | None = None,
    mux: dict[str, str] | None = None,
    handler: str | None = None,
    encoder_options: dict[str, str] | None = None,
    colour: dict[str, int] | None = None,
    pts: list[int] | None = None,
    strip_sei: bool = False,
) -> Path:
    """Encode a short moving picture with the given container tags and stream settings.

    Args:
        pts: presentation times in 1/fps units (a variable frame rate when not evenly spaced).
        strip_sei: drop H.264 SEI units (x264's settings message), as a hardware encoder
            writes none.
    """
    container: Any = av.open(str(path), "w", options=dict(mux or {}))
    container.metadata.update(tags or {})
    stream: Any = container.add_stream(codec, rate=fps)
    stream.width, stream.height = size
    stream.pix_fmt = pix_fmt
    stream.time_base = Fraction(1, fps)
    stream.codec_context.time_base = Fraction(1, fps)
    if encoder_options:
        stream.options = dict(encoder_options)
    if handler:
        stream.metadata["handler_name"] = handler
    for key, value in (colour or {}).items():
        setattr(stream.codec_context, key, value)
    bsf = BitStreamFilterContext("filter_units=remove_types=6", stream) if strip_sei else None

    def mux(packets: Any) -> None:
        for packet in packets:
            for out in bsf.filter(packet) if bsf is not None else [packet]:
                out.stream = stream
                container.mux(out)

    for i in range(frames):
        rgb = np.full((size[1], size[0], 3), (i * 7) % 255, np.uint8)
        rgb[:, : (i * 9) % size[0]] = (200, 80, 40)
        frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
        frame.pts = pts[i] if pts else i
        frame.time_base = Fraction(1, fps)
        mux(stream.encode(frame))
    mux(stream.encode())
    if bsf is not None:
        mux([None])  # flush the filter
    container.close()
    return path


def iphone(path: Path, **extra: Any) -> Path:
    """An iPhone HEVC MOV: Apple keys, Core Media handler."""
    tags = {**APPLE, **extra.pop("tags", {})}
    return write_video(
        path, tags=tags, mux=PHONE_MUX, handler="Core Media Video", encoder_options=QUIET, **extra
    )


def android(path: Path, **extra: Any) -> Path:
    """An Android HEVC MP4: com.android.version, VideoHandle."""
    tags = {**ANDROID, **extra.pop("tags", {})}
    return write_video(
        path, tags=tags, mux=PHONE_MUX, handler="VideoHandle", encoder_options=QUIET, **extra
    )
