"""Shared test material for the coaching engine: a real routine (validated by the real
models and expanded by the real expander), a recorder of events, and a way to reach any
state of a session. Holds no tests itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from stretchcoach.coach.ports import Event, Pace, PhaseStarted
from stretchcoach.coach.session import Session
from stretchcoach.coach.simclock import SimScheduler
from stretchcoach.coach.states import Intent, State
from stretchcoach.coach.timeline import Timing
from stretchcoach.routine.expand import ConcreteStep, expand
from stretchcoach.routine.model import Routine
from stretchcoach.voice.times import ClipTimes

SPEECH = ClipTimes({}, rate=150)  # the voice's word-rate estimate: no synthesis needed
PACE = Pace(2.0, 3.0)
TIMING = Timing(get_ready=3.0)

ROUTINE = {
    "id": "test-routine",
    "title": "Test routine",
    "summary": "Three stretches to exercise the engine.",
    "steps": [
        {
            "id": "blankets",
            "title": "Blankets",
            "instruction": "Fold two blankets and stack them.",
            "intro": "Fold the blankets and lie down.",
            "illustration": "blankets.svg",
            "manual": {"estimate": 12},
        },
        {
            "id": "arch",
            "title": "Passive back arch",
            "instruction": "Rest on the blankets.",
            "intro": "Rest on the blankets and breathe.",
            "illustration": "arch.svg",
            "breaths": {
                "cycles": 3,
                "hold": 1,
                "cues": [
                    {"on": 1, "inhale": "Breathe in", "exhale": {"say": "Let go", "move": "end"}},
                    {"on": "rest", "exhale": "And again"},
                ],
            },
        },
        {
            "id": "heel-slide",
            "title": "Left heel slide",
            "instruction": "Slide your left heel away.",
            "intro": "Now the left heel.",
            "illustration": "slide.svg",
            "sides": "both",
            "breaths": {
                "cycles": 2,
                "pace": 1.5,
                "cues": [{"on": "every", "exhale": "Slide the left heel away"}],
            },
        },
    ],
}


def steps(data: Mapping[str, object] | None = None) -> list[ConcreteStep]:
    def no_includes(name: str) -> Routine:
        raise KeyError(name)

    return expand(Routine.model_validate(data or ROUTINE), no_includes)


@dataclass
class Rig:
    """A session on a simulated clock, with every event it emits recorded."""

    session: Session
    clock: SimScheduler
    events: list[Event] = field(default_factory=list)

    def phases(self) -> list[PhaseStarted]:
        return [e for e in self.events if isinstance(e, PhaseStarted)]

    def to_next_deadline(self) -> None:
        deadline = self.clock.next_deadline()
        assert deadline is not None, "nothing is scheduled"
        self.clock.advance(deadline - self.clock.now())

    def run_until(self, done: Callable[[], bool], limit: int = 1000) -> None:
        """Step from deadline to deadline (pressing Next in a waiting step) until ``done``."""
        for _ in range(limit):
            if done():
                return
            if self.session.state is State.WAITING and self.clock.next_deadline() is None:
                self.session.next()
            else:
                self.to_next_deadline()
        raise AssertionError("the condition never came true")

    def intent(self, intent: Intent) -> Callable[[], None]:
        """The way each intent reaches the session (the deadline: time passing)."""
        s = self.session
        return {
            Intent.START: s.start,
            Intent.PAUSE: s.pause,
            Intent.RESUME: s.resume,
            Intent.PRIMARY: s.primary,
            Intent.NEXT: s.next,
            Intent.SKIP_STRETCH: s.skip_stretch,
            Intent.PREVIOUS: s.previous,
            Intent.REPEAT_STEP: s.repeat_step,
            Intent.REPEAT_CUE: s.repeat_cue,
            Intent.MARK_HURT: s.mark_hurt,
            Intent.STOP: s.stop,
            Intent.CHANGE_PACE: lambda: s.change_pace(+1),
            Intent.TAP: s.tap,
            Intent.PHASE_END: self.to_next_deadline,
        }[intent]


def rig(
    *,
    strict: bool = True,
    timing: Timing = TIMING,
    pace: Pace = PACE,
    routine: list[ConcreteStep] | None = None,
    start: float = 100.0,
) -> Rig:
    clock = SimScheduler(start)
    session = Session(routine or steps(), clock, SPEECH, pace, timing, strict=strict)
    r = Rig(session, clock)
    session.subscribe(r.events.append)
    return r


def reach(state: State, **options: object) -> Rig:
    """A fresh rig brought to ``state`` the way a person would get there."""
    timing = Timing(get_ready=3.0, auto_advance=8.0) if state is State.WAITING else TIMING
    r = rig(timing=timing, **options)  # type: ignore[arg-type]
    s = r.session
    if state is State.IDLE:
        return r
    s.start()
    if state is State.GET_READY:
        return r
    if state is State.FINISHED:
        s.stop()
        return r
    if state is State.WAITING:
        r.run_until(lambda: s.state is State.WAITING)
        return r
    r.run_until(lambda: s.state is State.INTRO)
    if state is State.INTRO:
        return r
    r.run_until(lambda: s.state is State.BREATHING)
    r.clock.advance(0.5)  # inside the phase, not at its edge
    if state is State.BREATHING:
        return r
    s.pause()
    if state is State.PAUSED:
        return r
    s.resume()
    assert state is State.READY
    return r
