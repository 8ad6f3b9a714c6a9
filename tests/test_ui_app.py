"""The whole window, driven from the keyboard on the offscreen platform.

The app is built exactly as ``stretchcoach`` builds it (``Coach``), from the real bundled
routines and settings files, with two stand-ins: a simulated clock (time moves when a test
says so) and a recording sound output instead of a sound card. Every key goes to the
window with ``qtbot.keyClick``, so it travels the same shortcut path as a real key press.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from fake_output import ChannelLog, FakeOutput
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from stretchcoach import settings as settings_store
from stretchcoach.coach.ports import Pace, PhaseKind
from stretchcoach.coach.session import Session, State
from stretchcoach.coach.simclock import SimScheduler
from stretchcoach.routine.catalog import user_routines_dir
from stretchcoach.settings import Settings
from stretchcoach.ui import app as app_module
from stretchcoach.ui import session_view as session_view_module
from stretchcoach.ui import window as window_module
from stretchcoach.ui.app import Coach, Services, picker_items
from stretchcoach.ui.audio import VoicePlayer
from stretchcoach.ui.output import NO_OUTPUT
from stretchcoach.ui.session_view import SessionView
from stretchcoach.ui.settings_dialog import SettingsDialog
from stretchcoach.ui.widgets import clock_text
from stretchcoach.ui.window import Intent

# Said by the offscreen platform when a window shows, and by QTest when it types a media
# key; neither is about our code.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints", "keyToAscii")
K = Qt.Key


class Harness:
    def __init__(self, coach: Coach, clock: SimScheduler, voice: ChannelLog) -> None:
        self.coach, self.clock, self.voice = coach, clock, voice
        self.window = coach.window

    @property
    def session(self) -> Session:
        assert self.coach.controller is not None and self.coach.controller.session is not None
        return self.coach.controller.session

    @property
    def view(self) -> SessionView:
        assert self.window.session_view is not None
        return self.window.session_view

    def press(
        self, qtbot: QtBot, key: K, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        qtbot.keyClick(self.window, key, modifier)

    def until_breathing(self, qtbot: QtBot) -> None:
        """Skip to a breath-paced step and into its first breath."""
        while self.session.plans[self.session.step_index].step.is_manual:
            self.press(qtbot, K.Key_Right)
        while self.session.state is not State.BREATHING:
            self.clock.advance(0.25)


Make = Callable[..., Harness]


@pytest.fixture
def make(qtbot: QtBot, warm_speech: None) -> Iterator[Make]:
    made: list[Coach] = []

    def build(routine_id: str | None = None, **changes: object) -> Harness:
        base = {"seen_safety_note": True, "get_ready": 0.0, "inhale": 2.0, "exhale": 3.0}
        if changes.get("seen_safety_note", True) is not None:
            settings_store.save(Settings.model_validate({**base, **changes}))
        clock = SimScheduler(start=1000.0)
        output = FakeOutput(clock.now)

        def services(settings: Settings) -> Services:
            return Services(clock, VoicePlayer(settings, output=output))

        coach = Coach(routine_id, services)
        made.append(coach)
        qtbot.addWidget(coach.window)
        coach.show()
        qtbot.waitExposed(coach.window)
        coach.window.activateWindow()
        qtbot.waitUntil(lambda: coach.controller is not None)  # built after the first frame
        return Harness(coach, clock, output.voice)

    yield build
    for coach in made:
        coach.close()


def start(h: Harness, qtbot: QtBot) -> None:
    h.press(qtbot, K.Key_Space)
    qtbot.waitUntil(lambda: h.window.current_screen() is h.window.session_view)


# The picker ---------------------------------------------------------------------------------


def test_opens_on_the_picker_with_the_default_routine_selected(make: Make) -> None:
    h = make()
    default = h.coach.catalog.default
    assert default is not None
    assert h.window.current_screen() is h.window.picker
    assert h.window.picker.selected_id() == default.id
    assert h.window.windowTitle() == "StretchCoach"
    assert default.title in h.window.picker.title.text()
    assert "minute" in h.window.picker.facts.text()
    assert h.window.picker.list.count() == len(h.coach.catalog.entries)


def test_the_safety_note_shows_once_and_a_key_dismisses_it_for_good(
    make: Make, qtbot: QtBot
) -> None:
    h = make(seen_safety_note=False)
    assert h.window.picker.safety.isVisible() and not h.window.picker.details.isVisible()
    assert h.window.focusWidget() is h.window.picker.acknowledge_button
    h.press(qtbot, K.Key_Space)  # Space acknowledges the note; it does not start yet
    qtbot.waitUntil(lambda: not h.window.picker.safety.isVisible())
    assert h.window.picker.details.isVisible()
    assert h.window.focusWidget() is h.window.picker.list
    assert h.window.current_screen() is h.window.picker
    assert settings_store.load().settings.seen_safety_note
    again = make()
    assert not again.window.picker.safety.isVisible()


def test_a_routine_named_on_the_command_line_is_selected(make: Make) -> None:
    last = make().coach.catalog.entries[-1]
    h = make(last.id)
    assert h.window.picker.selected_id() == last.id


def test_a_corrupt_settings_file_is_kept_aside_and_the_window_says_so(make: Make) -> None:
    path = settings_store.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ not json", encoding="utf-8")
    h = make(seen_safety_note=None)
    notices = " ".join(h.window.picker.notices.texts())
    assert "not valid JSON" in notices and "corrupt" in notices
    assert list(path.parent.glob("settings.json.corrupt-*"))


def test_a_broken_routine_of_ones_own_is_reported_and_the_others_still_load(make: Make) -> None:
    folder = user_routines_dir()
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text("id: mine\ntitle: Mine\nsteps: 3\n", encoding="utf-8")
    h = make()
    notices = " ".join(h.window.picker.notices.texts())
    assert "mine.yaml" in notices
    assert h.window.picker.list.count() == len(h.coach.catalog.entries) > 0


def test_no_sound_output_is_a_notice_not_an_error(make: Make) -> None:
    h = make()
    assert h.coach.services is not None
    h.coach.services.voice.noticeChanged.emit("No sound output was found.")
    assert "No sound output was found." in h.window.picker.notices.texts()
    h.coach.services.voice.noticeChanged.emit("")
    assert not any("sound" in text for text in h.window.picker.notices.texts())


# A session ------------------------------------------------------------------------------------


def test_space_starts_the_routine_and_the_title_shows_the_step(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    first = h.session.plans[0].step
    assert h.window.windowTitle() == f"{first.title} — StretchCoach"
    assert h.view.title.text() == first.title
    assert h.view.position.text() == f"Step 1 of {len(h.session.plans)}"
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
    assert h.coach.controller is not None
    assert not h.view.pacer.is_animating() and not h.coach.controller.refresh.isActive()
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
    assert h.coach.controller.refresh.isActive()


def _to_first_manual_step(h: Harness, qtbot: QtBot) -> int:
    """Start the default routine and go to its first set-up step (in its introduction)."""
    start(h, qtbot)
    manual = [i for i, p in enumerate(h.session.plans) if p.step.is_manual]
    if not manual:
        pytest.skip("the default routine has no manual step")
    while h.session.step_index != manual[0]:
        h.press(qtbot, K.Key_Right)
    assert h.session.state is State.INTRO
    return manual[0]


def _until_waiting(h: Harness) -> None:
    while h.session.state is not State.WAITING:
        h.clock.advance(0.25)


def test_a_manual_step_waits_for_space(make: Make, qtbot: QtBot) -> None:
    h = make()
    index = _to_first_manual_step(h, qtbot)
    _until_waiting(h)
    assert h.view.hint.isVisible() and h.view.hint.text() == "Press Space\nwhen ready"
    assert h.window.actions_.toggle.text() == "I'm ready"
    h.press(qtbot, K.Key_Space)
    assert h.session.step_index == index + 1


def test_space_during_a_set_up_steps_introduction_pauses_rather_than_skips(
    make: Make, qtbot: QtBot
) -> None:
    h = make()
    index = _to_first_manual_step(h, qtbot)
    assert not h.view.hint.isVisible()  # not ready to be ready: it is still being explained
    assert h.window.actions_.toggle.text() == "Pause"
    h.press(qtbot, K.Key_Space)  # to quiet the voice
    assert (h.session.state, h.session.step_index) == (State.PAUSED, index)
    assert h.voice.calls[-1] == "stop"
    h.press(qtbot, K.Key_Space)  # a double tap: paused, then on again -- nothing skipped
    assert (h.session.state, h.session.step_index) == (State.READY, index)
    _until_waiting(h)  # the introduction again, then the wait
    assert h.session.step_index == index and h.view.hint.isVisible()


def test_a_paused_set_up_step_shows_one_meaning_of_space(make: Make, qtbot: QtBot) -> None:
    h = make()
    h.window.resize(800, 600)
    index = _to_first_manual_step(h, qtbot)
    _until_waiting(h)
    h.press(qtbot, K.Key_MediaPause)
    assert h.session.state is State.PAUSED
    assert h.view.paused_badge.isVisible() and not h.view.hint.isVisible()
    assert h.window.actions_.toggle.text() == "Resume"
    qtbot.waitUntil(lambda: _cut_texts(h.window) == [] and _overlapping(h.window) == [])
    h.press(qtbot, K.Key_Space)  # goes on ("Ready."), then waits again with the hint back
    _until_waiting(h)
    assert h.session.step_index == index
    assert h.view.hint.isVisible() and not h.view.paused_badge.isVisible()


def test_arrows_move_between_steps_and_r_repeats_the_step(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    titles = [p.step.title for p in h.session.plans]
    h.press(qtbot, K.Key_Right)
    assert h.session.step_index == 1 and h.view.title.text() == titles[1]
    assert h.window.windowTitle() == f"{titles[1]} — StretchCoach"
    assert h.view.next_title.text() == (
        f"Next: {titles[2]}" if len(titles) > 2 else "Next: the end"
    )
    h.press(qtbot, K.Key_Left)
    assert h.session.step_index == 0 and h.view.title.text() == titles[0]
    h.press(qtbot, K.Key_Right)
    h.clock.advance(h.session.plans[1].length / 2)
    h.press(qtbot, K.Key_R)
    assert h.session.step_index == 1 and h.session.state is State.INTRO


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
    assert settings_store.load().settings.pace == h.session.pace
    h.press(qtbot, K.Key_Minus)
    h.press(qtbot, K.Key_Minus)
    assert h.session.pace.inhale < before.inhale
    assert settings_store.load().settings.pace == h.session.pace


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
    assert settings_store.load().settings.pace == h.session.pace


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
    h.press(qtbot, K.Key_Space)
    assert h.window.current_screen() is h.view and h.session.step_index == 0


def test_every_button_is_the_same_as_its_key(make: Make, qtbot: QtBot) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    expected = {
        "Previous": Intent.PREVIOUS, "Repeat step": Intent.REPEAT_STEP, "Pause": Intent.PAUSE,
        "Next": Intent.NEXT, "Repeat cue": Intent.REPEAT_CUE,
    }  # fmt: skip
    for button in h.view.buttons:
        text = button.text()
        if text == "Stop":
            continue
        with qtbot.waitSignal(h.window.intent) as emitted:
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


def test_f_toggles_full_screen_and_ctrl_q_quits(make: Make, qtbot: QtBot) -> None:
    h = make()
    h.press(qtbot, K.Key_F)
    qtbot.waitUntil(h.window.isFullScreen)
    h.press(qtbot, K.Key_F)
    qtbot.waitUntil(lambda: not h.window.isFullScreen())
    start(h, qtbot)
    h.press(qtbot, K.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not h.window.isVisible())


def test_settings_open_with_s_and_are_saved_and_applied(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make()
    before = h.window.picker.facts.text()
    chosen = settings_store.load().settings.model_copy(update={"inhale": 6.0, "exhale": 8.0})
    monkeypatch.setattr(
        "stretchcoach.ui.controller.edit_settings", lambda dialog: chosen if dialog else None
    )
    h.press(qtbot, K.Key_S)
    saved = json.loads(settings_store.settings_path().read_text(encoding="utf-8"))
    assert (saved["inhale"], saved["exhale"]) == (6.0, 8.0)
    assert h.window.picker.facts.text() != before  # the lengths follow the new pace
    start(h, qtbot)
    assert h.session.pace == Pace(6.0, 8.0)


def test_settings_in_a_session_pause_it_meanwhile_and_apply_the_pace(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    seen: list[State] = []

    def slower(dialog: SettingsDialog) -> Settings:
        seen.append(h.session.state)
        dialog.inhale.setValue(5.0)
        return dialog.edited()

    monkeypatch.setattr("stretchcoach.ui.controller.edit_settings", slower)
    h.press(qtbot, K.Key_S)
    assert seen == [State.PAUSED]
    assert h.session.state is State.READY and h.session.pace.inhale == 5.0


# Look and accessibility ---------------------------------------------------------------------


def _visible(root: QWidget, kind: type[QWidget]) -> list[QWidget]:
    return [w for w in root.findChildren(kind) if w.isVisibleTo(root) and w.isVisible()]


def test_every_control_has_an_accessible_name_and_a_tooltip_with_its_keys(
    make: Make, qtbot: QtBot
) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    for button in _visible(h.window, QPushButton):
        assert button.accessibleName() and button.accessibleDescription(), button.text()
    tips = {b.text(): b.toolTip() for b in h.view.buttons}
    assert tips["Next"] == "Next (Right)" and tips["Previous"] == "Previous (Left)"
    assert tips["Pause"] == "Pause (Space)" and tips["Stop"] == "Stop (Esc)"
    for bar in (h.view.step_bar, h.view.routine_bar):
        assert bar.accessibleName()


def _cut_texts(root: QWidget) -> list[str]:
    """The visible labels whose text does not fit the space the layout gave them."""
    cut = []
    for label in _visible(root, QLabel):
        assert isinstance(label, QLabel)
        if not label.text():
            continue
        if label.wordWrap():
            fits = label.height() >= label.heightForWidth(label.width()) - 1
        else:
            fits = label.width() >= label.sizeHint().width() - 1
        if not fits:
            cut.append(label.text())
    return cut


def _overlapping(root: QWidget) -> list[str]:
    """Visible sibling widgets that cover each other (the layouts should never allow it)."""
    found = []
    for parent in [root, *_visible(root, QWidget)]:
        children = [
            c for c in parent.children()
            if isinstance(c, QWidget) and c.isVisible() and not c.isWindow()
        ]  # fmt: skip
        for i, first in enumerate(children):
            for second in children[i + 1 :]:
                if first.geometry().intersects(second.geometry()):
                    found.append(
                        f"{first.accessibleName() or type(first).__name__} / "
                        f"{second.accessibleName() or type(second).__name__}"
                    )
    return found


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080), (900, 600), (800, 600)])
def test_type_is_large_and_nothing_is_cut_at_any_size(
    make: Make, qtbot: QtBot, size: tuple[int, int]
) -> None:
    h = make(seen_safety_note=False)
    h.window.resize(*size)
    qtbot.waitUntil(lambda: h.window.size().width() == size[0])

    def nothing_cut() -> None:
        assert _cut_texts(h.window) == []
        assert _overlapping(h.window) == []

    qtbot.waitUntil(nothing_cut)  # the picker, with the first-run safety note
    h.press(qtbot, K.Key_Space)
    qtbot.waitUntil(nothing_cut)  # the picker
    start(h, qtbot)
    qtbot.waitUntil(nothing_cut)  # a set-up step, explained
    _until_waiting(h)
    qtbot.waitUntil(nothing_cut)  # ... and waiting: "Press Space when ready"
    h.until_breathing(qtbot)
    qtbot.waitUntil(nothing_cut)
    title_px = h.view.title.fontInfo().pixelSize()
    smallest_title = {(1280, 800): 40, (1920, 1080): 50, (900, 600): 28, (800, 600): 26}[size]
    assert title_px >= smallest_title
    h.press(qtbot, K.Key_Space)  # the paused badge must fit too
    qtbot.waitUntil(nothing_cut)
    h.press(qtbot, K.Key_Space)
    while h.session.step_index + 1 < len(h.session.plans):  # every step, with its longest cue
        h.press(qtbot, K.Key_Right)
        h.until_breathing(qtbot) if not h.session.plans[
            h.session.step_index
        ].step.is_manual else None
        longest = max((p.cue or "" for p in h.session.plans[h.session.step_index].phases), key=len)
        h.view.show_cue(longest)
        qtbot.waitUntil(nothing_cut)


@pytest.mark.parametrize("size", [(1280, 800), (800, 600)])
def test_three_notices_cut_nothing_and_leave_the_session_its_room(
    make: Make, qtbot: QtBot, size: tuple[int, int]
) -> None:
    """A corrupt settings file, broken routines of one's own and no sound, all at once:
    the safety note is read whole, the picker says everything, the session one line."""
    settings_path = settings_store.settings_path()
    settings_path.parent.mkdir(parents=True, exist_ok=True)
    settings_path.write_text("{ not json", encoding="utf-8")
    folder = user_routines_dir()
    folder.mkdir(parents=True)
    for name in ("mine", "yours"):
        (folder / f"{name}.yaml").write_text(f"id: {name}\nsteps: 3\n", encoding="utf-8")
    h = make(seen_safety_note=None)
    assert h.coach.services is not None
    h.coach.services.voice.noticeChanged.emit(NO_OUTPUT)
    h.window.resize(*size)
    qtbot.waitUntil(lambda: h.window.size().width() == size[0])

    def nothing_cut() -> None:
        assert _cut_texts(h.window) == []
        assert _overlapping(h.window) == []

    assert h.window.picker.safety.isVisible()
    qtbot.waitUntil(nothing_cut)  # the first-run safety note, whole
    h.press(qtbot, K.Key_Space)
    qtbot.waitUntil(nothing_cut)  # every notice in full
    shown = " ".join(h.window.picker.notices.texts())
    assert "corrupt" in shown and "mine.yaml" in shown and "No sound output" in shown
    start(h, qtbot)
    qtbot.waitUntil(nothing_cut)
    brief = "No voice: captions only · 2 more notices on the routine list"
    assert h.view.notices.brief_label.text() == brief
    assert h.view.notices.height() < h.view.title.height()
    h.until_breathing(qtbot)
    qtbot.waitUntil(nothing_cut)
    assert h.view.figure.height() >= 0.3 * h.window.height()


def test_more_notices_than_fit_scroll_and_tab_brings_each_into_view(
    make: Make, qtbot: QtBot
) -> None:
    h = make()
    h.window.resize(800, 600)
    qtbot.waitUntil(lambda: h.window.size().width() == 800)
    for n in range(7):
        h.window.show_notice(f"n{n}", f"Notice {n}: " + "this routine file has a problem. " * 6)
    notices = h.window.picker.notices
    qtbot.waitUntil(lambda: notices.full.verticalScrollBar().maximum() > 0)
    assert _cut_texts(h.window) == [] and _overlapping(h.window) == []
    assert h.window.picker.list.height() > h.window.picker.title.height() * 3  # still choosable
    last = next(w for w in notices.findChildren(QLabel) if w.text().startswith("Notice 6"))
    assert last.visibleRegion().isEmpty()
    h.window.picker.list.setFocus()
    h.press(qtbot, K.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert last.hasFocus()  # Shift+Tab from the list: the last notice, from outside its area
    qtbot.waitUntil(lambda: not last.visibleRegion().isEmpty())


@pytest.mark.parametrize("size", [(1280, 800), (800, 600)])
def test_the_picture_keeps_its_share_and_stays_still_as_cues_change(
    make: Make, qtbot: QtBot, size: tuple[int, int]
) -> None:
    h = make()
    h.window.resize(*size)
    qtbot.waitUntil(lambda: h.window.size().width() == size[0])
    start(h, qtbot)
    smallest = round(h.view.height() * session_view_module.FIGURE_SHARE)
    for index, plan in enumerate(h.session.plans):
        while h.session.step_index != index:
            h.press(qtbot, K.Key_Right)
        heights = set()
        for phase in ("", *(p.cue for p in plan.phases if p.cue)):
            h.view.show_cue(phase)
            qtbot.waitUntil(lambda: _cut_texts(h.window) == [] and _overlapping(h.window) == [])
            heights.add(h.view.figure.height())
        assert len(heights) == 1, f"{plan.step.title}: the picture moved with the cue {heights}"
        assert heights.pop() >= smallest, plan.step.title


def test_the_dark_palette_is_dark_and_the_light_one_light(make: Make) -> None:
    h = make()
    h.window.apply_theme(True)
    dark = h.window.palette().window().color().lightness()
    h.window.apply_theme(False)
    light = h.window.palette().window().color().lightness()
    assert dark < 60 and light > 200


def test_a_missing_routine_id_is_a_notice(make: Make) -> None:
    h = make("no-such-routine")
    assert any("no-such-routine" in text for text in h.window.picker.notices.texts())
    assert h.window.picker.selected_id() is not None


def test_run_returns_zero_after_quit(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    settings_store.save(Settings(seen_safety_note=True))
    built: list[Coach] = []
    original: type[Coach] = app_module.Coach

    class Quitting(original):
        def show(self) -> None:
            super().show()
            built.append(self)
            quit_keys = partial(
                qtbot.keyClick, self.window, K.Key_Q, Qt.KeyboardModifier.ControlModifier
            )
            self.window.first_painted.connect(lambda: QTimer.singleShot(0, quit_keys))

    monkeypatch.setattr(app_module, "Coach", Quitting)
    assert app_module.run(None) == 0
    assert built and not built[0].window.isVisible()


def test_the_settings_dialog_taps_the_pace_with_the_engine(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make(inhale=2.0, exhale=3.0)

    def tap_four_times(dialog: SettingsDialog) -> Settings:
        for _ in range(4):
            qtbot.mouseClick(dialog.tap_button, Qt.MouseButton.LeftButton)
            h.clock.advance(8.0)  # one breath every 8 s: slower than the 5 s set
        assert "from your taps" in dialog.tap_status.text()
        return dialog.edited()

    monkeypatch.setattr("stretchcoach.ui.controller.edit_settings", tap_four_times)
    h.press(qtbot, K.Key_S)
    saved = settings_store.load().settings
    assert (saved.inhale, saved.exhale) == pytest.approx((3.2, 4.8))  # 8 s, shared 2:3


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


def test_ones_own_routines_are_listed_beside_the_bundled_ones(make: Make, qtbot: QtBot) -> None:
    default = make().coach.catalog.default
    assert default is not None
    folder = user_routines_dir()
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(
        "id: my-breaths\ntitle: My breaths\nsummary: Two quiet breaths.\nsteps:\n"
        "  - id: breathe\n    title: Breathe\n    instruction: Lie still and breathe.\n"
        f"    intro: Breathe.\n    illustration: {default.steps[-1].illustration}\n"
        "    breaths:\n      cycles: 2\n",
        encoding="utf-8",
    )
    h = make("my-breaths")
    texts = [h.window.picker.list.item(row).text() for row in range(h.window.picker.list.count())]
    assert "My breaths  ·  yours" in texts
    assert h.window.picker.selected_id() == "my-breaths"
    start(h, qtbot)
    assert h.view.title.text() == "Breathe"


def test_settings_that_cannot_be_saved_are_a_notice(
    make: Make, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make(seen_safety_note=False)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker / "config"))
    h.press(qtbot, K.Key_Space)  # acknowledging the safety note saves the settings
    (notice,) = [t for t in h.window.picker.notices.texts() if "could not be saved" in t]
    path = blocker / "config" / "stretchcoach" / "settings.json"
    assert f"could not be saved to {path}: a file stands where a folder should be." in notice
    assert "Errno" not in notice and "next change you make saves them" in notice
    assert not h.window.picker.safety.isVisible()  # the app goes on regardless


def test_the_length_in_the_picker_is_the_time_the_session_counts_down(
    make: Make, qtbot: QtBot
) -> None:
    h = make(mute=True, get_ready=5.0)  # muted: no speech, so nothing depends on synthesis
    default = h.coach.catalog.default
    assert default is not None
    item = next(i for i in picker_items(h.coach.catalog, h.coach.settings) if i.id == default.id)
    start(h, qtbot)
    assert h.session.progress().remaining_seconds == pytest.approx(item.seconds)
    assert h.view.remaining.text() == f"{clock_text(item.seconds)} left"


def test_the_first_frame_is_the_picker_alone_and_an_early_key_is_not_lost(qtbot: QtBot) -> None:
    settings_store.save(Settings(seen_safety_note=True, get_ready=0.0))
    clock = SimScheduler(start=1000.0)
    built: list[Settings] = []

    def services(settings: Settings) -> Services:
        built.append(settings)
        return Services(clock, VoicePlayer(settings, output=FakeOutput(clock.now)))

    coach = Coach(None, services)
    qtbot.addWidget(coach.window)
    try:
        assert coach.controller is None and coach.window.session_view is None and not built
        coach.window.actions_.start.trigger()  # Space before the rest is built
        assert coach.controller is not None and coach.controller.session is not None
        assert coach.window.current_screen() is coach.window.session_view
        assert len(built) == 1
    finally:
        coach.close()


def test_the_settings_dialog_shows_every_word(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make()
    looked: list[bool] = []

    def look(dialog: SettingsDialog) -> None:
        dialog.show()
        qtbot.waitExposed(dialog)

        def readable() -> None:
            assert _cut_texts(dialog) == [] and _overlapping(dialog) == []

        qtbot.waitUntil(readable)
        looked.append(True)
        dialog.reject()

    monkeypatch.setattr("stretchcoach.ui.controller.edit_settings", look)
    h.press(qtbot, K.Key_S)
    assert looked == [True]
