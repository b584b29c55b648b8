# ruff: noqa: E501  (verbatim-style courier lines are long; wrapping them would hide what is tested)
"""Realistic per-carrier tracking histories, and renderers for every layout the parser reads.

Wording follows the carriers' public formats (docs/research/platform_rules.md §4.2); names,
numbers and phones are made up and masked the way carriers print them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from app.evidence.tracking import EventKind, Signer

REFERENCE = date(2025, 6, 14)  # the day the histories were "copied"; events run 06-12..06-14
D0, D1, D2 = (datetime(2025, 6, d) for d in (12, 13, 14))

K = EventKind


@dataclass(frozen=True)
class Step:
    at: datetime
    text: str
    kind: EventKind
    signer: Signer | None = None


@dataclass(frozen=True)
class Scenario:
    carrier: str
    number: str
    title: str  # the header line users paste above the scans
    steps: tuple[Step, ...]  # oldest first


def _at(day: datetime, hms: str) -> datetime:
    h, m, s = (int(x) for x in hms.split(":"))
    return day.replace(hour=h, minute=m, second=s)


def _s(day: datetime, hms: str, text: str, kind: EventKind, signer: Signer | None = None) -> Step:
    return Step(_at(day, hms), text, kind, signer)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("SF", "SF1402287551234", "顺丰速运 运单号：SF1402287551234", (
        _s(D0, "10:30:56", "顺丰速运 已收取快件", K.PICKUP),
        _s(D0, "13:16:02", "快件在【上海浦东康桥店】完成分拣，准备发往 【上海浦江中转场】", K.TRANSIT),
        _s(D0, "14:01:49", "快件到达 【上海浦江中转场】", K.ARRIVED),
        _s(D2, "07:27:18", "快件交给陈**，正在派送途中（联系电话：188****1552，顺丰已开启“安全呼叫”保护您的电话隐私,请放心接听！）", K.OUT_FOR_DELIVERY),
        _s(D2, "07:58:31", "您的快件已签收，如有疑问请电联快递员【陈**，电话：188****1552】，感谢您使用顺丰，期待再次为您服务。", K.SIGNED),
    )),
    Scenario("ZTO", "75312345678901", "中通快递 75312345678901", (
        _s(D0, "17:48:45", "【上海市】 【外高桥北部】（021-8037****） 的 爱**（186****9757） 已揽收", K.PICKUP),
        _s(D0, "21:12:00", "【上海市】 快件离开 【上海浦东中心】 已发往 【昆常转运中心】", K.TRANSIT),
        _s(D1, "08:04:24", "【苏州市】 快件已经到达 【常熟天下淘宝四】", K.ARRIVED),
        _s(D1, "08:05:25", "【苏州市】 【常熟天下淘宝四】 的王*（137****4974） 正在第1次派件, 请保持电话畅通,并耐心等待", K.OUT_FOR_DELIVERY),
        _s(D1, "09:51:07", "【苏州市】 快件已被【菜鸟的师范大学国培大厦菜鸟驿站】代收，如有问题请电联（137****4974），感谢使用中通快递，期待再次为您服务！", K.STATION_DROPOFF, Signer.PICKUP_POINT),
        _s(D1, "16:20:38", "【苏州市】 您的快递已签收, 签收人在【菜鸟的师范大学国培大厦菜鸟驿站】领取。如有疑问请电联:（137****4974）, 您的快递已经妥投。", K.SIGNED, Signer.PICKUP_POINT),
    )),
    Scenario("YTO", "YT8812345678901", "圆通速递 YT8812345678901", (
        _s(D0, "12:13:56", "【山东省济南市孙村公司】 已收入", K.PICKUP),
        _s(D0, "20:30:00", "【济南转运中心】 已发出 下一站 【济南市历城区公司】", K.TRANSIT),
        _s(D1, "06:10:00", "快件已到达【济南市历城区公司】", K.ARRIVED),
        _s(D1, "08:00:00", "【济南市历城区公司】 派件人: 孙** 电话 155****2271 正在派件", K.OUT_FOR_DELIVERY),
        _s(D1, "13:53:38", "快件已由济南历城区翡翠雅郡北区西门店代收，请及时取件，如有疑问请联系155****2271", K.STATION_DROPOFF, Signer.PICKUP_POINT),
        _s(D1, "17:31:57", "客户签收人: 已签收，签收人凭取货码签收。 已签收 感谢使用圆通速递，期待再次为您服务 如有疑问请联系：185****8021", K.SIGNED, Signer.PICKUP_CODE),
    )),
    Scenario("STO", "773012345678901", "申通快递 773012345678901", (
        _s(D0, "09:00:00", "【厦门市】【福建厦门集美公司】的王**（180****1234）已揽收", K.PICKUP),
        _s(D0, "16:45:05", "【厦门市】福建厦门转运中心 已发出，下一站【福建厦门海沧生活区】", K.TRANSIT),
        _s(D1, "06:00:00", "【厦门市】快件已到达【福建厦门海沧生活区】", K.ARRIVED),
        _s(D1, "08:30:00", "【厦门市】福建厦门海沧生活区派件员：天心岛部180****4567正在为您派件。", K.OUT_FOR_DELIVERY),
        _s(D1, "12:00:00", "【厦门市】已签收，签收人是本人，感谢您使用申通快递，期待再次为您服务。", K.SIGNED, Signer.SELF),
    )),
    Scenario("YUNDA", "312345678901234", "韵达快递 312345678901234", (
        _s(D0, "16:27:32", "[湖北监利县公司]进行揽件扫描", K.PICKUP),
        _s(D1, "08:00:01", "[安徽合肥分拨中心]在分拨中心进行卸车扫描", K.ARRIVED),
        _s(D1, "09:15:36", "[安徽合肥分拨中心]从站点发出，本次转运目的地：安徽合肥包河卫岗公司", K.TRANSIT),
        _s(D1, "12:54:35", "[安徽合肥包河卫岗公司]到达目的地网点，快件将很快进行派送", K.ARRIVED),
        _s(D2, "10:40:59", "[安徽合肥包河卫岗公司]进行派件扫描；派送业务员：黄**；联系电话：183****9825", K.OUT_FOR_DELIVERY),
        _s(D2, "10:45:59", "[安徽合肥包河卫岗公司]快件已被 本人 签收", K.SIGNED, Signer.SELF),
    )),
    Scenario("JD", "JDVB20345678123", "京东快递 运单号 JDVB20345678123", (
        _s(D0, "22:10:00", "您的包裹已由物流公司揽收", K.PICKUP),
        _s(D1, "02:49:57", "货物已到达【杭州萧山分拣中心】", K.ARRIVED),
        _s(D1, "02:50:40", "货物已完成分拣，离开【杭州萧山分拣中心】", K.TRANSIT),
        _s(D1, "09:02:53", "货物已分配，等待配送", K.ARRIVED),
        _s(D1, "09:19:19", "配送员开始配送，请您准备收货，配送员，裴**，手机号，130****5743", K.OUT_FOR_DELIVERY),
        _s(D1, "12:31:08", "您的订单已由本人签收（已在配送员处采用无纸化方式签收本订单）。感谢您在京东购物，欢迎再次光临。", K.SIGNED, Signer.SELF),
    )),
    Scenario("EMS", "9876543210123", "中国邮政 EMS 9876543210123", (
        _s(D0, "10:00:00", "【深圳市】深圳市南油速递营销部已收寄", K.PICKUP),
        _s(D0, "17:34:00", "离开深圳市 发往广州市（经转）", K.TRANSIT),
        _s(D1, "06:00:00", "到达广州邮件处理中心（经转）", K.ARRIVED),
        _s(D1, "07:38:44", "广州市天河区速递营销部安排投递（投递员姓名：蔡**;联系电话：187****0573）", K.OUT_FOR_DELIVERY),
        _s(D1, "11:23:28", "妥投投递并签收，签收人：他人收 他人收", K.SIGNED, Signer.OTHER_PERSON),
    )),
    Scenario("JT", "JT0001234567890", "极兔速递 JT0001234567890", (
        _s(D0, "19:00:00", "【东莞市】【东莞大朗网点】的快递员 李**（135****1122）已揽收", K.PICKUP),
        _s(D0, "23:40:00", "【东莞市】快件离开【东莞转运中心】已发往【杭州转运中心】", K.TRANSIT),
        _s(D1, "15:20:00", "【杭州市】快件到达【杭州转运中心】", K.ARRIVED),
        _s(D2, "08:10:00", "【杭州市】【杭州西湖网点】的快递员 周**（138****3344）正在派件", K.OUT_FOR_DELIVERY),
        _s(D2, "10:30:00", "【杭州市】您的快件已存放至【文一西路丰巢柜】，请前往【文一西路丰巢柜】及时取件，如有疑问请联系派件员【138****3344】", K.STATION_DROPOFF, Signer.LOCKER),
        _s(D2, "18:00:00", "【杭州市】您的快件已签收，签收人在【文一西路丰巢柜】领取，感谢使用极兔速递", K.SIGNED, Signer.LOCKER),
    )),
    Scenario("BEST", "880123456789", "百世快递 880123456789", (
        _s(D0, "18:00:00", "[深圳市]【深圳福田分部】的【刘**/186****1111】已揽收", K.PICKUP),
        _s(D1, "03:00:00", "[深圳市]快件已发往【广州转运中心】", K.TRANSIT),
        _s(D1, "09:00:00", "[广州市]快件已到达【广州天河分部】", K.ARRIVED),
        _s(D1, "10:00:00", "广州市【广州天河分部】，【张**/186****5538】正在派件", K.OUT_FOR_DELIVERY),
        _s(D1, "15:00:00", "[广州市]【已签收，签收人是拍照签收】，感谢使用百世快递，期待再次为您服务", K.SIGNED, Signer.PHOTO),
    )),
)  # fmt: skip

_RELATIVE_WORDS = {0: "今天", 1: "昨天", 2: "前天"}

# name -> (render a datetime, keeps seconds, date resolved against the reference)
TIME_FORMATS = {
    "iso_seconds": (lambda t: f"{t:%Y-%m-%d %H:%M:%S}", True, False),
    "minutes": (lambda t: f"{t:%Y-%m-%d %H:%M}", False, False),
    "slashes": (lambda t: f"{t:%Y/%m/%d %H:%M:%S}", True, False),
    "unpadded": (lambda t: f"{t.year}-{t.month}-{t.day} {t.hour}:{t.minute:02d}:{t.second}", True, False),
    "t_and_offset": (lambda t: f"{t:%Y-%m-%dT%H:%M:%S}+08:00", True, False),
    "chinese_date": (lambda t: f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}", False, False),
    "month_day": (lambda t: f"{t:%m-%d %H:%M}", False, True),
    "relative": (lambda t: f"{_RELATIVE_WORDS[(REFERENCE - t.date()).days]} {t:%H:%M}", False, True),
}  # fmt: skip

LAYOUTS = ("time_first", "time_last", "time_line_before", "time_line_after", "csv")


def render(scenario: Scenario, time_format: str, layout: str, newest_first: bool) -> str:
    """The scenario as a user would paste it."""
    fmt = TIME_FORMATS[time_format][0]
    steps = list(reversed(scenario.steps)) if newest_first else list(scenario.steps)
    if layout == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["时间", "状态"])
        for step in steps:
            writer.writerow([fmt(step.at), step.text])
        return scenario.title + "\n" + out.getvalue()
    lines = [scenario.title]
    for step in steps:
        stamp = fmt(step.at)
        lines += {
            "time_first": [f"{stamp}  {step.text}"],
            "time_last": [f"{step.text}   {stamp}"],
            "time_line_before": [stamp, step.text],
            "time_line_after": [step.text, stamp],
        }[layout]
    return "\n".join(lines) + "\n"


def expected_time(step: Step, time_format: str) -> datetime:
    keeps_seconds = TIME_FORMATS[time_format][1]
    return step.at if keeps_seconds else step.at.replace(second=0)
