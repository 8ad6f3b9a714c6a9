"""The session state machine on a simulated clock: every intent in every state, and the
meaning of each intent."""

from __future__ import annotations

import dataclasses

import pytest
from test_coach_support import PACE, SPEECH, reach, rig, steps

from stretchcoach.coach.ports import (
    CueRepeated,
    Finished,
    HurtMarked,
    Pace,
    PaceChanged,
    Paused,
    PhaseKind,
    PhaseStarted,
    Progress,
    Resumed,
    StepStarted,
    Tally,
)
from stretchcoach.coach.session import PACE_STEP, Session
from stretchcoach.coach.simclock import SimScheduler
from stretchcoach.coach.states import (
    TRANSITIONS,
    IllegalIntent,
    Intent,
    Primary,
    State,
    validate_table,
)
from stretchcoach.coach.timeline import (
    READY_CUE,
    STOPPED_CUE,
    Timing,
    announce_length,
    total_length,
)

PAIRS = [(state, intent) for state in State for intent in Intent]
REJECTED = [
    (state, intent)
    for state, intent in PAIRS
    if TRANSITIONS[state][intent] is None and intent is not Intent.PHASE_END
]


# -- the table ---------------------------------------------------------------------------


def test_table_is_complete_and_valid() -> None:
    validate_table(TRANSITIONS)  # also done at import; here it must not raise


@pytest.mark.parametrize(
    ("break_it", "complaint"),
    [
        (lambda t: t.pop(State.READY), "missing or unknown"),
        (lambda t: t[State.IDLE].pop(Intent.TAP), "intents"),
        (lambda t: t[State.INTRO].__setitem__(Intent.NEXT, {"intro-ish"}), "known states"),
        (lambda t: t[State.BREATHING].__setitem__(Intent.PAUSE, {State.FINISHED}), "pause"),
        (lambda t: t[State.PAUSED].__setitem__(Intent.RESUME, {State.INTRO}), "resume"),
        (lambda t: t[State.FINISHED].__setitem__(Intent.TAP, {State.IDLE}), "only start"),
        (lambda t: t[State.PAUSED].__setitem__(Intent.MARK_HURT, {State.READY}), "this hurt"),
        (lambda t: t.__setitem__("limbo", {}), "missing or unknown"),
    ],
)
def test_a_broken_table_is_rejected(break_it, complaint) -> None:  # type: ignore[no-untyped-def]
    table = {state: dict(row) for state, row in TRANSITIONS.items()}
    break_it(table)
    with pytest.raises(ValueError, match=complaint):
        validate_table(table)


@pytest.mark.parametrize(("state", "intent"), PAIRS, ids=[f"{s}-{i}" for s, i in PAIRS])
def test_every_intent_in_every_state(state: State, intent: Intent) -> None:
    r = reach(state)
    assert r.session.state is state
    targets = TRANSITIONS[state][intent]
    before = len(r.events)
    if targets is None:
        if intent is Intent.PHASE_END:  # never due: nothing is scheduled in this state
            assert r.clock.next_deadline() is None
            return
        with pytest.raises(IllegalIntent, match=str(intent)):
            r.intent(intent)()
        assert r.session.state is state
        assert len(r.events) == before
    else:
        r.intent(intent)()
        assert r.session.state in targets


@pytest.mark.parametrize(("state", "intent"), REJECTED, ids=[f"{s}-{i}" for s, i in REJECTED])
def test_polite_mode_ignores_what_strict_mode_rejects(state: State, intent: Intent) -> None:
    r = reach(state, strict=False)
    before = (len(r.events), r.clock.next_deadline(), r.session.progress())
    r.intent(intent)()
    assert r.session.state is state
    assert (len(r.events), r.clock.next_deadline(), r.session.progress()) == before


def test_a_session_needs_steps() -> None:
    with pytest.raises(ValueError, match="at least one step"):
        Session([], SimScheduler(), SPEECH)


