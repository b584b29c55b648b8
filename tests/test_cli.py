"""End to end through the command line, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=REPO, env=env, input=stdin.decode() if stdin else None,
        capture_output=True, text=True, timeout=300,
    )


def test_new_add_list_note_verify(corpus_copy, tmp_path: Path) -> None:
    case = tmp_path / "我的 案件"
    root = corpus_copy("photos/originals", "synthetic/videos", "synthetic/screenshots", "synthetic/tracking")
    r = run("new", str(case), "--title", "外套颜色不符", "--order", "3917264500123", "--dispute", "not_as_described")
    assert r.returncode == 0, r.stderr
    r = run("add", str(case), str(root))
    assert r.returncode == 0, r.stderr
    assert "imported 14" in r.stdout
    r = run("add", str(case), str(root))
    assert "already present 14" in r.stdout

    listing = json.loads(run("list", str(case), "--json").stdout)
    assert listing["case"]["order_no"] == "3917264500123"
    items = {i["original_name"]: i for i in listing["items"]}
    assert len(items) == 14
    for item in items.values():
        assert set(item) >= {"id", "kind", "original_name", "sha256", "size", "imported_at", "capture_time",
                             "capture_time_source", "metadata"}
        assert item["imported_at"].endswith("+00:00")
    assert items["hmd_nokia_8.3_5g.jpg"]["capture_time"].endswith("+03:00")
    assert items["hmd_nokia_8.3_5g.jpg"]["capture_time_source"] == "exif"
    assert items["iphone_13_pro_max.heic"]["metadata"]["model"] == "iPhone 13 Pro Max"
    assert items["chat_part1.png"]["kind"] == "screenshot"
    assert items["packing_android_sf.mp4"]["kind"] == "video"
    assert items["sf_not_received.txt"]["kind"] == "tracking"
    assert items["iphone_6.jpg"]["kind"] == "photo"

    first = str(items["iphone_6.jpg"]["id"])
    assert run("note", str(case), first, "开箱前的包装").returncode == 0
    listing = json.loads(run("list", str(case), "--json").stdout)
    assert {i["note"] for i in listing["items"] if str(i["id"]) == first} == {"开箱前的包装"}

    r = run("verify", str(case))
    assert r.returncode == 0 and r.stdout.startswith("OK"), r.stdout


def test_add_tracking_from_stdin_and_file(corpus: Path, tmp_path: Path) -> None:
    case = tmp_path / "c"
    run("new", str(case), "--title", "未收到货")
    text = (corpus / "synthetic/tracking/zto_newest_first.txt").read_bytes()
    r = run("add-tracking", str(case), "-", stdin=text)
    assert r.returncode == 0, r.stderr
    r = run("add-tracking", str(case), "--text-file", str(corpus / "synthetic/tracking/ems_returned.txt"))
    assert r.returncode == 0, r.stderr
    items = json.loads(run("list", str(case), "--json").stdout)["items"]
    assert [i["kind"] for i in items] == ["tracking", "tracking"]


def test_usage_and_missing_case_exit_2(tmp_path: Path) -> None:
    assert run("add", str(tmp_path / "nope"), "x.jpg").returncode == 2
    assert run("list").returncode == 2
    assert run("note", str(tmp_path / "nope"), "1", "x").returncode == 2


def test_verify_reports_a_changed_original(corpus_copy, tmp_path: Path) -> None:
    case = tmp_path / "c"
    run("new", str(case), "--title", "t")
    run("add", str(case), str(corpus_copy("photos/originals/jolla.jpg")))
    (original,) = [p for p in (case / "originals").rglob("*.jpg")]
    original.chmod(0o644)
    data = bytearray(original.read_bytes())
    data[5000] ^= 0xFF
    original.write_bytes(bytes(data))
    r = run("verify", str(case))
    assert r.returncode == 1
    assert "original_changed" in r.stdout
