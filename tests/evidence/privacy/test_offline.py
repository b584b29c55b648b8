"""The app never opens a network connection: a full run with sockets blocked tries none."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

import pytest

from tests.evidence.privacy.conftest import Pipeline, blocked_network


def test_import_check_ocr_redact_export_open_no_connection(pipeline: Pipeline) -> None:
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
