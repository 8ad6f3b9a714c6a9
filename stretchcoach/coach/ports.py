"""What the coaching engine needs from outside, and what it tells the outside.

The engine owns no clock, no timer and no voice: it is given a ``Scheduler`` (the Qt
window passes one built on a single-shot precise ``QTimer``; tests and ``stretchcoach
plan`` pass a simulated one) and a ``SpeechTimes`` that says how long a cue takes to say.
It reports what happens as ``Event`` values to its listeners; the window draws them and
the voice speaks them. Nothing in here imports Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # only for annotations: the ports stay cheap to import
    from stretchcoach.routine.expand import ConcreteStep


class Handle(Protocol):
    """An opaque token for a scheduled call, given back to ``Scheduler.cancel``."""


class Scheduler(Protocol):
    """Monotonic time plus one-shot calls at absolute deadlines."""

    def now(self) -> float:
        """Seconds on a monotonic clock."""
        ...

    def call_at(self, deadline: float, fn: Callable[[], None]) -> Handle:
        """Call ``fn`` once, as soon as ``now() >= deadline``."""
        ...

    def cancel(self, handle: Handle) -> None:
        """Forget a call that has not happened yet (a no-op once it has)."""
        ...


class SpeechTimes(Protocol):
    """How long the voice takes to say a cue, so phases can stretch to fit it."""

    def duration(self, text: str) -> float:
        """Seconds of speech for ``text`` at the current voice settings (0 when muted)."""
        ...


@dataclass(frozen=True)
class Pace:
    """The person's breath pace in seconds; a setting, never part of a routine."""

    inhale: float = 4.0
    exhale: float = 6.0

    MIN_SECONDS = 1.5
    MAX_SECONDS = 15.0


class PhaseKind(StrEnum):
    GET_READY = "get-ready"
    INTRO = "intro"
    INHALE = "inhale"
    EXHALE = "exhale"
    HOLD = "hold"
    WAIT = "wait"  # a manual step waiting for the person's Next
    READY = "ready"  # the short "ready" said on resume, before the phase restarts
    SKIPPING = "skipping"  # "Skipping this stretch.", before the next stretch's first step


@dataclass(frozen=True)
class StepStarted:
    """A step began; ``cues`` are all the words said on it, as planned (the caption keeps
    room for the longest)."""

    index: int
    count: int
    step: ConcreteStep
    next_title: str | None
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhaseStarted:
    """A phase began at ``start``; it ends at ``deadline`` (None: waits for the person).

    ``cycle`` counts from 1 within the step's breath cycles (0 outside them); ``move`` is
    the pose the illustration moves to over the phase ("start", "end" or None: stay).
    """

    step_index: int
    kind: PhaseKind
    cycle: int
    cycles: int
    cue: str | None
    move: str | None
    start: float
    deadline: float | None


@dataclass(frozen=True)
class CueRepeated:
    text: str
    at: float


@dataclass(frozen=True)
class Paused:
    at: float


@dataclass(frozen=True)
class Resumed:
    at: float


@dataclass(frozen=True)
class PaceChanged:
    pace: Pace


@dataclass(frozen=True)
class HurtMarked:
    """The person said "this hurt" during step ``step_index`` (``step``), at ``at`` on the
    monotonic clock. Nothing else changes: the breath goes on, on time."""

    step_index: int
    step: ConcreteStep
    at: float


@dataclass(frozen=True)
class Tally:
    """What a run has done so far: ``steps_done`` counts the steps followed to their end (a
    set-up step, to "I'm ready"); ``skipped`` are the indices of those skipped (→ during a
    step, or "skip this stretch"); ``active_seconds`` excludes paused time."""

    steps_done: int
    skipped: tuple[int, ...]
    active_seconds: float


@dataclass(frozen=True)
class Finished:
    """The routine ended (``completed``: it reached its end, perhaps with steps skipped) or
    was stopped by the person; ``active_seconds``, ``steps_done`` and ``skipped`` are its
    ``Tally`` at the end. ``cue`` is what the voice says as it ends (the person stopped it:
    how to get up); None when the routine's own last cues said it, or when the session ends
    unheard (the app quits, another routine starts)."""

    completed: bool
    active_seconds: float
    steps_done: int
    skipped: tuple[int, ...] = ()
    cue: str | None = None


Event = (
    StepStarted | PhaseStarted | CueRepeated | HurtMarked | Paused | Resumed | PaceChanged
    | Finished
)
Listener = Callable[[Event], None]


@dataclass(frozen=True)
class Progress:
    step_fraction: float
    routine_fraction: float
    remaining_seconds: float
