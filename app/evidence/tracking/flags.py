"""Observations in a tracking record that matter in a dispute, in words a buyer understands.

Grounds (platform_rules.md §2): for 未收到货 the seller must prove delivery (淘宝规则第三十八条);
delivery to a station or locker needs the recipient's prior consent (第二十八条, and since
2024-03-01 《快递市场管理办法》); risk passes to the buyer only at 签收 (第十条). A flag says
what was seen and when it misleads; it never says the record is fake.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from app.evidence.tracking.model import (
    EventKind,
    FlagSeverity,
    Signer,
    TrackingEvent,
    TrackingFlag,
    TrackingNumberCandidate,
)

LONG_GAP_HOURS = 48
_MAX_GAP_FLAGS = 20  # past this the list stops helping; one more flag counts the rest
_STATION_SIGNERS = {Signer.LOCKER, Signer.PICKUP_POINT, Signer.PICKUP_CODE}
# Wording carriers use when the recipient asked for or agreed to station/locker delivery.
_CONSENT = re.compile(
    r"(按|根据|应)(收件人|客户|您|用户)的?(要求|指示|需要)"
    r"|经(收件人|客户|您|用户)(本人)?(同意|授权|允许)"
    r"|(收件人|客户|您|用户)已?(同意|要求|授权|指定)(放|存|投|代收|寄存)"
    r"|已与(收件人|客户|您)(联系|沟通|确认)"
)
_KIND_FLAGS = (
    (EventKind.REFUSED, "refused", "快件被拒收", "the parcel was refused"),
    (EventKind.RETURNED, "returned", "快件被退回寄件人", "the parcel was sent back to the sender"),
    (
        EventKind.EXCEPTION,
        "exception",
        "快件出现异常（问题件、滞留或投递失败）",
        "the carrier recorded a problem (problem parcel, held up or failed delivery)",
    ),
)
_SEVERITY_RANK = {FlagSeverity.ALERT: 0, FlagSeverity.WARNING: 1, FlagSeverity.INFO: 2}


def _lines_zh(line_nos: Iterable[int]) -> str:
    return "、".join(str(n) for n in line_nos)


def _lines_en(line_nos: Iterable[int]) -> str:
    return ", ".join(str(n) for n in line_nos)


def _line_nos(events: Iterable[TrackingEvent]) -> tuple[int, ...]:
    return tuple(sorted({n for e in events for n in e.line_nos}))


def _flag(
    code: str, severity: FlagSeverity, zh: str, en: str, events: Sequence[TrackingEvent]
) -> TrackingFlag:
    return TrackingFlag(code, severity, zh, en, _line_nos(events))


def _index(events: Sequence[TrackingEvent], target: TrackingEvent) -> int:
    """Position by identity: two identical pasted lines are still two events."""
    return next(i for i, e in enumerate(events) if e is target)


def dispute_flags(events: Sequence[TrackingEvent], *, order_city: str | None) -> list[TrackingFlag]:
    """Flags that rest on the events themselves; `events` must be in chronological order."""
    found: list[TrackingFlag] = []
    signed = [e for e in events if e.kind is EventKind.SIGNED]
    found += _station_without_consent(events)
    if signed and order_city:
        found += _city_mismatch(events, signed[0], order_city)
    found += _long_gaps(events)
    if signed:
        found += _no_delivery_scan(events, signed[0])
        found += _signed_before_arrival(events)
    for kind, code, zh, en in _KIND_FLAGS:
        hit = [e for e in events if e.kind is kind][:50]
        if hit:
            lines = _line_nos(hit)
            found.append(_flag(
                code, FlagSeverity.WARNING,
                f"第 {_lines_zh(lines)} 行显示{zh}。请把这些记录和说明经过的聊天记录一起提交。",
                f"Line {_lines_en(lines)} shows {en}. Submit it together with the chat records "
                "that explain what happened.",
                hit,
            ))  # fmt: skip
    return found


def _station_without_consent(events: Sequence[TrackingEvent]) -> list[TrackingFlag]:
    hit = [
        e
        for e in events
        if e.kind is EventKind.STATION_DROPOFF
        or (e.kind is EventKind.SIGNED and e.signer in _STATION_SIGNERS)
    ]
    if not hit or _CONSENT.search("\n".join(e.description for e in events)):
        return []
    hit = hit[:50]  # enough to point at; a message listing thousands of lines helps no one
    lines = _line_nos(hit)
    return [_flag(
        "station_without_consent", FlagSeverity.WARNING,
        f"快件被放进快递柜或驿站代收（第 {_lines_zh(lines)} 行），物流记录里没有您同意代收的记录。"
        "淘宝规则要求投递到驿站或快递柜前要事先告知或征得收件人同意，"
        "《快递市场管理办法》（2024年3月1日起）也不允许未经同意使用快递柜、驿站投递。"
        "如果您没同意过、也没取到件，这几行对您有利。"
        "注意：同意也可能是通过电话或短信给的，物流记录里看不到。",
        f"The parcel was left at a locker or pickup station (line {_lines_en(lines)}) "
        "and the tracking shows no sign that you agreed. Taobao's rules require notice or your "
        "consent before station or locker delivery, and China's Express Market Rules (since "
        "1 March 2024) forbid it without consent. If you never agreed and never collected the "
        "parcel, these lines support you. Note: consent given by phone or SMS does not show here.",
        hit,
    )]  # fmt: skip


def _city_core(city: str) -> str:
    core = city.strip()
    if "省" in core:
        core = core.split("省", 1)[1]
    if "市" in core:
        core = core.split("市", 1)[0]
    return core


def _city_mismatch(
    events: Sequence[TrackingEvent], signed: TrackingEvent, order_city: str
) -> list[TrackingFlag]:
    core = _city_core(order_city)
    if len(core) < 2:
        return []
    end = _index(events, signed)
    start = end
    while start > 0 and events[start].kind is not EventKind.ARRIVED:
        start -= 1
    # The last mile: the last arrival scan up to the signing.
    segment = [e for e in events[start : end + 1] if e.kind is not EventKind.TEXT]
    if any(core in e.description or core in (e.location or "") for e in segment):
        return []
    other = [
        (e, place)
        for e in segment
        for place in (e.location, *e.places)
        if place and "市" in place and core not in place
    ]
    if not other:
        return []  # no city named in the last mile: nothing to compare with
    place = other[-1][1]
    on = [signed, other[-1][0]]
    return [_flag(
        "signed_city_mismatch", FlagSeverity.ALERT,
        f"签收前后的地点是「{place}」，而订单的收货城市是「{order_city}」。如果您不在那里，"
        "签收人很可能不是您；请保留收货地址截图作对比。注意：快递网点有时以上级城市命名。",
        f"The place around the signing is '{place}', but the order was to be delivered in "
        f"'{order_city}'. If you were not there, someone else probably signed; keep a screenshot "
        "of the delivery address to compare. Note: depots are sometimes named after a nearby city.",
        on,
    )]  # fmt: skip


def _long_gaps(events: Sequence[TrackingEvent]) -> list[TrackingFlag]:
    found: list[TrackingFlag] = []
    timed = [(e, t) for e in events if (t := e.instant()) is not None]
    limit = timedelta(hours=LONG_GAP_HOURS)
    extra = 0
    for (before, t0), (after, t1) in zip(timed, timed[1:], strict=False):
        if t1 - t0 > limit:
            if len(found) < _MAX_GAP_FLAGS:
                found.append(_gap_flag(before, after, (t1 - t0).total_seconds() / 3600))
            else:
                extra += 1
    if extra:
        found.append(TrackingFlag(
            "long_gap_more", FlagSeverity.INFO,
            f"另外还有 {extra} 处超过 {LONG_GAP_HOURS} 小时没有更新的间隔，未逐条列出。",
            f"{extra} more gaps of over {LONG_GAP_HOURS} hours are not listed one by one.",
        ))  # fmt: skip
    return found


def _gap_flag(before: TrackingEvent, after: TrackingEvent, hours: float) -> TrackingFlag:
    days = hours / 24
    return _flag(
        "long_gap", FlagSeverity.WARNING,
        f"第 {before.line_no} 行到第 {after.line_no} 行之间有 {hours:.1f} 小时（约 {days:.1f} 天）"
        f"没有任何物流更新，超过了 {LONG_GAP_HOURS} 小时。可以请卖家或快递说明包裹这段时间在哪里；"
        "节假日、偏远地区或大促期间也会出现这种停顿。",
        f"No tracking update for {hours:.1f} hours (about {days:.1f} days) between line "
        f"{before.line_no} and line {after.line_no}, more than {LONG_GAP_HOURS} hours. You can ask "
        "the seller or carrier where the parcel was; holidays, remote areas and sales peaks also "
        "cause such pauses.",
        [before, after],
    )  # fmt: skip


def _no_delivery_scan(events: Sequence[TrackingEvent], signed: TrackingEvent) -> list[TrackingFlag]:
    before = events[: _index(events, signed)]
    if sum(e.kind is not EventKind.TEXT for e in before) == 0:
        return []  # only the signing line was pasted: nothing to judge by
    if any(e.kind is EventKind.OUT_FOR_DELIVERY for e in before):
        return []
    return [_flag(
        "no_delivery_scan", FlagSeverity.WARNING,
        f"签收（第 {signed.line_no} 行）之前没有任何派件/派送记录。正常投递一般先有派件扫描，"
        "没有它可能说明签收是直接录入系统的；可以要求卖家提供签收底单。"
        "注意：有些快递把派件记录合并在签收行里。",
        f"There is no out-for-delivery scan before the signing (line {signed.line_no}). A normal "
        "delivery shows one first; without it the signing may have been entered directly in the "
        "system, so ask the seller for the signed delivery slip. Note: some carriers fold the "
        "delivery scan into the signing line.",
        [signed],
    )]  # fmt: skip


def _signed_before_arrival(events: Sequence[TrackingEvent]) -> list[TrackingFlag]:
    timed = [e for e in events if e.time is not None]
    signed = next((e for e in timed if e.kind is EventKind.SIGNED), None)
    if signed is None:
        return []
    after = timed[_index(timed, signed) + 1 :]
    if any(e.kind in (EventKind.REFUSED, EventKind.RETURNED) for e in after):
        return []  # a return journey has arrivals of its own
    signed_at = signed.instant() or datetime.min
    arrivals = [
        e
        for e in after
        if e.kind is EventKind.ARRIVED and (e.instant() or datetime.min) > signed_at
    ]
    if not arrivals:
        return []
    last = arrivals[-1]
    return [_flag(
        "signed_before_arrival", FlagSeverity.ALERT,
        f"签收时间（第 {signed.line_no} 行，{signed.time_text}）早于包裹到达最后一个网点的时间"
        f"（第 {last.line_no} 行，{last.time_text}）。"
        "包裹还没到网点就显示签收，通常说明签收记录有问题。",
        f"The signing (line {signed.line_no}, {signed.time_text}) is earlier than the parcel's "
        f"arrival at the last depot (line {last.line_no}, {last.time_text}). A parcel cannot be "
        "signed for before it arrives, so the signing record is questionable.",
        [signed, last],
    )]  # fmt: skip


def reference_date_needed(line_nos: Sequence[int]) -> TrackingFlag:
    """Some times had no year or said 今天/昨天 and no reference date was given."""
    shown = tuple(line_nos[:50])
    return TrackingFlag(
        "reference_date_needed", FlagSeverity.WARNING,
        f"第 {_lines_zh(shown)} 行只写了“今天/昨天/前天”或月-日，没有完整日期。"
        "请填写复制这段物流的日期，才能换算出准确时间；在那之前这些行没有时间。",
        f"Line {_lines_en(shown)} gives only 'today/yesterday' or a month and day. Enter the "
        "date you copied this tracking so the exact times can be worked out; until then these "
        "lines have no time.",
        shown,
    )  # fmt: skip


def mixed_order(line_nos: Sequence[int]) -> TrackingFlag:
    """Times in the paste run both ways; the events were re-sorted."""
    shown = tuple(line_nos[:50])
    return TrackingFlag(
        "mixed_order", FlagSeverity.INFO,
        f"原文的时间顺序不一致（第 {_lines_zh(shown)} 行与前后顺序相反），"
        "已按时间重新排序。请核对原文。",
        f"The times in the original run in both directions (line {_lines_en(shown)} goes against "
        "the rest); the events were re-sorted by time. Please check the original.",
        shown,
    )  # fmt: skip


def number_needs_confirmation(
    top: TrackingNumberCandidate, chosen: str | None, basis: str
) -> TrackingFlag:
    """The waybill number or carrier was inferred, not stated: ask the user to confirm."""
    if chosen is None:
        zh = f"没能确定哪个是运单号（最接近的是“{top.number}”），请手动填写。"
        en = (
            f"Could not tell which number is the waybill number (closest: '{top.number}'); "
            "please enter it."
        )
    else:
        why_zh = "是按号码格式推测的" if basis != "named" else "没有明确标注"
        why_en = "was guessed from its shape" if basis != "named" else "is not clearly labelled"
        zh = f"运单号“{chosen}”{why_zh}，请对照快递面单或订单页确认。"
        en = (
            f"The waybill number '{chosen}' {why_en}; please check it against the waybill "
            "label or the order page."
        )
    return TrackingFlag("number_needs_confirmation", FlagSeverity.INFO, zh, en, top.line_nos)


def no_events(line_nos: Sequence[int]) -> TrackingFlag:
    """The text has lines but none with a readable time."""
    return TrackingFlag(
        "no_events", FlagSeverity.INFO,
        "没有从文本中读到带时间的物流记录。请确认粘贴的是完整的物流信息。",
        "No tracking line with a readable time was found. Check that the full tracking was "
        "pasted.",
        tuple(line_nos),
    )  # fmt: skip


def sort_flags(found: Iterable[TrackingFlag]) -> tuple[TrackingFlag, ...]:
    """Strongest first, then by the first line each rests on."""
    return tuple(
        sorted(found, key=lambda f: (_SEVERITY_RANK[f.severity], f.line_nos[:1] or (0,), f.code))
    )
