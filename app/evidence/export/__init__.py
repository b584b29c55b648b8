"""Export a case: the PDF evidence chain, upload packs sized per platform, the ZIP archive, verify.

Public API::

    from app.evidence.export import export_case, verify_pdf, verify_zip

    result = export_case(case, pdf=Path("chain.pdf"), pack=("taobao-buyer", Path("upload")),
                         zip_path=Path("bundle.zip"), progress=bar, cancel=token)
    check = verify_zip(Path("bundle.zip"))          # check.ok, check.problems

Modules: `model` (data and the ExportFeeds seam), `collect` (exhibits from a case), `manifest`
(manifest.json and the bundle hash), `assets` (previews), `pdf/` (the PDF), `pack/` (upload
packs and presets), `archive` (ZIP), `verify`, `api` (export_case).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.evidence.export.api import export_case
    from app.evidence.export.collect import build_export_input, collect_exhibits
    from app.evidence.export.model import (
        Assessment,
        ChecklistLine,
        ChronologyLine,
        CoverFact,
        Exhibit,
        ExhibitFinding,
        ExhibitPlan,
        ExportError,
        ExportFeeds,
        ExportInput,
        ExportResult,
        PackPage,
        PackResult,
        PackVideo,
    )
    from app.evidence.export.pack import PackPreset, load_preset, preset_ids
    from app.evidence.export.verify import (
        BundleVerification,
        VerifyProblem,
        verify_pdf,
        verify_zip,
    )

# Where each public name lives. The names are imported when first used, not with the package:
# a page picture worker imports `images` and `picture_pool` only (0.3 s and 40 MB instead of
# 1.4 s and 140 MB with reportlab, its fonts and the rest of the export).
_HOME = {
    "export_case": "api",
    "build_export_input": "collect",
    "collect_exhibits": "collect",
    **{
        name: "model"
        for name in (
            "Assessment",
            "ChecklistLine",
            "ChronologyLine",
            "CoverFact",
            "Exhibit",
            "ExhibitFinding",
            "ExhibitPlan",
            "ExportError",
            "ExportFeeds",
            "ExportInput",
            "ExportResult",
            "PackPage",
            "PackResult",
            "PackVideo",
        )
    },
    "PackPreset": "pack",
    "load_preset": "pack",
    "preset_ids": "pack",
    "BundleVerification": "verify",
    "VerifyProblem": "verify",
    "verify_pdf": "verify",
    "verify_zip": "verify",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Assessment",
    "BundleVerification",
    "ChecklistLine",
    "ChronologyLine",
    "CoverFact",
    "Exhibit",
    "ExhibitFinding",
    "ExhibitPlan",
    "ExportError",
    "ExportFeeds",
    "ExportInput",
    "ExportResult",
    "PackPage",
    "PackPreset",
    "PackResult",
    "PackVideo",
    "VerifyProblem",
    "build_export_input",
    "collect_exhibits",
    "export_case",
    "load_preset",
    "preset_ids",
    "verify_pdf",
    "verify_zip",
]
