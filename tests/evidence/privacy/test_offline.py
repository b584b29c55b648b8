"""The app never opens a network connection.

The real check is at the system-call level: tests/robustness/test_no_network.py runs import, OCR,
redaction suggestions and export under strace in a network namespace and fails on any
connection beyond loopback, whichever library makes it. A Python-level socket block (kept
below, on the shared privacy pipeline) cannot see native code: onnxruntime's C++ telemetry looked
its collector up in DNS during long OCR runs while that block reported nothing.

The tests here need no strace: onnxruntime's telemetry, when on, writes a device identifier and
an event cache under ~/.cache/Microsoft/DeveloperTools as soon as an OCR session is made, so a
short OCR run in a process with a HOME of its own shows whether the switch held.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.evidence.privacy.conftest import Pipeline, blocked_network

REPO = Path(__file__).resolve().parents[3]
QUIET = {"CI", "GITHUB_ACTIONS", "GITLAB_CI", "TF_BUILD", "JENKINS_URL", "BUILDKITE", "TRAVIS"}
QUIET |= {"CIRCLECI", "APPVEYOR", "TEAMCITY_VERSION", "CODEBUILD_BUILD_ID"}
QUIET |= {"BITBUCKET_BUILD_NUMBER"}
QUIET |= {"SYSTEM_TEAMFOUNDATIONCOLLECTIONURI", "ORT_RUNNING_UNIT_TESTS"}
QUIET |= {"ORT_DISABLE_TELEMETRY", "ORT_TELEMETRY_DISABLED"}

OCR_RUN = """
import json, os, sys
import app.cli  # what `python -m app` and the console script load first
before = "onnxruntime" in sys.modules
from PIL import Image, ImageDraw
from app.evidence import offline
from app.evidence.ocr.engine import RapidOcrBackend, recognize
image = Image.new("RGB", (400, 120), "white")
ImageDraw.Draw(image).text((20, 40), "order 3958216640", fill="black")
result = recognize(image, backend=RapidOcrBackend())
print(json.dumps({
    "onnxruntime_loaded_by_app_import": before,
    "in_time": offline.telemetry_disabled_in_time(),
    "env": {k: os.environ.get(k) for k in offline.TELEMETRY_OFF},
    "text": result.text,
}))
"""


def _user_env(home: Path) -> dict[str, str]:
    """No CI markers (onnxruntime is quiet under CI anyway), a HOME of its own."""
    env = {k: v for k, v in os.environ.items() if k not in QUIET}
    env.update(PYTHONPATH=str(REPO), HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    return env


def test_ocr_process_leaves_no_telemetry_trace(tmp_path: Path) -> None:
    pytest.importorskip("rapidocr")
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", OCR_RUN],
        capture_output=True,
        text=True,
        env=_user_env(home),
        cwd=REPO,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert "3958216640" in report["text"].replace(" ", "")  # OCR really ran
    assert report["onnxruntime_loaded_by_app_import"] is False
    assert report["in_time"] is True
    assert report["env"] == {"ORT_DISABLE_TELEMETRY": "1", "ORT_TELEMETRY_DISABLED": "1"}
    left = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())
    assert not any("Microsoft" in p or "onnxruntime" in p for p in left), left


def test_a_users_opt_in_does_not_turn_telemetry_back_on(tmp_path: Path) -> None:
    env = _user_env(tmp_path)
    env["ORT_DISABLE_TELEMETRY"] = "0"
    done = subprocess.run(
        [sys.executable, "-c", "import os, app; print(os.environ['ORT_DISABLE_TELEMETRY'])"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "1"


def test_python_sockets_refused_in_the_privacy_pipeline(pipeline: Pipeline) -> None:
    """Python-level only (misses native code); the syscall check is in tests/robustness."""
    refused = [a for a in pipeline.attempts if not a.startswith("allowed: ")]
    assert refused == [], refused
    assert pipeline.exit_codes == {"new": 0, "add": 0, "suggest": 0, "rect": 0, "export": 0}
    assert pipeline.pdf.is_file() and pipeline.zip.is_file() and pipeline.pack.is_dir()


def test_the_block_really_catches_connections() -> None:
    attempts: list[str] = []
    with blocked_network(attempts):
        with pytest.raises(OSError):
            socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", 9))
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
    assert len(attempts) >= 3
    socket.socket().close()  # restored afterwards
