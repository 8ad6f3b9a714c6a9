"""The Settings dialog shows the settings, returns a validated copy, and is keyboard-driven."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from stretchcoach.coach.ports import Pace
from stretchcoach.settings import Settings
from stretchcoach.ui.settings_dialog import DEFAULT_VOICE, SettingsDialog
from stretchcoach.voice.voices import NATURAL, VoiceInfo

JOE = VoiceInfo(NATURAL, "piper", "en-us", "Joe (medium)")
AMERICA = VoiceInfo("system:gmw/en-us", "espeak-ng", "en-us", "English (America)")
BRITAIN = VoiceInfo("system:gmw/en", "espeak-ng", "en-gb", "English (Great Britain)")
AFRIKAANS = VoiceInfo("system:gmw/af", "espeak-ng", "af", "Afrikaans")

# The offscreen platform says so whenever a window is shown; it is not about our code.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_shows_the_settings_and_returns_the_edited_copy(qtbot: QtBot) -> None:
    original = Settings(
        inhale=5.0,
        exhale=7.0,
        rate=170,
        volume=0.6,
        mute=True,
        breath_cues="silent",
        get_ready=3.0,
        auto_advance=None,
        voice=BRITAIN.id,
        seen_safety_note=True,
        pain_before=True,
    )
    dialog = SettingsDialog(original, [JOE, AMERICA, BRITAIN])
    qtbot.addWidget(dialog)
    assert dialog.inhale.value() == 5.0 and dialog.exhale.value() == 7.0
    assert dialog.voice.currentData() == BRITAIN.id
    assert dialog.volume.value() == 60 and dialog.mute.isChecked()
    assert dialog.breath_cues.currentData() == "silent"
    assert not dialog.auto_seconds.isEnabled()
    assert dialog.pain_before.isChecked()
    assert dialog.edited() == original

    dialog.inhale.setValue(3.5)
    dialog.voice.setCurrentIndex(0)
    dialog.auto.setChecked(True)
    assert dialog.auto_seconds.isEnabled()
    dialog.auto_seconds.setValue(45)
    dialog.pain_before.setChecked(False)
    edited = dialog.edited()
    assert edited.inhale == 3.5 and edited.voice is None and edited.auto_advance == 45
    assert not edited.pain_before
    assert edited.seen_safety_note  # fields the dialog does not show are kept


def test_the_form_cannot_leave_the_models_bounds(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(), [])
    qtbot.addWidget(dialog)
    dialog.inhale.setValue(100)
    dialog.exhale.setValue(0)
    dialog.rate.setValue(10_000)
    edited = dialog.edited()  # would raise if a value were out of the model's bounds
    assert edited.inhale == Pace.MAX_SECONDS
    assert edited.exhale == Pace.MIN_SECONDS
    assert edited.rate == 260


def test_enter_accepts_and_escape_cancels(qtbot: QtBot) -> None:
    for key, result in (
        (Qt.Key.Key_Return, SettingsDialog.DialogCode.Accepted),
        (Qt.Key.Key_Escape, SettingsDialog.DialogCode.Rejected),
    ):
        dialog = SettingsDialog(Settings(), [])
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        with qtbot.waitSignal(dialog.finished) as finished:
            qtbot.keyClick(dialog.inhale, key)
        assert finished.args == [result]


def test_every_field_has_an_accessible_name_or_a_label(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(), [])
    qtbot.addWidget(dialog)
    for field in (
        dialog.inhale,
        dialog.exhale,
        dialog.voice,
        dialog.rate,
        dialog.volume,
        dialog.get_ready,
        dialog.auto_seconds,
    ):
        assert field.accessibleName() and field.accessibleDescription()
    for box in (dialog.mute, dialog.auto):
        assert box.text() or box.accessibleName()


def _items(dialog: SettingsDialog) -> list[tuple[str, str | None]]:
    box = dialog.voice
    return [(box.itemText(i), box.itemData(i)) for i in range(box.count())]


def test_the_voices_are_listed_in_order_with_their_engine_and_language(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(voice=AMERICA.id), [])  # opened before the list came
    qtbot.addWidget(dialog)
    assert _items(dialog) == [(DEFAULT_VOICE, None), (AMERICA.id, AMERICA.id)]
    assert dialog.voice.currentData() == AMERICA.id  # the setting, shown by its id

    dialog.set_voices([JOE, AMERICA, BRITAIN])
    assert _items(dialog) == [
        (DEFAULT_VOICE, None),
        ("Joe (medium) — natural, Piper, en-us", NATURAL),
        ("English (America) — eSpeak NG, en-us", AMERICA.id),
        ("English (Great Britain) — eSpeak NG, en-gb", BRITAIN.id),
    ]
    assert dialog.voice.currentData() == AMERICA.id

    dialog.set_voices([JOE, AMERICA, BRITAIN, AFRIKAANS])  # the cues' language, a line, the rest
    assert _items(dialog)[-2:] == [("", None), ("Afrikaans — eSpeak NG, af", AFRIKAANS.id)]
    dialog.voice.setCurrentIndex(dialog.voice.findData(BRITAIN.id))
    dialog.set_voices([JOE])  # a listing again (a voice gone meanwhile): the choice stays
    assert _items(dialog)[-1] == (f"{BRITAIN.id} (not found here)", BRITAIN.id)
    assert dialog.edited().voice == BRITAIN.id


def test_preview_by_keyboard_says_the_forms_voice_rate_and_volume(qtbot: QtBot) -> None:
    asked: list[Settings] = []
    dialog = SettingsDialog(
        Settings(voice=None, rate=150, volume=1.0), [JOE, AMERICA], preview=asked.append
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.voice.setFocus()
    qtbot.waitUntil(dialog.voice.hasFocus)
    qtbot.keyClick(dialog.voice, Qt.Key.Key_Down)  # from the default to the first listed
    qtbot.keyClick(dialog.voice, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.preview_button
    qtbot.keyClick(dialog.preview_button, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.rate
    dialog.rate.setValue(120)
    qtbot.keyClick(dialog.rate, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.volume
    dialog.volume.setValue(40)
    qtbot.keyClick(dialog.volume, Qt.Key.Key_Backtab)
    qtbot.keyClick(dialog.rate, Qt.Key.Key_Backtab)
    assert dialog.focusWidget() is dialog.preview_button

    qtbot.keyClick(dialog.preview_button, Qt.Key.Key_Space)
    assert [(s.voice, s.rate, s.volume) for s in asked] == [(NATURAL, 120, 0.4)]
    assert dialog.preview_status.text() == "Making a sample…"
    qtbot.keyClick(dialog.preview_button, Qt.Key.Key_Return)  # Enter previews too...
    assert len(asked) == 2 and dialog.isVisible()  # ...and does not close the dialog
    dialog.previewed("")
    assert dialog.preview_status.text() == "Playing the sample."
    dialog.previewed("Natural voice unavailable: its model is damaged — using eSpeak NG.")
    assert "its model is damaged" in dialog.preview_status.text()
    changed = {"voice": NATURAL, "rate": 120, "volume": 0.4}
    assert asked[0].model_dump() == {**Settings().model_dump(), **changed}


def test_without_a_voice_to_ask_there_is_no_preview(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(), [JOE])
    qtbot.addWidget(dialog)
    assert dialog.preview_button is None and not dialog.preview_status.isVisibleTo(dialog)


def test_alt_v_goes_to_the_voice_list(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(), [JOE], preview=lambda _: None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None)
    qtbot.keyClick(dialog, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.voice
