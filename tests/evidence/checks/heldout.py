"""A held-out-style test set written from the corpus originals (Pillow, byte rewrites, ffmpeg).

Every case has a truth: "camera_original" (untouched copies under new names and dates),
"edited" (metadata-only rewrites, pixel edits saved back with the camera's EXIF, crops, editor
screenshots, re-encoded or trimmed videos), "recompressed" (chat-app style copies) or "unknown"
(an untouched screenshot). The bars: no original may be called anything but camera_original,
no edited or recompressed file may be called camera_original.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pillow_heif
from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from tests.evidence.checks import exifbytes

pillow_heif.register_heif_opener()

JPEG_SOURCES = {
    "iphone6": "photos/originals/iphone_6.jpg",
    "nokia": "photos/originals/hmd_nokia_8.3_5g.jpg",
    "jolla": "photos/originals/jolla.jpg",
}
HEIC_SOURCE = "photos/originals/iphone_13_pro_max.heic"
SCREENSHOT = "synthetic/screenshots/chat_part1.png"
VIDEOS = {
    "android": "synthetic/videos/packing_android_sf.mp4",
    "iphone": "synthetic/videos/unboxing_iphone_zto.mov",
}
DTO = 0x9003
_FAST_HEIC = {"quality": 60, "enc_params": {"preset": "ultrafast"}}  # x265 at full speed
# Issue 16: an alert decides `edited` only when measured at precision >= 0.98
# (app/evidence/checks/edit_deciders.py). The thumbnail comparison decides: the iPhone 6
# source's pixel edits are `edited`. The Nokia and Jolla sources carry no EXIF thumbnail and the
# HEIC none the check reads, so their pixel edits show only as re-saves: "recompressed".
_PIXEL_EDIT = "recompressed"


@dataclass(frozen=True)
class Case:
    """One generated file and what a careful examiner would say about it."""

    name: str
    path: Path
    truth: str
    how: str
    expect: str = ""  # the verdict expected when it is not the truth itself (see `build`)


def build(corpus: Path, out: Path, videos: bool = True) -> list[Case]:
    """Write the whole set into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(
        name: str, truth: str, how: str, write: Callable[[Path], None], expect: str = ""
    ) -> None:
        path = out / name
        write(path)
        os.utime(path, (1_750_000_000, 1_750_000_000))  # a new file date, as after a copy
        cases.append(Case(name, path, truth, how, expect or truth))

    for key, rel in JPEG_SOURCES.items():
        _jpeg_cases(add, key, (corpus / rel).read_bytes())
    _heic_cases(add, corpus / HEIC_SOURCE)
    _screenshot_cases(add, corpus / SCREENSHOT)
    if videos and shutil.which("ffmpeg"):
        for key, rel in VIDEOS.items():
            _video_cases(add, key, corpus / rel)
    return cases


