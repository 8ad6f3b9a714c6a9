"""The end of a session: what was done, a calm word, and where to go next."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from stretchcoach.coach.ports import Finished
from stretchcoach.ui.widgets import BigButton, label

DONE = "Well done."
STOPPED = "Stopped for now."
CALM_DONE = (
    "Take a moment before you get up: roll to your side and push yourself up with your arms."
)
CALM_STOPPED = "Every stretch counts. Roll to your side and get up slowly, using your arms."


def spent_text(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    if minutes == 0:
        return f"{secs} second{'s' if secs != 1 else ''}"
    return f"{minutes} min {secs:02d} s"


class CompletionView(QWidget):
    def __init__(self, again: QAction, choose: QAction) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(24)
        layout.addStretch(1)
        self.heading = label(DONE, "title", name="Session finished")
        self.summary = label("", "heading", name="What you did")
        self.message = label("", "body", name="Message")
        for widget in (self.heading, self.summary, self.message):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        layout.addStretch(1)
        self.again_button = BigButton(again, "Do the same routine again.", primary=True)
        self.choose_button = BigButton(choose, "Go back to the list of routines.")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.again_button, 2)
        row.addWidget(self.choose_button, 2)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def show_finished(self, event: Finished, routine_title: str, steps_total: int) -> None:
        self.heading.setText(DONE if event.completed else STOPPED)
        steps = f"{event.steps_done} of {steps_total} steps"
        self.summary.setText(f"{routine_title}\n{spent_text(event.active_seconds)} · {steps}")
        self.message.setText(CALM_DONE if event.completed else CALM_STOPPED)

    def focus_default(self) -> None:
        self.again_button.setFocus(Qt.FocusReason.OtherFocusReason)
