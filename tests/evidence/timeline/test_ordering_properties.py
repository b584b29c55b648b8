"""Ordering invariants over many random capture times (hypothesis)."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.evidence.models import ItemKind
from app.evidence.timeline import build_timeline

from .factory import add, new_case

OFFSETS = st.one_of(st.none(), st.sampled_from([-300, 0, 180, 330, 480, 540, 765]))
TIMES = st.lists(
    st.tuples(st.integers(min_value=0, max_value=72 * 60), OFFSETS, st.booleans()),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=TIMES)
def test_dated_entries_follow_the_instant_and_undated_ones_keep_their_lane(
    tmp_path_factory, specs
) -> None:
    case = new_case(tmp_path_factory.mktemp("prop"))
    start = datetime(2025, 6, 30, 12, 0)
    for n, (minutes, offset, dated) in enumerate(specs):
        when = (start + timedelta(minutes=minutes)).isoformat(sep=" ") if dated else None
        add(case, f"p{n}.jpg", ItemKind.PHOTO, when, offset=offset)
    first = build_timeline(case)
    instants = [e.time.utc for e in first.entries]
    assert instants == sorted(instants)
    assert len(first.entries) == sum(1 for _, _, d in specs if d)
    assert [e.key for e in first.undated] == [
        f"item:{n + 1}" for n, s in enumerate(specs) if not s[2]
    ]
    assert [e.exhibit_no for e in first.visible()] == list(range(1, len(specs) + 1))
    again = build_timeline(case)
    assert [e.key for e in again.visible()] == [e.key for e in first.visible()]
    case.close()
