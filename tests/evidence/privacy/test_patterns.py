"""Personal data in a line of text, masked by the norms; what the reviewer needs is left alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.evidence.privacy import Reason, find_pii, mask_value


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(m.reason.value, m.text, m.masked) for m in find_pii(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13812345678", [("phone", "13812345678", "138****5678")]),
        ("收件：张*13812345678", [("phone", "13812345678", "138****5678")]),
        ("电话 0571-88886666", [("phone", "0571-88886666", "0571-****6666")]),
        ("身份证 11010519491231002X", [("id_card", "11010519491231002X", "*" * 18)]),
        ("卡号 6222021234567890128", [("bank_card", "6222021234567890128", "*" * 19)]),
        (
            "银行卡 6222 0212 3456 7890 128",
            [("bank_card", "6222 0212 3456 7890 128", "**** **** **** **** ***")],
        ),
        (
            "浙江省杭州市西湖区文三路***号",
            [("address", "浙江省杭州市西湖区文三路***号", "浙江省杭州市西湖区*******")],
        ),
        (
            "杭州市西湖区阳光小区3栋201室",
            [("address", "杭州市西湖区阳光小区3栋201室", "杭州市西湖区**********")],
        ),
        (
            "收件人：张三 138 1234 5678",
            [("name", "张三", "张*"), ("phone", "138 1234 5678", "138 **** 5678")],
        ),
        ("快递员【王五】", [("name", "王五", "王*")]),
    ],
)
def test_personal_data_is_found_and_masked(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "订单号：3958216640123456789",  # order number (19 digits, looks like a bank card)
        "3958216640123456789",
        "订单号 13812345678",  # labelled: an order number, whatever it looks like
        "那我申请平台介入了，运单号SF1234567890123",
        "SF1381234567890",
        "2025-06-12 19:31",
        "收件：张*138****5678",  # already masked
        "寄件：某某旗舰店0571-8***2211",  # a shop, a masked landline
        "您的快件已签收，签收人：张三，地址【文三路100号丰巢柜】",  # the sign-for line
        "快件到达 【杭州西湖营业点】",
        "客服热线 400-123-4567",
        "11010519491231002Y",  # ID checksum wrong
        "6222021234567890127",  # Luhn wrong
    ],
)
def test_what_the_reviewer_needs_is_never_proposed(text: str) -> None:
    assert _found(text) == []


def test_a_courier_phone_in_the_sign_for_line_keeps_all_but_its_middle_digits() -> None:
    line = "已签收，如有疑问请电联快递员【王五，电话：13912345678】"
    assert _found(line) == [("phone", "13912345678", "139****5678")]


def test_the_case_order_number_is_never_proposed() -> None:
    assert find_pii("6222021234567890128", order_no="6222021234567890128") == []


def test_masking_a_typed_value() -> None:
    assert mask_value(Reason.PHONE, "13812345678") == "138****5678"
    assert mask_value(Reason.NAME, "欧阳娜娜") == "欧***"
    assert mask_value(Reason.OTHER, "秘密") == "**"


@given(st.text(max_size=60))
def test_matches_stay_inside_the_text_and_hide_only_their_own_characters(text: str) -> None:
    for m in find_pii(text):
        assert 0 <= m.start < m.end <= len(text)
        assert m.text == text[m.start : m.end] and len(m.masked) == len(m.text)
        assert all(m.start <= s < e <= m.end for s, e in m.hide)
