"""The test corpus, built once per session from the repository alone (issue 17, point 6).

`build(root)` fills `root` with the layout of ../shared/corpus that the tests read:

- tests/data/corpus/: small real files copied unchanged (photos/edited, gps, no_exif,
  orientation, the synthetic chat screenshots and tracking texts) and the hostile JPEGs (the ten
  larger ones reduced to their metadata segments, see tests/data/corpus/hostile/README.md);
- photos/originals/: real camera originals of at most 200 KB from tests/data/realworld/ (the
  phone originals of the shared corpus are 0.8-2.2 MB each);
- synthetic/videos/: the four phone-like videos, made here with ffmpeg the way the shared
  corpus's were (libx264 High profile, 1280x720, 30 fps; Android `com.android.version` and
  location keys; Apple QuickTime keys in a `qt` file; a Lavf re-encode; a stream-copy trim),
  with a Code128 waybill label in frame (the Code128 painter of tests/evidence/waybill);
- photos/originals/orientation_6.heic: a HEIC written with pillow-heif (EXIF with Orientation 6
  and a capture time).

`build_phone(root)` writes stand-ins for the shared corpus's five phone files (0.8-2.2 MB each),
at the same relative paths, from tests/data/phone/ (see its README): the three JPEGs are the
originals' own bytes up to the scan (EXIF with maker notes and thumbnail, tables, markers) and a
picture encoded here with the originals' tables, sampling and restart interval; the two HEICs
are kept whole but for their tiles, which all share the first tile's bytes.

labels.csv lists every file with what it is, in the shared corpus's convention.
"""

from __future__ import annotations

import csv
import io
import shutil
import struct
import subprocess
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
SMALL = DATA / "corpus"
REALWORLD = DATA / "realworld"
FFMPEG = shutil.which("ffmpeg")

# Real camera originals (<= 200 KB) standing in for the shared corpus's 0.8-2.2 MB phone files.
ORIGINALS = {
    "photos/originals/canon-ixus.jpg": "exif-samples/jpg/exif-org/canon-ixus.jpg",
    "photos/originals/fujifilm-dx10.jpg": "exif-samples/jpg/exif-org/fujifilm-dx10.jpg",
    "photos/originals/sanyo-vpcsx550.jpg": "exif-samples/jpg/exif-org/sanyo-vpcsx550.jpg",
}
PHONE = DATA / "phone"
# The shared corpus's phone files (its relative paths) and what stands in for each here.
PHONE_JPEGS = {
    "photos/originals/iphone_6.jpg": "iphone_6.head.jpg",
    "photos/originals/hmd_nokia_8.3_5g.jpg": "hmd_nokia_8.3_5g.head.jpg",
    "photos/originals/jolla.jpg": "jolla.head.jpg",
}
PHONE_HEICS = {
    "photos/originals/iphone_13_pro_max.heic": "iphone_13_pro_max.heic",
    "photos/edited/iphone_11_pro_max_cropped.heic": "iphone_11_pro_max_cropped.heic",
}
HEIC = "photos/originals/orientation_6.heic"  # generated: no real phone HEIC is small enough
SF_WAYBILL = "SF1234567890123"
ZTO_WAYBILL = "73190553102532"
ANDROID = "synthetic/videos/packing_android_sf.mp4"
IPHONE = "synthetic/videos/unboxing_iphone_zto.mov"
REENCODED = "synthetic/videos/packing_reencoded_lavf.mp4"
TRIMMED = "synthetic/videos/unboxing_trimmed_copy.mov"


def build(root: Path) -> Path:
    """Write the whole test corpus under `root` (created) and return it."""
    shutil.copytree(SMALL, root, dirs_exist_ok=True)
    for rel, source in ORIGINALS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REALWORLD / source, root / rel)
    write_heic(root / HEIC)
    if FFMPEG is not None:
        write_videos(root)
    _write_labels(root)
    for path in root.rglob("*"):
        if path.is_file():
            path.chmod(0o444)  # read-only, like the shared corpus: tests copy before writing
    return root


