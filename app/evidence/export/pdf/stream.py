"""Flat memory for large PDFs: images are read when written, objects go to disk as formatted.

reportlab keeps every image's bytes from `drawImage` until `save`, then assembles the whole file
in memory before writing it: for 500 photo exhibits that is well over 100 MB of JPEG data held
twice. Two small extensions keep memory flat whatever the case size:

- `draw_jpeg` registers a `LazyJpeg` image XObject that remembers the file's path and size and
  reads the bytes only when the object is written (DCTDecode pass-through, as reportlab does with
  `useA85 = 0`, so the JPEG in the PDF is the file byte for byte);
- `StreamingDocument.format` is reportlab's own object loop (adapted from
  `reportlab.pdfbase.pdfdoc.PDFDocument.format`, BSD licence) writing each object to the output
  as soon as it is formatted instead of collecting them.

Both use reportlab internals that have been stable for many releases (`_doc.idToObject`,
`getXObjectName`, `addForm`, `_formsinuse`); the tests read the PDFs back with pypdf and poppler.
"""

from __future__ import annotations

import hashlib
from typing import Any, BinaryIO

from PIL import Image
from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFCrossReferenceTable,
    PDFDictionary,
    PDFDocument,
    PDFFile,
    PDFIndirectObject,
    PDFName,
    PDFObject,
    PDFTrailer,
    pdfdocEnc,
)
from reportlab.pdfgen.canvas import Canvas


class LazyJpeg(PDFObject):
    """An image XObject whose JPEG bytes are read from disk only when the PDF is written."""

    def __init__(self, path: str) -> None:
        with Image.open(path) as im:  # header only
            self.width, self.height = im.size
            self.colour = "DeviceGray" if im.mode == "L" else "DeviceRGB"
            if im.format != "JPEG" or im.mode not in ("L", "RGB"):
                raise ValueError(
                    f"{path}: draw_jpeg needs an RGB or grey JPEG, not {im.format} {im.mode}"
                )
        self.path = path

    def format(self, document: Any) -> bytes:
        """The stream object, with the file's bytes as its content."""
        with open(self.path, "rb") as handle:
            data = handle.read()
        data = document.encrypt.encode(data)
        head = PDFDictionary(
            {
                "Type": PDFName("XObject"),
                "Subtype": PDFName("Image"),
                "Width": self.width,
                "Height": self.height,
                "BitsPerComponent": 8,
                "ColorSpace": PDFName(self.colour),
                "Filter": PDFArray([PDFName("DCTDecode")]),
                "Length": len(data),
            }
        ).format(document)
        return head + b"\nstream\n" + data + b"endstream\n"


def draw_jpeg(canvas: Canvas, path: str, x: float, y: float, width: float, height: float) -> None:
    """Draw a JPEG file like `canvas.drawImage(path, ...)`, without holding its bytes."""
    doc = canvas._doc
    name = "lazy" + hashlib.sha1(path.encode("utf-8")).hexdigest()
    reg = doc.getXObjectName(name)
    if reg not in doc.idToObject:
        doc.Reference(LazyJpeg(path), reg)
        doc.addForm(name, doc.idToObject[reg])
    canvas._currentPageHasImages = 1
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width, height)
    canvas._code.append(f"/{reg} Do")
    canvas.restoreState()
    canvas._formsinuse.append(name)


class _StreamingFile(PDFFile):
    """reportlab's output collector, writing straight to a file instead of a list."""

    def __init__(self, out: BinaryIO, pdf_version: Any) -> None:
        self.strings: list[bytes] = []
        self.write = out.write  # type: ignore[method-assign,assignment]
        self.offset = 0
        major, minor = pdf_version
        self.add(pdfdocEnc(f"%PDF-{major}.{minor}") + b"\n%\223\214\213\236 EvidenceDesk\n")

    def format(self, document: Any) -> bytes:
        return b""  # everything is written already


class StreamingDocument(PDFDocument):
    """A PDFDocument whose `format` writes objects to `stream_out` one by one."""

    stream_out: BinaryIO

    def format(self) -> bytes:
        """Write the objects, cross-reference table and trailer; returns b"" (all written)."""
        self.encrypt.prepare(self)
        cat, info = self.Catalog, self.info
        self.Reference(cat)
        self.Reference(info)
        encrypt_info = self.encrypt.info()
        encrypt_ref = self.Reference(encrypt_info) if encrypt_info else None
        out = _StreamingFile(self.stream_out, self._pdfVersion)
        ids = []
        counter = 0
        while True:  # objects may register new objects while they are formatted
            counter += 1
            if counter not in self.numberToId:
                break
            oid = self.numberToId[counter]
            formatted = PDFIndirectObject(oid, self.idToObject[oid]).format(self)
            if not rl_config.invariant and rl_config.pdfComments:
                kind = type(self.idToObject[oid]).__name__[:50]
                out.add(f"% {ascii(oid)}: class {kind} \n")
            self.idToOffset[oid] = out.add(formatted)
            ids.append(oid)
        if counter - 1 != len(self.numberToId):
            raise ValueError(f"object count {counter - 1} does not match {len(self.numberToId)}")
        xref = PDFCrossReferenceTable()
        xref.addsection(0, ids)
        start = out.add(xref.format(self))
        trailer = PDFTrailer(
            startxref=start,
            Size=len(self.numberToId) + 1,
            Root=self.Reference(cat),
            Info=self.Reference(info),
            Encrypt=encrypt_ref,
            ID=self.ID(),
        )
        out.add(trailer.format(self))
        return b""


def stream_canvas(canvas: Canvas, out: BinaryIO) -> None:
    """Make `canvas` write its document straight into `out` when saved."""
    canvas._doc.__class__ = StreamingDocument
    canvas._doc.stream_out = out
