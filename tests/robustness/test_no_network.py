"""Nothing leaves the machine: the command line traced at the system-call level.

new -> add (import, checks, OCR of three generated chat screenshots) -> redact --suggest on them
and on a generated video (OCR of its keyframes) -> export (PDF with a PDF receipt drawn by the
page worker, upload pack, ZIP), each step a
`python -m app` process under strace -f, inside its own network namespace when run as root. Any
connect()/sendto()/sendmsg() addressed beyond loopback, AF_UNIX or netlink fails the test, DNS
included, whichever library (Python or native) makes it.

onnxruntime's telemetry (the one leak found: a DNS lookup of its collector after ~11 s of OCR
in one process, then HTTPS) starts by writing a device identifier and an event cache under
~/.cache/Microsoft/DeveloperTools/.onnxruntime as soon as a session is made, so each step runs
with a HOME of its own and the test also fails when that folder appears: the short steps here
catch a telemetry switch that stopped working, not only the lookup that comes later. CI
variables are removed from the environment, since onnxruntime stays quiet under CI anyway and
the test must see what a user's machine does.

The checker's own test runs a snippet that connects to 203.0.113.1 through libc (ctypes, no
Python socket object) and must be caught, while loopback and AF_UNIX must not.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.robustness.support import REPO
from tests.robustness.syscalls import (
    namespace_works,
    outside_connections,
    run_traced,
    strace_works,
)

pytestmark = pytest.mark.skipif(not strace_works(), reason="strace missing or not allowed here")

FONT = REPO / "resources" / "fonts" / "wqy-microhei.ttc"
TELEMETRY_DIR = Path(".cache") / "Microsoft" / "DeveloperTools"
# onnxruntime telemetry stays off when any of these is set; a user's machine has none of them
CI_VARIABLES = {
    *("CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI", "CIRCLECI", "TRAVIS", "JENKINS_URL"),
    *("CODEBUILD_BUILD_ID", "BUILDKITE", "TEAMCITY_VERSION", "APPVEYOR", "BITBUCKET_BUILD_NUMBER"),
    *("SYSTEM_TEAMFOUNDATIONCOLLECTIONURI", "ORT_RUNNING_UNIT_TESTS"),
    *("ORT_DISABLE_TELEMETRY", "ORT_TELEMETRY_DISABLED"),
}
CHATS = [
    ["你好，耳机收到了但是少了一个充电盒", "麻烦发一下开箱视频", "我的电话 13812345678"],
    ["收货地址：浙江省杭州市西湖区文三路 88 号", "收件人 张伟", "订单号 3958216640123456789"],
    ["我们核实一下", "请提供快递面单照片", "好的，稍等"],
]


def user_env(home: Path) -> dict[str, str]:
    """A user's environment: this checkout on the path, its own HOME, no CI markers."""
    env = {k: v for k, v in os.environ.items() if k not in CI_VARIABLES}
    env.update(
        PYTHONPATH=str(REPO),
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_CACHE_HOME=str(home / ".cache"),
        EVIDENCE_DESK_LANG="en",
    )
    return env


def chat_screenshot(path: Path, lines: list[str]) -> Path:
    """A phone-sized chat screenshot: grey page, white and green bubbles, black text."""
    font = ImageFont.truetype(str(FONT), 34)
    image = Image.new("RGB", (720, 1280), (237, 237, 237))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 720, 110), fill=(247, 247, 247))
    draw.text((290, 40), "某某旗舰店", font=font, fill=(0, 0, 0))
    y = 170
    for n, text in enumerate(lines):
        width = int(draw.textlength(text, font=font))
        left = 40 if n % 2 == 0 else 680 - width - 40
        colour = (255, 255, 255) if n % 2 == 0 else (149, 236, 105)
        draw.rounded_rectangle((left, y, left + width + 40, y + 70), 10, fill=colour)
        draw.text((left + 20, y + 14), text, font=font, fill=(0, 0, 0))
        y += 130
    image.save(path)
    return path


