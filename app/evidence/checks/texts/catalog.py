"""Every finding code's texts in one mapping."""

from __future__ import annotations

from app.evidence.checks.texts import FindingText
from app.evidence.checks.texts.features import FEATURE_TEXTS
from app.evidence.checks.texts.photo import PHOTO_TEXTS
from app.evidence.checks.texts.pixels import PIXEL_TEXTS
from app.evidence.checks.texts.routes import ROUTE_TEXTS
from app.evidence.checks.texts.timing import TIMING_TEXTS
from app.evidence.checks.texts.video import VIDEO_TEXTS

CATALOG: dict[str, FindingText] = {
    **PHOTO_TEXTS,
    **PIXEL_TEXTS,
    **TIMING_TEXTS,
    **VIDEO_TEXTS,
    **FEATURE_TEXTS,
    **ROUTE_TEXTS,
}
