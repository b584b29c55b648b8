"""A small generated case and its export for the verify tests (no corpus needed)."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

from app.evidence.export import ExportResult, export_case
from app.evidence.ingest.importer import import_files
from app.evidence.store.case import Case

EXPORTED_AT = datetime(2025, 6, 14, 3, 0, tzinfo=UTC)


def make_case(root: Path, names: tuple[str, ...] = ("p0.jpg", "p1.jpg", "p2.jpg")) -> Path:
    """A case with a few generated photos and a tracking text."""
    source = root.parent / f"{root.name}-in"
    source.mkdir(parents=True, exist_ok=True)
    for n, name in enumerate(names):
        Image.new("RGB", (64 + n, 48), (n * 40 % 256, 100, 200)).save(
            source / name, format="JPEG", quality=90
        )
    (source / "track.txt").write_text(
        "2025-06-01 10:00 已揽收\n2025-06-02 12:00 已签收\n", encoding="utf-8"
    )
    with Case.create(root, "测试案件", order_no="3301234567890") as case:
        report = import_files(case, sorted(source.iterdir()))
        assert report.count("failed") == 0
        case.set_note(1, "外包装破损")
    return root


def export(root: Path, out: Path, *, original_names: bool = False) -> ExportResult:
    """Export the case as a PDF and a ZIP into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    with Case.open(root, writable=False) as case:
        return export_case(
            case,
            pdf=out / "chain.pdf",
            zip_path=out / "bundle.zip",
            clock=lambda: EXPORTED_AT,
            original_names=original_names,
        )


def rewrite_zip(
    src: Path,
    dst: Path,
    change: Callable[[str, bytes], bytes | None],
    extra: dict[str, bytes] | None = None,
) -> Path:
    """Copy a ZIP member by member; `change` returns new bytes, or None to drop the member."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info, data)
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return dst


def sums_for(members: dict[str, bytes]) -> bytes:
    """A SHA256SUMS listing these members."""
    return "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in members.items()
    ).encode("utf-8")
