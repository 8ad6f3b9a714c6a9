"""The session's states and what each intent may do in each: the state machine in one table.

Every state lists every intent, so nothing is left to chance: ``None`` means "not allowed
here" (raised in strict mode, ignored in the window, where a stray key must do no harm),
and a set says where the intent may lead. ``validate_table`` checks the table when this
module loads, and ``Session`` checks after each transition that it landed where the table
says. ``PRIMARY`` is what the one big key (Space, Play/Pause) means: the session decides
(``Session.primary_meaning``), never a widget.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from enum import StrEnum

from stretchcoach.coach.ports import PhaseKind


class State(StrEnum):
    IDLE = "idle"
    GET_READY = "get-ready"
    INTRO = "intro"
    BREATHING = "breathing"  # inhale, exhale or hold
    WAITING = "waiting"  # a manual step, waiting for Next (or auto-advance)
    READY = "ready"  # a word before a phase starts: "Ready." on resume, or "Skipping ..."
    PAUSED = "paused"
    FINISHED = "finished"


class Intent(StrEnum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    PRIMARY = "primary"  # Space: pause, go on, or "I'm ready" (see Primary)
    NEXT = "next"
    SKIP_STRETCH = "skip_stretch"  # the rest of this stretch, all its steps and sides
    PREVIOUS = "previous"
    REPEAT_STEP = "repeat_step"
    REPEAT_CUE = "repeat_cue"
    MARK_HURT = "mark_hurt"  # "this hurt": the current step is marked; nothing else changes
    STOP = "stop"
    CHANGE_PACE = "change_pace"
    TAP = "tap"
    PHASE_END = "phase_end"  # not the person's: the scheduler's call at a phase's deadline


class IllegalIntent(RuntimeError):
    """An intent the state table does not allow in the current state (strict mode only)."""


S, On = State, Intent
NO = None  # not allowed in this state: raises in strict mode, ignored otherwise

# Where each intent can lead from each state. Every state lists every intent, so nothing is
# left to chance; the session checks after each transition that it landed where this says.
TRANSITIONS: Mapping[State, Mapping[Intent, Set[State] | None]] = {
    S.IDLE: {
        On.START: {S.GET_READY, S.INTRO},
        On.PAUSE: NO, On.RESUME: NO, On.PRIMARY: NO,
        On.NEXT: NO, On.SKIP_STRETCH: NO, On.PREVIOUS: NO, On.REPEAT_STEP: NO,
        On.REPEAT_CUE: NO, On.MARK_HURT: NO, On.STOP: NO,
        On.CHANGE_PACE: {S.IDLE}, On.TAP: {S.IDLE},
        On.PHASE_END: NO,
    },
    S.GET_READY: {
        On.START: NO,
        On.PAUSE: {S.PAUSED}, On.RESUME: NO, On.PRIMARY: {S.PAUSED},
        On.NEXT: {S.INTRO}, On.SKIP_STRETCH: {S.READY, S.FINISHED},
        On.PREVIOUS: {S.GET_READY}, On.REPEAT_STEP: {S.GET_READY},
        On.REPEAT_CUE: {S.GET_READY}, On.STOP: {S.FINISHED},
        On.MARK_HURT: NO,  # no stretch has begun
        On.CHANGE_PACE: {S.GET_READY}, On.TAP: {S.GET_READY},
        On.PHASE_END: {S.INTRO},
    },
    S.INTRO: {
        On.START: NO,
        On.PAUSE: {S.PAUSED}, On.RESUME: NO, On.PRIMARY: {S.PAUSED},
        On.NEXT: {S.INTRO, S.FINISHED}, On.SKIP_STRETCH: {S.READY, S.FINISHED},
        On.PREVIOUS: {S.INTRO}, On.REPEAT_STEP: {S.INTRO},
        On.REPEAT_CUE: {S.INTRO}, On.MARK_HURT: {S.INTRO}, On.STOP: {S.FINISHED},
        On.CHANGE_PACE: {S.INTRO}, On.TAP: {S.INTRO},
        On.PHASE_END: {S.BREATHING, S.WAITING},
    },
    S.BREATHING: {
        On.START: NO,
        On.PAUSE: {S.PAUSED}, On.RESUME: NO, On.PRIMARY: {S.PAUSED},
        On.NEXT: {S.INTRO, S.FINISHED}, On.SKIP_STRETCH: {S.READY, S.FINISHED},
        On.PREVIOUS: {S.INTRO}, On.REPEAT_STEP: {S.INTRO},
        On.REPEAT_CUE: {S.BREATHING}, On.MARK_HURT: {S.BREATHING}, On.STOP: {S.FINISHED},
        On.CHANGE_PACE: {S.BREATHING}, On.TAP: {S.BREATHING},
        On.PHASE_END: {S.BREATHING, S.INTRO, S.FINISHED},
    },
    S.WAITING: {
        On.START: NO,
        On.PAUSE: {S.PAUSED}, On.RESUME: NO, On.PRIMARY: {S.INTRO, S.FINISHED},  # "I'm ready"
        On.NEXT: {S.INTRO, S.FINISHED}, On.SKIP_STRETCH: {S.READY, S.FINISHED},
        On.PREVIOUS: {S.INTRO}, On.REPEAT_STEP: {S.INTRO},
        On.REPEAT_CUE: {S.WAITING}, On.MARK_HURT: {S.WAITING}, On.STOP: {S.FINISHED},
        On.CHANGE_PACE: {S.WAITING}, On.TAP: {S.WAITING},
        On.PHASE_END: {S.INTRO, S.FINISHED},  # auto-advance
    },
    S.READY: {
        On.START: NO,
        On.PAUSE: {S.PAUSED}, On.RESUME: NO, On.PRIMARY: {S.PAUSED},
        On.NEXT: {S.INTRO, S.FINISHED}, On.SKIP_STRETCH: {S.READY, S.FINISHED},
        On.PREVIOUS: {S.GET_READY, S.INTRO},
        On.REPEAT_STEP: {S.GET_READY, S.INTRO},
        On.REPEAT_CUE: NO,  # the interrupted cue is about to be said again anyway
        On.MARK_HURT: {S.READY}, On.STOP: {S.FINISHED},
        On.CHANGE_PACE: {S.READY}, On.TAP: {S.READY},
        On.PHASE_END: {S.GET_READY, S.INTRO, S.BREATHING, S.WAITING},
    },
    S.PAUSED: {
        On.START: NO,
        On.PAUSE: NO, On.RESUME: {S.READY}, On.PRIMARY: {S.READY},
        On.NEXT: {S.PAUSED, S.FINISHED}, On.SKIP_STRETCH: {S.PAUSED, S.FINISHED},
        On.PREVIOUS: {S.PAUSED}, On.REPEAT_STEP: {S.PAUSED},
        On.REPEAT_CUE: NO,  # nothing is said while paused
        On.MARK_HURT: {S.PAUSED},  # perhaps why the person paused
        On.STOP: {S.FINISHED},
        On.CHANGE_PACE: {S.PAUSED}, On.TAP: {S.PAUSED},
        On.PHASE_END: NO,
    },
    S.FINISHED: {
        On.START: {S.GET_READY, S.INTRO},
        On.PAUSE: NO, On.RESUME: NO, On.PRIMARY: NO,
        On.NEXT: NO, On.SKIP_STRETCH: NO, On.PREVIOUS: NO, On.REPEAT_STEP: NO,
        On.REPEAT_CUE: NO, On.MARK_HURT: NO, On.STOP: NO,
        On.CHANGE_PACE: {S.FINISHED}, On.TAP: {S.FINISHED},
        On.PHASE_END: NO,
    },
}  # fmt: skip

RUNNING = frozenset({S.GET_READY, S.INTRO, S.BREATHING, S.WAITING, S.READY})


class Primary(StrEnum):
    """What the primary key (Space, Play/Pause) does in a state."""

    PAUSE = "pause"
    GO_ON = "go on"  # resume
    READY = "ready"  # a set-up step has been explained and waits: "I'm ready", on to the next


def primary_meaning(state: State) -> Primary | None:
    """The primary key's meaning in ``state`` (None: it does nothing there)."""
    if state is S.PAUSED:
        return Primary.GO_ON
    if state is S.WAITING:
        return Primary.READY
    return Primary.PAUSE if state in RUNNING else None
