"""China's AI-generated-content label (GB 45438-2025, in force since 2025-09-01), as written.

The standard's implicit label in file metadata is an XMP property `TC260:AIGC` (namespace
http://www.tc260.org.cn/ns/AIGC/1.0/) whose value is a JSON object with the elements Label,
ContentProducer, ProduceID, ReservedCode1, ContentPropagator, PropagateID, ReservedCode2.

Label values, as documented by implementers of the standard (the standard text itself was not
available offline): "1" the content is AI-generated/synthesised (属于), "2" possibly (可能),
"3" suspected (疑似) (OPN48/cntc260 demo.py, written against GB 45438-2025 and TC260-PG-20258A;
Tencent Cloud's COS ImageAIGCMetadata API: Label "marks whether the content is AI-generated",
ContentProducer "the AI producer's business id", ProduceID "the producer's id of this file",
ContentPropagator "the propagating platform's business id"). Any other value is reported as
written, with no meaning claimed.

    Label "1": the file declares itself AI-generated or AI-edited   alert (the file's own word)
    Label "2" / "3": a producer or platform marked it possibly / suspected AI   warning
    another value: reported as written                                info

Where it is read: the XMP packet (JPEG, PNG, WebP, HEIC: MediaMetadata.xmp), a JSON object
carrying the same elements in EXIF text fields (ImageDescription, UserComment: some cloud
services write it there), PNG text chunks, and video metadata keys and XMP.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.parsers import expat

from app.evidence.checks.model import Finding, Severity
from app.evidence.checks.photo_input import PhotoInput
from app.evidence.checks.texts import finding
from app.evidence.models import MediaMetadata
from app.evidence.readers.xmp import xmp_parser

logger = logging.getLogger(__name__)

TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"
FIELDS = (
    "Label",
    "ContentProducer",
    "ProduceID",
    "ReservedCode1",
    "ContentPropagator",
    "PropagateID",
    "ReservedCode2",
)
LABELS: dict[str, tuple[str, str]] = {
    "1": ("属于人工智能生成合成内容", "AI-generated or AI-synthesised content"),
    "2": ("可能是人工智能生成合成内容", "possibly AI-generated or AI-synthesised content"),
    "3": ("疑似人工智能生成合成内容", "suspected AI-generated or AI-synthesised content"),
}
_MAX_VALUE = 200
_EXIF_TEXT_KEYS = ("ImageDescription", "UserComment", "XPComment", "Artist", "Copyright")


@dataclass(frozen=True)
class AigcLabel:
    """One AIGC label as the file writes it.

    Attributes:
        label: the Label element as written ("1", "2", "3", or anything else).
        producer, produce_id, propagator, propagate_id: the other elements ("" when absent).
        where: "xmp", "exif:<tag>", "png:<key>" or "video:<key>".
    """

    label: str
    producer: str = ""
    produce_id: str = ""
    propagator: str = ""
    propagate_id: str = ""
    where: str = "xmp"


def read_aigc_xmp(xmp: str | None) -> str | None:
    """The value of the `TC260:AIGC` property in an XMP packet (attribute or element form)."""
    if not xmp or "tc260" not in xmp.lower():
        return None
    found: list[str] = []
    buffer: list[str] = []
    target = f"{TC260_NS} AIGC"

    def start(name: str, attrs: dict[str, str]) -> None:
        buffer.clear()
        if target in attrs:
            found.append(attrs[target])

    def end(name: str) -> None:
        if name == target and "".join(buffer).strip():
            found.append("".join(buffer).strip())
        buffer.clear()

    parser = xmp_parser(start, end, buffer)
    try:
        parser.Parse(xmp[:1_000_000].lstrip("\ufeff\x00 \r\n\t").encode("utf-8", "replace"), True)
    except (expat.ExpatError, ValueError, RecursionError):
        # A malformed packet: the attribute form, found by text ("&quot;" left as written).
        m = re.search(r"""\bAIGC\s*=\s*(["'])(.{1,4000}?)\1""", xmp, re.S)
        if m:
            found.append(m.group(2).replace("&quot;", '"').replace("&amp;", "&"))
    return found[0] if found else None


def parse_label(value: str, where: str) -> AigcLabel | None:
    """The label elements of a JSON(-ish) value; None when it has no Label element."""
    fields: dict[str, str] = {}
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        data = None
    if isinstance(data, dict) and isinstance(data.get("AIGC"), dict):
        data = data["AIGC"]
    if isinstance(data, dict):
        for key in FIELDS:
            if key in data and data[key] is not None:
                fields[key] = str(data[key])[:_MAX_VALUE]
    else:  # not JSON: pick the elements out of the text ("Label": "1", Label=1, ...)
        for key in FIELDS:
            m = re.search(rf"""["']?\b{key}\b["']?\s*[:=]\s*["']?([^"',}}|]{{0,{_MAX_VALUE}}})""",
                          value)  # fmt: skip
            if m:
                fields[key] = m.group(1).strip()
    if "Label" not in fields:
        return None
    return AigcLabel(
        label=fields["Label"].strip(),
        producer=fields.get("ContentProducer", "").strip(),
        produce_id=fields.get("ProduceID", "").strip(),
        propagator=fields.get("ContentPropagator", "").strip(),
        propagate_id=fields.get("PropagateID", "").strip(),
        where=where,
    )


def _candidates(meta: MediaMetadata, extra: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    value = read_aigc_xmp(meta.xmp)
    if value:
        yield "xmp", value
    for key in _EXIF_TEXT_KEYS:
        text = meta.raw.get(key)
        if text and "Label" in text and ("AIGC" in text or "ContentProducer" in text):
            yield f"exif:{key}", text
    for key, text in meta.png_text.items():
        if key.upper() == "AIGC" or ("Label" in text and "ContentProducer" in text):
            yield f"png:{key}", text
    yield from extra


def find_label(meta: MediaMetadata, extra: Iterable[tuple[str, str]] = ()) -> AigcLabel | None:
    """The first AIGC label the file carries, or None.

    Args:
        meta: the reader's metadata.
        extra: more (where, text) places to look (a video's metadata keys and XMP).
    """
    for where, text in _candidates(meta, extra):
        label = parse_label(text, where)
        if label is not None:
            return label
    return None


def label_finding(label: AigcLabel) -> Finding:
    """The finding for one label (see the module docstring for the severities)."""
    params = {
        "label": label.label[:40],
        "producer": label.producer or None,
        "produce_id": label.produce_id or None,
        "propagator": label.propagator or None,
        "propagate_id": label.propagate_id or None,
        "where": label.where,
        "standard": "GB 45438-2025",
    }
    who_zh = label.producer or "未写明"
    who_en = label.producer or "not named"
    via_zh = f"，传播平台：{label.propagator}" if label.propagator else ""
    via_en = f", propagated by: {label.propagator}" if label.propagator else ""
    display = {"who_zh": who_zh, "who_en": who_en, "via_zh": via_zh, "via_en": via_en}
    if label.label == "1":
        return finding("aigc_label_generated", Severity.ALERT, params, **display)
    if label.label in LABELS:
        zh, en = LABELS[label.label]
        return finding(
            "aigc_label_possible", Severity.WARNING, params, meaning_zh=zh, meaning_en=en, **display
        )
    return finding("aigc_label_other", Severity.INFO, params, **display)


def aigc_findings(photo: PhotoInput) -> list[Finding]:
    """The AIGC label of a photo or screenshot, when it carries one."""
    label = find_label(photo.meta)
    return [label_finding(label)] if label else []


def video_aigc_findings(meta: MediaMetadata, places: Iterable[tuple[str, str]]) -> list[Finding]:
    """The AIGC label of a video: metadata keys and values and the XMP."""
    label = find_label(meta, places)
    return [label_finding(label)] if label else []
