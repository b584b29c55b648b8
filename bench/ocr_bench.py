"""OCR of a phone screenshot: cold (engine loaded, nothing cached) and cached reopen.

Measured in this one process on the corpus chat screenshot (1080x2340 PNG):
  engine_init   making the RapidOCR backend and its first run (models load lazily)
  cold          OCR of the screenshot with the engine warm and no cache (median of 3)
  cached        reopening it from a case's derived/ocr cache: hash the file, read the JSON,
                apply corrections (median of 20); `cached_known_sha` skips the hashing, as a
                case item whose SHA-256 is in the database does
  long          a 1080x20000 long screenshot (chat crops pasted down its length), once
Targets (issue 4): cold < 2.5 s, cached < 50 ms.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path

from PIL import Image

from app.evidence.ocr.cache import OcrCache, recognize_cached
from app.evidence.ocr.engine import default_backend, recognize
from bench.common import CORPUS, peak_rss_mb, record, timed

SCREENSHOT = CORPUS / "synthetic" / "screenshots" / "chat_part1.png"


def long_screenshot() -> Image.Image:
    """1080x20000: the chat area of the corpus screenshot pasted down the whole height."""
    chat = Image.open(SCREENSHOT).convert("RGB").crop((0, 230, 1080, 1560))
    canvas = Image.new("RGB", (1080, 20_000), (236, 236, 236))
    for top in range(0, 20_000 - chat.height + 1, chat.height):
        canvas.paste(chat, (0, top))
    return canvas


def run() -> dict[str, object]:
    """Run the benchmark and record its figures."""
    started = time.perf_counter()
    backend = default_backend()
    first = recognize(SCREENSHOT, backend=backend)
    init_s = time.perf_counter() - started
    cold_s, result = timed(lambda: recognize(SCREENSHOT, backend=backend), repeat=3)
    rss_screenshot = peak_rss_mb()
    sha256 = hashlib.sha256(SCREENSHOT.read_bytes()).hexdigest()
    with tempfile.TemporaryDirectory() as tmp:
        cache = OcrCache(Path(tmp) / "derived" / "ocr")
        recognize_cached(SCREENSHOT, cache, sha256=sha256, backend=backend)
        cached_s, reopened = timed(
            lambda: recognize_cached(SCREENSHOT, cache, backend=backend), repeat=20
        )
        known_s, _ = timed(
            lambda: recognize_cached(SCREENSHOT, cache, sha256=sha256, backend=backend), repeat=20
        )
    assert reopened.lines == result.lines, "cache must return what the OCR read"
    long = long_screenshot()
    long_s, long_result = timed(lambda: recognize(long, backend=backend), repeat=1)
    figures = {
        "image": f"{result.width}x{result.height} {SCREENSHOT.name}",
        "engine": result.engine_version,
        "lines": len(first.lines),
        "engine_init_and_first_s": round(init_s, 3),
        "cold_s": round(cold_s, 3),
        "cached_s": round(cached_s, 4),
        "cached_known_sha_s": round(known_s, 4),
        "long_1080x20000_s": round(long_s, 2),
        "long_lines": len(long_result.lines),
        "peak_rss_after_screenshot_mb": round(rss_screenshot, 1),
        "peak_rss_after_long_mb": round(peak_rss_mb(), 1),
        "target_cold_ok": cold_s < 2.5,
        "target_cached_ok": cached_s < 0.05,
    }
    record("ocr", figures)
    return figures


if __name__ == "__main__":
    run()
