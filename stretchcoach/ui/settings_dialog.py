"""The Settings dialog: one form over the ``Settings`` model.

The dialog edits a copy; the caller saves it (atomically, through
``stretchcoach.settings.save``) only when the person presses OK, so Cancel or a crash
never leaves a half-changed file. Every field's bounds come from the model, so the form
cannot produce a value the model would reject. Enter is OK, Esc is Cancel.

Tap pace is measured by the engine (its ``coach.tap.TapMeter``), the same as the T key in a
session; the dialog only shows what it measured.

**Preview** hands the form's voice, rate and volume to whoever speaks (the app's voice,
which synthesizes in its worker and plays through the session's own sound output) and
returns at once: the answer comes later, to ``previewed``, so a natural voice's second of
loading never holds the window. The voice list can arrive, or change, while the dialog is
open (``set_voices``): the voices are listed in the background.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from stretchcoach.coach.ports import Pace
from stretchcoach.coach.tap import TAPS
from stretchcoach.settings import Settings
from stretchcoach.ui.reminder_settings import ReminderSection, Save
from stretchcoach.ui.widgets import label
from stretchcoach.voice.voices import ROUTINES_LANGUAGE, VoiceInfo, speaks

DEFAULT_VOICE = "Default: the natural voice (else the system's)"

BREATH_CUES = (
    ("Words: “Breathe in”, “Breathe out”", "words"),
    ("A soft chime", "chime"),
    ("Nothing: just my breathing", "silent"),
)


def _bounds(field: str) -> tuple[float, float]:
    """The ``ge``/``le`` bounds the model declares for ``field``."""
    low = high = None
    for meta in Settings.model_fields[field].metadata:
        low = getattr(meta, "ge", low)
        high = getattr(meta, "le", high)
    assert low is not None and high is not None, f"Settings.{field} has no bounds"
    return float(low), float(high)


def _seconds_box(field: str, step: float, name: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    low, high = _bounds(field)
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(1)
    box.setSuffix(" s")
    box.setAccessibleName(name)
    box.setAccessibleDescription(f"From {low:g} to {high:g} seconds; Up and Down change it.")
    return box


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        voices: Sequence[VoiceInfo],
        parent: QWidget | None = None,
        *,
        tap: Callable[[], Pace | None] | None = None,
        preview: Callable[[Settings], None] | None = None,
        save_reminder: Save | None = None,
    ) -> None:
        super().__init__(parent)
        self._original = settings
        self._tap = tap
        self._preview = preview
        self.setWindowTitle("Settings — StretchCoach")
        self.setAccessibleName("Settings")
        layout = QVBoxLayout(self)
        # never smaller than what it holds: the voices arrive, and Preview's status shows,
        # after the dialog has opened, and a squeezed row would cover the next one
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(label("Settings", "heading"))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)

        self.inhale = _seconds_box("inhale", 0.5, "Breathe in for, in seconds")
        self.exhale = _seconds_box("exhale", 0.5, "Breathe out for, in seconds")
        form.addRow("Breathe &in for", self.inhale)
        form.addRow("Breathe &out for", self.exhale)
        if tap is not None:
            self._tap_row(form)

        self._voice_rows(form, voices)
        form.addRow("&Breath cues", self.breath_cues)

        self._timing_rows(form)
        layout.addLayout(form)
        self.reminder = ReminderSection(settings, save_reminder, self) if save_reminder else None
        if self.reminder is not None:
            layout.addWidget(self.reminder)
            self.reminder.settled.connect(self._reminder_settled)
        self._closing = False
        chain = [self.voice, self.preview_button, self.rate, self.volume, self.mute]
        for first, second in itertools.pairwise(w for w in chain if w is not None):
            QWidget.setTabOrder(first, second)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill(settings)

    def showEvent(self, event: QShowEvent) -> None:
        """Inset each spin box's text from its border, as a combo box's is: the style
        sheet's padding does not reach a spin box's editor, whose text would touch the
        border. Half a character, so it grows with the type."""
        for box in self.findChildren(QAbstractSpinBox):
            editor = box.findChild(QLineEdit)
            if editor is not None:
                editor.setTextMargins(box.fontMetrics().averageCharWidth() // 2, 0, 0, 0)
        super().showEvent(event)

    def accept(self) -> None:
        """OK sets a changed reminder first, and closes once it is set (see
        ``ReminderSection``)."""
        if self.reminder is not None and self.reminder.pending():
            self._closing = True
            self.reminder.commit()
        else:
            super().accept()

    def _reminder_settled(self, ok: bool) -> None:
        if self._closing and ok:
            super().accept()
        self._closing = False  # a failure stays on screen, in words

    def _tapped(self) -> None:
        assert self._tap is not None
        pace = self._tap()
        if pace is None:
            self.tap_status.setText("Keep tapping on each breath out…")
            return
        self.inhale.setValue(pace.inhale)
        self.exhale.setValue(pace.exhale)
        self.tap_status.setText(f"In {pace.inhale:.1f} s, out {pace.exhale:.1f} s: from your taps")

    def _timing_rows(self, form: QFormLayout) -> None:
        self.get_ready = _seconds_box(
            "get_ready", 1.0, "Get ready before the first step, in seconds"
        )
        form.addRow("&Get ready for", self.get_ready)
        self.auto = QCheckBox("Move on from set-&up steps by themselves after")
        self.auto.setAccessibleName("Move on from set-up steps by themselves")
        self.auto_seconds = _seconds_box("auto_advance", 5.0, "Move on after, in seconds")
        self.auto_seconds.setDecimals(0)
        self.auto.toggled.connect(self.auto_seconds.setEnabled)
        auto_row = QHBoxLayout()
        auto_row.addWidget(self.auto)
        auto_row.addWidget(self.auto_seconds)
        form.addRow(auto_row)
        self.pain_before = QCheckBox("&Ask how my back feels (0 to 10) before each routine")
        self.pain_before.setAccessibleDescription(
            "A rating before the session, asked once aloud, kept in the journal beside the "
            "one at its end."
        )
        form.addRow(self.pain_before)

    def _tap_row(self, form: QFormLayout) -> None:
        self.tap_button = QPushButton("&Tap on each breath out")
        self.tap_button.setAutoDefault(False)
        self.tap_button.setAccessibleDescription(
            f"Press it each time you breathe out; after {TAPS} presses the breath pace "
            "follows yours, keeping the share of breathing in and out."
        )
        self.tap_button.clicked.connect(self._tapped)
        self.tap_status = label(f"{TAPS} taps set the pace", "note", name="Tap pace")
        row = QHBoxLayout()  # one row: the dialog must fit a 1280×800 screen whole
        row.addWidget(self.tap_button, 1)
        row.addWidget(self.tap_status)
        form.addRow("Or tap it", row)

    def _voice_rows(self, form: QFormLayout, voices: Sequence[VoiceInfo]) -> None:
        self.voice = QComboBox()
        self.voice.setAccessibleName("Voice")
        self.voice.setAccessibleDescription(
            "The voice that says the cues: natural voices first, then the system's, each "
            "with its engine and language."
        )
        # as wide as the row has room for, not as its longest voice's name: the row
        # stays one line beside its label
        self.voice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.voice.setMinimumContentsLength(32)
        self.voice.addItem(DEFAULT_VOICE, None)
        self.set_voices(voices)
        voice_row = QHBoxLayout()
        voice_row.addWidget(self.voice, 1)
        self.preview_button: QPushButton | None = None
        self.preview_status = label("", "note", name="Preview")
        if self._preview is not None:
            # autoDefault: Enter on the focused button presses it (and, elsewhere, OK)
            self.preview_button = QPushButton("&Preview")
            self.preview_button.setAccessibleDescription(
                "Says a sample cue now with the voice, rate and volume chosen here."
            )
            self.preview_button.clicked.connect(self._previewing)
            voice_row.addWidget(self.preview_button)
        voice_label = QLabel("&Voice")
        voice_label.setBuddy(self.voice)  # a row of two widgets has no buddy of its own
        form.addRow(voice_label, voice_row)
        form.addRow("", self.preview_status)
        form.setRowVisible(self.preview_status, False)  # until there is something to say
        self._form = form
        self.rate = QSpinBox()
        low, high = _bounds("rate")
        self.rate.setRange(int(low), int(high))
        self.rate.setSingleStep(10)
        self.rate.setSuffix(" words a minute")
        self.rate.setAccessibleName("Speaking rate")
        self.rate.setAccessibleDescription(
            f"Words a minute, from {low:g} to {high:g}; a natural voice is paced to match."
        )
        form.addRow("Speaking &rate", self.rate)
        self.volume = QSpinBox()
        self.volume.setRange(0, 100)
        self.volume.setSingleStep(10)
        self.volume.setSuffix(" %")
        self.volume.setAccessibleName("Voice volume")
        self.volume.setAccessibleDescription("From 0 to 100 percent.")
        self.mute = QCheckBox("&Mute the voice (captions stay on screen)")
        volume_row = QHBoxLayout()
        volume_row.addWidget(self.volume)
        volume_row.addWidget(self.mute, 1)
        volume_label = QLabel("Vo&lume")
        volume_label.setBuddy(self.volume)
        form.addRow(volume_label, volume_row)
        self.breath_cues = QComboBox()
        for words, value in BREATH_CUES:
            self.breath_cues.addItem(words, value)
        self.breath_cues.setAccessibleName("Breath cues")
        self.breath_cues.setAccessibleDescription(
            "What marks a breath that has no words of its own: spoken words, a soft chime, "
            "or nothing."
        )

    def set_voices(self, voices: Sequence[VoiceInfo]) -> None:
        """List these voices after the default, in their order, keeping the one chosen
        (or, if it is not among them, showing it by its id: it is still the setting)."""
        chosen = self.voice.currentData() if self.voice.count() > 1 else self._original.voice
        while self.voice.count() > 1:
            self.voice.removeItem(1)
        for before, voice in zip([None, *voices], voices, strict=False):
            if before and speaks(before, ROUTINES_LANGUAGE) > speaks(voice, ROUTINES_LANGUAGE):
                self.voice.insertSeparator(self.voice.count())  # the cues' language above
            self.voice.addItem(voice.label, voice.id)
        if chosen is not None and self.voice.findData(chosen) < 0:
            self.voice.addItem(f"{chosen} (not found here)" if voices else chosen, chosen)
        self.voice.setCurrentIndex(max(0, self.voice.findData(chosen)))

    def _previewing(self) -> None:
        assert self._preview is not None
        self._preview_says("Making a sample…")
        self._preview(self.edited())

    def previewed(self, problem: str) -> None:
        """The preview's answer: "" when the sample is playing, else why it cannot."""
        self._preview_says(problem or "Playing the sample.")

    def _preview_says(self, text: str) -> None:
        self.preview_status.setText(text)
        self._form.setRowVisible(self.preview_status, True)

    def _fill(self, s: Settings) -> None:
        self.inhale.setValue(s.inhale)
        self.exhale.setValue(s.exhale)
        self.rate.setValue(s.rate)
        self.volume.setValue(round(s.volume * 100))
        self.mute.setChecked(s.mute)
        self.breath_cues.setCurrentIndex(self.breath_cues.findData(s.breath_cues))
        self.get_ready.setValue(s.get_ready)
        self.auto.setChecked(s.auto_advance is not None)
        self.auto_seconds.setValue(s.auto_advance or 60.0)
        self.auto_seconds.setEnabled(s.auto_advance is not None)
        self.pain_before.setChecked(s.pain_before)

    def edited(self) -> Settings:
        """The settings as the form shows them (validated by the model)."""
        changes: dict[str, Any] = {
            "inhale": self.inhale.value(),
            "exhale": self.exhale.value(),
            "voice": self.voice.currentData(),
            "rate": self.rate.value(),
            "volume": self.volume.value() / 100,
            "mute": self.mute.isChecked(),
            "breath_cues": self.breath_cues.currentData(),
            "get_ready": self.get_ready.value(),
            "auto_advance": self.auto_seconds.value() if self.auto.isChecked() else None,
            "pain_before": self.pain_before.isChecked(),
        }
        if self.reminder is not None:
            changes.update(self.reminder.changes())
        return Settings.model_validate({**self._original.model_dump(), **changes})