STATE_OF_PHASE = {  # the state a phase of this kind runs in
    PhaseKind.GET_READY: S.GET_READY,
    PhaseKind.INTRO: S.INTRO,
    PhaseKind.INHALE: S.BREATHING,
    PhaseKind.EXHALE: S.BREATHING,
    PhaseKind.HOLD: S.BREATHING,
    PhaseKind.WAIT: S.WAITING,
    PhaseKind.READY: S.READY,
    PhaseKind.SKIPPING: S.READY,
}


def validate_table(table: Mapping[State, Mapping[Intent, Set[State] | None]]) -> None:
    """Raise ValueError unless ``table`` is complete and keeps the design's promises."""
    problems: list[str] = []
    states, intents = set(State), set(Intent)
    if set(table) != states:
        problems.append(f"states {sorted(set(table) ^ states)} are missing or unknown")
    for state, row in table.items():
        if set(row) != intents:
            problems.append(f"{state}: intents {sorted(set(row) ^ intents)} missing or unknown")
        for intent, targets in row.items():
            if targets is not None and (not targets or not set(targets) <= states):
                problems.append(f"{state} --{intent}--> {targets}: not a set of known states")
    for state in RUNNING:
        if table.get(state, {}).get(On.PAUSE) != {S.PAUSED}:
            problems.append(f"{state}: pause must lead to paused")
    if table.get(S.PAUSED, {}).get(On.RESUME) != {S.READY}:
        problems.append("paused: resume must lead to ready")
    meaning = {Primary.PAUSE: On.PAUSE, Primary.GO_ON: On.RESUME, Primary.READY: On.NEXT}
    for state in State:
        primary = primary_meaning(state)
        does = table.get(state, {}).get(On.PRIMARY)
        if does != (table.get(state, {}).get(meaning[primary]) if primary else None):
            problems.append(f"{state}: the primary key must do what {primary or 'nothing'} does")
    for state, row in table.items():
        marked = row.get(On.MARK_HURT)
        if marked is not None and set(marked) != {state}:
            problems.append(f"{state}: 'this hurt' must change nothing but the journal")
    for intent, targets in table.get(S.FINISHED, {}).items():
        if intent is not On.START and targets is not None and set(targets) != {S.FINISHED}:
            problems.append(f"finished: only start may leave it, not {intent}")
    if problems:
        raise ValueError("the session's state table is broken: " + "; ".join(problems))


validate_table(TRANSITIONS)
