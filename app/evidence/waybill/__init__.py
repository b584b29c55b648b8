"""Waybill barcodes and QR codes in packing videos and waybill photos.

Typical use::

    from app.evidence.waybill import read_waybills

    scan = read_waybills(Path("VID_20250609_101500.mp4"), progress=bar, cancel=token)
    scan.waybill        # "SF1234567890123": the number read in most frames
    scan.carrier        # "SF" (from the number's shape; the user confirms)
    scan.flags          # two waybills, a waybill read two ways, label not seen at the end ...
    scan.continuity     # duration, last sighting, frame-time jumps, recorded before pickup?
    item_metadata["waybill_scan"] = scan.to_json()   # what the dispute checklist looks for

Modules: `scan` (read_waybills), `decode` (one picture: zxing-cpp, then OpenCV-located
retries), `planner` (which frames), `keyframes` / `sequential` (frame sources), `capture`
(opening videos), `consensus` (many reads -> one answer), `continuity` (packing-video
indicators), `names` (waybill numbers in file names), `files` (input checks, photo
pixels), `model` (data).
"""

from __future__ import annotations

from app.evidence.waybill.consensus import carrier_of, waybill_numbers_in
from app.evidence.waybill.decode import looks_like_waybill
from app.evidence.waybill.model import (
    CodeRead,
    Continuity,
    ScanFlag,
    ScanOptions,
    WaybillNumber,
    WaybillScan,
)
from app.evidence.waybill.scan import read_waybills

__all__ = [
    "CodeRead",
    "Continuity",
    "ScanFlag",
    "ScanOptions",
    "WaybillNumber",
    "WaybillScan",
    "carrier_of",
    "looks_like_waybill",
    "read_waybills",
    "waybill_numbers_in",
]
