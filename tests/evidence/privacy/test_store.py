"""Redactions as case data: every edit is one audited, undoable step; originals never change."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from app.evidence.export import export_case
from app.evidence.ingest.importer import import_files
from app.evidence.privacy import (
    Origin,
    PrivacyError,
    Reason,
    Rect,
    RedactionNotFound,
    State,
    Suggestion,
    accept,
    add_redaction,
    add_suggestions,
    add_text_redaction,
    get_redaction,
    list_redactions,
    move_redaction,
    reject,
    remove_redaction,
    resize_redaction,
    set_rect,
)
from app.evidence.store import audit
from app.evidence.store.case import Case
from app.evidence.store.migrations import LATEST, schema_version
from app.evidence.store.undo import history, redo, undo


@pytest.fixture
def case(corpus: Path, tmp_path: Path):
    with Case.create(tmp_path / "case", "隐私") as made:
        import_files(
            made,
            [corpus / "photos/gps/DSCN0010.jpg", corpus / "synthetic/tracking/sf_not_received.txt"],
        )
        yield made


def _ids(case: Case) -> tuple[int, int]:
    items = {i.original_name: i.id for i in case.items()}
    return items["DSCN0010.jpg"], items["sf_not_received.txt"]


def test_adding_a_region_is_undone_and_redone(case: Case) -> None:
    photo, _ = _ids(case)
    before = case.path_of(case.item(photo)).read_bytes()
    r = add_redaction(case, photo, Rect(10, 20, 30, 40), reason=Reason.NAME)
    assert (r.kind, r.state, r.rect) == (Origin.MANUAL, State.ACCEPTED, Rect(10, 20, 30, 40))
    assert list_redactions(case, photo) == [r]
    assert history(case)[-1].label == "添加遮盖区域"
    assert undo(case) is not None and list_redactions(case) == []
    assert redo(case) is not None and list_redactions(case) == [r]
    assert case.path_of(case.item(photo)).read_bytes() == before  # the original is untouched
    assert audit.check_chain(case.connection) == []
    assert [e.action for e in case.audit_entries()][-3:] == ["redaction.add", "undo", "redo"]


def test_move_resize_and_remove_each_undo_to_the_state_before(case: Case) -> None:
    photo, _ = _ids(case)
    r = add_redaction(case, photo, Rect(10, 20, 30, 40))
    assert move_redaction(case, r.id, 50, 60).rect == Rect(50, 60, 30, 40)
    assert resize_redaction(case, r.id, 70, 80).rect == Rect(50, 60, 70, 80)
    assert set_rect(case, r.id, Rect(1, 2, 3, 4)).rect == Rect(1, 2, 3, 4)
    remove_redaction(case, r.id)
    with pytest.raises(RedactionNotFound):
        get_redaction(case, r.id)
    undo(case)
    assert get_redaction(case, r.id).rect == Rect(1, 2, 3, 4)  # back with its id
    undo(case)
    assert get_redaction(case, r.id).rect == Rect(50, 60, 70, 80)
    undo(case)
    assert get_redaction(case, r.id).rect == Rect(50, 60, 30, 40)
    undo(case)
    assert get_redaction(case, r.id).rect == Rect(10, 20, 30, 40)


def test_suggestions_are_accepted_or_rejected_in_one_step_each(case: Case) -> None:
    photo, tracking = _ids(case)
    stored = add_suggestions(
        case,
        [
            Suggestion(photo, Rect(5, 5, 10, 10), Reason.PHONE, "13812345678", "138****5678"),
            Suggestion(tracking, None, Reason.PHONE, "13912345678", "139****5678"),
        ],
    )
    assert [r.state for r in stored] == [State.SUGGESTED, State.SUGGESTED]
    accept(case, [stored[0].id])
    reject(case, [stored[1].id])
    assert [r.state for r in list_redactions(case)] == [State.ACCEPTED, State.REJECTED]
    undo(case)
    assert [r.state for r in list_redactions(case)] == [State.ACCEPTED, State.SUGGESTED]
    assert list_redactions(case, states=[State.ACCEPTED]) == [get_redaction(case, stored[0].id)]


def test_bad_regions_are_refused(case: Case) -> None:
    photo, tracking = _ids(case)
    with pytest.raises(PrivacyError):
        add_redaction(case, photo, Rect(0, 0, 0, 5))
    with pytest.raises(PrivacyError):
        Rect.parse("1,2,3")
    with pytest.raises(PrivacyError):
        add_redaction(case, tracking, Rect(0, 0, 5, 5))  # a text record has no pixels
    with pytest.raises(PrivacyError):
        add_redaction(case, photo, Rect(0, 0, 5, 5), page=2)  # a photo has no pages
    with pytest.raises(PrivacyError):
        add_redaction(case, photo, Rect(0, 0, 5, 5), frame_ms=100)  # nor frames
    assert list_redactions(case) == [] and history(case) == []


def test_a_text_mask_hides_text_in_the_exported_tracking_table(case: Case, tmp_path: Path) -> None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("poppler-utils not installed")
    _, tracking = _ids(case)
    add_text_redaction(case, tracking, "文三路丰巢柜", "文三路***", reason=Reason.ADDRESS)
    result = export_case(case, pdf=tmp_path / "out.pdf")
    text = subprocess.run(
        [pdftotext, str(tmp_path / "out.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "文三路丰巢柜" not in text and "文三路***" in text and "SF1234567890123" in text
    assert result.privacy is not None and result.privacy.masked_texts == 1


def test_an_older_case_gets_the_table_and_a_read_only_one_has_none(tmp_path: Path) -> None:
    with Case.create(tmp_path / "old", "旧案件") as made:
        root = made.root
    conn = sqlite3.connect(root / "case.sqlite")
    conn.execute("DROP TABLE redactions")
    conn.execute("DROP TABLE ocr_corrections")  # migration 6: not in a schema-4 case either
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    with Case.open(root, writable=False) as old:
        assert schema_version(old.connection) == 4 and list_redactions(old) == []
    with Case.open(root) as opened:
        assert schema_version(opened.connection) == LATEST >= 5
        assert list_redactions(opened) == []
