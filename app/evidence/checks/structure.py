"""How the JPEG file is put together: traces of the program that wrote it last.

several EXIF blocks                                  warning
another JPEG after the end of the picture, no MPF    warning (an earlier version may hide there)
other data after the end (motion photo, Samsung, padding)   info
libjpeg's default layout (JFIF before EXIF, four separate standard Huffman tables, standard
quantization tables) around a camera's EXIF block   warning
a known model whose originals are laid out otherwise (camera_models.json)   warning
both: libjpeg's layout under a model known to write another one      alert
C2PA Content Credentials present                     info (validated when c2pa-python is
                                                     installed: see provenance.py)
"""

from __future__ import annotations

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
    model_findings = _model_layout(photo)
    quality = ijg_quality(photo.meta.quantization_tables or ())
    if jpeg.app_order() == "jfif_first" and jpeg.libjpeg_layout() and quality is not None:
        # With a known model whose own files look otherwise, the camera cannot have written
        # this layout: a general-purpose program re-encoded it and copied the EXIF over.
        known = any(f.code == "structure_differs_from_model" for f in model_findings)
        params = {"markers": jpeg.labels()[:12], "quality": quality, "model_known": known}
        severity = Severity.ALERT if known else Severity.WARNING
        out.append(finding("library_resave", severity, params, device=photo.device))
    out.extend(model_findings)
    return out


def _trailer(photo: PhotoInput) -> Finding:
    jpeg = photo.jpeg
    assert jpeg is not None
    kind = jpeg.trailer or "unknown"
    has_mpf = any(s.label == "MPF" for s in jpeg.segments)
    suspicious = kind == "jpeg" and not has_mpf
    if suspicious:
        meaning = (
            "文件没有声明多图格式（MPF），后面的图片可能是修改前的旧版本。",
            "The file declares no multi-picture format (MPF); the appended picture may be an "
            "earlier version.",
        )
    else:
        meaning = ("这通常是手机或相机附加的数据。", "Phones and cameras append such data.")
    params = {"bytes": jpeg.after_eoi, "trailer": kind, "mpf": has_mpf}
    zh, en = _TRAILERS[kind]
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
