"""A simulated clock and scheduler: time moves only when told to.

Tests step it to exact instants, and ``stretchcoach plan`` runs the real session on it to
read off the timeline, so the plan shows what a session does, not a second calculation.
A call fires with the clock set to its deadline exactly, as a perfectly punctual timer would.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from stretchcoach.coach.ports import Handle


@dataclass(order=True)
class _Call:
    deadline: float
    seq: int
    fn: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)


class SimScheduler:
    """Implements ``ports.Scheduler``; ``advance`` and ``run_until_idle`` move time."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._queue: list[_Call] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self._now

    def call_at(self, deadline: float, fn: Callable[[], None]) -> Handle:
        call = _Call(deadline, next(self._seq), fn)
        heapq.heappush(self._queue, call)
        return call

    def cancel(self, handle: Handle) -> None:
        if isinstance(handle, _Call):
            handle.cancelled = True

    @property
    def pending(self) -> int:
        """Calls still to come (cancelled ones not counted)."""
        return sum(not c.cancelled for c in self._queue)

    def next_deadline(self) -> float | None:
        self._drop_cancelled()
        return self._queue[0].deadline if self._queue else None

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``, firing every call that falls due, in order."""
        until = self._now + seconds
        while (deadline := self.next_deadline()) is not None and deadline <= until:
            self._fire_next()
        self._now = until

    def run_until_idle(self, max_calls: int = 1_000_000) -> None:
        """Fire calls, jumping from deadline to deadline, until none is left."""
        for _ in range(max_calls):
            if self.next_deadline() is None:
                return
            self._fire_next()
        raise RuntimeError(f"still busy after {max_calls} calls: a call keeps rescheduling")

    def _fire_next(self) -> None:
        call = heapq.heappop(self._queue)
        self._now = max(self._now, call.deadline)
        call.fn()

    def _drop_cancelled(self) -> None:
        while self._queue and self._queue[0].cancelled:
            heapq.heappop(self._queue)
