"""XMP packets: the text, the few fields the reader keeps, and the edit details checks need.

Parsed with expat without DTDs (a packet carrying a DOCTYPE is refused), bounded in size.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

_MAX_RAW_VALUE = 256
_MAX_XMP_CHARS = 1_000_000


@dataclass
class XmpPacket:
    text: str
    fields: dict[str, str] = field(default_factory=dict)


_XMP_NAMESPACES = {
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/photoshop/1.0/": "photoshop",
    "http://ns.adobe.com/exif/1.0/": "exif",
    "http://ns.adobe.com/tiff/1.0/": "tiff",
    "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#": "stEvt",
    "http://ns.adobe.com/xap/1.0/mm/": "xmpMM",
}
_XMP_KEEP = {
    "xmp:CreatorTool", "xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate",
    "photoshop:DateCreated", "exif:DateTimeOriginal", "exif:PixelXDimension",
    "exif:PixelYDimension", "tiff:Make", "tiff:Model", "tiff:Orientation", "tiff:Software",
    "stEvt:softwareAgent", "stEvt:action", "xmpMM:OriginalDocumentID",
}  # fmt: skip


def xmp_parser(
    start: Callable[[str, dict[str, str]], None], end: Callable[[str], None], text: list[str]
) -> expat.XMLParserType:
    """An expat parser for an XMP packet: element names as "namespace-uri local", character
    data appended to `text`, a DTD refused with ValueError (no entities to expand)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    parser.StartDoctypeDeclHandler = _refuse_dtd
    return parser


def _refuse_dtd(*_: Any) -> None:
    raise ValueError("XMP must not carry a DTD")


def read_xmp(blob: bytes | str, warns: list[str]) -> XmpPacket | None:
    """The XMP packet as text plus the fields later checks use, parsed without DTDs."""
    if isinstance(blob, bytes):
        if blob.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = blob.decode("utf-16", "replace")
        else:
            text = blob.decode("utf-8", "replace")
    else:
        text = blob
    text = text.strip("\x00 \r\n\t")
    if not text:
        return None
    xmp = XmpPacket(text=text[:_MAX_XMP_CHARS])
    if len(text) > _MAX_XMP_CHARS:
        warns.append("The XMP metadata is unusually large; only the first part is kept.")
    found: dict[str, list[str]] = {}
    buffer: list[str] = []

    def qname(name: str) -> str | None:
        uri, _, local = name.rpartition(" ")
        prefix = _XMP_NAMESPACES.get(uri)
        return f"{prefix}:{local}" if prefix and f"{prefix}:{local}" in _XMP_KEEP else None

    def start(name: str, attrs: dict[str, str]) -> None:
        buffer.clear()
        for key, value in attrs.items():
            if (q := qname(key)) is not None:
                found.setdefault(q, []).append(value)

    def end(name: str) -> None:
        value = "".join(buffer).strip()
        if value and (q := qname(name)) is not None:
            found.setdefault(q, []).append(value)
        buffer.clear()

    parser = xmp_parser(start, end, buffer)
    try:
        parser.Parse(text.lstrip("\ufeff").encode("utf-8"), True)
    except (expat.ExpatError, ValueError) as exc:
        warns.append(f"The XMP metadata is malformed ({str(exc)[:60]}); some of it may be missing.")
        for prefix, local, value in re.findall(
            r"\b(xmp|xap|photoshop|exif):(CreateDate|DateCreated|DateTimeOriginal|CreatorTool)"
            r"""\s*(?:=\s*["']|>)([^"'<]{1,100})""",
            text,
        ):
            prefix = "xmp" if prefix == "xap" else prefix
            found.setdefault(f"{prefix}:{local}", []).append(value)
    for key, values in found.items():
        xmp.fields[f"XMP:{key}"] = "; ".join(dict.fromkeys(values))[:_MAX_RAW_VALUE]
    return xmp


# ------------------------------------------------------------------------- edit details for checks

_DETAIL_NAMESPACES = {
    **_XMP_NAMESPACES,
    "http://ns.adobe.com/xap/1.0/sType/ResourceRef#": "stRef",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "adobe:ns:meta/": "x",
}
_DETAIL_FIELDS = {
    "xmp:CreatorTool", "xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate",
    "xmpMM:DocumentID", "xmpMM:OriginalDocumentID", "xmpMM:InstanceID",
    "tiff:ImageWidth", "tiff:ImageLength", "exif:PixelXDimension", "exif:PixelYDimension",
    "x:xmptk", "photoshop:History",
}  # fmt: skip
_MAX_EVENTS = 200
_MAX_NAMESPACES = 64


@dataclass(frozen=True)
class XmpEvent:
    """One `xmpMM:History` entry (stEvt:*): what a tool did to the document, and when."""

    action: str | None = None
    when: str | None = None
    software_agent: str | None = None
    changed: str | None = None


