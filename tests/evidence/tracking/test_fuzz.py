"""Property tests: nothing the user pastes makes the parser raise or invent lines.

Runs ~300 examples in the normal suite; set EVIDENCE_FUZZ_EXAMPLES for a longer run.
"""

from __future__ import annotations

import os
from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.evidence.errors import InputError
from app.evidence.tracking import EventKind, decode_text, parse_tracking
from app.evidence.tracking.text import normalise_line, split_lines, split_run_on

EXAMPLES = int(os.environ.get("EVIDENCE_FUZZ_EXAMPLES", "300"))

# Pieces of real tracking text, so the fuzzer reaches the interesting branches quickly.
FRAGMENTS = [
    "2025-06-09 18:42:11", "2025/6/9 8:02", "06-14 02:49", "今天 12:31", "昨天", "前天 7:5",
    "2025年6月9日", "T", "+08:00", "Z", "【杭州市】", "[网点]", "】", "【", "已签收", "签收人在",
    "代收", "丰巢", "驿站", "拒收", "退回", "派件", "揽收", "到达", "离开", "未妥投", "本人",
    "139****2468", "王**", "SF1234567890123", "运单号：", "订单号", "时间,状态", "\t", ",", "\n",
    "\r\n", "\r", " ", "：", "２０２５", "　", "<li>", "</li>", "&amp;", "\u2028", "\x00", "🚚",
]  # fmt: skip

tracking_like = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60
).map("".join)

FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(
    text=st.one_of(tracking_like, st.text(max_size=400)),
    reference=st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1))),
    offset=st.integers(min_value=-720, max_value=840),
    city=st.one_of(st.none(), st.text(max_size=6), st.just("杭州")),
)
# Tracking pasted without its line breaks: line numbers count the pieces split_run_on makes.
@example(text="2025-06-09 18:42:11昨天" * 12, reference=None, offset=0, city=None)
def test_parse_never_raises_and_keeps_lines_verbatim(
    text: str, reference: date | None, offset: int, city: str | None
) -> None:
    record = parse_tracking(
        text, reference_date=reference, utc_offset_minutes=offset, order_city=city
    )
    source = split_run_on(split_lines(text))  # the lines the parser numbers
    for event in record.events:
        assert event.raw_line in text
        assert source[event.line_no - 1] == event.raw_line
        if event.time_line_no is not None:
            assert 1 <= event.time_line_no <= len(source)
        if event.kind is EventKind.TEXT:
            assert event.time is None
    # Every non-blank line is accounted for: as an event or as the time line of one.
    used = [n for e in record.events for n in e.line_nos]
    assert sorted(used) == [i for i, line in enumerate(source, 1) if normalise_line(line).strip()]
    for flag in record.flags:
        assert flag.zh and flag.en
        assert all(1 <= n <= len(source) for n in flag.line_nos)
    keys = [e.instant() for e in record.events if e.time is not None]
    assert keys == sorted(keys)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_decode_returns_text_or_a_typed_error(data: bytes) -> None:
    try:
        text = decode_text(data)
    except InputError:
        return
    assert isinstance(text, str)
    parse_tracking(text)
