"""Verify an exported ZIP or PDF: recompute every hash and report each difference by exhibit.

`verify_zip` catches a changed byte in any original, a missing original, an edited manifest (its
hash no longer matches SHA256SUMS or the bundle hash the PDF carries), a PDF swapped or edited
after export, and files added to originals/. `verify_pdf` checks the manifest attached to the PDF
against the bundle hash it records, notices a PDF saved again by an editor, and with a case
compares every exhibit with the case's originals.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.evidence.export.archive import README_NAME, SUMS_NAME
from app.evidence.export.manifest import MANIFEST_NAME, PDF_NAME, parse_manifest
from app.evidence.export.pdf.embed import read_pdf
from app.evidence.i18n import tr
from app.evidence.store.case import Case
from app.evidence.store.vault import hash_file


@dataclass(frozen=True)
class VerifyProblem:
    """One difference between an export and what it should be.

    Attributes:
        code: original_changed, original_missing, unexpected_file, manifest_missing,
            manifest_unreadable, manifest_changed, sums_missing, pdf_changed, pdf_mismatch,
            pdf_modified, pdf_truncated, not_an_export, unreadable, not_in_case,
            case_original_changed, case_original_missing, added_after_export.
        exhibit: the exhibit label ("证据3") when the problem concerns one.
    """

    code: str
    message: str
    exhibit: str | None = None


@dataclass(frozen=True)
class BundleVerification:
    """The outcome of verifying one export; `ok` when nothing differs."""

    path: Path
    kind: str  # "zip" or "pdf"
    bundle_hash: str | None
    exhibits_checked: int
    problems: tuple[VerifyProblem, ...]

    @property
    def ok(self) -> bool:
        """True when every hash matched and nothing is missing or extra."""
        return not self.problems


def verify_zip(path: Path) -> BundleVerification:
    """Recompute every hash in an exported ZIP and compare with its manifest, sums and PDF."""
    path = Path(path)
    problems: list[VerifyProblem] = []
    # zipfile raises more than BadZipFile on hostile archives: NotImplementedError for an
    # unsupported ZIP64 version, UnicodeDecodeError for a name flagged UTF-8 that is not
    try:
        archive = zipfile.ZipFile(path)
    except (
        OSError,
        zipfile.BadZipFile,
        NotImplementedError,
        UnicodeDecodeError,
        ValueError,
    ) as exc:
        return BundleVerification(
            path,
            "zip",
            None,
            0,
            (
                VerifyProblem(
                    "unreadable",
                    tr(
                        "无法打开 {name}：{error}",
                        "cannot open {name}: {error}",
                        name=path.name,
                        error=exc,
                    ),
                ),
            ),
        )
    try:
        return _verify_open_zip(path, archive, problems)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        # a damaged member (bad CRC, bad compressed data, encrypted): a failed verification
        return BundleVerification(
            path,
            "zip",
            None,
            0,
            (
                *problems,
                VerifyProblem(
                    "damaged_archive",
                    tr(
                        "{name} 已损坏：{error}",
                        "{name} is damaged: {error}",
                        name=path.name,
                        error=exc,
                    ),
                ),
            ),
        )
    finally:
        archive.close()


def _verify_open_zip(
    path: Path, archive: zipfile.ZipFile, problems: list[VerifyProblem]
) -> BundleVerification:
    """The checks of `verify_zip` on an opened archive (member read errors are the caller's)."""
    listing = archive.namelist()
    names = set(listing)
    for twice in sorted({n for n in listing if listing.count(n) > 1}):
        # a second entry under the same name hides the first from most unzip tools
        problems.append(
            VerifyProblem(
                "duplicate_entry",
                tr(
                    "{name} 在压缩包里出现了不止一次",
                    "{name} appears more than once in the archive",
                    name=twice,
                ),
            )
        )
    if MANIFEST_NAME not in names:
        return BundleVerification(
            path,
            "zip",
            None,
            0,
            (
                VerifyProblem(
                    "manifest_missing", tr("缺少 manifest.json", "manifest.json is missing")
                ),
            ),
        )
    raw = archive.read(MANIFEST_NAME)
    bundle = hashlib.sha256(raw).hexdigest()
    try:
        manifest = parse_manifest(raw)
    except ValueError as exc:
        return BundleVerification(
            path, "zip", bundle, 0, (VerifyProblem("manifest_unreadable", str(exc)),)
        )
    sums = _read_sums(archive.read(SUMS_NAME)) if SUMS_NAME in names else None
    if sums is None:
        problems.append(
            VerifyProblem(
                "sums_missing",
                tr("压缩包里缺少 SHA256SUMS", "SHA256SUMS is missing from the archive"),
            )
        )
    elif sums.get(MANIFEST_NAME) != bundle:
        problems.append(
            VerifyProblem(
                "manifest_changed",
                tr(
                    "manifest.json 在导出后被改动过（其 SHA-256 与 SHA256SUMS 中的不同）",
                    "manifest.json was changed after export "
                    "(its SHA-256 differs from the one in SHA256SUMS)",
                ),
            )
        )
    if sums is not None:
        for listed in sorted(set(sums) - names):
            problems.append(
                VerifyProblem(
                    "file_missing",
                    tr(
                        "{name} 列在 SHA256SUMS 中，但压缩包里没有",
                        "{name} is listed in SHA256SUMS but missing from the archive",
                        name=listed,
                    ),
                )
            )
    if PDF_NAME in names:
        problems += _check_pdf_in_zip(archive.read(PDF_NAME), raw, bundle, sums)
    expected: set[str] = set()
    checked = 0
    for entry in manifest["exhibits"]:
        name = entry.get("archive_name")
        if not name:
            continue
        expected.add(name)
        checked += 1
        problems += _check_member(archive, names, entry, name)
    if sums is not None:
        # SHA256SUMS must still list everything the export hashed: a shortened list would
        # let `sha256sum -c` pass on an archive it no longer covers
        must_list = expected | {MANIFEST_NAME} | ({PDF_NAME} if PDF_NAME in names else set())
        for unlisted in sorted(must_list - set(sums)):
            problems.append(
                VerifyProblem(
                    "sums_incomplete",
                    tr(
                        "{name} 没有列在 SHA256SUMS 中",
                        "{name} is not listed in SHA256SUMS",
                        name=unlisted,
                    ),
                )
            )
    known = expected | {MANIFEST_NAME, SUMS_NAME, PDF_NAME, README_NAME}
    # folder entries ("originals/") that zip tools add when an archive is re-packed hold no data
    for name in sorted(n for n in names - known if not n.endswith("/")):
        # anything the export did not write is a change, wherever it sits in the archive
        problems.append(
            VerifyProblem(
                "unexpected_file",
                tr(
                    "{name} 在压缩包里，但不在清单中",
                    "{name} is in the archive but not in the manifest",
                    name=name,
                ),
            )
        )
    return BundleVerification(path, "zip", bundle, checked, tuple(problems))


def verify_pdf(path: Path, against_case: Case | Path | None = None) -> BundleVerification:
    """Check a PDF's attached manifest and, with a case, every exhibit against the case."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return BundleVerification(
            path,
            "pdf",
            None,
            0,
            (
                VerifyProblem(
                    "unreadable",
                    tr(
                        "无法读取 {name}：{error}",
                        "cannot read {name}: {error}",
                        name=path.name,
                        error=exc,
                    ),
                ),
            ),
        )
    if not data.startswith(b"%PDF-"):
        return BundleVerification(
            path,
            "pdf",
            None,
            0,
            (
                VerifyProblem(
                    "not_an_export", tr("{name} 不是 PDF", "{name} is not a PDF", name=path.name)
                ),
            ),
        )
    contents = read_pdf(data)
    if contents.manifest is None:
        return BundleVerification(
            path,
            "pdf",
            contents.recorded_hash,
            0,
            (
                VerifyProblem(
                    "not_an_export",
                    tr(
                        "这个 PDF 里没有举证助手的清单（不是导出的文件，或已损坏）",
                        "the PDF carries no EvidenceDesk manifest (not an export, or damaged)",
                    ),
                ),
            ),
        )
    problems: list[VerifyProblem] = []
    bundle = hashlib.sha256(contents.manifest).hexdigest()
    if contents.recorded_hash != bundle:
        problems.append(
            VerifyProblem(
                "manifest_changed",
                tr(
                    "附带的清单与 PDF 记录的证据包哈希不符",
                    "the attached manifest does not match the bundle hash the PDF records",
                ),
            )
        )
    if not data.rstrip().endswith(b"%%EOF"):
        problems.append(
            VerifyProblem(
                "pdf_truncated",
                tr("PDF 不完整（没有文件结束标记）", "the PDF is cut short (no end-of-file mark)"),
            )
        )
    elif contents.eof_marks > 1:
        problems.append(
            VerifyProblem(
                "pdf_modified",
                tr(
                    "导出后 PDF 被别的程序重新保存过",
                    "the PDF was saved again by another program after export",
                ),
            )
        )
    try:
        manifest = parse_manifest(contents.manifest)
    except ValueError as exc:
        return BundleVerification(
            path, "pdf", bundle, 0, (*problems, VerifyProblem("manifest_unreadable", str(exc)))
        )
    entries = [e for e in manifest["exhibits"] if e.get("sha256")]
    if against_case is not None:
        if isinstance(against_case, Case):
            problems += _against_case(entries, against_case)
        else:
            with Case.open(Path(against_case), writable=False) as case:
                problems += _against_case(entries, case)
    return BundleVerification(path, "pdf", bundle, len(entries), tuple(problems))


def _check_pdf_in_zip(
    pdf: bytes, manifest: bytes, bundle: str, sums: dict[str, str] | None
) -> list[VerifyProblem]:
    problems = []
    if sums is not None and sums.get(PDF_NAME) != hashlib.sha256(pdf).hexdigest():
        problems.append(
            VerifyProblem(
                "pdf_changed",
                tr("{name} 在导出后被改动过", "{name} was changed after export", name=PDF_NAME),
            )
        )
    contents = read_pdf(pdf)
    if contents.recorded_hash != bundle or contents.manifest != manifest:
        problems.append(
            VerifyProblem(
                "pdf_mismatch",
                tr(
                    "{name} 记录的证据包哈希与这个 manifest.json 不同"
                    "（清单被改过，或 PDF 来自另一次导出）",
                    "{name} records a different bundle hash than this "
                    "manifest.json (the manifest was edited, or the PDF is from another export)",
                    name=PDF_NAME,
                ),
            )
        )
    return problems


def _check_member(
    archive: zipfile.ZipFile, names: set[str], entry: dict[str, Any], name: str
) -> list[VerifyProblem]:
    label = f"{entry.get('label', '?')} ({entry.get('original_name') or name})"
    if name not in names:
        return [
            VerifyProblem(
                "original_missing",
                tr(
                    "{label}：压缩包里缺少原件",
                    "{label}: the original is missing from the archive",
                    label=label,
                ),
                entry.get("label"),
            )
        ]
    digest = hashlib.sha256()
    size = 0
    with archive.open(name) as member:
        while block := member.read(1024 * 1024):
            digest.update(block)
            size += len(block)
    if digest.hexdigest() != entry.get("sha256") or size != entry.get("size"):
        return [
            VerifyProblem(
                "original_changed",
                tr(
                    "{label}：原件的内容与清单不符（SHA-256 {now}… ≠ {then}…）",
                    "{label}: the original's bytes differ from the manifest "
                    "(SHA-256 {now}… ≠ {then}…)",
                    label=label,
                    now=digest.hexdigest()[:12],
                    then=str(entry.get("sha256"))[:12],
                ),
                entry.get("label"),
            )
        ]
    return []


def _against_case(entries: list[dict[str, Any]], case: Case) -> list[VerifyProblem]:
    problems = []
    items = {item.sha256: item for item in case.items()}
    for entry in entries:
        label = entry.get("label")
        item = items.get(entry["sha256"])
        if item is None:
            problems.append(
                VerifyProblem(
                    "not_in_case",
                    tr(
                        "{label}（{name}）：案件中没有这个 SHA-256 的原件（已被删除或替换）",
                        "{label} ({name}): no original with this SHA-256 is in the case "
                        "(removed or replaced)",
                        label=label,
                        name=entry.get("original_name") or entry.get("archive_name"),
                    ),
                    label,
                )
            )
            continue
        original = case.path_of(item)
        if not original.is_file():
            problems.append(
                VerifyProblem(
                    "case_original_missing",
                    tr(
                        "{label}：案件中的原件不见了",
                        "{label}: the case's original file is missing",
                        label=label,
                    ),
                    label,
                )
            )
        elif hash_file(original) != item.sha256:
            problems.append(
                VerifyProblem(
                    "case_original_changed",
                    tr(
                        "{label}：案件中的原件在导入后变了",
                        "{label}: the case's original changed since import",
                        label=label,
                    ),
                    label,
                )
            )
    exported = {entry["sha256"] for entry in entries}
    for sha, item in items.items():
        if sha not in exported:
            problems.append(
                VerifyProblem(
                    "added_after_export",
                    tr(
                        "第 {item} 项（{name}）在案件中，但不在这次导出里（导出后才添加）",
                        "item {item} ({name}) is in the case "
                        "but not in this export (added after it was made)",
                        item=item.id,
                        name=item.original_name,
                    ),
                )
            )
    return problems


def _read_sums(data: bytes) -> dict[str, str]:
    sums = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        digest, sep, name = line.partition("  ")
        if sep and len(digest) == 64:
            sums[name] = digest.lower()
    return sums