def build_phone(root: Path) -> Path:
    """Write the stand-ins for the shared corpus's phone files under `root` (read-only)."""
    for rel, head in PHONE_JPEGS.items():
        write_phone_jpeg(PHONE / head, root / rel)
    for rel, name in PHONE_HEICS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PHONE / name, root / rel)
    for path in root.rglob("*"):
        if path.is_file():
            path.chmod(0o444)
    return root


def write_phone_jpeg(head: Path, out: Path) -> Path:
    """A phone JPEG from its head (every segment before the scan, byte for byte): a picture of
    the head's size encoded by Pillow with the head's tables, 4:2:0 and restart interval, whose
    scan follows the head. The picture is the EXIF thumbnail scaled up where there is one (so it
    still matches the thumbnail), else a smooth generated picture."""
    import numpy as np
    from PIL import Image
    from PIL.JpegImagePlugin import JpegImageFile

    header = head.read_bytes()
    stub = Image.open(io.BytesIO(header + b"\xff\xd9"))  # size, tables: the head is enough
    assert isinstance(stub, JpegImageFile)
    segments = _segments(header)
    restart = next((struct.unpack(">H", body[:2])[0] for m, body in segments if m == 0xDD), 0)
    size = stub.size
    thumb = next((_exif_thumbnail(body[6:]) for m, body in segments if m == 0xE1), None)
    if thumb is not None:
        picture = (
            Image.open(io.BytesIO(thumb)).convert("RGB").resize(size, Image.Resampling.BICUBIC)
        )
    else:
        rng = np.random.default_rng(3)
        coarse = rng.integers(40, 216, (12, 16, 3)).astype(np.uint8)
        picture = Image.fromarray(coarse).resize(size, Image.Resampling.BICUBIC)
    buffer = io.BytesIO()
    picture.save(
        buffer,
        "JPEG",
        qtables=stub.quantization,
        subsampling=2,
        restart_marker_blocks=restart,
    )
    coded = buffer.getvalue()
    if _huffman(coded) != _huffman(header):  # the scan must be read with the head's tables
        raise ValueError(f"{head.name}: not the standard Huffman tables Pillow writes")
    scan_at = 2 + sum(4 + len(body) for _, body in _segments(coded))  # Pillow's SOS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(header + coded[scan_at:])
    return out


