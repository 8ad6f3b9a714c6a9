"""How long a routine takes, estimated without a voice or a clock.

``stretchcoach list`` and the picker show a length before anything is synthesized, so
speech is estimated from word counts. The exact timeline (speech measured, phases
stretched to fit their cues) is the coaching engine's plan; this is its quick cousin.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from stretchcoach.routine.expand import ConcreteStep

WORDS_PER_SECOND = 2.5  # eSpeak at the default 150 words per minute


class BreathPace(Protocol):
    """Seconds of one inhale and one exhale (``stretchcoach.coach.ports.Pace`` fits)."""

    @property
    def inhale(self) -> float: ...

    @property
    def exhale(self) -> float: ...


def speech_seconds(text: str) -> float:
    return len(text.split()) / WORDS_PER_SECOND


def step_seconds(step: ConcreteStep, pace: BreathPace, manual_wait: float | None = None) -> float:
    """The intro, then the manual wait or the breath cycles (a hold lasts whole breaths)."""
    intro = speech_seconds(step.intro)
    if step.manual_estimate is not None:
        return intro + (manual_wait if manual_wait is not None else step.manual_estimate)
    breath = step.pace * (pace.inhale + pace.exhale)
    return intro + len(step.cycles) * breath * (1 + step.hold_breaths)


def estimate_seconds(
    steps: Iterable[ConcreteStep], pace: BreathPace, manual_wait: float | None = None
) -> float:
    """The whole routine; ``manual_wait`` overrides each manual step's own estimate."""
    return sum(step_seconds(step, pace, manual_wait) for step in steps)


def format_duration(seconds: float) -> str:
    """``M:SS``, as the list and the plan print lengths."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
