"""The words for a checklist item's state, shared by the command line, the window and the PDF.

One table, so the timeline on screen and the exported checklist never disagree: an item the
user still has to confirm is "to confirm", never "missing".
"""

from __future__ import annotations

from app.evidence.i18n import Text, both

CHECK_STATES: dict[str, Text] = {
    "matched": both("✓ 已找到", "✓ found"),
    "ticked": both("✓ 已勾选", "✓ ticked"),
    "not_applicable": both("— 不适用", "— not applicable"),
    "partial": both("? 需核对", "? to check"),
    "missing": both("✗ 缺少", "✗ missing"),
    "todo": both("□ 待确认", "□ to confirm"),
}
OPTIONAL = both("（可选）", " (optional)")
TODO_DETAIL = both("需要手动确认后勾选", "confirm by hand and tick")

# names an older export feed used for the same states
ALIASES = {"present": "matched", "manual": "ticked", "optional": "not_applicable"}


def check_state(state: str) -> Text:
    """The mark and words of a checklist state (the state's name itself when unknown)."""
    state = ALIASES.get(state, state)
    return CHECK_STATES.get(state, Text(state, state))


def needs_user(state: str) -> bool:
    """True for the states where the user has something to do (check, confirm, add)."""
    return ALIASES.get(state, state) not in ("matched", "ticked", "not_applicable")
