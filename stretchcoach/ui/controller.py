"""The glue between the window and the engine: commands in, rendered events out.

The window says what the person asked for (a ``Command``); the controller calls the
session's method for it (``SESSION_COMMANDS``), or does the few things that are the app's:
the settings dialog and the stop question, each with the session paused while it is open.
The session says what happened (events, re-emitted as Qt signals by ``CoachSignals``); the
controller hands each to the screen that draws it, and after each tells the window what
the primary key (Space) now means, as the session answers it.

Each session is recorded in the journal as it goes (a ``SessionRecorder`` listening to
it, saving through the journal's own thread, ``JournalLink``); at its end the completion
screen's questions add the person's answers to the same record, and the voice asks them
once. With the ``pain_before`` setting, a rating is asked before the session starts.

Settings are read from the one ``SettingsStore`` the app holds; changes go through it
(saved once, told once). The progress bars are refreshed by the one repeating timer that is
not an animation, which runs only while a session runs (a paused window does no work at
all), and at most once per event-loop turn after the events of a key press.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer

from stretchcoach import heap
from stretchcoach.coach.ports import (
    CueRepeated,
    Finished,
    HurtMarked,
    Listener,
    Pace,
    PaceChanged,
    PhaseStarted,
    Scheduler,
    SpeechTimes,
    StepStarted,
)
from stretchcoach.coach.session import Session
from stretchcoach.coach.states import RUNNING, Primary, State
from stretchcoach.coach.tap import TapMeter
from stretchcoach.journal.recorder import SessionRecorder
from stretchcoach.routine.expand import ConcreteStep
from stretchcoach.routine.safety import SAFETY_NOTE
from stretchcoach.settings import Settings, SettingsStore
from stretchcoach.ui import pain_before
from stretchcoach.ui.bridge import CoachSignals
from stretchcoach.ui.journal import JournalLink
from stretchcoach.ui.key_help import KeyHelp
from stretchcoach.ui.pain_before import ASK_BEFORE
from stretchcoach.ui.questions import ASK
from stretchcoach.ui.session_view import SessionView
from stretchcoach.ui.settings_dialog import SettingsDialog
from stretchcoach.ui.window import Command, MainWindow, run_modal
from stretchcoach.voice.voices import VoiceInfo

PRIMARY_WORDS = {Primary.PAUSE: "Pause", Primary.GO_ON: "Resume", Primary.READY: "I'm ready"}

if TYPE_CHECKING:
    from stretchcoach.ui.adapting import Adapting

PROGRESS_MS = 500  # twice a second: the time left, in seconds, never looks late
NOTED = "Noted."  # said, and shown as the caption, when H marks a step "this hurt"

SESSION_COMMANDS: dict[Command, Callable[[Session], None]] = {
    Command.PRIMARY: Session.primary,
    Command.PAUSE: Session.pause,
    Command.NEXT: Session.next,
    Command.SKIP_STRETCH: Session.skip_stretch,
    Command.PREVIOUS: Session.previous,
    Command.REPEAT_STEP: Session.repeat_step,
    Command.REPEAT_CUE: Session.repeat_cue,
    Command.TAP: Session.tap,
    Command.MARK_HURT: Session.mark_hurt,
    Command.LONGER_BREATHS: partial(Session.change_pace, direction=+1),
    Command.SHORTER_BREATHS: partial(Session.change_pace, direction=-1),
}
"""The commands that are the session's: each is one of its intents."""


class Voices(Protocol):
    """What the Settings dialog asks of the app's voice (``ui.audio.VoicePlayer``); each
    call returns at once and is answered later (``show_voices``, ``show_preview``)."""

    def list_voices(self) -> None: ...

    def preview(self, settings: Settings) -> None: ...


def edit_settings(dialog: SettingsDialog) -> Settings | None:
    """Show the dialog and return what the person chose, or None if they cancelled."""
    accepted = run_modal(dialog) == SettingsDialog.DialogCode.Accepted
    return dialog.edited() if accepted else None


