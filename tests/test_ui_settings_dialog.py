"""The Settings dialog shows the settings, returns a validated copy, and is keyboard-driven."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from stretchcoach.coach.ports import Pace
from stretchcoach.settings import Settings
from stretchcoach.ui.settings_dialog import SettingsDialog

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
        voice="en-gb",
        seen_safety_note=True,
    )
    dialog = SettingsDialog(
        original, [("en-us", "English (America)"), ("en-gb", "English (Britain)")]
    )
    qtbot.addWidget(dialog)
    assert dialog.inhale.value() == 5.0 and dialog.exhale.value() == 7.0
    assert dialog.voice.currentData() == "en-gb"
    assert dialog.volume.value() == 60 and dialog.mute.isChecked()
    assert dialog.breath_cues.currentData() == "silent"
    assert not dialog.auto_seconds.isEnabled()
    assert dialog.edited() == original

    dialog.inhale.setValue(3.5)
    dialog.voice.setCurrentIndex(0)
    dialog.auto.setChecked(True)
    assert dialog.auto_seconds.isEnabled()
    dialog.auto_seconds.setValue(45)
    edited = dialog.edited()
    assert edited.inhale == 3.5 and edited.voice is None and edited.auto_advance == 45
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