@dataclass(frozen=True)
class XmpDetails:
    """What an XMP packet says about the tools that wrote it and the document's history.

    Attributes:
        fields: the first value of each field in `_DETAIL_FIELDS` ("xmp:CreatorTool", ...).
        history: `xmpMM:History` events in order (at most 200).
        derived_from: `xmpMM:DerivedFrom` references ("stRef:documentID", "stRef:instanceID").
        ancestors: number of `photoshop:DocumentAncestors` entries (documents pasted in).
        namespaces: namespace URIs declared in the packet (at most 64), e.g. a phone's own.
        malformed: the packet could not be parsed as XML; fields come from a text search.
    """

    fields: dict[str, str] = field(default_factory=dict)
    history: tuple[XmpEvent, ...] = ()
    derived_from: dict[str, str] = field(default_factory=dict)
    ancestors: int = 0
    namespaces: tuple[str, ...] = ()
    malformed: bool = False

    def get(self, key: str) -> str | None:
        """A field's value ("xmp:CreatorTool"), or None."""
        return self.fields.get(key)


def parse_xmp_details(text: str) -> XmpDetails:
    """Parse the tool and history facts of an XMP packet (never raises; DTDs are refused).

    Args:
        text: the packet as text (`MediaMetadata.xmp`).
    """
    text = text[:_MAX_XMP_CHARS].lstrip("\ufeff\x00 \r\n\t")
    fields: dict[str, str] = {}
    events: list[dict[str, str]] = []
    derived: dict[str, str] = {}
    namespaces: list[str] = []
    stack: list[str] = []
    buffer: list[str] = []
    ancestors = 0

    def qname(name: str) -> str:
        uri, _, local = name.rpartition(" ")
        prefix = _DETAIL_NAMESPACES.get(uri)
        return f"{prefix}:{local}" if prefix else local

    def put(key: str, value: str) -> None:
        value = value.strip()[:_MAX_RAW_VALUE]
        if not value:
            return
        if "xmpMM:History" in stack and key.startswith("stEvt:") and events:
            events[-1].setdefault(key, value)
        elif "xmpMM:DerivedFrom" in stack and key.startswith("stRef:"):
            derived.setdefault(key, value)
        elif key in _DETAIL_FIELDS:
            fields.setdefault(key, value)

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal ancestors
        buffer.clear()
        q = qname(name)
        stack.append(q)
        if q == "rdf:li" and "xmpMM:History" in stack and len(events) < _MAX_EVENTS:
            events.append({})
        if q == "rdf:li" and "photoshop:DocumentAncestors" in stack:
            ancestors += 1
        if q == "xmpMM:DerivedFrom":
            derived.setdefault("present", "yes")
        for key, value in attrs.items():
            put(qname(key), value)

    def end(name: str) -> None:
        put(qname(name), "".join(buffer))
        buffer.clear()
        if stack:
            stack.pop()

    def namespace(prefix: str | None, uri: str) -> None:
        if len(namespaces) < _MAX_NAMESPACES and uri not in namespaces:
            namespaces.append(uri)

    parser = xmp_parser(start, end, buffer)
    parser.StartNamespaceDeclHandler = namespace
    try:
        parser.Parse(text.encode("utf-8", "replace"), True)
    except (expat.ExpatError, ValueError, RecursionError):
        return _details_by_search(text)
    history = tuple(
        XmpEvent(
            action=e.get("stEvt:action"),
            when=e.get("stEvt:when"),
            software_agent=e.get("stEvt:softwareAgent"),
            changed=e.get("stEvt:changed"),
        )
        for e in events
        if e
    )
    return XmpDetails(fields, history, derived, ancestors, tuple(namespaces))


def _details_by_search(text: str) -> XmpDetails:
    """A malformed packet: pick the telling fields out of the text."""
    fields: dict[str, str] = {}
    for prefix, local, value in re.findall(
        r"\b(xmp|xap|xmpMM|xapMM):(CreatorTool|DocumentID|OriginalDocumentID|ModifyDate|MetadataDate)"
        r"""\s*(?:=\s*["']|>)([^"'<]{1,200})""",
        text,
    ):
        prefix = {"xap": "xmp", "xapMM": "xmpMM"}.get(prefix, prefix)
        fields.setdefault(f"{prefix}:{local}", value.strip())
    actions = re.findall(r"""stEvt:action\s*(?:=\s*["']|>)([^"'<]{1,40})""", text)[:_MAX_EVENTS]
    agents = re.findall(r"""stEvt:softwareAgent\s*(?:=\s*["']|>)([^"'<]{1,200})""", text)
    history = tuple(
        XmpEvent(action=a, software_agent=agents[i] if i < len(agents) else None)
        for i, a in enumerate(actions)
    )
    derived = {"present": "yes"} if re.search(r"\b(xmpMM|xapMM):DerivedFrom\b", text) else {}
    return XmpDetails(fields=fields, history=history, derived_from=derived, malformed=True)
