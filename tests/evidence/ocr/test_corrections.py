"""Correcting an OCR line in a case: the chat messages read from it follow the correction."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evidence.ingest.analyse import sync_chats
from app.evidence.ingest.importer import import_files
from app.evidence.ocr.cache import OcrCache
from app.evidence.ocr.corrections import OcrCorrectionError, correct_line, read_lines
from app.evidence.ocr.engine import OcrResult
from app.evidence.store.case import Case


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
