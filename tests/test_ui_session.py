"""The session screen: every key of a session, what it shows and says.

The app is built exactly as ``stretchcoach`` builds it (``tests/app_harness.py``).
"""

from __future__ import annotations

import pytest
from app_harness import (
    QT_NOISE,
    K,
    Make,
    cut_texts,
    overlapping,
    start,
    to_first_manual_step,
    until_waiting,
)
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from stretchcoach.coach.ports import Pace, PhaseKind
from stretchcoach.coach.session import State, stepped_pace
from stretchcoach.coach.timeline import SKIPPING_CUE, pace_cue
from stretchcoach.ui.window import Command

pytestmark = QT_NOISE


def test_space_starts_the_routine_and_the_title_shows_the_step(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    first = h.session.plans[0].step
    routine = h.app.catalog.default
    assert routine is not None
    assert h.window.windowTitle() == f"{first.title} · {routine.title} — StretchCoach"
    assert h.view.title.text() == first.title
    shown = h.view.position.text()  # the name, shortened if the header is short of room
    assert shown.endswith(f" · Step 1 of {len(h.session.plans)}") and shown.startswith("Lower")
    assert h.session.state is State.INTRO
    assert h.window.focusWidget() is h.view.buttons[2]  # the big Pause / I'm ready button


def test_the_get_ready_comes_first_when_set(make: Make, qtbot: QtBot) -> None:
    h = make(get_ready=5.0)
    start(h, qtbot)
    assert h.session.state is State.GET_READY
    assert h.view.phase.text() == "Get ready" and h.view.breath_panel.isVisible()
    assert h.window.actions_.toggle.text() == "Pause"


def test_breath_step_shows_the_pacer_phase_count_and_cue(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    phase = h.session.phase
    assert phase is not None and phase.kind is PhaseKind.INHALE
    assert h.view.phase.text() == "Breathe in"
    cycles = h.session.plans[h.session.step_index].cycles
    assert h.view.breath_count.text() == f"breath 1 of {cycles}"
    assert h.view.pacer.is_animating()
    assert not h.view.hint.isVisible() and h.view.breath_panel.isVisible()
    h.clock.advance(phase.length)
    assert h.view.phase.text() == "Breathe out"
    assert h.view.caption.text()  # the cue of the phase (or the intro before it)


def test_space_pauses_everything_and_resumes(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    h.voice.calls.clear()
    h.press(qtbot, K.Key_Space)
    assert h.session.state is State.PAUSED
    assert h.view.paused_badge.isVisible()
    assert h.app.controller is not None
    assert not h.view.pacer.is_animating() and not h.app.controller.refresh.isActive()
    assert h.voice.calls and h.voice.calls[0] == "stop"
    assert h.view.figure.paused()
    assert h.window.actions_.toggle.text() == "Resume"
    progress = h.view.routine_bar.value()
    h.clock.advance(30)
    assert h.view.routine_bar.value() == progress and h.session.state is State.PAUSED

    h.press(qtbot, K.Key_Space)
    assert h.session.state is State.READY
    assert not h.view.paused_badge.isVisible()
    assert h.window.actions_.toggle.text() == "Pause"
    assert h.app.controller.refresh.isActive()


def test_a_manual_step_waits_for_space(make: Make, qtbot: QtBot) -> None:
    h = make()
    index = to_first_manual_step(h, qtbot)
    until_waiting(h)
    assert h.view.hint.isVisible() and h.view.hint.text() == "Press Space\nwhen ready"
    assert h.window.actions_.toggle.text() == "I'm ready"
    h.press(qtbot, K.Key_Space)
    assert h.session.step_index == index + 1


def test_space_during_a_set_up_steps_introduction_pauses_rather_than_skips(
    make: Make, qtbot: QtBot
) -> None:
    h = make()
    index = to_first_manual_step(h, qtbot)
    assert not h.view.hint.isVisible()  # not ready to be ready: it is still being explained
    assert h.window.actions_.toggle.text() == "Pause"
    h.press(qtbot, K.Key_Space)  # to quiet the voice
    assert (h.session.state, h.session.step_index) == (State.PAUSED, index)
    assert h.voice.calls[-1] == "stop"
    h.press(qtbot, K.Key_Space)  # a double tap: paused, then on again -- nothing skipped
    assert (h.session.state, h.session.step_index) == (State.READY, index)
    until_waiting(h)  # the introduction again, then the wait
    assert h.session.step_index == index and h.view.hint.isVisible()


def test_a_paused_set_up_step_shows_one_meaning_of_space(make: Make, qtbot: QtBot) -> None:
    h = make()
    h.window.resize(800, 600)
    index = to_first_manual_step(h, qtbot)
    until_waiting(h)
    h.press(qtbot, K.Key_MediaPause)
    assert h.session.state is State.PAUSED
    assert h.view.paused_badge.isVisible() and not h.view.hint.isVisible()
    assert h.window.actions_.toggle.text() == "Resume"
    qtbot.waitUntil(lambda: cut_texts(h.window) == [] and overlapping(h.window) == [])
    h.press(qtbot, K.Key_Space)  # goes on ("Ready."), then waits again with the hint back
    until_waiting(h)
    assert h.session.step_index == index
    assert h.view.hint.isVisible() and not h.view.paused_badge.isVisible()


def test_arrows_move_between_steps_and_r_repeats_the_step(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    titles = [p.step.title for p in h.session.plans]
    h.press(qtbot, K.Key_Right)
    assert h.session.step_index == 1 and h.view.title.text() == titles[1]
    assert h.window.windowTitle().startswith(f"{titles[1]} · ")
    assert h.view.next_title.text() == (
        f"Next: {titles[2]}" if len(titles) > 2 else "Next: the end"
    )
    h.press(qtbot, K.Key_Left)
    assert h.session.step_index == 0 and h.view.title.text() == titles[0]
    h.press(qtbot, K.Key_Right)
    h.clock.advance(h.session.plans[1].length / 2)
    h.press(qtbot, K.Key_R)
    assert h.session.step_index == 1 and h.session.state is State.INTRO


@pytest.mark.parametrize(
    ("key", "modifier"),
    [(K.Key_X, Qt.KeyboardModifier.NoModifier), (K.Key_Right, Qt.KeyboardModifier.ShiftModifier)],
)
def test_x_and_shift_right_skip_the_rest_of_the_stretch_and_say_so(
    make: Make, qtbot: QtBot, key: K, modifier: Qt.KeyboardModifier
) -> None:
    h = make()
    start(h, qtbot)
    steps = [p.step for p in h.session.plans]
    sided = next(i for i, s in enumerate(steps) if s.side and steps[i + 1].stretch == s.stretch)
    while h.session.step_index != sided:
        h.press(qtbot, K.Key_Right)
    h.until_breathing(qtbot)
    after = next(i for i in range(sided, len(steps)) if steps[i].stretch != steps[sided].stretch)
    h.voice.calls.clear()
    h.press(qtbot, key, modifier)
    assert h.session.step_index == after and h.view.title.text() == steps[after].title
    phase = h.session.phase
    assert h.session.state is State.READY and h.view.caption.text() == f"“{SKIPPING_CUE}”"
    assert phase is not None and phase.kind is PhaseKind.INTRO  # said before its intro
    assert h.voice.calls[0] == "stop"  # the cue under way stops at once
    qtbot.waitUntil(lambda: h.played(SKIPPING_CUE))


def test_a_steps_own_caution_shows_on_that_step_when_paused(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    steps = [p.step for p in h.session.plans]
    assert any(s.caution for s in steps) and not all(s.caution for s in steps)
    for index, step in enumerate(steps):
        while h.session.step_index != index:
            h.press(qtbot, K.Key_Right)
        details = h.view.details.text()  # read when paused, with the instruction's rest
        assert (f"Take care: {step.caution}" in details) == bool(step.caution), step.title
        assert details.count("Take care:") <= 1


@pytest.mark.parametrize("size", [(800, 600), (1920, 1080)])
def test_the_routines_name_shows_shortened_when_long_and_cuts_nothing(
    make: Make, qtbot: QtBot, size: tuple[int, int]
) -> None:
    h = make()
    longest = max(h.app.catalog.entries, key=lambda e: len(e.title))
    h.window.resize(*size)
    qtbot.waitUntil(lambda: h.window.size() == QSize(*size))
    h.window.picker.select(longest.id)
    start(h, qtbot)
    shown = h.view.position.text()
    name = shown.removesuffix(f" · Step 1 of {len(h.session.plans)}")
    assert name != shown and (name == longest.title or longest.title.startswith(name[:-1]))
    assert h.window.size() == QSize(*size)  # the name did not widen the window
    qtbot.waitUntil(lambda: cut_texts(h.window) == [] and overlapping(h.window) == [])
    h.view.show_routine("A very long routine name, as the format allows up to eighty chars")
    h.press(qtbot, K.Key_Right)
    shown = h.view.position.text()
    assert shown.startswith("A very") and shown.endswith(f"… · Step 2 of {len(h.session.plans)}")
    assert "eighty chars" in h.view.position.accessibleDescription()


def test_c_repeats_the_cue_in_the_caption_and_the_voice(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    h.view.caption.setText("")
    h.voice.calls.clear()
    h.press(qtbot, K.Key_C)
    assert h.view.caption.text().startswith("“")
    assert "stop" in h.voice.calls


def test_plus_and_minus_change_the_pace_and_it_is_remembered(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    before = h.session.pace
    h.press(qtbot, K.Key_Plus)
    assert h.session.pace.inhale > before.inhale
    assert h.saved_settings().pace == h.session.pace
    h.press(qtbot, K.Key_Minus)
    h.press(qtbot, K.Key_Minus)
    assert h.session.pace.inhale < before.inhale
    assert h.saved_settings().pace == h.session.pace


@pytest.mark.parametrize("size", [(800, 600), (1280, 800)])
def test_plus_and_minus_show_and_say_the_new_pace_made_ahead(
    make: Make, qtbot: QtBot, size: tuple[int, int]
) -> None:
    """Issue 14: the new pace on screen and in the voice at once, its words synthesized
    before the key is pressed (the planner keeps the paces one key away ready)."""
    h = make()
    h.window.resize(*size)
    start(h, qtbot)
    h.until_breathing(qtbot)
    voice = h.app.services.voice if h.app.services else None
    assert voice is not None
    for key, direction, shown in (
        (K.Key_Plus, +1, "Breath: 2.5 s in, 3.5 s out"),
        (K.Key_Minus, -1, "Breath: 2 s in, 3 s out"),
    ):
        said = pace_cue(stepped_pace(h.session.pace, direction))
        # ahead: made by the natural voice, whose worker starts for words not cached yet
        qtbot.waitUntil(lambda said=said: voice.planner.clip(said) is not None, timeout=60_000)
        h.press(qtbot, key)
        assert h.view.pace_note.text() == shown and h.view.pace_note.isVisible()
        assert h.played(said)  # at once: no synthesis between the key and the voice
        qtbot.waitUntil(lambda: cut_texts(h.window) == [] and overlapping(h.window) == [])
    h.press(qtbot, K.Key_Right)
    assert h.view.pace_note.text() == ""  # until the next step


def test_t_shows_its_taps_as_they_come_then_shows_and_says_the_pace(
    make: Make, qtbot: QtBot
) -> None:
    h = make()
    h.window.resize(800, 600)
    start(h, qtbot)
    h.until_breathing(qtbot)
    for tap in (1, 2, 3):
        h.press(qtbot, K.Key_T)
        assert h.view.pace_note.text() == f"Tap {tap} of 4: on each breath out"
        qtbot.waitUntil(lambda: cut_texts(h.window) == [] and overlapping(h.window) == [])
        h.clock.advance(8.0)
    assert h.session.pace == Pace(2.0, 3.0)
    h.press(qtbot, K.Key_T)  # the fourth: an 8 s breath, shared 2:3
    assert h.session.pace == Pace(3.2, 4.8)
    assert h.view.pace_note.text() == "Breath: 3.2 s in, 4.8 s out"
    qtbot.waitUntil(lambda: h.played(pace_cue(Pace(3.2, 4.8))))  # made when it comes
    assert h.saved_settings().pace == h.session.pace


def test_t_taps_the_pace(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    for _ in range(5):
        h.press(qtbot, K.Key_T)
        h.clock.advance(8.0)
        if h.session.state is State.FINISHED:
            break
    assert h.session.pace != Pace(2.0, 3.0)
    assert h.saved_settings().pace == h.session.pace


@pytest.mark.parametrize(
    ("key", "effect"),
    [
        (K.Key_MediaTogglePlayPause, "pause"),
        (K.Key_MediaPause, "pause"),
        (K.Key_MediaNext, "next"),
        (K.Key_MediaPrevious, "previous"),
    ],
)
def test_media_keys(make: Make, qtbot: QtBot, key: K, effect: str) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    if effect == "previous":
        h.press(qtbot, K.Key_Right)
    index = h.session.step_index
    h.press(qtbot, key)
    if effect == "pause":
        assert h.session.state is State.PAUSED
        h.press(qtbot, K.Key_MediaPlay)
        assert h.session.state is State.READY
    else:
        assert h.session.step_index == index + (1 if effect == "next" else -1)


def test_every_button_is_the_same_as_its_key(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    expected = {
        "Previous": Command.PREVIOUS, "Repeat step": Command.REPEAT_STEP, "Pause": Command.PRIMARY,
        "Next": Command.NEXT, "Skip stretch": Command.SKIP_STRETCH,
        "Repeat cue": Command.REPEAT_CUE,
    }  # fmt: skip
    for button in h.view.buttons:
        text = button.text()
        if text == "Stop":
            continue
        with qtbot.waitSignal(h.window.command) as emitted:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert emitted.args == [expected[text]], text
        if h.session.state is State.PAUSED:
            h.press(qtbot, K.Key_Space)
        h.until_breathing(qtbot)


def test_enter_presses_the_focused_button_and_tab_moves_in_order(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    buttons = h.view.buttons
    buttons[0].setFocus()
    order = [buttons[0].text()]
    for _ in buttons[1:]:
        qtbot.keyClick(h.window.focusWidget(), K.Key_Tab)
        focused = h.window.focusWidget()
        assert isinstance(focused, QPushButton)
        order.append(focused.text())
    assert order == [b.text() for b in buttons]
    next_button = next(b for b in buttons if b.text() == "Next")
    next_button.setFocus()
    index = h.session.step_index
    qtbot.keyClick(next_button, K.Key_Return)
    assert h.session.step_index == index + 1
