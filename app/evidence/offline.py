"""Process-wide settings that keep the native libraries we load from reaching the network.

onnxruntime (under the OCR) ships with telemetry on: from 1.29 its Linux and macOS builds
upload usage events to the vendor's collector (mobile.events.data.microsoft.com, HTTPS) from
C++, keep a device identifier and an event cache under ~/.cache/Microsoft/DeveloperTools, and
Windows builds emit ETW events. Measured with onnxruntime 1.32 on Linux: an OCR run longer than
about 11 s looked the collector up in DNS (strace: connect to port 53, query
"mobile.events.data.microsoft.com"; with a network it then opens TLS to port 443).

The only switch that stops all of it is the environment variable, read by onnxruntime's C++ once,
when the module is first imported (measured: set after `import onnxruntime` it changes nothing;
`onnxruntime.disable_telemetry_events()` alone silences later events but the lookup, the device
identifier and the cache still happen). So `disable_telemetry()` runs from `app/__init__.py`,
before any module of the app can import onnxruntime, and the OCR engine calls it again (and the
API) right before it builds its sessions. Both names are set: 1.29-1.32 read
ORT_DISABLE_TELEMETRY, later releases ORT_TELEMETRY_DISABLED.

The other native libraries were checked and need no switch (see `disable_telemetry`'s notes);
tests/robustness/test_no_network.py runs the whole command line under strace to hold all of this.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)

TELEMETRY_OFF = {"ORT_DISABLE_TELEMETRY": "1", "ORT_TELEMETRY_DISABLED": "1"}
"""Environment variables onnxruntime reads at import to turn its telemetry off entirely."""

_state: dict[str, bool | None] = {"set_before_onnxruntime": None}


def disable_telemetry() -> None:
    """Turn native telemetry off for this process; call before onnxruntime is imported.

    Idempotent and cheap. Values are forced (a user's ORT_DISABLE_TELEMETRY=0 does not turn it
    back on). When onnxruntime is already loaded its runtime switch is used as well.

    Audit of the other native libraries (none phones home on its own; each reaches the network
    only when handed a URL, and the app hands them paths with a folder in them): libmediainfo
    (libcurl inside: it fetches the URLs in a DASH/HLS manifest given by a bare file name, not
    with a folder in the path), FFmpeg through PyAV (network protocols for URLs), pypdfium2,
    OpenCV, zxing-cpp, Pillow, reportlab (fetches an image only for a URL), Qt (the window uses
    no QtNetwork), c2pa-python (remote manifests and OCSP off in checks/provenance.py).
    """
    if _state["set_before_onnxruntime"] is None:
        _state["set_before_onnxruntime"] = "onnxruntime" not in sys.modules
    os.environ.update(TELEMETRY_OFF)
    ort = sys.modules.get("onnxruntime")
    if ort is not None:
        disable_onnxruntime_events(ort)


def disable_onnxruntime_events(ort: object) -> None:
    """Call onnxruntime's own switch (effective for events after it; Windows ETW included)."""
    switch = getattr(ort, "disable_telemetry_events", None)
    if switch is None:
        return
    try:
        switch()
    except Exception as exc:  # an older or odd build: the environment variable still holds
        log.debug("onnxruntime.disable_telemetry_events failed: %s", exc)


def telemetry_disabled_in_time() -> bool:
    """Whether the environment switch was set before onnxruntime was first imported."""
    return bool(_state["set_before_onnxruntime"])
