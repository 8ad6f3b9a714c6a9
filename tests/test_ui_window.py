"""The window as a whole: its look at every size and in both palettes, what a screen
reader is told, the settings dialog, full screen and quitting.

The app is built exactly as ``stretchcoach`` builds it (``tests/app_harness.py``).
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest
from app_harness import (
    QT_NOISE,
    K,
    Make,
    cut_texts,
    overlapping,
    start,
    until_waiting,
    visible,
)
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from stretchcoach import settings as settings_store
from stretchcoach.appid import APP_ID
from stretchcoach.coach.ports import Pace
from stretchcoach.coach.session import State
from stretchcoach.paths import user_routines_dir
from stretchcoach.settings import Settings
from stretchcoach.ui import app as app_module
from stretchcoach.ui import session_view as session_view_module
from stretchcoach.ui.app import App
from stretchcoach.ui.output import NO_OUTPUT
from stretchcoach.ui.settings_dialog import SettingsDialog

pytestmark = QT_NOISE


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
    h.saved_settings()
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


def test_every_control_has_an_accessible_name_and_a_tooltip_with_its_keys(
    make: Make, qtbot: QtBot
) -> None:
    h = make()
    start(h, qtbot)
    h.until_breathing(qtbot)
    for button in visible(h.window, QPushButton):
        assert button.accessibleName() and button.accessibleDescription(), button.text()
    tips = {b.text(): b.toolTip() for b in h.view.buttons}
    assert tips["Next"] == "Next (Right)" and tips["Previous"] == "Previous (Left)"
    assert tips["Pause"] == "Pause (Space)" and tips["Stop"] == "Stop (Esc)"
    for bar in (h.view.step_bar, h.view.routine_bar):
        assert bar.accessibleName()


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080), (900, 600), (800, 600)])
def test_type_is_large_and_nothing_is_cut_at_any_size(
    make: Make, qtbot: QtBot, size: tuple[int, int]
) -> None:
    h = make(seen_safety_note=False)
    h.window.resize(*size)
    qtbot.waitUntil(lambda: h.window.size().width() == size[0])

    def nothing_cut() -> None:
        assert cut_texts(h.window) == []
        assert overlapping(h.window) == []

    qtbot.waitUntil(nothing_cut)  # the picker, with the first-run safety note
    h.press(qtbot, K.Key_Space)
    qtbot.waitUntil(nothing_cut)  # the picker
    start(h, qtbot)
    qtbot.waitUntil(nothing_cut)  # a set-up step, explained
    until_waiting(h)
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
    assert h.app.services is not None
    h.app.services.voice.noticeChanged.emit(NO_OUTPUT)
    h.window.resize(*size)
    qtbot.waitUntil(lambda: h.window.size().width() == size[0])

    def nothing_cut() -> None:
        assert cut_texts(h.window) == []
        assert overlapping(h.window) == []

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
    shown = notices.full.widget().findChildren(QLabel)

    def laid_out() -> bool:  # each notice is shown and placed by the next layouts
        return (
            all(notice.isVisible() for notice in shown)
            and notices.full.verticalScrollBar().maximum() > 0
            and cut_texts(h.window) == [] and overlapping(h.window) == []
        )  # fmt: skip

    assert len(shown) == 7
    qtbot.waitUntil(laid_out)
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
            qtbot.waitUntil(lambda: cut_texts(h.window) == [] and overlapping(h.window) == [])
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


def test_run_returns_zero_after_quit(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    settings_store.save(Settings(seen_safety_note=True))
    built: list[App] = []
    original: type[App] = app_module.App

    class Quitting(original):
        def show(self) -> None:
            super().show()
            built.append(self)
            quit_keys = partial(
                qtbot.keyClick, self.window, K.Key_Q, Qt.KeyboardModifier.ControlModifier
            )
            self.window.first_painted.connect(lambda: QTimer.singleShot(0, quit_keys))

    monkeypatch.setattr(app_module, "App", Quitting)
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
    saved = h.saved_settings()
    assert (saved.inhale, saved.exhale) == pytest.approx((3.2, 4.8))  # 8 s, shared 2:3


def test_settings_that_cannot_be_saved_are_a_notice(
    make: Make, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make(seen_safety_note=False)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker / "config"))
    h.press(qtbot, K.Key_Space)  # acknowledging the safety note saves the settings

    def said() -> list[str]:  # by the settings' writer, off the window's thread
        return [t for t in h.window.picker.notices.texts() if "could not be saved" in t]

    qtbot.waitUntil(lambda: len(said()) == 1)
    (notice,) = said()
    path = blocker / "config" / APP_ID / "settings.json"
    assert f"could not be saved to {path}: a file stands where a folder should be." in notice
    assert "Errno" not in notice and "next change you make saves them" in notice
    assert not h.window.picker.safety.isVisible()  # the app goes on regardless


def test_the_settings_dialog_shows_every_word(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = make()
    looked: list[bool] = []

    def look(dialog: SettingsDialog) -> None:
        dialog.show()
        qtbot.waitExposed(dialog)

        def readable() -> None:
            assert cut_texts(dialog) == [] and overlapping(dialog) == []

        qtbot.waitUntil(readable)
        looked.append(True)
        dialog.reject()

    monkeypatch.setattr("stretchcoach.ui.controller.edit_settings", look)
    h.press(qtbot, K.Key_S)
    assert looked == [True]


def test_preview_in_the_settings_dialog_speaks_through_the_sessions_output(
    make: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole path with real keys: the voices listed in the background, Space on
    Preview, a sample synthesized by the real worker with the form's (unsaved) voice and
    played by the session's output; the window never waits for it."""
    h = make(voice="system:")
    before = len(h.voice.plays())
    shown: list[str] = []

    def preview_espeak(dialog: SettingsDialog) -> None:
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.waitUntil(lambda: dialog.voice.count() > 2, timeout=30_000)  # listed
        espeak = next(
            i for i in range(dialog.voice.count()) if "eSpeak NG" in dialog.voice.itemText(i)
        )
        dialog.voice.setCurrentIndex(espeak)
        assert dialog.preview_button is not None
        dialog.preview_button.setFocus()
        qtbot.keyClick(dialog.preview_button, K.Key_Space)
        assert dialog.preview_status.text() == "Making a sample…"  # at once
        playing = "Playing the sample."
        qtbot.waitUntil(lambda: dialog.preview_status.text() == playing, timeout=30_000)
        shown.append(dialog.voice.currentData())
        dialog.reject()

    monkeypatch.setattr("stretchcoach.ui.controller.edit_settings", preview_espeak)
    h.press(qtbot, K.Key_S)
    assert shown and shown[0].startswith("system:")
    (played,) = h.voice.plays()[before:]
    assert played[1].exists() and played[1].suffix == ".wav"
    assert h.saved_settings().voice == "system:"  # a preview changes nothing
