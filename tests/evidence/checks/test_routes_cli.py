"""`evidence-desk check` names the likely route of a non-original and what to do instead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import cli
from tests.evidence.checks.routefiles import write_all


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_all(tmp_path_factory.mktemp("routes_cli"))


def _check(capsys: pytest.CaptureFixture[str], language: str, *args: object) -> str:
    code = cli.main(["--lang", language, "check", *map(str, args)])
    out, _ = capsys.readouterr()
    assert code == 0
    return out


def test_check_names_the_route_in_chinese(files: dict[str, Path], capsys) -> None:
    out = _check(capsys, "zh_CN", files["wechat_saved_android"], files["chat_screenshot"])
    wechat, chat = out.split("\nunknown")
    assert "[可能的来路] 很可能是从微信保存下来的压缩副本" in wechat
    assert "在微信里发送时勾选“原图”" in wechat and "DCIM/Camera" in wechat
    assert "可能的来路" not in chat  # a chat screenshot: nothing is said about a route


def test_check_names_the_route_in_english(files: dict[str, Path], capsys) -> None:
    out = _check(capsys, "en", files["shot_iphone_landscape_photo"], files["qq_saved_pc"])
    assert "[likely route] Most likely a screenshot of a photo on a phone screen" in out
    assert "[likely route] Most likely a compressed copy saved from QQ" in out
    assert "ticked in QQ" in out and "Keep Originals" in out


def test_check_json_carries_the_route_as_a_finding(files: dict[str, Path], capsys) -> None:
    out = _check(capsys, "en", files["wechat_named"], "--json")
    (entry,) = json.loads(out)["files"]
    route = next(f for f in entry["findings"] if f["code"] == "route_chat_app")
    assert route["severity"] == "info"
    assert route["params"]["app"] == "wechat" and route["params"]["evidence"] == "file_names_app"
    assert entry["verdict"] == "recompressed"
