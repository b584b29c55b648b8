"""Typed settings over QSettings (UI only; the core receives plain option values)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from PySide6.QtCore import QSettings

MAX_RECENT = 10


DEFAULT_PRESETS = {"buyer": "taobao-buyer", "seller": "tmall-seller"}
"""The upload-pack preset of a first export, by the case's role."""


class Settings:
    """The user's preferences and recent cases."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._s = qsettings or QSettings("EvidenceDesk", "EvidenceDesk")

    def recent_cases(self) -> list[Path]:
        """Recently opened case folders that still exist, newest first, each folder once (the
        same case reached through another spelling or a link counts once)."""
        raw = cast("list[str]", self._s.value("recent_cases", [], list) or [])
        seen: dict[Path, None] = {}
        for p in raw:
            if Path(p, "case.sqlite").is_file():
                seen.setdefault(Path(p).resolve(), None)
        return list(seen)

    def add_recent_case(self, path: Path) -> None:
        """Put a case at the top of the recent list."""
        items = [str(path.resolve())] + [
            str(p) for p in self.recent_cases() if p.resolve() != path.resolve()
        ]
        self._s.setValue("recent_cases", items[:MAX_RECENT])

    @property
    def language(self) -> str:
        """ "zh_CN" (default) or "en"."""
        return str(self._s.value("language", "zh_CN"))

    @language.setter
    def language(self, value: str) -> None:
        self._s.setValue("language", value)

    @property
    def chat_me_side(self) -> str:
        """Which side of a chat screenshot is the user: "right" (default) or "left"."""
        return str(self._s.value("chat_me_side", "right"))

    @chat_me_side.setter
    def chat_me_side(self, value: str) -> None:
        self._s.setValue("chat_me_side", value)

    def export_preset(self, role: str) -> str:
        """The upload-pack preset last used for a case of this role ("buyer" or "seller"): a
        seller's case never opens on the buyer's slots because a buyer's case was exported last."""
        role = role if role in DEFAULT_PRESETS else "buyer"
        return str(self._s.value(f"export_preset/{role}", DEFAULT_PRESETS[role]))

    def set_export_preset(self, role: str, preset: str) -> None:
        """Remember the preset chosen for a case of this role."""
        role = role if role in DEFAULT_PRESETS else "buyer"
        self._s.setValue(f"export_preset/{role}", preset)

    @property
    def last_archive(self) -> Path | None:
        """The shipping archive opened last, reopened with the archive window; None when there
        is none or its folder no longer holds an archive (moved, deleted, an unplugged drive)."""
        from app.evidence.service.archive import DB_NAME  # the archive package only when asked

        raw = str(self._s.value("last_archive", "") or "")
        if not raw or not Path(raw, DB_NAME).is_file():
            return None
        return Path(raw)

    @last_archive.setter
    def last_archive(self, path: Path | None) -> None:
        self._s.setValue("last_archive", str(Path(path).resolve()) if path else "")
