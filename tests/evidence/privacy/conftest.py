"""One case taken through the whole path once, with every network connection refused.

new -> add (import, thumbnails, integrity checks, chat OCR) -> redact --suggest --accept-all
-> a region drawn by hand on a GPS photo -> export (PDF, upload pack, ZIP), all through the
command line, with socket creation, connection and name lookup blocked and recorded. Tests read
what it wrote. OCR runs twice in all (the chat screenshot, one waybill keyframe).
"""

from __future__ import annotations

import argparse
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.cli import main as cli_main
from app.cli.redact import add_parser
from app.evidence.store.case import Case

FILES = [
    "synthetic/screenshots/chat_part2.png",
    "synthetic/tracking/sf_not_received.txt",
    "photos/gps/DSCN0010.jpg",
    "synthetic/videos/packing_android_sf.mp4",
]
ORDER_NO = "3958216640123456789"
PHOTO_RECT = (20, 10, 150, 100)  # the houses top left of DSCN0010 (640 x 480)


# urllib3 (imported by rapidocr's model-download module, which the engine never calls) probes
# for IPv6 at import time by binding a socket to ::1; nothing leaves the machine, and with the
# socket refused it simply records "no IPv6". Any other socket is a failure.
ALLOWED_SOCKETS = {"urllib3.util.connection"}


@contextmanager
def blocked_network(attempts: list[str]) -> Iterator[None]:
    """Refuse and record every socket made, connection tried and name looked up in the block.

    A socket refused to a module in ALLOWED_SOCKETS is recorded as "allowed: ..." so a test
    can tell it apart.
    """
    patch = pytest.MonkeyPatch()
    original = socket.socket

    def refuse(name: str):  # type: ignore[no-untyped-def]
        def blocked(*args: object, **kwargs: object) -> None:
            attempts.append(f"{name}{args[:2]!r}")
            raise OSError(f"network blocked by the offline test ({name})")

        return blocked

    class NoSocket(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            caller = sys._getframe(1).f_globals.get("__name__", "?")
            allowed = "allowed: " if caller in ALLOWED_SOCKETS else ""
            attempts.append(f"{allowed}socket{args[:2]!r} from {caller}")
            raise OSError("network blocked by the offline test (socket)")

    patch.setattr(socket, "socket", NoSocket)
    patch.setattr(original, "connect", refuse("connect"))
    patch.setattr(original, "connect_ex", refuse("connect_ex"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        patch.setattr(socket, name, refuse(name))
    try:
        yield
    finally:
        patch.undo()


def redact(*argv: str) -> int:
    """Run `evidence-desk redact ...` through the privacy CLI's own parser."""
    parser = argparse.ArgumentParser(prog="evidence-desk")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["redact", *argv])
    return int(args.func(args))


@dataclass(frozen=True)
class Pipeline:
    """The case folder, the export's outputs and what the run recorded."""

    root: Path
    out: Path
    exit_codes: dict[str, int]
    attempts: list[str]
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def pdf(self) -> Path:
        return self.out / "chain.pdf"

    @property
    def pack(self) -> Path:
        return self.out / "pack"

    @property
    def zip(self) -> Path:
        return self.out / "bundle.zip"


@pytest.fixture(scope="package")
def pipeline(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    """The full run, once per test session."""
    pytest.importorskip("rapidocr")
    base = tmp_path_factory.mktemp("privacy")
    root, out = base / "case", base / "out"
    out.mkdir()
    codes: dict[str, int] = {}
    seconds: dict[str, float] = {}
    attempts: list[str] = []
    photo = ",".join(str(v) for v in PHOTO_RECT)

    def step(name: str, call) -> None:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        codes[name] = call()
        seconds[name] = time.perf_counter() - started

    with blocked_network(attempts):
        step(
            "new", lambda: cli_main(["new", str(root), "--title", "耳机少件", "--order", ORDER_NO])
        )
        step("add", lambda: cli_main(["add", str(root), *(str(corpus / f) for f in FILES)]))
        step("suggest", lambda: redact(str(root), "--suggest", "--accept-all", "--frames", "1"))
        with Case.open(root, writable=False) as case:
            photo_id = next(i.id for i in case.items() if i.original_name == "DSCN0010.jpg")
        step(
            "rect", lambda: redact(str(root), str(photo_id), "--rect", photo, "--reason", "address")
        )
        step(
            "export",
            lambda: cli_main(
                [
                    "export", str(root), "--pdf", str(out / "chain.pdf"),
                    "--pack", "taobao-buyer", "--out", str(out / "pack"),
                    "--zip", str(out / "bundle.zip"),
                ]
            ),
        )  # fmt: skip
    return Pipeline(root, out, codes, attempts, seconds)
