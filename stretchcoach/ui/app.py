"""The composition root: builds the app from its parts and runs it.

Start-up is staged so the window appears fast. The first frame needs only the picker,
which it shows as the last start left it (``first_frame``: no pydantic, no validation)
when no file it came from has changed since. The moment the routine list is painted, the
rest is built: the settings and the routines, validated (correcting the picker if they
differ from what was remembered), the Qt scheduler, the illustration, the session screens,
the speech worker and the audio device. Anything the person does before that (a very
quick Space) builds the rest on the spot, so no key is lost. Without a remembered frame
(the first start, a changed file) the settings and routines are loaded before the first
frame, as they must be.

Parts meet here and nowhere else: the engine's ``Session`` (made per routine by the
``Controller``), its events re-emitted as Qt signals (``CoachSignals``) for the window,
and the ``VoicePlayer`` subscribed beside them. Tests build the same ``App`` with a
simulated clock and a recording sound output instead of the real ones.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from stretchcoach import heap, logs, paths, resources
from stretchcoach.appid import APP_ID
from stretchcoach.routine.safety import SAFETY_NOTE
from stretchcoach.ui import first_frame, qtlog
from stretchcoach.ui.actions import Actions
from stretchcoach.ui.first_frame import FirstFrame
from stretchcoach.ui.picker import PickerItem
from stretchcoach.ui.quit_signals import quit_on_signals
from stretchcoach.ui.window import MainWindow

if TYPE_CHECKING:  # imported after the first frame (pydantic is a third of start-up)
    from stretchcoach.coach.ports import Scheduler
    from stretchcoach.routine.catalog import Catalog
    from stretchcoach.routine.expand import ConcreteStep
    from stretchcoach.settings import Settings, SettingsStore, SettingsWriter
    from stretchcoach.ui.audio import VoicePlayer
    from stretchcoach.ui.controller import Controller
    from stretchcoach.ui.desktop.instance import Request
    from stretchcoach.ui.desktop_link import DesktopLink
    from stretchcoach.ui.journal import JournalLink
    from stretchcoach.ui.session_view import SessionView

log = logging.getLogger(__name__)
DEFAULT_SIZE = (1280, 800)
MAX_PROBLEMS_SHOWN = 4
LAST_DONE = "last-done"  # the journal reader's tag for the picker's "last done"


@dataclass
class Services:
    """The parts built after the first frame."""

    scheduler: Scheduler
    voice: VoicePlayer


def real_services(store: SettingsStore) -> Services:
    from stretchcoach.ui.audio import VoicePlayer
    from stretchcoach.ui.scheduler import QtScheduler

    return Services(QtScheduler(), VoicePlayer(store))


def picker_items(catalog: Catalog, settings: Settings) -> list[PickerItem]:
    """The routines as the picker shows them, each with its length at the person's settings
    (``settings.routine_seconds``)."""
    from stretchcoach.settings import routine_seconds

    return [
        PickerItem(
            id=entry.id,
            title=entry.title,
            summary=entry.summary,
            props=tuple(entry.props),
            steps=len(entry.steps),
            seconds=routine_seconds(entry.steps, settings),
            own=entry.source == "user",
            safety=tuple(entry.routine.safety),
        )
        for entry in catalog.entries
    ]


def problems_notice(catalog: Catalog) -> str | None:
    """One notice for every routine file that did not load, naming the first few problems."""
    if not catalog.problems:
        return None
    shown = [str(p) for p in catalog.problems[:MAX_PROBLEMS_SHOWN]]
    more = len(catalog.problems) - len(shown)
    lines = [
        "Some routine files have problems; the other routines are fine:",
        *(f"• {line}" for line in shown),
    ]
    if more:
        lines.append(f"…and {more} more.")
    from stretchcoach.commands.routines import validate_command

    lines.append(f"Check them with: {validate_command(paths.user_routines_dir())}")
    return "\n".join(lines)


def settle_memory() -> None:
    """Collect once, then leave what the app is built of out of every later collection.

    A full collection walks every object Python tracks: 57,000 once the app is built
    (Qt wrappers, pydantic's models, the routines), 20-28 ms of the GUI thread, which the
    collector takes whenever it decides to, mid-breath. Frozen (``gc.freeze``), those
    objects are never walked again; a collection then walks only what a session makes.
    What building the app freed goes back to the system (``heap.trim``).

    The command starts the window with the collector off (``cli``), and it is turned on
    here: building the app makes objects by the ten thousand (PySide's enums, Qt's
    wrappers, the routines), nearly all of them living as long as the app, and the
    collections they set off found next to nothing: 76-79 before the first frame, 12-18 ms
    of it.
    """
    gc.collect()
    gc.freeze()
    gc.enable()
    heap.trim()


@dataclass
class Loaded:
    """The settings and the routines, validated."""

    store: SettingsStore
    catalog: Catalog
    settings_notice: str | None  # what was wrong with the settings file, if anything


class _Saved(QObject):
    """How each save of the settings went, from the writer's thread to the window's."""

    outcome = Signal(object)  # the notice, or None


class App:
    """The running app: the window at once, everything else just after its first frame."""

    def __init__(
        self,
        routine_id: str | None,
        services: Callable[[SettingsStore], Services] = real_services,
    ) -> None:
        self._routine_id = routine_id
        self._services_factory = services
        self._loaded: Loaded | None = None
        self.settings_writer: SettingsWriter | None = None  # with the settings, once loaded
        self.services: Services | None = None
        self.controller: Controller | None = None
        self.desktop: DesktopLink | None = None
        self.journal: JournalLink | None = None
        self.window = MainWindow(self._session_view)
        self.window.follow_system_theme()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.window.follow_system_theme)
        self._key = first_frame.fingerprint(paths.settings_file(), paths.user_routines_dir())
        remembered = first_frame.read(self._key)
        if remembered is None:
            remembered = self._first_frame(self.loaded)
            first_frame.write_in_background(self._key, remembered)
        self._shown = remembered
        self._show(self._shown, select=True)
        self.window.show_picker()
        self.window.first_painted.connect(lambda: QTimer.singleShot(0, self.ready))
        self.window.start_routine.connect(lambda rid: self.ready().start(rid))
        self.window.command.connect(lambda command: self.ready().handle(command))

    @property
    def loaded(self) -> Loaded:
        """The settings and routines, loaded and validated on first use (before the first
        frame if nothing was remembered, else just after it)."""
        if self._loaded is None:
            from stretchcoach import settings as settings_store
            from stretchcoach.routine.catalog import load_catalog
            from stretchcoach.settings import SettingsStore

            loaded = settings_store.load()
            saved = _Saved(self.window)
            saved.outcome.connect(lambda notice: self.window.show_notice("save", notice))
            writer = self.settings_writer = settings_store.SettingsWriter(saved.outcome.emit)
            store = SettingsStore.of_the_person(loaded.settings, writer)
            store.subscribe(self._settings_changed)
            self._loaded = Loaded(store, load_catalog(), loaded.notice)
        return self._loaded

    @property
    def store(self) -> SettingsStore:
        return self.loaded.store

    @property
    def catalog(self) -> Catalog:
        return self.loaded.catalog

    def _first_frame(self, loaded: Loaded) -> FirstFrame:
        """What the first frame shows, computed from the settings and routines."""
        default = loaded.catalog.default
        return FirstFrame(
            items=tuple(picker_items(loaded.catalog, loaded.store.current)),
            selected=default.id if default else None,
            notices={
                "settings": loaded.settings_notice,
                "routines": problems_notice(loaded.catalog),
            },
            safety_note=not loaded.store.current.seen_safety_note,
        )

    def _show(self, frame: FirstFrame, *, select: bool) -> None:
        """Show ``frame``; ``select``: choose the routine asked for (or the default) rather
        than keep the person's choice."""
        for kind, text in frame.notices.items():
            self.window.show_notice(kind, text)
        wanted = self._routine_id
        missing = wanted is not None and all(item.id != wanted for item in frame.items)
        self.window.show_notice("start", f"There is no routine '{wanted}'." if missing else None)
        selected = (frame.selected if missing else wanted or frame.selected) if select else None
        self.window.set_routines(list(frame.items), selected)
        if frame.safety_note:
            self.window.picker.show_safety_note(SAFETY_NOTE)
        else:
            self.window.picker.hide_safety_note()

    def _validated(self) -> None:
        """Check the remembered first frame against the files, correct the screen if it was
        wrong, and remember the truth for the next start."""
        truth = self._first_frame(self.loaded)
        if truth != self._shown:
            self._show(truth, select=False)
            self._shown = truth
            first_frame.write_in_background(self._key, truth)

    def show(self) -> None:
        screen = QGuiApplication.primaryScreen().availableGeometry()
        width = min(DEFAULT_SIZE[0], screen.width())
        height = min(DEFAULT_SIZE[1], screen.height())
        self.window.resize(width, height)
        self.window.show()
        self.window.picker.focus_default()

    def ready(self) -> Controller:
        """Build the rest of the app (once) and return the controller that runs sessions."""
        if self.controller is None:
            from PySide6.QtGui import QIcon

            from stretchcoach.ui.controller import Controller
            from stretchcoach.ui.journal import JournalLink

            self._validated()
            icon = resources.assets_dir() / "icons" / "stretchcoach.svg"
            if icon.is_file():  # after the first frame: reading the SVG takes 15 ms
                self.window.setWindowIcon(QIcon(str(icon)))
            services = self.services = self._services_factory(self.store)
            self.window.build_screens()
            journal = self.journal = JournalLink(parent=self.window)
            journal.notice.connect(self.window.show_notice)
            journal.recorded.connect(self._show_last_done)
            self.window.journal_reader.answered.connect(self._last_done_read)
            self._show_last_done()
            controller = Controller(
                self.window,
                store=self.store,
                scheduler=services.scheduler,
                speech=services.voice.times,
                resolve_steps=self._steps,
                listeners=[services.voice.on_event],
                voices=services.voice,
                journal=journal,
                say=services.voice.say,
            )
            services.voice.noticeChanged.connect(
                lambda text: self.window.show_notice("voice", text or None)
            )
            services.voice.voicesListed.connect(
                lambda listed: controller.show_voices(listed.voices)
            )
            services.voice.previewed.connect(controller.show_preview)
            self.window.show_notice("voice", services.voice.notice or None)
            services.voice.list_voices()
            self.window.picker.selection_changed.connect(self._prepare)
            self._adapt(controller, services)
            self.controller = controller
            from stretchcoach.ui.desktop_link import DesktopLink

            self.desktop = DesktopLink(self.window, controller)  # media keys, screen kept on
            self._prepare(self.window.picker.selected_id())
            settle_memory()
        return self.controller

    def answer(self, request: Request) -> None:
        """A later launch's request (``desktop.instance``): the window comes to the front,
        with the routine it names selected, ready to start (never over a session)."""
        from stretchcoach.coach.states import State
        from stretchcoach.ui.desktop.instance import bring_forward

        bring_forward(self.window, request.token)
        if request.routine is None:
            return
        session = self.controller.session if self.controller is not None else None
        if session is not None and session.state not in {State.IDLE, State.FINISHED}:
            self.window.show_notice(
                "start", "A session is on: stop it first to start another routine."
            )
            return
        default = self.catalog.default
        chosen = request.routine or (default.id if default else None)
        if chosen is None or self.catalog.get(chosen) is None:
            self.window.show_notice("start", f"There is no routine '{request.routine}'.")
            return
        self.window.show_notice("start", None)
        self.window.show_picker()
        self.window.picker.select(chosen)
        log.info("opened %s, ready to start, for another launch", chosen)

    def close(self) -> None:
        """Stop the session, the voice's thread and worker process, and the timers; remove
        what killed saves left beside the settings (the voice removes its own)."""
        if self.controller is not None:
            self.controller.stop_session()
        if self.desktop is not None:
            self.desktop.close()
        if self.journal is not None:
            self.journal.close()  # after the session's last save
        if self.services is not None:
            self.services.voice.close()
        self.window.journal_reader.close()
        if self._loaded is not None:
            from stretchcoach import settings as settings_store

            if self.settings_writer is not None:
                self.settings_writer.close()  # the last change on disk before the leftovers go

            with contextlib.suppress(OSError):
                settings_store.remove_temp_files()

    def _show_last_done(self) -> None:
        """Ask the journal when each routine was last done (off the window's thread); the
        picker shows it when the answer comes (``_last_done_read``)."""
        from stretchcoach.ui.journal import last_done_days

        self.window.journal_reader.read(LAST_DONE, last_done_days)

    def _last_done_read(self, tag: str, days: object) -> None:
        """The picker's "Last done yesterday". A journal that cannot be read says why in
        its own notice; the picker then says nothing."""
        if tag != LAST_DONE or not isinstance(days, dict):
            return
        from datetime import date

        from stretchcoach.journal.words import last_done

        today = date.today()
        self.window.picker.set_last_done(
            {entry.id: last_done(days.get(entry.id), today) for entry in self.catalog.entries}
        )

    def _adapt(self, controller: Controller, services: Services) -> None:
        """Offers to skip what keeps hurting, read when a routine is chosen or recorded."""
        from stretchcoach.ui.adapting import Adapting

        adapting = Adapting(
            self.window,
            self.catalog,
            self.window.journal_reader,
            controller.begin,
            services.voice.say,
        )
        controller.adapting = adapting
        # Read again once a save has landed (a session's end is saved on the journal's
        # thread: read at Finished, the offers could miss it).
        assert self.journal is not None
        self.journal.recorded.connect(lambda: adapting.refresh(controller.routine_id))

    def _session_view(self, actions: Actions) -> SessionView:
        from stretchcoach.ui.figure import FigureView
        from stretchcoach.ui.pacer import BreathPacer
        from stretchcoach.ui.session_view import SessionView

        assert self.services is not None, "the session view is built by ready()"
        clock = self.services.scheduler.now
        return SessionView(BreathPacer(clock), FigureView(clock=clock), actions)

    def _steps(self, routine_id: str) -> tuple[str, list[ConcreteStep]]:
        from stretchcoach.routine.problems import RoutineError

        try:
            entry = self.catalog.find(routine_id)
        except RoutineError as err:
            raise ValueError(str(err)) from None
        return entry.title, entry.steps

    def _prepare(self, routine_id: str | None) -> None:
        """Synthesize the chosen routine's cues while the person is still reading."""
        entry = self.catalog.get(routine_id) if routine_id else None
        if self.controller is not None and self.controller.adapting is not None:
            self.controller.adapting.refresh(routine_id)
        if entry is not None and self.services is not None:
            from stretchcoach.ui.controller import NOTED
            from stretchcoach.ui.pain_before import ASK_BEFORE
            from stretchcoach.ui.questions import ASK
            from stretchcoach.voice.times import cue_texts

            texts = cue_texts(entry.steps, self.store.current.timing)
            self.services.voice.prepare([ASK_BEFORE, *texts, NOTED, ASK])

    def _settings_changed(self, old: Settings, new: Settings) -> None:
        """A routine's length depends on these: the picker shows it anew."""

        def shaping(s: Settings) -> tuple[object, ...]:
            return (s.pace, s.timing, s.voice_setting, s.mute)

        if shaping(old) != shaping(new):
            self.window.set_routines(picker_items(self.catalog, new), None)


def _qt_app() -> QApplication:
    logs.configure()
    qtlog.install()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("StretchCoach")
    app.setDesktopFileName(APP_ID)  # the .desktop file: matches the window to its menu entry
    return app


def _open(app: QApplication, routine_id: str | None) -> App:
    stretchcoach = App(routine_id)
    app.aboutToQuit.connect(stretchcoach.close)
    stretchcoach.show()
    return stretchcoach


def launch(routine_id: str | None) -> tuple[QApplication, App]:
    """Everything ``run`` does before the event loop: the log, Qt, the window on screen.
    (The end-to-end tests launch the app with this, then drive it.)"""
    app = _qt_app()
    return app, _open(app, routine_id)


def run(routine_id: str | None, start: str | None = None) -> int:
    """Open the window (with ``routine_id`` selected, or the default routine), or, when
    StretchCoach already runs, have it raise its window (``desktop.instance``); ``start``
    (``--start``; "": the default routine) opens a routine ready to start, here or there.
    The exit status."""
    from stretchcoach.ui.desktop.instance import Instance, Outcome, Request

    request = Request.of_this_launch(start)  # before Qt takes the launcher's token
    app = _qt_app()
    instance = Instance(request)

    def decided(outcome: Outcome) -> None:
        if outcome is Outcome.FORWARDED:
            app.exit(0)
            return
        coach = _open(app, start or routine_id)
        instance.requested.connect(coach.answer)

    instance.decided.connect(decided)
    instance.claim()
    with quit_on_signals(app):  # Ctrl+C and SIGTERM: 130 and 143, after the same clean-up
        return app.exec()
