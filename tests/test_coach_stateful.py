"""Random sequences of intents and waits, with the session's promises checked after each."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from test_coach_support import rig

from stretchcoach.coach.ports import (
    Event,
    Finished,
    HurtMarked,
    Paused,
    PhaseKind,
    PhaseStarted,
    Resumed,
    StepStarted,
)
from stretchcoach.coach.states import IllegalIntent, Intent, State
from stretchcoach.coach.timeline import Timing

PERSON = [i for i in Intent if i is not Intent.PHASE_END]
RESETS = {Intent.START, Intent.PREVIOUS, Intent.REPEAT_STEP}
PHASE_STATE = {
    PhaseKind.GET_READY: State.GET_READY,
    PhaseKind.INTRO: State.INTRO,
    PhaseKind.INHALE: State.BREATHING,
    PhaseKind.EXHALE: State.BREATHING,
    PhaseKind.HOLD: State.BREATHING,
    PhaseKind.WAIT: State.WAITING,
    PhaseKind.READY: State.READY,
    PhaseKind.SKIPPING: State.READY,
}
SAID_BEFORE = {PhaseKind.READY: "Ready.", PhaseKind.SKIPPING: "Skipping this stretch."}


class SessionMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.r = rig(timing=Timing(get_ready=2.0))
        self.session = self.r.session
        self.batch: list[tuple[float, Event]] = []  # each event with the time it came
        self.session.subscribe(lambda event: self.batch.append((self.r.clock.now(), event)))
        self.last_intent: Intent | None = None
        self.last_step = 0
        self.shown = self.session.progress()
        self.current: PhaseStarted | None = None  # the last phase entered
        self.resume_to: set[tuple[int, PhaseKind, int]] = set()
        self.started_at = 0.0
        self.paused_at: float | None = None
        self.paused_total = 0.0

    # -- what the person and time do ------------------------------------------------------

    @rule(intent=st.sampled_from(PERSON), direction=st.sampled_from([-1, 1]))
    def act(self, intent: Intent, direction: int) -> None:
        self.batch.clear()
        call = self.r.intent(intent)
        if intent is Intent.CHANGE_PACE:
            call = lambda: self.session.change_pace(direction)  # noqa: E731
        allowed = self.session.allows(intent)
        before = self.session.state
        if not allowed:
            with pytest.raises(IllegalIntent):
                call()
            assert self.session.state is before
            assert not self.batch
            return
        if intent is Intent.START:
            self.started_at, self.paused_total, self.paused_at = self.r.clock.now(), 0.0, None
        self.last_intent = intent
        call()
        self.account(self.batch, by_time=False)

    @rule(seconds=st.floats(0.0, 12.0))
    def wait(self, seconds: float) -> None:
        self.wait_and_check(seconds)

    @precondition(lambda self: self.r.clock.next_deadline() is not None)
    @rule()
    def wait_for_deadline(self) -> None:
        deadline = self.r.clock.next_deadline()
        assert deadline is not None
        self.wait_and_check(deadline - self.r.clock.now())

    def wait_and_check(self, seconds: float) -> None:
        self.batch.clear()
        state, shown = self.session.state, self.session.progress()
        self.last_intent = None
        self.r.clock.advance(seconds)
        if state in (State.IDLE, State.PAUSED, State.FINISHED):
            # Nothing happens while paused, before the start or after the end.
            assert not self.batch
            assert self.session.state is state
            assert self.session.progress() == shown
        self.account(self.batch, by_time=True)

    # -- bookkeeping over the events ------------------------------------------------------

    def account(self, events: list[tuple[float, Event]], *, by_time: bool) -> None:
        for now, event in events:
            if isinstance(event, Paused):
                self.paused_at = event.at
            elif isinstance(event, Resumed):
                assert self.paused_at is not None
                self.paused_total += event.at - self.paused_at
                self.paused_at = None
            elif isinstance(event, StepStarted):
                # Where a READY will lead if nothing else is entered first (paused moves).
                self.resume_to = {(event.index, PhaseKind.INTRO, 0)}
                if event.index == 0:
                    self.resume_to.add((0, PhaseKind.GET_READY, 0))
            elif isinstance(event, PhaseStarted):
                self.check_phase(event, by_time=by_time)
            elif isinstance(event, HurtMarked):
                # "This hurt" marks the step the person is on, and is all that happens.
                assert [type(e) for _, e in events] == [HurtMarked]
                assert event.step_index == self.session.step_index
                assert event.step is self.session.plans[event.step_index].step
            elif isinstance(event, Finished):
                paused = self.paused_total + (now - self.paused_at if self.paused_at else 0.0)
                assert event.active_seconds == pytest.approx(now - self.started_at - paused)
                tally = self.session.tally()
                assert (tally.steps_done, tally.skipped) == (event.steps_done, event.skipped)
                assert tally.active_seconds == pytest.approx(event.active_seconds)
                self.paused_at = None

    def check_phase(self, event: PhaseStarted, *, by_time: bool) -> None:
        where = (event.step_index, event.kind, event.cycle)
        phases = self.session.plans[event.step_index].phases
        kinds = [(p.kind, p.cycle) for p in phases]
        if event.kind in SAID_BEFORE:  # a word before a phase starts
            assert event.cue == SAID_BEFORE[event.kind]
        else:
            assert kinds.count((event.kind, event.cycle)) == 1
            # The cue comes with the phase's entry, as planned.
            assert event.cue == phases[kinds.index((event.kind, event.cycle))].cue
        last = self.current
        if by_time and last is not None:
            # Time moved us on: each phase starts at the deadline of the one before and
            # follows it in the plan; after READY comes the interrupted phase again.
            assert last.deadline is not None
            assert event.start == pytest.approx(last.deadline, abs=1e-9)
            if last.kind in SAID_BEFORE:
                assert where in self.resume_to
            elif event.kind not in SAID_BEFORE:
                before = self.session.plans[last.step_index].phases
                index = [(p.kind, p.cycle) for p in before].index((last.kind, last.cycle))
                if index + 1 < len(before):
                    following = before[index + 1]
                    assert where == (last.step_index, following.kind, following.cycle)
                else:
                    assert where == (last.step_index + 1, PhaseKind.INTRO, 0)
        self.current = event
        if event.kind not in SAID_BEFORE:
            self.resume_to = {where}

    # -- the promises ---------------------------------------------------------------------

    @invariant()
    def exactly_one_state_consistent_with_the_phase(self) -> None:
        s = self.session
        assert isinstance(s.state, State)
        pending = self.r.clock.pending
        if s.state in (State.IDLE, State.PAUSED, State.FINISHED):
            assert pending == 0
        else:
            phase = s.phase
            assert phase is not None
            assert pending == (1 if phase.timed or s.state is State.READY else 0)
            if s.state is not State.READY:
                assert PHASE_STATE[phase.kind] is s.state

    @invariant()
    def progress_stays_in_bounds_and_never_goes_back(self) -> None:
        p = self.session.progress()
        assert 0.0 <= p.step_fraction <= 1.0
        assert 0.0 <= p.routine_fraction <= 1.0
        assert p.remaining_seconds >= 0.0
        if self.last_intent not in RESETS:
            assert p.routine_fraction >= self.shown.routine_fraction - 1e-12
            if self.session.step_index == self.last_step:
                assert p.step_fraction >= self.shown.step_fraction - 1e-12
        finished = [e for _, e in self.batch if isinstance(e, Finished)]
        if self.session.state is State.FINISHED and finished and finished[-1].completed:
            assert p.routine_fraction == 1.0
        self.shown, self.last_step = p, self.session.step_index

    @invariant()
    def finished_is_terminal_until_a_restart(self) -> None:
        if self.session.state is State.FINISHED:
            allowed = {i for i in Intent if self.session.allows(i)}
            assert allowed == {Intent.START, Intent.CHANGE_PACE, Intent.TAP}


SessionMachine.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestSessionMachine = SessionMachine.TestCase
