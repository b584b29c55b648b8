"""Correcting an OCR line in a case: the chat messages read from it follow the correction, the
correction is user data in case.sqlite (undoable, audited) and survives deleting derived/."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.cli import main as cli_main
from app.evidence.ingest.analyse import sync_chats
from app.evidence.ingest.corrections import OcrCorrectionError, correct_line, read_lines
from app.evidence.ingest.importer import import_files
from app.evidence.ocr.cache import OcrCache
from app.evidence.ocr.engine import OcrResult
from app.evidence.service.verifying import verify_case
from app.evidence.store.case import Case
from app.evidence.store.migrations import LATEST, schema_version
from app.evidence.store.undo import history, redo, undo


def _chat_texts(case: Case, item_id: int) -> list[str]:
    rows = case.connection.execute(
        "SELECT text FROM events WHERE item_id = ? AND source = 'ocr' AND deleted_at IS NULL"
        " ORDER BY line_no",
        (item_id,),
    )
    return [r[0] for r in rows]


@pytest.fixture
def chat_case(tmp_path: Path, screenshots: dict[str, Path], corpus_ocr: dict[str, OcrResult]):
    shot = tmp_path / "chat_part2.png"
    shot.write_bytes(screenshots["chat_part2.png"].read_bytes())
    with Case.create(tmp_path / "case", "chat") as case:
        import_files(case, [shot], durable=False)
        item = case.items()[0]
        OcrCache.for_case(case).put(item.sha256, corpus_ocr["chat_part2.png"])  # read once
        sync_chats(case)
        yield case, item.id


def test_a_corrected_line_changes_the_chat_message_and_can_be_taken_back(chat_case) -> None:
    case, item_id = chat_case
    result = read_lines(case, item_id)
    assert result is not None
    line = next(n for n, ln in enumerate(result.lines) if ln.text == "随便")
    assert "随便" in _chat_texts(case, item_id)

    fix = correct_line(case, item_id, line, "  随便吧\n")
    assert fix is not None and fix.ocr_text == "随便" and fix.text == "随便吧"
    assert "随便吧" in _chat_texts(case, item_id) and "随便" not in _chat_texts(case, item_id)
    corrected = read_lines(case, item_id)
    assert corrected is not None and corrected.lines[line].text == "随便吧"
    assert corrected.lines[line].corrected_from == "随便"

    assert correct_line(case, item_id, line, "随便") is None  # what the OCR read: no correction
    assert "随便" in _chat_texts(case, item_id)
    assert OcrCache.for_case(case).corrections(case.item(item_id).sha256) == ()


def test_lines_that_do_not_exist_are_refused(chat_case, tmp_path: Path) -> None:
    case, item_id = chat_case
    with pytest.raises(OcrCorrectionError):
        correct_line(case, item_id, 999, "x")
    photo = tmp_path / "note.txt"
    photo.write_text("顺丰 SF1234567890123 已签收", encoding="utf-8")
    import_files(case, [photo], durable=False)
    other = next(i for i in case.items() if i.id != item_id)
    assert read_lines(case, other.id) is None
    with pytest.raises(OcrCorrectionError):
        correct_line(case, other.id, 0, "x")


def test_a_correction_survives_deleting_derived(chat_case, corpus_ocr) -> None:
    case, item_id = chat_case
    line = next(n for n, ln in enumerate(read_lines(case, item_id).lines) if ln.text == "随便")
    correct_line(case, item_id, line, "随便吧")
    sha256 = case.item(item_id).sha256
    shutil.rmtree(case.root / "derived")  # the architecture says: can be deleted and rebuilt
    assert read_lines(case, item_id) is None  # what the OCR read is gone until read again
    OcrCache.for_case(case).put(sha256, corpus_ocr["chat_part2.png"])  # the rebuild
    rebuilt = read_lines(case, item_id)
    assert rebuilt is not None and rebuilt.lines[line].text == "随便吧"
    sync_chats(case)  # chats read again from the rebuilt cache keep the user's text
    assert "随便吧" in _chat_texts(case, item_id) and "随便" not in _chat_texts(case, item_id)


def test_undo_gives_back_the_ocr_text_and_the_chat_message(chat_case) -> None:
    case, item_id = chat_case
    line = next(n for n, ln in enumerate(read_lines(case, item_id).lines) if ln.text == "随便")
    steps = len(history(case))
    correct_line(case, item_id, line, "随便吧")
    assert [s.label for s in history(case)][steps:] == ["修改识别文字"]  # one step, chats included

    step = undo(case)
    assert step is not None and step.action == "ocr.correct"
    assert read_lines(case, item_id).lines[line].text == "随便"
    assert "随便" in _chat_texts(case, item_id) and "随便吧" not in _chat_texts(case, item_id)
    assert redo(case) is not None
    assert read_lines(case, item_id).lines[line].text == "随便吧"
    assert "随便吧" in _chat_texts(case, item_id)

    actions = [e.action for e in case.audit_entries()]
    assert "ocr.correct" in actions and actions[-2:] == ["undo", "redo"]
    detail = next(e.detail for e in case.audit_entries() if e.action == "ocr.correct")
    assert detail == {"item": item_id, "line": line, "ocr_text": "随便", "text": "随便吧"}
    assert verify_case(case).ok


def test_the_command_line_undoes_a_correction_and_verify_passes(chat_case) -> None:
    case, item_id = chat_case
    line = next(n for n, ln in enumerate(read_lines(case, item_id).lines) if ln.text == "随便")
    correct_line(case, item_id, line, "随便吧")
    root = case.root
    case.close()  # the command line takes the writer lock
    assert cli_main(["--lang", "en", "undo", str(root)]) == 0
    assert cli_main(["--lang", "en", "verify", str(root)]) == 0
    with Case.open(root) as again:
        assert read_lines(again, item_id).lines[line].text == "随便"
        assert "随便" in _chat_texts(again, item_id)


def _schema5_with_legacy_file(case: Case, item_id: int, line: int) -> Path:
    """What version 5 left: no table, the user's text beside the OCR cache."""
    sha256 = case.item(item_id).sha256
    root = case.root
    case.close()
    conn = sqlite3.connect(root / "case.sqlite")
    conn.execute("DROP TABLE ocr_corrections")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    legacy = root / "derived" / "ocr" / f"{sha256}.corrections.json"
    row = {
        "line": line,
        "ocr_text": "随便",
        "text": "随便吧",
        "corrected_at": "2025-06-14T02:00:00+00:00",
    }
    legacy.write_text(
        json.dumps({"schema": 1, "sha256": sha256, "corrections": [row]}, ensure_ascii=False),
        encoding="utf-8",
    )
    return legacy


