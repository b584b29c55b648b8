"""Verify an exported ZIP or PDF: recompute every hash and report each difference by exhibit.

What an OK proves, and no more: the bundle is internally consistent. Its manifest matches the
bundle hash that the PDF, SHA256SUMS and README carry; every original in the ZIP matches the
manifest; the ZIP holds the PDF, whose attached manifest is the ZIP's; every page footer of the
PDF prints that bundle hash and the page count the PDF really has. Nothing here is keyed: whoever
rewrites a bundle can recompute every hash in it, so the bundle hash must still be compared with
a copy received separately (the one the platform received, an earlier download). With
`--against CASE` a PDF is also compared with the case it came from: each exhibit with the
case's own original, the manifest with the copy the case kept of that export, and the audit-log
head the export recorded with the case's log.

Every read of untrusted bytes is bounded (member and attachment sizes, decompression output,
the window a pattern may look at), checks are linear in the number of entries, and the PDF's
pages are read in a child process with a memory and time budget.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import os
import re
import select
import signal
import tempfile
import time
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.evidence.errors import InputError
from app.evidence.export.archive import README_NAME, SUMS_NAME
from app.evidence.export.manifest import MANIFEST_NAME, PDF_NAME, parse_manifest
from app.evidence.i18n import tr
from app.evidence.store.case import Case
from app.evidence.store.vault import hash_file

# Bounds on what verify reads from a bundle (a real export is far below each).
MAX_MANIFEST = 64 * 1024 * 1024  # manifest.json (10,000 exhibits with findings: ~30 MB)
MAX_SUMS = 16 * 1024 * 1024  # SHA256SUMS (~100 bytes a line)
MAX_README = 1024 * 1024  # README.txt (~5 KB)
MAX_PDF = 4 * 1024 * 1024 * 1024  # the PDF, read through a memory map, never whole
MAX_PAGES = 20_000  # pages whose footers are read
PAGE_BUDGET_S = 120  # the child reading footers: seconds, and memory above the parent's
PAGE_BUDGET_BYTES = 1024 * 1024 * 1024
SHOWN_PER_CODE = 20  # problems listed one by one per code; the rest are counted
_WINDOW = 4096  # bytes around a PDF keyword that the reader looks at
_MAX_CANDIDATES = 256  # occurrences of a PDF keyword tried before giving up
CHUNK = 1024 * 1024

_LENGTH = re.compile(rb"/Length\s{0,16}(\d{1,12})(?!\d)(?!\s{0,16}\d{1,12}\s{0,16}R)")
_HASH = re.compile(rb"bundle-sha256:([0-9a-f]{64})")
_FOOTER_HASH = re.compile(r"证据包哈希\s?([0-9a-f]{16})")
_FOOTER_PAGE = re.compile(r"第\s?(\d{1,6})\s?页\s?/\s?共\s?(\d{1,6})\s?页")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class VerifyProblem:
    """One difference between an export and what it should be.

    Attributes:
        code: original_changed, original_missing, unexpected_file, manifest_missing,
            manifest_unreadable, manifest_changed, sums_missing, pdf_changed, pdf_mismatch,
            pdf_missing, pdf_modified, pdf_truncated, page_footer, page_count, readme_missing,
            readme_mismatch, unsafe_name, too_large, not_an_export, unreadable, not_in_case,
            case_original_changed, case_original_missing, case_original_unsafe,
            added_after_export,
            not_recorded_in_case, audit_head_missing, more (a count of problems not listed).
        exhibit: the exhibit label ("证据3") when the problem concerns one.
    """

    code: str
    message: str
    exhibit: str | None = None


@dataclass(frozen=True)
class BundleVerification:
    """The outcome of verifying one export; `ok` when nothing differs.

    Attributes:
        notes: what could not be checked this time (said next to the verdict, not failures).
        pages_checked: PDF pages whose footer was read (None when none could be).
    """

    path: Path
    kind: str  # "zip" or "pdf"
    bundle_hash: str | None
    exhibits_checked: int
    problems: tuple[VerifyProblem, ...]
    notes: tuple[str, ...] = ()
    pages_checked: int | None = None
    against_case: bool = False

    @property
    def ok(self) -> bool:
        """True when every hash matched and nothing is missing or extra."""
        return not self.problems

    def summary(self) -> str:
        """One line after OK/FAILED: what was checked and, when OK, what that proves."""
        counted = tr("已核验 {n} 份证据", "{n} exhibits checked", n=self.exhibits_checked)
        if self.pages_checked is not None:
            counted += tr("、{p} 页页脚", ", {p} page footers", p=self.pages_checked)
        if not self.ok:
            return counted + tr(
                "，证据包 {bundle}", ", bundle {bundle}", bundle=self.bundle_hash or "?"
            )
        text = counted + tr(
            "；内部一致。请把证据包哈希 {bundle} 与您另行收到的副本核对"
            "（一致性不能排除有人改写后重新计算了全部哈希）",
            "; internally consistent: compare bundle hash {bundle} with the copy you received "
            "(consistency cannot rule out a rewrite that recomputed every hash)",
            bundle=self.bundle_hash or "?",
        )
        if self.against_case:
            text += tr(
                "；与案件的原件和导出记录一致", "; matches the case's originals and export record"
            )
        return text


class _Problems:
    """Problems in order, at most SHOWN_PER_CODE listed per code, the rest counted."""

    def __init__(self) -> None:
        self.items: list[VerifyProblem] = []
        self._count: Counter[str] = Counter()

    def add(self, problem: VerifyProblem) -> None:
        self._count[problem.code] += 1
        if self._count[problem.code] <= SHOWN_PER_CODE:
            self.items.append(problem)

    def extend(self, problems: Iterable[VerifyProblem]) -> None:
        for problem in problems:
            self.add(problem)

    def done(self) -> tuple[VerifyProblem, ...]:
        out = list(self.items)
        for code, n in self._count.items():
            if n > SHOWN_PER_CODE:
                out.append(
                    VerifyProblem(
                        "more",
                        tr(
                            "另有 {n} 个 {code} 问题未逐一列出",
                            "{n} more {code} problem(s) not listed one by one",
                            n=n - SHOWN_PER_CODE,
                            code=code,
                        ),
                    )
                )
        return tuple(out)


def _fail(path: Path, kind: str, code: str, message: str) -> BundleVerification:
    return BundleVerification(path, kind, None, 0, (VerifyProblem(code, message),))


# -- ZIP ---------------------------------------------------------------------------------------


def verify_zip(path: Path) -> BundleVerification:
    """Recompute every hash in an exported ZIP and compare with its manifest, sums and PDF."""
    path = Path(path)
    problems = _Problems()
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
        return _fail(
            path,
            "zip",
            "unreadable",
            tr(
                "无法打开 {name}：{error}", "cannot open {name}: {error}", name=path.name, error=exc
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
        problems.add(
            VerifyProblem(
                "damaged_archive",
                tr(
                    "{name} 已损坏：{error}",
                    "{name} is damaged: {error}",
                    name=path.name,
                    error=exc,
                ),
            )
        )
        return BundleVerification(path, "zip", None, 0, problems.done())
    finally:
        archive.close()


def _verify_open_zip(
    path: Path, archive: zipfile.ZipFile, problems: _Problems
) -> BundleVerification:
    """The checks of `verify_zip` on an opened archive (member read errors are the caller's)."""
    infos: dict[str, zipfile.ZipInfo] = {}
    seen: Counter[str] = Counter()
    for info in archive.infolist():
        seen[info.filename] += 1
        infos.setdefault(info.filename, info)
    names = set(infos)
    for twice in sorted(n for n, k in seen.items() if k > 1):
        # a second entry under the same name hides the first from most unzip tools
        problems.add(
            VerifyProblem(
                "duplicate_entry",
                tr(
                    "{name} 在压缩包里出现了不止一次",
                    "{name} appears more than once in the archive",
                    name=_shown(twice),
                ),
            )
        )
    for name in sorted(n for n in names if unsafe_name(n)):
        problems.add(_unsafe_problem(name))
    if MANIFEST_NAME not in names:
        problems.add(
            VerifyProblem("manifest_missing", tr("缺少 manifest.json", "manifest.json is missing"))
        )
        return BundleVerification(path, "zip", None, 0, problems.done())
    raw = _read_member(archive, infos[MANIFEST_NAME], MAX_MANIFEST)
    if raw is None:
        problems.add(_too_large(MANIFEST_NAME, MAX_MANIFEST))
        return BundleVerification(path, "zip", None, 0, problems.done())
    bundle = hashlib.sha256(raw).hexdigest()
    try:
        manifest = parse_manifest(raw)
    except ValueError as exc:
        problems.add(VerifyProblem("manifest_unreadable", str(exc)))
        return BundleVerification(path, "zip", bundle, 0, problems.done())
    sums: dict[str, str] | None = None
    if SUMS_NAME in names:
        sums_raw = _read_member(archive, infos[SUMS_NAME], MAX_SUMS)
        if sums_raw is None:
            problems.add(_too_large(SUMS_NAME, MAX_SUMS))
        else:
            sums = _read_sums(sums_raw)
    else:
        problems.add(
            VerifyProblem(
                "sums_missing",
                tr("压缩包里缺少 SHA256SUMS", "SHA256SUMS is missing from the archive"),
            )
        )
    if sums is not None and sums.get(MANIFEST_NAME) != bundle:
        problems.add(
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
            problems.add(
                VerifyProblem(
                    "file_missing",
                    tr(
                        "{name} 列在 SHA256SUMS 中，但压缩包里没有",
                        "{name} is listed in SHA256SUMS but missing from the archive",
                        name=_shown(listed),
                    ),
                )
            )
    _check_readme(archive, infos, bundle, problems)
    notes: list[str] = []
    pages: int | None = None
    if PDF_NAME in names:
        pages = _check_pdf_in_zip(archive, infos[PDF_NAME], raw, bundle, sums, problems, notes)
    else:
        # every export writes the PDF into its ZIP: without it nothing binds the manifest to
        # the pages a reader saw (a swapped original with recomputed sums would pass)
        problems.add(
            VerifyProblem(
                "pdf_missing",
                tr(
                    "压缩包里缺少 {name}（每次导出都会放入；它被删掉了）",
                    "{name} is missing from the archive (every export puts it there; "
                    "it was removed)",
                    name=PDF_NAME,
                ),
            )
        )
    expected: set[str] = set()
    checked = 0
    for entry in manifest["exhibits"]:
        name = entry.get("archive_name")
        if not name:
            continue
        if unsafe_name(name) and name not in names:
            problems.add(_unsafe_problem(name))
        expected.add(name)
        checked += 1
        problems.extend(_check_member(archive, infos, entry, name))
    if sums is not None:
        # SHA256SUMS must still list everything the export hashed: a shortened list would
        # let `sha256sum -c` pass on an archive it no longer covers
        must_list = expected | {MANIFEST_NAME} | ({PDF_NAME} if PDF_NAME in names else set())
        for unlisted in sorted(must_list - set(sums)):
            problems.add(
                VerifyProblem(
                    "sums_incomplete",
                    tr(
                        "{name} 没有列在 SHA256SUMS 中",
                        "{name} is not listed in SHA256SUMS",
                        name=_shown(unlisted),
                    ),
                )
            )
    known = expected | {MANIFEST_NAME, SUMS_NAME, PDF_NAME, README_NAME}
    # folder entries ("originals/") that zip tools add when an archive is re-packed hold no data
    for name in sorted(n for n in names - known if not n.endswith("/")):
        # anything the export did not write is a change, wherever it sits in the archive
        problems.add(
            VerifyProblem(
                "unexpected_file",
                tr(
                    "{name} 在压缩包里，但不在清单中",
                    "{name} is in the archive but not in the manifest",
                    name=_shown(name),
                ),
            )
        )
    return BundleVerification(path, "zip", bundle, checked, problems.done(), tuple(notes), pages)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes | None:
    """A member's bytes, or None when it is (or inflates to) more than `cap` bytes."""
    if info.file_size > cap:
        return None
    with archive.open(info) as member:
        data = member.read(cap + 1)  # zipfile stops at the declared size; this is the backstop
    return None if len(data) > cap else data


def _check_readme(
    archive: zipfile.ZipFile,
    infos: dict[str, zipfile.ZipInfo],
    bundle: str,
    problems: _Problems,
) -> None:
    if README_NAME not in infos:
        problems.add(
            VerifyProblem(
                "readme_missing",
                tr(
                    "压缩包里缺少 {name}（它印有证据包哈希）",
                    "{name} is missing from the archive (it carries the bundle hash)",
                    name=README_NAME,
                ),
            )
        )
        return
    text = _read_member(archive, infos[README_NAME], MAX_README)
    if text is None:
        problems.add(_too_large(README_NAME, MAX_README))
    elif bundle.encode("ascii") not in text:
        problems.add(
            VerifyProblem(
                "readme_mismatch",
                tr(
                    "{name} 印的证据包哈希不是这个 manifest.json 的",
                    "{name} does not carry this manifest.json's bundle hash",
                    name=README_NAME,
                ),
            )
        )


def _check_pdf_in_zip(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    manifest: bytes,
    bundle: str,
    sums: dict[str, str] | None,
    problems: _Problems,
    notes: list[str],
) -> int | None:
    if info.file_size > MAX_PDF:
        problems.add(_too_large(PDF_NAME, MAX_PDF))
        return None
    with tempfile.TemporaryDirectory(prefix="evidence-verify-") as folder:
        copy = Path(folder) / "bundle.pdf"
        digest = hashlib.sha256()
        with archive.open(info) as member, open(copy, "wb") as out:
            while block := member.read(CHUNK):
                digest.update(block)
                out.write(block)
        if sums is not None and sums.get(PDF_NAME) != digest.hexdigest():
            problems.add(
                VerifyProblem(
                    "pdf_changed",
                    tr("{name} 在导出后被改动过", "{name} was changed after export", name=PDF_NAME),
                )
            )
        facts = read_pdf_file(copy)
        if facts.problem is not None:
            problems.add(facts.problem)
            return None
        if facts.recorded_hash != bundle or facts.manifest != manifest:
            problems.add(
                VerifyProblem(
                    "pdf_mismatch",
                    tr(
                        "{name} 记录的证据包哈希与这个 manifest.json 不同"
                        "（清单被改过，或 PDF 来自另一次导出）",
                        "{name} records a different bundle hash than this "
                        "manifest.json (the manifest was edited, or the PDF is from another "
                        "export)",
                        name=PDF_NAME,
                    ),
                )
            )
        return _check_pages(copy, bundle, problems, notes)


def _check_member(
    archive: zipfile.ZipFile,
    infos: dict[str, zipfile.ZipInfo],
    entry: dict[str, Any],
    name: str,
) -> list[VerifyProblem]:
    label = f"{entry.get('label', '?')} ({_shown(entry.get('original_name') or name)})"
    info = infos.get(name)
    if info is None:
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
    if info.file_size == entry.get("size"):  # a different size is a change: nothing to read
        with archive.open(info) as member:
            while block := member.read(CHUNK):
                digest.update(block)
                size += len(block)
    if digest.hexdigest() != entry.get("sha256") or size != entry.get("size"):
        now = digest.hexdigest()[:12] if size == info.file_size else "?"
        return [
            VerifyProblem(
                "original_changed",
                tr(
                    "{label}：原件的内容与清单不符（SHA-256 {now}… ≠ {then}…）",
                    "{label}: the original's bytes differ from the manifest "
                    "(SHA-256 {now}… ≠ {then}…)",
                    label=label,
                    now=now,
                    then=str(entry.get("sha256"))[:12],
                ),
                entry.get("label"),
            )
        ]
    return []


# -- PDF ---------------------------------------------------------------------------------------


def verify_pdf(path: Path, against_case: Case | Path | None = None) -> BundleVerification:
    """Check a PDF's attached manifest and page footers; with a case, every exhibit and the
    case's record of the export."""
    path = Path(path)
    facts = read_pdf_file(path)
    if facts.problem is not None:
        return BundleVerification(path, "pdf", facts.recorded_hash, 0, (facts.problem,))
    assert facts.manifest is not None
    problems = _Problems()
    notes: list[str] = []
    bundle = hashlib.sha256(facts.manifest).hexdigest()
    if facts.recorded_hash != bundle:
        problems.add(
            VerifyProblem(
                "manifest_changed",
                tr(
                    "附带的清单与 PDF 记录的证据包哈希不符",
                    "the attached manifest does not match the bundle hash the PDF records",
                ),
            )
        )
    if not facts.ends_with_eof:
        problems.add(
            VerifyProblem(
                "pdf_truncated",
                tr("PDF 不完整（没有文件结束标记）", "the PDF is cut short (no end-of-file mark)"),
            )
        )
    elif facts.eof_marks > 1:
        problems.add(
            VerifyProblem(
                "pdf_modified",
                tr(
                    "导出后 PDF 被别的程序重新保存过",
                    "the PDF was saved again by another program after export",
                ),
            )
        )
    pages = _check_pages(path, bundle, problems, notes)
    try:
        manifest = parse_manifest(facts.manifest)
    except ValueError as exc:
        problems.add(VerifyProblem("manifest_unreadable", str(exc)))
        return BundleVerification(path, "pdf", bundle, 0, problems.done(), tuple(notes), pages)
    entries = [e for e in manifest["exhibits"] if e.get("sha256")]
    if against_case is not None:
        if isinstance(against_case, Case):
            _against_case(entries, manifest, facts.manifest, bundle, against_case, problems, notes)
        else:
            with Case.open(Path(against_case), writable=False) as case:
                _against_case(entries, manifest, facts.manifest, bundle, case, problems, notes)
    return BundleVerification(
        path,
        "pdf",
        bundle,
        len(entries),
        problems.done(),
        tuple(notes),
        pages,
        against_case is not None,
    )


@dataclass(frozen=True)
class PdfFacts:
    """What `read_pdf_file` found; `problem` set when the file cannot be verified at all."""

    manifest: bytes | None = None
    recorded_hash: str | None = None
    eof_marks: int = 0
    ends_with_eof: bool = False
    problem: VerifyProblem | None = None


def read_pdf_file(path: Path) -> PdfFacts:
    """The attached manifest, the recorded bundle hash and the %%EOF marks of an exported PDF.

    Linear and bounded on any input: the file is memory-mapped (never read whole), keywords
    are found with plain searches and only a small window around each is matched, and the
    attachment is inflated to at most MAX_MANIFEST bytes.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_PDF:
                return PdfFacts(problem=_too_large(path.name, MAX_PDF))
            if size < 8:
                return PdfFacts(problem=_not_pdf(path))
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return _read_mapped(path, data)
    except (OSError, ValueError) as exc:
        return PdfFacts(
            problem=VerifyProblem(
                "unreadable",
                tr(
                    "无法读取 {name}：{error}",
                    "cannot read {name}: {error}",
                    name=path.name,
                    error=exc,
                ),
            )
        )


def _read_mapped(path: Path, data: mmap.mmap) -> PdfFacts:
    if data[:5] != b"%PDF-":
        return PdfFacts(problem=_not_pdf(path))
    recorded = None
    keywords = data.find(b"/Keywords")
    if keywords >= 0:
        found = _HASH.search(data[keywords : keywords + 256])
        recorded = found.group(1).decode("ascii") if found else None
    eof_marks = 0
    at = data.find(b"%%EOF")
    while at >= 0:
        eof_marks += 1
        at = data.find(b"%%EOF", at + 5)
    ends = data[max(0, len(data) - 1024) :].rstrip().endswith(b"%%EOF")
    manifest, problem = _attachment(path, data)
    if problem is not None:
        return PdfFacts(None, recorded, eof_marks, ends, problem)
    if manifest is None:
        return PdfFacts(
            None,
            recorded,
            eof_marks,
            ends,
            VerifyProblem(
                "not_an_export",
                tr(
                    "这个 PDF 里没有举证助手的清单（不是导出的文件，或已损坏）",
                    "the PDF carries no EvidenceDesk manifest (not an export, or damaged)",
                ),
            ),
        )
    return PdfFacts(manifest, recorded, eof_marks, ends)


def _attachment(path: Path, data: mmap.mmap) -> tuple[bytes | None, VerifyProblem | None]:
    """The first /EmbeddedFile stream's bytes (inflated, bounded)."""
    at = 0
    for _ in range(_MAX_CANDIDATES):
        at = data.find(b"/EmbeddedFile", at)
        if at < 0:
            return None, None
        here, at = at, at + len(b"/EmbeddedFile")
        if data[at : at + 1] == b"s":  # /EmbeddedFiles, the name tree
            continue
        start = data.rfind(b"<<", max(0, here - _WINDOW), here)
        end = data.find(b">>", here, here + _WINDOW)
        if start < 0 or end < 0:
            continue
        head = data[start:end]
        after = data[end + 2 : end + 2 + 32].lstrip()
        if not after.startswith(b"stream"):
            continue
        length = _LENGTH.search(head)
        if length is None:
            continue
        body = end + 2 + (32 - len(data[end + 2 : end + 2 + 32].lstrip())) + len(b"stream")
        if data[body : body + 2] == b"\r\n":
            body += 2
        elif data[body : body + 1] in (b"\n", b"\r"):
            body += 1
        count = int(length.group(1))
        if count > MAX_PDF:
            return None, _too_large("manifest.json (PDF)", MAX_MANIFEST)
        raw = data[body : body + count]
        if b"FlateDecode" not in head:
            if len(raw) > MAX_MANIFEST:
                return None, _too_large("manifest.json (PDF)", MAX_MANIFEST)
            return bytes(raw), None
        inflater = zlib.decompressobj()
        try:
            out = inflater.decompress(raw, MAX_MANIFEST + 1)
        except zlib.error:
            return None, None
        if len(out) > MAX_MANIFEST or inflater.unconsumed_tail:
            # a compression bomb stops here, after MAX_MANIFEST bytes of output
            return None, _too_large("manifest.json (PDF)", MAX_MANIFEST)
        return out, None
    return None, None


def _check_pages(pdf: Path, bundle: str, problems: _Problems, notes: list[str]) -> int | None:
    """Every page footer must print this bundle's hash and "page i of n" with n = page count."""
    footers, why = read_footers(pdf)
    if footers is None:
        notes.append(
            tr("PDF 页脚未核验：{why}", "PDF page footers not checked: {why}", why=why or "?")
        )
        return None
    wrong_hash = [n for n, (short, _, _) in enumerate(footers, 1) if short != bundle[:16]]
    if wrong_hash:
        problems.add(
            VerifyProblem(
                "page_footer",
                tr(
                    "第 {pages} 页的页脚没有印这个证据包的哈希（页面被替换或 PDF 被重新生成）",
                    "page(s) {pages}: the footer does not print this bundle's hash "
                    "(pages replaced, or the PDF made again)",
                    pages=_page_list(wrong_hash),
                ),
            )
        )
    count = len(footers)
    totals = {total for _, _, total in footers if total is not None}
    misnumbered = [n for n, (_, number, _) in enumerate(footers, 1) if number != n]
    if totals != {count} or misnumbered:
        said = "/".join(str(t) for t in sorted(totals)) or "?"
        problems.add(
            VerifyProblem(
                "page_count",
                tr(
                    "PDF 有 {count} 页，但页脚写的是共 {said} 页（导出后有页面被删除、添加或调换）",
                    "the PDF has {count} pages but its footers say {said} "
                    "(pages were removed, added or moved after export)",
                    count=count,
                    said=said,
                ),
            )
        )
    return count


def read_footers(
    pdf: Path,
) -> tuple[list[tuple[str | None, int | None, int | None]] | None, str | None]:
    """(hash16, page number, page total) read from each page's footer, or (None, why not).

    The PDF is parsed by PDFium in a forked child with a memory and CPU budget, so a hostile
    file (nested drawings, a bomb in a content stream) costs at most that budget.
    """
    if not hasattr(os, "fork"):
        return None, tr(
            "此系统不支持在子进程中读取页面",
            "pages are read in a child process, not available here",
        )
    try:
        import pypdfium2  # noqa: F401  (loaded before the fork: the child only parses)
    except ImportError:
        return None, tr("未安装 pypdfium2", "pypdfium2 is not installed")
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 0
        try:
            os.close(read_fd)
            _limit_child()
            payload = json.dumps(_footers_in_child(pdf)).encode("utf-8")
            view = memoryview(payload)
            while view:
                view = view[os.write(write_fd, view) :]
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    os.close(write_fd)
    chunks: list[bytes] = []
    total = 0
    deadline = time.monotonic() + PAGE_BUDGET_S
    why = None
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                why = tr("读取页面超时", "reading the pages took too long")
                break
            ready, _, _ = select.select([read_fd], [], [], min(left, 1.0))
            if not ready:
                continue
            block = os.read(read_fd, 65536)
            if not block:
                break
            total += len(block)
            if total > 64 * 1024 * 1024:
                why = tr("页面信息过多", "too much page text")
                break
            chunks.append(block)
    finally:
        os.close(read_fd)
        if why is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if why is not None:
        return None, why
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or not chunks:
        return None, tr(
            "PDF 的页面无法在限额内读出（可能已损坏或被构造）",
            "the PDF's pages could not be read within the budget (damaged or crafted)",
        )
    try:
        found = json.loads(b"".join(chunks))
    except ValueError:
        return None, tr("页面信息无法解读", "the page text could not be read")
    if isinstance(found, dict):
        return None, str(found.get("error", "?"))
    return [tuple(row) for row in found], None  # type: ignore[misc]


def _limit_child() -> None:  # pragma: no cover - runs in the child
    try:
        import resource
    except ImportError:
        return
    try:
        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        used = 0
    if used:
        limit = used + PAGE_BUDGET_BYTES
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime + PAGE_BUDGET_S
    resource.setrlimit(resource.RLIMIT_CPU, (int(cpu) + 1, int(cpu) + 1))


def _footers_in_child(pdf: Path) -> Any:  # pragma: no cover - runs in the child
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError as exc:
        return {"error": f"PDFium cannot open the PDF: {exc}"}
    count = len(doc)
    if count > MAX_PAGES:
        return {"error": f"more than {MAX_PAGES} pages"}
    rows = []
    for index in range(count):
        page = doc[index]
        width, _ = page.get_size()
        text = page.get_textpage().get_text_bounded(0, 0, width, 40)[:500]
        short = _FOOTER_HASH.search(text)
        numbers = _FOOTER_PAGE.search(text)
        rows.append(
            [
                short.group(1) if short else None,
                int(numbers.group(1)) if numbers else None,
                int(numbers.group(2)) if numbers else None,
            ]
        )
    return rows


# -- against the case --------------------------------------------------------------------------


def _against_case(
    entries: list[dict[str, Any]],
    manifest: dict[str, Any],
    raw: bytes,
    bundle: str,
    case: Case,
    problems: _Problems,
    notes: list[str],
) -> None:
    _export_recorded(raw, bundle, case, problems, notes)
    head = (manifest.get("case") or {}).get("audit_log_head")
    if isinstance(head, str) and head:
        row = case.connection.execute(
            "SELECT seq FROM audit_log WHERE hash = ?", (head,)
        ).fetchone()
        if row is None:
            problems.add(
                VerifyProblem(
                    "audit_head_missing",
                    tr(
                        "导出时审计日志的最新记录（{head}…）已不在案件的审计日志中"
                        "（导出后有记录被删除，或日志被改写）",
                        "the audit row that was newest at export ({head}…) is no longer in the "
                        "case's audit log (rows removed, or the log rewritten, after export)",
                        head=head[:12],
                    ),
                )
            )
    items = {item.sha256: item for item in case.items()}
    for entry in entries:
        label = entry.get("label")
        item = items.get(entry["sha256"])
        if item is None:
            problems.add(
                VerifyProblem(
                    "not_in_case",
                    tr(
                        "{label}（{name}）：案件中没有这个 SHA-256 的原件（已被删除或替换）",
                        "{label} ({name}): no original with this SHA-256 is in the case "
                        "(removed or replaced)",
                        label=label,
                        name=_shown(entry.get("original_name") or entry.get("archive_name") or ""),
                    ),
                    label,
                )
            )
            continue
        try:
            original = case.path_of(item)
        except InputError as exc:  # a recorded path outside the case: never read through it
            problems.add(VerifyProblem("case_original_unsafe", f"{label}: {exc}", label))
            continue
        if not original.is_file():
            problems.add(
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
            problems.add(
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
            problems.add(
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


def kept_manifests(case_root: Path) -> list[Path]:
    """The manifests a case kept of its exports (exports/*.manifest.json), oldest first."""
    folder = Path(case_root) / "exports"
    try:
        return sorted(p for p in folder.glob("*.manifest.json") if p.is_file())
    except OSError:
        return []


def _export_recorded(
    raw: bytes, bundle: str, case: Case, problems: _Problems, notes: list[str]
) -> None:
    """The case keeps a copy of every manifest it exported: this one must be among them."""
    kept = kept_manifests(case.root)
    for path in kept:
        if bundle[:12] not in path.name:
            continue
        try:
            if path.stat().st_size == len(raw) and path.read_bytes() == raw:
                return
        except OSError:
            continue
    if not kept:
        notes.append(
            tr(
                "案件没有保留任何导出的清单副本（exports/ 为空），无法确认这次导出出自该案件",
                "the case keeps no copy of any export's manifest (exports/ is empty): "
                "that this export came from it could not be confirmed",
            )
        )
        return
    problems.add(
        VerifyProblem(
            "not_recorded_in_case",
            tr(
                "案件的导出记录中没有证据包哈希为 {bundle}… 的导出"
                "（PDF 不是从这个案件导出的，或其清单被改写过）",
                "the case has no record of an export with bundle hash {bundle}… "
                "(the PDF was not exported from this case, or its manifest was rewritten)",
                bundle=bundle[:12],
            ),
        )
    )


# -- names and helpers -------------------------------------------------------------------------


def unsafe_name(name: str) -> bool:
    """True for a ZIP entry name that could leave the folder it is unpacked into, or that
    shows differently than it is (absolute, "..", a drive, a backslash, control or bidi
    characters)."""
    if name.startswith(("/", "\\")) or _DRIVE.match(name) or "\\" in name:
        return True
    if any(part == ".." for part in name.split("/")):
        return True
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name)


def _unsafe_problem(name: str) -> VerifyProblem:
    return VerifyProblem(
        "unsafe_name",
        tr(
            "压缩包里的名称 {name} 不安全（指向压缩包外的位置，或含控制/方向字符）",
            "the archive name {name} is unsafe (it points outside the archive's folder, "
            "or holds control or direction characters)",
            name=_shown(name),
        ),
    )


def _shown(name: str) -> str:
    """A name as printed in a message: control and bidi characters made visible, cut short."""
    text = "".join(
        f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
        for ch in name[:200]
    )
    return text + ("…" if len(name) > 200 else "")


def _too_large(name: str, cap: int) -> VerifyProblem:
    return VerifyProblem(
        "too_large",
        tr(
            "{name} 超过 {mb} MB，不像导出的文件，未读取",
            "{name} is larger than {mb} MB, more than any export writes; not read",
            name=name,
            mb=cap // (1024 * 1024),
        ),
    )


def _not_pdf(path: Path) -> VerifyProblem:
    return VerifyProblem(
        "not_an_export", tr("{name} 不是 PDF", "{name} is not a PDF", name=path.name)
    )


def _page_list(pages: list[int]) -> str:
    shown = ", ".join(str(p) for p in pages[:10])
    return shown + (f" (+{len(pages) - 10})" if len(pages) > 10 else "")


def _read_sums(data: bytes) -> dict[str, str]:
    sums = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        digest, sep, name = line.partition("  ")
        if sep and len(digest) == 64:
            sums[name] = digest.lower()
    return sums


__all__ = [
    "BundleVerification",
    "PdfFacts",
    "VerifyProblem",
    "kept_manifests",
    "read_footers",
    "read_pdf_file",
    "unsafe_name",
    "verify_pdf",
    "verify_zip",
]
