"""Dispute profiles are complete data with sources and working matcher names."""

from __future__ import annotations

import re

import pytest

from app.evidence.disputes import CHECK_RULES_ZH, deadline_rules, profiles, resolve, sources
from app.evidence.disputes.matchers import MATCHERS
from app.evidence.timeline import DATE_NAMES, Phase
from app.evidence.timeline.errors import UnknownProfile

BUYER = {
    "not_received": "未收到货",
    "not_as_described": "描述不符",
    "counterfeit": "假冒",
    "quality": "质量问题",
    "seven_day_return": "七天无理由退货",
    "after_sales_service": "售后服务",
    "missing_parts": "少件/空包",
    "damaged_on_arrival": "签收时破损",
}
SELLER = {
    "proof_of_shipment": "发货证明",
    "return_not_received": "退货未收到",
    "return_damaged": "买家退回商品不完好",
}


def test_every_dispute_type_of_the_issue_has_a_profile() -> None:
    loaded = profiles()
    assert {k: v.zh for k, v in loaded.items() if v.role == "buyer"} == BUYER
    assert {k: v.zh for k, v in loaded.items() if v.role == "seller"} == SELLER
    assert [v.id for v in loaded["not_as_described"].variants] == ["color", "size", "function"]
    assert [v.zh for v in loaded["after_sales_service"].variants] == [
        "拒绝保修",
        "额外收费",
        "维修不及时",
    ]


@pytest.mark.parametrize("profile_id", sorted({**BUYER, **SELLER}))
def test_profile_is_complete(profile_id: str) -> None:
    p = profiles()[profile_id]
    assert re.fullmatch(r"[a-z][a-z0-9_]*", p.id) and p.en and p.summary_zh
    assert (
        p.burden.on in ("buyer", "seller", "buyer_first", "seller_first", "shared") and p.burden.zh
    )
    assert p.mistakes and all(m.zh and m.en for m in p.mistakes)
    assert p.media_phase in Phase._value2member_map_
    assert all(d in deadline_rules() for d in p.deadlines)
    ids = [c.id for c in p.checklist]
    assert len(ids) == len(set(ids))
    automatic = [c for c in p.checklist if c.matcher]
    assert automatic, "every profile matches something automatically"
    for c in p.checklist:
        assert c.zh and c.en and c.how_zh and c.how_en
        assert c.citation.confidence in ("high", "medium", "low")
        assert set(c.variants) <= {v.id for v in p.variants}
        if c.matcher:
            assert c.matcher.name in MATCHERS
            anchor = c.matcher.params.get("anchor") or c.matcher.params.get("name")
            if c.matcher.name in ("media_near_date", "case_date"):
                assert anchor in DATE_NAMES


def test_secondary_sources_carry_the_check_the_rules_sentence() -> None:
    assert sources()["S1"].kind == "primary" and sources()["G1"].kind == "secondary"
    rules = deadline_rules()
    assert (
        "check_rules_zh" not in rules["seven_day_return"].citation.to_json()
    )  # statute text, high
    assert rules["evidence_3d"].citation.to_json()["check_rules_zh"] == CHECK_RULES_ZH
    assert rules["appeal_buyer"].citation.confidence == "low"


def test_resolve_by_id_name_alias_and_variant() -> None:
    assert resolve("未收到货").profile.id == "not_received"
    assert resolve("假货").profile.id == "counterfeit"
    ref = resolve("not_as_described:size")
    assert (ref.profile.id, ref.variant.zh, ref.text) == (
        "not_as_described",
        "尺寸",
        "not_as_described:size",
    )
    assert resolve("描述不符:颜色").text == "not_as_described:color"
    size_only = {c.id for c in ref.profile.items_for("size")}
    assert "ruler_photo" in size_only and "colour_reference" not in size_only
    with pytest.raises(UnknownProfile):
        resolve("lost_in_space")
    with pytest.raises(UnknownProfile):
        resolve("not_as_described:smell")
