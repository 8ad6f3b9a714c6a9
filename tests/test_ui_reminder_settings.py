"""The reminder in the Settings dialog (PySide6 widgets, offscreen), set for real: the
person's keys on the fields, the settings saved through a real ``SettingsStore``, and
``reminder.apply`` on its worker thread installing into the test's own folders, where no
systemd user manager answers (so it is the login entry). ``stretchcoach remind --status``,
run as a person would, must say what the dialog says."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from systemd_helpers import no_manager

from stretchcoach import settings as settings_store
from stretchcoach.appid import APP_ID
from stretchcoach.settings import Settings, SettingsStore
from stretchcoach.ui import reminder_settings
from stretchcoach.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
K = Qt.Key
TIMEOUT_MS = 60_000
WEEKDAYS_AT_WORK = ("mon", "tue", "wed", "thu", "fri")


@pytest.fixture
def home(private_user_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    no_manager(dict(os.environ))
    return private_user_dirs


def _entry(home: Path) -> Path:
    return home / "config" / "autostart" / f"{APP_ID}-reminder.desktop"


def _dialog(qtbot: QtBot, settings: Settings) -> tuple[SettingsDialog, SettingsStore]:
    store = SettingsStore.of_the_person(settings)
    dialog = SettingsDialog(settings, [], save_reminder=store.update)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.reminder is not None
    state = dialog.reminder.state
    qtbot.waitUntil(lambda: state.text().startswith("The daily reminder"), timeout=TIMEOUT_MS)
    return dialog, store


def _status() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stretchcoach", "remind", "--status"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def _without_next(words: str) -> list[str]:
    return [line for line in words.splitlines() if not line.startswith("Next:")]


def test_the_keyboard_sets_the_reminder_and_status_agrees(qtbot: QtBot, home: Path) -> None:
    dialog, store = _dialog(qtbot, Settings())
    section = dialog.reminder
    assert section is not None
    assert section.state.text() == "The daily reminder is off; nothing is installed for it."
    assert not section.at.isEnabled()

    section.enabled.setFocus()
    qtbot.keyClick(section.enabled, K.Key_Space)  # Remind me: on
    assert section.at.isEnabled()
    qtbot.keyClick(section.at, K.Key_Up)  # 08:00 -> 09:00
    for day in ("sat", "sun"):
        qtbot.keyClick(section.days[day], K.Key_Space)
    assert section.pending()
    qtbot.keyClick(dialog, K.Key_Return)  # OK: sets it, then closes

    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=TIMEOUT_MS)
    saved = settings_store.load().settings
    assert saved.remind_at == "09:00" and saved.remind_days == set(WEEKDAYS_AT_WORK)
    assert store.current == saved and dialog.edited().remind_at == "09:00"
    assert _entry(home).is_file()
    words = section.state.text()
    assert "at 09:00 on weekdays (Monday to Friday)" in words and "login entry" in words
    status = _status()
    assert status.returncode == 0, status.stderr
    assert _without_next(status.stdout) == _without_next(words)


def test_turning_it_off_removes_it(qtbot: QtBot, home: Path) -> None:
    dialog, _store = _dialog(qtbot, Settings())
    section = dialog.reminder
    assert section is not None
    section.enabled.setChecked(True)
    section.set_button.click()  # set it without closing
    qtbot.waitUntil(lambda: _entry(home).is_file(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: "login entry" in section.state.text(), timeout=TIMEOUT_MS)
    assert dialog.isVisible()

    section.enabled.setChecked(False)
    section.set_button.click()
    qtbot.waitUntil(lambda: "off" in section.state.text(), timeout=TIMEOUT_MS)
    assert section.state.text() == "The daily reminder is off; nothing is installed for it."
    assert not _entry(home).exists() and settings_store.load().settings.remind_at is None


def test_a_reminder_that_cannot_be_set_says_why_and_keeps_the_dialog(
    qtbot: QtBot, home: Path
) -> None:
    (home / "config" / "autostart").write_text("a file where a folder should be")
    dialog, _store = _dialog(qtbot, Settings())
    section = dialog.reminder
    assert section is not None
    section.enabled.setChecked(True)
    dialog.accept()  # OK
    qtbot.waitUntil(lambda: "could not be set" in section.state.text(), timeout=TIMEOUT_MS)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert section.set_button.isEnabled()


def test_the_last_day_stays_and_cancel_sets_nothing(qtbot: QtBot, home: Path) -> None:
    dialog, _store = _dialog(qtbot, Settings(remind_days=frozenset({"mon", "tue"})))
    section = dialog.reminder
    assert section is not None
    section.enabled.setChecked(True)
    section.days["mon"].setChecked(False)
    section.days["tue"].setChecked(False)  # the last one
    assert section.days["tue"].isChecked()
    assert section.state.text() == "The reminder needs at least one day."
    qtbot.keyClick(dialog, K.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not _entry(home).exists() and not settings_store.settings_path().exists()


def test_a_dialog_closed_before_the_answer_comes_is_left_alone(
    qtbot: QtBot, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """systemd may answer after the person has closed the dialog: the answer then goes
    nowhere (a slow ``systemctl`` is stood in for by one that waits for the test)."""
    answer = threading.Event()

    def slow_status(settings: Settings) -> tuple[bool, str]:
        answer.wait(timeout=60)
        return True, "The daily reminder is off; nothing is installed for it."

    monkeypatch.setattr(reminder_settings, "_status", slow_status)
    dialog = SettingsDialog(Settings(), [], save_reminder=SettingsStore(Settings()).update)
    assert dialog.reminder is not None and dialog.reminder.state.text() == "Looking at what is set…"
    (job,) = dialog.reminder._jobs
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))
    with qtbot.waitSignal(job.done):  # emitted, and received by nobody
        answer.set()
    qtbot.wait(0)  # a queued call to the deleted section would run (and fail) here
