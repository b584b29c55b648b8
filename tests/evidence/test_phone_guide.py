"""The phone guide's data (resources/phone_guide/guide.json): every step and folder in both
languages with its source (a web address or null) and the date it was checked; the routes and
phone families issue 22 asks for; the page a "route_*" finding opens."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from importlib.resources import files
from typing import Any

import pytest

from app.evidence.phone_guide import (
    GENERAL_ROUTE,
    GuideError,
    load_guide,
    parse_guide,
    route_for_finding,
    route_for_findings,
)

CJK = re.compile(r"[\u3400-\u9fff]")
TODAY = dt.date.today()
SHOWN_LABELS = ("原图", "传输文件")
"""Chinese labels the English quotes as the phone shows them."""


def raw_guide() -> dict[str, Any]:
    text = files("resources").joinpath("phone_guide").joinpath("guide.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def test_the_guide_has_every_route_and_phone_family_of_the_issue() -> None:
    guide = load_guide()
    assert [r.id for r in guide.routes] == [
        "overview",
        "usb",
        "iphone_transfer",
        "chat_original",
        "never",
    ]
    assert [f.id for f in guide.families] == ["iphone", "huawei", "xiaomi", "oppo", "samsung"]
    usb = guide.route("usb")
    for family in guide.families:
        steps = usb.steps_for(family.id)
        assert any(s.families == () or family.id in s.families for s in steps)
        assert any(family.id in s.families for s in steps), f"no USB step for {family.id}"
        assert family.camera_folders, family.id
    assert guide.family("iphone").camera_folders[0].path == "DCIM/100APPLE"
    for android in ("huawei", "xiaomi", "oppo", "samsung"):
        assert guide.family(android).camera_folders[0].path == "DCIM/Camera"
    keep = " ".join(str(s.text.en) + s.text.zh for s in guide.route("iphone_transfer").steps)
    assert "Keep Originals" in keep and "保留原片" in keep
    chat = " ".join(s.text.zh for s in guide.route("chat_original").steps)
    assert "原图" in chat and "QQ" in chat


def _texts(node: Any, where: str = "") -> list[tuple[str, dict[str, str]]]:
    """Every {zh, en} pair in the raw data, with where it is."""
    found: list[tuple[str, dict[str, str]]] = []
    if isinstance(node, dict):
        if set(node) == {"zh", "en"}:
            return [(where, node)]
        for key, value in node.items():
            found += _texts(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _texts(value, f"{where}[{i}]")
    return found


def test_every_text_is_in_chinese_and_english() -> None:
    pairs = _texts(raw_guide())
    assert len(pairs) > 60, "the scan lost the texts"
    for where, pair in pairs:
        zh, en = pair["zh"], pair["en"]
        assert zh.strip() and en.strip(), where
        if CJK.search(zh) is None:
            assert zh == en, f"{where}: a Chinese text without Chinese: {zh!r}"
        # the English may quote the Chinese label a phone shows (原图, 传输文件), nothing else
        assert len(re.findall(r"[A-Za-z]{2,}", en)) >= 1, f"{where}: not English: {en!r}"
        rest = en
        for label in SHOWN_LABELS:
            rest = rest.replace(label, "")
        assert not CJK.search(rest), f"{where}: Chinese in the English text: {en!r}"


def _sourced(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    steps = [
        (f"route {r['id']} step {n}", s)
        for r in data["routes"]
        for n, s in enumerate(r["steps"], 1)
    ]
    folders = [
        (f"family {f['id']} folder {d['path']}", d) for f in data["families"] for d in f["folders"]
    ]
    return steps + folders


def test_every_step_and_folder_keeps_its_source_and_the_date_it_was_checked() -> None:
    data = raw_guide()
    sourced = _sourced(data)
    assert len(sourced) >= 30
    used = set()
    for where, entry in sourced:
        assert "source" in entry, f"{where}: no source field"
        url = entry["source"]
        if url is not None:
            assert re.match(r"https?://[^\s]+$", url), f"{where}: {url!r}"
            assert url in data["sources"], f"{where}: {url} not described"
            used.add(url)
        checked = dt.date.fromisoformat(entry["checked"])
        assert dt.date(2026, 1, 1) <= checked <= TODAY, f"{where}: checked {checked}"
    assert used == set(data["sources"]), "a source is described but no step uses it"
    for url, source in data["sources"].items():
        assert source["kind"] in ("vendor", "vendor_forum", "third_party"), url
        assert source["title"].strip() and source["publisher"].strip(), url
    # most steps rest on a page; the ones without say so (null), they are not dressed up
    with_source = sum(1 for _, e in sourced if e["source"] is not None)
    assert with_source >= len(sourced) // 2


def test_parsing_refuses_a_step_without_source_english_or_date() -> None:
    good = raw_guide()
    parse_guide(good)  # the real data passes

    missing_source = copy.deepcopy(good)
    del missing_source["routes"][1]["steps"][0]["source"]
    with pytest.raises(GuideError, match="no source field"):
        parse_guide(missing_source)

    only_chinese = copy.deepcopy(good)
    del only_chinese["routes"][2]["steps"][0]["text"]["en"]
    with pytest.raises(GuideError, match="zh and en"):
        parse_guide(only_chinese)

    bad_date = copy.deepcopy(good)
    bad_date["families"][0]["folders"][0]["checked"] = "today"
    with pytest.raises(GuideError, match="checked"):
        parse_guide(bad_date)

    invented = copy.deepcopy(good)
    invented["routes"][0]["steps"][0]["source"] = "https://example.com/not-described"
    with pytest.raises(GuideError, match="not described"):
        parse_guide(invented)

    no_camera = copy.deepcopy(good)
    no_camera["families"][1]["folders"] = [
        f for f in no_camera["families"][1]["folders"] if f["role"] != "camera"
    ]
    with pytest.raises(GuideError, match="no camera folder"):
        parse_guide(no_camera)


@pytest.mark.parametrize(
    ("codes", "route"),
    [
        (["route_wechat_recompressed"], "chat_original"),
        (["route_qq"], "chat_original"),
        (["route_iphone_transfer"], "iphone_transfer"),
        (["route_iphone_heic_converted"], "iphone_transfer"),
        (["route_cloud_album"], "never"),
        (["route_screenshot_of_photo"], "never"),
        (["route_usb"], "usb"),
        (["chat_app_trace", "route_wechat"], "chat_original"),
        (["chat_app_trace", "no_camera_metadata"], GENERAL_ROUTE),
        (["route_unheard_of"], GENERAL_ROUTE),
        ([], GENERAL_ROUTE),
    ],
)
def test_a_route_finding_opens_its_route_and_anything_else_the_general_page(
    codes: list[str], route: str
) -> None:
    assert route_for_findings(codes) == route


def test_every_route_the_checks_name_opens_a_page_of_its_own() -> None:
    """The codes of app/evidence/checks/routes.py: a chat app's copy -> 原图, a picture saved
    from a chat or a screenshot of a photo -> what never keeps the original."""
    from app.evidence.checks.routes import ROUTE_CODES

    assert ROUTE_CODES, "the checks name no route"
    expected = {
        "route_chat_app": "chat_original",
        "route_chat_app_saved": "never",
        "route_screenshot_of_photo": "never",
    }
    for code in ROUTE_CODES:
        assert route_for_findings([code]) != GENERAL_ROUTE, code
        if code in expected:
            assert route_for_findings([code]) == expected[code], code


def test_only_route_codes_name_a_route() -> None:
    assert route_for_finding("chat_app_trace") is None
    assert route_for_finding("wechat") is None
    assert route_for_finding("route_chat_original") == "chat_original"
