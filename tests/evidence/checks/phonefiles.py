"""Generated phone files for the 2026 indicators: camera trailers, AIGC labels, gallery edits.

Layouts follow the real files they imitate (Samsung SEF as in a One UI 6 motion photo, Google
MotionPhoto XMP with a Container directory, Ultra HDR hdrgm XMP, TC260 AIGC XMP, Apple
MakerNote with a ContentIdentifier); the pictures are Pillow noise, the metadata is the point.
"""

from __future__ import annotations

import io
import random
import struct
from pathlib import Path

from PIL import Image

XMP_OPEN = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
)
XMP_CLOSE = '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'


def noise_image(size: tuple[int, int] = (320, 240), seed: int = 1) -> Image.Image:
    """A picture with texture (so compression behaves as on a photo)."""
    rng = random.Random(seed)
    small = Image.new("RGB", (size[0] // 8, size[1] // 8))
    small.putdata(
        [
            (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            for _ in range(small.width * small.height)
        ]
    )
    return small.resize(size, Image.Resampling.BICUBIC)


def camera_exif(
    make: str = "samsung",
    model: str = "SM-S918B",
    when: str = "2026:03:01 10:20:30",
    maker_note: bytes | None = None,
    user_comment: str | None = None,
) -> Image.Exif:
    """EXIF with a camera's make, model and capture times."""
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0132] = when
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = when
    sub[0x9004] = when
    if maker_note is not None:
        sub[0x927C] = maker_note
    if user_comment is not None:
        sub[0x9286] = b"ASCII\x00\x00\x00" + user_comment.encode("ascii")
    return exif


def camera_jpeg(exif: Image.Exif | None = None, xmp: str | None = None, seed: int = 1) -> bytes:
    """A JPEG with camera EXIF (and XMP when given)."""
    buf = io.BytesIO()
    kwargs: dict[str, object] = {"quality": 92, "exif": (exif or camera_exif()).tobytes()}
    if xmp is not None:
        kwargs["xmp"] = xmp.encode("utf-8")
    noise_image(seed=seed).save(buf, format="JPEG", **kwargs)
    return buf.getvalue()


def sef_block(entries: list[tuple[int, str, bytes]], version: int = 107) -> bytes:
    """A Samsung SEF trailer: entry data, the SEFH directory, its length and SEFT."""
    data = b""
    records: list[tuple[int, int, int]] = []  # (type, start, length)
    for typ, name, payload in entries:
        block = struct.pack("<HHI", 0, typ, len(name)) + name.encode("latin-1") + payload
        records.append((typ, len(data), len(block)))
        data += block
    directory = b"SEFH" + struct.pack("<II", version, len(entries))
    for typ, start, length in records:
        directory += struct.pack("<HHII", 0, typ, len(data) - start, length)
    return data + directory + struct.pack("<I", len(directory)) + b"SEFT"


def mp4_bytes(size: int = 4000) -> bytes:
    """A minimal MP4-like blob: ftyp and an mdat of `size` bytes."""
    ftyp = struct.pack(">I4s4sI4s4s", 24, b"ftyp", b"mp42", 0, b"isom", b"mp42")
    return ftyp + struct.pack(">I4s", size + 8, b"mdat") + bytes(size)


def google_motion_xmp(video_length: int) -> str:
    """Google's MotionPhoto XMP (GCamera + Container directory), as Pixel and One UI write."""
    return (
        XMP_OPEN + '<rdf:Description rdf:about="" '
        'xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" '
        'xmlns:Container="http://ns.google.com/photos/1.0/container/" '
        'xmlns:Item="http://ns.google.com/photos/1.0/container/item/" '
        'GCamera:MotionPhoto="1" GCamera:MotionPhotoVersion="1" '
        'GCamera:MotionPhotoPresentationTimestampUs="1500000">'
        "<Container:Directory><rdf:Seq>"
        '<rdf:li rdf:parseType="Resource"><Container:Item Item:Mime="image/jpeg" '
        'Item:Semantic="Primary" Item:Length="0" Item:Padding="0"/></rdf:li>'
        '<rdf:li rdf:parseType="Resource"><Container:Item Item:Mime="video/mp4" '
        f'Item:Semantic="MotionPhoto" Item:Length="{video_length}" Item:Padding="0"/></rdf:li>'
        "</rdf:Seq></Container:Directory></rdf:Description>" + XMP_CLOSE
    )


def ultra_hdr_xmp() -> str:
    """The primary image's XMP of an Ultra HDR JPEG (hdrgm + a GainMap container item)."""
    return (
        XMP_OPEN + '<rdf:Description rdf:about="" '
        'xmlns:hdrgm="http://ns.adobe.com/hdr-gain-map/1.0/" '
        'xmlns:Container="http://ns.google.com/photos/1.0/container/" '
        'xmlns:Item="http://ns.google.com/photos/1.0/container/item/" hdrgm:Version="1.0">'
        "<Container:Directory><rdf:Seq>"
        '<rdf:li rdf:parseType="Resource"><Container:Item Item:Semantic="Primary" '
        'Item:Mime="image/jpeg"/></rdf:li>'
        '<rdf:li rdf:parseType="Resource"><Container:Item Item:Semantic="GainMap" '
        'Item:Mime="image/jpeg" Item:Length="2000"/></rdf:li>'
        "</rdf:Seq></Container:Directory></rdf:Description>" + XMP_CLOSE
    )


def gain_map_jpeg() -> bytes:
    """The secondary (gain map) JPEG of an Ultra HDR file, with its own hdrgm XMP."""
    xmp = (
        XMP_OPEN + '<rdf:Description rdf:about="" '
        'xmlns:hdrgm="http://ns.adobe.com/hdr-gain-map/1.0/" hdrgm:Version="1.0" '
        'hdrgm:GainMapMax="2.3"/>' + XMP_CLOSE
    )
    buf = io.BytesIO()
    noise_image((80, 60), seed=9).convert("L").save(buf, format="JPEG", xmp=xmp.encode())
    return buf.getvalue()


def with_mpf(jpeg: bytes) -> bytes:
    """Insert an APP2 'MPF' segment after SOI (the header only; what matters is its presence)."""
    body = b"MPF\x00" + b"MM\x00\x2a\x00\x00\x00\x08" + b"\x00\x00"
    return jpeg[:2] + b"\xff\xe2" + struct.pack(">H", len(body) + 2) + body + jpeg[2:]


def tc260_xmp(label: str, producer: str = "豆包", propagator: str = "", form: str = "attr") -> str:
    """An XMP packet with a GB 45438-2025 TC260:AIGC label (attribute or element form)."""
    value = (
        f'{{"Label":"{label}","ContentProducer":"{producer}","ProduceID":"A2026030110203012",'
        f'"ReservedCode1":"","ContentPropagator":"{propagator}","PropagateID":"","ReservedCode2":""}}'
    )
    ns = 'xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/"'
    if form == "attr":
        escaped = value.replace("&", "&amp;").replace('"', "&quot;")
        body = f'<rdf:Description rdf:about="" {ns} TC260:AIGC="{escaped}"/>'
    else:
        escaped = value.replace("&", "&amp;").replace("<", "&lt;")
        body = (
            f'<rdf:Description rdf:about="" {ns}>'
            f"<TC260:AIGC>{escaped}</TC260:AIGC></rdf:Description>"
        )
    return XMP_OPEN + body + XMP_CLOSE


def apple_maker_note(content_identifier: str) -> bytes:
    """An Apple iOS MakerNote with tag 0x0011 ContentIdentifier (offsets from the note's start)."""
    text = content_identifier.encode("ascii") + b"\x00"
    header = b"Apple iOS\x00" + b"\x00\x01" + b"MM"
    ifd_start = len(header)
    entries = 1
    value_at = ifd_start + 2 + 12 * entries + 4
    ifd = struct.pack(">H", entries) + struct.pack(">HHII", 0x0011, 2, len(text), value_at)
    return header + ifd + b"\x00\x00\x00\x00" + text


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
