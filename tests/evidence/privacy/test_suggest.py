"""Suggestions from OCR: the phone number in the corpus chat, the address on a waybill frame."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.evidence.ocr.engine import OcrLine, OcrResult
from app.evidence.privacy import (
    Reason,
    State,
    list_redactions,
    reject,
    suggest_redactions,
    suggestions_in_ocr,
)
from app.evidence.privacy.suggest import suggestions_in_text
from app.evidence.store.case import Case
from tests.evidence.privacy.conftest import Pipeline


def _by_name(case: Case, name: str) -> int:
    return next(i.id for i in case.items() if i.original_name == name)


def test_the_chat_phone_number_is_suggested_with_its_middle_digits_covered(
    pipeline: Pipeline,
) -> None:
    with Case.open(pipeline.root, writable=False) as case:
        chat = _by_name(case, "chat_part2.png")
        found = list_redactions(case, chat)
        from app.evidence.ocr.cache import OcrCache

        line = next(
            ln
            for ln in OcrCache.for_case(case).effective(case.item(chat).sha256).lines  # type: ignore[union-attr]
            if ln.text == "13812345678"
        )
    assert [(r.reason, r.text, r.masked) for r in found] == [
        (Reason.PHONE, "13812345678", "138****5678")
    ]
    rect = found[0].rect
    assert rect is not None and found[0].state is State.ACCEPTED  # --accept-all
    x0, _, x1, _ = line.box
    digit = (x1 - x0) / 11
    # covers the 4th to 7th digits, leaves (most of) the first three and the last four
    assert x0 + 2.5 * digit <= rect.x <= x0 + 3 * digit
    assert x0 + 7 * digit <= rect.x + rect.w <= x0 + 7.5 * digit
    assert rect.y <= line.box[1] and rect.y + rect.h >= line.box[3]


def test_the_waybill_address_is_suggested_on_a_video_keyframe(pipeline: Pipeline) -> None:
    with Case.open(pipeline.root, writable=False) as case:
        video = _by_name(case, "packing_android_sf.mp4")
        found = list_redactions(case, video)
    assert [(r.reason, r.frame_ms) for r in found] == [(Reason.ADDRESS, 0)]
    assert found[0].text and "文三路" in found[0].text
    assert (
        found[0].masked
        and found[0].masked.startswith("浙江省杭州市西湖区")
        and "文三路" not in found[0].masked
    )


def test_nothing_the_reviewer_needs_is_suggested(pipeline: Pipeline) -> None:
    with Case.open(pipeline.root, writable=False) as case:
        texts = " ".join(r.text or "" for r in list_redactions(case))
    for needed in ("SF1234567890123", "3958216640123456789", "2025-06", "签收", "19:31"):
        assert needed not in texts


def test_a_second_run_adds_nothing_and_a_rejection_sticks(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    root = shutil.copytree(pipeline.root, tmp_path / "case")
    with Case.open(root) as case:
        phone = next(r for r in list_redactions(case) if r.reason is Reason.PHONE)
        reject(case, [phone.id])
        report = suggest_redactions(case, ocr=False, frames=1)  # cached OCR only: no engine run
        assert report.added == () and report.known == 2
        assert [r.state for r in list_redactions(case) if r.id == phone.id] == [State.REJECTED]


def test_id_and_bank_card_numbers_are_covered_whole_and_names_keep_the_surname() -> None:
    lines = (
        OcrLine("身份证号：11010519491231002X", (100, 10, 700, 50), 1.0),
        OcrLine("卡号 6222021234567890128", (100, 60, 600, 100), 1.0),
        OcrLine("收件人：张三丰 13912345678", (100, 110, 600, 150), 1.0),
        OcrLine("订单号：3958216640123456789", (100, 160, 600, 200), 1.0),
    )
    found = suggestions_in_ocr(OcrResult(800, 220, lines, "fake"), item_id=1)
    by_reason = {s.reason: s for s in found}
    assert set(by_reason) == {Reason.ID_CARD, Reason.BANK_CARD, Reason.NAME, Reason.PHONE}
    card = by_reason[Reason.ID_CARD]
    assert card.masked == "*" * 18 and card.rect is not None
    assert card.rect.x + card.rect.w >= 700 - 1  # to the end of the number, which ends the line
    assert by_reason[Reason.NAME].masked == "张**"
    assert by_reason[Reason.PHONE].masked == "139****5678"


def test_tracking_text_gets_text_only_suggestions_for_couriers_phones() -> None:
    text = (
        "2025-06-10 08:02:09 快件交给王五，正在派送途中（联系电话：13912345678）\n"
        "2025-06-11 21:40:05 您的快件已签收，签收人在【文三路丰巢柜】领取\n"
    )
    found = suggestions_in_text(text, item_id=2)
    assert [(s.reason, s.text, s.masked, s.rect) for s in found] == [
        (Reason.PHONE, "13912345678", "139****5678", None)
    ]