def test_a_case_from_before_migration_6_keeps_its_corrections(chat_case) -> None:
    case, item_id = chat_case
    line = next(n for n, ln in enumerate(read_lines(case, item_id).lines) if ln.text == "随便")
    root = case.root
    legacy = _schema5_with_legacy_file(case, item_id, line)

    with Case.open(root, writable=False) as old:  # read as it is: the file still counts
        assert schema_version(old.connection) == 5
        assert read_lines(old, item_id).lines[line].text == "随便吧"

    with Case.open(root) as opened:  # writable: migrated, the file moved into the table
        assert schema_version(opened.connection) == LATEST >= 6
        assert not legacy.exists()
        (fix,) = OcrCache.for_case(opened).corrections(opened.item(item_id).sha256)
        assert (fix.line, fix.ocr_text, fix.text) == (line, "随便", "随便吧")
        assert [e.action for e in opened.audit_entries()][-1] == "ocr.correct.adopt"
        assert verify_case(opened).ok
        shutil.rmtree(root / "derived" / "ocr")  # now derived/ really is only a cache
        assert OcrCache.for_case(opened).corrections(opened.item(item_id).sha256) == (fix,)
    with Case.open(root) as again:  # adopted once: no second audit row
        assert [e.action for e in again.audit_entries()].count("ocr.correct.adopt") == 1
