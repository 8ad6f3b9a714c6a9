"""The coaching session: a state machine that runs a routine's timeline on an injected clock.

Public API (the window and the voice build on exactly this)::

    session = Session(steps, scheduler, speech, pace=Pace(), timing=Timing(), strict=False)
    session.subscribe(listener)          # listener(event) for every ports.Event, in order

    # the person's intents (each one an Intent in the table below)
    session.start()                      # idle or finished -> get-ready (or step 1's intro)
    session.pause() / resume()
    session.primary()                    # what Space means now: pause, go on, or "I'm ready"
    session.next()                       # on to the next step (on the last: finish, completed)
    session.skip_stretch()               # the rest of this stretch, its steps and sides; says so
    session.previous()                   # previous step if within the intro or first breath,
                                         # else restart this step
    session.repeat_step()                # this step again from its intro
    session.repeat_cue()                 # CueRepeated with the last cue; time does not move
    session.mark_hurt()                  # "this hurt": HurtMarked for the current step; time
                                         # does not move, nothing is interrupted
    session.stop()                       # Finished(completed=False), saying how to get up
    session.stop(quietly=True)           # the same, unsaid (the app quits, another starts)
    session.change_pace(+1 | -1)         # slower / faster by PACE_STEP s per phase, bounded
    session.set_pace(pace)               # e.g. from the settings dialog
    session.tap()                        # on each exhale; after tap.TAPS taps the pace follows

    # queries
    session.state        -> State        session.allows(intent) -> bool
    session.primary_meaning -> Primary | None (what ``primary`` would do now)
    session.taps         -> int (T taps counted so far, of tap.TAPS)
    session.pace         -> Pace         session.plans -> tuple[StepPlan, ...] (the timeline)
    session.step_index   -> int          session.phase -> PhasePlan | None (current/interrupted)
    session.progress(now=None) -> Progress   (now defaults to the scheduler's clock)
    session.tally(now=None) -> Tally     steps done and skipped so far, active seconds

Events, in the order listeners get them:

- ``start``: StepStarted(0), then PhaseStarted(GET_READY) (or INTRO when get-ready is 0).
- a deadline: PhaseStarted(next phase), or at a step's end StepStarted(next) +
  PhaseStarted(INTRO), or at the routine's end Finished(completed=True).
- ``pause``: Paused (the pending deadline is cancelled: nothing is due while paused).
- ``resume``: Resumed, PhaseStarted(READY, cue "Ready."), and at its deadline PhaseStarted of
  the interrupted phase, from its beginning.
- ``next``/``previous``/``repeat_step``: StepStarted, then PhaseStarted of the intro (or of
  get-ready, which ``previous`` and ``repeat_step`` restart while it runs). While paused the
  position moves and StepStarted is sent, but nothing is said until the person resumes:
  pause is a promise that the voice stays quiet.
- ``change_pace``/``set_pace``/a fourth ``tap``: PaceChanged, when the pace really changes.
  The phase under way keeps its deadline; everything after it is re-planned.
- ``mark_hurt``: HurtMarked with the current step (during its intro, breaths, wait, while
  paused or saying "Ready."; not during get-ready, before any stretch).
- ``stop``: Finished(completed=False), with the cue ``STOPPED_CUE`` (none ``quietly``).
  ``Finished`` carries the run's ``Tally``: ``active_seconds`` excludes paused time;
  ``steps_done`` counts the steps followed to their end (a waiting set-up step: to "I'm
  ready"), ``skipped`` the steps passed over with ``next`` or ``skip_stretch``. ``tally()``
  says the same at any moment of the run, so a journal can keep what was done before the
  end comes (or never does).

Progress is a query, not an event: the window asks ``progress()`` on its own frame clock.

Listeners may call the session back: events raised meanwhile are queued and delivered after
the current ones, so every listener sees every event in the same order.

Illegal intents (``resume`` while running, ``start`` twice, ...) raise ``IllegalIntent`` in
strict mode (tests) and are ignored otherwise (the window: a stray key must do no harm).

Time: every deadline is the step's origin on the scheduler's monotonic clock plus an offset
from the timeline. A phase that ends starts the next one at its *deadline*, not at the
moment the timer happened to fire, so lateness never accumulates; a pause moves the origin
(resuming restarts the interrupted phase after the READY phase), so paused time is excluded.
Progress holds its highest value while running, so restarting a phase after a pause or
slowing the pace never makes the bar go back; only ``previous``, ``repeat_step`` and
``start`` reset it.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Sequence

from stretchcoach.coach.ports import (
    CueRepeated,
    Event,
    Finished,
    Handle,
    HurtMarked,
    Listener,
    Pace,
    PaceChanged,
    Paused,
    PhaseKind,
    PhaseStarted,
    Progress,
    Resumed,
    Scheduler,
    SpeechTimes,
    StepStarted,
    Tally,
)
from stretchcoach.coach.states import (
    STATE_OF_PHASE,
    TRANSITIONS,
    IllegalIntent,
    Intent,
    Primary,
    State,
    primary_meaning,
)
from stretchcoach.coach.tap import TapMeter, bounded
from stretchcoach.coach.timeline import (
    READY_CUE,
    SKIPPING_CUE,
    STOPPED_CUE,
    PhasePlan,
    StepPlan,
    Timing,
    announce_length,
    plan_routine,
)
from stretchcoach.routine.expand import ConcreteStep

S, On = State, Intent

PACE_STEP = 0.5
"""Seconds added to (or taken from) each of inhale and exhale by ``change_pace``."""


def stepped_pace(pace: Pace, direction: int) -> Pace:
    """``pace`` made slower (``direction`` > 0) or faster (< 0) by one PACE_STEP, bounded:
    what + and − give (the voice says the neighbours ahead, to have them ready)."""
    delta = PACE_STEP if direction > 0 else -PACE_STEP if direction < 0 else 0.0
    return Pace(bounded(pace.inhale + delta), bounded(pace.exhale + delta))

class Session:
    """One run of a routine (and any restarts of it). See the module docstring."""

    def __init__(
        self,
        steps: Sequence[ConcreteStep],
        scheduler: Scheduler,
        speech: SpeechTimes,
        pace: Pace | None = None,
        timing: Timing | None = None,
        *,
        strict: bool = False,
    ) -> None:
        if not steps:
            raise ValueError("a session needs at least one step")
        self._steps = tuple(steps)
        self._scheduler = scheduler
        self._speech = speech
        self._pace = pace or Pace()
        self._timing = timing or Timing()
        self._strict = strict
        self._listeners: list[Listener] = []
        self._outbox: deque[Event] = deque()
        self._delivering = False
        self._plans = plan_routine(self._steps, self._pace, speech, self._timing)
        self._starts = self._step_starts()
        self._state = State.IDLE
        self._step = 0
        self._phase = 0  # index into the step's phases: the one running, or interrupted
        self._origin = 0.0  # the step's start on the clock, while a phase runs
        self._frozen = 0.0  # the position in the step while paused or finished
        self._handle: Handle | None = None
        self._active = 0.0
        self._active_since = 0.0
        self._floor_routine = 0.0
        self._floor_step = 0.0
        self._completed = False
        self._last_cue: str | None = None
        self._taps = TapMeter()
        self._outcome: dict[int, bool] = {}  # a step's last end: followed (True) or skipped

    # -- queries ------------------------------------------------------------------------

    @property
    def state(self) -> State:
        return self._state

    @property
    def pace(self) -> Pace:
        return self._pace

    @property
    def taps(self) -> int:
        """Taps counted toward the next measurement of the pace (0 after one)."""
        return self._taps.count

    @property
    def plans(self) -> tuple[StepPlan, ...]:
        return self._plans

    @property
    def step_index(self) -> int:
        return self._step

    @property
    def phase(self) -> PhasePlan | None:
        """The phase running, or interrupted while paused or saying "Ready."."""
        if self._state in (S.IDLE, S.FINISHED):
            return None
        return self._plans[self._step].phases[self._phase]

    def allows(self, intent: Intent) -> bool:
        return TRANSITIONS[self._state][intent] is not None

    def progress(self, now: float | None = None) -> Progress:
        if self._state is S.FINISHED and self._completed:
            return Progress(1.0, 1.0, 0.0)
        now = self._scheduler.now() if now is None else now
        total = self._starts[-1]
        position = self._position(now)
        done = self._starts[self._step] + position
        plan = self._plans[self._step]
        return Progress(
            step_fraction=max(self._floor_step, min(1.0, max(0.0, position) / plan.length)),
            routine_fraction=max(self._floor_routine, min(1.0, max(0.0, done / total))),
            remaining_seconds=max(0.0, total - done),
        )

    def tally(self, now: float | None = None) -> Tally:
        """Steps done and skipped so far, and the active time (paused time excluded)."""
        active = self._active
        if self._state not in (S.IDLE, S.PAUSED, S.FINISHED):
            active += (self._scheduler.now() if now is None else now) - self._active_since
        done = sum(self._outcome.values())
        skipped = tuple(sorted(i for i, followed in self._outcome.items() if not followed))
        return Tally(done, skipped, active)

    # -- the person's intents -----------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def start(self) -> None:
        self._apply(On.START, self._on_start)

    def pause(self) -> None:
        self._apply(On.PAUSE, self._on_pause)

    def resume(self) -> None:
        self._apply(On.RESUME, self._on_resume)

    @property
    def primary_meaning(self) -> Primary | None:
        return primary_meaning(self._state)

    def primary(self) -> None:
        """The primary key (Space, Play/Pause): pause, go on, or "I'm ready", as the state says."""
        action = {Primary.PAUSE: self._on_pause, Primary.GO_ON: self._on_resume,
                  Primary.READY: self._on_next}  # fmt: skip
        meaning = self.primary_meaning
        self._apply(On.PRIMARY, action[meaning] if meaning else lambda: None)

    def next(self) -> None:
        self._apply(On.NEXT, self._on_next)

    def skip_stretch(self) -> None:
        self._apply(On.SKIP_STRETCH, self._on_skip_stretch)

    def previous(self) -> None:
        self._apply(On.PREVIOUS, self._on_previous)

    def repeat_step(self) -> None:
        self._apply(On.REPEAT_STEP, self._on_repeat_step)

    def repeat_cue(self) -> None:
        self._apply(On.REPEAT_CUE, self._on_repeat_cue)

    def mark_hurt(self) -> None:
        self._apply(
            On.MARK_HURT,
            lambda: self._emit(HurtMarked(self._step, self._steps[self._step], self._now())),
        )

    def stop(self, *, quietly: bool = False) -> None:
        """The person ends the session early; the voice says how to get up, unless
        ``quietly`` (nobody is listening any more: the app quits or another starts)."""
        cue = None if quietly else STOPPED_CUE
        self._apply(On.STOP, lambda: self._finish(self._scheduler.now(), completed=False, cue=cue))

    def change_pace(self, direction: int) -> None:
        """Slower (``direction`` > 0) or faster (< 0) by PACE_STEP seconds per phase."""
        pace = stepped_pace(self._pace, direction)
        self._apply(On.CHANGE_PACE, lambda: self._set_pace(pace))

    def set_pace(self, pace: Pace) -> None:
        self._apply(On.CHANGE_PACE, lambda: self._set_pace(pace))

    def tap(self) -> None:
        self._apply(On.TAP, self._on_tap)

    # -- the machine ----------------------------------------------------------------------

    def _apply(self, intent: Intent, action: Callable[[], None]) -> None:
        targets = TRANSITIONS[self._state][intent]
        if targets is None:
            if self._strict:
                raise IllegalIntent(f"'{intent}' is not allowed while {self._state}")
            return
        before = self._state
        self._hold_progress()
        action()
        if self._state not in targets:
            raise AssertionError(f"{before} --{intent}--> {self._state}: not in the state table")
        self._deliver()

    def _emit(self, event: Event) -> None:
        self._outbox.append(event)

    def _deliver(self) -> None:
        if self._delivering:  # a listener called us back: the outer loop delivers in order
            return
        self._delivering = True
        try:
            while self._outbox:
                event = self._outbox.popleft()
                for listener in tuple(self._listeners):
                    listener(event)
        finally:
            self._delivering = False

    def _on_start(self) -> None:
        now = self._scheduler.now()
        self._plans = plan_routine(self._steps, self._pace, self._speech, self._timing)
        self._starts = self._step_starts()
        self._state = S.IDLE  # from finished, too: a fresh run
        self._active, self._active_since = 0.0, now
        self._floor_routine, self._completed = 0.0, False
        self._outcome.clear()
        self._go_to(0, 0, now)

    def _on_pause(self) -> None:
        now = self._scheduler.now()
        self._frozen = self._position(now)
        self._cancel()
        self._active += now - self._active_since
        self._state = S.PAUSED
        self._emit(Paused(now))

    def _on_resume(self) -> None:
        now = self._scheduler.now()
        self._active_since = now
        self._emit(Resumed(now))
        self._announce(PhaseKind.READY, READY_CUE, now)

    def _announce(self, kind: PhaseKind, cue: str, now: float) -> None:
        """Say ``cue`` before the current phase (re)starts from its beginning."""
        self._state = S.READY
        deadline = now + announce_length(self._speech, cue)
        phase = self._plans[self._step].phases[self._phase]
        self._schedule(deadline)
        self._emit(
            PhaseStarted(
                self._step, kind, phase.cycle, self._plans[self._step].cycles,
                cue, None, now, deadline,
            )
        )  # fmt: skip

    def _on_next(self) -> None:
        now = self._scheduler.now()
        if self._current().kind is PhaseKind.GET_READY:
            self._go_to(0, self._plans[0].intro_index, now)
            return
        # A set-up step waiting for the person is done ("I'm ready"); any other is skipped.
        self._outcome[self._step] = self._current().kind is PhaseKind.WAIT
        if self._step + 1 == len(self._plans):
            self._finish(now, completed=True)
        else:
            self._go_to(self._step + 1, self._plans[self._step + 1].intro_index, now)

    def _on_skip_stretch(self) -> None:
        now = self._scheduler.now()
        stretch = self._steps[self._step].stretch
        later = range(self._step + 1, len(self._steps))
        target = next((i for i in later if self._steps[i].stretch != stretch), None)
        for index in range(self._step, len(self._steps) if target is None else target):
            self._outcome[index] = False
        if target is None:
            self._finish(now, completed=True)
        else:
            self._go_to(target, self._plans[target].intro_index, now, announce=SKIPPING_CUE)

    def _on_previous(self) -> None:
        self._floor_routine = 0.0  # going back: the progress shown goes back with us
        phase = self._current()
        first_breath = phase.kind is PhaseKind.INTRO or (
            phase.cycle == 1 and phase.kind in (PhaseKind.INHALE, PhaseKind.EXHALE)
        )
        if self._step > 0 and first_breath:
            self._go_to(self._step - 1, self._plans[self._step - 1].intro_index, self._now())
        else:
            self._on_repeat_step()

    def _on_repeat_step(self) -> None:
        self._floor_routine = 0.0
        first = 0 if self._current().kind is PhaseKind.GET_READY else None
        plan = self._plans[self._step]
        self._go_to(self._step, plan.intro_index if first is None else first, self._now())

    def _on_repeat_cue(self) -> None:
        if self._last_cue:
            self._emit(CueRepeated(self._last_cue, self._now()))

    def _on_tap(self) -> None:
        running = self._state not in (S.IDLE, S.FINISHED)
        scale = self._steps[self._step].pace if running else 1.0
        pace = self._taps.tap(self._now(), self._pace, scale)
        if pace is not None:
            self._set_pace(pace)

    def _on_phase_end(self, deadline: float) -> None:
        """A deadline passed: start what follows *at the deadline*, however late we are."""
        self._handle = None
        if self._state is S.READY:
            self._run_phase(self._phase, deadline)
            return
        plan = self._plans[self._step]
        if self._phase + 1 < len(plan.phases):
            self._run_phase(self._phase + 1, deadline)
            return
        self._outcome[self._step] = True
        if self._step + 1 == len(self._plans):
            self._finish(deadline, completed=True)
        else:
            self._go_to(self._step + 1, self._plans[self._step + 1].intro_index, deadline)

    def _set_pace(self, pace: Pace) -> None:
        if pace == self._pace:
            return
        self._pace = pace
        fresh = plan_routine(self._steps, pace, self._speech, self._timing)
        if self._state in (S.IDLE, S.FINISHED):
            self._plans = fresh
        else:  # the phase under way (or interrupted) keeps its length; what follows re-plans
            step = self._step
            current = self._plans[step].replanned_after(self._phase, fresh[step])
            self._plans = (*self._plans[:step], current, *fresh[step + 1 :])
        self._starts = self._step_starts()
        self._emit(PaceChanged(pace))

    # -- moving along the timeline ----------------------------------------------------------

    def _go_to(self, step: int, phase: int, at: float, announce: str | None = None) -> None:
        """Enter ``step`` at ``phase``: run it (after saying ``announce``, if given), or
        only move there while paused (pause is a promise that the voice stays quiet)."""
        self._cancel()
        self._step, self._phase = step, phase
        self._floor_step = 0.0
        nxt = self._steps[step + 1].title if step + 1 < len(self._steps) else None
        cues = self._plans[step].cues
        self._emit(StepStarted(step, len(self._steps), self._steps[step], nxt, cues))
        if self._state is S.PAUSED:
            self._frozen = self._plans[step].phases[phase].offset
        elif announce:
            self._announce(PhaseKind.SKIPPING, announce, at)
        else:
            self._run_phase(phase, at)

    def _run_phase(self, index: int, start: float) -> None:
        plan = self._plans[self._step]
        phase = plan.phases[index]
        self._phase = index
        self._origin = start - phase.offset
        self._state = STATE_OF_PHASE[phase.kind]
        deadline = self._origin + phase.end if phase.timed else None
        if deadline is not None:
            self._schedule(deadline)
        if phase.cue:
            self._last_cue = phase.cue
        self._emit(
            PhaseStarted(
                self._step, phase.kind, phase.cycle, plan.cycles, phase.cue, phase.move,
                start, deadline,
            )
        )  # fmt: skip

    def _finish(self, at: float, *, completed: bool, cue: str | None = None) -> None:
        self._frozen = self._position(at)
        self._cancel()
        tally = self.tally(at)
        self._active = tally.active_seconds
        self._state = S.FINISHED
        self._completed = completed
        self._emit(
            Finished(completed, tally.active_seconds, tally.steps_done, tally.skipped, cue)
        )

    def _schedule(self, deadline: float) -> None:
        self._handle = self._scheduler.call_at(
            deadline, lambda: self._apply(On.PHASE_END, lambda: self._on_phase_end(deadline))
        )

    def _cancel(self) -> None:
        if self._handle is not None:
            self._scheduler.cancel(self._handle)
            self._handle = None

    # -- where we are -----------------------------------------------------------------------

    def _now(self) -> float:
        return self._scheduler.now()

    def _current(self) -> PhasePlan:
        return self._plans[self._step].phases[self._phase]

    def _position(self, now: float) -> float:
        """Seconds into the current step (negative during get-ready); paused time excluded."""
        if self._state is S.IDLE:
            return self._current().offset
        if self._state in (S.PAUSED, S.FINISHED):
            return self._frozen
        phase = self._current()
        if self._state is S.READY:
            return phase.offset  # the phase restarts from its beginning
        return min(phase.end, max(phase.offset, now - self._origin))

    def _step_starts(self) -> list[float]:
        """Where each step starts on the routine's axis; the last entry is the total."""
        lead_in = self._plans[0].lead_in
        return list(itertools.accumulate((p.length for p in self._plans), initial=lead_in))

    def _hold_progress(self) -> None:
        """Remember the progress shown so far, so it never goes back by itself."""
        shown = self.progress()
        self._floor_step = shown.step_fraction
        self._floor_routine = shown.routine_fraction
