"""PNG text chunks hold people's words: only fields that name software are ever reported.

A PNG with Author, Comment (a home-folder path), Description, Copyright, Title, Source,
Disclaimer and made-up keys used to come out in the PDF and manifest.json as "a program name
is recorded: <the text>". Now the reader keeps those values to itself (the key stays, so the
privacy page still counts "comments and text chunks"), and the export never shows them.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from app.cli import main as cli_main
from app.evidence.readers.image import read_image

PERSONAL = {
    "Author": "Zhang Wei AUTHORMARK",
    "Comment": "/home/zhangwei/Pictures/COMMENTMARK.png",
    "Description": "DESCRIPTIONMARK for the landlord",
    "Copyright": "COPYRIGHTMARK Zhang",
    "Title": "TITLEMARK",
    "Source": "SOURCEMARK iPhone of Zhang",
    "Disclaimer": "DISCLAIMERMARK",
    "Warning": "WARNINGMARK",
    "MyNotes": "ARBITRARYMARK 13812345678",
}
ITXT = ("Remark", "ITXTMARK 张伟的截图")
MARKS = [*(f"{key.upper()}MARK" for key in PERSONAL if key != "MyNotes"), "ARBITRARYMARK"]
MARKS += ["ITXTMARK", "zhangwei", "13812345678", "张伟"]


def personal_png(path: Path, software: str | None = None) -> Path:
    image = Image.new("RGB", (640, 480), (200, 180, 160))
    ImageDraw.Draw(image).rectangle((100, 100, 400, 300), fill=(20, 60, 120))
    info = PngInfo()
    for key, value in PERSONAL.items():
        info.add_text(key, value)
    info.add_itxt(*ITXT, zip=True)
    info.add_text("Creation Time", "2025-06-12T19:31:00+08:00")
    if software:
        info.add_text("Software", software)
    image.save(path, pnginfo=info)
    return path


def test_reader_keeps_keys_but_not_personal_values(tmp_path: Path) -> None:
    meta = read_image(personal_png(tmp_path / "a.png", software="GIMP 2.10.36"))
    assert set(PERSONAL) | {ITXT[0]} <= set(meta.png_text)
    assert all(meta.png_text[key] == "" for key in (*PERSONAL, ITXT[0]))
    assert meta.png_text["Software"] == "GIMP 2.10.36"
    assert meta.png_text["Creation Time"] == "2025-06-12T19:31:00+08:00"
    assert meta.capture_time is not None
    assert not any(mark in json.dumps(meta.png_text, ensure_ascii=False) for mark in MARKS)


def test_export_prints_software_but_no_personal_text(tmp_path: Path) -> None:
    edited = personal_png(tmp_path / "edited.png", software="GIMP 2.10.36")
    unknown = personal_png(tmp_path / "unknown.png", software="Frobnicator 3")
    plain = personal_png(tmp_path / "plain.png")
    root, out = tmp_path / "case", tmp_path / "out"
    assert cli_main(["new", str(root), "--title", "t"]) == 0
    assert cli_main(["add", str(root), str(edited), str(unknown), str(plain)]) == 0
    pdf, bundle = out / "chain.pdf", out / "bundle.zip"
    assert (
        cli_main(["export", str(root), "--pdf", str(pdf), "--zip", str(bundle), "--my-checklist"])
        == 0
    )
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    with zipfile.ZipFile(bundle) as archive:
        manifest = archive.read("manifest.json").decode("utf-8")
    for output in (text, manifest):
        assert [mark for mark in MARKS if mark in output] == []
    flat = " ".join(text.split())
    assert "GIMP 2.10.36" in flat  # a Software field still names the editor
    assert "Frobnicator 3" in flat  # and an unknown program is still reported as one
    assert "comments and text chunks" in flat  # the privacy page still says they were there


def test_a_jpeg_comment_that_names_no_program_is_not_printed(tmp_path: Path) -> None:
    """The same for a JPEG COM segment: free text is shown only when it names a known program."""
    personal, known = tmp_path / "personal.jpg", tmp_path / "gd.jpg"
    Image.new("RGB", (640, 480), (120, 130, 140)).save(
        personal, comment=b"/home/zhangwei/Pictures/JPEGCOMMENTMARK.jpg"
    )
    Image.new("RGB", (640, 480), (140, 130, 120)).save(
        known, comment=b"CREATOR: gd-jpeg v1.0 (using IJG JPEG v62), quality = 80"
    )
    root, pdf = tmp_path / "case", tmp_path / "out" / "chain.pdf"
    assert cli_main(["new", str(root), "--title", "t"]) == 0
    assert cli_main(["add", str(root), str(personal), str(known)]) == 0
    assert cli_main(["export", str(root), "--pdf", str(pdf), "--my-checklist"]) == 0
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "JPEGCOMMENTMARK" not in text and "zhangwei" not in text
    assert "gd-jpeg" in text  # a comment that names a known program is still reported
