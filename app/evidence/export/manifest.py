"""The manifest of an export and the bundle hash.

manifest.json lists every exhibit's original (SHA-256, size, times, note, verdict, findings) and
the name it has in the ZIP, and what the export did for privacy (regions filled by reason,
metadata left out of copies). Unless the user keeps them, original file names are not in it:
the ZIP names originals by exhibit (originals/证据007.jpg) and `original_name` is null.
The bundle hash is the SHA-256 of the exact bytes of manifest.json, so anyone can check it with
`sha256sum manifest.json` and compare it with the hash printed in every PDF footer. (That is
why the hash cannot sit inside the file it hashes: the manifest says how it is computed, and
the PDF, the ZIP's SHA256SUMS and README carry its value.)
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from app.evidence.export.model import Exhibit, ExportInput
from app.evidence.models import CaptureTime
from app.evidence.winpaths import safe_component

FORMAT = "evidence-desk/manifest"
VERSION = 1
MANIFEST_NAME = "manifest.json"
PDF_NAME = "evidence-chain.pdf"
ORIGINALS_DIR = "originals"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_HIDDEN = {"Cc", "Cf", "Zl", "Zp"}


@dataclass(frozen=True)
class Manifest:
    """The manifest's exact bytes and their SHA-256 (the bundle hash)."""

    data: dict[str, Any]
    raw: bytes
    bundle_hash: str


def archive_name(exhibit: Exhibit, width: int, original_names: bool = True) -> str:
    """The original's path inside the ZIP (safe on every OS).

    originals/证据007_IMG_1234.jpg with original names kept, else originals/证据007.jpg.
    """
    name = unicodedata.normalize("NFC", exhibit.item.original_name if exhibit.item else "event")
    # control, format (bidi overrides such as U+202E, zero-width) and line-separator characters
    # make a name show differently than it is (report\u202Egpj.exe reads as reportexe.jpg)
    name = "".join("_" if unicodedata.category(ch) in _HIDDEN else ch for ch in name)
    name = _UNSAFE.sub("_", name).strip(" .") or "file"
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 8:
        stem, ext = stem[:80], "." + ext
    else:
        stem, ext = name[:80], ""
    label = f"证据{exhibit.number:0{width}d}"
    if not original_names:
        return f"{ORIGINALS_DIR}/{safe_component(label + ext.lower())}"
    return f"{ORIGINALS_DIR}/{safe_component(f'{label}_{stem}{ext}')}"  # no trailing dot/space


def build_manifest(inp: ExportInput, generator: str) -> Manifest:
    """The manifest of this export, serialised once (these bytes go everywhere)."""
    width = max(3, len(str(len(inp.exhibits))))
    info = inp.info
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "bundle_hash_rule": "bundle hash = SHA-256 of this file's bytes (sha256sum manifest.json)",
        "generator": generator,
        "exported_at": inp.exported_at.isoformat(timespec="seconds"),
        "prepared_by": inp.preparer,
        "case": {
            "title": info.title,
            "order_no": info.order_no,
            "dispute": info.dispute,
            "role": info.role,
            "timezone": info.timezone,
            "created_at": info.created_at,
            "audit_log_head": inp.audit_head,
        },
        "summary": [{"zh": f.zh, "en": f.en, "value": f.value} for f in inp.facts],
        "exhibits": [_exhibit(e, width, inp) for e in inp.exhibits],
    }
    if inp.privacy is not None:
        data["privacy"] = inp.privacy.to_json()
    raw = (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    return Manifest(data, raw, hashlib.sha256(raw).hexdigest())


def parse_manifest(raw: bytes) -> dict[str, Any]:
    """Load manifest bytes; raises ValueError when they are not an EvidenceDesk manifest."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"manifest.json is not valid JSON: {exc}") from exc
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or not isinstance(data.get("exhibits"), list)
    ):
        raise ValueError("manifest.json is not an EvidenceDesk manifest")
    # Every field verify reads must have the type export writes: an edited manifest is a
    # verification failure, never a crash inside verify.
    expected = {"archive_name": str, "sha256": str, "label": str, "original_name": str, "size": int}
    for number, entry in enumerate(data["exhibits"], start=1):
        if not isinstance(entry, dict):
            raise ValueError(f"manifest.json exhibit {number} is not an object")
        for key, kind in expected.items():
            value = entry.get(key)
            if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
                raise ValueError(f"manifest.json exhibit {number}: {key} has the wrong type")
    return data


def _time(time: CaptureTime | None) -> dict[str, Any] | None:
    if time is None:
        return None
    return {
        "local": time.local.isoformat(),
        "offset_minutes": time.offset_minutes,
        "iso": time.isoformat(),
        "source": time.source.value,
        "confidence": time.confidence,
        "note": time.note,
    }


def _exhibit(exhibit: Exhibit, width: int, inp: ExportInput) -> dict[str, Any]:
    item = exhibit.item
    entry: dict[str, Any] = {
        "number": exhibit.number,
        "label": exhibit.label,
        "title": exhibit.title,
        "time": _time(exhibit.time),
        "time_note": exhibit.time_note,
        "note": exhibit.note,
        "verdict": exhibit.verdict,
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "zh": f.title_zh,
                "en": f.title_en,
                "explanation_zh": f.explanation_zh,
                "explanation_en": f.explanation_en,
                "false_positives_zh": f.false_positives_zh,
                "false_positives_en": f.false_positives_en,
            }
            for f in exhibit.findings
        ],
    }
    if inp.privacy is not None:
        entry["redactions"] = dict(inp.privacy.exhibits).get(exhibit.label, 0)
    if item is not None:
        entry.update(
            {
                "item_id": item.id,
                "kind": item.kind.value,
                "sha256": item.sha256,
                "size": item.size,
                "format": item.format,
                "original_name": item.original_name if inp.original_names else None,
                "archive_name": archive_name(exhibit, width, inp.original_names),
                "imported_at": item.imported_at,
                "file_mtime": item.file_mtime,
                "capture_time": _time(item.capture_time),
            }
        )
    else:
        entry["kind"] = "event"
    return entry
