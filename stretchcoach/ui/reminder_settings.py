"""The daily reminder's part of the Settings dialog: "Remind me", a time, the weekdays, and
what is installed for it, in words.

Setting the reminder installs a systemd timer or a login entry (``stretchcoach.reminder``),
which runs ``systemctl`` and may take a moment, or fail; so it runs on a worker thread and
its outcome comes back as a queued signal, shown under the fields: what ``remind --status``
says (the same ``Status.words()``), or why it could not be set. When the section opens it
asks the same way what is installed now.

The reminder is set when the person presses "Set the reminder" or the dialog's OK (which
waits for it, and stays open if it failed, with the reason on screen): the two fields are
saved first (``remind --if-due`` reads the saved settings), through the ``save`` the dialog
is given. Cancel does not undo a reminder already set; the words say it is set.

The thread touches no Qt object but the ``_Job`` whose signal carries the outcome, to a
slot of the section: if the dialog is gone by then, Qt has dropped the connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import time
from typing import Any

from PySide6.QtCore import QObject, QTime, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from stretchcoach import reminder
from stretchcoach.reminder.schedule import WEEKDAY_NAMES
from stretchcoach.settings import WEEKDAYS, Settings, Weekday
from stretchcoach.ui.widgets import label

DEFAULT_TIME = "08:00"  # offered when the reminder has never been on
Outcome = tuple[bool, str]  # whether it went well; in words
Save = Callable[..., str | None]  # the reminder's fields saved; a notice if they could not be


class _Job(QObject):
    """One call of ``reminder.status`` or ``reminder.apply`` (``setting``) on a thread."""

    done = Signal(object)  # an Outcome, emitted from the thread

    def __init__(self, *, setting: bool) -> None:
        super().__init__()
        self.setting = setting


def _status(settings: Settings) -> Outcome:
    return True, reminder.status(settings).words()


def _apply(settings: Settings) -> Outcome:
    try:
        return True, reminder.apply(settings).words()
    except reminder.ReminderError as err:
        return False, str(err)


class ReminderSection(QGroupBox):
    """The reminder's fields and its state in words (see the module docstring).
    ``settled`` says, after each setting, whether it went well."""

    settled = Signal(bool)

    def __init__(self, settings: Settings, save: Save, parent: QWidget | None = None) -> None:
        super().__init__("Daily reminder", parent)
        self._save = save
        self._settings = settings
        self._jobs: set[_Job] = set()
        self._commit_next = False
        layout = QVBoxLayout(self)
        self.enabled = QCheckBox("Remin&d me to stretch at")
        self.enabled.setAccessibleName("Remind me")
        self.enabled.setAccessibleDescription(
            "A desktop notification at this time on the chosen days, also when "
            "StretchCoach is closed."
        )
        self.at = QTimeEdit()
        self.at.setDisplayFormat("HH:mm")
        self.at.setAccessibleName("Reminder time")
        self.at.setAccessibleDescription("Hours and minutes; Up and Down change them.")
        row = QHBoxLayout()
        row.addWidget(self.enabled)
        row.addWidget(self.at)
        row.addStretch()
        layout.addLayout(row)
        days = QGridLayout()
        self.days: dict[Weekday, QCheckBox] = {}
        for column, day in enumerate(WEEKDAYS):
            box = QCheckBox(day.capitalize())
            box.setAccessibleName(WEEKDAY_NAMES[day])
            box.toggled.connect(self._keep_one_day)
            days.addWidget(box, 0, column)
            self.days[day] = box
        layout.addLayout(days)
        self.set_button = QPushButton("&Set the reminder")
        self.set_button.setAutoDefault(False)
        self.set_button.clicked.connect(self.commit)
        self.state = label("Looking at what is set…", "note", name="Reminder state")
        self.state.setWordWrap(True)
        outcome = QHBoxLayout()  # the button and what it did, side by side: a short dialog
        outcome.addWidget(self.set_button)
        outcome.addWidget(self.state, 1)
        layout.addLayout(outcome)
        self.enabled.toggled.connect(self._show_enabled)
        self._fill(settings)
        self._run(_status, settings)

    def _fill(self, s: Settings) -> None:
        self.enabled.setChecked(s.remind_at is not None)
        at = time.fromisoformat(s.remind_at or DEFAULT_TIME)
        self.at.setTime(QTime(at.hour, at.minute))
        for day, box in self.days.items():
            box.setChecked(day in s.remind_days)
        self._show_enabled(s.remind_at is not None)

    def _show_enabled(self, on: bool) -> None:
        self.at.setEnabled(on)
        for box in self.days.values():
            box.setEnabled(on)

    def _keep_one_day(self, checked: bool) -> None:
        """The reminder comes on at least one day: the last one cannot be unchecked."""
        if not checked and not any(box.isChecked() for box in self.days.values()):
            box = self.sender()
            assert isinstance(box, QCheckBox)
            box.setChecked(True)
            self.state.setText("The reminder needs at least one day.")

    def changes(self) -> dict[str, Any]:
        """The reminder's fields as the form shows them."""
        at = self.at.time()
        return {
            "remind_at": f"{at.hour():02d}:{at.minute():02d}" if self.enabled.isChecked() else None,
            "remind_days": frozenset(d for d, box in self.days.items() if box.isChecked()),
        }

    def pending(self) -> bool:
        """The form asks for a reminder other than the one last set (or found set)."""
        s = self._settings
        return self.changes() != {"remind_at": s.remind_at, "remind_days": s.remind_days}

    def commit(self) -> None:
        """Save the reminder's fields and set the reminder (off the GUI thread); after
        the job running now, if there is one."""
        if self._jobs:
            self._commit_next = True
            return
        changes = self.changes()
        notice = self._save(**changes)
        if notice:
            self.state.setText(notice)
            self.settled.emit(False)
            return
        self._settings = Settings.model_validate({**self._settings.model_dump(), **changes})
        self.state.setText("Setting the reminder…")
        self._run(_apply, self._settings)

    def _run(self, work: Callable[[Settings], Outcome], settings: Settings) -> None:
        job = _Job(setting=work is _apply)
        job.done.connect(self._done)  # to a slot of ours: dropped if the dialog is gone
        self._jobs.add(job)
        self.set_button.setEnabled(False)
        name = f"reminder-{work.__name__.strip('_')}"
        threading.Thread(target=lambda: job.done.emit(work(settings)), name=name).start()

    @Slot(object)
    def _done(self, outcome: Outcome) -> None:
        job = self.sender()
        assert isinstance(job, _Job), "only a job says it is done"
        self._jobs.discard(job)
        ok, words = outcome
        self.state.setText(words)
        self.set_button.setEnabled(True)
        if self._commit_next:
            self._commit_next = False
            self.commit()
        elif job.setting:
            self.settled.emit(ok)