class Controller(QObject):
    """Runs one session at a time for the window."""

    def __init__(
        self,
        window: MainWindow,
        *,
        store: SettingsStore,
        scheduler: Scheduler,
        speech: SpeechTimes,
        resolve_steps: Callable[[str], tuple[str, Sequence[ConcreteStep]]],
        listeners: Sequence[Listener] = (),
        voices: Voices | None = None,
        journal: JournalLink | None = None,
        say: Callable[[str], None] = lambda _text: None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.scheduler = scheduler
        self.speech = speech
        self.resolve_steps = resolve_steps
        self.listeners = tuple(listeners)
        self.voice_tools = voices
        self.voices: tuple[VoiceInfo, ...] = ()
        self.settings_dialog: SettingsDialog | None = None  # while it is open
        self.journal = journal
        self.say = say
        self.recorder: SessionRecorder | None = None
        self.session: Session | None = None
        self.adapting: Adapting | None = None  # offers to skip what keeps hurting
        self.routine_id: str | None = None
        self.routine_title = ""
        self.signals = CoachSignals(self)
        self.refresh = QTimer(self)
        self.refresh.setInterval(PROGRESS_MS)
        self.refresh.timeout.connect(self._show_progress)
        self._progress_due = False
        self._connect()
        window.build_screens()
        assert window.completion is not None
        window.completion.questions.answered.connect(self._answered)

    def _connect(self) -> None:
        s = self.signals
        s.step_started.connect(self._on_step)
        s.phase_started.connect(self._on_phase)
        s.cue_repeated.connect(self._on_cue_repeated)
        s.paused.connect(lambda _event: self._on_paused(True))
        s.resumed.connect(lambda _event: self._on_paused(False))
        s.pace_changed.connect(self._on_pace_changed)
        s.hurt_marked.connect(self._on_hurt)
        s.finished.connect(self._on_finished)

    # Commands -----------------------------------------------------------------------------

    def start(self, routine_id: str) -> None:
        """Begin ``routine_id`` from its first step (with the get-ready), after the offer to
        adapt it when a step keeps hurting (``Adapting.propose``)."""
        try:
            title, steps = self.resolve_steps(routine_id)
        except (KeyError, ValueError) as err:
            self.window.show_notice("start", f"That routine cannot start: {err}")
            return
        if self.adapting is None or not self.adapting.propose(routine_id, title, steps):
            self.begin(routine_id, title, steps)

    def begin(self, routine_id: str, title: str, steps: Sequence[ConcreteStep]) -> None:
        """Run these steps of ``routine_id`` (as written, or adapted)."""
        self.stop_session()
        self.routine_id, self.routine_title = routine_id, title
        settings = self.store.current
        rating = self._pain_before() if settings.pain_before and self.journal else None
        session = Session(steps, self.scheduler, self.speech, settings.pace, settings.timing)
        self.recorder = None
        if self.journal is not None:
            self.recorder = self._recorder(routine_id, title, steps, session, rating)
            session.subscribe(self.recorder)  # first: the record is saved before it is shown
        session.subscribe(self.signals)
        for listener in self.listeners:
            session.subscribe(listener)
        self.session = session
        self.window.show_session(title)
        self._view().show_paused(False)  # a session stopped while paused left its badge
        session.start()
        self.refresh.start()

    def _recorder(
        self,
        routine_id: str,
        title: str,
        steps: Sequence[ConcreteStep],
        session: Session,
        pain_before: int | None,
    ) -> SessionRecorder:
        """The session's recorder. Steps left out before it started (the offer to skip
        what keeps hurting) are recorded as skipped, of all the routine's steps: adapting
        does not count a session that left a step out."""
        assert self.journal is not None
        written = list(self.resolve_steps(routine_id)[1])
        kept = {step.key for step in steps}
        running = [i for i, step in enumerate(written) if step.key in kept]
        left_out = len(running) == len(steps) < len(written)
        return SessionRecorder(
            routine_id,
            title,
            written if left_out else steps,
            session,
            self.journal.save,
            running=running if left_out else None,
            pain_before=pain_before,
        )

    def _pain_before(self) -> int | None:
        """The rating before the session (the ``pain_before`` setting), asked once aloud."""
        self.say(ASK_BEFORE)
        return pain_before.ask(self.window)

    def handle(self, command: Command) -> None:
        session = self.session
        if command is Command.SETTINGS:
            self.open_settings()
        elif command is Command.HELP:
            self._while_paused(self._show_keys)
        elif command is Command.ACKNOWLEDGE_SAFETY:
            self.window.picker.hide_safety_note()
            self.window.picker.focus_default()
            self.update(seen_safety_note=True)
        elif command is Command.AGAIN and self.routine_id:
            self.start(self.routine_id)
        elif command is Command.CHOOSE:
            self.window.show_picker()
        elif command is Command.STOP and session is not None:
            self._confirm_stop(session)
        elif command in SESSION_COMMANDS and session is not None:
            SESSION_COMMANDS[command](session)
            if command is Command.TAP and session.taps:  # the fourth tap shows the pace
                self._view().show_taps(session.taps)

    def _while_paused(self, ask: Callable[[], None]) -> None:
        """Pause a running session while ``ask`` shows something modal, then go on (unless
        the answer ended the session): the voice is quiet while the person reads."""
        session = self.session
        running = session is not None and session.state in RUNNING
        if session is not None and running:
            session.pause()
        ask()
        if session is not None and running and self.session is session:
            session.resume()

    def _confirm_stop(self, session: Session) -> None:
        stop = False

        def ask() -> None:
            nonlocal stop
            stop = self.window.ask_to_stop()
            if stop:
                session.stop()

        self._while_paused(ask)

    def _show_keys(self) -> None:
        dialog = KeyHelp(self.window.actions_, SAFETY_NOTE, self.window)
        run_modal(dialog)
        dialog.deleteLater()

    def open_settings(self) -> None:
        self._while_paused(self._edit_settings)

    def _edit_settings(self) -> None:
        current = self.store.current
        tools = self.voice_tools
        dialog = SettingsDialog(
            current,
            self.voices,
            self.window,
            tap=self._tap(),
            preview=tools.preview if tools is not None else None,
            save_reminder=self.store.update,
        )
        if tools is not None:
            tools.list_voices()  # a voice file added since start-up is listed too
        self.settings_dialog = dialog
        try:
            chosen = edit_settings(dialog)
        finally:
            self.settings_dialog = None
            dialog.deleteLater()
        if chosen is None:
            return
        if notice := self.store.change(chosen):  # else the store's writer says how it went
            self.window.show_notice("save", notice)
        if self.session is not None:
            self.session.set_pace(chosen.pace)

    def show_voices(self, voices: Sequence[VoiceInfo]) -> None:
        """The voices there are (natural first), for the Settings dialog, open or next."""
        self.voices = tuple(voices)
        if self.settings_dialog is not None:
            self.settings_dialog.set_voices(self.voices)

    def show_preview(self, problem: str) -> None:
        """The voice's answer to a preview: "" when the sample plays, else why not."""
        if self.settings_dialog is not None:
            self.settings_dialog.previewed(problem)

    def _tap(self) -> Callable[[], Pace | None]:
        """The Settings dialog's tap button: the engine's tap measurement (``TapMeter``, as
        the T key's), against the pace set now."""
        meter = TapMeter()
        return lambda: meter.tap(self.scheduler.now(), self.store.current.pace)

    def update(self, **changes: object) -> None:
        """Change some settings (saved once; a failed write is a notice, never fatal)."""
        if notice := self.store.update(**changes):
            self.window.show_notice("save", notice)

    def stop_session(self) -> None:
        """End the session quietly (on quit, or before starting another)."""
        self.refresh.stop()
        session, self.session = self.session, None
        if session is not None and session.state not in (State.IDLE, State.FINISHED):
            session.stop(quietly=True)

    # Events -------------------------------------------------------------------------------

    def _view(self) -> SessionView:
        view = self.window.session_view
        assert view is not None, "the session view is built before a session starts"
        return view

    def _after_event(self) -> None:
        """What follows every event: the primary key's meaning, and the progress soon."""
        if self.session is not None:
            meaning = self.session.primary_meaning
            self.window.show_primary(PRIMARY_WORDS[meaning] if meaning else "Pause")
        if not self._progress_due:
            self._progress_due = True
            QTimer.singleShot(0, self._show_progress)

    def _on_step(self, event: StepStarted) -> None:
        self._view().show_step(event)
        self.window.show_step(event)
        self._after_event()

    def _on_phase(self, event: PhaseStarted) -> None:
        self._view().show_phase(event)
        self._after_event()

    def _on_cue_repeated(self, event: CueRepeated) -> None:
        self._view().show_cue(event.text)

    def _on_paused(self, paused: bool) -> None:
        self._view().show_paused(paused)
        if paused:
            self.refresh.stop()
        else:
            self.refresh.start()
        self._after_event()

    def _on_hurt(self, _event: HurtMarked) -> None:
        self._view().show_cue(NOTED)
        self.say(NOTED)

    def _on_pace_changed(self, event: PaceChanged) -> None:
        self._view().show_pace(event.pace)
        self.update(inhale=event.pace.inhale, exhale=event.pace.exhale)

    def _on_finished(self, event: Finished) -> None:
        self.refresh.stop()
        # What the session freed goes back to the system, its reference cycles included
        # (the collector walks only what sessions made: the app's own objects are frozen,
        # ``app.settle_memory``): bench/memory.py's growth over 20 sessions 0.8 MB, not 1.6.
        gc.collect()
        heap.trim()
        if self.session is None:  # stopped by stop_session: the window moves on by itself
            return
        steps = len(self.session.plans)
        completion = self.window.completion
        assert completion is not None
        ask = self.recorder is not None and self.recorder.recorded
        completion.show_finished(event, self.routine_title, steps, ask=ask)
        self.window.show_completion(event.completed)
        if ask:  # after the voice has done with the session's own end (it stops at Finished)
            QTimer.singleShot(0, lambda: self.say(ASK))

    def _answered(self, answers: dict[str, object]) -> None:
        """An answer to the completion screen's questions: into the session's record."""
        if self.recorder is not None:
            self.recorder.answer(answers)

    def _show_progress(self) -> None:
        self._progress_due = False
        if self.session is not None and self.window.session_view is not None:
            self.window.session_view.show_progress(self.session.progress())
