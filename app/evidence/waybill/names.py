"""Waybill and order numbers typed into file names ("SF1234567890123 打包.mp4").

Sellers often rename a packing video after the waybill or the order. Phone names such as
VID_20250609_101500.mp4 carry dates, not numbers, so a token only counts as a waybill when a
carrier's number shape fits it (or, in the archive, when it equals a known waybill).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from app.evidence.waybill.consensus import carrier_of

_TOKEN = re.compile(r"[A-Za-z0-9]+")
_ORDER = re.compile(r"\d{16,20}")
_DATE_LIKE = re.compile(r"(19|20)\d{6}(\d{4,9})?")  # 20250609, 20250609101500, ...


@dataclass(frozen=True)
class NameNumbers:
    """Numbers found in a file name.

    Attributes:
        tokens: every letters-and-digits run of 10-22 characters with 8+ digits (to compare
            with known waybills and orders exactly).
        waybills: tokens a carrier's number shape fits, best first.
        order_numbers: 16-20 digit tokens (platform order numbers).
    """

    tokens: tuple[str, ...]
    waybills: tuple[str, ...]
    order_numbers: tuple[str, ...]


def numbers_in_name(name: str) -> NameNumbers:
    """Waybill-like and order-like numbers in a file name (the extension is ignored)."""
    stem = PurePath(name).stem
    tokens: list[str] = []
    for token in _TOKEN.findall(stem):
        token = token.upper()
        if 10 <= len(token) <= 22 and sum(c.isdigit() for c in token) >= 8 and token not in tokens:
            tokens.append(token)
    orders = [t for t in tokens if _ORDER.fullmatch(t) and not _DATE_LIKE.fullmatch(t)]
    waybills = []
    for token in tokens:
        if token in orders or _DATE_LIKE.fullmatch(token):
            continue
        carrier, confidence, _ = carrier_of(token)
        if carrier is not None and confidence in ("likely", "possible"):
            waybills.append(token)
    return NameNumbers(tuple(tokens), tuple(waybills), tuple(orders))
