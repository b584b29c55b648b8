"""Which frames of a video to look at: regular samples, bursts, early stop and the tail.

The frame sources (keyframes or sequential decoding) ask `due(t)` before they decode or
convert a frame and report every looked-at frame with `looked`, so the plan adapts as reads
come in: a barcode that was located but not read starts a short burst of closely spaced
frames; a waybill read once brings the step back to the regular one until enough frames
confirm it (a widened step would take seconds to confirm, or miss a label shown briefly);
once the waybill is confirmed the forward scan jumps to the tail, which is always looked at
because the label goes on last.
"""

from __future__ import annotations

from array import array

from app.evidence.waybill.model import ScanOptions


class TimeLog:
    """Every frame (or packet) time the demuxer passed, in runs split where the scan seeked.

    Kept as arrays of doubles: an hour at 60 fps is under 3 MB.
    """

    def __init__(self) -> None:
        self._runs: list[array[float]] = [array("d")]

    def add(self, t_ms: float) -> None:
        """Record one time."""
        self._runs[-1].append(t_ms)

    def split(self) -> None:
        """Start a new run (the scan jumped: the gap is not in the video)."""
        if self._runs[-1]:
            self._runs.append(array("d"))

    def runs(self) -> list[list[float]]:
        """Each run's times, sorted (packets arrive in decoding order)."""
        return [sorted(run) for run in self._runs if run]

    @property
    def last_ms(self) -> float | None:
        """The latest time recorded."""
        values = [max(run) for run in self._runs if run]
        return max(values) if values else None


