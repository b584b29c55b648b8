"""How the JPEG file is put together: traces of the program that wrote it last.

several EXIF blocks                                  warning
after the end of the picture, a camera feature       info: a motion photo's video, a Samsung
    (camera_features.known_trailer), or a JPEG the     SEF trailer, an Ultra HDR gain map, an
    EXIF block or maker note points to                 MPF image, a maker-note preview image
another JPEG after the end that nothing points to    warning (an earlier version may hide there)
other data after the end (padding, unrecognised)     info
camera EXIF re-encoded by a desktop program: JFIF before the EXIF block, no EXIF thumbnail, no
maker note (a camera that writes any of the three writes them all)   warning
libjpeg's default layout (JFIF before EXIF, four separate standard Huffman tables, standard
quantization tables) around a camera's EXIF block   warning
a known model whose originals are laid out otherwise (camera_models.json)   warning
both: libjpeg's layout under a model known to write another one      warning (a re-save)
C2PA Content Credentials present                     info (validated when c2pa-python is
                                                     installed: see provenance.py)
"""

from __future__ import annotations

import mmap
import struct

from app.evidence.checks.camera_features import TRAILER_TEXTS, known_trailer
from app.evidence.checks.model import Finding, Severity
from app.evidence.checks.photo_input import PhotoInput
from app.evidence.checks.quant import ijg_quality
from app.evidence.checks.signatures import camera_model
from app.evidence.checks.texts import finding

_APP_ORDER = {
    "exif_first": ("EXIF 块在 JFIF 块之前", "EXIF block before the JFIF block"),
    "jfif_first": ("JFIF 块在 EXIF 块之前", "JFIF block before the EXIF block"),
    "exif": ("只有 EXIF 块", "an EXIF block and no JFIF block"),
    "jfif": ("只有 JFIF 块", "a JFIF block and no EXIF block"),
    "": ("没有 EXIF 和 JFIF 块", "no EXIF or JFIF block"),
}
_TRAILERS = {
    "jpeg": ("另一张 JPEG 图片", "another JPEG picture"),
    "mp4": ("一段视频，动态照片的写法", "a video, as in motion photos"),
    "samsung": ("三星相机的附加信息", "Samsung camera data"),
    "padding": ("填充字节", "padding bytes"),
    "preview": (
        "相机在厂商信息（MakerNote）里指向的预览图",
        "a preview image the camera's maker note points to",
    ),
    "unknown": ("无法识别的数据", "unrecognised data"),
}


def structure_findings(photo: PhotoInput) -> list[Finding]:
    """Findings about the JPEG's marker layout and EXIF block layout."""
    jpeg = photo.jpeg
    if jpeg is None:
        return []
    out: list[Finding] = []
    if jpeg.exif_blocks > 1:
        out.append(finding("exif_blocks_multiple", Severity.WARNING, {"count": jpeg.exif_blocks}))
    if jpeg.after_eoi > 0:
        out.append(_trailer(photo))
    if photo.is_screenshot or not (photo.meta.make or photo.meta.model):
        return out
    out.extend(_reencoded(photo))
    model_findings = _model_layout(photo)
    quality = ijg_quality(photo.meta.quantization_tables or ())
    if jpeg.app_order() == "jfif_first" and jpeg.libjpeg_layout() and quality is not None:
        # With a known model whose own files look otherwise, the camera cannot have written
        # this layout: a general-purpose program re-encoded it and copied the EXIF over.
        known = any(f.code == "structure_differs_from_model" for f in model_findings)
        params = {"markers": jpeg.labels()[:12], "quality": quality, "model_known": known}
        # A re-save, not a change of content by itself (verdict.py): a warning either way.
        out.append(finding("library_resave", Severity.WARNING, params, device=photo.device))
    out.extend(model_findings)
    return out


def _trailer(photo: PhotoInput) -> Finding:
    jpeg = photo.jpeg
    assert jpeg is not None and jpeg.eoi_offset is not None
    has_mpf = any(s.label == "MPF" for s in jpeg.segments)
    feature, referenced = _trailer_kind(photo, jpeg.eoi_offset + 2, has_mpf)
    kind = jpeg.trailer or "unknown"
    if feature is not None:
        kind = feature
        zh, en = TRAILER_TEXTS[feature]
    else:
        if referenced:
            kind = "preview"
        zh, en = _TRAILERS[kind]
    suspicious = kind == "jpeg"  # a whole picture nothing in the file declares
    if suspicious:
        meaning = (
            "文件里没有任何地方（多图格式 MPF、厂商信息、XMP）声明这张图片，"
            "它可能是修改前的旧版本。",
            "Nothing in the file (MPF, maker note, XMP) declares this picture; it may be an "
            "earlier version.",
        )
    else:
        meaning = ("这是手机或相机自己附加的数据。", "Phones and cameras append such data.")
    params = {"bytes": jpeg.after_eoi, "trailer": kind, "mpf": has_mpf}
    severity = Severity.WARNING if suspicious else Severity.INFO
    return finding(
        "data_after_image",
        severity,
        params,
        trailer_zh=zh,
        trailer_en=en,
        meaning_zh=meaning[0],
        meaning_en=meaning[1],
    )


