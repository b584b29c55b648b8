"""C2PA Content Credentials, read and validated offline with c2pa-python (research §4.2).

Reading never touches the network: remote manifest fetching and OCSP are switched off through
the reader's own Context (c2pa-python 0.38: `Settings` + `Context`), so a file that only points
to credentials stored online is reported as such, not fetched, and certificate revocation is
never checked (said in every validated finding). Measured with `strace -f -e trace=connect`:
no connect() with these settings, one connect() to the manifest's URL with the defaults.

    no credentials                                   nothing (absence never counts: most phones
                                                     write none; iCloud and chat apps strip them)
    signature and hashes valid (Trusted or Valid)    info, with the signer; "Valid" = the signing
                                                     certificate is not on a trust list here
    validation failed (Invalid)                      warning: bytes changed after signing
    the active manifest's actions change content     alert (crop, edit, drawing, placed, removed)
        (a warning when the manifest itself failed validation)
    actions that re-save or adjust only              warning (resize, rotate, colour, transcode)
    a source type of AI-generated media              alert
    credentials only referenced online               info (not fetched)
    c2pa-python not installed                        info (present, not validated)
"""

from __future__ import annotations

import importlib
import json
import logging
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.evidence.checks.model import Finding, Severity
from app.evidence.checks.texts import finding

logger = logging.getLogger(__name__)

OFFLINE_SETTINGS: dict[str, Any] = {
    "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
}
"""The reader's settings: no remote manifests, no OCSP (revocation is therefore not checked)."""

CONTENT_ACTIONS = {
    "c2pa.cropped": ("裁剪", "cropped"),
    "c2pa.drawing": ("绘制", "drawing"),
    "c2pa.edited": ("编辑", "edited"),
    "c2pa.placed": ("置入其他内容", "placed other content"),
    "c2pa.removed": ("移除内容", "removed content"),
    "c2pa.redacted": ("遮盖内容", "redacted"),
}
"""Actions that change what the picture shows -> (zh, en)."""

RESAVE_ACTIONS = {
    "c2pa.resized": ("缩放", "resized"),
    "c2pa.orientation": ("旋转", "rotated"),
    "c2pa.color_adjustments": ("调色", "colour adjustments"),
    "c2pa.filtered": ("滤镜", "filtered"),
    "c2pa.transcoded": ("转码", "transcoded"),
    "c2pa.converted": ("转换格式", "converted"),
    "c2pa.repackaged": ("重新封装", "repackaged"),
    "c2pa.edited.metadata": ("修改元数据", "metadata edited"),
    "c2pa.watermarked": ("加水印", "watermarked"),
}
"""Actions that re-save or adjust the file without changing what it shows -> (zh, en)."""

AI_SOURCE_TYPES = (
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
    "algorithmicMedia",
    "compositeSynthetic",
)
"""IPTC digital source types (the URI's last part) that declare generated or synthetic media."""

_C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")  # C2PA's BMFF uuid box
_MAX_ACTIONS = 20


@dataclass(frozen=True)
class C2paReport:
    """What the active manifest says and how it validated.

    Attributes:
        state: "Trusted", "Valid" or "Invalid" (c2pa-python's validation state).
        signer: the certificate's organisation (issuer) and common name.
        generator: the claim generator (the program that signed).
        failures, informational: validation status codes.
        actions: (action, software agent) pairs of the active manifest.
        source_types: digital source types named by its actions.
    """

    state: str
    signer: str | None = None
    generator: str | None = None
    failures: tuple[str, ...] = ()
    informational: tuple[str, ...] = ()
    actions: tuple[tuple[str, str | None], ...] = ()
    source_types: tuple[str, ...] = field(default_factory=tuple)


class RemoteOnly(Exception):
    """The file only references a manifest stored online (not fetched)."""


