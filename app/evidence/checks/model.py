"""The plain data of integrity checks: findings, verdicts and one file's result.

A `Finding` says what was seen, what it usually means and when it misleads, in Chinese and
English, with the parameters the check used (so a result can be reproduced and contested).
`Severity` and `Verdict` live in app.evidence.models (the shared vocabulary, which the labels
and the front ends read) and are re-exported here. A `FileCheck` is one file's answer;
`FileCheck.to_json` is the shape `evidence-desk check --json` prints for each file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.evidence.models import CaptureTime, MediaMetadata, Severity, Verdict

__all__ = ["CheckOptions", "FileCheck", "Finding", "Severity", "Traits", "Verdict"]


@dataclass(frozen=True)
class Finding:
    """One thing a check saw.

    Attributes:
        code: stable identifier ("editor_trace", "thumbnail_content_mismatch", ...).
        severity: see `Severity`.
        title_zh, title_en: a short headline.
        explanation_zh, explanation_en: what was seen and what it usually means, in plain words.
        false_positives: {"zh": ..., "en": ...}: when this finding misleads.
        params: the values the check saw and the thresholds it used (JSON-ready).
    """

    code: str
    severity: Severity
    title_zh: str
    title_en: str
    explanation_zh: str
    explanation_en: str
    false_positives: dict[str, str] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The finding as the JSON object of `check --json`."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "explanation_zh": self.explanation_zh,
            "explanation_en": self.explanation_en,
            "false_positives": dict(self.false_positives),
            "params": dict(self.params),
        }


@dataclass(frozen=True)
class CheckOptions:
    """What to run.

    Attributes:
        thumbnail: compare the EXIF thumbnail with the picture (decodes the picture at 1/8
            scale; the slowest photo check).
        c2pa: read C2PA Content Credentials when c2pa-python is installed (offline).
        thumbnail_found: the thumbnail comparison's findings already made from the import's
            one decode of this file (checks.import_decode); None: compare here.
    """

    thumbnail: bool = True
    c2pa: bool = True
    thumbnail_found: tuple[Finding, ...] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Traits:
    """What cross-item checks compare between files (not part of the JSON output).

    Attributes:
        make, model: the claimed device.
        software: the EXIF Software / encoder text as written.
        program_category: the signature-table category of that program ("os", "editor", ...).
        quant_signature: the quantization tables, as text, for photos.
        skeleton: the JPEG encoder markers ("DQT2 DRI SOF0 DHT4 SOS").
        size: stored pixel size.
    """

    make: str | None = None
    model: str | None = None
    software: str | None = None
    program_category: str | None = None
    quant_signature: str | None = None
    skeleton: str | None = None
    size: tuple[int, int] | None = None


@dataclass(frozen=True)
class FileCheck:
    """The integrity answer for one file.

    Attributes:
        path: the file as given (loose files) or the vault path inside the case (items).
        sha256: hex digest of the bytes; None when the file could not be read at all.
        kind: "photo", "screenshot", "video", ... (None when the content was not recognised).
        verdict: see `Verdict`.
        capture_time: the best capture time the reader found, with its source.
        findings: everything the checks saw, strongest first.
        metadata: the reader's metadata (None when unreadable).
        traits: what cross-item checks compare.
    """

    path: str
    sha256: str | None
    kind: str | None
    verdict: Verdict
    capture_time: CaptureTime | None = None
    findings: tuple[Finding, ...] = ()
    metadata: MediaMetadata | None = None
    traits: Traits = field(default_factory=Traits)

    @property
    def capture_time_source(self) -> str | None:
        """Where the capture time came from ("exif", "quicktime", ...), or None."""
        return self.capture_time.source.value if self.capture_time else None

    def to_json(self) -> dict[str, Any]:
        """One entry of `check --json`'s "files" list (exactly the documented keys)."""
        return {
            "path": self.path,
            "sha256": self.sha256,
            "kind": self.kind,
            "verdict": self.verdict.value,
            "capture_time": self.capture_time.isoformat() if self.capture_time else None,
            "capture_time_source": self.capture_time_source,
            "findings": [f.to_json() for f in self.findings],
        }
