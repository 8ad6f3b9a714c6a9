"""``stretchcoach plan``: a routine's timeline, cue by cue, as a session would run it.

The plan is not computed separately: the real ``Session`` runs on a ``SimScheduler`` and
every phase it starts becomes a line. Manual steps are taken to last ``--manual-wait``
seconds after their intro (the simulated person presses Next then), unless the person's
settings auto-advance them. So the plan can never disagree with what a session does.
Cue lengths are those of the synthesized speech (cached), as the window and the exported
audio use, so all three agree on every second.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from stretchcoach.coach.ports import Event, Pace, PhaseKind, PhaseStarted, SpeechTimes
from stretchcoach.coach.session import Session
from stretchcoach.coach.simclock import SimScheduler
from stretchcoach.coach.timeline import Timing, format_duration
from stretchcoach.routine.catalog import load_catalog
from stretchcoach.routine.expand import ConcreteStep
from stretchcoach.routine.problems import RoutineError
from stretchcoach.settings import Settings, load


def clock_time(seconds: float) -> str:
    """``M:SS.s``, rounded to the tenth."""
    tenths = round(seconds * 10)
    minutes, rest = divmod(tenths, 600)
    return f"{minutes}:{rest // 10:02d}.{rest % 10}"


def simulate(
    steps: Sequence[ConcreteStep], pace: Pace, timing: Timing, speech: SpeechTimes
) -> tuple[list[PhaseStarted], float]:
    """Run a session to its end on simulated time: every phase it starts, and its length."""
    clock = SimScheduler()
    session = Session(steps, clock, speech, pace, timing, strict=True)
    phases: list[PhaseStarted] = []

    def record(event: Event) -> None:
        if not isinstance(event, PhaseStarted):
            return
        phases.append(event)
        if event.deadline is None and session.phase is not None:  # a manual step: press Next
            clock.call_at(event.start + session.phase.length, session.next)

    session.subscribe(record)
    session.start()
    clock.run_until_idle()
    return phases, clock.now()


def plan_text(
    steps: Sequence[ConcreteStep], pace: Pace, timing: Timing, speech: SpeechTimes
) -> str:
    phases, total = simulate(steps, pace, timing, speech)
    width = max(len(s.title) for s in steps)
    count = len(steps)
    lines = []
    for p in phases:
        step = steps[p.step_index]
        label = f"{p.step_index + 1}/{count} {step.title.ljust(width)}"
        phase = f"{p.kind} {p.cycle}/{p.cycles}" if p.cycle else str(p.kind)
        if p.kind is PhaseKind.WAIT:
            cue = "(Next)" if p.deadline is None else "(moves on by itself)"
        else:
            cue = p.cue or ""
        lines.append(f"{clock_time(p.start):>7}  {label}  {phase:<11} {cue}".rstrip())
    lines.append(f"total: {format_duration(total)}")
    return "\n".join(lines) + "\n"


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
    manual_wait: float,
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
    timing = Timing(settings.get_ready, settings.auto_advance, manual_wait)
    return Request(steps, pace, timing, settings)


def print_plan(
    routine: str,
    inhale: float | None,
    exhale: float | None,
    manual_wait: float,
    out: TextIO,
    *,
    err: TextIO | None = None,
) -> int:
    """Print the plan of ``routine`` (an id or a file); 1 with a clear message on a problem."""
    from stretchcoach.voice.times import cue_texts, synthesized_times

    err = err or sys.stderr
    request = prepare("plan", routine, inhale, exhale, manual_wait, err=err)
    if request is None:
        return 1

    # The lengths of the synthesized cues themselves, as export-audio uses: the two agree.
    def warn(message: str) -> None:
        err.write(f"stretchcoach: {message}\n")

    speech = synthesized_times(cue_texts(request.steps), request.settings, warn=warn)
    out.write(plan_text(request.steps, request.pace, request.timing, speech))
    return 0
