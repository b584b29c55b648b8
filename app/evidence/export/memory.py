"""Moved to `app.evidence.memory` (import and checks need it too); kept for existing imports."""

from app.evidence.memory import limit_heap_growth

__all__ = ["limit_heap_growth"]
