"""The manifest as a file attachment inside the PDF, and reading it back for `verify`.

The PDF carries manifest.json as an embedded file (PDF 1.7 §7.11.4: the catalog's Names tree,
a Filespec, an EmbeddedFile stream), so a PDF on its own is a self-describing bundle: PDF readers
list it under attachments, and `verify OUT.pdf` recomputes its SHA-256 against the bundle hash
in the document information. reportlab has no attachment API; the objects are built with its
low-level pdfdoc classes.

Reading back is deliberately narrow: it understands the PDFs this module writes (uncompressed
object dictionaries, a Flate-compressed stream), not arbitrary PDFs.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFString,
    PDFZCompress,
)

_EMBEDDED = re.compile(rb"<<([^<>]*?/Type\s*/EmbeddedFile[^<>]*?)>>\s*stream\r?\n", re.S)
_LENGTH = re.compile(rb"/Length\s+(\d+)")
_KEYWORDS = re.compile(rb"/Keywords\s*\((.*?)(?<!\\)\)", re.S)
_HASH = re.compile(r"bundle-sha256:([0-9a-f]{64})")


@dataclass(frozen=True)
class PdfContents:
    """What `read_pdf` found in an EvidenceDesk PDF.

    Attributes:
        manifest: the attached manifest.json bytes, None when missing.
        recorded_hash: the bundle hash from the document information, None when missing.
        eof_marks: number of %%EOF marks; more than one means the PDF was saved again by an
            editor (an incremental update appends its changes after the first one).
    """

    manifest: bytes | None
    recorded_hash: str | None
    eof_marks: int


def attach_file(canvas: Any, name: str, data: bytes, mime: str, description: str) -> None:
    """Attach `data` as an embedded file named `name` (call once, just before saving)."""
    doc = canvas._doc
    stream = PDFStream(
        # A name with "/" in it must be escaped (#2F); reportlab's PDFName leaves "/" alone.
        PDFDictionary({"Type": PDFName("EmbeddedFile"), "Subtype": "/" + mime.replace("/", "#2F")}),
        content=data,
        filters=[PDFZCompress],
    )
    spec = PDFDictionary(
        {
            "Type": PDFName("Filespec"),
            "F": PDFString(name),
            "UF": PDFString(name),
            "Desc": PDFString(description),
            "AFRelationship": PDFName("Data"),
            "EF": PDFDictionary({"F": doc.Reference(stream)}),
        }
    )
    tree = PDFDictionary({"Names": PDFArray([PDFString(name), doc.Reference(spec)])})
    doc.Catalog.Names = doc.Reference(PDFDictionary({"EmbeddedFiles": tree}))


def read_pdf(data: bytes) -> PdfContents:
    """Find the attached manifest and the recorded bundle hash in PDF bytes."""
    manifest = None
    match = _EMBEDDED.search(data)
    if match:
        length = _LENGTH.search(match.group(1))
        if length:
            start = match.end()
            raw = data[start : start + int(length.group(1))]
            try:
                manifest = zlib.decompress(raw) if b"FlateDecode" in match.group(1) else raw
            except zlib.error:
                manifest = None
    recorded = None
    keywords = _KEYWORDS.search(data)
    if keywords:
        found = _HASH.search(keywords.group(1).decode("latin-1"))
        recorded = found.group(1) if found else None
    return PdfContents(manifest, recorded, data.count(b"%%EOF"))