class Planner:
    """The sampling plan of one video scan."""

    def __init__(self, options: ScanOptions, duration_ms: float | None) -> None:
        """Plan a scan.

        Attributes set here: `confirmed` (the waybill was read in enough frames),
        `stopped_early` (confirmed before the tail), `read_in_tail` (a waybill was read in
        the tail: the last group of pictures need not be decoded whole) and `seen` (a waybill
        was read at all).
        """
        self.options = options
        self.duration_ms = duration_ms if duration_ms and duration_ms > 0 else None
        self.confirmed = False
        self.stopped_early = False
        self.read_in_tail = False
        self.seen = False
        self._rival = False  # the last frame looked at read a number other than the leader
        self._last_ms: float | None = None  # the latest frame booked
        self._looked_ms: float | None = None  # the latest frame read
        self._burst_left = 0
        self._burst_next_ms = 0.0
        self._cost_ms = 0.0
        self._costed = 0

    @property
    def tail_start_ms(self) -> float | None:
        """Where the always-scanned tail begins (None when the duration is unknown)."""
        if self.duration_ms is None:
            return None
        window = max(self.options.tail_ms, self.options.tail_fraction * self.duration_ms)
        return max(0.0, self.duration_ms - window)

    @property
    def bursting(self) -> bool:
        """True while extra frames are wanted after a located-but-unread barcode."""
        return self._burst_left > 0

    def in_tail(self, t_ms: float) -> bool:
        """True when `t_ms` lies in the tail (or the duration is unknown)."""
        tail = self.tail_start_ms
        return tail is None or t_ms >= tail

    def skipping(self, t_ms: float) -> bool:
        """True when frames at `t_ms` are skipped because the waybill is already confirmed."""
        return self.confirmed and not self.bursting and not self.in_tail(t_ms)

    def due(self, t_ms: float) -> bool:
        """Should the frame at `t_ms` be looked at? A yes books it: ask once per frame.

        Sources decide ahead of the reads (a batch of keyframes is chosen before it is
        decoded), so the step is counted from the last frame booked, not the last one read.
        """
        wanted = self._burst_left > 0 and t_ms >= self._burst_next_ms
        if not wanted and not self.skipping(t_ms):
            if self._last_ms is None:
                wanted = True
            else:
                # A little slack so a 30 fps stream samples every 15th frame, not every 16th.
                wanted = t_ms - self._last_ms >= self._interval(t_ms) * 0.9
        if wanted:
            self._book(t_ms)
        return wanted

    def due_again(self, t_ms: float) -> bool:
        """Should a frame passed over when it was booked ahead be looked at after all?

        Asked when the source reaches it, after the reads of the frames before it: a waybill
        read there narrows the step back to the regular one. Counted from the last frame
        read, as frames booked further ahead are still to come. A yes books it.
        """
        if self.skipping(t_ms) or self._looked_ms is None:
            return False
        wanted = (self._burst_left > 0 and t_ms >= self._burst_next_ms) or (
            t_ms - self._looked_ms >= self._interval(t_ms) * 0.9
        )
        if wanted:
            self._book(t_ms)
        return wanted

    def _interval(self, t_ms: float) -> float:
        # The tail keeps the regular step while the waybill is unconfirmed or while frames
        # read another number (a second label put on last is counted fairly), and so does
        # the forward scan once a waybill was read (confirming it takes a few frames);
        # otherwise frames that cost more than the budget are spaced out there too once
        # confirmed, at half the forward step (the tail is short and the label goes on last).
        tail = self.in_tail(t_ms)
        unconfirmed = not self.confirmed and (self.seen or tail)
        if unconfirmed or (tail and self._rival):
            return float(self.options.sample_interval_ms)
        forward = self.forward_interval_ms
        return max(float(self.options.sample_interval_ms), forward / 2) if tail else forward

    def _book(self, t_ms: float) -> None:
        self._last_ms = t_ms if self._last_ms is None else max(self._last_ms, t_ms)

    @property
    def forward_interval_ms(self) -> float:
        """The sampling step before the tail: wider when frames cost more than the budget.

        An expensive codec (HEVC) or a slow PC would otherwise spend far more than
        `budget_s_per_minute` on a long video; the tail keeps the regular step until the
        waybill is confirmed.
        """
        base = float(self.options.sample_interval_ms)
        budget = self.options.budget_s_per_minute
        if budget is None or self._costed < 3:
            return base
        per_frame = self._cost_ms / self._costed
        wanted = per_frame * 60_000 / (budget * 1000)
        return min(max(base, wanted), float(max(base, self.options.max_sample_interval_ms)))

    def skip_target_ms(self, t_ms: float) -> float | None:
        """Where a sequential scan may seek to: the tail start, once the waybill is confirmed."""
        tail = self.tail_start_ms
        if not self.skipping(t_ms) or tail is None:
            return None
        return tail if tail - t_ms > 2 * self.options.sample_interval_ms else None

    def looked(
        self,
        t_ms: float,
        located_unread: int,
        waybill_read: bool,
        confirmed: bool,
        cost_ms: float | None = None,
        rival: bool = False,
    ) -> None:
        """Record a looked-at frame, what came of it and what it cost (decode and read, ms).

        Args:
            rival: the frame read a waybill number other than the one read most so far.
        """
        if cost_ms is not None:
            self._cost_ms += cost_ms
            self._costed += 1
        if self._burst_left > 0 and t_ms >= self._burst_next_ms:
            self._burst_left -= 1
            self._burst_next_ms = t_ms + self.options.burst_step_ms
        self._rival = rival
        if waybill_read:
            self.seen = True
            self._burst_left = 0
            self.read_in_tail = self.read_in_tail or self.in_tail(t_ms)
        elif (
            located_unread
            and self._burst_left == 0
            and not self.confirmed
            and self.options.burst_frames > 0
        ):
            self._burst_left = self.options.burst_frames
            self._burst_next_ms = t_ms + self.options.burst_step_ms
        self._book(t_ms)
        self._looked_ms = t_ms if self._looked_ms is None else max(self._looked_ms, t_ms)
        if confirmed and not self.confirmed:
            self.confirmed = True
            self.stopped_early = not self.in_tail(t_ms)
