"""PDF pages drawn by PDFium in a child process, within a time and a memory budget.

A PDF is a program: a 5 KB file whose drawings nest forms nine levels deep, ten copies each,
asks PDFium for 10^10 paths (measured in-process: 5 levels took 24 s and 1.9 GB; the issue's
9-level file 21 GB and 300 s, or an abort of the whole app under a 2 GB limit). So receipts are
drawn in a worker process: on POSIX its address space is capped with RLIMIT_AS
(`MEMORY_BUDGET`); each page has `PAGE_SECONDS` and each document `DOCUMENT_SECONDS`. Past
either, or when the worker dies (PDFium aborts when memory runs out), the worker is killed and
the page is "not drawn" (`PageNotDrawn`); the caller notes that page and goes on, and the next
request starts a fresh worker. On Windows only the time budget applies.

One worker serves the process (the export's receipts one after another, the window's page
previews), started on first use. It is a plain interpreter running this file on its own
(`python -I -c ...`: it imports only the standard library and pypdfium2, never the app, so it
starts in about 0.2 s); the frozen app starts itself with `--pdf-worker` (app/__main__.py).
Requests and replies are frames on its stdin and stdout: a JSON header and raw bytes, no pickle,
so a worker subverted by a hostile PDF can send pixels and nothing else. Calls are serialised by
the caller (receipts.py holds PDFium's lock); PDFium never runs in the app itself. The worker
ends when its stdin closes, and on POSIX within a second of the app dying, even mid-page.

This file must keep importing only the standard library at the top: the worker runs it as is.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import queue
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

PAGE_SECONDS = 15.0  # an ordinary receipt page takes 20-300 ms at 1600 px
DOCUMENT_SECONDS = 40.0  # a document's pages together; the rest are "not drawn"
OPEN_SECONDS = 15.0
START_SECONDS = 30.0
MEMORY_BUDGET = 1536 * 1024 * 1024  # address space of the worker (POSIX), bytes
WORKER_FLAG = "--pdf-worker"
_MAX_HEADER = 1 << 16
_MAX_PAYLOAD = 512 * 1024 * 1024


class PageNotDrawn(Exception):
    """A page was not drawn within the budget (time, memory) or the worker died on it.

    Attributes:
        reason: "time", "memory" or "crash".
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PdfFailed(Exception):
    """PDFium refused the document (password, damage); args[0] is its message."""


@dataclass(frozen=True)
class DrawnPage:
    """A page's pixels (RGB) and its upright size in PDF points."""

    size: tuple[int, int]  # pixels
    rgb: bytes
    points: tuple[float, float]


class PdfWorker:
    """The child process and the document it has open (one at a time)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._replies: queue.Queue[tuple[dict[str, Any], bytes] | None] = queue.Queue()
        self._lock = threading.Lock()

    def open(self, path: Path, budget: float = OPEN_SECONDS) -> int:
        """Open a PDF in the worker; its page count.

        Raises:
            PdfFailed: PDFium cannot open it. PageNotDrawn: the budget ran out or it died.
        """
        header, _ = self._call({"do": "open", "path": str(path)}, budget)
        return int(header["pages"])

    def render(self, index: int, long_edge: int, budget: float = PAGE_SECONDS) -> DrawnPage:
        """Draw page `index` (0-based) with its long edge `long_edge` pixels."""
        header, rgb = self._call({"do": "render", "index": index, "edge": long_edge}, budget)
        width, height = (int(v) for v in header["size"])
        if len(rgb) != width * height * 3:
            raise PageNotDrawn("crash")
        points = (float(header["points"][0]), float(header["points"][1]))
        return DrawnPage((width, height), rgb, points)

    def close_document(self) -> None:
        """Close the open document (a worker that is gone has nothing open)."""
        if self._process is not None and self._process.poll() is None:
            with contextlib.suppress(PageNotDrawn, PdfFailed):
                self._call({"do": "close"}, OPEN_SECONDS)

    def stop(self) -> None:
        """End the worker (a new one starts on the next request)."""
        with self._lock:
            self._kill()

    def _call(self, request: dict[str, Any], budget: float) -> tuple[dict[str, Any], bytes]:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._start()
            process = self._process
            assert process is not None and process.stdin is not None
            try:
                write_frame(process.stdin, request)
                reply = self._replies.get(timeout=max(0.01, budget))
            except queue.Empty:
                log.warning("PDF worker over its %.0f s budget (%s): stopped", budget, request)
                self._kill()
                raise PageNotDrawn("time") from None
            except OSError:
                reply = None
            if reply is None:  # the worker died: PDFium aborts when it runs out of memory
                reason = _death(process)
                self._kill()
                raise PageNotDrawn(reason)
            header, payload = reply
            status = header.get("status")
            if status == "ok":
                return header, payload
            if status == "memory":
                self._kill()  # PDFium may be in an odd state after failing to allocate
                raise PageNotDrawn("memory")
            raise PdfFailed(str(header.get("error", "?")))

    def _start(self) -> None:
        self._replies = queue.Queue()
        env = {**os.environ, "EVIDENCE_PDF_MEMORY": str(MEMORY_BUDGET)}
        process = subprocess.Popen(
            _command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
        replies = self._replies
        threading.Thread(
            target=_pump, args=(process.stdout, replies), name="pdf-worker-reader", daemon=True
        ).start()
        self._process = process
        try:
            first = replies.get(timeout=START_SECONDS)
        except queue.Empty:
            first = None
        if first is None or first[0].get("status") != "ready":
            self._kill()
            raise PageNotDrawn("crash")

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            log.warning("PDF worker %d did not exit after kill", process.pid)


def _death(process: subprocess.Popen[bytes]) -> str:
    """Why the worker died: "memory" for an abort under the address-space cap, else "crash"."""
    try:
        code = process.wait(5)
    except subprocess.TimeoutExpired:
        return "crash"
    aborted = code == -getattr(signal, "SIGABRT", 6)
    return "memory" if aborted and sys.platform != "win32" and MEMORY_BUDGET > 0 else "crash"


def _command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_FLAG]
    here = str(Path(__file__).resolve())
    bootstrap = (
        "import importlib.util as u, sys\n"
        f"spec = u.spec_from_file_location('evidence_pdf_worker', {here!r})\n"
        "module = sys.modules[spec.name] = u.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "sys.exit(module.child_main())\n"
    )
    return [sys.executable, "-I", "-c", bootstrap]


def _pump(stream: IO[bytes], replies: queue.Queue[tuple[dict[str, Any], bytes] | None]) -> None:
    """Move the worker's replies into the queue; None when it is gone."""
    try:
        while True:
            frame = read_frame(stream)
            replies.put(frame)
            if frame is None:
                return
    except (OSError, ValueError):
        replies.put(None)