# -- a run from start to finish ----------------------------------------------------------


def test_start_runs_get_ready_then_the_first_intro_on_time() -> None:
    r = rig()
    r.session.start()
    first, get_ready = r.events
    assert isinstance(first, StepStarted)
    assert (first.index, first.count, first.next_title) == (0, 4, "Passive back arch")
    assert isinstance(get_ready, PhaseStarted)
    assert get_ready.kind is PhaseKind.GET_READY
    assert (get_ready.start, get_ready.deadline) == (100.0, 103.0)
    r.to_next_deadline()
    intro = r.phases()[-1]
    assert intro.kind is PhaseKind.INTRO
    assert intro.start == 103.0
    assert intro.cue == "Fold the blankets and lie down."
    assert intro.deadline == pytest.approx(103.0 + SPEECH.duration(intro.cue) + 0.3)


def test_phases_follow_the_plan_in_order_and_end_on_time() -> None:
    r = rig(timing=Timing(get_ready=3.0, auto_advance=10.0))
    r.session.start()
    r.clock.run_until_idle()
    plans = r.session.plans
    expected = [(i, p.kind, p.cycle, p.cue) for i, plan in enumerate(plans) for p in plan.phases]
    assert [(e.step_index, e.kind, e.cycle, e.cue) for e in r.phases()] == expected
    starts = [e.start for e in r.phases()]
    planned = [100.0 + plans[0].lead_in + sum(x.length for x in plans[:i]) + p.offset
               for i, plan in enumerate(plans) for p in plan.phases]  # fmt: skip
    assert starts == pytest.approx(planned, abs=1e-9)
    finished = r.events[-1]
    assert isinstance(finished, Finished)
    assert finished == Finished(True, pytest.approx(total_length(plans)), 4)  # type: ignore[arg-type]
    assert r.clock.now() == pytest.approx(100.0 + total_length(plans), abs=1e-9)
    assert r.session.state is State.FINISHED
    assert r.session.progress() == Progress(1.0, 1.0, 0.0)


def test_breath_cues_and_moves_come_from_the_routine() -> None:
    r = rig()
    r.session.start()
    r.run_until(lambda: r.session.step_index == 2)
    arch = [e for e in r.phases() if e.step_index == 1]
    assert [(e.kind, e.cycle, e.cue, e.move) for e in arch] == [
        (PhaseKind.INTRO, 0, "Rest on the blankets and breathe.", None),
        (PhaseKind.INHALE, 1, "Breathe in", None),
        (PhaseKind.EXHALE, 1, "Let go", "end"),
        (PhaseKind.HOLD, 1, None, None),
        (PhaseKind.INHALE, 2, None, None),
        (PhaseKind.EXHALE, 2, "And again", None),
        (PhaseKind.HOLD, 2, None, None),
        (PhaseKind.INHALE, 3, None, None),
        (PhaseKind.EXHALE, 3, "And again", None),
        (PhaseKind.HOLD, 3, None, None),
    ]
    assert all(e.cycles == 3 for e in arch)
    hold = arch[3]
    assert hold.deadline is not None
    assert hold.deadline - hold.start == pytest.approx(1 * (PACE.inhale + PACE.exhale))


def test_a_steps_own_pace_scales_its_breaths() -> None:
    plans = rig().session.plans
    slide = [(p.kind, p.length) for p in plans[2].phases if p.cycle == 2]
    assert slide == [(PhaseKind.INHALE, 1.5 * PACE.inhale), (PhaseKind.EXHALE, 1.5 * PACE.exhale)]


def test_the_right_side_is_its_own_step_with_swapped_words() -> None:
    r = rig()
    r.session.start()
    r.run_until(lambda: r.session.state is State.FINISHED)
    titles = [e.step.title for e in r.events if isinstance(e, StepStarted)]
    assert titles[-2:] == ["Left heel slide", "Right heel slide"]
    last = [e.cue for e in r.phases() if e.step_index == 3 and e.cue]
    assert last[0] == "Now the right side. Now the right heel."
    assert "Slide the right heel away" in last


