"""The "Get files from your phone" guide (从手机导入): its data, and the page to open for a file
found not to be an original."""

from __future__ import annotations

from app.evidence.phone_guide import (
    GENERAL_ROUTE,
    Family,
    Figure,
    Folder,
    PhoneGuide,
    Route,
    Source,
    Step,
    load_guide,
    route_for_finding,
    route_for_findings,
)

__all__ = [
    "GENERAL_ROUTE",
    "Family",
    "Figure",
    "Folder",
    "PhoneGuide",
    "Route",
    "Source",
    "Step",
    "load_guide",
    "route_for_finding",
    "route_for_findings",
]