def packing_video(path: Path, seconds: float = 2.0, fps: int = 10) -> Path:
    """A short MPEG-4 clip of a waybill-like card with a phone number on it."""
    frame = np.full((360, 640, 3), (60, 110, 160), np.uint8)
    card = Image.new("RGB", (420, 200), (250, 250, 250))
    draw = ImageDraw.Draw(card)
    font = ImageFont.truetype(str(FONT), 30)
    draw.text((20, 30), "收件人 李娜 13987654321", font=font, fill=(0, 0, 0))
    draw.text((20, 110), "中通快递 73190553102532", font=font, fill=(0, 0, 0))
    frame[80:280, 110:530] = np.asarray(card)[:, :, ::-1]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (640, 360))
    assert writer.isOpened()
    for _ in range(int(seconds * fps)):
        writer.write(frame)
    writer.release()
    return path


# libmediainfo (with libcurl inside) fetches the URLs a DASH or HLS manifest names when it is
# handed the file by a bare name (connect to 203.0.113.1:80; with a folder in the path, as the
# app always passes, it looks for a local file instead). These two ride along in the import,
# named like videos, to hold that no path of the app lets a manifest reach the network.
MANIFESTS = {
    "clip.mp4": '<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static">'
    '<Period><AdaptationSet><Representation id="1" bandwidth="1">'
    "<BaseURL>http://203.0.113.1/x.mp4</BaseURL></Representation></AdaptationSet></Period></MPD>",
    "live.mp4": "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://203.0.113.1/a.ts\n"
    "#EXT-X-ENDLIST\n",
}


def telemetry_files(home: Path) -> list[str]:
    folder = home / TELEMETRY_DIR
    return sorted(str(p.relative_to(home)) for p in folder.rglob("*")) if folder.exists() else []


