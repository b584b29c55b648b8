"""C2PA Content Credentials, when c2pa-python happens to be installed (no hard dependency).

Research §4.2: reading must not fetch remote manifests, and "Valid (untrusted)" must be told
apart from "Trusted". Absence of credentials proves nothing; platforms strip them.
"""

from __future__ import annotations

import importlib
import json
import logging
from pathlib import Path
from typing import Any

from app.evidence.checks.model import Finding, Severity
from app.evidence.checks.texts import finding

logger = logging.getLogger(__name__)

_OFFLINE_SETTINGS = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}


def c2pa_findings(path: Path, present: bool, enabled: bool) -> list[Finding]:
    """Report Content Credentials: validated with c2pa-python when available, else noted."""
    if not present and not enabled:
        return []
    report = _read_manifest(path) if enabled else None
    if report is None:
        if not present:
            return []
        params = {"validated": False, "library": "c2pa-python not installed"}
        return [
            finding(
                "c2pa_present",
                Severity.INFO,
                params,
                status_zh="本机没有安装校验组件，未校验签名。",
                status_en="The validation library is not installed here; the signature was "
                "not checked.",
            )
        ]
    signer, state = report
    params = {"validated": True, "signer": signer, "validation_state": state}
    ok = state.lower() in ("valid", "trusted")
    return [
        finding(
            "c2pa_present",
            Severity.INFO if ok else Severity.WARNING,
            params,
            status_zh=f"签名者：{signer or '未知'}；校验结果：{state}（离线校验，未联网取证书）。",
            status_en=f"Signed by: {signer or 'unknown'}; validation: {state} (offline, no "
            "remote fetching).",
        )
    ]


def _read_manifest(path: Path) -> tuple[str | None, str] | None:
    try:
        c2pa: Any = importlib.import_module("c2pa")
    except ImportError:
        return None
    try:
        if hasattr(c2pa, "load_settings"):
            c2pa.load_settings(json.dumps(_OFFLINE_SETTINGS))
        with c2pa.Reader(str(path)) as reader:
            store = json.loads(reader.json())
    except Exception as exc:  # no manifest, or a library error: say nothing rather than guess
        logger.debug("c2pa could not read %s: %s", path, exc)
        return None
    active = store.get("manifests", {}).get(store.get("active_manifest", ""), {})
    signer = (active.get("signature_info") or {}).get("issuer")
    state = store.get("validation_state")
    if not state:
        state = "Invalid" if store.get("validation_status") else "Valid"
    return signer, str(state)
