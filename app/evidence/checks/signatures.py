"""The signature tables in resources/signatures/, loaded once and matched.

Tables are data (each row with its source); this module only reads and matches them:
    editors.json        program names in photos -> category (editor, chat_app, os, ...)
    video_tools.json    program names in videos -> category (muxer, software_encoder, ...)
    quant_tables.json   JPEG quantization tables of cameras and editors
    camera_models.json  how a camera model lays out its JPEG files
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProgramMatch:
    """What a program name is: category, the table's name for it, and the row's source."""

    category: str
    name: str
    source: str
    why: str
    matched: str = ""  # the part of the text that matched, as written (e.g. "Photoshop")


@dataclass(frozen=True)
class VideoTool:
    """One row of video_tools.json, compiled."""

    name: str
    pattern: re.Pattern[str]
    where: frozenset[str]
    category: str
    source: str
    why: str


@functools.cache
def _table(name: str) -> dict[str, Any]:
    node = files("resources").joinpath("signatures").joinpath(name)
    data = json.loads(node.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"signature table {name} is not a JSON object")
    return data


@functools.cache
def _editor_rows() -> tuple[list[tuple[re.Pattern[str], dict[str, Any]]], ...]:
    data = _table("editors.json")
    tools = [(re.compile(r["pattern"], re.I), r) for r in data["tools"]]
    system = [(re.compile(r["pattern"], re.I), r) for r in data["not_editors"]]
    return tools, system


def classify_program(text: str) -> ProgramMatch:
    """Classify a program name found in a picture (editors first, then OS/firmware versions)."""
    tools, system = _editor_rows()
    for pattern, row in tools:
        found = pattern.search(text)
        if found:
            matched = found.group(0).strip() or row["name"]
            return ProgramMatch(row["category"], row["name"], row["source"], row["why"], matched)
    for pattern, row in system:
        if pattern.search(text.strip()):
            return ProgramMatch("os", row["what"], row["source"], row["why"])
    return ProgramMatch("unknown", text.strip()[:60], "", "")


def png_text_key(key: str) -> ProgramMatch | None:
    """A PNG text chunk whose key alone says which kind of program wrote it."""
    for row in _table("editors.json").get("png_text_keys", []):
        if row["key"].lower() == key.lower():
            name = f"PNG text '{row['key']}'"
            return ProgramMatch(row["category"], name, row["source"], row["why"])
    return None


@functools.cache
def video_tools() -> tuple[VideoTool, ...]:
    """The compiled rows of video_tools.json."""
    return tuple(
        VideoTool(
            name=r["name"],
            pattern=re.compile(r["pattern"], re.I),
            where=frozenset(r["where"]),
            category=r["category"],
            source=r["source"],
            why=r["why"],
        )
        for r in _table("video_tools.json")["tools"]
    )


def match_video_tool(text: str, where: str) -> VideoTool | None:
    """The first video tool whose pattern matches `text` in field family `where`."""
    for tool in video_tools():
        if where in tool.where and tool.pattern.search(text.strip()):
            return tool
    return None


def quant_knowledge() -> dict[str, Any]:
    """quant_tables.json as loaded."""
    return _table("quant_tables.json")


def camera_model(make: str | None, model: str | None) -> dict[str, Any] | None:
    """The layout row of camera_models.json for this make and model, if known."""
    if not make or not model:
        return None
    for row in _table("camera_models.json")["models"]:
        if _same(row["make"], make) and _same(row["model"], model):
            return dict(row)
    return None


def same_name(a: str | None, b: str | None) -> bool:
    """Make/model names compared the way cameras write them (case, spaces, trailing dots)."""
    return bool(a and b) and _same(a or "", b or "")


def _same(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"[\s.,]+", " ", s).strip().lower()

    return norm(a) == norm(b)
