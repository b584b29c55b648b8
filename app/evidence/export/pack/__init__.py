"""Upload packs: page images sized for a platform's evidence slots (resources/presets)."""

from __future__ import annotations

from app.evidence.export.pack.presets import PackPreset, load_preset, preset_ids, trim_description
from app.evidence.export.pack.writer import describe, write_pack

__all__ = ["PackPreset", "describe", "load_preset", "preset_ids", "trim_description", "write_pack"]
