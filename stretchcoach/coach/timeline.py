"""From concrete steps and a breath pace to the phases of each step, with their times.

A step's phases carry offsets from the step's start, not lengths to be added up at run
time: the session turns an offset into a deadline by adding it to the step's origin on
the monotonic clock, so however long a routine runs, no error accumulates.

Speech never gets cut: a cue that takes longer to say than its breath phase lasts
stretches that phase (the person simply breathes a little slower there), and the intro
lasts as long as it takes to say. Manual steps end with a WAIT phase that has no deadline
(unless the person chose auto-advance); it counts at its estimate for progress.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from stretchcoach.coach.ports import Pace, PhaseKind, SpeechTimes
from stretchcoach.routine.expand import ConcreteStep, PhaseText

CUE_GAP = 0.3
"""Seconds of silence after a cue before the next may start, when a cue stretches a phase."""
GET_READY_CUE = "Get ready."
READY_CUE = "Ready."
SKIPPING_CUE = "Skipping this stretch."
"""Said as "skip this stretch" moves on (its phase runs before the next stretch's intro)."""
STOPPED_CUE = (
    "We'll stop here. When you are ready, keep your knees bent and roll onto your side, "
    "then push yourself up to sitting with your arms. Sit for a moment before you stand. "
    "That is the end of this session."
)
"""Said when the person stops a session early: nobody is left lying in silence, and the way
up is the bundled routines' own (roll to the side, push up with the arms)."""


def seconds_words(seconds: float) -> str:
    """``4.5``, ``6``: a pace's seconds as said and shown, to the tenth."""
    return f"{round(seconds, 1):g}"


def pace_cue(pace: Pace) -> str:
    """What the voice says when the pace changes (+, −, T): the new pace, briefly."""
    return f"Breaths now {seconds_words(pace.inhale)} seconds in, {seconds_words(pace.exhale)} out."


HOW_TO_PAUSE = "Press space at any time to pause, and again to go on."
"""What every session in the window says first (the keys are the window's, so a session run
elsewhere -- the audio export -- does not say it)."""
BREATHE_IN = "Breathe in."
BREATHE_OUT = "Breathe out."
READY_SECONDS = 1.5
"""The shortest READY or SKIPPING phase: long enough to settle the breath."""


@dataclass(frozen=True)
class Timing:
    """The settings, beyond the breath pace, that shape a timeline."""

    get_ready: float = 5.0
    """Seconds of get-ready before the first step (0: none)."""
    auto_advance: float | None = None
    """Seconds after its intro a manual step waits before moving on by itself (None: wait)."""
    manual_wait: float | None = None
    """Assume every manual step waits this long (``stretchcoach plan``), not its estimate."""
    breath_words: bool = False
    """Say "Breathe in." / "Breathe out." on a breath whose phase has no words of its own
    (otherwise the chime, or silence, marks it)."""
    welcome: str | None = None
    """Said first, before "Get ready." (``HOW_TO_PAUSE`` in a session in the window)."""


@dataclass(frozen=True)
class PhasePlan:
    """One phase of a step, placed on the step's own time axis."""

    kind: PhaseKind
    cycle: int  # 1-based within the step's breath cycles; 0 outside them
    cue: str | None
    move: str | None
    offset: float  # seconds from the step's start; negative for the get-ready before step 1
    length: float  # for a WAIT with no deadline, its estimate (it counts so for progress)
    timed: bool = True  # False: a WAIT that ends only when the person presses Next

    @property
    def end(self) -> float:
        return self.offset + self.length


@dataclass(frozen=True)
class StepPlan:
    step: ConcreteStep
    phases: tuple[PhasePlan, ...]

    @property
    def length(self) -> float:
        """Seconds from the step's start to its end (the get-ready before it excluded)."""
        return self.phases[-1].end

    @property
    def lead_in(self) -> float:
        """Seconds of get-ready before the step starts (only ever on the first step)."""
        return -self.phases[0].offset

    @property
    def intro_index(self) -> int:
        """Where "repeat step" and "previous" start the step again."""
        return next(i for i, p in enumerate(self.phases) if p.kind is PhaseKind.INTRO)

    @property
    def cycles(self) -> int:
        return len(self.step.cycles)

    @property
    def cues(self) -> tuple[str, ...]:
        """Everything said on this step as planned, in order, each once: what the voice
        synthesizes, and what the caption keeps room for."""
        return tuple(dict.fromkeys(p.cue for p in self.phases if p.cue))

    def replanned_after(self, index: int, other: StepPlan) -> StepPlan:
        """This plan up to phase ``index``, then ``other``'s phases (the same step at
        another pace) placed after it: the phase under way keeps its deadline."""
        shift = self.phases[index].end - other.phases[index].end
        later = tuple(replace(p, offset=p.offset + shift) for p in other.phases[index + 1 :])
        return StepPlan(self.step, self.phases[: index + 1] + later)


def paced_seconds(kind: PhaseKind, pace: Pace, step_pace: float, hold_breaths: int) -> float:
    """How long a breath phase lasts at ``pace``, before any cue stretches it: a step may
    scale the person's pace, and a hold lasts whole breaths."""
    inhale, exhale = pace.inhale * step_pace, pace.exhale * step_pace
    return {PhaseKind.INHALE: inhale, PhaseKind.EXHALE: exhale,
            PhaseKind.HOLD: hold_breaths * (inhale + exhale)}[kind]  # fmt: skip


def spoken_length(speech: SpeechTimes, cue: str | None, paced: float) -> float:
    """A phase's length: its paced length, stretched so its cue is said in full."""
    if not cue:
        return paced
    return max(paced, speech.duration(cue) + CUE_GAP)


def announce_length(speech: SpeechTimes, cue: str) -> float:
    """How long a word said before a phase (re)starts lasts: "Ready." on resume, "Skipping
    this stretch." -- at least READY_SECONDS, to settle the breath."""
    return spoken_length(speech, cue, READY_SECONDS)


def opening_cue(timing: Timing) -> str | None:
    """What the get-ready before the first step says (the welcome, then "Get ready."), or
    None when there is no get-ready."""
    if timing.get_ready <= 0:
        return None
    return f"{timing.welcome} {GET_READY_CUE}" if timing.welcome else GET_READY_CUE


def intro_cue(step: ConcreteStep, timing: Timing, *, first: bool) -> str:
    """What a step's introduction says: the first step's starts with the welcome when there
    is no get-ready to say it."""
    if first and timing.welcome and timing.get_ready <= 0:
        return f"{timing.welcome} {step.intro}"
    return step.intro


def plan_step(
    step: ConcreteStep, pace: Pace, speech: SpeechTimes, timing: Timing, *, first: bool = False
) -> StepPlan:
    """The phases of ``step``; the first step of a routine is preceded by get-ready."""
    phases: list[PhasePlan] = []
    at = 0.0

    def add(kind: PhaseKind, cycle: int, text: PhaseText, paced: float, timed: bool = True) -> None:
        nonlocal at
        length = spoken_length(speech, text.say, paced)
        phases.append(PhasePlan(kind, cycle, text.say, text.move, at, length, timed))
        at += length

    opening = opening_cue(timing)
    if first and opening:
        length = spoken_length(speech, opening, timing.get_ready)
        phases.append(PhasePlan(PhaseKind.GET_READY, 0, opening, None, -length, length))
    add(PhaseKind.INTRO, 0, PhaseText(intro_cue(step, timing, first=first), None), 0.0)
    def paced(kind: PhaseKind) -> float:
        return paced_seconds(kind, pace, step.pace, step.hold_breaths)

    def words(text: PhaseText, default: str) -> PhaseText:
        return replace(text, say=default) if timing.breath_words and not text.say else text

    for n, cycle in enumerate(step.cycles, start=1):
        add(PhaseKind.INHALE, n, words(cycle.inhale, BREATHE_IN), paced(PhaseKind.INHALE))
        add(PhaseKind.EXHALE, n, words(cycle.exhale, BREATHE_OUT), paced(PhaseKind.EXHALE))
        if cycle.hold is not None:
            add(PhaseKind.HOLD, n, cycle.hold, paced(PhaseKind.HOLD))
    if step.manual_estimate is not None:
        wait = PhaseText(None, None)
        if timing.auto_advance is not None:
            add(PhaseKind.WAIT, 0, wait, timing.auto_advance)
        else:
            add(PhaseKind.WAIT, 0, wait, timing.manual_wait or step.manual_estimate, timed=False)
    return StepPlan(step, tuple(phases))


def plan_routine(
    steps: Sequence[ConcreteStep], pace: Pace, speech: SpeechTimes, timing: Timing
) -> tuple[StepPlan, ...]:
    return tuple(
        plan_step(step, pace, speech, timing, first=i == 0) for i, step in enumerate(steps)
    )


def format_duration(seconds: float) -> str:
    """``M:SS``, as the list and the plan print lengths."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def total_length(plans: Sequence[StepPlan]) -> float:
    """Seconds the whole routine takes as planned, get-ready included."""
    return plans[0].lead_in + sum(p.length for p in plans)


def routine_length(
    steps: Sequence[ConcreteStep], pace: Pace, speech: SpeechTimes, timing: Timing
) -> float:
    """Seconds a routine takes at this pace and timing, as a session runs it (the length the
    picker, ``stretchcoach list`` and ``plan`` show, and the one a session's time left
    starts from)."""
    return total_length(plan_routine(steps, pace, speech, timing))
