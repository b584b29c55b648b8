"""The ZIP archive: byte-exact originals, manifest.json, the PDF, SHA256SUMS and a README.

Originals keep their names only when the user opted in; otherwise they are named by exhibit
(originals/证据007.jpg, from the manifest). Originals are copied in 1 MiB blocks and hashed
on the way, so a vault file that changed since import is noticed while it is written (and
SHA256SUMS, which lists the recorded hashes, will fail on it for anyone who checks). Media are
stored, not deflated: they are compressed already and stay extractable byte for byte by any
unzip tool.
"""

from __future__ import annotations

import hashlib
import logging
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from app.evidence.export.manifest import MANIFEST_NAME, PDF_NAME, Manifest
from app.evidence.export.model import Exhibit
from app.evidence.progress import CancelToken, Progress, ProgressCallback, no_progress

log = logging.getLogger(__name__)

SUMS_NAME = "SHA256SUMS"
README_NAME = "README.txt"
CHUNK = 1024 * 1024

README = """证据包核验说明（EvidenceDesk 举证助手）
========================================
证据包哈希（manifest.json 的 SHA-256）：
{bundle}

本 ZIP 包含：originals/ 中的原件（与导入时逐字节相同）、manifest.json（每个原件的哈希、大小、
时间、备注和检查结论）、{pdf}（可阅读的证据链 PDF）、SHA256SUMS（所有文件的哈希）。

如何核验：
1. 解压后在此文件夹中运行：sha256sum -c SHA256SUMS
   （Windows PowerShell：Get-FileHash 文件名 -Algorithm SHA256；
    或 certutil -hashfile 文件名 SHA256）
   每一行都应为 OK。
2. manifest.json 的 SHA-256 应等于上面的证据包哈希，也等于 PDF 每页页脚印的前 16 位。
3. 也可用本软件：evidence-desk verify 本文件.zip

说明：核验通过只说明本证据包内部一致（每个文件与清单中的哈希相符）。任何人改写后都能重新计算
全部哈希，所以请把上面的证据包哈希与您另行收到的副本（例如提交给平台的那份）核对；
哈希也不能证明导入之前发生过什么。
隐私：originals/ 中的原件与导入时逐字节相同，这正是证据所在：它们未被遮盖，并且仍然保留
原始元数据（EXIF、可能含拍摄地点 GPS、设备信息、XMP、缩略图）。{pdf} 和上传图片包中的图片
则只含像素：元数据已全部去除，已确认的遮盖区域已用实心黑框覆盖（见 PDF 的“隐私处理”页）。
请只把本 ZIP 交给需要核验原件的一方（平台、调解机构、法院）。

How to verify this bundle (EvidenceDesk)
========================================
Bundle hash (SHA-256 of manifest.json):
{bundle}

This ZIP holds the originals (byte-identical to what was imported) under originals/, manifest.json
(each original's hash, size, times, note and verdict), {pdf} (the readable evidence chain) and
SHA256SUMS (hashes of every file).

1. Unzip, then run in this folder: sha256sum -c SHA256SUMS   (every line must say OK;
   on Windows: Get-FileHash FILE -Algorithm SHA256, or certutil -hashfile FILE SHA256).
2. The SHA-256 of manifest.json must equal the bundle hash above and the 16 digits
   in every PDF footer.
3. Or run: evidence-desk verify THIS.zip

Matching hashes show only that this bundle is internally consistent (each file matches the
hash listed). Whoever rewrites a bundle can recompute every hash, so compare the bundle hash
above with a copy you received separately (e.g. the one submitted to the platform). A hash
cannot show what happened before import.
Privacy: the originals under originals/ are byte-identical to what was imported, which is what
makes them evidence: they are not redacted and still carry their metadata (EXIF, possibly the
GPS location and the device, XMP, thumbnails). The pictures in {pdf} and in upload packs hold
pixels only: all metadata removed, accepted redactions burned in as solid black boxes (see the
PDF's privacy page). Give this ZIP only to whoever must verify the originals (the platform, a
mediator, a court).
"""
KEPT_NOTE = """
注意：本次导出应用户要求保留了元数据：上传图片包中显示照片和截图的页面以及视频副本带有原件的
元数据（可能含拍摄地点），有遮盖区域的证据除外（见 PDF 的“隐私处理”页）。
Note: for this export the user chose to keep metadata: the upload pack's pages showing photos and
screenshots and its video copies carry their originals' metadata (possibly the location), except
exhibits with covered areas (see the PDF's privacy page).
"""


def write_zip(
    out_path: Path,
    manifest: Manifest,
    exhibits: Sequence[Exhibit],
    pdf_file: Path | None,
    exported_at: datetime,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> list[str]:
    """Write the archive to `out_path`; returns problems (originals whose bytes changed)."""
    cancel = cancel or CancelToken()
    stamp = _zip_time(exported_at)
    names = {entry["number"]: entry.get("archive_name") for entry in manifest.data["exhibits"]}
    sums: list[tuple[str, str]] = [(manifest.bundle_hash, MANIFEST_NAME)]
    problems: list[str] = []
    originals = [e for e in exhibits if e.item is not None and e.path is not None]
    total = len(originals)
    with zipfile.ZipFile(out_path, "w", allowZip64=True) as archive:
        _put(archive, MANIFEST_NAME, manifest.raw, stamp)
        if pdf_file is not None:
            sums.append((_copy(archive, pdf_file, PDF_NAME, stamp, zipfile.ZIP_DEFLATED), PDF_NAME))
        for done, e in enumerate(originals, start=1):
            cancel.raise_if_cancelled()
            assert e.item is not None and e.path is not None
            name = names[e.number]
            if not e.path.is_file():
                problems.append(f"{e.label}: the original is missing from the case; not in the ZIP")
                continue
            digest = _copy(archive, e.path, name, stamp, zipfile.ZIP_STORED)
            if digest != e.item.sha256:
                problems.append(
                    f"{e.label}: the original's bytes no longer match its recorded SHA-256"
                )
            sums.append((e.item.sha256, name))
            progress(Progress("export.zip", done, total, e.title))
        _put(archive, SUMS_NAME, "".join(f"{h}  {n}\n" for h, n in sums).encode("utf-8"), stamp)
        readme = README.format(
            bundle=manifest.bundle_hash, pdf=PDF_NAME if pdf_file else "(no PDF)"
        )
        if manifest.data.get("privacy", {}).get("metadata_kept_at_user_request"):
            readme += KEPT_NOTE
        _put(archive, README_NAME, readme.encode("utf-8"), stamp)
    return problems


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    year = max(1980, moment.year)
    return (year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _info(
    name: str, stamp: tuple[int, int, int, int, int, int], method: int, size: int
) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = method
    info.external_attr = 0o644 << 16
    info.file_size = size
    return info


def _put(
    archive: zipfile.ZipFile, name: str, data: bytes, stamp: tuple[int, int, int, int, int, int]
) -> None:
    archive.writestr(_info(name, stamp, zipfile.ZIP_DEFLATED, len(data)), data)


def _copy(
    archive: zipfile.ZipFile,
    source: Path,
    name: str,
    stamp: tuple[int, int, int, int, int, int],
    method: int,
) -> str:
    """Stream a file into the archive; returns the SHA-256 of the bytes written."""
    digest = hashlib.sha256()
    size = source.stat().st_size
    with (
        open(source, "rb") as src,
        archive.open(_info(name, stamp, method, size), "w", force_zip64=size > 0x7FFF0000) as dst,
    ):
        while block := src.read(CHUNK):
            digest.update(block)
            dst.write(block)
    return digest.hexdigest()
