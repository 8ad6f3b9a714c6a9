"""The engine's ``Scheduler`` on the Qt event loop.

One single-shot ``QTimer`` of type ``PreciseTimer`` is always aimed at the earliest pending
deadline and re-aimed whenever that changes. Time is ``time.monotonic()``, the same clock
the deadlines are computed on; the timer only wakes us up, it never measures anything. So a
late wake-up delays one call by that much and nothing after it: the engine starts the next
phase at the deadline, not at the moment we woke. No ticks are counted anywhere.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer

from stretchcoach.coach.calls import CallQueue
from stretchcoach.coach.ports import Handle


class QtScheduler:
    """Implements ``stretchcoach.coach.ports.Scheduler``; lives in the GUI thread."""

    def __init__(self, parent: QObject | None = None, *, warp: float = 1.0) -> None:
        """``warp`` > 1 makes the clock run that many times faster than the wall clock, so
        a benchmark can run whole routines on the real event loop in seconds."""
        self.warp = warp
        self._calls = CallQueue()
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._fire_due)

    def now(self) -> float:
        return time.monotonic() * self.warp

    def call_at(self, deadline: float, fn: Callable[[], None]) -> Handle:
        handle = self._calls.push(deadline, fn)
        self._aim()
        return handle

    def cancel(self, handle: Handle) -> None:
        self._calls.cancel(handle)
        self._aim()

    @property
    def pending(self) -> int:
        return len(self._calls)

    def _fire_due(self) -> None:
        try:
            while (call := self._calls.pop_due(self.now())) is not None:
                call.fn()
        finally:  # a failing call must not strand the ones after it
            self._aim()

    def _aim(self) -> None:
        deadline = self._calls.next_deadline()
        if deadline is None:
            self._timer.stop()
            return
        # Whole milliseconds, rounded up: woken early, we would only have to sleep again.
        wall = (deadline - self.now()) / self.warp
        self._timer.start(max(0, math.ceil(wall * 1000)))