def _segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, body) of each segment of a JPEG before its scan."""
    out, at = [], 2
    while at + 4 <= len(data) and data[at + 1] != 0xDA:
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        out.append((data[at + 1], data[at + 4 : at + 2 + length]))
        at += 2 + length
    return out


def _huffman(data: bytes) -> bytes:
    return b"".join(body for marker, body in _segments(data) if marker == 0xC4)


def _exif_thumbnail(tiff: bytes) -> bytes | None:
    """The JPEG thumbnail IFD1 points at, or None."""
    if tiff[:2] not in (b"II", b"MM"):
        return None
    e = "<" if tiff[:2] == b"II" else ">"
    ifd0 = struct.unpack(e + "I", tiff[4:8])[0]
    count = struct.unpack(e + "H", tiff[ifd0 : ifd0 + 2])[0]
    ifd1 = struct.unpack(e + "I", tiff[ifd0 + 2 + 12 * count : ifd0 + 6 + 12 * count])[0]
    if not ifd1:
        return None
    tags = {}
    for k in range(struct.unpack(e + "H", tiff[ifd1 : ifd1 + 2])[0]):
        tag, _, _, value = struct.unpack(e + "HHII", tiff[ifd1 + 2 + 12 * k : ifd1 + 14 + 12 * k])
        tags[tag] = value
    if 0x0201 not in tags or 0x0202 not in tags:
        return None
    return tiff[tags[0x0201] : tags[0x0201] + tags[0x0202]]


def write_heic(path: Path) -> Path:
    """A 640x480 HEIC with EXIF Make/Model/DateTimeOriginal and Orientation 6 (portrait)."""
    import numpy as np
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    rng = np.random.default_rng(7)
    pixels = np.clip(rng.normal(128, 40, (480, 640, 3)), 0, 255).astype(np.uint8)
    picture = Image.fromarray(pixels)
    exif = Image.Exif()
    exif[0x010F] = "EvidenceDesk tests"  # Make
    exif[0x0110] = "pillow-heif"  # Model
    exif[0x0112] = 6
    exif.get_ifd(0x8769)[0x9003] = "2025:06:12 19:03:11"
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, format="HEIF", quality=50, exif=exif.tobytes())
    return path


FONT = Path(__file__).resolve().parents[1] / "resources" / "fonts" / "wqy-microhei.ttc"
# The label printed on both parcels (invented names, masked phone numbers, as on real labels).
LABEL_LINES = (
    "收件：张*  138****5678",
    "浙江省杭州市西湖区文三路***号",
    "寄件：某某旗舰店  0571-8***2211",
    "订单号：3958216640123456789",
    "托寄物：女式针织开衫 x1",
)


def _label_png(folder: Path, number: str, carrier: str) -> Path:
    """A waybill label as couriers print it (carrier, Code128, number, addressee, sender, order
    number, contents), drawn with WenQuanYi Micro Hei and turned by 3 degrees."""
    from PIL import Image, ImageDraw, ImageFont

    from tests.evidence.waybill.code128 import barcode_image

    big, mid, small = (ImageFont.truetype(str(FONT), size) for size in (34, 28, 24))
    label = Image.new("RGB", (680, 460), "white")
    draw = ImageDraw.Draw(label)
    draw.rectangle((0, 0, 679, 459), outline="black", width=3)
    draw.text((24, 18), carrier, font=big, fill="black")
    draw.text((440, 30), "标准快递", font=small, fill="black")
    bars = Image.fromarray(barcode_image(number, 3, height=110, quiet=10))
    label.paste(bars, ((680 - bars.width) // 2, 80))
    draw.text((680 // 2, 200), number, font=mid, fill="black", anchor="ma")
    draw.line((0, 240, 680, 240), fill="black", width=2)
    for i, line in enumerate(LABEL_LINES):
        draw.text((24, 252 + i * 40), line, font=mid if i < 3 else small, fill="black")
    turned = label.convert("RGBA").rotate(3, expand=True, resample=Image.Resampling.BICUBIC)
    path = folder / f"label_{number}.png"
    turned.save(path)
    return path


def _ffmpeg(*args: str) -> None:
    assert FFMPEG is not None
    subprocess.run([FFMPEG, "-v", "error", "-y", *args], check=True, timeout=600)


def _scene(label: Path, seconds: int, colour: str, bitrate: str) -> list[str]:
    """ffmpeg input and filter arguments: the label drifting slowly over cardboard with a strip
    of tape, at the bit rate of the shared corpus's video."""
    return [
        "-f", "lavfi", "-i", f"color=c={colour}:s=1280x720:r=30:d={seconds}",
        "-loop", "1", "-framerate", "30", "-i", str(label),
        "-filter_complex",
        "[0:v]drawbox=x=0:y=300:w=1280:h=60:color=0xd8c08a:t=fill,noise=alls=10:allf=t[bg];"
        "[bg][1:v]overlay=x='(W-w)/2+24*sin(t*1.3)':y='(H-h)/2+14*cos(t)':shortest=1,"
        "format=yuv420p[v]",
        "-map", "[v]", "-t", str(seconds),
        "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high",
        "-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate,
    ]  # fmt: skip


