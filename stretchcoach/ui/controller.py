"""The glue between the window and the engine: intents in, rendered events out.

The window says what the person asked for (``Intent``); the controller calls the session's
method for it. The session says what happened (events, re-emitted as Qt signals by
``CoachSignals``); the controller hands each to the screen that draws it. It also owns the
settings (saved atomically on every change) and the one repeating timer that is not an
animation: the progress bars' refresh, which runs only while a session is running, so a
paused window does no work at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from stretchcoach import settings as settings_store
from stretchcoach.coach.ports import (
    CueRepeated,
    Finished,
    Listener,
    Pace,
    PaceChanged,
    PhaseStarted,
    Scheduler,
    SpeechTimes,
    StepStarted,
)
from stretchcoach.coach.session import Session
from stretchcoach.coach.states import State
from stretchcoach.coach.timeline import Timing
from stretchcoach.routine.expand import ConcreteStep
from stretchcoach.settings import Settings
from stretchcoach.ui.bridge import CoachSignals
from stretchcoach.ui.session_view import SessionView
from stretchcoach.ui.settings_dialog import SettingsDialog
from stretchcoach.ui.window import Intent, MainWindow, run_modal

PROGRESS_MS = 250


def edit_settings(dialog: SettingsDialog) -> Settings | None:
    """Show the dialog and return what the person chose, or None if they cancelled."""
    accepted = run_modal(dialog) == SettingsDialog.DialogCode.Accepted
    return dialog.edited() if accepted else None


class Controller(QObject):
    """Runs one session at a time for the window."""

    settings_changed = Signal(object)  # Settings, after they were saved

    def __init__(
        self,
        window: MainWindow,
        *,
        settings: Settings,
        scheduler: Scheduler,
        speech: SpeechTimes,
        resolve_steps: Callable[[str], tuple[str, Sequence[ConcreteStep]]],
        listeners: Sequence[Listener] = (),
    ) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.scheduler = scheduler
        self.speech = speech
        self.resolve_steps = resolve_steps
        self.listeners = tuple(listeners)
        self.voices: list[tuple[str, str]] = []
        self.session: Session | None = None
        self.routine_id: str | None = None
        self.routine_title = ""
        self.signals = CoachSignals(self)
        self.refresh = QTimer(self)
        self.refresh.setInterval(PROGRESS_MS)
        self.refresh.timeout.connect(self._show_progress)
        self._connect()

    def _connect(self) -> None:
        s = self.signals
        s.step_started.connect(self._on_step)
        s.phase_started.connect(self._on_phase)
        s.cue_repeated.connect(self._on_cue_repeated)
        s.paused.connect(lambda _event: self._on_paused(True))
        s.resumed.connect(lambda _event: self._on_paused(False))
        s.pace_changed.connect(self._on_pace_changed)
        s.finished.connect(self._on_finished)

    # Intents ------------------------------------------------------------------------------

    def start(self, routine_id: str) -> None:
        """Begin ``routine_id`` from its first step (with the get-ready)."""
        try:
            title, steps = self.resolve_steps(routine_id)
        except (KeyError, ValueError) as err:
            self.window.show_notice("start", f"That routine cannot start: {err}")
            return
        self.stop_session()
        self.routine_id, self.routine_title = routine_id, title
        timing = Timing(get_ready=self.settings.get_ready, auto_advance=self.settings.auto_advance)
        session = Session(steps, self.scheduler, self.speech, self.settings.pace, timing)
        session.subscribe(self.signals)
        for listener in self.listeners:
            session.subscribe(listener)
        self.session = session
        self.window.show_session()
        session.start()
        self.refresh.start()

    def handle(self, intent: Intent) -> None:
        session = self.session
        if intent is Intent.SETTINGS:
            self.open_settings()
        elif intent is Intent.ACKNOWLEDGE_SAFETY:
            self.window.picker.hide_safety_note()
            self.window.picker.focus_default()
            self.save(self._changed(seen_safety_note=True))
        elif intent is Intent.AGAIN and self.routine_id:
            self.start(self.routine_id)
        elif intent is Intent.CHOOSE:
            self.window.show_picker()
        elif session is not None:
            self._session_intent(session, intent)

    def _session_intent(self, session: Session, intent: Intent) -> None:
        actions: dict[Intent, Callable[[], None]] = {
            Intent.PAUSE: session.pause,
            Intent.RESUME: session.resume,
            Intent.NEXT: session.next,
            Intent.PREVIOUS: session.previous,
            Intent.REPEAT_STEP: session.repeat_step,
            Intent.REPEAT_CUE: session.repeat_cue,
            Intent.TAP: session.tap,
            Intent.LONGER_BREATHS: lambda: session.change_pace(+1),
            Intent.SHORTER_BREATHS: lambda: session.change_pace(-1),
            Intent.STOP: session.stop,
        }
        action = actions.get(intent)
        if action:
            action()
            self._show_progress()

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self.voices, self.window, tap=self._tap_meter())
        chosen = edit_settings(dialog)
        dialog.deleteLater()
        if chosen is None or chosen == self.settings:
            return
        self.save(chosen)
        if self.session is not None and self.session.pace != chosen.pace:
            self.session.set_pace(chosen.pace)

    def _tap_meter(self) -> Callable[[], Pace | None] | None:
        """The engine's tap-pace measurement for the dialog: a session never started, whose
        ``tap`` (allowed while idle) reports the pace the taps give, as the T key does."""
        routine = self.routine_id or self.window.picker.selected_id()
        if routine is None:
            return None
        try:
            _title, steps = self.resolve_steps(routine)
        except (KeyError, ValueError):
            return None
        meter = Session(steps, self.scheduler, self.speech, self.settings.pace)
        measured: list[Pace] = []
        meter.subscribe(
            lambda event: measured.append(event.pace) if isinstance(event, PaceChanged) else None
        )

        def tap() -> Pace | None:
            meter.tap()
            return measured.pop() if measured else None

        return tap

    def _changed(self, **changes: object) -> Settings:
        """The settings with ``changes``, validated (``model_copy`` would not validate)."""
        return Settings.model_validate({**self.settings.model_dump(), **changes})

    def save(self, new: Settings) -> None:
        """Keep and persist ``new``; a failed write is reported, never fatal."""
        self.settings = new
        self.settings_changed.emit(new)
        try:
            settings_store.save(new)
        except OSError as err:
            self.window.show_notice("save", settings_store.save_problem(err))
            return
        self.window.show_notice("save", None)

    def stop_session(self) -> None:
        """End the session quietly (on quit, or before starting another)."""
        self.refresh.stop()
        session, self.session = self.session, None
        if session is not None and session.state not in (State.IDLE, State.FINISHED):
            session.stop()

    # Events -------------------------------------------------------------------------------

    def _view(self) -> SessionView:
        view = self.window.session_view
        assert view is not None, "the session view is built before a session starts"
        return view

    def _on_step(self, event: StepStarted) -> None:
        self._view().show_step(event)
        self.window.on_step(event)
        self._show_progress()

    def _on_phase(self, event: PhaseStarted) -> None:
        self._view().show_phase(event)
        self.window.on_phase(event)
        self._show_progress()

    def _on_cue_repeated(self, event: CueRepeated) -> None:
        self._view().show_cue(event.text)

    def _on_paused(self, paused: bool) -> None:
        self._view().show_paused(paused)
        self.window.on_paused(paused)
        if paused:
            self.refresh.stop()
        else:
            self.refresh.start()
        self._show_progress()

    def _on_pace_changed(self, event: PaceChanged) -> None:
        pace = event.pace
        self.save(self._changed(inhale=pace.inhale, exhale=pace.exhale))

    def _on_finished(self, event: Finished) -> None:
        self.refresh.stop()
        if self.session is None:  # stopped by stop_session: the window moves on by itself
            return
        steps = len(self.session.plans)
        completion = self.window.completion
        self.window.show_completion(event.completed)
        assert completion is not None
        completion.show_finished(event, self.routine_title, steps)

    def _show_progress(self) -> None:
        if self.session is not None and self.window.session_view is not None:
            self.window.session_view.show_progress(self.session.progress())
