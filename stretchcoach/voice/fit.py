"""Which cues are too long for their breath phase, for ``stretchcoach validate`` to warn.

A session never cuts a cue or talks over it: a phase stretches until its cue is said. That
keeps the words whole but breaks the breath's rhythm, so a routine's author is told which
cues do not fit at the default pace and speech rate, measured on the synthesized speech.
Intros are left out: they are said before the breathing starts and take what they take.
"""

from __future__ import annotations

from collections.abc import Sequence

from stretchcoach.coach.ports import Pace, SpeechTimes
from stretchcoach.routine.expand import ConcreteStep, PhaseText
from stretchcoach.settings import Settings
from stretchcoach.voice.times import cue_texts, synthesized_times


def _phases(step: ConcreteStep, pace: Pace) -> list[tuple[int, str, PhaseText, float]]:
    inhale, exhale = pace.inhale * step.pace, pace.exhale * step.pace
    phases = []
    for n, cycle in enumerate(step.cycles, start=1):
        phases.append((n, "inhale", cycle.inhale, inhale))
        phases.append((n, "exhale", cycle.exhale, exhale))
        if cycle.hold is not None:
            phases.append((n, "hold", cycle.hold, step.hold_breaths * (inhale + exhale)))
    return phases


def fit_warnings(
    steps: Sequence[ConcreteStep],
    pace: Pace | None = None,
    rate: int | None = None,
    times: SpeechTimes | None = None,
) -> list[str]:
    """One line per cue longer than its phase (default pace and rate unless given).

    ``times`` defaults to the real synthesized lengths (cached after the first run).
    """
    defaults = Settings()
    pace = pace or defaults.pace
    if times is None:
        settings = defaults.model_copy(update={"rate": rate or defaults.rate, "mute": False})
        times = synthesized_times(cue_texts(steps), settings)
    warnings = []
    for step in steps:
        for cycle, kind, phase, seconds in _phases(step, pace):
            if phase.say is None:
                continue
            spoken = times.duration(phase.say)
            if spoken > seconds:
                warnings.append(
                    f"step '{step.key}', cycle {cycle}, {kind}: the cue \"{phase.say}\" takes "
                    f"{spoken:.1f} s to say but the {kind} lasts {seconds:.1f} s at the default "
                    f"pace; the phase will stretch to fit it. Shorten the cue or move part "
                    f"of it to another phase."
                )
    return warnings
