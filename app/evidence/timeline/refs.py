"""What a person types to name an item: its exhibit number as the timeline and the PDF show it.

The timeline, the PDF and the packs call items 证据1, 证据2 …; the store knows them by row id.
Both are small numbers, so a bare number stays the row id (what `list` prints first), and an
exhibit is named with its label: 证据7, E7, E007 or #证据7.
"""

from __future__ import annotations

import re

from app.evidence.errors import ItemNotFound
from app.evidence.models import Item
from app.evidence.store.case import Case
from app.evidence.timeline.build import build_timeline

_EXHIBIT = re.compile(r"^#?\s*(?:证据|[Ee])\s*0*(\d+)$")


def exhibit_number(text: str) -> int | None:
    """The exhibit number in "证据7", "E007", "e7"; None for anything else."""
    match = _EXHIBIT.match(str(text).strip())
    return int(match.group(1)) if match else None


def find_item(case: Case, ref: str | int) -> Item:
    """The item an exhibit label, a row id or a SHA-256 prefix names.

    Raises:
        ItemNotFound: no item, or no single one, matches.
    """
    number = exhibit_number(str(ref))
    if number is None:
        return case.item(ref)
    for entry in build_timeline(case).visible():
        if entry.is_item and entry.exhibit_no == number and entry.item_id is not None:
            return case.item(entry.item_id)
    raise ItemNotFound(f"no exhibit numbered {number} (证据{number})")


def item_ref(case: Case, ref: str | None) -> str | None:
    """`ref` with an exhibit label replaced by the row id it names (other forms unchanged)."""
    if ref is None or exhibit_number(ref) is None:
        return ref
    return str(find_item(case, ref).id)
