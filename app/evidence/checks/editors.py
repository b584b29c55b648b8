"""Program names and edit history left in a picture (research §9.1 J1, J2; §9.2 P1).

Where a program may have written its name: EXIF Software and ProcessingSoftware, XMP
CreatorTool, the softwareAgent of XMP history events, the XMP toolkit, JPEG COM comments and PNG
text chunks. Each name is classified with resources/signatures/editors.json; an OS version or a
firmware build in Software is not an editor. Photoshop image resources (APP13) and the XMP edit
history (History, DerivedFrom, DocumentID vs OriginalDocumentID) are read here as well.
"""

from __future__ import annotations

import re

from app.evidence.checks.model import Finding, Severity
from app.evidence.checks.photo_input import PhotoInput
from app.evidence.checks.signatures import ProgramMatch, classify_program, png_text_key
from app.evidence.checks.texts import finding
from app.evidence.checks.verdict import PROGRAM_CODE, PROGRAM_SEVERITY
from app.evidence.readers.xmp import XmpEvent

_IPTC_ONLY = {0x0404, 0x0425}  # IPTC-NAA record and its digest: written by many IPTC tools
_MAX_EVENTS_SHOWN = 6
_PNG_TEXT_MAX = 200
# where an unknown name is still worth showing: fields that name software, never free text (a JPEG
# comment or a PNG Comment is often a person's words, a home-folder path; see readers/png.py)
_NAME_FIELDS = ("software", "png_text")


def program_findings(photo: PhotoInput) -> list[Finding]:
    """One finding per program found (an OS version only where it is the Software tag)."""
    places: dict[tuple[str, str], list[tuple[str, str, ProgramMatch]]] = {}
    for where, value in _program_texts(photo):
        match = classify_program(value)
        named = match.category not in ("os", "unknown")
        if not named and where not in _NAME_FIELDS:
            continue  # a toolkit or agent string that names no known tool says nothing
        places.setdefault((match.category, match.name if named else value), []).append(
            (where, value, match)
        )
    for key in photo.meta.png_text:
        keyed = png_text_key(key)
        if keyed is not None:
            places.setdefault((keyed.category, keyed.name), []).append(("png_text", key, keyed))
    return [_program_finding(found) for found in places.values()] + _photoshop_findings(photo)


def history_findings(photo: PhotoInput) -> list[Finding]:
    """XMP edit history, DerivedFrom, and a document saved under a new DocumentID."""
    xmp = photo.xmp
    if xmp is None:
        return _rating_or_tags(photo)  # Windows writes stars and padding into EXIF alone
    out: list[Finding] = []
    if xmp.history:
        shown = [_event_text(e) for e in xmp.history[:_MAX_EVENTS_SHOWN]]
        if len(xmp.history) > _MAX_EVENTS_SHOWN:
            shown.append(f"… (+{len(xmp.history) - _MAX_EVENTS_SHOWN})")
        params = {
            "count": len(xmp.history),
            "actions": sorted({e.action for e in xmp.history if e.action}),
            "agents": sorted({e.software_agent for e in xmp.history if e.software_agent})[:10],
        }
        out.append(finding("xmp_history", Severity.ALERT, params, events=shown))
    if xmp.derived_from:
        document = xmp.derived_from.get("stRef:documentID") or xmp.derived_from.get(
            "stRef:instanceID", "?"
        )
        out.append(finding("xmp_derived_from", Severity.ALERT, {"document": document}))
    out.extend(_rating_or_tags(photo))
    doc, original = xmp.get("xmpMM:DocumentID"), xmp.get("xmpMM:OriginalDocumentID")
    if doc and original and doc != original:
        params = {"document_id": doc, "original_id": original}
        out.append(finding("xmp_document_ids_differ", Severity.WARNING, params))
    return out