_worker: PdfWorker | None = None
_worker_lock = threading.Lock()


def worker() -> PdfWorker:
    """The process-wide worker (its process starts on the first request)."""
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = PdfWorker()
            atexit.register(_worker.stop)
        return _worker


# -- frames -----------------------------------------------------------------------------------


def write_frame(stream: IO[bytes], header: dict[str, Any], payload: bytes = b"") -> None:
    """A frame: header length, JSON header, payload length, payload."""
    head = json.dumps(header).encode("utf-8")
    stream.write(struct.pack(">I", len(head)) + head + struct.pack(">Q", len(payload)))
    stream.write(payload)
    stream.flush()


def read_frame(stream: IO[bytes]) -> tuple[dict[str, Any], bytes] | None:
    """The next frame, or None at the end of the stream; ValueError when it is malformed."""
    size = _read_exact(stream, 4)
    if size is None:
        return None
    (length,) = struct.unpack(">I", size)
    if length > _MAX_HEADER:
        raise ValueError("frame header too large")
    head = _read_exact(stream, length)
    count = _read_exact(stream, 8)
    if head is None or count is None:
        return None
    (payload_length,) = struct.unpack(">Q", count)
    if payload_length > _MAX_PAYLOAD:
        raise ValueError("frame payload too large")
    payload = _read_exact(stream, payload_length) if payload_length else b""
    if payload is None:
        return None
    header = json.loads(head.decode("utf-8"))
    if not isinstance(header, dict):
        raise ValueError("frame header is not an object")
    return header, payload


def _read_exact(stream: IO[bytes], size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# -- the worker ------------------------------------------------------------------------------


def child_main() -> int:
    """The worker: set the memory limit, load PDFium, answer requests until stdin closes."""
    _limit_memory(int(os.environ.get("EVIDENCE_PDF_MEMORY", "0") or 0))
    _exit_with_parent()
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the reply stream
    import pypdfium2 as pdfium

    write_frame(replies, {"status": "ready"})
    document: Any = None
    while True:
        frame = read_frame(requests)
        if frame is None:
            return 0
        payload = b""
        try:
            document, header, payload = _answer(pdfium, document, frame[0])
        except MemoryError:
            header = {"status": "memory"}
        except Exception as exc:  # noqa: BLE001 - any failure is this document's, told to the app
            header = {"status": "error", "error": f"{exc}"[:500] or type(exc).__name__}
        try:
            write_frame(replies, header, payload)
        except MemoryError:
            write_frame(replies, {"status": "memory"})


def _answer(pdfium: Any, document: Any, request: dict[str, Any]) -> tuple[Any, dict, bytes]:
    action = request.get("do")
    if action in ("open", "close") and document is not None:
        document.close()
        document = None
    if action == "open":
        document = pdfium.PdfDocument(str(request["path"]))
        return document, {"status": "ok", "pages": len(document)}, b""
    if action == "close":
        return None, {"status": "ok"}, b""
    if action != "render" or document is None:
        return document, {"status": "error", "error": f"bad request {action!r}"}, b""
    page = document[int(request["index"])]
    try:
        width, height = page.get_size()  # points, with the page's /Rotate applied
        scale = int(request["edge"]) / max(width, height, 1.0)
        picture = page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
    finally:
        page.close()
    header = {"status": "ok", "size": list(picture.size), "points": [width, height]}
    return document, header, picture.tobytes()


def _exit_with_parent() -> None:
    """End the worker when the app is gone, even in the middle of a page (POSIX: reparented)."""
    if sys.platform == "win32":
        return  # the pipe closing ends an idle worker; the app kills a busy one
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)  # PDFium drawing releases the GIL (ctypes): this thread still runs
            if os.getppid() != parent:
                os._exit(3)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _limit_memory(memory: int) -> None:
    if sys.platform == "win32" or memory <= 0:
        return
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
