"""A simulated clock and scheduler: time moves only when told to.

Tests step it to exact instants, and ``stretchcoach plan`` runs the real session on it to
read off the timeline, so the plan shows what a session does, not a second calculation.
A call fires with the clock set to its deadline exactly, as a perfectly punctual timer would.
"""

from __future__ import annotations

from collections.abc import Callable

from stretchcoach.coach.calls import CallQueue
from stretchcoach.coach.ports import Handle


class SimScheduler:
    """Implements ``ports.Scheduler``; ``advance`` and ``run_until_idle`` move time."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._calls = CallQueue()

    def now(self) -> float:
        return self._now

    def call_at(self, deadline: float, fn: Callable[[], None]) -> Handle:
        return self._calls.push(deadline, fn)

    def cancel(self, handle: Handle) -> None:
        self._calls.cancel(handle)

    @property
    def pending(self) -> int:
        return len(self._calls)

    def next_deadline(self) -> float | None:
        return self._calls.next_deadline()

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``, firing every call that falls due, in order."""
        self._run_until(self._now + seconds)

    def run_until_idle(self, max_calls: int = 1_000_000) -> None:
        """Fire calls, jumping from deadline to deadline, until none is left."""
        for _ in range(max_calls):
            deadline = self._calls.next_deadline()
            if deadline is None:
                return
            self._run_until(deadline)
        raise RuntimeError(f"still busy after {max_calls} deadlines: a call keeps rescheduling")

    def _run_until(self, until: float) -> None:
        while (call := self._calls.pop_due(until)) is not None:
            self._now = max(self._now, call.deadline)
            call.fn()
        self._now = max(self._now, until)
