"""The simulated scheduler that tests and ``stretchcoach plan`` run the engine on."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from stretchcoach.coach.simclock import SimScheduler


def test_calls_fire_in_order_each_at_its_exact_deadline() -> None:
    clock = SimScheduler(10.0)
    fired: list[tuple[str, float]] = []

    def record(name: str) -> Callable[[], None]:
        return lambda: fired.append((name, clock.now()))

    for name, deadline in (("c", 13.0), ("a", 11.0), ("b", 12.0), ("a2", 11.0)):
        clock.call_at(deadline, record(name))
    clock.advance(2.5)
    assert fired == [("a", 11.0), ("a2", 11.0), ("b", 12.0)]
    assert clock.now() == 12.5
    assert clock.pending == 1
    clock.run_until_idle()
    assert fired[-1] == ("c", 13.0)
    assert clock.next_deadline() is None


def test_cancelled_calls_never_fire_and_a_call_can_schedule_another() -> None:
    clock = SimScheduler()
    fired: list[str] = []
    dropped = clock.call_at(1.0, lambda: fired.append("dropped"))

    def chain() -> None:
        clock.call_at(2.0, lambda: fired.append("chained"))

    clock.call_at(2.0, chain)
    clock.cancel(dropped)
    assert clock.next_deadline() == 2.0
    clock.advance(5.0)
    assert fired == ["chained"]
    clock.cancel(dropped)  # after the fact: a no-op


def test_a_call_that_keeps_rescheduling_is_reported() -> None:
    clock = SimScheduler()

    def again() -> None:
        clock.call_at(clock.now() + 1.0, again)

    clock.call_at(0.0, again)
    with pytest.raises(RuntimeError, match="keeps rescheduling"):
        clock.run_until_idle(max_calls=100)
