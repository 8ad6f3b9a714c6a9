"""The Qt scheduler on the real event loop, and a short routine run through it."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

from pytestqt.qtbot import QtBot
from test_coach_support import steps

from stretchcoach.coach.ports import Event, Finished, Pace, PhaseStarted, StepStarted
from stretchcoach.coach.session import Session
from stretchcoach.coach.simclock import SimScheduler
from stretchcoach.coach.timeline import Timing
from stretchcoach.ui.scheduler import QtScheduler


class Silent:
    """Speech that takes no time, so the routine runs at the breath pace alone."""

    def duration(self, text: str) -> float:
        return 0.0


TINY = {
    "id": "tiny",
    "title": "Tiny",
    "summary": "Two steps.",
    "steps": [
        {
            "id": "arch",
            "title": "Arch",
            "instruction": "Rest.",
            "intro": "Rest.",
            "illustration": "arch.svg",
            "breaths": {"cycles": 2, "hold": 1, "cues": [{"on": 1, "exhale": "Let go"}]},
        },
        {
            "id": "up",
            "title": "Up",
            "instruction": "Roll to your side.",
            "intro": "Roll to your side.",
            "illustration": "up.svg",
            "manual": {},
        },
    ],
}


def test_calls_fire_in_deadline_order_and_never_early(qtbot: QtBot) -> None:
    scheduler = QtScheduler()
    fired: list[tuple[str, float, float]] = []
    start = scheduler.now()

    def record(name: str, deadline: float) -> Callable[[], None]:
        return lambda: fired.append((name, deadline, scheduler.now()))

    for name, delay in (("c", 0.06), ("a", 0.02), ("b", 0.04), ("a2", 0.02)):
        scheduler.call_at(start + delay, record(name, start + delay))
    qtbot.waitUntil(lambda: len(fired) == 4, timeout=2000)
    assert [name for name, _, _ in fired] == ["a", "a2", "b", "c"]
    assert all(at >= deadline for _, deadline, at in fired)
    assert scheduler.pending == 0


def test_cancel_forgets_a_call_and_an_earlier_call_reaims_the_timer(qtbot: QtBot) -> None:
    scheduler = QtScheduler()
    fired: list[str] = []
    now = scheduler.now()
    late = scheduler.call_at(now + 3600, lambda: fired.append("late"))
    dropped = scheduler.call_at(now + 0.01, lambda: fired.append("dropped"))
    scheduler.call_at(now + 0.02, lambda: fired.append("soon"))
    scheduler.cancel(dropped)
    qtbot.waitUntil(lambda: fired == ["soon"], timeout=1000)  # not an hour
    assert scheduler.pending == 1
    scheduler.cancel(late)
    scheduler.cancel(late)  # twice, or after it ran: no-op
    assert scheduler.pending == 0


def test_a_failing_call_does_not_strand_the_next(qtbot: QtBot) -> None:
    scheduler = QtScheduler()
    fired: list[str] = []

    def fail() -> None:
        raise RuntimeError("boom")

    now = scheduler.now()
    with qtbot.captureExceptions() as exceptions:
        scheduler.call_at(now + 0.01, fail)
        scheduler.call_at(now + 0.01, lambda: fired.append("next"))
        qtbot.waitUntil(lambda: fired == ["next"], timeout=1000)
    assert [str(e[1]) for e in exceptions] == ["boom"]


def run_on(scheduler: SimScheduler | QtScheduler) -> tuple[list[Event], list[float]]:
    session = Session(
        steps(TINY), scheduler, Silent(), Pace(0.05, 0.08), Timing(0.1, auto_advance=0.1)
    )
    events: list[Event] = []
    received: list[float] = []
    session.subscribe(events.append)
    session.subscribe(lambda _: received.append(time.monotonic()))
    session.start()
    return events, received


def test_a_fast_routine_on_the_qt_loop_does_what_the_simulation_says(qtbot: QtBot) -> None:
    scheduler = QtScheduler()
    events, received = run_on(scheduler)
    qtbot.waitUntil(lambda: bool(events) and isinstance(events[-1], Finished), timeout=10_000)

    simulated = SimScheduler(0.0)
    expected, _ = run_on(simulated)
    simulated.run_until_idle()

    def shape(event: Event) -> tuple[object, ...]:
        if isinstance(event, PhaseStarted):
            return ("phase", event.step_index, event.kind, event.cycle, event.cue)
        if isinstance(event, StepStarted):
            return ("step", event.index)
        return (type(event).__name__,)

    assert [shape(e) for e in events] == [shape(e) for e in expected]
    phases = [e for e in events if isinstance(e, PhaseStarted)]
    for before, after in itertools.pairwise(phases):
        assert after.start == before.deadline  # chained on deadlines, not on wake-ups
    onsets = [at for at, e in zip(received, events, strict=True) if isinstance(e, PhaseStarted)]
    assert all(at >= e.start for at, e in zip(onsets, phases, strict=True))  # never early
    assert scheduler.pending == 0
    assert isinstance(events[-1], Finished)
    assert events[-1].completed


def test_a_warped_clock_runs_faster_than_the_wall_clock(qtbot: QtBot) -> None:
    scheduler = QtScheduler(warp=1000.0)
    start = scheduler.now()
    fired: list[float] = []
    scheduler.call_at(start + 200.0, lambda: fired.append(scheduler.now()))
    qtbot.waitUntil(lambda: bool(fired), timeout=5000)  # 200 s at 1x: only a warp gets here
    assert fired[0] >= start + 200.0
