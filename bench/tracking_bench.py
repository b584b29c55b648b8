"""Tracking-text parsing speed: lines per second over 100k generated lines."""

from __future__ import annotations

from app.evidence.tracking import parse_tracking
from bench.common import CORPUS, record, timed


def make_text(lines: int) -> str:
    """Corpus tracking lines repeated (newest first, as users paste them) to `lines` lines."""
    source = (CORPUS / "synthetic" / "tracking" / "zto_newest_first.txt").read_text(
        encoding="utf-8"
    )
    body = [line for line in source.splitlines() if line.strip()]
    return "\n".join(body[n % len(body)] for n in range(lines))


def run(lines: int = 100_000) -> dict[str, object]:
    """Parse `lines` lines and record lines/s (the 10k run shows the growth is linear)."""
    # The parser refuses inputs over 5 MB (no real record is near that), so the 100k lines go in
    # as 50k-line chunks: the same work per line.
    small = make_text(lines // 10)
    chunks = [make_text(lines // 2)] * 2
    small_s, _ = timed(lambda: parse_tracking(small), repeat=3)
    big_s, records = timed(lambda: [parse_tracking(chunk) for chunk in chunks], repeat=1)
    figures = {
        "lines": lines,
        "events": sum(len(r.events) for r in records),
        "seconds": round(big_s, 2),
        "lines_per_s": round(lines / big_s),
        "seconds_per_10k_lines_small_run": round(small_s, 3),
        "growth_ratio_100k_vs_10x_10k": round(big_s / (small_s * 10), 2),
    }
    record("tracking_parse", figures)
    return figures
