"""What one tracking line says: its kind, place, signer and courier.

Wording differs by carrier but the verbs are shared (platform_rules.md §4.3): 揽收, 发往,
到达, 派件, 代收, 签收, 拒收, 退回. Rules are tried in a fixed order because lines mix
them: "未妥投，收件人拒收" is a refusal although it contains 妥投, and "快件已由【…丰巢柜】
代收，请及时取件" is a locker drop-off, not a signature.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from app.evidence.tracking.carriers import carrier_table
from app.evidence.tracking.model import EventKind, Signer

_FIXED_RULES: tuple[tuple[EventKind, str], ...] = (
    (EventKind.RETURNED, r"退回|退件|退签|返回寄件|退还寄件|退回寄件|原件返回|返件"),
    (EventKind.REFUSED, r"拒收|拒签|拒绝签收|拒绝接收"),
    # Failed delivery before 签收: "未妥投" must not count as 妥投.
    (
        EventKind.EXCEPTION,
        r"未妥投|未签收|无人签收|签收失败|投递失败|派送失败|派件失败|无法派送|无法投递",
    ),
    (
        EventKind.SIGNED,
        r"已签收|签收人|妥投(?<!未妥投)|投递并签收|已由[^签]{0,20}签收|被[^签]{0,20}签收|代签收|"
        r"凭取[货件]码签收|本人签收|签收成功|已经签收|已被取出|已取出|已被领取|已领取",
    ),
    (
        EventKind.EXCEPTION,
        r"问题件|滞留|异常(?<!如有异常)|疑难(?<!如有疑难)|延误|地址不详|破损|丢失|遗失|超时未取",
    ),
)
_LATER_RULES: tuple[tuple[EventKind, str], ...] = (
    # Waiting at the last station: an arrival, not yet a delivery attempt.
    (
        EventKind.ARRIVED,
        r"将很快进行派送|即将派送|等待派送|等待配送|分配[^快配]{0,12}(快递员|配送员)|已分配",
    ),
    (
        EventKind.OUT_FOR_DELIVERY,
        r"正在派件|正在派送|派送中|派件中|进行派件|开始派送|开始派件|派送途中|为您派件|为您派送|"
        r"开始配送|正在为您配送|(配送员|快递员|派件员|投递员)[^出]{0,12}出发|安排投递|正在投递|"
        r"准备签收|准备收货|派件扫描|第\d{1,2}次派件",
    ),
    (EventKind.OTHER, r"等待揽收|待揽收|等待揽件|通知快递.{0,6}揽|准备揽收"),
    (EventKind.PICKUP, r"揽收|揽件|收取快件|已收件|收寄|已收入|取件成功|已取件|收件扫描"),
    (EventKind.ARRIVED, r"到达|抵达|到件|卸车扫描|已到站|进港|验货完成"),
    (
        EventKind.TRANSIT,
        r"发往|离开|发出|转运|分拣|中转|运输|在途|装车|装件|运往|出发|途中|出港|航班|干线|清关|海关|放行",
    ),
)
_STATION_EXTRA = r"入柜|存放至|已放入|暂存|保管|请及时取件|请及时领取|取件码|取货码|凭码取件|待取件"


@functools.cache
def _rules() -> tuple[tuple[EventKind, re.Pattern[str]], ...]:
    table = carrier_table()
    station = (
        "|".join(re.escape(w) for w in (*table.locker_words, *table.station_words))
        + "|"
        + _STATION_EXTRA
    )
    rules = (*_FIXED_RULES, (EventKind.STATION_DROPOFF, station), *_LATER_RULES)
    return tuple((kind, re.compile(pattern)) for kind, pattern in rules)


def classify(text: str) -> EventKind:
    """The kind of event a (normalised, time-stripped) tracking line describes."""
    for kind, pattern in _rules():
        if pattern.search(text):
            return kind
    return EventKind.OTHER


class LineFacts(NamedTuple):
    """Place, signer and courier read from one line; None when not printed."""

    location: str | None
    places: tuple[str, ...]
    signer: Signer | None
    courier_name: str | None
    courier_phone: str | None


_BRACKET = re.compile(r"【([^】\n]{1,60})】|\[([^\]\n]{1,60})\]")
_PREFIX = re.compile(r"\s{0,4}(?:【([^】]{1,40})】|\[([^\]]{1,40})\])")
_NOT_A_PLACE = re.compile(r"[，,。!！:：?？]|请|电话|号码|\d{5}|感谢|期待")
_FACILITY_SUFFIX = re.compile(
    r"揽投部|营业部|营销部|投递部|服务部|营业点|营业所|分拨中心|转运中心|集散中心|分拣中心|"
    r"处理中心|中转场|配送站|中心|分部|公司|支局|网点"
)
_FACILITY_NAME = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,20}$")
_LEADING_VERB = re.compile(r"^(?:快件|货物|包裹|已经|已|离开|到达|抵达|发往|在|由|从|进入)+")
# The lookbehind sits after the leading 1 so re can still skip ahead to candidate 1s fast.
_MOBILE = re.compile(r"1(?<!\d1)[3-9][\d*]{9}(?![\d*])")
# 王** / 李* / 王小明; an unmasked name must end where the Chinese text does, or "天心岛部"
# (a depot) would yield "天心岛".
_NAME_CHARS = r"(?:[\u4e00-\u9fff]{1,2}\*{1,4}|[\u4e00-\u9fff]{2,3}(?![\u4e00-\u9fff]))"
_COURIER = re.compile(
    r"(?:快递员|派件员|派件人|派送员|配送员|投递员|业务员|快递小哥|揽收员|揽投员|取件人|收件员)(?:姓名)?"
    r"[\s:：,，【\[(（]{0,3}(?P<a>" + _NAME_CHARS + r")"
    r"|交给\s?(?P<b>" + _NAME_CHARS + r")"
    r"|的\s?(?P<c>" + _NAME_CHARS + r")\s?[（(]\s?1"
    r"|【(?P<d>" + _NAME_CHARS + r")/1"
)
_NOT_A_NAME = re.compile(r"^(开始|正在|已|将|为|在|出|请|会|您|联系|电|手机|姓名|的)")

_SIGNER_RULES: tuple[tuple[Signer, str], ...] = (
    (Signer.FAMILY, r"家人|家属|亲属|父母|父亲|母亲|丈夫|妻子|老公|老婆"),
    (Signer.COLLEAGUE, r"同事"),
    (Signer.RECEPTION, r"前台"),
    (Signer.GUARD, r"门卫|保安|门岗|传达室"),
    (Signer.PROPERTY, r"物业"),
    (Signer.MAILROOM, r"收发室|收发章|收发员|单位收发"),
    (Signer.LOCKER, "@locker"),
    (Signer.OTHER_PERSON, r"他人"),
    (Signer.PICKUP_POINT, "@station"),
    (Signer.PICKUP_CODE, r"取[货件]码|凭码"),
    (Signer.PHOTO, r"拍照签收|图片\s?签收|照片签收"),
    (Signer.SELF, r"本人"),
    (Signer.OTHER_PERSON, r"代签收|代签"),
)


@functools.cache
def _signer_rules() -> tuple[tuple[Signer, re.Pattern[str]], ...]:
    table = carrier_table()
    words = {"@locker": table.locker_words, "@station": table.station_words}
    compiled = []
    for signer, pattern in _SIGNER_RULES:
        if pattern in words:
            pattern = "|".join(re.escape(w) for w in words[pattern])
        compiled.append((signer, re.compile(pattern)))
    return tuple(compiled)


def describe(text: str, kind: EventKind) -> LineFacts:
    """Read the place, signer and courier from a normalised, time-stripped line."""
    places = tuple(
        p.strip() for m in _BRACKET.finditer(text) if not _NOT_A_PLACE.search(p := m[1] or m[2])
    )
    location = None
    if prefix := _PREFIX.match(text):
        candidate = (prefix[1] or prefix[2]).strip()
        location = None if _NOT_A_PLACE.search(candidate) else candidate
    if location is None and places:
        location = places[0]
    if location is None:
        location = _facility(text)
    signer = None
    if kind in (EventKind.SIGNED, EventKind.STATION_DROPOFF):
        signer = next((s for s, p in _signer_rules() if p.search(text)), None)
    if kind is EventKind.TRANSIT:  # line-haul scans name depots, not couriers
        return LineFacts(location, places, signer, None, None)
    phone = _MOBILE.search(text)
    return LineFacts(location, places, signer, _courier_name(text), phone[0] if phone else None)


def _courier_name(text: str) -> str | None:
    for match in _COURIER.finditer(text):
        name = next(g for g in match.groups() if g).rstrip("的")
        # An unmasked "name" right after 配送员 is often a verb ("配送员开始配送").
        if "*" in name or (len(name) <= 3 and not _NOT_A_NAME.match(name)):
            return name
    return None


def _facility(text: str) -> str | None:
    """A facility named in running text ("杭州市西湖区邮政揽投部安排投递").

    Finds the suffix first and reads backwards, so the cost stays linear in the line.
    """
    suffix = _FACILITY_SUFFIX.search(text)
    if suffix is None:
        return None
    name = _FACILITY_NAME.search(text, max(0, suffix.start() - 20), suffix.start())
    stem = _LEADING_VERB.sub("", name[0]) if name else ""
    return stem + suffix[0] if len(stem) >= 2 else None
