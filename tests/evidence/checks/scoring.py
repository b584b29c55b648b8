"""A confusion table of truth against verdict, printed in assertion messages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

VERDICTS = ("camera_original", "recompressed", "edited", "unknown", "unreadable")


def confusion(pairs: Iterable[tuple[str, str]]) -> str:
    """Rows: truth; columns: verdicts; cells: counts."""
    counts = Counter(pairs)
    truths = sorted({t for t, _ in counts})
    width = max([len(t) for t in truths] + [5])
    head = " " * width + " | " + " | ".join(f"{v[:12]:>12}" for v in VERDICTS)
    rows = [head, "-" * len(head)]
    for truth in truths:
        cells = " | ".join(f"{counts[(truth, v)]:>12}" for v in VERDICTS)
        rows.append(f"{truth:<{width}} | {cells}")
    return "\n".join(rows)
