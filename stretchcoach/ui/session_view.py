"""The screen a person follows from the mat: the picture, the breath, the words, the progress.

It renders the engine's events (``StepStarted``, ``PhaseStarted``, pause, progress) and
nothing else: which step comes next, when a phase ends and what a key means are decided
by the engine and the window. The only timers here are the pacer's and the figure's
animation frames.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QResizeEvent
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
from stretchcoach.ui import theme
from stretchcoach.ui.actions import Actions
from stretchcoach.ui.fitting import (
    CAPTION_LINES,
    LEAD_LINES,
    TITLE_LINES,
    elide_to,
    shrink_to_lines,
)
from stretchcoach.ui.pacer import BreathPacer
from stretchcoach.ui.widgets import (
    BigButton,
    Notices,
    about_minutes,
    clock_text,
    label,
)

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
SAID_EVERY = 10  # percent: how finely a screen reader is told of progress
FIGURE_SHARE = 0.3  # of the screen's height the picture keeps, however long the words
CAPTION_ROOM = 2  # the cue's least room; a step's longest cue sets it for the whole step
READY_HINT = "Press Space\nwhen ready"
PAUSED_BADGE = "Paused · Space to go on"
WAITING = "waits for you"  # in place of the step's bar: a set-up step has no set length
NEXT_SHARE = 0.4  # of the screen's width "Next: …" may take before it is shortened
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def split_instruction(text: str) -> tuple[str, str]:
    """The instruction's first sentence, read from the mat, and the rest, read when paused
    (the step's spoken introduction says what the person needs meanwhile)."""
    first, *rest = SENTENCE_END.split(text.strip(), maxsplit=1)
    return first, "".join(rest)


if TYPE_CHECKING:  # the figure (and QtSvg) load after the first frame, with this screen
    from stretchcoach.ui.figure import FigureView


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _bar(name: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, PROGRESS_STEPS)
    bar.setTextVisible(False)
    bar.setAccessibleName(name)
    bar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return bar


def announce(widget: QWidget, text: str) -> None:
    """Have a screen reader say ``text`` (a new cue, a new step) without moving the focus,
    politely: after what it is saying."""
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)