def write_videos(root: Path) -> None:
    """The four synthetic videos of the shared corpus, with the traits its labels.csv names."""
    folder = root / "synthetic/videos"
    folder.mkdir(parents=True, exist_ok=True)
    work = root / ".work"
    work.mkdir(exist_ok=True)
    bitexact = ["-fflags", "+bitexact", "-flags:v", "+bitexact"]  # no Lavf/Lavc encoder tags
    no_sei = ["-bsf:v", "filter_units=remove_types=6"]  # no x264 settings SEI either
    _ffmpeg(
        *_scene(_label_png(work, SF_WAYBILL, "顺丰速运"), 10, "0xb08050", "730k"),
        *bitexact, *no_sei,
        "-movflags", "use_metadata_tags",
        "-metadata", "creation_time=2025-06-09T02:15:07.000000Z",
        "-metadata", "com.android.version=14",
        "-metadata", "location=+30.2741+120.1551/",
        "-metadata:s:v", "handler_name=VideoHandle",
        str(root / ANDROID),
    )  # fmt: skip
    _ffmpeg(
        *_scene(_label_png(work, ZTO_WAYBILL, "中通快递"), 8, "0xb08050", "630k"),
        *bitexact, *no_sei,
        "-g", "250", "-x264-params", "scenecut=0",  # one keyframe: the trim below starts at it
        "-f", "mov", "-movflags", "use_metadata_tags",
        "-metadata", "creation_time=2025-06-12T11:03:11.000000Z",
        "-metadata", "com.apple.quicktime.make=Apple",
        "-metadata", "com.apple.quicktime.model=iPhone 13",
        "-metadata", "com.apple.quicktime.software=17.5.1",
        "-metadata", "com.apple.quicktime.creationdate=2025-06-12T19:03:11+0800",
        "-metadata", "com.apple.quicktime.location.ISO6709=+30.2741+120.1551+012.000/",
        "-metadata:s:v", "handler_name=Core Media Video",
        str(root / IPHONE),
    )  # fmt: skip
    for rel in (ANDROID, IPHONE):
        _clear_compressor_name(root / rel)
    _ffmpeg(
        "-i", str(root / ANDROID), "-map_metadata", "-1",
        "-c:v", "libx264", "-preset", "veryfast", "-b:v", "360k", str(root / REENCODED),
    )  # fmt: skip
    # From 3 s for 4.1 s (123 frames): a stream copy starts at the keyframe before, so the
    # frames from 0 to 3 s stay in the file behind the edit list, as in a phone editor's trim.
    _ffmpeg(
        "-ss", "3", "-i", str(root / IPHONE), "-frames:v", "212", "-c", "copy",
        "-map_metadata:g", "-1", "-f", "mov", str(root / TRIMMED),
    )  # fmt: skip
    shutil.rmtree(work)


def _clear_compressor_name(path: Path) -> None:
    """Blank the sample description's compressor name, as the shared corpus's phone-style files
    have it: ffmpeg writes "Lavc libx264" there even with +bitexact (same size, in place)."""
    data = bytearray(path.read_bytes())
    name = b"Lavc libx264"
    at = data.find(bytes([len(name)]) + name)
    if at >= 0:
        data[at : at + 1 + len(name)] = bytes(1 + len(name))
        path.write_bytes(bytes(data))


_LABELS = {
    "photos/originals/canon-ixus.jpg": ("photo", "camera_original", "Canon Digital IXUS, Canon "
        "maker notes and tables, EXIF size 640x480 = pixels, thumbnail matches"),
    "photos/originals/fujifilm-dx10.jpg": ("photo", "camera_original", "Fujifilm DX-10, firmware "
        "Software Ver1.00, EXIF size 1024x768 = pixels, thumbnail matches"),
    "photos/originals/sanyo-vpcsx550.jpg": ("photo", "camera_original", "Sanyo VPC-SX550, "
        "firmware Software V113p-73, 640x480 = EXIF, dates equal, thumbnail matches"),
    ANDROID: ("video", "camera_original", "Android-style: creation_time, com.android.version, "
        "location; no encoder tag; waybill SF1234567890123 in frames"),
    IPHONE: ("video", "camera_original", "iPhone-style QuickTime keys with creationdate +0800 "
        "matching creation_time UTC; waybill 73190553102532 in frames (FFMP vendor id: made with "
        "ffmpeg)"),
    REENCODED: ("video", "edited", "re-encoded: encoder Lavf, x264 SEI, creation time and device "
        "keys stripped"),
    TRIMMED: ("video", "edited", "stream-copy trim: Lavf encoder, device keys and creation time "
        "lost, shorter than the source"),
}  # fmt: skip


def _write_labels(root: Path) -> None:
    """labels.csv: the small corpus's own rows plus those of the files made or copied here."""
    rows = []
    with (SMALL / "labels.csv").open(encoding="utf-8") as fh:
        rows = [row for row in csv.DictReader(fh) if (root / row["path"]).is_file()]
    for rel, (kind, truth, why) in _LABELS.items():
        if (root / rel).is_file():
            rows.append({"path": rel, "kind": kind, "truth": truth, "why": why})
    target = root / "labels.csv"
    target.unlink(missing_ok=True)
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, ["path", "kind", "truth", "why"])
        writer.writeheader()
        writer.writerows(rows)