# XMP fields photo managers and viewers write back into a file (Windows Photo Gallery's
# MicrosoftPhoto namespace, Lightroom/Bridge keywords, digiKam tags, Picasa/MWG face regions).
_MANAGER_FIELDS = re.compile(
    r"\b(MicrosoftPhoto:[A-Za-z]+|dc:subject|lr:hierarchicalSubject|digiKam:TagsList|"
    r"mwg-rs:Regions|MP:RegionInfo|photoshop:SupplementalCategories|xmp:Label)\b"
)
_RATING = re.compile(r"\bxmp:Rating\s*(?:=\s*[\"']|>)\s*(-?\d+)")


def _rating_or_tags(photo: PhotoInput) -> list[Finding]:
    """A camera file whose XMP carries a rating, tags or face regions: a manager wrote it back."""
    text = photo.meta.xmp or ""
    raw = photo.meta.raw
    if photo.is_screenshot or not (photo.meta.make or photo.meta.model):
        return []
    fields = sorted(set(_MANAGER_FIELDS.findall(text)))
    rating = _RATING.search(text)
    if rating and rating.group(1) not in ("0",):
        fields.insert(0, f"xmp:Rating={rating.group(1)}")
    for tag in ("Rating", "RatingPercent"):  # EXIF 0x4746/0x4749: Windows Explorer's stars
        if raw.get(tag, "0").strip() not in ("", "0"):
            fields.append(f"EXIF {tag}={raw[tag].strip()[:8]}")
    if any(key.endswith("0xEA1C") for key in raw):  # Microsoft's padding tag: Windows wrote it
        fields.append("EXIF Padding (0xEA1C, Windows)")
    if not fields:
        return []
    return [finding("metadata_rewritten", Severity.WARNING, {"fields": fields[:12]})]


def _event_text(event: XmpEvent) -> str:
    agent = f"({event.software_agent})" if event.software_agent else ""
    return " ".join(p for p in ((event.when or "")[:19], event.action or "?", agent) if p)


def _program_texts(photo: PhotoInput) -> list[tuple[str, str]]:
    meta, xmp = photo.meta, photo.xmp
    texts: list[tuple[str, str | None]] = [
        ("software", meta.software),
        ("processing", meta.raw.get("ProcessingSoftware")),
        ("comment", meta.jpeg_comment),
    ]
    if xmp is not None:
        texts.append(("creator_tool", xmp.get("xmp:CreatorTool")))
        texts.append(("toolkit", xmp.get("x:xmptk")))
        texts.extend(("history", e.software_agent) for e in xmp.history if e.software_agent)
    for key, value in meta.png_text.items():
        if key.lower() in ("software", "comment", "description", "author", "source", "title"):
            texts.append(("png_text", value[:_PNG_TEXT_MAX]))
    return [(where, value.strip()) for where, value in texts if value and value.strip()]


def _program_finding(places: list[tuple[str, str, ProgramMatch]]) -> Finding:
    where, value, match = places[0]
    severity = PROGRAM_SEVERITY[match.category]
    params: dict[str, object] = {
        "where": where,
        "value": value[:_PNG_TEXT_MAX],
        "tool": match.matched or match.name,
        "table_row": match.name,
        "category": match.category,
        "table_source": match.source,
    }
    also = list(dict.fromkeys(w for w, _, _ in places[1:] if w != where))
    if also:
        params["also_in"] = also
    if match.category == "os":
        what_zh = "手机系统或相机固件的版本号"
        return finding("os_software", severity, params, what_zh=what_zh, what_en=match.name)
    return finding(PROGRAM_CODE[match.category], severity, params)


def _photoshop_findings(photo: PhotoInput) -> list[Finding]:
    jpeg = photo.jpeg
    if jpeg is None or not jpeg.photoshop_resources:
        return []
    ids = sorted(set(jpeg.photoshop_resources))
    params = {
        "resources": [f"0x{r:04X}" for r in ids],
        "photoshop_quality": jpeg.photoshop_quality,
    }
    if set(ids) - _IPTC_ONLY:
        quality = jpeg.photoshop_quality
        return [
            finding(
                "photoshop_resources",
                Severity.ALERT,
                params,
                quality_zh="未记录" if quality is None else f"{quality}（0–12）",
                quality_en="not recorded" if quality is None else f"{quality} (0-12)",
            )
        ]
    return [finding("iptc_block", Severity.INFO, params)]