def _save_bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _jpeg_cases(add: Callable, key: str, data: bytes) -> None:
    im = Image.open(io.BytesIO(data))
    exif = im.info["exif"]
    add(
        f"IMG_{key}_copy.jpg",
        "camera_original",
        "untouched copy, new name and date",
        _save_bytes(data),
    )
    add(
        f"{key}_software_ps.jpg",
        "edited",
        "EXIF Software set to Photoshop (metadata only)",
        _save_bytes(exifbytes.rewrite_exif(data, {0x0131: "Adobe Photoshop 25.0 (Windows)"})),
        expect="recompressed",  # an editor's name alone: measured below 0.98 on real files
    )
    add(
        f"{key}_xmp_history.jpg",
        "edited",
        "XMP edit history added (metadata only)",
        _save_bytes(exifbytes.insert_xmp(data, exifbytes.history_xmp())),
        expect="recompressed",  # an edit history alone: measured below 0.98 on real files
    )
    original = im.getexif().get_ifd(0x8769).get(DTO)
    assert isinstance(original, str)
    shifted = _shift_text(
        original.strip("\x00"), days=1 if key != "nokia" else 0, hours=-3 if key == "nokia" else 0
    )
    add(
        f"{key}_dto_shifted.jpg",
        "edited",
        f"DateTimeOriginal {original} -> {shifted} in place",
        _save_bytes(exifbytes.patch_exif_ascii(data, DTO, shifted)),
        expect="recompressed",  # dates that disagree: metadata rewritten, content unchanged
    )
    if key == "iphone6":  # all three EXIF dates moved 5 h, as `exiftool -AllDates+=5` does
        moved = data
        for tag in (DTO, 0x9004, 0x0132):
            moved = exifbytes.patch_exif_ascii(
                moved, tag, _shift_text(original.strip("\x00"), hours=5)
            )
        # Only the zone implied against the GPS position gives it away: a warning, so the file
        # reaches "recompressed" (not an original) rather than "edited".
        add(
            f"{key}_alldates_shifted.jpg",
            "edited",
            "all EXIF dates +5 h in place",
            _save_bytes(moved),
            expect="recompressed",
        )
    rgb = im.convert("RGB")
    edited = rgb.copy()
    w, h = edited.size
    ImageDraw.Draw(edited).rectangle(
        (w // 3, h // 3, w // 3 + w // 4, h // 3 + h // 4), fill=(128, 40, 40)
    )
    add(
        f"{key}_pixel_edit.jpg",
        "edited",
        "rectangle painted, saved with the original EXIF (Pillow q75)",
        lambda p: edited.save(p, exif=exif),
        expect="edited" if key == "iphone6" else _PIXEL_EDIT,
    )
    add(
        f"{key}_pixel_edit_q95.jpg",
        "edited",
        "rectangle painted, saved with the original EXIF at q95",
        lambda p: edited.save(p, exif=exif, quality=95, icc_profile=im.info.get("icc_profile")),
        expect="edited" if key == "iphone6" else _PIXEL_EDIT,
    )
    cloned = rgb.copy()
    cloned.paste(rgb.crop((0, 0, w // 4, h // 4)), (w // 2, h // 2))
    add(
        f"{key}_clone_keep_tables.jpg",
        "edited",
        "copy-move, saved with EXIF and the original tables",
        lambda p: cloned.save(p, exif=exif, qtables=im.quantization, subsampling=2),
        expect="edited" if key == "iphone6" else _PIXEL_EDIT,
    )
    cropped = rgb.crop((w // 10, h // 10, w - w // 5, h - h // 10))
    add(
        f"{key}_crop.jpg",
        "edited",
        "cropped, saved with the original EXIF",
        lambda p: cropped.save(p, exif=exif, quality=92),
        # the Nokia and Jolla sources record no pixel size, so only the re-save shows
        expect="edited" if key == "iphone6" else "recompressed",
    )
    small = rgb.copy()
    small.thumbnail((1080, 1080))
    add(
        f"{key}_chat.jpg",
        "recompressed",
        "metadata stripped, 1080 px, q75 (chat-app style)",
        lambda p: small.save(p, quality=75),
    )


def _heic_cases(add: Callable, source: Path) -> None:
    data = source.read_bytes()
    add("IMG_heic_copy.heic", "camera_original", "untouched copy", _save_bytes(data))
    tiff = data.find(b"MM\x00*")
    add(
        "heic_dto_shifted.heic",
        "edited",
        "DateTimeOriginal shifted by a day in place",
        _save_bytes(exifbytes.patch_exif_ascii(data, DTO, "2022:02:17 12:55:41", tiff_start=tiff)),
        expect="recompressed",
    )
    im = Image.open(source)
    exif = im.info["exif"]
    w, h = im.size
    add(
        "heic_crop.heic",
        "edited",
        "cropped and saved with pillow-heif, EXIF kept",
        lambda p: im.crop((0, 0, w * 3 // 4, h * 2 // 3)).save(p, exif=exif, **_FAST_HEIC),
    )
    painted = im.copy()
    ImageDraw.Draw(painted).rectangle((w // 4, h // 4, w // 2, h // 2), fill=(200, 30, 30))
    add(
        "heic_pixel_edit.heic",
        "edited",
        "rectangle painted, saved with pillow-heif, EXIF kept",
        lambda p: painted.save(p, exif=exif, **_FAST_HEIC),
        expect=_PIXEL_EDIT,
    )
    add(
        "heic_to_jpeg.jpg",
        "edited",
        "converted to JPEG by Pillow, Apple EXIF kept",
        lambda p: im.convert("RGB").save(p, exif=exif, quality=90),
        expect="recompressed",  # a conversion: not the original, content unchanged
    )


def _screenshot_cases(add: Callable, source: Path) -> None:
    im = Image.open(source)
    add(
        "Screenshot_copy.png",
        "unknown",
        "untouched screenshot copy",
        _save_bytes(source.read_bytes()),
    )
    for tool in ("Adobe Photoshop 25.0 (Windows)", "GIMP 2.10.34", "paint.net 5.0.13", "美图秀秀"):
        info = PngInfo()
        info.add_text("Software", tool)
        slug = "".join(c for c in tool.split()[0].lower() if c.isalnum()) or "meitu"
        add(
            f"screenshot_{slug}.png",
            "edited",
            f"saved through {tool} (Software tEXt)",
            lambda p, info=info: im.save(p, pnginfo=info),
        )
    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", exifbytes.history_xmp("Adobe Photoshop 25.0 (Macintosh)"))
    add(
        "screenshot_xmp.png",
        "edited",
        "saved with an XMP edit history (iTXt)",
        lambda p: im.save(p, pnginfo=info),
    )


def _video_cases(add: Callable, key: str, source: Path) -> None:
    ext = source.suffix
    add(
        f"VID_{key}_copy{ext}",
        "camera_original",
        "untouched copy",
        _save_bytes(source.read_bytes()),
    )
    keep = ["-map_metadata", "0", "-movflags", "use_metadata_tags"]
    encode = ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "copy"]
    bitexact = ["-fflags", "+bitexact"]
    # name: (options before -i, options after -i, how)
    variants: dict[str, tuple[list[str], list[str], str]] = {
        "reencode_tags": ([], keep + encode, "re-encoded, metadata copied, FFmpeg tags"),
        "reencode_bitexact": (
            [],
            keep + encode + bitexact + ["-flags:v", "+bitexact"],
            "re-encoded, metadata copied, no FFmpeg tags (bitexact)",
        ),
        "reencode_plain": (
            [],
            ["-map_metadata", "0"] + encode,
            "re-encoded, global metadata copied",
        ),
        "capcut_export": (
            [],
            keep + encode + ["-metadata", 'LvMetaInfo={"product":"vicut","editType":"edit"}'],
            "re-encoded with a CapCut LvMetaInfo key",
        ),
        "trim_copy": (
            ["-ss", "2"],
            keep + ["-t", "4", "-c", "copy"] + bitexact,
            "stream-copy trim from 2 s (input seek), metadata and keys copied, bitexact",
        ),
        "trim_end": (
            [],
            ["-map_metadata", "0", "-t", "5", "-c", "copy"] + bitexact,
            "stream-copy, only the end cut, global metadata copied, bitexact",
        ),
    }
    if key == "android":  # the iPhone-style source has no key frame after 0 s to seek to
        variants["trim_output_seek"] = (
            [],
            keep + ["-ss", "3", "-c", "copy"] + bitexact,
            "stream-copy trim from 3 s (output seek), metadata and keys copied, bitexact",
        )
    for name, (before, after, how) in variants.items():
        # An end-only cut leaves no trace in the file; without the device keys (global
        # metadata only) nothing establishes an origin either, so "unknown" is the best answer.
        # (With the keys copied too, `-movflags use_metadata_tags`, such a cut is not seen.)
        add(
            f"{key}_{name}{ext}",
            "edited",
            how,
            lambda p, b=before, a=after: _ffmpeg([*b, "-i", str(source), *a, str(p)]),
            expect="unknown" if name == "trim_end" else "",
        )


def _ffmpeg(args: list[str]) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True, timeout=120)


def _shift_text(text: str, days: int = 0, hours: int = 0) -> str:
    moment = datetime.strptime(text, "%Y:%m:%d %H:%M:%S") + timedelta(days=days, hours=hours)
    return moment.strftime("%Y:%m:%d %H:%M:%S")