def test_a_manual_step_waits_for_next_with_no_deadline() -> None:
    r = rig()
    r.session.start()
    r.run_until(lambda: r.session.state is State.WAITING)
    wait = r.phases()[-1]
    assert (wait.kind, wait.deadline) == (PhaseKind.WAIT, None)
    assert r.clock.next_deadline() is None
    assert r.session.plans[0].phases[-1].length == 12.0  # the step's estimate, for progress
    r.clock.advance(3600)
    assert r.session.state is State.WAITING
    assert r.session.progress().step_fraction == 1.0  # counted at its estimate, then held
    r.session.next()
    assert r.session.step_index == 1


def test_auto_advance_gives_the_wait_a_deadline() -> None:
    r = rig(timing=Timing(get_ready=0.0, auto_advance=7.0))
    r.session.start()
    assert r.phases()[0].kind is PhaseKind.INTRO  # no get-ready at 0 s
    r.run_until(lambda: r.session.state is State.WAITING)
    wait = r.phases()[-1]
    assert wait.deadline == pytest.approx(wait.start + 7.0)
    r.to_next_deadline()
    assert (r.session.step_index, r.session.state) == (1, State.INTRO)


def test_a_long_cue_stretches_its_phase_and_is_never_cut() -> None:
    data = dict(ROUTINE_WITH_LONG_CUE)
    r = rig(routine=steps(data), pace=Pace(1.5, 1.5))
    r.session.start()
    r.run_until(lambda: r.session.state is State.BREATHING)
    inhale = r.phases()[-1]
    said = SPEECH.duration(LONG_CUE)
    assert said > 1.5
    assert inhale.deadline == pytest.approx(inhale.start + said + 0.3)


LONG_CUE = "Breathe in slowly and feel your whole back widen against the blankets below you"
ROUTINE_WITH_LONG_CUE = {
    "id": "long",
    "title": "Long",
    "summary": "A cue longer than its breath.",
    "steps": [
        {
            "id": "s",
            "title": "S",
            "instruction": "Breathe.",
            "intro": "Breathe.",
            "illustration": "s.svg",
            "breaths": {"cycles": 1, "cues": [{"on": 1, "inhale": LONG_CUE}]},
        }
    ],
}


# -- pause and resume --------------------------------------------------------------------


def test_pause_freezes_at_once_and_paused_time_never_counts() -> None:
    r = reach(State.BREATHING)
    s = r.session
    phase = r.phases()[-1]
    shown = s.progress()
    s.pause()
    assert r.events[-1] == Paused(r.clock.now())
    assert r.clock.next_deadline() is None  # the pending deadline is gone
    count = len(r.events)
    r.clock.advance(600)
    assert len(r.events) == count
    assert s.progress() == shown
    assert s.phase is not None
    assert s.phase.kind is phase.kind


def test_resume_says_ready_then_restarts_the_interrupted_phase_from_its_start() -> None:
    r = reach(State.BREATHING)
    s = r.session
    interrupted = r.phases()[-1]
    s.pause()
    r.clock.advance(42.0)
    resumed_at = r.clock.now()
    s.resume()
    resumed, ready = r.events[-2:]
    assert resumed == Resumed(resumed_at)
    assert isinstance(ready, PhaseStarted)
    assert (ready.kind, ready.cue, ready.start) == (PhaseKind.READY, READY_CUE, resumed_at)
    assert ready.deadline == pytest.approx(resumed_at + announce_length(SPEECH, READY_CUE))
    r.to_next_deadline()
    again = r.phases()[-1]
    assert (again.kind, again.cycle, again.cue) == (interrupted.kind, interrupted.cycle,
                                                    interrupted.cue)  # fmt: skip
    assert again.start == ready.deadline
    assert interrupted.deadline is not None
    assert again.deadline == pytest.approx(again.start + interrupted.deadline - interrupted.start)


