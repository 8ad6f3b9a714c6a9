"""The main window: three screens in a stack, and every key a person can press.

Each thing a person can do is one ``QAction`` with its shortcuts; the big buttons trigger
the same actions, so a key and a button can never disagree. Actions are enabled only on
the screen where they mean something, which is also how one key (Space, Esc) means
"start" on the picker, "pause" in a session and "again" at the end without ambiguity.

The window turns actions into commands (``command`` and ``start_routine`` signals) and
leaves their meaning to others: what Space does in a session (pause, go on, "I'm ready")
is the session's answer (``Session.primary_meaning``), which the window only shows on the
big button (``show_primary``). The window keeps no copy of the session's state, and does
not import the engine: the first frame comes before it.

Only the picker is built for the first frame; the session and completion screens are
built by ``build_screens`` just after it (or on demand, if someone is quicker).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Signal
from PySide6.QtGui import QAction, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from stretchcoach.ui import theme
from stretchcoach.ui.actions import Actions
from stretchcoach.ui.journal_reader import JournalReader
from stretchcoach.ui.picker import PickerItem, PickerView

if TYPE_CHECKING:  # built after the first frame, and imported then
    from stretchcoach.coach.ports import StepStarted
    from stretchcoach.ui.completion import CompletionView
    from stretchcoach.ui.offer_screen import OfferScreen, Proposal
    from stretchcoach.ui.progress_screen import ProgressScreen
    from stretchcoach.ui.session_view import SessionView

APP_TITLE = "StretchCoach"
MINIMUM_SIZE = QSize(800, 600)  # the type shrinks with the window; below this it gets too small


class Command(StrEnum):
    """What the person asked for, by key or button (the session decides what it means)."""

    PRIMARY = "primary"  # Space, Play/Pause: pause, go on or "I'm ready", as the session says
    PAUSE = "pause"  # the Pause media key: pause, never go on
    NEXT = "next"
    SKIP_STRETCH = "skip_stretch"  # the rest of this stretch, all its steps and sides
    PREVIOUS = "previous"
    REPEAT_STEP = "repeat_step"
    REPEAT_CUE = "repeat_cue"
    MARK_HURT = "mark_hurt"  # H: "this hurt", for the journal
    TAP = "tap"
    LONGER_BREATHS = "longer_breaths"
    SHORTER_BREATHS = "shorter_breaths"
    STOP = "stop"
    AGAIN = "again"
    CHOOSE = "choose"
    SETTINGS = "settings"
    HELP = "help"  # ? or F1: the keys, and the safety note again
    ACKNOWLEDGE_SAFETY = "acknowledge_safety"


def run_modal(dialog: QDialog) -> int:
    """Show a modal dialog, then hand the keyboard back to the main window. A window
    manager usually does that; without one (a kiosk, a bare X server) nobody does, and
    every key after the dialog would be lost -- for a person on the mat, the app would
    stop answering."""
    result = dialog.exec()
    owner = dialog.parentWidget()
    if owner is not None:
        owner.window().activateWindow()
    return result


STOP_KEYS = "Press S to stop,\nor Enter\u00a0to\u00a0keep\u00a0going."  # each answer whole


def stop_question(parent: QWidget) -> tuple[QMessageBox, QPushButton]:
    """The stop question and its Stop button: S stops (QMessageBox takes a button's
    mnemonic letter without Alt); Enter and Esc keep going, the safe answer. Each answer
    keeps to its own line (QMessageBox sizes itself by the short question and would wrap
    the keys' line anywhere)."""
    box = QMessageBox(parent)
    box.setWindowTitle("Stop the session? — StretchCoach")
    box.setIcon(QMessageBox.Icon.Question)
    box.setText("Stop this session?")
    box.setInformativeText(STOP_KEYS)
    stop = box.addButton("&Stop", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("&Keep going", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    return box, stop


def ask_to_stop(parent: QWidget) -> bool:
    """Whether the person really wants to stop (``stop_question``, asked modally)."""
    box, stop = stop_question(parent)
    run_modal(box)
    return box.clickedButton() is stop


class MainWindow(QMainWindow):
    command = Signal(object)  # a Command
    start_routine = Signal(str)  # a routine id
    first_painted = Signal()  # the routine list is on screen: time to build the rest

    def __init__(self, build_session_view: Callable[[Actions], SessionView]) -> None:
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.setMinimumSize(MINIMUM_SIZE)
        self.actions_ = Actions(self)
        self._build_session_view = build_session_view
        self._type: theme.TypeSizes | None = None
        self._dark = False
        self._completion_title = APP_TITLE
        self._notices: dict[str, str | None] = {}
        self._routine = ""  # the routine under way, for the title bar
        self.stack = QStackedWidget()
        self.stack.setContentsMargins(28, 20, 28, 20)
        self.setCentralWidget(self.stack)
        self.picker = PickerView(
            self.actions_.start, self.actions_.settings, self.actions_.acknowledge
        )
        self.stack.addWidget(self.picker)
        self.session_view: SessionView | None = None
        self.completion: CompletionView | None = None
        self.progress: ProgressScreen | None = None
        self.offer: OfferScreen | None = None
        self.journal_reader = JournalReader(parent=self)  # the journal, read off this thread
        self._came_from: Callable[[], None] = self.show_picker
        self._connect()
        self._enable(self.actions_.picker)
        self.picker.list.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.picker.list.viewport():
            watched.removeEventFilter(self)
            self.first_painted.emit()
        return False

    # Screens ----------------------------------------------------------------------------

    def build_screens(self) -> None:
        """Build the session and completion screens (once); the first frame does without."""
        if self.session_view is None:
            from stretchcoach.ui.completion import CompletionView

            self.session_view = self._build_session_view(self.actions_)
            self.completion = CompletionView(self.actions_.again, self.actions_.choose)
            self.completion.questions.done.connect(self._questions_done)
            self.stack.addWidget(self.session_view)
            self.stack.addWidget(self.completion)
            for key, text in self._notices.items():
                self.session_view.notices.set(key, text)
                self.completion.notices.set(key, text)

    def show_picker(self) -> None:
        self.stack.setCurrentWidget(self.picker)
        self.setWindowTitle(APP_TITLE)
        self._enable(self.actions_.picker)
        self.picker.focus_default()

    def show_session(self, routine_title: str) -> None:
        self.build_screens()
        assert self.session_view is not None
        self._routine = routine_title
        self.session_view.show_routine(routine_title)
        self.stack.setCurrentWidget(self.session_view)
        self._enable(self.actions_.session)
        self.session_view.focus_default()

    def show_completion(self, completed: bool) -> None:
        self.build_screens()
        assert self.completion is not None
        self.stack.setCurrentWidget(self.completion)
        self._completion_title = f"{'Well done' if completed else 'Session ended'} — {APP_TITLE}"
        self.setWindowTitle(self._completion_title)
        # While the journal's questions are asked they have the keys (Space, Esc, digits).
        self._enable(() if self.completion.asking else self.actions_.completion)
        self.completion.focus_default()

    def show_progress(self) -> None:
        """The Progress screen (built the first time), read afresh; Esc comes back here."""
        if self.progress is None:
            from stretchcoach.ui.progress_screen import ProgressScreen

            self.progress = ProgressScreen(self.actions_.back, self.journal_reader)
            self.stack.addWidget(self.progress)
        self._came_from = (
            self._back_to_completion
            if self.current_screen() is self.completion
            else self.show_picker
        )
        self.stack.setCurrentWidget(self.progress)
        self.setWindowTitle(f"Progress — {APP_TITLE}")
        self._enable(self.actions_.progress_screen)
        self.progress.focus_default()
        self.progress.open_screen()

    def show_offer(self, proposal: Proposal) -> None:
        """Before a routine starts: skip what keeps hurting, go gentler, or keep it."""
        a = self.actions_
        if self.offer is None:
            from stretchcoach.ui.offer_screen import OfferScreen

            self.offer = OfferScreen(a.offer_skip, a.offer_gentler, a.offer_keep)
            self.stack.addWidget(self.offer)
        self.offer.show_proposal(proposal)
        self.stack.setCurrentWidget(self.offer)
        self.setWindowTitle(f"Before you start — {APP_TITLE}")
        self._enable(
            tuple(x for x in a.offer if x is not a.offer_gentler or proposal.gentler_title)
        )
        self.offer.focus_default()

    def _go_back(self) -> None:
        self._came_from()

    def _back_to_completion(self) -> None:
        assert self.completion is not None
        self.stack.setCurrentWidget(self.completion)
        self.setWindowTitle(self._completion_title)
        self._enable(self.actions_.completion)
        self.completion.focus_default()

    def _questions_done(self) -> None:
        if self.current_screen() is self.completion:
            self._back_to_completion()  # its keys, now that the questions are done

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """While the completion screen's questions are asked, a key that reaches the window
        (the focus elsewhere on the screen) answers them all the same."""
        completion = self.completion
        asking = completion is not None and self.current_screen() is completion
        if not (asking and completion is not None and completion.questions.take_key(event)):
            super().keyPressEvent(event)

    def current_screen(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _enable(self, active: tuple[QAction, ...]) -> None:
        a = self.actions_
        for action in (*a.picker, *a.session, *a.completion, *a.progress_screen, *a.offer):
            action.setEnabled(action in active)
        a.settings.setEnabled(True)
        a.help.setEnabled(True)

    # What the engine said -------------------------------------------------------------

    def show_step(self, event: StepStarted) -> None:
        routine = f" · {self._routine}" if self._routine else ""
        self.setWindowTitle(f"{event.step.title}{routine} — {APP_TITLE}")

    def show_primary(self, words: str) -> None:
        """Name the big button (and Space) by what it does now, as the session says."""
        self.actions_.toggle.setText(words)

    # Keys and buttons -----------------------------------------------------------------

    def _connect(self) -> None:
        a = self.actions_

        def emit(command: Command) -> Callable[[], None]:
            return lambda: self.command.emit(command)

        a.start.triggered.connect(self._start)
        for action, command in (
            (a.acknowledge, Command.ACKNOWLEDGE_SAFETY), (a.settings, Command.SETTINGS),
            (a.help, Command.HELP),
            (a.toggle, Command.PRIMARY), (a.media_pause, Command.PAUSE),
            (a.previous, Command.PREVIOUS), (a.repeat_step, Command.REPEAT_STEP),
            (a.next, Command.NEXT), (a.skip_stretch, Command.SKIP_STRETCH),
            (a.repeat_cue, Command.REPEAT_CUE), (a.tap, Command.TAP),
            (a.hurt, Command.MARK_HURT),
            (a.longer, Command.LONGER_BREATHS), (a.shorter, Command.SHORTER_BREATHS),
            (a.stop, Command.STOP), (a.again, Command.AGAIN), (a.choose, Command.CHOOSE),
        ):  # fmt: skip
            action.triggered.connect(emit(command))
        a.progress.triggered.connect(self.show_progress)
        a.back.triggered.connect(self._go_back)
        a.full_screen.triggered.connect(self._toggle_full_screen)
        a.quit.triggered.connect(self.close)

    def _start(self) -> None:
        if self.picker.safety.isVisible():
            self.command.emit(Command.ACKNOWLEDGE_SAFETY)
            return
        routine = self.picker.selected_id()
        if routine:
            self.start_routine.emit(routine)

    def ask_to_stop(self) -> bool:
        """Whether the person really wants to stop (see ``ask_to_stop``)."""
        return ask_to_stop(self)

    def _toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    # Look -------------------------------------------------------------------------------

    def follow_system_theme(self) -> None:
        """Light or dark as the system says (connected to its colour scheme changes)."""
        self.apply_theme(theme.system_is_dark())

    def apply_theme(self, dark: bool) -> None:
        """Use the light or the dark colours (the app calls this when the system switches)."""
        self._dark = dark
        colors = theme.colors_for(dark)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(theme.palette(colors))
        if self._type:  # else the first resize (on show) applies it: a style sheet costs 10 ms
            self.setStyleSheet(theme.style_sheet(colors, self._type))

    def resizeEvent(self, event: QResizeEvent) -> None:
        sizes = theme.type_for(event.size())
        if sizes != self._type:
            self._type = sizes
            self.setStyleSheet(theme.style_sheet(theme.colors_for(self._dark), sizes))
            if self.session_view is not None:
                self.session_view.fit_texts()  # its labels' new sizes
        super().resizeEvent(event)

    def show_notice(self, key: str, text: str | None) -> None:
        """Show (or, with None, withdraw) a notice on every screen."""
        self._notices[key] = text
        for view in (self.picker, self.session_view, self.completion):
            if view is not None:
                view.notices.set(key, text)

    # Picker -------------------------------------------------------------------------------

    def set_routines(self, items: list[PickerItem], selected: str | None) -> None:
        self.picker.set_items(items, selected)
        self.actions_.start.setEnabled(bool(items) and self.current_screen() is self.picker)
