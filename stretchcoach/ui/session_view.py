"""The screen a person follows from the mat: the picture, the breath, the words, the progress.

It renders the engine's events (``StepStarted``, ``PhaseStarted``, pause, progress) and
nothing else: which step comes next, when a phase ends and what a key means are decided
by the engine and the window. The only timers here are the pacer's and the figure's
animation frames.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QProgressBar,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from stretchcoach.coach.ports import Pace, PhaseKind, PhaseStarted, Progress, StepStarted
from stretchcoach.coach.tap import TAPS
from stretchcoach.coach.timeline import seconds_words
from stretchcoach.ui.actions import Actions
from stretchcoach.ui.pacer import BreathPacer
from stretchcoach.ui.widgets import BigButton, Notices, clock_text, label

PHASE_WORDS = {
    PhaseKind.GET_READY: "Get ready",
    PhaseKind.INTRO: "Listen",
    PhaseKind.INHALE: "Breathe in",
    PhaseKind.EXHALE: "Breathe out",
    PhaseKind.HOLD: "Stay here",
    PhaseKind.WAIT: "Take your time",
    PhaseKind.READY: "Ready",
    PhaseKind.SKIPPING: "Skipping",
}
PROGRESS_STEPS = 1000
FIGURE_SHARE = 0.3  # of the screen's height the picture keeps, however long the words
CAPTION_LINES = 2  # the cue's least room; a step's longest cue sets it for the whole step
READY_HINT = "Press Space\nwhen ready"
PAUSED_BADGE = "Paused · Space to go on"
ROUTINE_SHOWN = 32  # characters of the routine's name beside the step number (80 allowed)

if TYPE_CHECKING:  # the figure (and QtSvg) load after the first frame, with this screen
    from stretchcoach.ui.figure import FigureView


def _bar(name: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, PROGRESS_STEPS)
    bar.setTextVisible(False)
    bar.setAccessibleName(name)
    bar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return bar



class SessionView(QWidget):
    def __init__(self, pacer: BreathPacer, figure: FigureView, actions: Actions) -> None:
        super().__init__()
        self.pacer = pacer
        self.figure = figure
        self._cues: tuple[str, ...] = ()  # the step's words the caption will show
        self._routine = ""  # the routine's name, shortened, beside the step number
        a = actions
        self.buttons = [
            BigButton(a.previous, "Go back to the previous step, or to the start of this one."),
            BigButton(a.repeat_step, "Do this step again from its start."),
            BigButton(a.toggle, "Pause, or go on.", primary=True),
            BigButton(a.next, "Skip to the next step."),
            BigButton(a.skip_stretch, "Skip the rest of this stretch, all its steps and sides."),
            BigButton(a.repeat_cue, "Say the last cue again."),
            BigButton(a.stop, "End the session (asks first)."),
        ]
        outer = QVBoxLayout(self)
        outer.setSpacing(12)
        outer.addLayout(self._header())
        self.notices = Notices(brief=True)
        outer.addWidget(self.notices)
        middle = QHBoxLayout()
        middle.setSpacing(24)
        figure.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        figure.setMinimumSize(120, 48)
        middle.addWidget(figure, 3)
        middle.addWidget(self._breath_side(), 2)
        outer.addLayout(middle, 1)
        self.instruction = label("", "body", name="Instruction")
        self.caption = label("", "caption", name="Spoken cue")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer.addWidget(self.instruction)
        outer.addWidget(self.caption)
        outer.addLayout(self._progress())
        row = QHBoxLayout()
        row.setSpacing(12)
        for button in self.buttons:
            row.addWidget(button)
        outer.addLayout(row)
        for first, second in zip(self.buttons, self.buttons[1:], strict=False):
            self.setTabOrder(first, second)

    def _header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        self.title = label("", "title", name="Step")
        self.position = label("", "muted", wrap=False, name="Step number")
        self.next_title = label("", "muted", wrap=False, name="Next step")
        where = QVBoxLayout()
        where.setSpacing(0)
        for text in (self.position, self.next_title):
            text.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            where.addWidget(text)
        header.addWidget(self.title, 1)
        header.addLayout(where)
        return header

    def _breath_side(self) -> QFrame:
        """The pacer with its words, or on a manual step the "Press Space" hint."""
        side = QFrame()
        side.setProperty("role", "panel")
        side.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.breath_panel = QWidget()
        breath = QVBoxLayout(self.breath_panel)
        breath.setContentsMargins(0, 0, 0, 0)
        breath.setSpacing(4)
        breath.addWidget(self.pacer, 1)
        self.phase = label("", "phase", wrap=False, name="Breath phase")
        self.breath_count = label("", "body", wrap=False, name="Breath count")
        # What +, − and T just did: the taps as they come, then the new pace.
        self.pace_note = label("", "body", wrap=False, name="Breath pace")
        for text in (self.phase, self.breath_count, self.pace_note):
            text.setAlignment(Qt.AlignmentFlag.AlignCenter)
            breath.addWidget(text)
        self.manual_panel = QWidget()
        manual = QVBoxLayout(self.manual_panel)
        # Two set lines rather than wrapping: the side panel's height must fit them.
        self.hint = label(READY_HINT, "hint", wrap=False, name=READY_HINT.replace("\n", " "))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        manual.addStretch(1)
        manual.addWidget(self.hint)
        manual.addStretch(1)
        self.side_stack = QStackedWidget()
        self.side_stack.addWidget(self.breath_panel)
        self.side_stack.addWidget(self.manual_panel)
        # In the panel, so pausing shrinks the pacer rather than moving the whole screen.
        self.paused_badge = label(PAUSED_BADGE, "paused", wrap=False, name="Paused")
        self.paused_badge.setAccessibleDescription("Press Space to go on.")
        self.paused_badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.paused_badge.setVisible(False)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(12, 12, 12, 12)
        side_layout.addWidget(self.paused_badge)
        side_layout.addWidget(self.side_stack, 1)
        # The step's own caution, beside the pacer where the eyes go (it is also spoken
        # with the step's introduction); the instruction below has no room to spare.
        self.caution = label("", "note", name="Take care")
        self.caution.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caution.setVisible(False)
        side_layout.addWidget(self.caution)
        return side

    def _progress(self) -> QHBoxLayout:
        """Both bars on one row: the height goes to the picture and the words."""
        progress = QHBoxLayout()
        progress.setSpacing(16)
        self.step_bar = _bar("This step's progress")
        self.routine_bar = _bar("The routine's progress")
        self.remaining = label("", "muted", wrap=False, name="Time remaining")
        self.remaining.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        progress.addWidget(label("This step", "muted", wrap=False))
        progress.addWidget(self.step_bar, 1)
        progress.addWidget(label("Routine", "muted", wrap=False))
        progress.addWidget(self.routine_bar, 1)
        progress.addWidget(self.remaining)
        return progress

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The picture keeps its share of the height and the cue its lines (the type
        scales with the window, so both are set again at each size)."""
        self.figure.setMinimumHeight(round(event.size().height() * FIGURE_SHARE))
        super().resizeEvent(event)
        self._keep_caption_room()

    def _keep_caption_room(self) -> None:
        """Room for the step's longest cue from its start, so the picture does not jump
        as the cues come and go."""
        self.caption.ensurePolished()
        metrics = self.caption.fontMetrics()
        width = self.caption.contentsRect().width()
        flags = Qt.TextFlag.TextWordWrap
        needed = [
            metrics.boundingRect(QRect(0, 0, width, 1 << 20), flags, f"“{cue}”").height()
            for cue in self._cues
        ]
        self.caption.setMinimumHeight(max([CAPTION_LINES * metrics.lineSpacing(), *needed]))

    def show_routine(self, title: str) -> None:
        """Name the routine under way beside the step number (shortened: the header keeps
        its room for the step's title; the accessible description has it whole)."""
        short = title if len(title) <= ROUTINE_SHOWN else title[: ROUTINE_SHOWN - 1].rstrip()
        self._routine = short if short == title else f"{short}…"
        self.position.setAccessibleDescription(f"Routine: {title}")

    def focus_default(self) -> None:
        """Keyboard focus on the big Pause button: Enter presses it, and it shows."""
        self.buttons[2].setFocus(Qt.FocusReason.OtherFocusReason)

    # Rendering the engine's events -------------------------------------------------------

    def show_step(self, event: StepStarted) -> None:
        step = event.step
        self.title.setText(step.title)
        where = f"Step {event.index + 1} of {event.count}"
        self.position.setText(f"{self._routine} · {where}" if self._routine else where)
        self.instruction.setText(step.instruction)
        self.caution.setText(f"Take care: {step.caution}" if step.caution else "")
        self.caution.setAccessibleDescription(self.caution.text())
        self.caution.setVisible(bool(step.caution))
        self.caption.setText("")
        self.next_title.setText(
            f"Next: {event.next_title}" if event.next_title else "Next: the end"
        )
        self._cues = event.cues
        self._keep_caption_room()
        self.side_stack.setCurrentWidget(self.breath_panel)
        self.phase.setText("")
        self.breath_count.setText("")
        self._note_pace("")
        self.pacer.rest()
        self.step_bar.setValue(0)
        self.figure.set_illustration(step.illustration, mirrored=step.mirrored)

    def show_phase(self, phase: PhaseStarted) -> None:
        waiting = phase.kind is PhaseKind.WAIT  # only a set-up step waits for the person
        self.side_stack.setCurrentWidget(self.manual_panel if waiting else self.breath_panel)
        self.phase.setText(PHASE_WORDS[phase.kind])
        if phase.cycles and phase.cycle:
            self.breath_count.setText(f"breath {phase.cycle} of {phase.cycles}")
        if phase.cue:
            self.caption.setText(f"“{phase.cue}”")
        self.pacer.show_phase(phase.kind, phase.start, phase.deadline)
        if phase.move and phase.deadline is not None:
            self.figure.move_to(phase.move, phase.deadline - phase.start, started_at=phase.start)

    def show_cue(self, text: str) -> None:
        self.caption.setText(f"“{text}”")

    def show_pace(self, pace: Pace) -> None:
        """The pace +, − or T has just set (until the next step)."""
        inhale, exhale = seconds_words(pace.inhale), seconds_words(pace.exhale)
        self._note_pace(f"Breath: {inhale} s in, {exhale} s out")

    def show_taps(self, taps: int) -> None:
        """T's taps as they come, "Tap 1 of 4" ... (the fourth gives a pace instead)."""
        self._note_pace(f"Tap {taps} of {TAPS}: on each breath out")

    def _note_pace(self, text: str) -> None:
        self.pace_note.setText(text)
        self.pace_note.setAccessibleDescription(text)

    def show_paused(self, paused: bool) -> None:
        """The badge says what Space does now, so the "when ready" hint steps aside: one
        meaning of Space on screen at a time, and the hint is not pushed out of its panel."""
        self.paused_badge.setVisible(paused)
        self.hint.setVisible(not paused)
        self.figure.set_paused(paused)
        if paused:
            self.pacer.freeze()

    def show_progress(self, progress: Progress) -> None:
        self.step_bar.setValue(round(progress.step_fraction * PROGRESS_STEPS))
        self.routine_bar.setValue(round(progress.routine_fraction * PROGRESS_STEPS))
        self.remaining.setText(f"{clock_text(progress.remaining_seconds)} left")
        self.step_bar.setAccessibleDescription(
            f"{round(progress.step_fraction * 100)} percent of this step done"
        )
        self.routine_bar.setAccessibleDescription(
            f"{round(progress.routine_fraction * 100)} percent done, "
            f"{clock_text(progress.remaining_seconds)} left"
        )