_PREVIEW_SEARCH = 64  # a maker-note preview may start after a few padding bytes


def _trailer_kind(photo: PhotoInput, start: int, has_mpf: bool) -> tuple[str | None, bool]:
    """(camera feature or None, whether the EXIF block points to a JPEG after the picture)."""
    try:
        with photo.path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            if start >= len(mm):
                return None, False
            with memoryview(mm) as whole, whole[start:] as after:
                feature = known_trailer(after, photo.meta.xmp, mpf=has_mpf)  # type: ignore[arg-type]
            soi = mm.find(b"\xff\xd8\xff", start, start + _PREVIEW_SEARCH)
            referenced = soi >= 0 and _exif_points_to(photo, soi)
            return feature, referenced
    except (OSError, ValueError, BufferError):
        return None, False


def _exif_points_to(photo: PhotoInput, file_offset: int) -> bool:
    """Whether the EXIF block (IFDs or maker note) holds `file_offset` as a 32-bit offset.

    Cameras that store a large preview after the main picture (Sony, Pentax, Olympus, Nikon
    and others, see ExifTool's PreviewImageStart notes) record where it starts, counted from
    the TIFF header (or from the start of the file): a picture appended later is pointed to by
    nothing.
    """
    jpeg = photo.jpeg
    if jpeg is None or not jpeg.exif_tiff or len(jpeg.exif_tiff) < 8:
        return False
    exif = next((s for s in jpeg.segments if s.label == "Exif"), None)
    if exif is None:
        return False
    tiff = jpeg.exif_tiff
    tiff_start = exif.offset + 4 + 6  # marker, length, "Exif\0\0"
    # Offsets count from the TIFF header, the file's start, the maker note's start (Olympus,
    # Panasonic) or a TIFF header inside the maker note (Nikon, Pentax, Sony-style notes).
    bases = {tiff_start, 0}
    if photo.layout is not None and photo.layout.makernote_offset is not None:
        bases.add(tiff_start + photo.layout.makernote_offset)
    for magic in (b"II*\x00", b"MM\x00*"):
        at = tiff.find(magic, 8)
        while at >= 0 and len(bases) < 16:
            bases.add(tiff_start + at)
            at = tiff.find(magic, at + 4)
    needles = set()
    for base in bases:
        value = file_offset - base
        if 0 <= value < 2**32:
            needles.update({struct.pack("<I", value), struct.pack(">I", value)})
    return any(n in tiff for n in needles)


def _reencoded(photo: PhotoInput) -> list[Finding]:
    """Camera EXIF carried into a desktop re-encode (JFIF first, no thumbnail, no maker note)."""
    jpeg = photo.jpeg
    if jpeg is None or jpeg.app_order() != "jfif_first":
        return []
    signs = photo.software_save_signs()
    if not {"no_thumbnail", "no_maker_note"} <= set(signs):
        return []
    params = {
        "signs": signs,
        "icc_profile": photo.meta.icc_profile,
        "markers": jpeg.labels()[:12],
    }
    return [finding("camera_exif_reencoded", Severity.WARNING, params, device=photo.device)]


def _model_layout(photo: PhotoInput) -> list[Finding]:
    row = camera_model(photo.meta.make, photo.meta.model)
    jpeg = photo.jpeg
    if row is None or jpeg is None:
        return []
    out = []
    model = photo.device or row["model"]
    expected = f"{row['app_order']} | {row['skeleton']}"
    actual = f"{jpeg.app_order()} | {jpeg.skeleton()}"
    if expected != actual:
        params = {"model": model, "expected": expected, "actual": actual, "source": row["source"]}
        want = _APP_ORDER[row["app_order"]]
        got = _APP_ORDER[jpeg.app_order()]
        out.append(
            finding(
                "structure_differs_from_model",
                Severity.WARNING,
                params,
                expected_zh=f"{want[0]}，编码段为 {row['skeleton']}",
                expected_en=f"{want[1]}, coding segments {row['skeleton']}",
                actual_zh=f"{got[0]}，编码段为 {jpeg.skeleton()}",
                actual_en=f"{got[1]}, coding segments {jpeg.skeleton()}",
            )
        )
    layout = photo.layout
    if layout is not None:
        want_order = row["exif_order"].split(",")
        got_order = layout.order().split(",")
        # Only IFDs both files have are compared: a photo without GPS or thumbnail is normal.
        common_want = [n for n in want_order if n in got_order]
        common_got = [n for n in got_order if n in want_order]
        want_unsorted = sorted(n for n in row["unsorted_ifds"] if n in got_order)
        got_unsorted = sorted(n for n in layout.unsorted_ifds() if n in want_order)
        if (
            row["byte_order"] != layout.byte_order
            or common_want != common_got
            or want_unsorted != got_unsorted
        ):
            params = {
                "model": model,
                "expected": f"{row['byte_order']} {row['exif_order']} unsorted="
                f"{','.join(row['unsorted_ifds']) or '-'}",
                "actual": f"{layout.byte_order} {layout.order()} unsorted="
                f"{','.join(layout.unsorted_ifds()) or '-'}",
                "source": row["source"],
            }
            out.append(finding("exif_layout_differs", Severity.WARNING, params))
    return out
