"""``stretchcoach plan``: a routine's timeline, cue by cue, at the person's pace.

The timeline is the engine's (``coach.plan``); the cue lengths are those of the
synthesized speech, as the window and the exported audio use, so all three agree on
every second.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TextIO

from stretchcoach.coach.plan import plan_text
from stretchcoach.coach.ports import Pace
from stretchcoach.coach.timeline import Timing
from stretchcoach.routine.catalog import load_catalog
from stretchcoach.routine.expand import ConcreteStep
from stretchcoach.routine.problems import RoutineError
from stretchcoach.settings import Settings, load
from stretchcoach.voice.times import cue_texts, synthesized_times


@dataclass(frozen=True)
class Request:
    """What ``plan`` and ``export-audio`` run: a routine at a pace, with the person's
    settings and the manual wait the command line gave."""

    steps: Sequence[ConcreteStep]
    pace: Pace
    timing: Timing
    settings: Settings


def prepare(
    verb: str,
    routine: str,
    inhale: float | None,
    exhale: float | None,
    manual_wait: float | None,
    *,
    err: TextIO,
) -> Request | None:
    """The person's settings (telling them of a bad settings file), the pace with the
    command line's overrides, and the routine; None, with the reason on ``err``, when the
    routine cannot be found or loaded."""
    loaded = load()
    if loaded.notice:
        err.write(f"stretchcoach: {loaded.notice}\n")
    settings = loaded.settings
    pace = Pace(settings.inhale if inhale is None else inhale,
                settings.exhale if exhale is None else exhale)  # fmt: skip
    try:
        steps = load_catalog().find(routine).steps
    except RoutineError as error:
        err.write(f"stretchcoach: cannot {verb} '{routine}':\n{error}\n")
        return None
    return Request(steps, pace, replace(settings.timing, manual_wait=manual_wait), settings)


def print_plan(
    routine: str,
    inhale: float | None,
    exhale: float | None,
    manual_wait: float | None,
    out: TextIO,
    *,
    err: TextIO | None = None,
) -> int:
    """Print the plan of ``routine`` (an id or a file); 1 with a clear message on a problem."""
    err = err or sys.stderr
    request = prepare("plan", routine, inhale, exhale, manual_wait, err=err)
    if request is None:
        return 1

    # The lengths of the synthesized cues themselves, as export-audio uses: the two agree.
    def warn(message: str) -> None:
        err.write(f"stretchcoach: {message}\n")

    speech = synthesized_times(
        cue_texts(request.steps, request.timing), request.settings.voice_setting,
        request.settings.mute, warn=warn,
    )
    out.write(plan_text(request.steps, request.pace, request.timing, speech))
    return 0