def test_the_primary_key_pauses_and_goes_on() -> None:
    r = reach(State.INTRO)
    assert r.session.primary_meaning is Primary.PAUSE
    r.session.primary()
    paused, meaning = r.session.state, r.session.primary_meaning
    r.session.primary()
    assert (paused, meaning, r.session.state) == (State.PAUSED, Primary.GO_ON, State.READY)
    r.to_next_deadline()
    assert r.session.state is State.INTRO


def test_the_primary_key_means_i_am_ready_once_a_set_up_step_waits() -> None:
    r = reach(State.WAITING)
    step = r.session.step_index
    assert r.session.primary_meaning is Primary.READY
    r.session.primary()
    assert r.session.state is State.INTRO and r.session.step_index == step + 1


def test_the_primary_key_does_nothing_before_a_start_or_after_the_end() -> None:
    r = rig()
    assert r.session.primary_meaning is None
    with pytest.raises(IllegalIntent):
        r.session.primary()


def test_pausing_during_ready_resumes_with_ready_again() -> None:
    r = reach(State.READY)
    r.session.pause()
    r.session.resume()
    assert [e.kind for e in r.phases()[-2:]] == [PhaseKind.READY, PhaseKind.READY]
    r.to_next_deadline()
    assert r.session.state is State.BREATHING


def test_navigating_while_paused_moves_silently_and_stays_paused() -> None:
    r = reach(State.PAUSED)
    count = len(r.phases())
    r.session.next()
    assert r.session.state is State.PAUSED
    assert isinstance(r.events[-1], StepStarted)
    assert r.events[-1].index == 2
    assert len(r.phases()) == count  # nothing said
    r.session.resume()
    r.to_next_deadline()
    assert (r.phases()[-1].kind, r.phases()[-1].step_index) == (PhaseKind.INTRO, 2)


# -- navigation ---------------------------------------------------------------------------


def test_next_skips_and_on_the_last_step_finishes_completed() -> None:
    r = reach(State.INTRO)
    for expected in (1, 2, 3):
        r.session.next()
        assert (r.session.step_index, r.session.state) == (expected, State.INTRO)
    r.session.next()
    active = pytest.approx(r.clock.now() - 100.0)
    assert r.events[-1] == Finished(True, active, 0, skipped=(0, 1, 2, 3))  # type: ignore[arg-type]


def test_skipping_the_last_stretch_skips_both_its_sides_and_ends_the_routine() -> None:
    r = reach(State.INTRO)
    r.run_until(lambda: r.session.step_index == 2)  # the left heel slide; the right follows
    r.session.skip_stretch()
    finished = r.events[-1]
    assert isinstance(finished, Finished) and finished.completed
    assert (finished.steps_done, finished.skipped) == (2, (2, 3))  # the blankets, the arch


def test_skip_stretch_says_so_then_starts_the_next_stretch() -> None:
    r = reach(State.BREATHING)  # the arch
    assert r.session.step_index == 1
    r.events.clear()
    r.session.skip_stretch()
    said = [e for e in r.events if isinstance(e, PhaseStarted)]
    assert [(e.kind, e.cue) for e in said] == [(PhaseKind.SKIPPING, "Skipping this stretch.")]
    assert (r.session.step_index, r.session.state) == (2, State.READY)
    r.to_next_deadline()
    assert r.session.state is State.INTRO and r.events[-1].cue == "Now the left heel."  # type: ignore[union-attr]


def test_skip_stretch_while_paused_moves_in_silence() -> None:
    r = reach(State.PAUSED)
    r.events.clear()
    r.session.skip_stretch()
    assert r.session.state is State.PAUSED and r.session.step_index == 2
    assert not [e for e in r.events if isinstance(e, PhaseStarted)]  # pause keeps quiet
    r.session.resume()
    r.to_next_deadline()  # "Ready.", then the new stretch's introduction
    assert r.session.state is State.INTRO and r.session.step_index == 2


