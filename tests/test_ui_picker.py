"""The picker: the first screen, its routines, notices and the first-run note, driven from
the keyboard.

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
)
from fake_output import FakeOutput
from pytestqt.qtbot import QtBot

from stretchcoach import settings as settings_store
from stretchcoach.coach.simclock import SimScheduler
from stretchcoach.paths import user_routines_dir
from stretchcoach.settings import Settings, SettingsStore
from stretchcoach.ui.app import App, Services, picker_items
from stretchcoach.ui.audio import VoicePlayer
from stretchcoach.ui.widgets import clock_text

pytestmark = QT_NOISE


def test_opens_on_the_picker_with_the_default_routine_selected(make: Make) -> None:
    h = make()
    default = h.app.catalog.default
    assert default is not None
    assert h.window.current_screen() is h.window.picker
    assert h.window.picker.selected_id() == default.id
    assert h.window.windowTitle() == "StretchCoach"
    assert default.title in h.window.picker.title.text()
    assert "minute" in h.window.picker.facts.text()
    assert h.window.picker.list.count() == len(h.app.catalog.entries)
    reach = h.window.picker.reach  # issue 12: hands-free needs the keys within reach
    assert reach.isVisible() and "keyboard or a headset within reach" in reach.text()
    assert "Space starts" in reach.text()


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
    assert h.saved_settings().seen_safety_note
    again = make()
    assert not again.window.picker.safety.isVisible()


def test_a_routine_named_on_the_command_line_is_selected(make: Make) -> None:
    last = make().app.catalog.entries[-1]
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
    assert h.window.picker.list.count() == len(h.app.catalog.entries) > 0


def test_no_sound_output_is_a_notice_not_an_error(make: Make) -> None:
    h = make()
    assert h.app.services is not None
    h.app.services.voice.noticeChanged.emit("No sound output was found.")
    assert "No sound output was found." in h.window.picker.notices.texts()
    h.app.services.voice.noticeChanged.emit("")
    assert not any("sound" in text for text in h.window.picker.notices.texts())


def test_a_missing_routine_id_is_a_notice(make: Make) -> None:
    h = make("no-such-routine")
    assert any("no-such-routine" in text for text in h.window.picker.notices.texts())
    assert h.window.picker.selected_id() is not None


def test_ones_own_routines_are_listed_beside_the_bundled_ones(make: Make, qtbot: QtBot) -> None:
    default = make().app.catalog.default
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


def test_the_length_in_the_picker_is_the_time_the_session_counts_down(
    make: Make, qtbot: QtBot
) -> None:
    h = make(mute=True, get_ready=5.0)  # muted: no speech, so nothing depends on synthesis
    default = h.app.catalog.default
    assert default is not None
    item = next(i for i in picker_items(h.app.catalog, h.app.store.current) if i.id == default.id)
    start(h, qtbot)
    assert h.session.progress().remaining_seconds == pytest.approx(item.seconds)
    qtbot.waitUntil(lambda: h.view.remaining.text() == f"{clock_text(item.seconds)} left")


def test_the_first_frame_is_the_picker_alone_and_an_early_key_is_not_lost(qtbot: QtBot) -> None:
    settings_store.save(Settings(seen_safety_note=True, get_ready=0.0))
    clock = SimScheduler(start=1000.0)
    built: list[Settings] = []

    def services(store: SettingsStore) -> Services:
        built.append(store.current)
        return Services(clock, VoicePlayer(store, output=FakeOutput(clock.now)))

    app = App(None, services)
    qtbot.addWidget(app.window)
    try:
        assert app.controller is None and app.window.session_view is None and not built
        app.window.actions_.start.trigger()  # Space before the rest is built
        assert app.controller is not None and app.controller.session is not None
        assert app.window.current_screen() is app.window.session_view
        assert len(built) == 1
    finally:
        app.close()


@pytest.mark.parametrize("size", [(1280, 800), (800, 600)])
def test_every_routines_safety_notes_show_for_it_whole_and_reachable(
    make: Make, qtbot: QtBot, size: tuple[int, int]
) -> None:
    """Issue 12: the notes of each bundled routine reach the picker, and at the smallest
    window they scroll rather than push the Start button away or get cut."""
    h = make()
    h.window.resize(*size)
    qtbot.waitUntil(lambda: h.window.size().width() == size[0])
    picker = h.window.picker
    bundled = [e for e in h.app.catalog.entries if e.source != "user"]
    assert all(e.routine.safety for e in bundled), "every bundled routine has safety notes"
    for entry in bundled:
        picker.select(entry.id)
        assert picker.title.text() == entry.title
        shown = picker.safety_notes.text()
        assert shown.startswith("Take care:")
        for note in entry.routine.safety:
            assert f"• {note}" in shown, (entry.id, note)
        qtbot.waitUntil(lambda: cut_texts(picker) == [] and overlapping(picker) == [])
        assert picker.start_button.isVisible() and picker.about.isVisible()
        assert picker.about.viewport().height() >= picker.summary.fontMetrics().lineSpacing()
    if size == (1280, 800):  # the longest notes overflow here: the keys scroll them
        picker.select("warm-up")
        picker.select("passive-back-arch")
        scroll = picker.about.verticalScrollBar()
        qtbot.waitUntil(lambda: scroll.maximum() > 0)
        assert scroll.value() == 0  # read from the top
        picker.settings_button.setFocus()
        qtbot.keyClick(picker.settings_button, K.Key_Tab)
        assert h.window.focusWidget() is picker.about
        qtbot.keyClick(picker.about, K.Key_Down)
        assert scroll.value() > 0
