"""The status bar's pace: files (or MB) a second and the time left, beside the progress bar.

The rate and the estimate come from the core (`PaceEstimator`, through app.evidence.service),
the same as on the command line: nothing is shown before a few files are done, the estimate is
smoothed, and when it cannot be told the label says nothing rather than a wild number.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QWidget

from app.evidence.i18n import tr
from app.evidence.service import Pace, PaceEstimator, Progress


class ProgressStatus(QLabel):
    """A small label for the status bar: "12 个文件/秒 · 约剩 40 秒" while work runs.

    Feed it every progress report (`show_progress`) and `reset` it when the work starts or ends.
    It shows itself only while it has something to say. A clock may be injected (tests).
    """

    def __init__(
        self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self._estimator = PaceEstimator(clock=clock)
        self._pace: Pace | None = None
        self.setObjectName("progressPace")
        self.setVisible(False)

    @property
    def pace(self) -> Pace | None:
        """The last pace shown (None while nothing can be told)."""
        return self._pace

    def show_progress(self, p: Progress) -> None:
        """Take one progress report and show the pace it gives, or nothing."""
        self._pace = self._estimator.update(p)
        text = self._pace.text() if self._pace else ""
        if text:
            # a width that only grows while the work runs: the status bar does not jiggle
            # each time a figure gets shorter
            width = self.fontMetrics().horizontalAdvance(text) + 12
            self.setMinimumWidth(max(self.minimumWidth(), width))
        self.setText(text)
        self.setVisible(bool(text))
        self.setToolTip(
            tr(
                "速度与剩余时间是根据已完成的部分估算的",
                "Speed and time left are estimated from the work done so far",
            )
            if self._pace
            else ""
        )

    def reset(self) -> None:
        """Forget the last operation and show nothing (work starts, ends or is cancelled)."""
        self._estimator.reset()
        self._pace = None
        self.clear()
        self.setToolTip("")
        self.setMinimumWidth(0)
        self.setVisible(False)