def test_next_during_get_ready_goes_to_the_first_intro() -> None:
    r = reach(State.GET_READY)
    r.session.next()
    assert (r.session.step_index, r.session.state) == (0, State.INTRO)


def test_previous_within_the_first_breath_goes_back_a_step() -> None:
    r = reach(State.BREATHING)  # step 1, first inhale
    assert r.phases()[-1].cycle == 1
    r.session.previous()
    assert (r.session.step_index, r.phases()[-1].kind) == (0, PhaseKind.INTRO)


def test_previous_later_in_a_step_restarts_it() -> None:
    r = reach(State.BREATHING)
    r.run_until(lambda: r.phases()[-1].cycle == 2)
    r.session.previous()
    assert (r.session.step_index, r.phases()[-1].kind) == (1, PhaseKind.INTRO)
    assert isinstance(r.events[-2], StepStarted)


def test_previous_on_the_first_step_restarts_it_without_get_ready() -> None:
    r = reach(State.INTRO)
    r.session.previous()
    assert (r.session.step_index, r.phases()[-1].kind) == (0, PhaseKind.INTRO)


@pytest.mark.parametrize("intent", [Intent.PREVIOUS, Intent.REPEAT_STEP])
def test_previous_and_repeat_during_get_ready_restart_it(intent: Intent) -> None:
    r = reach(State.GET_READY)
    r.clock.advance(2.0)
    r.intent(intent)()
    get_ready = r.phases()[-1]
    assert (get_ready.kind, get_ready.start, get_ready.deadline) == (
        PhaseKind.GET_READY, 102.0, 105.0)  # fmt: skip


def test_repeat_step_restarts_from_the_intro_and_says_it_again() -> None:
    r = reach(State.BREATHING)
    r.run_until(lambda: r.phases()[-1].cycle == 3)
    r.session.repeat_step()
    intro = r.phases()[-1]
    assert (intro.step_index, intro.kind, intro.start) == (1, PhaseKind.INTRO, r.clock.now())
    assert intro.cue == "Rest on the blankets and breathe."


def test_repeat_cue_says_the_last_cue_without_moving_time() -> None:
    r = reach(State.BREATHING)
    r.run_until(lambda: r.phases()[-1].kind is PhaseKind.HOLD)  # a silent phase
    deadline = r.clock.next_deadline()
    r.session.repeat_cue()
    assert r.events[-1] == CueRepeated("Let go", r.clock.now())
    assert r.clock.next_deadline() == deadline


def test_this_hurt_marks_the_current_step_and_changes_nothing_else() -> None:
    r = reach(State.BREATHING)
    r.run_until(lambda: r.phases()[-1].cycle == 2)
    deadline, progress, before = r.clock.next_deadline(), r.session.progress(), len(r.events)
    r.session.mark_hurt()
    (mark,) = r.events[before:]
    step = r.session.step_index
    assert mark == HurtMarked(step, r.session.plans[step].step, r.clock.now())
    assert r.clock.next_deadline() == deadline  # the breath goes on, on time
    assert r.session.progress() == progress and r.session.state is State.BREATHING
    r.session.pause()
    r.session.mark_hurt()  # perhaps why the person paused
    assert isinstance(r.events[-1], HurtMarked) and r.session.state is State.PAUSED


def test_the_tally_says_what_finished_will_say_at_any_moment() -> None:
    r = rig(timing=Timing(get_ready=0.0, auto_advance=8.0))
    r.session.start()
    assert r.session.tally() == Tally(0, (), 0.0)
    r.run_until(lambda: r.session.step_index == 1)  # step 0 followed to its end
    r.session.next()  # step 1 skipped
    r.clock.advance(1.0)
    r.session.pause()
    tally = r.session.tally()
    r.clock.advance(30)  # paused: not counted
    assert r.session.tally() == tally
    assert (tally.steps_done, tally.skipped) == (1, (1,))
    r.session.stop()
    finished = r.events[-1]
    assert isinstance(finished, Finished)
    assert (finished.steps_done, finished.skipped) == (1, (1,))
    assert finished.active_seconds == pytest.approx(tally.active_seconds)


