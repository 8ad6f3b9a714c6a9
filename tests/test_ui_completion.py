"""Ending a session: the stop question, and the completion screen.

The app is built exactly as ``stretchcoach`` builds it (``tests/app_harness.py``).
"""

from __future__ import annotations

import gc
import weakref

import pytest
from app_harness import (
    QT_NOISE,
    K,
    Make,
    start,
)
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from stretchcoach.coach.session import State
from stretchcoach.coach.states import RUNNING
from stretchcoach.coach.timeline import STOPPED_CUE
from stretchcoach.ui import window as window_module

pytestmark = QT_NOISE


def test_escape_asks_first_and_keeps_going_when_told(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    asked: list[State] = []

    def keep_going(_parent: QWidget) -> bool:
        asked.append(h.session.state)
        return False

    monkeypatch.setattr(window_module, "ask_to_stop", keep_going)
    h.press(qtbot, K.Key_Escape)
    assert asked == [State.PAUSED]  # the voice is quiet while the question is asked
    assert h.session.state is State.READY and h.window.current_screen() is h.view


def test_escape_stops_after_confirmation_and_shows_what_was_done(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make()
    start(h, qtbot)
    h.press(qtbot, K.Key_Right)
    monkeypatch.setattr(window_module, "ask_to_stop", lambda _parent: True)
    h.press(qtbot, K.Key_Escape)
    completion = h.window.completion
    assert completion is not None and h.window.current_screen() is completion
    assert completion.heading.text() == "Stopped for now."
    assert h.window.windowTitle() == "Session ended — StretchCoach"
    assert f"of {len(h.session.plans)} steps" in completion.summary.text()
    h.press(qtbot, K.Key_Escape)  # Esc on the last screen: back to the list
    assert h.window.current_screen() is h.window.picker


def test_a_stopped_session_says_how_to_get_up_and_nothing_cuts_it_short(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12: nobody is left lying in silence. The ending is handed to the sound output
    after the cue under way is stopped, and stays there while the completion screen shows;
    Again (another session) silences it, quitting too."""
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    monkeypatch.setattr(window_module, "ask_to_stop", lambda _parent: True)
    h.press(qtbot, K.Key_Escape)
    assert h.window.current_screen() is h.window.completion
    qtbot.waitUntil(lambda: h.played(STOPPED_CUE))
    assert h.voice.calls[-1].startswith("play ")  # nothing stopped it after it was handed on
    h.clock.advance(5)
    assert h.voice.calls[-1].startswith("play ")
    before = len(h.voice.calls)
    h.press(qtbot, K.Key_Space)  # Again: the new session's words replace it
    assert "stop" in h.voice.calls[before:]


@pytest.mark.parametrize("how", ["again", "another routine"])
def test_a_new_session_after_one_stopped_while_paused_shows_no_stale_pause(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Issue 14, item 1: the badge said "Paused · Space to go on" beside a running pacer,
    and Space (as it said) paused the running session."""
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    h.press(qtbot, K.Key_Space)
    assert h.view.paused_badge.isVisible()
    monkeypatch.setattr(window_module, "ask_to_stop", lambda _parent: True)
    h.press(qtbot, K.Key_Escape)
    assert h.window.current_screen() is h.window.completion
    if how == "again":
        h.press(qtbot, K.Key_Space)
    else:
        h.press(qtbot, K.Key_Escape)
        h.press(qtbot, K.Key_Down)
        start(h, qtbot)
    assert h.window.current_screen() is h.view and h.session.state in RUNNING
    assert not h.view.paused_badge.isVisible() and not h.view.figure.paused()
    assert h.window.actions_.toggle.text() == "Pause"
    h.press(qtbot, K.Key_Space)  # now Space pauses, and the badge says so
    assert h.session.state is State.PAUSED and h.view.paused_badge.isVisible()


def test_the_whole_routine_ends_on_the_completion_screen_and_space_goes_again(
    make: Make, qtbot: QtBot
) -> None:
    h = make()
    start(h, qtbot)
    count = len(h.session.plans)
    for _ in range(count):
        h.clock.advance(600)  # breath steps run out on their own ...
        if h.session.state is State.WAITING:
            h.press(qtbot, K.Key_Space)  # ... manual ones wait for the person
    qtbot.waitUntil(lambda: h.window.current_screen() is h.window.completion)
    completion = h.window.completion
    assert completion is not None
    assert completion.heading.text() == "Well done."
    assert f"{count} of {count} steps" in completion.summary.text()
    assert h.window.windowTitle() == "Well done — StretchCoach"
    assert completion.asking  # the journal's questions first: Esc skips them all
    h.press(qtbot, K.Key_Escape)
    assert completion.again_button.hasFocus()
    h.press(qtbot, K.Key_Space)
    assert h.window.current_screen() is h.view and h.session.step_index == 0


class _Cycle:
    """An object in a reference cycle: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_what_a_session_left_in_cycles_is_collected_when_it_ends(make: Make, qtbot: QtBot) -> None:
    """Its memory goes back to the system with the rest (``heap.trim``), rather than
    whenever the collector next chooses: ``bench/memory.py``'s growth over 20 sessions."""
    h = make()
    start(h, qtbot)
    gc.disable()  # no collection but the app's own
    try:
        left = weakref.ref(_Cycle())
        assert left() is not None
        for _ in range(len(h.session.plans)):
            h.clock.advance(600)
            if h.session.state is State.WAITING:
                h.press(qtbot, K.Key_Space)
        qtbot.waitUntil(lambda: h.window.current_screen() is h.window.completion)
        assert left() is None
    finally:
        gc.enable()


def test_the_stop_question_is_answered_with_keys(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    asked: list[str] = []

    def answer(key: K) -> None:
        """The question, shown for real, answered with ``key`` instead of a modal loop."""

        def exec_(box: QMessageBox) -> int:
            asked.append(box.text())
            box.show()
            box.activateWindow()
            qtbot.waitUntil(box.isActiveWindow)
            qtbot.keyClick(box, key)
            qtbot.waitUntil(lambda: not box.isVisible())  # a mnemonic clicks after a flash
            h.window.activateWindow()  # as the window manager does when a dialog closes
            qtbot.waitUntil(h.window.isActiveWindow)
            return box.result()

        monkeypatch.setattr(QMessageBox, "exec", exec_)

    answer(K.Key_Return)  # the default answer: keep going
    h.press(qtbot, K.Key_Escape)
    assert h.session.state is State.READY and h.window.current_screen() is h.view
    answer(K.Key_Escape)  # Esc in the question: keep going too
    h.press(qtbot, K.Key_Escape)
    assert h.session.state is State.READY
    answer(K.Key_S)  # S: stop
    h.press(qtbot, K.Key_Escape)
    assert h.window.current_screen() is h.window.completion
    assert asked == ["Stop this session?"] * 3
