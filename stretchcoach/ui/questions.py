"""The questions at the end of a session, answered in a few key presses.

The person has just got up from the mat, or is still on it: every question is optional,
answered with digits or arrows and Enter, and Esc skips the rest at once. One question has
the keyboard at a time (the others show what was answered); Enter keeps the answer and
goes to the next, so "3, Enter, 1, Enter, 2, Enter, Enter" answers all four.

Pain is 0 to 10: a digit sets it, and 1 then 0 makes 10 (a 0 after a 1 only then); the
arrows move it by one. Each answer is handed on (``answered``) the moment it is kept, so
the journal has it even if the app is closed before the last question.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from stretchcoach.journal.record import NOTE_MAX, PAIN_MAX
from stretchcoach.ui.widgets import label

K = Qt.Key
HINT = "Digits or arrows answer · Enter: next · Esc: skip the questions"
ASK = (
    "If you like, answer a few questions on the screen. How is your pain now, "
    "from 0 to 10? Type the number and press Enter, or press Escape to skip."
)
"""What the voice says once, when the questions show: the person may be on the mat."""
UNANSWERED = "–"
ENTER = (K.Key_Return, K.Key_Enter)
LOWER = (K.Key_Left, K.Key_Down)
HIGHER = (K.Key_Right, K.Key_Up)


@dataclass(frozen=True)
class Question:
    """One question: ``field`` of the journal's record; ``choices`` (value, words), or a
    0..PAIN_MAX scale when empty."""

    field: str
    prompt: str
    choices: tuple[tuple[str, str], ...] = ()

    def values(self) -> list[object]:
        return [v for v, _ in self.choices] if self.choices else list(range(PAIN_MAX + 1))

    def words(self, value: object) -> str:
        return dict(self.choices).get(str(value), str(value)) if self.choices else str(value)


QUESTIONS = (
    Question("pain", f"Pain now (0–{PAIN_MAX})"),
    Question(
        "compared", "Compared with before",
        (("better", "Better"), ("same", "Same"), ("worse", "Worse")),
    ),
    Question(
        "tighter", "Side that felt tighter",
        (("left", "Left"), ("right", "Right"), ("same", "Same")),
    ),
)  # fmt: skip
NOTE_PROMPT = "A short note"


class Questions(QFrame):
    """The questions, on a panel; ``answered({field: value})`` as each is kept, ``done``
    when the last is passed or Esc skips them."""

    answered = Signal(dict)
    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "panel")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Questions")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        self._prompts: list[QLabel] = []
        self._answers: list[QLabel] = []
        for row, question in enumerate(QUESTIONS):
            prompt = label(question.prompt, "body", wrap=False, name=question.prompt)
            answer = label("", "heading", name=f"{question.prompt}: answer")
            grid.addWidget(prompt, row, 0)
            grid.addWidget(answer, row, 1)
            self._prompts.append(prompt)
            self._answers.append(answer)
        self.note_prompt = label(NOTE_PROMPT, "body", wrap=False, name=NOTE_PROMPT)
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_MAX)
        self.note.setAccessibleName(NOTE_PROMPT)
        self.note.setPlaceholderText("Enter keeps it")
        self.note.installEventFilter(self)
        self._prompts.append(self.note_prompt)
        grid.addWidget(self.note_prompt, len(QUESTIONS), 0)
        grid.addWidget(self.note, len(QUESTIONS), 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.hint = label(HINT, "muted", name="How to answer")
        layout.addWidget(self.hint)
        self.setAccessibleDescription(HINT)
        self.reset(ask=False)

    def reset(self, *, ask: bool = True) -> None:
        """Every question unanswered, the first one asked (none, unless ``ask``)."""
        self.values: list[object | None] = [None] * len(QUESTIONS)
        self._typed = ""
        self.note.clear()
        self.current = 0 if ask else len(QUESTIONS) + 1
        self._show()

    @property
    def finished(self) -> bool:
        return self.current > len(QUESTIONS)

    def focus_current(self) -> None:
        target: QWidget = self.note if self.current == len(QUESTIONS) else self
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- keys -------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        """The keys it answers with are its own, before any window shortcut."""
        overridden = event.type() == QEvent.Type.ShortcutOverride
        if overridden and isinstance(event, QKeyEvent) and self._handles(event):
            event.accept()
            return True
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The note's Enter keeps it, and its Esc skips, as everywhere in the questions."""
        if watched is not self.note or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in (*ENTER, K.Key_Escape):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
        elif event.type() == QEvent.Type.KeyPress:
            self._key(event.key())
        return True

    def _handles(self, event: QKeyEvent) -> bool:
        key = event.key()
        return key in (*ENTER, *LOWER, *HIGHER, K.Key_Escape, K.Key_Backspace) or (
            K.Key_0 <= key <= K.Key_9
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.take_key(event):
            super().keyPressEvent(event)

    def take_key(self, event: QKeyEvent) -> bool:
        """Answer with ``event``'s key if it is one of the questions' (the window hands on
        the keys that reach it while they are asked, wherever the focus is)."""
        asked = self.current < len(QUESTIONS) or (
            self.current == len(QUESTIONS) and event.key() in (*ENTER, K.Key_Escape)
        )
        if not asked or not self._handles(event):
            return False
        self._key(event.key())
        return True

    def _key(self, key: Qt.Key | int) -> None:
        if key == K.Key_Escape:
            self._finish()
        elif key in ENTER:
            self._keep()
        elif self.current < len(QUESTIONS):
            self._change(key)
        self._show()
        if not self.finished:
            self.focus_current()

    def _change(self, key: Qt.Key | int) -> None:
        question = QUESTIONS[self.current]
        values = question.values()
        value = self.values[self.current]
        if K.Key_0 <= key <= K.Key_9:
            digit = key - K.Key_0
            if not question.choices:
                typed = self._typed + str(digit)
                self._typed = typed if int(typed) <= PAIN_MAX else str(digit)
                self.values[self.current] = int(self._typed)
            elif 1 <= digit <= len(values):
                self.values[self.current] = values[digit - 1]
            return
        self._typed = ""
        if key == K.Key_Backspace:
            self.values[self.current] = None
            return
        if value is None:  # from nothing, either way: the first (0, "Better", "Left")
            self.values[self.current] = values[0]
            return
        at = values.index(value) + (1 if key in HIGHER else -1)
        self.values[self.current] = values[max(0, min(len(values) - 1, at))]

    def _keep(self) -> None:
        """Enter: keep this answer (if any) and go to the next question."""
        self._typed = ""
        if self.current < len(QUESTIONS):
            value = self.values[self.current]
            if value is not None:
                self.answered.emit({QUESTIONS[self.current].field: value})
            self.current += 1
            return
        text = self.note.text().strip()
        if text:
            self.answered.emit({"note": text})
        self._finish()

    def _finish(self) -> None:
        self.current = len(QUESTIONS) + 1
        self._show()
        self.done.emit()

    # -- look -------------------------------------------------------------------------------

    def _show(self) -> None:
        for row, (question, answer) in enumerate(zip(QUESTIONS, self._answers, strict=True)):
            value = self.values[row]
            if row == self.current:
                answer.setText(self._choices(question, value))
            else:
                answer.setText(UNANSWERED if value is None else question.words(value))
        for row, prompt in enumerate(self._prompts):
            prompt.setProperty("role", "heading" if row == self.current else "body")
            prompt.style().polish(prompt)
        self.note.setEnabled(self.current == len(QUESTIONS))

    @staticmethod
    def _choices(question: Question, value: object | None) -> str:
        """The asked question's answers, with their digits, the chosen one in brackets."""
        if not question.choices:
            return f"[ {UNANSWERED if value is None else value} ]  0 … {PAIN_MAX}"
        return "   ".join(
            f"[{n} {words}]" if v == value else f"{n} {words}"
            for n, (v, words) in enumerate(question.choices, start=1)
        )
