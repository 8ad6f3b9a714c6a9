"""A routine's timeline, cue by cue, as a session would run it (``stretchcoach plan``, and
the audio export's layout).

The plan is not computed separately: the real ``Session`` runs on a ``SimScheduler`` and
every phase it starts becomes a line. Manual steps are taken to last as long as the
timing says (their own estimate, unless told otherwise) after their intro: the simulated
person presses Next then, unless the settings auto-advance them. So the plan can never
disagree with what a session does. Cue lengths are whatever the given ``SpeechTimes``
says: the synthesized speech's, for the command and the export.
"""

from __future__ import annotations

from collections.abc import Sequence

from stretchcoach.coach.ports import Event, Pace, PhaseKind, PhaseStarted, SpeechTimes
from stretchcoach.coach.session import Session
from stretchcoach.coach.simclock import SimScheduler
from stretchcoach.coach.timeline import STOPPED_CUE, Timing, format_duration
from stretchcoach.routine.expand import ConcreteStep


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
    lines.append(f"{'':>7}  if stopped early: {STOPPED_CUE}")
    lines.append(f"total: {format_duration(total)}")
    return "\n".join(lines) + "\n"