def c2pa_present_in(path: Path, fmt: str) -> bool:
    """A C2PA store in a HEIF/MP4 (`uuid` box) or WebP (`C2PA` chunk) file (top level only)."""
    try:
        with path.open("rb") as fh:
            if fmt == "webp":
                head = fh.read(12)
                if head[:4] != b"RIFF":
                    return False
                for _ in range(256):
                    chunk = fh.read(8)
                    if len(chunk) < 8:
                        return False
                    kind, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
                    if kind == b"C2PA":
                        return True
                    fh.seek(size + (size & 1), 1)
                return False
            fh.seek(0, 2)
            total = fh.tell()
            pos = 0
            for _ in range(256):
                if pos + 8 > total:
                    return False
                fh.seek(pos)
                header = fh.read(24)
                size, kind = struct.unpack(">I4s", header[:8])
                if size == 1:
                    size = struct.unpack(">Q", header[8:16])[0]
                elif size == 0:
                    size = total - pos
                if kind == b"uuid" and _C2PA_UUID in header:
                    return True
                if size < 8:
                    return False
                pos += size
    except (OSError, struct.error):
        return False
    return False


def c2pa_findings(path: Path, present: bool, enabled: bool) -> list[Finding]:
    """Report Content Credentials: validated offline when c2pa-python is installed.

    Args:
        path: the file.
        present: the file's structure shows a C2PA store (JPEG APP11, PNG caBX, HEIF/MP4 uuid,
            WebP chunk).
        enabled: read and validate it (CheckOptions.c2pa).
    """
    if not present or not enabled:
        return [_not_validated("c2pa disabled")] if present else []
    try:
        report = read_c2pa(path)
    except RemoteOnly as exc:
        return [finding("c2pa_remote_only", Severity.INFO, {"url": str(exc)[:200]})]
    except ImportError:
        return [_not_validated("c2pa-python not installed")]
    if report is None:
        return [finding("c2pa_unreadable", Severity.INFO, {})]
    return report_findings(report)


def _not_validated(reason: str) -> Finding:
    if reason.startswith("c2pa-python"):
        zh, en = (
            "本机没有安装校验组件，未校验签名。",
            "The validation library is not installed here; the signature was not checked.",
        )
    else:
        zh, en = (
            "按设置未校验签名。",
            "Validation is switched off; the signature was not checked.",
        )
    params = {"validated": False, "library": reason}
    return finding("c2pa_present", Severity.INFO, params, status_zh=zh, status_en=en)


def read_c2pa(path: Path) -> C2paReport | None:
    """Read and validate the active manifest offline.

    Returns:
        The report, or None when the store cannot be read (damaged, unsupported).

    Raises:
        ImportError: c2pa-python is not installed.
        RemoteOnly: the file only references a remote manifest (not fetched).
    """
    c2pa: Any = importlib.import_module("c2pa")
    try:
        context = c2pa.Context(c2pa.Settings.from_dict(OFFLINE_SETTINGS))
        with c2pa.Reader(str(path), context=context) as reader:
            store = json.loads(reader.json())
            state = str(reader.get_validation_state() or "")
            results = reader.get_validation_results() or {}
    except Exception as exc:  # ManifestNotFound, Remote, damaged stores: never a crash
        text = str(exc)
        if "remote" in type(exc).__name__.lower() or text.startswith("Remote:"):
            raise RemoteOnly(text.rsplit(" ", 1)[-1]) from exc
        logger.debug("c2pa could not read %s: %s", path, exc)
        return None
    return _report(store, state, results)


