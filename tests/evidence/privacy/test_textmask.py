"""The text side of a redaction: what a region hides is masked wherever the export prints it."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.evidence.privacy import Rect, add_redaction, list_redactions
from app.evidence.privacy.textmask import WHOLE, TextMasker, build_masker
from app.evidence.store.case import Case
from tests.evidence.privacy.conftest import Pipeline

CALL_ME = "那您留个电话，我们客服联系您"  # a line of chat_part2 at y 718..766


def _chat(case: Case) -> int:
    return next(i.id for i in case.items() if i.original_name == "chat_part2.png")


def test_a_hand_drawn_region_masks_the_characters_it_covers(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    root = shutil.copytree(pipeline.root, tmp_path / "case")
    with Case.open(root) as case:
        add_redaction(case, _chat(case), Rect(180, 700, 320, 80))  # the first half of the line
        masker = build_masker(case, list_redactions(case))
    masked = masker.apply(f"对方 06-12 19:31: {CALL_ME}")
    assert CALL_ME not in masked and "*" in masked and masked.endswith("联系您")
    assert masker.apply("我 06-12 19:31: 13812345678") == "我 06-12 19:31: 138****5678"


def test_without_the_ocr_cache_touched_messages_are_masked_whole(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    root = shutil.copytree(pipeline.root, tmp_path / "case")
    shutil.rmtree(root / "derived" / "ocr")  # derived data may be deleted at any time
    with Case.open(root) as case:
        add_redaction(case, _chat(case), Rect(180, 700, 320, 80))
        masker = build_masker(case, list_redactions(case))
    assert masker.apply(CALL_ME) == WHOLE


def test_longest_rule_first_and_hits_are_counted() -> None:
    masker = TextMasker({"13812345678": "138****5678", "1381234": "x"})
    assert masker.apply("a13812345678b") == "a138****5678b"
    assert masker.hits == {"13812345678"}
    assert not TextMasker() and TextMasker().apply("same") == "same"
