"""Text is text only when a person wrote it: graphics formats that happen to be ASCII at the
start (EPS, XPM, FITS, PNM, XBM, SVG) and runs of base64 are not tracking records. They used to
import as "tracking" and print their pixel data in the PDF."""

from __future__ import annotations

import base64
import random
from pathlib import Path

import pytest
from PIL import Image

from app.evidence.errors import UnsupportedFormat
from app.evidence.readers.sniff import HEADER_BYTES, sniff
from app.evidence.store.case import Case


def _pillow(path: Path, mode: str) -> Path:
    # colours below 0x80 so the pixel bytes are ASCII too: the hardest case for a text sniffer
    Image.new("RGB", (16, 16), (10, 20, 30)).convert(mode).save(path)
    return path


def _xpm(path: Path) -> Path:
    rows = ",\n".join(f'"{"ab" * 8}"' for _ in range(16))
    path.write_text(
        f'/* XPM */\nstatic char * icon_xpm[] = {{\n"16 16 2 1",\n"a c #FF0000",\n'
        f'"b c #0000FF",\n{rows}}};\n'
    )
    return path


def _fits(path: Path) -> Path:
    cards = [
        "SIMPLE  =                    T / conforms to FITS standard",
        "BITPIX  =                    8 / array data type",
        "NAXIS   =                    2 / number of array dimensions",
        "NAXIS1  =                   16",
        "NAXIS2  =                   16",
        "END",
    ]
    header = "".join(card.ljust(80) for card in cards).ljust(2880).encode("ascii")
    path.write_bytes(header + bytes(range(32, 32 + 64)) * 4 + b"\0" * (2880 - 256))
    return path


def _ascii_ppm(path: Path) -> Path:
    pixels = " ".join("10 20 30" for _ in range(64))
    path.write_text(f"P3\n# written by a scanner tool\n8 8\n255\n{pixels}\n")
    return path


def _svg(path: Path) -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>\n'
    )
    return path


def _base64(path: Path) -> Path:
    path.write_bytes(base64.b64encode(random.Random(7).randbytes(3000)))
    return path


MAKERS = {
    "image.eps": lambda p: _pillow(p, "RGB"),
    "image.ppm": lambda p: _pillow(p, "RGB"),
    "image.pgm": lambda p: _pillow(p, "L"),
    "image.pbm": lambda p: _pillow(p, "1"),
    "image.xbm": lambda p: _pillow(p, "1"),
    "icon.xpm": _xpm,
    "sky.fits": _fits,
    "plain.ppm": _ascii_ppm,
    "logo.svg": _svg,
    "blob.txt": _base64,
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_graphics_and_data_are_not_text(tmp_path: Path, name: str) -> None:
    path = MAKERS[name](tmp_path / name)
    with pytest.raises(UnsupportedFormat) as caught:
        sniff(path.read_bytes()[:HEADER_BYTES], name)
    assert name in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "2025-06-10 08:02 快件交给王**，正在派送途中\n2025-06-10 18:40 已签收\n",
        # tracking pasted without line breaks: one long line, still text a person pasted
        "".join(f"2025-06-1{i % 10} 0{i % 10}:00 【杭州市】快件到达【杭州】；" for i in range(80)),
        "".join(f"2025-06-10 0{i % 10}:00 Parcel arrived at Hangzhou hub. " for i in range(60)),
        "P1 priority parcel, 2025-06-10 08:02 picked up by courier\n",
        "SF1234567890123 顺丰速运\n2025-06-09 18:42 已揽收\n",
    ],
)
def test_person_written_text_is_text(text: str) -> None:
    assert sniff(text.encode()[:HEADER_BYTES], "t.txt").family == "text"
    assert sniff(text.encode("gb18030")[:HEADER_BYTES], "t.txt").family == "text"


def test_importing_them_gives_one_line_each_and_text_still_imports(tmp_path: Path) -> None:
    from app.evidence.ingest.importer import iter_import

    src = tmp_path / "in"
    src.mkdir()
    for name, make in MAKERS.items():
        make(src / name)
    (src / "track.txt").write_text("2025-06-10 08:02 快件交给王**，正在派送途中\n", "utf-8")
    with Case.create(tmp_path / "case", "t") as case:
        results = {Path(r.path).name: r for r in iter_import(case, [src])}
        items = case.items()
    assert results["track.txt"].status == "imported"
    assert [i.original_name for i in items] == ["track.txt"]
    for name in MAKERS:
        assert results[name].status == "failed", name
        assert results[name].message and "\n" not in results[name].message
