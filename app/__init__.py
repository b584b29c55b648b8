"""EvidenceDesk (举证助手).

Native video libraries print their own diagnostics straight to the terminal ("[mov,mp4 @ 0x…]
moov atom not found", "[ WARN:0@0.07] global cap.cpp…"). The app reports each file's problem in
its own words, so they are silenced before OpenCV is first imported; set the variables to see
them when debugging. Native telemetry (onnxruntime's) is switched off here too, before anything
can import it: see app/evidence/offline.py.
"""

import os

os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET

from app.evidence.offline import disable_telemetry  # noqa: E402 - after the variables above

disable_telemetry()