def _report(store: dict[str, Any], state: str, results: dict[str, Any]) -> C2paReport:
    active = store.get("manifests", {}).get(store.get("active_manifest", ""), {})
    info = active.get("signature_info") or {}
    signer = " / ".join(str(v) for v in (info.get("issuer"), info.get("common_name")) if v)
    gens = active.get("claim_generator_info") or []
    generator = None
    if gens and isinstance(gens[0], dict):
        generator = " ".join(str(gens[0].get(k)) for k in ("name", "version") if gens[0].get(k))
    generator = generator or active.get("claim_generator")
    current = results.get("activeManifest") or {}
    failures = tuple(str(x.get("code")) for x in current.get("failure", []) if x.get("code"))
    infos = tuple(str(x.get("code")) for x in current.get("informational", []) if x.get("code"))
    if not state:
        state = (
            "Invalid" if [f for f in failures if f != "signingCredential.untrusted"] else "Valid"
        )
    actions: list[tuple[str, str | None]] = []
    sources: list[str] = []
    for assertion in active.get("assertions", []):
        if not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue
        for act in (assertion.get("data") or {}).get("actions", [])[:_MAX_ACTIONS]:
            agent = act.get("softwareAgent")
            if isinstance(agent, dict):
                agent = " ".join(str(agent.get(k)) for k in ("name", "version") if agent.get(k))
            actions.append((str(act.get("action")), str(agent) if agent else None))
            source = act.get("digitalSourceType")
            if source:
                sources.append(str(source).rstrip("/").rsplit("/", 1)[-1])
    return C2paReport(
        state=state,
        signer=signer or None,
        generator=generator,
        failures=failures,
        informational=infos,
        actions=tuple(actions),
        source_types=tuple(dict.fromkeys(sources)),
    )


def report_findings(report: C2paReport) -> list[Finding]:
    """The findings for one validated manifest (see the module docstring)."""
    valid = report.state.lower() in ("valid", "trusted")
    trusted = report.state.lower() == "trusted"
    base = {
        "validation_state": report.state,
        "trusted": trusted,
        "signer": report.signer,
        "generator": report.generator,
        "revocation_checked": False,
    }
    who = {"signer_zh": report.signer or "未知", "signer_en": report.signer or "unknown"}
    out: list[Finding] = []
    if valid:
        trust = (
            (
                "签名证书在信任列表中（Trusted）",
                "the signing certificate is on a trust list (Trusted)",
            )
            if trusted
            else (
                "签名证书不在本机的信任列表中（Valid，未受信任）：签名者身份未经核实",
                "the signing certificate is not on a trust list here (Valid, untrusted): the "
                "signer's identity is not confirmed",
            )
        )
        out.append(
            finding("c2pa_valid", Severity.INFO, base, trust_zh=trust[0], trust_en=trust[1], **who)
        )
    else:
        params = {**base, "failures": list(report.failures[:10])}
        out.append(finding("c2pa_invalid", Severity.WARNING, params, **who))
    content = [(a, t) for a, t in report.actions if a in CONTENT_ACTIONS]
    resave = [(a, t) for a, t in report.actions if a in RESAVE_ACTIONS]
    for group, table, severity in (
        (content, CONTENT_ACTIONS, Severity.ALERT if valid else Severity.WARNING),
        (resave, RESAVE_ACTIONS, Severity.WARNING),
    ):
        if not group:
            continue
        tools = sorted(
            {t for _, t in group if t} | ({report.generator} if report.generator else set())
        )
        zh = "、".join(dict.fromkeys(table[a][0] for a, _ in group))
        en = ", ".join(dict.fromkeys(table[a][1] for a, _ in group))
        params = {**base, "actions": [a for a, _ in group], "tools": tools[:5]}
        code = "c2pa_edit_actions" if table is CONTENT_ACTIONS else "c2pa_resave_actions"
        out.append(
            finding(
                code, severity, params, what_zh=zh, what_en=en,
                tool_zh="、".join(tools) or "未写明", tool_en=", ".join(tools) or "not named",
            )
        )  # fmt: skip
    ai = [s for s in report.source_types if s in AI_SOURCE_TYPES]
    if ai:
        params = {**base, "source_types": ai}
        severity = Severity.ALERT if valid else Severity.WARNING
        out.append(finding("c2pa_ai_generated", severity, params, **who))
    return out
