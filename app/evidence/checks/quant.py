"""JPEG quantization tables: standard libjpeg tables, quality, and the claimed camera (J4).

The IJG (libjpeg) library scales the ITU T.81 Annex K tables by a quality setting; nearly every
program saves with those exact tables, and so do many cameras and phones: makers buy cameras
built by other firms (OEM: a Sanyo- or Sony-built compact sold as Olympus, Kodak, Canon or
Polaroid) whose firmware uses the builder's IJG-scaled tables at a fixed quality, and cheap and
old cameras save at qualities a desktop program would also use (60-75). So standard tables,
even under a maker whose own cameras write their own tables and even at a low quality, are not
evidence of a re-save by themselves: they are reported as context (info) and count (warning)
only together with another trace of a general-purpose writer around the camera's EXIF: a JFIF
segment written before the EXIF block (cameras write EXIF first or alone). Tables that match a
known editor's own tables (quant_tables.json "known_tables", kind "editor") say which program
saved the file last: a re-save (warning), never a change of content by itself. Known camera
tables, and models that use IJG tables at a fixed quality, come from
resources/signatures/quant_tables.json (grown from real files; its coverage is small, so a
table that is merely unknown says nothing).
"""

from __future__ import annotations

import functools

from PIL.JpegImagePlugin import zigzag_index

from app.evidence.checks.model import Finding, Severity
from app.evidence.checks.photo_input import PhotoInput
from app.evidence.checks.signatures import quant_knowledge, same_name
from app.evidence.checks.texts import finding

LOW_QUALITY = 75  # at or below: a library default or a chat app, not a camera

# ITU T.81 Annex K, natural (row-major) order.
_LUMA = (
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
)  # fmt: skip
_CHROMA = (
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
    24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
) + (99,) * 32  # fmt: skip

Tables = tuple[tuple[int, ...], ...]


def ijg_tables(quality: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The libjpeg luminance and chrominance tables at `quality`, in zigzag (stored) order."""
    return _ijg(quality)


def ijg_quality(tables: Tables) -> int | None:
    """The IJG quality whose standard tables these are exactly, or None."""
    if not tables:
        return None
    for quality in range(1, 101):
        luma, chroma = _ijg(quality)
        if tables[0] == luma and all(t == chroma for t in tables[1:]):
            return quality
    return None


def estimate_quality(tables: Tables) -> int:
    """The IJG quality whose luminance table is nearest (sum of absolute differences)."""
    luma = tables[0]

    def distance(quality: int) -> int:
        return sum(abs(a - b) for a, b in zip(luma, _ijg(quality)[0], strict=False))

    return min(range(1, 101), key=distance)


def quant_findings(photo: PhotoInput) -> list[Finding]:
    """Standard-table and quality facts, and disagreements with the claimed camera."""
    tables = photo.meta.quantization_tables
    if not tables:
        return []
    quality = ijg_quality(tables)
    out: list[Finding] = []
    if quality is not None:
        out.append(finding("quant_standard", Severity.INFO, {"quality": quality}))
    else:
        out.append(finding("quant_estimate", Severity.INFO, {"quality": estimate_quality(tables)}))
    known = quant_knowledge()
    for row in known["known_tables"]:
        if tuple(tuple(t) for t in row["tables"]) == tuple(tables):
            severity = Severity.WARNING if row["kind"] == "editor" else Severity.INFO
            params = {"name": row["name"], "source": row["source"], "kind": row["kind"]}
            out.append(finding("quant_known_table", severity, params))
    if photo.is_screenshot or not (photo.meta.make or photo.meta.model):
        return out
    out.extend(_claimed_device(photo, quality, known))
    return out


def software_writer_seen(photo: PhotoInput) -> bool:
    """A JFIF segment before the camera's EXIF block: a general-purpose writer saved last."""
    return photo.jpeg is not None and photo.jpeg.app_order() == "jfif_first"


def _claimed_device(photo: PhotoInput, quality: int | None, known: dict) -> list[Finding]:
    make, model = photo.meta.make or "", photo.meta.model or ""
    corroborated = software_writer_seen(photo)
    # Standard tables alone could be an OEM-built camera's firmware: context, unless the
    # layout says a general-purpose program wrote the file.
    severity = Severity.WARNING if corroborated else Severity.INFO
    if quality is not None:
        for row in known["makers_with_own_tables"]:
            if make.lower().startswith(row["make"].lower()):
                params = {
                    "make": make,
                    "quality": quality,
                    "table_source": row["source"],
                    "jfif_before_exif": corroborated,
                }
                return [finding("quant_software_for_maker", severity, params)]
    for row in known["models_using_ijg_tables"]:
        if same_name(row["make"], make) and same_name(row["model"], model):
            if quality in row["qualities"]:
                return []
            expected = "/".join(str(q) for q in row["qualities"])
            actual = f"{quality}" if quality is not None else "—"
            params = {"model": model, "expected_quality": row["qualities"], "quality": quality}
            return [
                finding(
                    "quant_model_mismatch",
                    Severity.WARNING,
                    params,
                    expected_zh=f"质量 {expected} 的标准表",
                    expected_en=f"standard tables at quality {expected}",
                    actual_zh=f"质量 {actual} 的标准表" if quality else "非标准表",
                    actual_en=f"standard tables at quality {actual}" if quality else "other tables",
                )
            ]
    if quality is not None and quality <= LOW_QUALITY:
        who = [r["who"] for r in known["software_default_qualities"] if r["quality"] == quality]
        params = {"quality": quality, "threshold": LOW_QUALITY, "jfif_before_exif": corroborated}
        return [
            finding(
                "quant_low_quality",
                severity,
                params,
                who_zh=who[0] if who else "图片处理软件和聊天软件",
                who_en=who[0] if who else "image software and chat apps",
            )
        ]
    return []


@functools.cache
def _ijg(quality: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    out = []
    for base in (_LUMA, _CHROMA):
        natural = [min(255, max(1, (b * scale + 50) // 100)) for b in base]
        stored = [0] * 64
        for natural_pos, zigzag_pos in enumerate(zigzag_index):
            stored[zigzag_pos] = natural[natural_pos]
        out.append(tuple(stored))
    return out[0], out[1]