def test_stop_finishes_uncompleted_and_counts_only_active_time() -> None:
    r = reach(State.INTRO)  # 3 s of get-ready behind us
    r.session.pause()
    r.clock.advance(50)
    r.session.stop()
    finished = r.events[-1]
    expected = Finished(False, pytest.approx(3.0), 0, cue=STOPPED_CUE)  # type: ignore[arg-type]
    assert finished == expected
    assert r.clock.next_deadline() is None


def test_a_quiet_stop_says_nothing() -> None:
    r = reach(State.BREATHING)
    r.session.stop(quietly=True)
    finished = r.events[-1]
    assert isinstance(finished, Finished) and not finished.completed and finished.cue is None


def test_start_after_finishing_runs_again_from_the_top() -> None:
    r = reach(State.FINISHED)
    r.session.start()
    assert (r.session.state, r.session.step_index) == (State.GET_READY, 0)
    assert r.session.progress().routine_fraction == 0.0


# -- pace -------------------------------------------------------------------------------


def test_change_pace_replans_after_the_current_phase() -> None:
    r = reach(State.BREATHING)
    inhale = r.phases()[-1]
    r.session.change_pace(+1)
    slower = Pace(PACE.inhale + PACE_STEP, PACE.exhale + PACE_STEP)
    assert r.events[-1] == PaceChanged(slower)
    assert r.clock.next_deadline() == inhale.deadline  # the phase under way keeps its end
    r.to_next_deadline()
    exhale = r.phases()[-1]
    assert exhale.kind is PhaseKind.EXHALE
    assert exhale.deadline == pytest.approx(exhale.start + slower.exhale)
    r.session.change_pace(-1)
    assert r.session.pace == PACE


def test_change_pace_stays_within_bounds() -> None:
    r = rig(pace=Pace(Pace.MAX_SECONDS - 0.2, Pace.MIN_SECONDS + 0.2))
    r.session.change_pace(+1)
    assert r.session.pace == Pace(Pace.MAX_SECONDS, Pace.MIN_SECONDS + 0.7)
    r.session.set_pace(Pace(Pace.MIN_SECONDS + 0.2, 5.0))
    r.session.change_pace(-1)
    assert r.session.pace == Pace(Pace.MIN_SECONDS, 4.5)
    count = len(r.events)
    r.session.set_pace(r.session.pace)
    assert len(r.events) == count  # no change, no event


def test_four_taps_set_the_pace_keeping_the_ratio() -> None:
    r = reach(State.BREATHING)  # a step at pace 1.0; PACE is 2:3
    for _ in range(3):
        r.session.tap()
        r.clock.advance(0.01)
    r.clock.advance(60)  # too long a gap: the measurement starts over
    for _ in range(4):
        r.session.tap()
        r.clock.advance(10.0)
    assert r.events[-1] == PaceChanged(Pace(pytest.approx(4.0), pytest.approx(6.0)))  # type: ignore[arg-type]


def test_tapping_divides_out_the_steps_own_pace_and_is_bounded() -> None:
    r = rig(pace=Pace(2.0, 2.0))
    r.session.start()
    r.run_until(lambda: r.session.step_index == 2)  # heel slide: pace 1.5
    for _ in range(4):
        r.session.tap()
        r.clock.advance(6.0)
    assert r.session.pace == Pace(pytest.approx(2.0), pytest.approx(2.0))  # type: ignore[arg-type]
    for _ in range(4):
        r.session.tap()
        r.clock.advance(1.0)
    assert r.session.pace == Pace(Pace.MIN_SECONDS, Pace.MIN_SECONDS)


# -- progress and time -------------------------------------------------------------------