def test_import_ocr_redact_export_opens_no_connection(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    files = [chat_screenshot(inputs / f"chat{n}.png", lines) for n, lines in enumerate(CHATS)]
    files.append(packing_video(inputs / "packing.mp4"))
    receipt = inputs / "receipt.pdf"  # drawn by the PDF worker process at export
    Image.open(files[0]).convert("RGB").save(receipt, "PDF", resolution=150)
    files.append(receipt)
    for name, text in MANIFESTS.items():
        (inputs / name).write_text(text, encoding="utf-8")
        files.append(inputs / name)
    root, out = tmp_path / "case", tmp_path / "out"
    steps = {
        "new": ["new", str(root), "--title", "耳机少件", "--order", "3958216640123456789"],
        "add": ["add", str(root), *map(str, files)],
        "suggest": ["redact", str(root), "--suggest", "--accept-all", "--frames", "2"],
        "export": [
            "export", str(root), "--pdf", str(out / "chain.pdf"), "--pack", "taobao-buyer",
            "--out", str(out / "pack"), "--zip", str(out / "bundle.zip"),
        ],
    }  # fmt: skip
    out.mkdir()
    report: dict[str, object] = {}
    for name, args in steps.items():
        home = tmp_path / f"home-{name}"
        home.mkdir()
        started = time.perf_counter()
        run = run_traced(
            [sys.executable, "-m", "app", *args],
            tmp_path / f"{name}.strace",
            env=user_env(home),
            cwd=REPO,
            timeout=180,
        )
        report[name] = {
            "exit": run.returncode,
            "seconds": round(time.perf_counter() - started, 1),
            "traced_calls": len(run.calls),
            "outside": run.outside,
            "telemetry_files": telemetry_files(home),
            "namespace": run.namespace,
        }
        assert run.returncode == 0, (name, run.stderr[-2000:])
        assert run.outside == [], (name, run.outside)
        assert telemetry_files(home) == [], (name, telemetry_files(home))
    print(json.dumps(report, ensure_ascii=False, indent=1))
    assert (out / "chain.pdf").is_file() and (out / "bundle.zip").is_file()
    suggestions = json.loads(
        run_traced(
            [sys.executable, "-m", "app", "redact", str(root), "--list", "--json"],
            tmp_path / "list.strace",
            env=user_env(tmp_path / "home-new"),
            cwd=REPO,
        ).stdout
        or "null"
    )
    assert suggestions, "OCR ran: the phone numbers in the chats and the video were suggested"


CONNECT_OUT = """
import ctypes, socket, struct
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK, 0)
family = struct.pack("=H", socket.AF_INET)  # sa_family in host order, the rest in network order
addr = family + struct.pack("!H4s8x", 443, socket.inet_aton("203.0.113.1"))
libc.connect(fd, addr, len(addr))
"""
LOCAL_ONLY = """
import socket, tempfile, os
server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen()
client = socket.create_connection(server.getsockname(), timeout=2)
client.sendall(b"x"); server.accept()[0].recv(1)
path = os.path.join(tempfile.mkdtemp(), "s")
unix = socket.socket(socket.AF_UNIX); unix.bind(path); unix.listen()
socket.socket(socket.AF_UNIX).connect(path)
"""
SEND_OUT = """
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.sendto(b"query", ("203.0.113.1", 53))
except OSError:
    pass
"""


@pytest.mark.parametrize("namespace", [True, False], ids=["netns", "plain"])
def test_checker_catches_a_native_connect(tmp_path: Path, namespace: bool) -> None:
    if namespace and not namespace_works():
        pytest.skip("no network namespace here (needs root and unshare)")
    out = run_traced(
        [sys.executable, "-c", CONNECT_OUT], tmp_path / "out.strace", namespace=namespace
    )
    assert out.namespace is namespace
    assert len(out.outside) == 1 and "203.0.113.1" in out.outside[0], out.calls
    udp = run_traced([sys.executable, "-c", SEND_OUT], tmp_path / "udp.strace", namespace=namespace)
    assert any("203.0.113.1" in line and "sendto" in line for line in udp.outside), udp.calls
    local = run_traced(
        [sys.executable, "-c", LOCAL_ONLY], tmp_path / "local.strace", namespace=namespace
    )
    assert local.returncode == 0, local.stderr
    assert len(local.calls) >= 3 and local.outside == [], local.calls


def test_checker_reads_strace_lines() -> None:
    lines = [
        '12  connect(8, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.53")}, 16) = 0',  # noqa: E501
        '12  connect(3, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2606:4700::1", &sin6_addr), sin6_scope_id=0}, 28) = -1',  # noqa: E501
        '12  connect(3, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',  # noqa: E501
        '12  connect(3, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6_addr), sin6_scope_id=0}, 28) = 0',  # noqa: E501
        '12  connect(4, {sa_family=AF_UNIX, sun_path="/run/dbus/system_bus_socket"}, 110) = 0',
        '12  connect(5, {sa_family=AF_INET, sin_port=htons(631), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',  # noqa: E501
        '12  sendto(8, "A\\211\\1\\0", 50, MSG_NOSIGNAL, NULL, 0) = 50',
        '12  connect(7, {sa_family=0x200 /* AF_??? */, sa_data="\\1"}, 16) = -1 EAFNOSUPPORT',
        "12  sendto(6, {{nlmsg_len=20, nlmsg_type=RTM_GETADDR}}, 20, 0, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 20",  # noqa: E501
    ]
    found = outside_connections(lines)
    assert [f.split(", ")[1][:22] for f in found] == [
        "{sa_family=AF_INET",
        "{sa_family=AF_INET6",
        "{sa_family=0x200 /* AF",
    ]
    assert "10.0.0.53" in found[0] and "2606:4700::1" in found[1]


def test_checker_sees_libmediainfo_follow_a_manifest(tmp_path: Path) -> None:
    """A native library's own libcurl is seen: libmediainfo given a manifest by bare name."""
    pytest.importorskip("pymediainfo")
    (tmp_path / "clip.mp4").write_text(MANIFESTS["clip.mp4"], encoding="utf-8")
    snippet = "from pymediainfo import MediaInfo; MediaInfo.parse('clip.mp4')"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = run_traced([sys.executable, "-c", snippet], tmp_path / "mi.strace", cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    assert any("203.0.113.1" in line for line in run.outside), run.calls
