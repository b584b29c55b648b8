"""The status bar's pace label: nothing at first, then rate and time left, in both languages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QWidget

from app.evidence.service import Progress
from app.ui.progress_status import ProgressStatus


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def run_import(label: ProgressStatus, clock: FakeClock, upto: int, total: int = 120) -> None:
    for n in range(upto + 1):
        clock.now += 0.5 if n else 0.0  # 2 files a second
        label.show_progress(Progress("import", n, total, f"IMG_{n:04}.HEIC"))


def test_the_label_is_empty_until_it_can_estimate(qtbot, language) -> None:
    language("en")
    clock = FakeClock()
    label = ProgressStatus(clock=clock)
    qtbot.addWidget(label)
    run_import(label, clock, 2)
    assert label.text() == "" and label.pace is None
    run_import(label, clock, 30)
    assert label.text() == "2.0 files/s · about 45 s left"  # 90 files at 2 a second
    assert label.toolTip()


def test_the_label_in_chinese_and_reset(qtbot, language) -> None:
    language("zh_CN")
    clock = FakeClock()
    label = ProgressStatus(clock=clock)
    qtbot.addWidget(label)
    run_import(label, clock, 30)
    assert label.text() == "2.0 个文件/秒 · 约剩 45 秒"
    label.reset()
    assert label.text() == "" and label.pace is None
    label.show_progress(Progress("import", 31, 120))  # after a reset: a new operation
    assert label.text() == ""


def test_big_files_show_megabytes(qtbot, language) -> None:
    language("en")
    clock = FakeClock()
    label = ProgressStatus(clock=clock)
    qtbot.addWidget(label)
    size = 500_000_000
    for n in range(3):
        clock.now += 10.0 if n else 0.0
        label.show_progress(Progress("import", n, 4, "VID.mp4", n * size, 4 * size))
    assert label.text() == "50 MB/s · about 20 s left"


def test_screenshot_beside_the_progress_bar(qtbot, language, tmp_path: Path) -> None:
    language("zh_CN")
    clock = FakeClock()
    bar = QWidget()
    layout = QHBoxLayout(bar)
    label = ProgressStatus(clock=clock)
    progress = QProgressBar()
    progress.setRange(0, 120)
    progress.setValue(31)
    progress.setFormat("导入 %v/%m")
    layout.addWidget(label)
    layout.addWidget(progress)
    qtbot.addWidget(bar)
    bar.resize(560, 40)
    bar.show()
    run_import(label, clock, 2)
    assert not label.isVisible()  # nothing to say yet: no blank space in the status bar
    run_import(label, clock, 31)
    qtbot.wait(20)
    assert label.isVisible() and label.width() >= label.fontMetrics().horizontalAdvance(
        label.text()
    )
    assert bar.grab().save(str(tmp_path / "progress_status.png"))
