"""Personal data in one line of text, and which characters of it to hide.

Patterns follow docs/research/platform_rules.md §5.2, masking §5.3 (the 隐私面单 convention):
a mobile number keeps its first 3 and last 4 digits (138****5678); a landline keeps its area
code and last 4 digits; ID card and bank card numbers are hidden whole; an address keeps its
province, city and district and hides the street, building and room; a name keeps its surname.

What the reviewer needs is never proposed: order and tracking numbers (labelled, or with a
carrier prefix), dates and times, corporate 400/95 numbers, and on the sign-for line
(签收/代收/取件) only a phone number's middle digits, never the place or the signer.
Numbers already masked (138****5678, 张*) are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.evidence.ocr.tags import TagKind, find_tags
from app.evidence.privacy.model import Reason

_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

_PHONE = re.compile(r"(?<![\dA-Za-z])1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![\d*＊])")
_LANDLINE = re.compile(r"(?<![\d*＊])(0\d{2,3})([-－—\s]?)(\d{7,8})(?![\d*＊])")
_PHONE_LABEL = re.compile(r"(电话|手机|座机|固话|联系方式|Tel|TEL|tel)[:：\s]*$")
_ID_CARD = re.compile(
    r"(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])"
)
_CARD = re.compile(r"(?<![\dA-Za-z])\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?(?![\dA-Za-z])")
_CARD_LABEL = re.compile(r"(卡号|银行卡|储蓄卡|信用卡|账号|帐号|账户|户号|card)", re.IGNORECASE)
_ORDER_LABEL = re.compile(r"(订单|运单|单号|快递|物流|交易号|流水号|编号)")
_SIGN_FOR = re.compile(r"(签收|代收|取件|领取|妥投|投递成功)")
_LOGISTICS = re.compile(r"(快件|派送|派件|揽收|揽件|到达|发往|中转|转运|营业点|集散|分拣)")
_NAME = re.compile(
    r"(?:收件人|收货人|寄件人|发件人|收件|寄件|联系人|姓名|快递员|派送员|配送员|业务员|投递员|派件员)"
    r"[:：\s【\[]*(?P<name>[\u4e00-\u9fa5]{2,4})(?![\u4e00-\u9fa5*＊])"
)
_NOT_A_PERSON = re.compile(r"(店|公司|厂|商行|旗舰|专营|超市|驿站|中心|部|柜|站)")
_ADMIN = "省|自治区|特别行政区|自治州|(?<!超)市|(?<![小社园景校城])区|县"
_ADDRESS = re.compile(
    r"(?P<admin>(?:[\u4e00-\u9fa5]{1,8}?(?:" + _ADMIN + r")){1,4})"
    r"(?P<rest>[\u4e00-\u9fa5A-Za-z0-9\-－#*＊]*?"
    r"(?:路|街|大道|巷|弄|胡同|号|栋|幢|单元|室|小区|村|苑|大厦|公寓|花园|广场)"
    r"[\u4e00-\u9fa5A-Za-z0-9\-－#*＊]*)"
)
_STREET = re.compile(
    r"[\u4e00-\u9fa5]{1,10}(?:路|街|大道|巷|弄)[0-9\-－*＊]+号"
    r"[\u4e00-\u9fa5A-Za-z0-9\-－#*＊]*"
    r"|\d+(?:栋|幢|号楼)\d*(?:单元)?\d*(?:室)?"
)


@dataclass(frozen=True)
class PiiMatch:
    """Personal data found in a line.

    Attributes:
        start, end: the span of the whole value in the line.
        hide: the character spans to fill (within start..end), per the masking norms.
        text: the value as written.
        masked: the value with the hidden characters as "*".
    """

    reason: Reason
    start: int
    end: int
    hide: tuple[tuple[int, int], ...]
    text: str
    masked: str


def find_pii(text: str, *, order_no: str | None = None) -> list[PiiMatch]:
    """Phone, landline, ID card, bank card numbers, detailed addresses and labelled names.

    Args:
        text: one line (OCR line, tracking line).
        order_no: the case's order number: never proposed, whatever it looks like.

    Returns:
        Matches in text order, never overlapping.
    """
    plain = text.translate(_HALF)
    keep = _protected(plain, order_no)
    found: list[PiiMatch] = []

    def add(reason: Reason, start: int, end: int, hide: list[tuple[int, int]]) -> None:
        if any(start < e and s < end for s, e in keep):
            return
        if any(start < m.end and m.start < end for m in found):
            return
        hide = [(s, e) for s, e in hide if e > s]
        if not hide:
            return
        found.append(
            PiiMatch(
                reason, start, end, tuple(hide), text[start:end], _masked(text, start, end, hide)
            )
        )

    for m in _ID_CARD.finditer(plain):
        if _id_checksum_ok(m.group()):
            add(Reason.ID_CARD, m.start(), m.end(), [m.span()])
    for m in _CARD.finditer(plain):
        labelled = _CARD_LABEL.search(plain[max(0, m.start() - 12) : m.start()])
        digits = re.sub(r"\D", "", m.group())
        if _luhn_ok(digits) and (labelled or digits.startswith("62")):
            add(Reason.BANK_CARD, m.start(), m.end(), [m.span()])
    for m in _PHONE.finditer(plain):
        at = [m.start() + n for n, ch in enumerate(m.group()) if ch.isdigit()]
        add(Reason.PHONE, m.start(), m.end(), [(at[3], at[6] + 1)])
    for m in _LANDLINE.finditer(plain):
        # without a separator, 0 + 9-11 digits is only a landline when a label says so
        sep, local = m.group(2), m.group(3)
        if not sep and not _PHONE_LABEL.search(plain[: m.start()]):
            continue
        local_start = m.start(3)
        add(Reason.PHONE, m.start(), m.end(), [(local_start, local_start + len(local) - 4)])
    if not _SIGN_FOR.search(plain):
        for m in _NAME.finditer(plain):
            name = m.group("name")
            if _NOT_A_PERSON.search(name):
                continue
            add(Reason.NAME, m.start("name"), m.end("name"), [(m.start("name") + 1, m.end("name"))])
        if not _LOGISTICS.search(plain):
            _addresses(plain, add)
    return sorted(found, key=lambda f: f.start)


def mask_value(reason: Reason, value: str) -> str:
    """The masked form of a whole value typed by the user (same norms as `find_pii`)."""
    found = [m for m in find_pii(value) if m.start == 0 and m.end == len(value)]
    if found:
        return found[0].masked
    if reason is Reason.NAME and len(value) >= 2:
        return value[0] + "*" * (len(value) - 1)
    return "*" * len(value)


def _addresses(plain: str, add: Callable[[Reason, int, int, list[tuple[int, int]]], None]) -> None:
    for m in _ADDRESS.finditer(plain):
        rest_start, end = m.start("rest"), m.end("rest")
        if end - rest_start >= 2:
            add(Reason.ADDRESS, m.start(), end, [(rest_start, end)])
    for m in _STREET.finditer(plain):
        add(Reason.ADDRESS, m.start(), m.end(), [m.span()])


def _protected(plain: str, order_no: str | None) -> list[tuple[int, int]]:
    """Spans never proposed: labelled or prefixed order/tracking numbers, the case's order no."""
    spans = [
        (t.start, t.end)
        for t in find_tags(plain)
        if t.kind in (TagKind.ORDER_NO, TagKind.TRACKING_NO) and t.basis in ("label", "prefix")
    ]
    for m in re.finditer(r"\d{10,}", plain):
        before = plain[max(0, m.start() - 8) : m.start()]
        if _ORDER_LABEL.search(before) and not _CARD_LABEL.search(before):
            spans.append(m.span())
    if order_no:
        start = plain.find(order_no)
        while start >= 0:
            spans.append((start, start + len(order_no)))
            start = plain.find(order_no, start + 1)
    return spans


def _masked(text: str, start: int, end: int, hide: list[tuple[int, int]]) -> str:
    chars = list(text[start:end])
    for s, e in hide:
        for i in range(s, e):
            if not chars[i - start].isspace() and chars[i - start] not in "-－":
                chars[i - start] = "*"
    return "".join(chars)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for n, ch in enumerate(reversed(digits)):
        d = int(ch)
        if n % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _id_checksum_ok(number: str) -> bool:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(number[:17], weights, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()
