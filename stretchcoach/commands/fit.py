"""Which cues are too long for their breath phase, for ``stretchcoach validate`` to warn.

A session never cuts a cue or talks over it: a phase stretches until its cue is said. That
keeps the words whole but breaks the breath's rhythm, so a routine's author is told which
cues do not fit at the default pace and speech rate, measured on the synthesized speech.
Intros are left out: they are said before the breathing starts and take what they take.

``cue_fit`` is a ``validate`` check on a routine file: its warnings point at the cue's
place in the file.
"""

from __future__ import annotations

from collections.abc import Iterator

from stretchcoach.coach.ports import Pace, SpeechTimes
from stretchcoach.routine.loader import Source, steps_with_loc
from stretchcoach.routine.problems import Problem
from stretchcoach.settings import Settings
from stretchcoach.voice.times import synthesized_times

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


def _default_times(texts: list[str]) -> SpeechTimes:
    """The real lengths at the default voice and rate, which the warnings speak of."""
    return synthesized_times(texts, Settings().voice_setting)


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
    times = _default_times([text for *_, text, _ in cues])
    for loc, i, kind, text, seconds in cues:
        message = _too_long(text, kind, seconds, times)
        if message:
            yield source.problem((*loc, "breaths", "cues", i, kind), message, "warning")
