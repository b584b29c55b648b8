"""Rate and time left: the core's estimate (fake clock) and the CLI's progress on stderr."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.output import StderrBar, stage_label
from app.evidence.progress import BIG_FILE_BYTES, PaceEstimator, Progress, time_left_text

REPO = Path(__file__).resolve().parents[1]


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def feed(estimator: PaceEstimator, clock: FakeClock, reports: list[tuple[float, Progress]]):
    """Advance the clock by each gap and report; the last pace."""
    pace = None
    for gap, report in reports:
        clock.now += gap
        pace = estimator.update(report)
    return pace


def steady(total: int, upto: int, every: float, stage: str = "import") -> list:
    return [(every if n else 0.0, Progress(stage, n, total)) for n in range(upto + 1)]


# -- the core's estimate ------------------------------------------------------------------------


def test_nothing_is_estimated_before_a_few_files_and_a_moment() -> None:
    clock = FakeClock()
    estimator = PaceEstimator(clock=clock)
    assert feed(estimator, clock, steady(100, 2, 1.0)) is None  # two files: too few
    clock2 = FakeClock()
    quick = PaceEstimator(clock=clock2)
    assert feed(quick, clock2, steady(100, 5, 0.1)) is None  # five files in half a second
    pace = feed(quick, clock2, [(0.6, Progress("import", 11, 100))])
    assert pace is not None and pace.per_second == pytest.approx(10.0)


def test_a_steady_rate_gives_the_exact_time_left() -> None:
    clock = FakeClock()
    pace = feed(PaceEstimator(clock=clock), clock, steady(200, 50, 0.25))
    assert pace is not None and not pace.by_bytes
    assert pace.per_second == pytest.approx(4.0)
    assert pace.seconds_left == pytest.approx(150 / 4.0)


def test_one_slow_file_moves_the_estimate_a_little_and_a_new_pace_wins() -> None:
    clock = FakeClock()
    estimator = PaceEstimator(clock=clock, half_life=5.0)
    feed(estimator, clock, steady(400, 100, 0.1))  # 10 files/s for 10 s
    stalled = feed(estimator, clock, [(2.0, Progress("import", 101, 400))])  # one takes 2 s
    assert stalled is not None and 7.0 < stalled.per_second < 10.0  # not 0.5 files/s
    assert stalled.seconds_left is not None and stalled.seconds_left < 299 / 7.0
    # the work really slows down to 2 files/s: within a few half-lives the estimate follows
    reports = [(0.5, Progress("import", 101 + n, 400)) for n in range(1, 61)]
    slow = feed(estimator, clock, reports)
    assert slow is not None and slow.per_second == pytest.approx(2.0, rel=0.05)
    assert slow.seconds_left == pytest.approx((400 - 161) / slow.per_second)


def test_big_files_are_counted_in_bytes() -> None:
    clock = FakeClock()
    size = 200 * 1024 * 1024  # packing videos
    assert size >= BIG_FILE_BYTES
    estimator = PaceEstimator(clock=clock)
    reports = [(0.0, Progress("import", 0, 10, "", 0, 10 * size))]
    reports += [(4.0, Progress("import", n, 10, "", n * size, 10 * size)) for n in (1, 2)]
    pace = feed(estimator, clock, reports)
    assert pace is not None and pace.by_bytes
    assert pace.per_second == pytest.approx(size / 4.0)
    assert pace.seconds_left == pytest.approx(8 * 4.0)


def test_nonsense_is_not_shown() -> None:
    clock = FakeClock()
    unknown = feed(PaceEstimator(clock=clock), clock, steady(0, 20, 0.5))  # no total
    assert unknown is not None and unknown.seconds_left is None and unknown.left_text() == ""
    clock = FakeClock()
    crawl = [(0.0, Progress("import", 0, 10**7)), (3600.0, Progress("import", 3, 10**7))]
    glacial = feed(PaceEstimator(clock=clock), clock, crawl)
    assert glacial is not None and glacial.seconds_left is None  # 10,000 hours is no estimate
    clock = FakeClock()
    done = feed(PaceEstimator(clock=clock), clock, steady(20, 20, 0.5))
    assert done is not None and done.seconds_left is None


def test_a_new_stage_or_a_count_going_back_starts_over() -> None:
    clock = FakeClock()
    estimator = PaceEstimator(clock=clock)
    assert feed(estimator, clock, steady(50, 20, 0.5)) is not None
    assert estimator.update(Progress("thumbnails", 0, 50)) is None
    assert feed(estimator, clock, steady(50, 2, 0.5, "thumbnails")[1:]) is None
    estimator.reset()
    assert estimator.update(Progress("thumbnails", 3, 50)) is None


def test_time_left_in_words(language) -> None:
    language("en")
    assert time_left_text(4) == "almost done"
    assert time_left_text(43) == "about 45 s left"
    assert time_left_text(80) == "about 1 min 20 s left"
    assert time_left_text(121) == "about 2 min left"
    assert time_left_text(1500) == "about 25 min left"
    assert time_left_text(2 * 3600 + 5 * 60) == "about 2 h 5 min left"
    language("zh_CN")
    assert time_left_text(80) == "约剩 1 分 20 秒"
    assert time_left_text(2 * 3600 + 5 * 60) == "约剩 2 小时 5 分"


# -- the CLI's display ---------------------------------------------------------------------------


def run_bar(tty: bool, reports: list[tuple[float, Progress]]) -> str:
    clock = FakeClock()
    stream = io.StringIO()
    bar = StderrBar(tty, stream=stream, clock=clock)
    for gap, report in reports:
        clock.now += gap
        bar(report)
    return stream.getvalue()


def test_plain_lines_off_a_terminal_show_rate_and_time_left(language) -> None:
    language("en")
    text = run_bar(False, steady(300, 300, 0.1))  # 30 s at 10 files/s
    lines = text.splitlines()
    assert "\r" not in text and 3 <= len(lines) <= 5, lines  # sparse: every 10 s and the end
    assert lines[0].startswith(f"{stage_label('import')} ") and "10 files/s · about " in lines[0]
    assert lines[0].endswith(" s left")
    first_done = int(lines[0].split()[1].split("/")[0])
    assert lines[0].endswith(f"about {5 * round((300 - first_done) / 10 / 5)} s left")
    assert lines[-1] == f"{stage_label('import')} 300/300 · 10 files/s"
    language("zh_CN")
    chinese = run_bar(False, steady(300, 300, 0.1)).splitlines()
    assert (
        chinese[0].startswith(f"{stage_label('import')} ") and "10 个文件/秒 · 约剩 " in chinese[0]
    )


def test_quick_work_off_a_terminal_prints_nothing() -> None:
    assert run_bar(False, steady(20, 20, 0.05)) == ""


def test_on_a_terminal_one_line_is_redrawn(language) -> None:
    language("en")
    text = run_bar(True, steady(100, 100, 0.2))
    assert text.count("\n") == 1 and text.endswith("\n")
    frames = text.rstrip("\n").split("\r")[1:]
    assert len(frames) >= 50
    middle = frames[len(frames) // 2]
    assert "5.0 files/s · about 10 s left" in middle, middle
    widths = {len(frame) for frame in frames}
    assert len(widths) == 1  # every frame covers the one before


def test_evidence_desk_add_on_a_pipe_keeps_stderr_quiet_for_a_quick_import(
    tmp_path: Path, corpus_copy
) -> None:
    env = {**os.environ, "EVIDENCE_DESK_LANG": "en"}
    cli = [sys.executable, "-m", "app"]
    case = tmp_path / "case"
    subprocess.run([*cli, "new", str(case), "--title", "t"], env=env, check=True, cwd=REPO)
    photos = corpus_copy("photos/originals")
    r = subprocess.run(
        [*cli, "add", str(case), str(photos), "--no-ocr"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert "files/s" not in r.stderr and "\r" not in r.stderr
