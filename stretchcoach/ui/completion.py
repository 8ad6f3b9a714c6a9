"""The end of a session: what was done (skipped steps included), a calm word, the
journal's questions when the session was recorded, and where to go next.

While the questions are asked they have the keyboard; Again and Choose another wait
until they are answered or skipped (``Questions.done``; the window enables them then).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from stretchcoach.coach.ports import Finished
from stretchcoach.ui.questions import Questions
from stretchcoach.ui.widgets import BigButton, Notices, label

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


def steps_text(event: Finished, steps_total: int) -> str:
    """``5 of 8 steps · 3 skipped``: the steps followed to their end, and the truth about
    the others."""
    done = f"{event.steps_done} of {steps_total} steps"
    return f"{done} · {len(event.skipped)} skipped" if event.skipped else done


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
        self.notices = Notices()
        layout.addWidget(self.notices)
        self.questions = Questions()
        layout.addWidget(self.questions)
        layout.addStretch(1)
        self.again_button = BigButton(again, "Do the same routine again.", primary=True)
        self.choose_button = BigButton(choose, "Go back to the list of routines.")
        self.buttons = QWidget()
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(self.again_button, 2)
        row.addWidget(self.choose_button, 2)
        row.addStretch(1)
        layout.addWidget(self.buttons)
        # Shown once the questions are done: until then they could not be pressed anyway.
        self.questions.done.connect(lambda: self.buttons.setVisible(True))
        layout.addStretch(1)

    def show_finished(
        self, event: Finished, routine_title: str, steps_total: int, *, ask: bool
    ) -> None:
        """What was done; the questions too if ``ask`` (the session was recorded)."""
        self.heading.setText(DONE if event.completed else STOPPED)
        steps = steps_text(event, steps_total)
        self.summary.setText(f"{routine_title}\n{spent_text(event.active_seconds)} · {steps}")
        self.message.setText(CALM_DONE if event.completed else CALM_STOPPED)
        self.questions.reset(ask=ask)
        self.questions.setVisible(ask)
        self.buttons.setVisible(not ask)

    @property
    def asking(self) -> bool:
        """Whether the questions are still waiting for answers (or Esc)."""
        return not self.questions.finished

    def focus_default(self) -> None:
        if self.asking:
            self.questions.focus_current()
        else:
            self.again_button.setFocus(Qt.FocusReason.OtherFocusReason)
