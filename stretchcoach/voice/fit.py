"""Which cues are too long for their breath phase, for ``stretchcoach validate`` to warn.

A session never cuts a cue or talks over it: a phase stretches until its cue is said. That
keeps the words whole but breaks the breath's rhythm, so a routine's author is told which
cues do not fit at the default pace and speech rate, measured on the synthesized speech.
Intros are left out: they are said before the breathing starts and take what they take.

Two front ends share the rule: ``cue_fit`` is a ``validate`` check on a routine file (its
warnings point at the cue's place in the file); ``fit_warnings`` works on expanded steps.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from stretchcoach.coach.ports import Pace, SpeechTimes
from stretchcoach.routine.expand import ConcreteStep
from stretchcoach.routine.loader import Source, steps_with_loc
from stretchcoach.routine.problems import Problem
from stretchcoach.settings import Settings
from stretchcoach.voice.times import cue_texts, synthesized_times

PHASES = ("inhale", "exhale", "hold")


def phase_seconds(kind: str, pace: Pace, step_pace: float, hold_breaths: int) -> float:
    """How long a breath phase lasts before any cue stretches it (as the timeline plans)."""
    inhale, exhale = pace.inhale * step_pace, pace.exhale * step_pace
    return {"inhale": inhale, "exhale": exhale, "hold": hold_breaths * (inhale + exhale)}[kind]


def _too_long(text: str, kind: str, seconds: float, times: SpeechTimes) -> str | None:
    spoken = times.duration(text)
    if spoken <= seconds:
        return None
    return (
        f'the cue "{text}" takes {spoken:.1f} s to say but the {kind} lasts {seconds:.1f} s '
        "at the default pace, so the phase will stretch to fit it; shorten the cue or move "
        "part of it to another phase"
    )


def _default_times(texts: list[str], rate: int | None) -> SpeechTimes:
    defaults = Settings()
    settings = defaults.model_copy(update={"rate": rate or defaults.rate, "mute": False})
    return synthesized_times(texts, settings)


def cue_fit(source: Source) -> Iterator[Problem]:
    """A ``validate`` check: a warning at each cue longer than its phase."""
    pace = Settings().pace
    written = [(loc, step, step.breaths) for loc, step in steps_with_loc(source.routine)]
    cues = [
        (loc, i, kind, cue.say, phase_seconds(kind, pace, breaths.pace, breaths.hold))
        for loc, _step, breaths in written
        if breaths is not None
        for i, entry in enumerate(breaths.cues)
        for kind in PHASES
        if (cue := getattr(entry, kind)) is not None and cue.say
    ]
    if not cues:
        return
    times = _default_times([text for *_, text, _ in cues], None)
    for loc, i, kind, text, seconds in cues:
        message = _too_long(text, kind, seconds, times)
        if message:
            yield source.problem((*loc, "breaths", "cues", i, kind), message, "warning")


def fit_warnings(
    steps: Sequence[ConcreteStep],
    pace: Pace | None = None,
    rate: int | None = None,
    times: SpeechTimes | None = None,
) -> list[str]:
    """One line per cue of expanded ``steps`` longer than its phase.

    The default pace and rate unless given; ``times`` defaults to the real synthesized
    lengths (cached after the first run).
    """
    pace = pace or Settings().pace
    times = times or _default_times(cue_texts(steps), rate)
    warnings = []
    for step in steps:
        for n, cycle in enumerate(step.cycles, start=1):
            for kind in PHASES:
                phase = getattr(cycle, kind)
                if phase is None or phase.say is None:
                    continue
                seconds = phase_seconds(kind, pace, step.pace, step.hold_breaths)
                message = _too_long(phase.say, kind, seconds, times)
                if message:
                    warnings.append(f"step '{step.key}', cycle {n}, {kind}: {message}")
    return warnings