def test_progress_starts_at_zero_and_counts_the_whole_plan() -> None:
    r = rig()
    total = total_length(r.session.plans)
    assert r.session.progress() == Progress(0.0, 0.0, pytest.approx(total))  # type: ignore[arg-type]
    r.session.start()
    r.clock.advance(1.5)
    p = r.session.progress()
    assert p.routine_fraction == pytest.approx(1.5 / total)
    assert p.step_fraction == 0.0  # get-ready is before the step
    assert p.remaining_seconds == pytest.approx(total - 1.5)


def test_progress_never_goes_back_when_a_phase_restarts_after_a_pause() -> None:
    r = reach(State.BREATHING)
    r.clock.advance(1.0)
    shown = r.session.progress()
    r.session.pause()
    r.session.resume()
    again = r.session.progress()
    assert (again.step_fraction, again.routine_fraction) == (shown.step_fraction,
                                                             shown.routine_fraction)  # fmt: skip
    assert again.remaining_seconds == pytest.approx(shown.remaining_seconds + 1.5)


def test_a_forty_minute_routine_ends_when_the_plan_says_to_the_millisecond() -> None:
    step = {
        "title": "Long breath",
        "instruction": "Breathe.",
        "intro": "Breathe slowly.",
        "illustration": "s.svg",
        "breaths": {"cycles": 15, "hold": 1, "cues": [{"on": "every", "exhale": "Out"}]},
    }
    data = {"id": "forty", "title": "Forty", "summary": "Long.",
            "steps": [{"id": f"s{i}", **step} for i in range(10)]}  # fmt: skip
    r = rig(routine=steps(data), pace=Pace(4.0, 4.0), timing=Timing(get_ready=5.0))
    total = total_length(r.session.plans)
    assert 40 * 60 <= total < 50 * 60
    start = r.clock.now()
    r.session.start()
    # Pause twice mid-phase: each costs its paused time, "Ready." and the phase's restart.
    cost = 0.0
    for at in (600.25, 1800.7):
        r.clock.advance(start + at - r.clock.now())
        phase_start = r.phases()[-1].start
        r.session.pause()
        r.clock.advance(33.3)
        r.session.resume()
        cost += (r.clock.now() - 33.3 - phase_start) + 33.3 + announce_length(SPEECH, READY_CUE)
    r.clock.run_until_idle()
    finished = r.events[-1]
    assert isinstance(finished, Finished)
    assert abs(r.clock.now() - (start + total + cost)) < 0.001
    assert abs(finished.active_seconds - (total + cost - 2 * 33.3)) < 0.001


def test_steps_done_counts_the_steps_followed_and_skipped_those_passed_over() -> None:
    r = reach(State.INTRO)
    r.session.next()  # the blankets, while they are explained: skipped
    r.run_until(lambda: r.session.step_index == 2)  # the arch to its end: done
    r.session.stop()
    finished = r.events[-1]
    assert isinstance(finished, Finished)
    assert (finished.steps_done, finished.skipped) == (1, (0,))


def test_i_am_ready_on_a_waiting_set_up_step_counts_it_done() -> None:
    r = reach(State.WAITING)
    r.session.primary()
    r.session.stop()
    finished = r.events[-1]
    assert isinstance(finished, Finished)
    assert (finished.steps_done, finished.skipped) == (1, ())


def test_listeners_calling_back_still_see_events_in_order() -> None:
    r = rig()
    seen: list[str] = []

    def pause_on_intro(event: object) -> None:
        seen.append(type(event).__name__)
        if isinstance(event, PhaseStarted) and event.kind is PhaseKind.INTRO:
            r.session.pause()

    r.session.subscribe(pause_on_intro)
    r.session.start()
    r.to_next_deadline()
    assert seen == ["StepStarted", "PhaseStarted", "PhaseStarted", "Paused"]
    assert r.session.state is State.PAUSED


def test_timing_defaults_match_the_settings_defaults() -> None:
    from stretchcoach.settings import Settings

    defaults = Settings()
    assert dataclasses.replace(defaults.timing, welcome=None) == Timing()
