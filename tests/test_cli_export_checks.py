"""A CLI export of a case with unchecked items (an archive order case, an import cut short) runs
the missing checks first, as the window does: no exhibit goes out as "not checked"."""

from __future__ import annotations

from pathlib import Path

from app.cli import main as cli_main
from app.evidence.ingest.importer import import_files
from app.evidence.store.case import Case
from app.evidence.store.findings import verdicts

PHOTO = "photos/gps/DSCN0010.jpg"


def test_export_checks_what_was_not_checked(corpus_copy, tmp_path: Path, capsys) -> None:
    case_dir = tmp_path / "case"
    Case.create(case_dir, "发货证明", role="seller").close()
    with Case.open(case_dir) as case:  # the plain importer: no thumbnails, no checks
        import_files(case, [corpus_copy(PHOTO)])
        item = case.items()[0]
        assert item.id not in verdicts(case)
    pdf = tmp_path / "out.pdf"
    assert cli_main(["export", str(case_dir), "--pdf", str(pdf)]) in (0, 1)
    assert pdf.is_file()
    with Case.open(case_dir, writable=False) as case:
        assert item.id in verdicts(case)
    assert "checked 1 items" in capsys.readouterr().err
