"""The window: time to open a 10,000-item case, and the longest event-loop stall during an import.

Runs offscreen. The stall is measured with a 5 ms timer: the largest gap between two ticks
while 500 photos import in the background, and while the imported rows are then shown, is how
long the window could not respond.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.common import CORPUS, record

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def make_big_case(root: Path, count: int) -> None:
    """A case with `count` small distinct photos (tiny JPEG copies), recorded directly."""
    from app.evidence.ingest.importer import import_files
    from app.evidence.store.case import Case

    src = root / "src"
    src.mkdir()
    data = (CORPUS / "photos" / "orientation" / "landscape_1.jpg").read_bytes()
    for n in range(count):
        (src / f"IMG_{n:05}.jpg").write_bytes(data + n.to_bytes(4, "big"))
    with Case.create(root / "case", "bench") as case:
        import_files(case, [src], durable=False)


def _dispose(app, window) -> None:  # noqa: ANN001 - Qt objects
    """Close a window and let Qt delete it before the interpreter exits (PySide teardown order)."""
    window.close()
    window.runner.wait()
    window.deleteLater()
    app.processEvents()


def run(items: int = 10_000, photos: int = 500) -> dict[str, object]:
    """Measure and record."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    from app.ui.main import make_app
    from app.ui.main_window import MainWindow

    app = make_app([])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_big_case(root, items)
        window = MainWindow()
        window.show()
        app.processEvents()
        start = time.perf_counter()
        opened: list[float] = []
        window.controller.snapshot_ready.connect(
            lambda _: opened.append(time.perf_counter() - start)
        )
        window.open_case(root / "case")
        while not opened:
            app.processEvents()
            time.sleep(0.001)
        open_s = opened[0]
        rows = window.model.rowCount()
        _dispose(app, window)

        src = root / "photos"
        src.mkdir()
        data = (CORPUS / "photos" / "originals" / "jolla.jpg").read_bytes()
        for n in range(photos):
            (src / f"P_{n:04}.jpg").write_bytes(data + n.to_bytes(4, "big"))
        from app.evidence.store.case import Case

        Case.create(root / "case2", "stall").close()
        window = MainWindow()
        window.show()
        window.open_case(root / "case2")
        gaps: list[float] = []
        stages: list[str] = []  # what the import was doing when each gap ended
        stage = ["start"]
        clock = QElapsedTimer()
        clock.start()
        last = [clock.elapsed()]

        def tick() -> None:
            now = clock.elapsed()
            gaps.append(now - last[0])
            stages.append(stage[0])
            last[0] = now

        def follow(_label: str, worker) -> None:  # noqa: ANN001 - a Worker
            worker.signals.progress.connect(lambda p: stage.__setitem__(0, p.stage))

        window.controller.busy.connect(follow)
        shown_stage = "showing the imported rows"
        window.controller.import_finished.connect(lambda *_: stage.__setitem__(0, shown_stage))

        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(5)
        done: list[bool] = []
        shown: list[bool] = []
        window.controller.import_finished.connect(lambda *_: done.append(True))
        # the stall that matters includes showing the imported rows: the snapshot read after the
        # import is applied to the model, laid out and painted on the GUI thread
        window.controller.snapshot_ready.connect(lambda _: shown.append(bool(done)))
        import_start = time.perf_counter()
        window.import_paths([src])
        while not done:
            app.processEvents()
            time.sleep(0.001)
        import_s = time.perf_counter() - import_start
        while not any(shown):
            app.processEvents()
            time.sleep(0.001)
        settle = time.perf_counter() + 0.5  # layout, paint and the first thumbnails
        while time.perf_counter() < settle:
            app.processEvents()
            time.sleep(0.001)
        timer.stop()
        big = sorted(gaps)[-5:]
        _dispose(app, window)
    figures = {
        "items": items,
        "open_to_timeline_s": round(open_s, 3),
        "timeline_rows": rows,
        "import_photos": photos,
        "import_s": round(import_s, 2),
        "longest_event_loop_stall_ms": max(gaps) if gaps else None,
        "median_tick_ms": sorted(gaps)[len(gaps) // 2] if gaps else None,
        "five_longest_stalls_ms": big,
        "longest_stall_during": stages[gaps.index(max(gaps))] if gaps else None,
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    record("gui", figures)
    return figures
