"""Calls waiting for their deadlines, earliest first: the part every scheduler shares.

The simulated scheduler and the Qt one differ only in how time passes; both keep their
pending calls here. Cancelling marks a call, and marked calls are dropped when they reach
the front, so cancel costs O(1) and the heap never needs searching.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from stretchcoach.coach.ports import Handle


@dataclass(order=True)
class Call:
    deadline: float
    seq: int  # calls with the same deadline run in the order they were asked for
    fn: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)


class CallQueue:
    def __init__(self) -> None:
        self._heap: list[Call] = []
        self._seq = itertools.count()

    def push(self, deadline: float, fn: Callable[[], None]) -> Handle:
        call = Call(deadline, next(self._seq), fn)
        heapq.heappush(self._heap, call)
        return call

    def cancel(self, handle: Handle) -> None:
        if isinstance(handle, Call):
            handle.cancelled = True

    def __len__(self) -> int:
        """Calls still to come (cancelled ones not counted)."""
        return sum(not c.cancelled for c in self._heap)

    def next_deadline(self) -> float | None:
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0].deadline if self._heap else None

    def pop_due(self, now: float) -> Call | None:
        """The earliest call whose deadline is at or before ``now``, taken off the queue."""
        deadline = self.next_deadline()
        if deadline is None or deadline > now:
            return None
        return heapq.heappop(self._heap)