class SessionView(QWidget):
    def __init__(self, pacer: BreathPacer, figure: FigureView, actions: Actions) -> None:
        super().__init__()
        self.pacer = pacer
        self.figure = figure
        self._cues: tuple[str, ...] = ()  # the step's words the caption will show
        self._routine = ""  # the routine's name, beside the step number (shortened to fit)
        self._where = ""  # "Step 2 of 5"
        self._said: tuple[str, ...] = ()  # the progress as a screen reader was last told
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
        self.instruction = label("", "lead", name="Instruction")
        self.details = label("", "detail", name="The rest of the instruction")
        self.details.setVisible(False)
        self.caption = label("", "caption", name="Spoken cue")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer.addWidget(self.instruction)
        outer.addWidget(self.caption)
        outer.addWidget(self.details)
        outer.addLayout(self._progress())
        row = QHBoxLayout()
        row.setSpacing(12)
        for button in self.buttons:
            row.addWidget(button)
        outer.addLayout(row)
        for first, second in zip(self.buttons, self.buttons[1:], strict=False):
            self.setTabOrder(first, second)

    def _header(self) -> QHBoxLayout:
        header = self._header_row = QHBoxLayout()
        self.title = label("", "title", name="Step")
        self.position = label("", "glance", wrap=False, name="Step number")
        self.next_title = label("", "glance", wrap=False, name="Next step")
        self._next_text = ""
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
        self.breath_count = label("", "count", wrap=False, name="Breath count")
        # What +, − and T just did: the taps as they come, then the new pace.
        self.pace_note = label("", "count", wrap=False, name="Breath pace")
        for text in (self.phase, self.breath_count, self.pace_note):
            text.setAlignment(Qt.AlignmentFlag.AlignCenter)
            breath.addWidget(text)
        self.manual_panel = QWidget()
        manual = QVBoxLayout(self.manual_panel)
        # Two set lines rather than wrapping: the side panel's height must fit them.
        self.hint = label(READY_HINT, "hint", wrap=False)
        self.hint.setAccessibleName(READY_HINT.replace("\n", " "))
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
        side_layout.addWidget(self.side_stack)
        return side

    def _progress(self) -> QHBoxLayout:
        """Both bars on one row: the height goes to the picture and the words."""
        progress = QHBoxLayout()
        progress.setSpacing(16)
        self.step_bar = _bar("This step's progress")
        self.routine_bar = _bar("The routine's progress")
        self.remaining = label("", "glance", wrap=False, name="Time remaining")
        self._time_digits = 4  # the room kept for the time left (``_keep_time_room``)
        self.remaining.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # A set-up step waits for the person: no bar filling up, but words, in its place.
        self.waiting = label(WAITING, "glance", wrap=False)
        bar_cell = self._bar_cell = QWidget()
        bar_layout = QVBoxLayout(bar_cell)
        bar_layout.setContentsMargins(0, 0, 0, 0)
        bar_layout.addWidget(self.step_bar, 0, Qt.AlignmentFlag.AlignVCenter)
        self.step_cell = QStackedWidget()
        self.step_cell.addWidget(bar_cell)
        self.step_cell.addWidget(self.waiting)
        self.step_cell.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        progress.addWidget(label("This step", "glance", wrap=False))
        progress.addWidget(self.step_cell, 1)
        progress.addWidget(label("Routine", "glance", wrap=False))
        progress.addWidget(self.routine_bar, 1)
        progress.addWidget(self.remaining)
        return progress

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The picture keeps its share of the height and the cue its lines (the type
        scales with the window, so both are set again at each size)."""
        self.figure.setMinimumHeight(round(event.size().height() * FIGURE_SHARE))
        super().resizeEvent(event)
        self.fit_texts()

    def fit_texts(self) -> None:
        """Fit the long texts to the room they have now (after a resize, and after the
        window restyles for a new size, which it does after its children are resized)."""
        self._fit_header()
        glance = theme.type_for(self.window().size()).glance
        width = self._text_width()
        shrink_to_lines(self.instruction, width, LEAD_LINES, glance)
        cues = [f"“{cue}”" for cue in self._cues]
        shrink_to_lines(self.caption, width, CAPTION_LINES, glance, cues)
        self._keep_caption_room()
        self._keep_time_room()

    def _text_width(self) -> int:
        """The width of a text across the screen (the outer layout's, inside its margins)."""
        layout = self.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        return self.width() - margins.left() - margins.right()

    def _fit_header(self) -> None:
        """The "Next: …" line shortened to its share of the width; the title wrapped onto two
        lines in the rest, and made smaller only if it still does not fit (never below the
        glance floor): a long title must not push the picture and the words off. If it
        does not fit even then, "Next: …" gives up its room to the title."""
        glance = theme.type_for(self.window().size()).glance
        self.position.ensurePolished()
        least = self.position.fontMetrics().horizontalAdvance(self._where) + 2
        for share in (NEXT_SHARE, 0.0):  # "Next: …" and the routine as wide as "Step 2 of 5"
            room = max(least, round(self._text_width() * share))
            elide_to(self.next_title, self._next_text, room)
            self._position_to(room)
            right = max(self.next_title.sizeHint().width(), self.position.sizeHint().width())
            width = self._text_width() - right - self._header_row.spacing()
            if shrink_to_lines(self.title, width, TITLE_LINES, glance):
                break

    def _keep_time_room(self) -> None:
        """Room for the longest time left with the widest digits (four, or as many as the
        time shown has), so the bars beside it keep their places as the time counts down.

        The room is a fixed size: a label whose size may change asks its layout to lay out
        again whenever its text changes, and here that was the whole window, each hidden
        screen of the stack included, once a second while guiding (4-6 % of the window's
        main thread, ``py-spy``)."""
        label = self.remaining
        metrics = label.fontMetrics()
        digit = max(metrics.horizontalAdvance(d) for d in "0123456789")
        digits = self._time_digits = max(4, _digits(label.text()))
        sample = f"{'0' * (digits - 2)}:00 left"
        line = metrics.boundingRect(QRect(0, 0, 10_000, 10_000), int(label.alignment()), sample)
        margins = label.contentsMargins()
        width = digits * digit + metrics.horizontalAdvance(": left") + 2
        height = line.height() + margins.top() + margins.bottom() + 2 * label.margin()
        label.setFixedSize(width + margins.left() + margins.right() + 2 * label.margin(), height)

    def _keep_caption_room(self) -> None:
        """Room for the step's longest cue from its start, so the picture does not jump
        as the cues come and go."""
        self.caption.ensurePolished()
        metrics = self.caption.fontMetrics()
        width = self._text_width()
        flags = Qt.TextFlag.TextWordWrap
        needed = [
            metrics.boundingRect(QRect(0, 0, width, 1 << 20), flags, f"“{cue}”").height()
            for cue in self._cues
        ]
        self.caption.setMinimumHeight(max([CAPTION_ROOM * metrics.lineSpacing(), *needed]))

    def show_routine(self, title: str) -> None:
        """Name the routine under way beside the step number (shortened: the header keeps
        its room for the step's title; the accessible description has it whole)."""
        self._routine = title
        self.position.setAccessibleDescription(f"Routine: {title}")

    def _position_to(self, room: int) -> None:
        """The routine's name and "Step 2 of 5" in ``room`` pixels: the name shortened
        ("…") or left out, the step number always whole."""
        metrics = self.position.fontMetrics()
        name_room = room - metrics.horizontalAdvance(f" · {self._where}")
        name = metrics.elidedText(self._routine, Qt.TextElideMode.ElideRight, name_room)
        shown = name and name != "…"
        self.position.setText(f"{name} · {self._where}" if shown else self._where)

    def focus_default(self) -> None:
        """Keyboard focus on the big Pause button: Enter presses it, and it shows."""
        self.buttons[2].setFocus(Qt.FocusReason.OtherFocusReason)

    # Rendering the engine's events -------------------------------------------------------

    def show_step(self, event: StepStarted) -> None:
        step = event.step
        self.title.setText(step.title)
        self._where = f"Step {event.index + 1} of {event.count}"
        lead, rest = split_instruction(step.instruction)
        self.instruction.setText(lead)
        self.instruction.setAccessibleDescription(step.instruction)  # a screen reader: all
        # The step's own caution with the rest, read when paused (it is also spoken once,
        # right after the step's introduction): the screen keeps its room for the mat.
        caution = f"Take care: {step.caution}" if step.caution else ""
        self.details.setText("\n".join(part for part in (rest, caution) if part))
        self.caption.setText("")
        self._next_text = f"Next: {event.next_title}" if event.next_title else "Next: the end"
        self._cues = event.cues
        self.fit_texts()
        self.step_cell.setCurrentWidget(self._bar_cell)
        self._show_details(self.paused_badge.isVisibleTo(self))
        self.side_stack.setCurrentWidget(self.breath_panel)
        self.phase.setText("")
        self.breath_count.setText("")
        self._note_pace("")
        self.pacer.rest()
        self.step_bar.setValue(0)
        self.figure.set_illustration(step.illustration, mirrored=step.mirrored)
        announce(self.title, f"{self.position.text()}: {step.title}")

    def show_phase(self, phase: PhaseStarted) -> None:
        waiting = phase.kind is PhaseKind.WAIT  # only a set-up step waits for the person
        self.side_stack.setCurrentWidget(self.manual_panel if waiting else self.breath_panel)
        self.step_cell.setCurrentWidget(self.waiting if waiting else self._bar_cell)
        self.phase.setText(PHASE_WORDS[phase.kind])
        if phase.cycles and phase.cycle:
            self.breath_count.setText(f"breath {phase.cycle} of {phase.cycles}")
        if phase.cue:
            self.show_cue(phase.cue)
        self.pacer.show_phase(phase.kind, phase.start, phase.deadline)
        if phase.move and phase.deadline is not None:
            self.figure.move_to(phase.move, phase.deadline - phase.start, started_at=phase.start)

    def show_cue(self, text: str) -> None:
        """The cue on screen, and to a screen reader (the voice may be muted or lost)."""
        self.caption.setText(f"“{text}”")
        announce(self.caption, text)

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
        self._show_details(paused)
        self.figure.set_paused(paused)
        if paused:
            self.pacer.freeze()

    def _show_details(self, paused: bool) -> None:
        """Paused, there is time to read: the rest of the instruction, in the cue's place."""
        shown = paused and bool(self.details.text())
        self.details.setVisible(shown)
        self.caption.setVisible(not shown)

    def show_progress(self, progress: Progress) -> None:
        self.step_bar.setValue(round(progress.step_fraction * PROGRESS_STEPS))
        self.routine_bar.setValue(round(progress.routine_fraction * PROGRESS_STEPS))
        self.remaining.setText(f"{clock_text(progress.remaining_seconds)} left")
        if _digits(self.remaining.text()) > self._time_digits:  # 100 minutes or more
            self._keep_time_room()
        self._describe_progress(progress)

    def _describe_progress(self, progress: Progress) -> None:
        """Progress for a screen reader in tens of percent and whole minutes: the screen
        changes several times a second, and each change of a name or description is an
        event a screen reader may speak."""
        step, routine = (
            SAID_EVERY * int(fraction * 100 // SAID_EVERY)
            for fraction in (progress.step_fraction, progress.routine_fraction)
        )
        left = f"{about_minutes(progress.remaining_seconds)} left"
        said = (f"{step} percent of this step done", f"{routine} percent done, {left}", left)
        if said == self._said:
            return
        self._said = said
        self.step_bar.setAccessibleDescription(said[0])
        self.routine_bar.setAccessibleDescription(said[1])
        self.remaining.setAccessibleName(said[2])
