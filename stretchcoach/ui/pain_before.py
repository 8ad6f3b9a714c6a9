"""The pain rating before a session (the ``pain_before`` setting, off by default).

One question, in a small modal dialog over the list, answered as the end's pain question
is: a digit (1 then 0 for 10) or the arrows, then Enter, which starts the session. Esc
starts it without a rating; the journal then has none, as if the setting were off.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QSpinBox, QVBoxLayout, QWidget

from stretchcoach.journal.record import PAIN_MAX
from stretchcoach.ui.widgets import label
from stretchcoach.ui.window import run_modal

ASK_BEFORE = (
    "Before you start: how is your pain now, from 0 to 10? "
    "Type the number and press Enter, or press Escape to start without."
)
"""What the voice says once, as the question shows."""
NOT_GIVEN = -1  # the spin box's "–": Enter without a number gives no rating


class PainBeforeDialog(QDialog):
    """The question; ``rating()`` is the answer once accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Pain before you start — StretchCoach")
        layout = QVBoxLayout(self)
        layout.addWidget(label(f"Your pain now, before you start (0–{PAIN_MAX})", "heading"))
        self.box = QSpinBox()
        self.box.setRange(NOT_GIVEN, PAIN_MAX)
        self.box.setSpecialValueText("–")
        self.box.setAccessibleName("Pain before you start")
        self.box.setAccessibleDescription(
            f"0 is no pain, {PAIN_MAX} the worst. Type it or use the arrows; "
            "Enter starts the session, Escape starts it without a rating."
        )
        layout.addWidget(self.box)
        layout.addWidget(
            label("Type 0 to 10 or use the arrows · Enter: start · Esc: start without", "note")
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Start without")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.box.setValue(NOT_GIVEN)
        self.box.selectAll()  # the first digit typed replaces the "–"
        self.box.setFocus()

    def rating(self) -> int | None:
        """The rating given, if the dialog was accepted with one."""
        accepted = self.result() == QDialog.DialogCode.Accepted
        value = self.box.value()
        return value if accepted and value != NOT_GIVEN else None


def ask(parent: QWidget) -> int | None:
    """Ask for the pain before a session; ``None`` if not given."""
    dialog = PainBeforeDialog(parent)
    run_modal(dialog)
    rating = dialog.rating()
    dialog.deleteLater()
    return rating
