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

from stretchcoach.coach.ports import PhaseKind, SpeechTimes
from stretchcoach.coach.timeline import paced_seconds
from stretchcoach.routine.checks import spoken_texts
from stretchcoach.routine.loader import Source, steps_with_loc
from stretchcoach.routine.problems import Problem
from stretchcoach.settings import Settings
from stretchcoach.voice.times import synthesized_times


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
    """A ``validate`` check: a warning at each breath cue longer than its phase."""
    pace = Settings().pace
    cues = [
        (where, text, paced_seconds(PhaseKind(str(where[-1])), pace, breaths.pace, breaths.hold))
        for loc, step in steps_with_loc(source.routine)
        if (breaths := step.breaths) is not None
        for where, text in spoken_texts(loc, step)
        if "breaths" in where  # the words of a breath phase (its kind is the last key)
    ]
    if not cues:
        return
    times = _default_times([text for _, text, _ in cues])
    for where, text, seconds in cues:
        message = _too_long(text, str(where[-1]), seconds, times)
        if message:
            yield source.problem(where, message, "warning")
